"""In-app reminders (and e-mail when EMAIL_URL is set): who is told, and telling them once."""

from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import RoleAssignment
from audit.services import audit_record
from core.roles import Role
from cycle.models import Notification


def secretaries_of(park) -> dict[int, list[int]]:
    """organisation id → user ids of its branch secretaries.

    The roles table decides the tenancy scope, so it is read with scopes disabled (its one rule).
    """
    with scopes_disabled():
        rows = RoleAssignment.objects.filter(park=park, role=Role.BRANCH_SECRETARY).values_list("organisation_id", "user_id")
    found = defaultdict(list)
    for organisation_id, user_id in rows:
        found[organisation_id].append(user_id)
    return found


def admins_of(park) -> list[int]:
    with scopes_disabled():
        return list(RoleAssignment.objects.filter(park=park, role=Role.PARK_ADMIN).values_list("user_id", flat=True))


def notify(park, entries: list[tuple[int, str, str, str]]) -> int:
    """Create the (user, key, message, link) reminders not sent before; returns how many are new.

    New ones also go by e-mail when the platform has e-mail configured (EMAIL_URL), after commit.
    """
    if not entries:
        return 0
    keys = {key for _, key, _, _ in entries}
    sent = set(Notification.objects.filter(park=park, key__in=keys).values_list("user_id", "key"))
    new, seen = [], set()
    for user, key, message, link in entries:
        if (user, key) not in sent and (user, key) not in seen:
            seen.add((user, key))
            new.append(Notification(park=park, user_id=user, key=key, message=message, link=link))
    # A job running at the same moment may have sent some: the unique constraint keeps one of each.
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    if new and settings.REMINDER_EMAILS:
        transaction.on_commit(lambda: _email(new))
    return len(new)


def _email(notifications: list[Notification]) -> None:
    addresses = dict(
        get_user_model().objects.filter(pk__in={n.user_id for n in notifications}).exclude(email="").values_list("pk", "email")
    )
    send_mass_mail(
        [("【红帆】待办提醒", n.message, None, [addresses[n.user_id]]) for n in notifications if n.user_id in addresses],
        fail_silently=True,  # the in-app list is the record; a mail outage must not fail the job
    )


@transaction.atomic
def notifications_mark_read(*, park, user) -> int:
    """Mark every unread reminder of this user in this park as read."""
    count = Notification.objects.filter(park=park, user=user, read_at__isnull=True).update(read_at=timezone.now())
    if count:
        audit_record(park=park, actor=user, action="notification.read", target=park, changes={"read": [None, count]})
    return count
