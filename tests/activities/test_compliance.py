"""Compliance: which required meetings each branch held, gaps, reminders, and a constant query count."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from activities import selectors
from activities.models import Activity, CycleSettings
from cycle.models import Notification
from core.tenancy.scoping import park_scope
from activities.selectors import compliance_gaps
from cycle import jobs as cycle
from tests.orgs.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
TODAY = date(2027, 5, 20)


def held(branch, kind, day):
    return Activity.objects.create(park=branch.park, branch=branch, kind=kind, held_on=day, topic="学习")


def test_matrix_for_a_quarter(world):
    other_branch = OrganisationFactory(park=world.park, parent=world.work_committee, formation="fallback", name="乙支部")
    held(world.branch, "committee", date(2027, 4, 8))
    held(world.branch, "committee", date(2027, 4, 22))
    held(world.branch, "assembly", date(2027, 5, 6))
    held(other_branch, "theme_day", date(2027, 6, 1))  # June: not yet due on 20 May, but counted
    with park_scope(world.park):
        columns, rows = selectors.compliance_matrix(park=world.park, year=2027, quarter=2, today=TODAY)
    labels = [c.label for c in columns]
    assert labels[:4] == ["支部党员大会（本季度）", "支委会（4月）", "支委会（5月）", "支委会（6月）"]
    table = {branch.name: {c.label: cell for c, cell in zip(columns, cells)} for branch, cells in rows}
    mine = table[world.branch.name]
    assert (mine["支委会（4月）"].held, mine["支委会（5月）"].gap, mine["支委会（6月）"].gap) == (2, True, False)
    assert (mine["支部党员大会（本季度）"].held, mine["党课（本季度）"].gap) == (1, True)
    assert table["乙支部"]["主题党日（6月）"].held == 1
    assert set(table) == {world.branch.name, "乙支部"}  # the work committee is not a branch


def test_frequencies_are_park_settings(world):
    CycleSettings.objects.create(park=world.park, committee_period="quarter")
    with park_scope(world.park):
        columns, _ = selectors.compliance_matrix(park=world.park, year=2027, quarter=2, today=TODAY)
    assert "支委会（本季度）" in [c.label for c in columns]


def test_query_count_does_not_grow_with_branches(world):
    def measure():
        with park_scope(world.park), CaptureQueriesContext(connection) as ctx:
            selectors.compliance_matrix(park=world.park, year=2027, quarter=2, today=TODAY)
        return len(ctx.captured_queries)

    small = measure()
    for n in range(30):
        branch = OrganisationFactory(park=world.park, parent=world.work_committee, formation="fallback")
        held(branch, "committee", date(2027, 4, 1 + n % 28))
    assert measure() == small == 4


def test_reminder_ten_days_before_the_period_ends_once(world, client):
    held(world.branch, "committee", date(2027, 6, 2))
    with park_scope(world.park):
        assert cycle.job_compliance_reminders(world.park, date(2027, 6, 19)) == 0  # 11 days before
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


def test_admin_sees_the_due_soon_list(client, world):
    client.force_login(world.admin)
    response = client.get(f"/p/{world.park.code}/compliance/")  # this quarter: nothing held yet
    assert response.status_code == 200
    assert response.context["gaps"] > 0
    assert "未开" in response.content.decode()


def test_group_meetings_are_owed_only_by_branches_with_groups(world):
    with park_scope(world.park):
        kinds = {g.kind for g in compliance_gaps(world.park, TODAY) if g.branch == world.branch}
        assert "group" not in kinds
        OrganisationFactory(park=world.park, parent=world.branch, kind="group", formation="", name="第一党小组")
        kinds = {g.kind for g in compliance_gaps(world.park, TODAY) if g.branch == world.branch}
        assert "group" in kinds
        columns, rows = selectors.compliance_matrix(park=world.park, year=2027, quarter=2, today=TODAY)
    cells = dict(zip([c.label for c in columns], rows[0][1]))
    assert cells["党小组会（4月）"].required and cells["党小组会（4月）"].gap
