"""Notifications: reminders go out by e-mail too when the platform is configured to send it."""

from datetime import date

import pytest

from core.tenancy.scoping import park_scope
from cycle import jobs as cycle

pytestmark = pytest.mark.django_db


def test_reminders_are_emailed_when_email_is_configured(world, settings, django_capture_on_commit_callbacks, mailoutbox):
    settings.REMINDER_EMAILS = True
    world.secretary.email = "secretary@example.com"
    world.secretary.save()
    with park_scope(world.park), django_capture_on_commit_callbacks(execute=True):
        cycle.job_compliance_reminders(world.park, date(2027, 6, 20))
    assert [m.to for m in mailoutbox] == [["secretary@example.com"]] * len(mailoutbox) and mailoutbox
    assert "尚未召开" in mailoutbox[0].body
