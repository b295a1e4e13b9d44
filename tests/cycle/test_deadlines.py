"""Deadlines with a rule (cycle.deadlines): before, on the day and after each deadline of the cycle —
work-list tasks, monthly reports, 七一 nominations — under both policies, through the services, the
pages and the API. The assessment's two kinds are in tests/assessment/test_deadlines.py."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from audit.models import AuditEntry
from cycle import services as cycle_services
from cycle.deadlines import CLOSED, LATE, OPEN, deadline_state, policies_of
from cycle.models import (
    DeadlinePolicy,
    MonthlyMeeting,
    MonthlyReport,
    Nomination,
    TaskAssignment,
)
from tests.api.helpers import bearer
from tests.cycle.factories import (
    HalfYearSummaryFactory,
    NominationFactory,
    TaskAssignmentFactory,
    WorkTaskFactory,
)
from tests.support import on_day as on

pytestmark = pytest.mark.django_db
Kind, Policy = DeadlinePolicy.Kind, DeadlinePolicy.Policy
SHANGHAI = ZoneInfo("Asia/Shanghai")


def url(name, world, *args):
    return reverse(f"api:{name}", args=[world.park.code, *args])


def set_policy(park, kind, policy):
    DeadlinePolicy.objects.update_or_create(park=park, kind=kind, defaults={"policy": policy})


# --- The one function -----------------------------------------------------------------------------
class TestDeadlineState:
    def test_defaults_reports_and_tasks_accept_late_the_rest_close(self, world, in_park):
        assert policies_of(world.park) == {
            "self_assessment": "close", "inspection": "close", "nomination": "close", "report": "accept_late", "task": "accept_late",
        }

    @pytest.mark.parametrize("policy", [Policy.CLOSE, Policy.ACCEPT_LATE])
    def test_open_before_and_on_the_day_then_late_or_closed(self, world, in_park, policy):
        set_policy(world.park, Kind.REPORT, policy)
        due = date(2026, 12, 5)
        assert deadline_state(world.park, Kind.REPORT, due, date(2026, 12, 4)).state == OPEN
        on_the_day = deadline_state(world.park, Kind.REPORT, due, due)
        assert (on_the_day.state, on_the_day.days_late, on_the_day.status) == (OPEN, 0, "")
        after = deadline_state(world.park, Kind.REPORT, due, date(2026, 12, 8))
        assert after.days_late == 3
        if policy == Policy.CLOSE:
            assert after.state == CLOSED and after.rule == "截止 2026-12-05，逾期不再受理"
            with pytest.raises(ValidationError) as refused:
                after.check()
            assert refused.value.messages == ["月报告已于2026-12-05截止，逾期不再受理。"]
        else:
            assert after.state == LATE and after.rule == "截止 2026-12-05，逾期仍可提交，将标记为逾期"
            assert after.status == "已逾期 3 天，提交后将标记为逾期 3 天。"
            after.check()  # accepted


# --- 月工作任务 ------------------------------------------------------------------------------------
def published(world, deadline: date) -> TaskAssignment:
    meeting, _ = MonthlyMeeting.objects.get_or_create(park=world.park, month=deadline.replace(day=1))
    task = WorkTaskFactory(meeting=meeting, deadline=deadline, published_at=datetime(2026, 11, 1, 9, tzinfo=SHANGHAI))
    return TaskAssignmentFactory(task=task, branch=world.branch)


class TestTasks:
    @pytest.mark.parametrize("day, late", [(date(2026, 11, 24), 0), (date(2026, 11, 25), 0), (date(2026, 11, 28), 3)])
    def test_accepted_before_on_and_after_the_day_marked_with_its_days_late(self, world, in_park, day, late):
        assignment = published(world, date(2026, 11, 25))
        with on(day):
            cycle_services.task_complete(assignment=assignment, actor=world.secretary, note="已完成")
            assert TaskAssignment.objects.select_related("task").get(pk=assignment.pk).days_late == late
        entry = AuditEntry.objects.get(action="task.complete")
        assert entry.changes.get("days_late") == ([None, late] if late else None)

    def test_closed_after_the_day_when_the_park_says_so(self, world, in_park):
        set_policy(world.park, Kind.TASK, Policy.CLOSE)
        assignment = published(world, date(2026, 11, 25))
        with on(date(2026, 11, 26)), pytest.raises(ValidationError) as refused:
            cycle_services.task_complete(assignment=assignment, actor=world.secretary, note="已完成")
        assert refused.value.messages == ["月工作任务已于2026-11-25截止，逾期不再受理。"]
        with on(date(2026, 11, 25)):  # the day itself is open
            cycle_services.task_complete(assignment=assignment, actor=world.secretary, note="已完成")

    def test_the_pages_state_the_rule_first_and_list_the_days_late(self, client, world):
        with scopes_disabled():
            late = published(world, date(2026, 11, 20))
            open_one = published(world, date(2026, 11, 25))
        client.force_login(world.secretary)
        with on(date(2026, 11, 23)):
            page = client.get(reverse("cycle:task_complete", args=[world.park.code, late.pk])).content.decode()
            assert "截止 2026-11-20，逾期仍可提交，将标记为逾期" in page and "已逾期 3 天，提交后将标记为逾期 3 天。" in page
            client.post(reverse("cycle:task_complete", args=[world.park.code, late.pk]), {"note": "补做"})
            board = client.get(reverse("cycle:tasks", args=[world.park.code])).content.decode()
        assert "逾期 3 天" in board and "仍可提交，将标记为逾期" in board
        with scopes_disabled():
            set_policy(world.park, Kind.TASK, Policy.CLOSE)
        with on(date(2026, 11, 26)):
            page = client.get(reverse("cycle:task_complete", args=[world.park.code, open_one.pk])).content.decode()
            assert "截止 2026-11-25，逾期不再受理" in page and "已截止，不再受理。" in page and "提交完成情况" not in page
            refused = client.post(reverse("cycle:task_complete", args=[world.park.code, open_one.pk]), {"note": "补做"})
        assert refused.status_code == 200 and "月工作任务已于2026-11-25截止，逾期不再受理。" in refused.content.decode()

    def test_the_api_completes_late_with_its_days_and_refuses_a_closed_one(self, client, world):
        with scopes_disabled():
            late = published(world, date(2026, 11, 20))
            closed = published(world, date(2026, 11, 21))
        headers = bearer(world.secretary)
        with on(date(2026, 11, 23)):
            done = client.post(url("task-complete", world, late.pk), {"note": "补做"}, content_type="application/json", **headers)
            assert done.status_code == 200 and done.json()["days_late"] == 3
            with scopes_disabled():
                set_policy(world.park, Kind.TASK, Policy.CLOSE)
            refused = client.post(url("task-complete", world, closed.pk), {"note": "补做"}, content_type="application/json", **headers)
        assert refused.status_code == 400
        assert refused.json()["non_field_errors"] == ["月工作任务已于2026-11-21截止，逾期不再受理。"]


# --- 月报告 ---------------------------------------------------------------------------------------
class TestReports:
    """October's report is due on 5 November (the default due day)."""

    def file(self, world):
        return cycle_services.report_file(park=world.park, actor=world.secretary, branch=world.branch, month=date(2026, 10, 1), activities="召开支委会")

    @pytest.mark.parametrize("day, late", [(date(2026, 11, 4), 0), (date(2026, 11, 5), 0), (date(2026, 11, 8), 3)])
    def test_accepted_before_on_and_after_the_day(self, world, in_park, day, late):
        with on(day):
            report = self.file(world)
        assert (report.submitted_at.astimezone(SHANGHAI).date(), AuditEntry.objects.get(action="report.file").changes.get("days_late")) == (
            day, [None, late] if late else None)

    def test_closed_after_the_day_when_the_park_says_so(self, world, in_park):
        set_policy(world.park, Kind.REPORT, Policy.CLOSE)
        with on(date(2026, 11, 6)), pytest.raises(ValidationError) as refused:
            self.file(world)
        assert refused.value.messages == ["月报告已于2026-11-05截止，逾期不再受理。"]
        assert MonthlyReport.objects.count() == 0

    def test_the_page_states_the_rule_and_the_list_the_days_late(self, client, world):
        client.force_login(world.secretary)
        with on(date(2026, 11, 8)):
            page = client.get(reverse("cycle:reports", args=[world.park.code])).content.decode()
            assert "2026年10月的月报告截止 2026-11-05，逾期仍可提交，将标记为逾期" in page
            filed = client.post(reverse("cycle:report_file", args=[world.park.code]),
                                {"branch": world.branch.pk, "month": "2026-10", "activities": "召开支委会"}, follow=True)
        assert "月报告已报送（逾期 3 天）。" in filed.content.decode()
        assert "逾期 3 天" in client.get(reverse("cycle:reports", args=[world.park.code])).content.decode()

    def test_the_api_files_late_with_its_days_and_refuses_a_closed_one(self, client, world):
        headers = bearer(world.secretary)
        body = {"branch": world.branch.pk, "month": "2026-10-01", "activities": "召开支委会"}
        with on(date(2026, 11, 8)):
            filed = client.post(url("report-list", world), body, content_type="application/json", **headers)
            assert filed.status_code == 201 and filed.json()["days_late"] == 3
            assert client.get(url("report-list", world), **headers).json()["results"][0]["days_late"] == 3
            with scopes_disabled():
                set_policy(world.park, Kind.REPORT, Policy.CLOSE)
            refused = client.post(url("report-list", world), {**body, "month": "2026-09-01"}, content_type="application/json", **headers)
        assert refused.status_code == 400 and refused.json()["non_field_errors"] == ["月报告已于2026-10-05截止，逾期不再受理。"]


# --- 七一评优推荐 -----------------------------------------------------------------------------------
class TestNominations:
    """Nominations are due on 20 June; the default closes them after it."""

    def propose(self, world, summary, day):
        return cycle_services.nomination_propose(summary=summary, actor=world.secretary, branch=world.branch,
                                                 kind=Nomination.Kind.ORGANISATION, reason="组织生活规范", today=day)

    @pytest.mark.parametrize("day", [date(2026, 6, 19), date(2026, 6, 20)])
    def test_accepted_before_and_on_the_day(self, world, in_park, day):
        summary = HalfYearSummaryFactory(park=world.park, nominations_due=date(2026, 6, 20))
        nomination = self.propose(world, summary, day)
        assert (nomination.proposed_on, nomination.days_late) == (day, 0)

    def test_closed_after_the_day_by_default(self, world, in_park):
        summary = HalfYearSummaryFactory(park=world.park, nominations_due=date(2026, 6, 20))
        with pytest.raises(ValidationError) as refused:
            self.propose(world, summary, date(2026, 6, 21))
        assert refused.value.messages == ["七一评优推荐已于2026-06-20截止，逾期不再受理。"]

    def test_accepted_late_marked_when_the_park_says_so(self, world, in_park):
        set_policy(world.park, Kind.NOMINATION, Policy.ACCEPT_LATE)
        summary = HalfYearSummaryFactory(park=world.park, nominations_due=date(2026, 6, 20))
        nomination = self.propose(world, summary, date(2026, 6, 23))
        assert (nomination.proposed_on, nomination.days_late) == (date(2026, 6, 23), 3)
        assert AuditEntry.objects.get(action="nomination.propose").changes["days_late"] == [None, 3]

    def test_the_page_states_the_rule_offers_no_closed_form_and_lists_the_days_late(self, client, world):
        with scopes_disabled():
            summary = HalfYearSummaryFactory(park=world.park, nominations_due=date(2026, 6, 20))
            NominationFactory(summary=summary, branch=world.branch, proposed_on=date(2026, 6, 22))
        client.force_login(world.secretary)
        page_url = reverse("cycle:halfyear", args=[world.park.code, summary.pk])
        with on(date(2026, 6, 20)):
            page = client.get(page_url).content.decode()
        assert "截止 2026-06-20，逾期不再受理" in page and "提交推荐" in page
        assert "逾期 2 天" in page  # the one a park accepting late took in
        with on(date(2026, 6, 21)):
            page = client.get(page_url).content.decode()
            assert "已截止，不再受理。" in page and "提交推荐" not in page
            refused = client.post(reverse("cycle:nomination_create", args=[world.park.code, summary.pk]),
                                  {"branch": world.branch.pk, "kind": "organisation", "reason": "好"})
        assert refused.status_code == 200 and "七一评优推荐已于2026-06-20截止，逾期不再受理。" in refused.content.decode()


# --- The setting ----------------------------------------------------------------------------------
def test_the_admin_sets_the_rule_per_kind_on_the_cycle_page_and_others_read_it_in_chinese(client, world):
    client.force_login(world.admin)
    cycle_url = reverse("cycle:cycle", args=[world.park.code])
    form = client.get(cycle_url).context["form"]
    data = {name: field.value() for name, field in form.fields.items() for field in [form[name]] if field.value() is not None}
    data["deadline_nomination"] = "accept_late"
    data["deadline_task"] = "close"
    assert client.post(cycle_url, data).status_code == 302
    with scopes_disabled():
        assert policies_of(world.park)["nomination"] == "accept_late" and policies_of(world.park)["task"] == "close"
        entry = AuditEntry.objects.get(action="cycle.deadlines")
        assert entry.changes == {"deadline_nomination": ["close", "accept_late"], "deadline_task": ["accept_late", "close"]}
    assert client.post(cycle_url, {**data, "deadline_task": "whenever"}).status_code == 200  # a bad choice: the form says so
    client.force_login(world.inspector)
    page = client.get(cycle_url).content.decode()
    assert "七一评优推荐截止后" in page and "逾期仍可提交，标记为逾期" in page and "accept_late" not in page
    assert client.post(cycle_url, data).status_code == 403


def test_an_unknown_rule_or_kind_is_refused_in_chinese(world, in_park):
    with pytest.raises(ValidationError) as refused:
        cycle_services.deadline_policies_update(park=world.park, actor=world.admin, policies={"task": "whenever", "holiday": "close"})
    assert refused.value.message_dict == {"deadline_task": ["请选择截止后的处理方式。"], "deadline_holiday": ["请选择截止后的处理方式。"]}
    assert not DeadlinePolicy.objects.exists()
