"""Attendance that fits the meeting (应到 by kind, nothing pre-ticked, 应到 / 实到 / 缺席) and the
组织生活 list filtered by branch, kind and period, its queries bounded by the period and the page."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from activities.models import Activity, ActivityKind
from members.models import Member
from orgs.models import Organisation
from tests.activities.factories import (
    ActivityFactory,
    AttachmentFactory,
    AttendanceFactory,
)
from tests.members.factories import MemberFactory, PostTermFactory
from tests.orgs.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def create_url(world, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("activities:create", args=[world.park.code]) + (f"?{query}" if query else "")


@pytest.fixture
def roster(world):
    """A branch of five: a secretary and a 委员 (the committee), two members and an activist, and
    someone transferred out."""
    make = lambda name, **kw: MemberFactory(park=world.park, branch=world.branch, name=name, **kw)  # noqa: E731
    return {
        "secretary": make("书记甲", post=Member.Post.SECRETARY),
        "committee": make("委员乙", post=Member.Post.COMMITTEE),
        "member": make("党员丙"),
        "probationary": make("预备丁", stage=Member.Stage.PROBATIONARY),
        "activist": make("积极分子戊", stage=Member.Stage.ACTIVIST, joined_on=None, full_on=None),
        "gone": make("转出己", status=Member.Status.TRANSFERRED_OUT),
    }


def offered(response):
    return [row["member"].name for row in response.context["rows"]]


class TestOffered:
    def test_a_committee_meeting_offers_the_committee_and_nothing_is_ticked(self, client, world, roster):
        client.force_login(world.secretary)
        response = client.get(create_url(world, kind="committee"))
        assert sorted(offered(response)) == sorted(["书记甲", "委员乙"])
        assert all(row["mark"] == "" for row in response.context["rows"])
        assert "checked" not in response.content.decode()
        assert "应到：支部委员会成员" in response.content.decode()

    def test_a_post_held_on_the_day_counts_for_a_committee_meeting(self, client, world, roster):
        PostTermFactory(member=roster["member"], post=Member.Post.DEPUTY, started_on=date(2020, 1, 1))
        client.force_login(world.secretary)
        assert sorted(offered(client.get(create_url(world, kind="committee")))) == sorted(["书记甲", "党员丙", "委员乙"])

    @pytest.mark.parametrize("kind", ["assembly", "lecture", "theme_day"])
    def test_the_other_kinds_offer_the_branchs_party_members_on_the_roll(self, client, world, roster, kind):
        client.force_login(world.admin)
        assert sorted(offered(client.get(create_url(world, kind=kind, branch=world.branch.pk)))) == sorted(["书记甲", "党员丙", "预备丁", "委员乙"])

    def test_no_group_meeting_without_a_group(self, client, world, roster):
        client.force_login(world.secretary)
        response = client.get(create_url(world, kind="group"))
        assert "group" not in dict(response.context["kinds"])
        refused = client.post(create_url(world), {"kind": "group", "branch": world.branch.pk, "held_on": "2026-11-02", "topic": "党小组学习",
                                                  **{f"attend_{m.pk}": "present" for m in roster.values()}})
        assert refused.status_code == 200
        assert f"“{world.branch.name}”没有党小组，不能登记党小组会。" in refused.content.decode()
        with scopes_disabled():
            assert not Activity.objects.exists()

    def test_a_group_meeting_lets_the_others_be_left_out(self, client, world, roster):
        OrganisationFactory(park=world.park, parent=world.branch, kind=Organisation.Kind.GROUP, formation="")
        client.force_login(world.secretary)
        response = client.get(create_url(world, kind="group"))
        assert "group" in dict(response.context["kinds"])
        assert all(row["may_leave_out"] for row in response.context["rows"])
        data = {"kind": "group", "branch": world.branch.pk, "held_on": str(timezone.localdate()), "topic": "党小组学习",
                f"attend_{roster['secretary'].pk}": "present", f"attend_{roster['member'].pk}": "absent", f"reason_{roster['member'].pk}": "出差",
                f"attend_{roster['committee'].pk}": "out", f"attend_{roster['probationary'].pk}": "out"}
        assert client.post(create_url(world), data).status_code == 302
        with scopes_disabled():
            activity = Activity.objects.get()
            assert set(activity.attendance.values_list("member__name", "present")) == {("党员丙", False), ("书记甲", True)}


class TestRecord:
    def test_every_member_offered_is_marked(self, client, world, roster):
        client.force_login(world.secretary)
        data = {"kind": "committee", "branch": world.branch.pk, "held_on": str(timezone.localdate()), "topic": "支委会",
                f"attend_{roster['secretary'].pk}": "present"}
        response = client.post(create_url(world), data)
        assert response.status_code == 200
        assert "请标记“委员乙”出席还是缺席。" in response.content.decode()
        with scopes_disabled():
            assert not Activity.objects.exists()

    def test_the_record_shows_expected_present_and_absent(self, client, world, roster):
        client.force_login(world.secretary)
        data = {"kind": "assembly", "branch": world.branch.pk, "held_on": str(timezone.localdate()), "topic": "支部党员大会",
                f"attend_{roster['secretary'].pk}": "present", f"attend_{roster['committee'].pk}": "present",
                f"attend_{roster['member'].pk}": "present", f"attend_{roster['probationary'].pk}": "absent",
                f"reason_{roster['probationary'].pk}": "病假"}
        response = client.post(create_url(world), data)
        assert response.status_code == 302
        detail = client.get(response.url)
        turnout = detail.context["turnout"]
        assert (turnout.expected, turnout.present, turnout.absent) == (4, 3, 1)
        page = detail.content.decode()
        assert "应到 <strong>4</strong> 人，实到 <strong>3</strong> 人，缺席 <strong>1</strong> 人" in page and "病假" in page

    def test_the_edit_page_offers_a_recorded_non_member_of_the_committee_to_be_left_out(self, client, world, roster):
        activity = ActivityFactory(branch=world.branch, kind=ActivityKind.COMMITTEE, held_on=timezone.localdate())
        AttendanceFactory(activity=activity, member=roster["member"])
        client.force_login(world.secretary)
        rows = {row["member"].name: row for row in client.get(reverse("activities:update", args=[world.park.code, activity.pk])).context["rows"]}
        assert sorted(rows) == sorted(["书记甲", "委员乙", "党员丙"]) and list(rows)[-1] == "党员丙"  # the committee, then who the record names
        assert rows["党员丙"]["mark"] == "present" and rows["党员丙"]["may_leave_out"]
        assert rows["书记甲"]["mark"] == "" and not rows["书记甲"]["may_leave_out"]


class TestList:
    def test_filters_by_branch_kind_and_period(self, client, world):
        sibling = OrganisationFactory(park=world.park, parent=world.work_committee, formation=Organisation.Formation.FALLBACK)
        mine = ActivityFactory(branch=world.branch, kind=ActivityKind.THEME_DAY, held_on=date(2026, 3, 5))
        ActivityFactory(branch=world.branch, kind=ActivityKind.COMMITTEE, held_on=date(2026, 3, 6))
        ActivityFactory(branch=world.branch, kind=ActivityKind.THEME_DAY, held_on=date(2025, 3, 5))
        ActivityFactory(branch=sibling, kind=ActivityKind.THEME_DAY, held_on=date(2026, 3, 7))
        client.force_login(world.admin)
        url = reverse("activities:list", args=[world.park.code])

        def listed(**params):
            return [a.pk for a in client.get(url, params).context["activities"]]

        assert listed(period="2026", kind="theme_day", branch=world.branch.pk) == [mine.pk]
        assert len(listed(period="2026Q1")) == 3 and len(listed(period="2026-03")) == 3 and listed(period="2026-04") == []
        assert len(listed(period="2025")) == 1
        assert len(listed()) == 3  # no period chosen: the year of the latest record
        bad = client.get(url, {"period": "2026H3"})
        assert bad.status_code == 200 and "统计期间的格式应为" in bad.content.decode()
        client.force_login(world.secretary)  # their own branch only, whatever they ask for
        assert len(listed(period="2026", branch=sibling.pk)) == 2

    def test_its_queries_do_not_grow_with_the_parks_history(self, client, world):
        client.force_login(world.admin)
        url = reverse("activities:list", args=[world.park.code])

        def queries():
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url, {"period": "2026-03"})
            assert response.status_code == 200
            return response, [q["sql"] for q in ctx.captured_queries]

        for n in range(3):
            activity = ActivityFactory(branch=world.branch, held_on=date(2026, 3, 1 + n))
            AttendanceFactory.create_batch(2, activity=activity)
            AttachmentFactory(activity=activity)
        _, before = queries()
        for n in range(60):  # years of history, and a fuller month
            old = ActivityFactory(branch=world.branch, held_on=date(2019 + n % 7, 1 + n % 12, 10))
            AttendanceFactory.create_batch(3, activity=old)
        for n in range(30):
            ActivityFactory(branch=world.branch, held_on=date(2026, 3, 1 + n % 28))
        response, after = queries()
        assert len(after) == len(before)
        assert response.context["paginator"].count == 33 and len(response.context["activities"]) == 25
        on_activities = [sql for sql in after if 'FROM "activities_activity"' in sql]
        assert on_activities and all('"held_on" >=' in sql and '"held_on" <=' in sql for sql in on_activities)
        on_page = [sql for sql in after if 'FROM "activities_attendance"' in sql or 'FROM "activities_attachment"' in sql]
        assert len(on_page) == 2 and all('"activity_id" IN' in sql for sql in on_page)
        row = list(response.context["activities"])[-1]
        assert (row.expected, row.present, row.absent, row.photos) in {(2, 2, 0, 1), (0, 0, 0, 0)}
