"""The cycle's jobs: run_cycle over a whole year (the counts, no doubles, a resumed run ends as a
clean one) and the compliance reminders."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from activities.models import ActivityKind
from activities.selectors import compliance_gaps
from core.tenancy.scoping import park_scope
from cycle import jobs as cycle
from cycle.models import (
    AnnualReview,
    HalfYearSummary,
    InspectionRound,
    MonthlyMeeting,
    Notification,
)
from orgs.models import Park
from tests.activities.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def run(*args) -> dict[str, int]:
    out = StringIO()
    call_command("run_cycle", *args, stdout=out)
    lines = out.getvalue().strip().splitlines()
    return {line.split(":")[0]: int(line.rsplit(" ", 1)[1]) for line in lines}


def counts(park, year=2027):
    with scopes_disabled():
        return [
            MonthlyMeeting.objects.filter(park=park, month__year=year).count(),
            InspectionRound.objects.filter(park=park, year=year).count(),
            HalfYearSummary.objects.filter(park=park, year=year).count(),
            AnnualReview.objects.filter(park=park, year=year).count(),
        ]


def test_a_year_of_the_demo_parks_makes_the_rhythm_and_a_second_run_nothing(demo):
    first = run("--from", "2027-01-01", "--to", "2027-12-31")
    assert (first["monthly_meeting"], first["inspection_round"], first["half_year_summary"], first["annual_review"]) == (24, 8, 2, 2)
    assert first["compliance_reminders"] > 0  # the demo's meetings stop at the day it was seeded
    with scopes_disabled():
        for park in Park.objects.all():
            assert counts(park) == [12, 4, 1, 1]
            rounds = InspectionRound.objects.filter(park=park, year=2027).order_by("quarter")
            assert [(r.quarter, r.opens_on) for r in rounds] == [(q, date(2027, 3 * q, 1)) for q in range(1, 5)]
        notifications = Notification.objects.count()
    # Run again over the days that create or remind (the firsts of the months, the half-year, the
    # rounds, the annual review, the reminders before the quarter and the year end): nothing new.
    # (A resumed run over overlapping ranges is test_catching_up_in_pieces_ends_as_one_clean_run.)
    again = run("--from", "2027-11-15", "--to", "2027-12-31")
    for day in ("2027-01-01", "2027-03-01", "2027-03-21", "2027-06-01", "2027-06-20", "2027-09-01"):
        assert set(run("--date", day).values()) == {0}, day
    assert set(again.values()) == {0}
    assert list(again) == list(cycle.JOBS)
    with scopes_disabled():
        assert Notification.objects.count() == notifications


def test_catching_up_in_pieces_ends_as_one_clean_run(world, other):
    run("--from", "2027-04-20", "--to", "2027-06-05")  # stopped in June…
    run("--date", "2027-05-01")  # …a day run twice…
    run("--from", "2027-06-01", "--to", "2027-07-31")  # …and caught up, overlapping
    # May, June and July's meetings, the second quarter's round and the half-year summary, once each
    assert counts(world.park) == counts(other.park) == [3, 1, 1, 0]


def test_one_park_only(world, other):
    created = run("--date", "2027-06-01", "--park", world.park.code)
    assert (created["monthly_meeting"], created["inspection_round"], created["half_year_summary"]) == (1, 1, 1)
    assert counts(other.park) == [0, 0, 0, 0]


@pytest.mark.parametrize(
    "args",
    [[], ["--from", "2027-01-01"], ["--from", "2027-02-01", "--to", "2027-01-01"], ["--date", "2027-01-01", "--from", "2027-01-01"]],
)
def test_bad_arguments_are_refused(world, args):
    with pytest.raises(CommandError):
        call_command("run_cycle", *args, stdout=StringIO())


def test_a_job_killed_halfway_leaves_nothing_and_a_rerun_completes(world, monkeypatch):
    """Each job runs in its own transaction: a crash rolls it back, and running again finishes it."""
    original = cycle.job_inspection_round

    def crash(park, day):
        original(park, day)
        raise RuntimeError("worker killed")

    monkeypatch.setitem(cycle.JOBS, "inspection_round", crash)
    with park_scope(world.park), pytest.raises(RuntimeError):
        cycle.run_jobs(world.park, date(2027, 3, 1))
    with scopes_disabled():
        assert InspectionRound.objects.count() == 0  # rolled back with its job
        assert MonthlyMeeting.objects.count() == 1  # the job before it had committed
    monkeypatch.setitem(cycle.JOBS, "inspection_round", original)
    run("--date", "2027-03-01")
    assert counts(world.park) == [1, 1, 0, 0]


def test_reminder_ten_days_before_the_period_ends_once(world, client, django_assert_num_queries):
    ActivityFactory(branch=world.branch, kind=ActivityKind.COMMITTEE, held_on=date(2027, 6, 2), topic="学习")
    with park_scope(world.park):
        with django_assert_num_queries(1):  # 11 days before: no period ends in ten days, so only the settings are read
            assert cycle.job_compliance_reminders(world.park, date(2027, 6, 19)) == 0
        created = cycle.job_compliance_reminders(world.park, date(2027, 6, 20))
        again = cycle.job_compliance_reminders(world.park, date(2027, 6, 20))
    assert again == 0
    with scopes_disabled():
        mine = sorted(Notification.objects.filter(user=world.secretary).values_list("message", flat=True))
        admin = list(Notification.objects.filter(user=world.admin).values_list("message", flat=True))
    # June's committee was held; the quarter's assembly and lecture and June's theme day were not
    # (no 党小组 in this branch, so no 党小组会 is owed)
    assert len(mine) == 3 and created == 3 + len(admin)
    assert any("2027年第2季度尚未召开支部党员大会" in m for m in mine)
    assert not any("支委会" in m for m in mine)
    assert admin and all("未按要求召开" in m for m in admin)
    client.force_login(world.secretary)
    page = client.get(f"/p/{world.park.code}/orgs/{world.branch.pk}/").content.decode()  # the secretary's start page
    assert "待办提醒" in page and "尚未召开支部党员大会" in page


def test_dissolved_branches_are_not_reminded(world):
    world.branch.dissolved_on = date(2027, 1, 1)
    world.branch.save()
    with park_scope(world.park):
        assert cycle.job_compliance_reminders(world.park, date(2027, 6, 20)) == 0
        assert [g for g in compliance_gaps(world.park, date(2027, 6, 20)) if g.branch == world.branch] == []
