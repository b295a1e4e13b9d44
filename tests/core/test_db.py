"""core.db.plain_rows: the driver's rows, the same values the ORM gives, in the SQL's column order."""

from datetime import UTC, date, datetime

import pytest
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django_scopes import scopes_disabled

from core.db import plain_rows
from cycle.models import MonthlyReport
from members.models import Member
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_plain_rows_are_the_orms_rows_for_counts_and_days(world):
    MemberFactory(park=world.park, branch=world.branch, stage="full", post="secretary")
    MemberFactory(park=world.park, branch=world.branch, stage="full")
    MemberFactory(park=world.park, branch=world.branch, stage="probationary")
    with scopes_disabled():
        counts = (Member.objects.filter(park=world.park).values("branch_id", "stage")
                  .annotate(n=Count("pk"), committee=Count("pk", filter=Q(post="secretary"))).order_by("stage"))
        rows = plain_rows(counts)
        assert rows == [tuple(row.values()) for row in counts]
        assert sorted(rows) == sorted([(world.branch.pk, "full", 2, 1), (world.branch.pk, "probationary", 1, 0)])
        assert all(type(n) is int for *_keys, n, _c in rows)
        reports = MonthlyReport.objects.filter(park=world.park).annotate(on=TruncDate("submitted_at")).values_list("branch_id", "on")
        assert plain_rows(reports) == list(reports)


def test_a_day_comes_back_in_the_platforms_time_zone(world):
    """TruncDate's SQL turns the time into Asia/Shanghai's day; the driver hands back that date."""
    with scopes_disabled():
        report = MonthlyReport.objects.create(park=world.park, branch=world.branch, month=date(2026, 10, 1), activities="学习")
        MonthlyReport.objects.filter(pk=report.pk).update(submitted_at=datetime(2026, 11, 4, 17, 30, tzinfo=UTC))  # 01:30 on the 5th in Beijing
        reports = MonthlyReport.objects.filter(park=world.park).annotate(on=TruncDate("submitted_at")).values_list("on")
        assert plain_rows(reports) == [(date(2026, 11, 5),)] == list(reports)
