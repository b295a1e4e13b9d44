"""A park admin's hold on the accounts of their park: unlock after a sign-in lockout, deactivate and
reactivate. Each is audited; a deactivated account's sessions stop at its next request, because the
authentication backend refuses an inactive user (ModelBackend.user_can_authenticate)."""

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import RoleAssignment, User
from audit.services import audit_record

MSG_NOT_SELF = _("不能停用自己的账号。")
MSG_OTHER_PARKS = _("%(name)s在其他园区或县里也有角色，请联系平台管理员停用。")


def failures_of(usernames) -> dict[str, int]:
    """username → wrong passwords counted within the cool-down (django-axes keeps older attempts until
    the next sign-in clears them); locked at settings.AXES_FAILURE_LIMIT."""
    found: dict[str, int] = {}
    recent = AccessAttempt.objects.filter(username__in=list(usernames), attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    for username, failures in recent.values_list("username", "failures_since_start"):
        found[username] = found.get(username, 0) + failures
    return found


def is_locked(failures: int) -> bool:
    return failures >= settings.AXES_FAILURE_LIMIT


@transaction.atomic
def user_unlock(*, park, actor, user: User) -> int:
    """Clear the account's failed sign-ins, so it may sign in again before the cool-down ends."""
    cleared = reset(username=user.username)
    audit_record(park=park, actor=actor, action="account.unlock", target=user, changes={"attempts_cleared": [None, cleared]})
    return cleared


@transaction.atomic
def user_set_active(*, park, actor, user: User, active: bool) -> User:
    """Deactivate (or reactivate) an account that holds roles in this park only; its sessions end."""
    if user.pk == actor.pk and not active:
        raise ValidationError(MSG_NOT_SELF)
    if RoleAssignment.objects.filter(user=user).exclude(park=park).exists():
        raise ValidationError(MSG_OTHER_PARKS % {"name": user})
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(park=park, actor=actor, action="account.activate" if active else "account.deactivate", target=user,
                 changes={"is_active": [not active, active]})
    return user

