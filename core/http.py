"""HTTP helpers shared by the apps' views."""

from urllib.parse import quote

from django.http import HttpResponse, JsonResponse

# Methods that only read: the read-only roles and tokens may use these and no other.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Every URL of the API starts with this; its refusals are JSON, never an HTML page or a redirect.
API_PREFIX = "/api/"


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """A Content-Disposition header that keeps a Chinese filename intact in every browser."""
    return f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{quote(filename)}"


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def json_error(status: int, detail: str, **headers) -> JsonResponse:
    """An API refusal as DRF words its own: {"detail": "…"} with the status."""
    response = JsonResponse({"detail": str(detail)}, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response
