"""Helpers shared by the activities and cycle tests: an uploaded photo as a browser sends it."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(buffer, "PNG")  # a real picture: the upload checker decodes it
    return buffer.getvalue()


PNG = _png()


def photo(name="会议.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")
