"""Helpers shared by the activities and cycle tests: an uploaded photo as a browser sends it."""

from django.core.files.uploadedfile import SimpleUploadedFile

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def photo(name="会议.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")
