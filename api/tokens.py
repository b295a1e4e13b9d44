"""Creating, finding and revoking API tokens.

A key is 'hf_' and 43 random URL-safe characters (256 bits); the table keeps its SHA-256 only, so a
leaked table opens nothing. A plain hash suffices for random keys (no password to guess).
"""

import hashlib
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from accounts.models import RoleAssignment
from api.models import ApiToken
from audit.models import AuditEntry
from audit.services import audit_entry
from core.roles import Role
from core.validators import normalize_text
from orgs.models import Park

log = logging.getLogger(__name__)

KEY_PREFIX = "hf_"
MAX_LIVE_TOKENS = 20  # a user with more has forgotten some: revoke before creating another

MSG_NAME = _("请填写令牌名称（如“手机”“县级系统”）。")
MSG_DAYS = _("有效天数须在 1 至 %(max)s 之间。")
MSG_TOO_MANY = _("有效令牌已达 %(max)s 个，请先撤销不用的令牌。")
MSG_REVOKED = _("该令牌已撤销。")


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_create(*, user, name: str, read_only: bool = False, days: int | None = None) -> tuple[ApiToken, str]:
    """A new token and its key; the key is returned this once and never stored."""
    name = normalize_text(name or "")
    days = settings.HONGFAN_API_TOKEN_DAYS if days is None else days
    errors = {}
    if not name:
        errors["name"] = [str(MSG_NAME)]
    if not 1 <= days <= settings.HONGFAN_API_TOKEN_MAX_DAYS:
        errors["days"] = [str(MSG_DAYS % {"max": settings.HONGFAN_API_TOKEN_MAX_DAYS})]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        live = ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now())
        if len(live) >= MAX_LIVE_TOKENS:
            raise ValidationError({"__all__": [str(MSG_TOO_MANY % {"max": MAX_LIVE_TOKENS})]})
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(
            user=user, name=name[:60], key_hash=_digest(key), prefix=key[:10], read_only=read_only,
            expires_at=timezone.now() + timedelta(days=days),
        )
    log.info("api token %s created for user %s (read_only=%s, %s days)", token.pk, user.pk, read_only, days)
    _audit(token, actor=user, action="api.token_create",
           changes={"name": [None, token.name], "read_only": [None, read_only], "expires_at": [None, token.expires_at.date().isoformat()]})
    return token, key


def _audit(token: ApiToken, *, actor, action: str, changes: dict) -> None:
    """A token opens the API on every park its user works in: each of those parks' audit log gets
    the entry (the log is kept per park; a token belongs to a user, not a park)."""
    with scopes_disabled():
        roles = RoleAssignment.objects.filter(user_id=token.user_id)
        parks = Park.objects.filter(Q(pk__in=roles.filter(park__isnull=False).values("park_id"))
                                    | Q(county__in=roles.filter(role=Role.COUNTY_VIEWER).values("county_id"))).order_by("pk")
        AuditEntry.objects.bulk_create([audit_entry(park=park, actor=actor, action=action, target=token, changes=changes) for park in parks])


def token_for_key(key: str) -> ApiToken | None:
    """The live token of an active user with this key, or None (unknown, expired, revoked, user off)."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_digest(key)).first()
    if token is None or not token.is_live or not token.user.is_active:
        return None
    return token


def token_revoke(*, token: ApiToken, actor) -> ApiToken:
    if token.revoked_at is not None:
        raise ValidationError({"__all__": [str(MSG_REVOKED)]})
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    log.info("api token %s revoked by user %s", token.pk, actor.pk)
    _audit(token, actor=actor, action="api.token_revoke", changes={"revoked_at": [None, token.revoked_at.isoformat()]})
    return token
