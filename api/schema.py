"""The OpenAPI contract's shared parts: the bearer scheme and the error answers every operation can
give (documented once here, so no operation's refusals go undocumented)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

from core.http import SAFE_METHODS

Detail = inline_serializer("Detail", {"detail": serializers.CharField(help_text="说明（中文）")})
FieldErrors = inline_serializer(
    "FieldErrors",
    {"non_field_errors": serializers.ListField(child=serializers.CharField(), required=False,
                                               help_text="不属于某一字段的错误；其余键为字段名，值为该字段的错误（中文）")},
)

ERRORS = {
    "401": OpenApiResponse(Detail, description="未登录，或令牌无效、已过期、已撤销。"),
    "403": OpenApiResponse(Detail, description="角色无权执行，或令牌只读。"),
    "404": OpenApiResponse(Detail, description="不存在，或不属于您可见的园区、党组织。"),
    "429": OpenApiResponse(Detail, description="请求过于频繁；响应头 Retry-After 给出等待秒数。"),
}
WRITE_ERRORS = {"400": OpenApiResponse(FieldErrors, description="输入有误：{\"字段\": [\"中文说明\"]}。")}


class HongfanAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        extra = dict(ERRORS)
        if self.method not in SAFE_METHODS or self.get_filter_backends() or self._is_list_view():
            extra.update(WRITE_ERRORS)  # writes, and lists whose filters may be malformed
        for code, response in extra.items():
            bodies.setdefault(code, self._get_response_for_code(response, code, direction=direction))
        return bodies


class BearerScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "令牌：POST /api/v1/auth/token/ 取得，请求头 Authorization: Bearer <令牌>。"}
