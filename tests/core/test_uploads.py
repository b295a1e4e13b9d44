"""core.uploads: the one checker reads the content, not the name — first bytes and structure — so a
page saved under an Office, text or photo name is refused, and a request's files are bounded."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.uploads import MAX_FILES_PER_REQUEST, check_upload, check_uploads

HTML = b"<html><body><script>alert(1)</script></body></html>"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 24


def office_package() -> bytes:
    """The smallest real OOXML package: a zip with its [Content_Types].xml."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


def picture(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, kind)
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["通知.docx", "台账.xlsx", "汇报.pptx", "通知.doc", "台账.xls", "汇报.ppt", "原文.pdf", "说明.txt"])
def test_html_under_an_office_pdf_or_text_name_is_refused(name):
    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile(name, HTML), photo=False)
    assert refused.value.messages == [f"“{name}”的内容与扩展名不符。"]


@pytest.mark.parametrize("content", [b"PK\x03\x04" + HTML, b"PK\x03\x04" + b"\x00" * 26])
def test_a_zip_header_is_not_enough_for_an_office_package(content):
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("台账.xlsx", content), photo=False)


@pytest.mark.parametrize("content", [b"RIFF\x00\x00\x00\x00WEBP" + HTML, b"RIFF\x00\x00\x00\x00HTML" + HTML,
                                     b"\x89PNG\r\n\x1a\n" + HTML, b"\xff\xd8\xff" + HTML])
def test_a_photo_must_decode(content):
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("现场.webp" if content.startswith(b"RIFF") else "现场.png" if b"PNG" in content else "现场.jpg",
                                        content), photo=True)


@pytest.mark.parametrize(("name", "content"), [
    ("通知.docx", office_package()), ("台账.xlsx", office_package()), ("汇报.pptx", office_package()), ("通知.doc", OLE),
    ("台账.xls", OLE), ("说明.txt", "会议纪要：全体党员参加。".encode()), ("现场.png", picture("PNG")),
    ("现场.jpg", picture("JPEG")), ("现场.webp", picture("WEBP")),
])
def test_real_files_pass(name, content):
    content_type, is_photo = check_upload(SimpleUploadedFile(name, content), photo=False)
    assert is_photo == name.endswith((".png", ".jpg", ".webp"))


def test_a_photo_under_another_photo_name_is_refused():
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("现场.png", picture("JPEG")), photo=True)


def test_a_request_carries_a_bounded_number_of_files():
    files = [SimpleUploadedFile(f"现场{n}.png", picture("PNG")) for n in range(MAX_FILES_PER_REQUEST + 1)]
    assert check_uploads(files, photo=True) == ["一次最多上传10个文件，共不超过50MB。"]
    assert check_uploads(files[:MAX_FILES_PER_REQUEST], photo=True) == []
