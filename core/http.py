"""HTTP helpers shared by the apps' views."""

from urllib.parse import quote

from django.http import Http404, HttpResponse, JsonResponse

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


FIRST_YEAR = 2000  # nothing on the platform is older


def year_param(request, today, name: str = "year") -> int:
    """The year a page is asked for (?year=), this year when none is given. Anything that is not a
    year from 2000 to next year is 404 (the page does not exist), never a 500."""
    raw = request.GET.get(name, "")
    if not raw:
        return today.year
    if not raw.isdigit() or len(raw) != 4 or not FIRST_YEAR <= int(raw) <= today.year + 1:
        raise Http404
    return int(raw)
