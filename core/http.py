"""HTTP helpers shared by the apps' views."""

from urllib.parse import quote

from django.http import HttpResponse


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """A Content-Disposition header that keeps a Chinese filename intact in every browser."""
    return f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{quote(filename)}"


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    return response
