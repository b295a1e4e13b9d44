"""core.uploads: the one checker reads the first bytes, so a page saved under an Office name is refused."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import check_upload

HTML = b"<html><body><script>alert(1)</script></body></html>"
ZIP = b"PK\x03\x04" + b"\x00" * 26
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 24


@pytest.mark.parametrize("name", ["通知.docx", "台账.xlsx", "汇报.pptx", "通知.doc", "台账.xls", "汇报.ppt", "原文.pdf"])
def test_html_under_an_office_or_pdf_name_is_refused(name):
    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile(name, HTML), photo=False)
    assert refused.value.messages == [f"“{name}”的内容与扩展名不符。"]


@pytest.mark.parametrize(("name", "head"), [("通知.docx", ZIP), ("台账.xlsx", ZIP), ("汇报.pptx", ZIP), ("通知.doc", OLE), ("台账.xls", OLE)])
def test_office_files_with_their_own_first_bytes_pass(name, head):
    content_type, is_photo = check_upload(SimpleUploadedFile(name, head), photo=False)
    assert not is_photo and content_type.startswith("application/")
