"""The one checker every upload goes through: the name's type, the size, the first bytes, and the
structure (a photo must decode, an .xlsx/.docx/.pptx must be an Office package, a .txt must be
text and not a web page).

A name alone proves nothing, so a file whose content does not match its type is refused.
"""

import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler
from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

PHOTO_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}
FILE_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".txt": "text/plain",
}
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_FILE_BYTES = 20 * 1024 * 1024
# What the first bytes of a real file of each kind look like: the name alone proves nothing.
ZIP = (b"PK\x03\x04",)  # OOXML files are zip packages
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # the older Office files are OLE compound files
MAGIC = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/webp": (b"RIFF",),
    "application/pdf": (b"%PDF",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ZIP,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ZIP,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ZIP,
    "application/msword": OLE,
    "application/vnd.ms-excel": OLE,
    "application/vnd.ms-powerpoint": OLE,
}

MSG_FILE_TYPE = _("“%(name)s”的类型不支持：照片可用 JPG、PNG、WEBP，文件可用 PDF、Word、Excel、PPT、TXT。")
MSG_FILE_CONTENT = _("“%(name)s”的内容与扩展名不符。")
MSG_FILE_SIZE = _("“%(name)s”超过%(limit)sMB。")
MSG_TOO_MANY = _("一次最多上传%(most)s个文件，共不超过%(limit)sMB。")
MAX_FILES_PER_REQUEST = 10
MAX_REQUEST_BYTES = 50 * 1024 * 1024
OOXML = {"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
WEB_PAGE = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe")


class UploadSizeCap(FileUploadHandler):
    """First of the upload handlers: passes on at most one byte more than the largest file allowed.
    A larger upload is dropped as it streams instead of being stored whole; what was kept is one byte
    over the limit, so check_upload refuses it with the size message."""

    cap = max(MAX_FILE_BYTES, MAX_PHOTO_BYTES) + 1

    def receive_data_chunk(self, raw_data, start):
        if start >= self.cap:
            return None
        return raw_data[: self.cap - start]

    def file_complete(self, file_size):
        return None


def check_upload(upload, *, photo: bool) -> tuple[str, bool]:
    """The upload's content type if its name, size and first bytes agree; ValidationError otherwise."""
    name = PurePath(upload.name).name
    suffix = PurePath(name).suffix.lower()
    allowed = PHOTO_TYPES if photo else {**PHOTO_TYPES, **FILE_TYPES}
    if suffix not in allowed:
        raise ValidationError(MSG_FILE_TYPE, params={"name": name})
    content_type = allowed[suffix]
    is_photo = suffix in PHOTO_TYPES
    limit = MAX_PHOTO_BYTES if is_photo else MAX_FILE_BYTES
    if upload.size > limit:
        raise ValidationError(MSG_FILE_SIZE, params={"name": name, "limit": limit // (1024 * 1024)})
    head = upload.read(16)
    upload.seek(0)
    if content_type in MAGIC and not head.startswith(MAGIC[content_type]) or not _structure_ok(upload, content_type, head):
        raise ValidationError(MSG_FILE_CONTENT, params={"name": name})
    return content_type, is_photo


def _structure_ok(upload, content_type: str, head: bytes) -> bool:
    """Beyond the first bytes: what a reader of this type will need to find in the file."""
    try:
        if content_type.startswith("image/"):
            if content_type == "image/webp" and head[8:12] != b"WEBP":
                return False
            with Image.open(upload) as image:  # the header and the chunks' checksums; no pixel is decoded
                image.verify()
            return Image.MIME.get(image.format) == content_type
        if content_type in OOXML:
            with zipfile.ZipFile(upload) as package:
                return "[Content_Types].xml" in package.namelist()
        if content_type == "text/plain":
            text = upload.read(64 * 1024)
            if b"\x00" in text:
                return False
            start = text.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
            return not start.startswith(WEB_PAGE)
        return True
    except (UnidentifiedImageError, zipfile.BadZipFile, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    finally:
        upload.seek(0)


def check_uploads(uploads, *, photo: bool) -> list[str]:
    """Every upload of one request checked, and the request's files bounded in number and size."""
    uploads = list(uploads)
    if len(uploads) > MAX_FILES_PER_REQUEST or sum(u.size for u in uploads) > MAX_REQUEST_BYTES:
        return [str(MSG_TOO_MANY % {"most": MAX_FILES_PER_REQUEST, "limit": MAX_REQUEST_BYTES // (1024 * 1024)})]
    problems = []
    for upload in uploads:
        try:
            check_upload(upload, photo=photo)
        except ValidationError as exc:
            problems.extend(exc.messages)
    return problems


class StoredFile(models.Model):
    """The fields of a stored upload: what store_upload writes and StoredFileView serves. A model of
    this kind adds its park and owner, and names its own `file` field (where the files go)."""

    file = models.FileField(_("文件"))
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    is_photo = models.BooleanField(default=False)

    class Meta:
        abstract = True


def store_upload(model, upload, *, photo: bool = False, **fields):
    """Check an upload and save it as a row of `model` (a stored-file model: file, name, content_type,
    size, is_photo); `fields` are the rest of the row (park, owner). The name kept is the file's own,
    without any path, at most 200 characters."""
    content_type, is_photo = check_upload(upload, photo=photo)
    stored = model(name=PurePath(upload.name).name[:200], content_type=content_type, size=upload.size, is_photo=is_photo, **fields)
    stored.file.save(stored.name, upload, save=False)
    stored.save()
    return stored
