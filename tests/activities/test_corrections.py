"""Correcting and deleting a 三会一课 record: the park's window, who may, the audit trail, and
what hangs off a record (attendance, points credited for it, attachments)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from activities import services
from activities.models import (
    Activity,
    ActivityKind,
    Attachment,
    Attendance,
    CycleSettings,
)
from activities.rules import editable_until
from audit.models import AuditEntry
from core.roles import Role
from core.tenancy.scoping import park_scope
from cycle.services import cycle_settings_update
from orgs.models import Organisation
from points.models import PointBalance, PointEntry
from points.services import balance_of, redeem
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.activities.factories import ActivityFactory
from tests.activities.helpers import photo
from tests.members.factories import MemberFactory
from tests.orgs.factories import OrganisationFactory
from tests.points.factories import StoreItemFactory

pytestmark = pytest.mark.django_db

HELD = date(2026, 11, 2)
OPEN = date(2026, 12, 31)  # the default window: the end of the month after the meeting's
CLOSED = date(2027, 1, 1)


def members(world, n=3, **kwargs):
    return [MemberFactory(park=world.park, branch=world.branch, **kwargs) for _ in range(n)]


def record(world, held_on=HELD, **kwargs):
    values = dict(park=world.park, actor=world.secretary, branch=world.branch, kind=ActivityKind.THEME_DAY, held_on=held_on,
                  topic="主题党日：学习党章", today=held_on)
    values.update(kwargs)
    return services.activity_record(**values)


def update(world, activity, today=OPEN, actor=None, **kwargs):
    values = dict(park=world.park, actor=actor or world.secretary, activity=activity, kind=activity.kind, held_on=activity.held_on,
                  topic=activity.topic, place=activity.place, host=activity.host, minutes=activity.minutes, today=today)
    values.update(kwargs)
    return services.activity_update(**values)


class TestWindow:
    @pytest.mark.parametrize("months, until", [(0, date(2026, 11, 30)), (1, date(2026, 12, 31)), (2, date(2027, 1, 31)), (3, date(2027, 2, 28))])
    def test_until_the_end_of_the_nth_month_after(self, months, until):
        assert editable_until(CycleSettings(activity_edit_months=months), date(2026, 11, 30)) == until

    def test_the_setting_is_edited_with_the_cycle_settings_and_bounded(self, client, world):
        client.force_login(world.admin)
        page = client.get(reverse("cycle:cycle", args=[world.park.code]))
        assert "组织生活记录可修改期限" in page.content.decode()
        with park_scope(world.park):
            with pytest.raises(ValidationError) as exc:
                cycle_settings_update(park=world.park, actor=world.admin, activity_edit_months=13)
            assert exc.value.message_dict == {"activity_edit_months": ["组织生活记录可修改期限应为0到12个月。"]}
            cycle_settings_update(park=world.park, actor=world.admin, activity_edit_months=0)
            assert CycleSettings.objects.get(park=world.park).activity_edit_months == 0

    def test_closed_window_refuses_edit_and_delete_with_the_date(self, world, in_park):
        activity = record(world)
        with pytest.raises(ValidationError) as exc:
            update(world, activity, today=CLOSED, topic="改")
        assert exc.value.messages == ["这条记录只能在2026年12月31日前修改或删除，现已过期，不能再修改或删除。"]
        with pytest.raises(ValidationError):
            services.activity_delete(park=world.park, actor=world.admin, activity=activity, reason="重复登记", today=CLOSED)
        assert Activity.objects.get(pk=activity.pk).topic == "主题党日：学习党章"

    def test_a_park_with_a_shorter_window(self, world, in_park):
        CycleSettings.objects.create(park=world.park, activity_edit_months=0)
        activity = record(world)
        with pytest.raises(ValidationError) as exc:
            update(world, activity, today=date(2026, 12, 1), topic="改")
        assert "2026年11月30日" in exc.value.messages[0]

    def test_a_record_cannot_be_moved_into_a_closed_month(self, world, in_park):
        activity = record(world)
        with pytest.raises(ValidationError) as exc:
            update(world, activity, held_on=date(2026, 9, 30))
        assert exc.value.message_dict["held_on"] == ["日期不能改到2026年9月30日：该日期的记录只能在2026年10月31日前修改，已过期。"]


class TestUpdate:
    def test_fields_and_attendance_change_with_points_reversed_not_edited_and_an_audit_entry(self, world, in_park):
        a, b, c = members(world)
        activity = record(world, attendees=[a, b], absentees={c: "出差"})
        assert [balance_of(park=world.park, member=m) for m in (a, b, c)] == [2, 2, 0]
        update(world, activity, topic="主题党日：学习新党章", place="党员活动室", attendees=[a, c], absentees={b: "病假"})
        activity.refresh_from_db()
        assert (activity.topic, activity.place) == ("主题党日：学习新党章", "党员活动室")
        marks = {r.member_id: (r.present, r.absence_reason) for r in Attendance.objects.filter(activity=activity)}
        assert marks == {a.pk: (True, ""), b.pk: (False, "病假"), c.pk: (True, "")}
        assert [balance_of(park=world.park, member=m) for m in (a, b, c)] == [2, 0, 2]
        # b's entry is still there, reversed by a new one naming it
        entries = PointEntry.objects.filter(member=b).order_by("pk")
        assert [(e.points, e.reverses_id) for e in entries] == [(2, None), (-2, entries[0].pk)]
        assert entries[1].reason.startswith("撤回：参加主题党日")
        entry = AuditEntry.objects.get(action="activity.update")
        assert entry.actor == world.secretary
        assert entry.changes["topic"] == ["主题党日：学习党章", "主题党日：学习新党章"]
        assert entry.changes["attendance"] == [[f"{b.name}：出席", f"{c.name}：缺席（出差）"], [f"{b.name}：缺席（病假）", f"{c.name}：出席"]]
        assert entry.changes["points_reversed"] == [None, 1]

    def test_marked_present_again_earns_again_once(self, world, in_park):
        (a,) = members(world, 1)
        activity = record(world, attendees=[a])
        update(world, activity, attendees=[], absentees={a: "出差"})
        update(world, activity, attendees=[a], absentees={})
        assert balance_of(park=world.park, member=a) == 2
        assert sorted(PointEntry.objects.filter(member=a).values_list("points", flat=True)) == [-2, 2, 2]

    def test_moving_to_another_month_moves_the_points(self, world, in_park):
        (a,) = members(world, 1)
        activity = record(world, attendees=[a])
        update(world, activity, held_on=date(2026, 12, 1), attendees=[a], today=date(2026, 12, 2))
        months = {(e.month, e.points) for e in PointEntry.objects.filter(member=a)}
        assert months == {(date(2026, 11, 1), 2), (date(2026, 11, 1), -2), (date(2026, 12, 1), 2)}
        assert balance_of(park=world.park, member=a) == 2

    def test_a_member_who_has_since_moved_may_stay_on_the_record(self, world, in_park):
        (a,) = members(world, 1)
        activity = record(world, attendees=[a])
        a.branch = OrganisationFactory(park=world.park, parent=world.work_committee, formation=Organisation.Formation.FALLBACK)
        a.save()
        update(world, activity, topic="改过", attendees=[a])
        assert Attendance.objects.get(activity=activity).member_id == a.pk

    def test_unchanged_writes_no_audit_entry(self, world, in_park):
        (a,) = members(world, 1)
        activity = record(world, attendees=[a])
        update(world, activity, attendees=[a])
        assert not AuditEntry.objects.filter(action="activity.update").exists()

    def test_attachments_added_and_removed(self, world, in_park, django_capture_on_commit_callbacks):
        activity = record(world, photos=[photo("一.png")])
        old = Attachment.objects.get(activity=activity)
        name = old.file.name
        with django_capture_on_commit_callbacks(execute=True):
            update(world, activity, photos=[photo("二.png")], remove_attachments=[old.pk])
        assert list(Attachment.objects.filter(activity=activity).values_list("name", flat=True)) == ["二.png"]
        assert not default_storage.exists(name)
        changes = AuditEntry.objects.get(action="activity.update").changes
        assert changes["attachments_removed"] == [["一.png"], None] and changes["attachments_added"] == [None, ["二.png"]]

    def test_another_records_attachment_cannot_be_removed(self, world, in_park):
        activity, other = record(world), record(world, photos=[photo()])
        with pytest.raises(ValidationError) as exc:
            update(world, activity, remove_attachments=[Attachment.objects.get(activity=other).pk])
        assert exc.value.message_dict["photos"] == ["要删除的附件不属于这条记录。"]


class TestDelete:
    def test_a_reason_is_required(self, world, in_park):
        activity = record(world)
        for reason in ("", "   "):
            with pytest.raises(ValidationError) as exc:
                services.activity_delete(park=world.park, actor=world.admin, activity=activity, reason=reason, today=OPEN)
            assert exc.value.message_dict == {"reason": ["请填写删除原因。"]}
        assert Activity.objects.filter(pk=activity.pk).exists()

    def test_deleting_reverses_points_and_removes_attendance_and_files(self, world, in_park, django_capture_on_commit_callbacks):
        a, b = members(world, 2)
        activity = record(world, attendees=[a], absentees={b: "出差"}, photos=[photo()])
        stored = Attachment.objects.get(activity=activity).file.name
        with django_capture_on_commit_callbacks(execute=True):
            services.activity_delete(park=world.park, actor=world.admin, activity=activity, reason="重复登记", today=OPEN)
        assert not Activity.objects.filter(pk=activity.pk).exists()
        assert not Attendance.objects.exists() and not Attachment.objects.exists()
        assert not default_storage.exists(stored)
        assert sorted(PointEntry.objects.filter(member=a).values_list("points", flat=True)) == [-2, 2]
        assert balance_of(park=world.park, member=a) == 0
        entry = AuditEntry.objects.get(action="activity.delete")
        assert entry.target_id == activity.pk and entry.actor == world.admin
        assert entry.changes["reason"] == [None, "重复登记"]
        assert entry.changes["attendance"] == [[f"{a.name}：出席", f"{b.name}：缺席（出差）"], None]
        assert entry.changes["points_reversed"] == [None, 1]

    def test_points_already_spent_stop_the_deletion(self, world, in_park):
        (a,) = members(world, 1)
        activity = record(world, attendees=[a])
        redeem(park=world.park, actor=world.admin, member=a, item=StoreItemFactory(park=world.park, cost=2, stock=1))
        with pytest.raises(ValidationError) as exc:
            services.activity_delete(park=world.park, actor=world.admin, activity=activity, reason="重复登记", today=OPEN)
        assert exc.value.messages == [f"“{a.name}”的积分余额为0分，不足以撤回参加会议所得的2分（积分已在积分超市兑换）。"]
        assert Activity.objects.filter(pk=activity.pk).exists()
        assert PointEntry.objects.count() == 1 and PointBalance.objects.get(member=a).balance == 0


class TestKinds:
    def test_a_group_meeting_needs_a_group(self, world, in_park):
        with pytest.raises(ValidationError) as exc:
            record(world, kind=ActivityKind.GROUP)
        assert exc.value.message_dict["kind"] == [f"“{world.branch.name}”没有党小组，不能登记党小组会。"]
        OrganisationFactory(park=world.park, parent=world.branch, kind=Organisation.Kind.GROUP, formation="")
        assert record(world, kind=ActivityKind.GROUP).kind == ActivityKind.GROUP

    def test_a_correction_cannot_make_it_a_group_meeting_without_a_group(self, world, in_park):
        activity = record(world)
        with pytest.raises(ValidationError) as exc:
            update(world, activity, kind=ActivityKind.GROUP)
        assert exc.value.message_dict["kind"] == [f"“{world.branch.name}”没有党小组，不能登记党小组会。"]

    def test_an_unknown_kind_is_refused(self, world, in_park):
        with pytest.raises(ValidationError) as exc:
            record(world, kind="party")
        assert exc.value.message_dict["kind"] == ["请选择组织生活类型。"]


# --- Pages ---------------------------------------------------------------------------------------
def today():
    return timezone.localdate()


def page(name, world, activity):
    return reverse(f"activities:{name}", args=[world.park.code, activity.pk])


def form_data(activity, **marks):
    data = {"kind": activity.kind, "held_on": activity.held_on.isoformat(), "topic": activity.topic, "place": "", "minutes": ""}
    for member, mark in marks.items():
        data[f"attend_{member}"] = mark
    return data


def other_branch_secretary(world):
    branch = OrganisationFactory(park=world.park, parent=world.work_committee, formation=Organisation.Formation.FALLBACK)
    user = UserFactory(username="second_secretary")
    RoleAssignmentFactory(user=user, role=Role.BRANCH_SECRETARY, county=world.park.county, park=world.park, organisation=branch)
    return user


class TestPages:
    def test_secretary_and_admin_edit_within_the_window(self, client, world):
        activity = ActivityFactory(branch=world.branch, held_on=today(), kind=ActivityKind.THEME_DAY, topic="原主题")
        for user, topic in ((world.secretary, "书记改"), (world.admin, "党建办改")):
            client.force_login(user)
            assert client.get(page("detail", world, activity)).context["can_edit"] is True
            response = client.post(page("update", world, activity), {**form_data(activity), "topic": topic})
            assert response.status_code == 302, response.context["form"].errors if response.context else response
            with scopes_disabled():
                assert Activity.objects.get(pk=activity.pk).topic == topic
        with scopes_disabled():
            assert AuditEntry.objects.filter(action="activity.update", target_id=activity.pk).count() == 2

    def test_after_the_window_the_record_is_read_only_with_the_date(self, client, world):
        held = today().replace(day=1) - timedelta(days=40)  # two months back at least: past the default window
        activity = ActivityFactory(branch=world.branch, held_on=held, kind=ActivityKind.THEME_DAY, topic="原主题")
        client.force_login(world.secretary)
        detail = client.get(page("detail", world, activity))
        until = detail.context["until"]
        assert detail.context["can_edit"] is False and "现已过期，只能查看" in detail.content.decode()
        edit = client.get(page("update", world, activity))
        assert f"这条记录只能在{until.year}年{until.month}月{until.day}日前修改" in edit.content.decode()
        client.post(page("update", world, activity), {**form_data(activity), "topic": "改"})
        client.force_login(world.admin)
        assert client.get(page("detail", world, activity)).context["can_delete"] is False
        client.post(page("delete", world, activity), {"reason": "重复"})
        with scopes_disabled():
            assert Activity.objects.get(pk=activity.pk).topic == "原主题"

    def test_another_branchs_secretary_and_the_inspector_cannot(self, client, world):
        activity = ActivityFactory(branch=world.branch, held_on=today())
        client.force_login(other_branch_secretary(world))
        assert client.get(page("update", world, activity)).status_code == 404
        assert client.post(page("update", world, activity), form_data(activity)).status_code == 404
        client.force_login(world.inspector)
        assert client.get(page("update", world, activity)).status_code == 403
        client.force_login(world.secretary)
        assert client.post(page("delete", world, activity), {"reason": "重复"}).status_code == 403  # deleting is the admin's

    def test_admin_deletes_with_a_reason_only(self, client, world):
        activity = ActivityFactory(branch=world.branch, held_on=today())
        client.force_login(world.admin)
        refused = client.post(page("delete", world, activity), {"reason": " "})
        assert refused.status_code == 200 and "请填写删除原因。" in refused.content.decode()
        done = client.post(page("delete", world, activity), {"reason": "误登记"})
        assert done.status_code == 302 and done.url == reverse("activities:list", args=[world.park.code])
        with scopes_disabled():
            assert not Activity.objects.filter(pk=activity.pk).exists()
            assert AuditEntry.objects.get(action="activity.delete").changes["reason"] == [None, "误登记"]

    def test_another_parks_record_is_404(self, client, world, other):
        theirs = ActivityFactory(branch=other.branch, held_on=today())
        client.force_login(world.admin)
        for name in ("update", "delete"):
            assert client.get(page(name, world, theirs)).status_code == 404
            assert client.post(page(name, world, theirs), {"reason": "x"}).status_code == 404
        with scopes_disabled():
            assert Activity.objects.filter(pk=theirs.pk).exists()
