"""Operational endpoints."""

from django.db import connection
from django.http import JsonResponse
from django.views import defaults

from core.http import is_api, json_error


def healthz(request):
    """200 when the database answers a query, 503 otherwise (for load balancers and compose)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok"})


# Error handlers (config.urls): API paths answer JSON as DRF does; pages render the Chinese templates.
def _error(status: int, detail: str):
    def handler(request, exception=None):
        if is_api(request):
            return json_error(status, detail)
        return defaults_views[status](request, **({"exception": exception} if status != 500 else {}))
    return handler


defaults_views = {400: defaults.bad_request, 403: defaults.permission_denied, 404: defaults.page_not_found, 500: defaults.server_error}
handler400 = _error(400, "请求有误。")
handler403 = _error(403, "您没有执行该操作的权限。")
handler404 = _error(404, "未找到。")
handler500 = _error(500, "服务器出错，请稍后再试。")
