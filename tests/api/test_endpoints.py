"""Each role's work through the API, with the rules of the pages: a secretary's tasks, meetings,
reports and demands; an instructor's visit; a repeated Idempotency-Key; throttling; errors as JSON."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, Attendance
from api.models import IdempotentRequest
from assessment import rubrics
from assessment.models import RubricItem
from audit.models import AuditEntry
from core.periods import month_start
from cycle.models import MonthlyReport, TaskAssignment
from services.models import Demand, Visit
from tests.activities.helpers import photo
from tests.api.helpers import bearer, key_for
from tests.assessment.helpers import items, open_round
from tests.cycle.factories import (
    MonthlyMeetingFactory,
    TaskAssignmentFactory,
    WorkTaskFactory,
)
from tests.members.factories import MemberFactory
from tests.orgs.factories import (
    CoverageFactory,
    EnterpriseFactory,
    InstructorAssignmentFactory,
    InstructorFactory,
    OrganisationFactory,
)
from tests.support import on_day
from tests.tenancy import test_isolation as pages


def url(name, world, *args):
    return reverse(f"api:{name}", args=[world.park.code, *args])


def published_task(world, branch=None, **kwargs):
    meeting = MonthlyMeetingFactory(park=world.park)
    task = WorkTaskFactory(meeting=meeting, published_at=timezone.now(), **kwargs)
    return TaskAssignmentFactory(task=task, branch=branch or world.branch)


@pytest.mark.django_db
def test_secretary_lists_their_tasks_only_and_completes_one_with_a_photo(client, world, in_park):
    mine = published_task(world, title="学习传达全会精神")
    other_branch = OrganisationFactory(park=world.park, parent=world.work_committee)
    published_task(world, branch=other_branch, title="别的支部的任务")
    headers = bearer(world.secretary)
    listed = client.get(url("task-list", world), {"status": "open"}, **headers).json()
    assert [t["title"] for t in listed["results"]] == ["学习传达全会精神"]
    assert listed["results"][0]["status_label"] == "未完成"

    empty = client.post(url("task-complete", world, mine.pk), {"note": " "}, **headers)
    assert empty.status_code == 400 and empty.json()["note"]
    done = client.post(url("task-complete", world, mine.pk), {"note": "已组织学习", "evidence": [photo()]}, **headers)
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "done"
    mine.refresh_from_db()
    assert mine.status == TaskAssignment.Status.DONE and mine.attachments.count() == 1
    assert AuditEntry.objects.filter(action="task.complete").count() == 1
    again = client.post(url("task-complete", world, mine.pk), {"note": "再次"}, **headers)
    assert again.status_code == 400 and again.json()["non_field_errors"]


@pytest.mark.django_db
def test_a_bad_evidence_file_is_refused_by_the_one_upload_checker(client, world, in_park):
    task = published_task(world)
    response = client.post(url("task-complete", world, task.pk), {"note": "完成", "evidence": [photo("x.exe", b"MZ\x90\x00")]},
                           **bearer(world.secretary))
    assert response.status_code == 400 and response.json()["evidence"]
    task.refresh_from_db()
    assert task.status == TaskAssignment.Status.OPEN


@pytest.mark.django_db
def test_secretary_records_a_meeting_and_a_repeated_key_makes_one_record(client, world, in_park):
    present = MemberFactory(park=world.park, branch=world.branch, name="王建国")
    away = MemberFactory(park=world.park, branch=world.branch, name="李梅")
    body = {"branch": world.branch.pk, "kind": "committee", "held_on": str(timezone.localdate()), "topic": "研究发展党员",
            "attendees": [present.pk], "absentees": [{"member": away.pk, "reason": "出差"}]}
    headers = {**bearer(world.secretary), "HTTP_IDEMPOTENCY_KEY": "phone-42-1"}
    first = client.post(url("activity-list", world), body, content_type="application/json", **headers)
    assert first.status_code == 201, first.content
    second = client.post(url("activity-list", world), body, content_type="application/json", **headers)
    assert second.status_code == 201 and second.json() == first.json() and second["Idempotent-Replayed"] == "true"
    assert Activity.objects.filter(park=world.park).count() == 1
    assert IdempotentRequest.objects.count() == 1
    attendance = {a["member_name"]: (a["present"], a["absence_reason"]) for a in first.json()["attendance"]}
    assert attendance == {"王建国": (True, ""), "李梅": (False, "出差")}
    assert Attendance.objects.filter(activity_id=first.json()["id"]).count() == 2

    reused = client.post(url("report-list", world), {"branch": world.branch.pk, "month": "2026-01-01", "activities": "x"},
                         content_type="application/json", **headers)
    assert reused.status_code == 400 and reused.json()["Idempotency-Key"]


@pytest.mark.django_db
def test_meeting_rules_are_the_pages_rules(client, world, in_park):
    outsider = MemberFactory(park=world.park, branch=OrganisationFactory(park=world.park, parent=world.work_committee))
    headers = bearer(world.secretary)
    future = {"branch": world.branch.pk, "kind": "committee", "held_on": "2999-01-01", "topic": "未来的会"}
    response = client.post(url("activity-list", world), future, content_type="application/json", **headers)
    assert response.status_code == 400 and response.json()["held_on"]
    stranger = {**future, "held_on": str(timezone.localdate()), "attendees": [outsider.pk]}
    response = client.post(url("activity-list", world), stranger, content_type="application/json", **headers)
    assert response.status_code == 400 and "不是该党支部在册党员" in response.json()["attendees"][0]
    not_mine = {**stranger, "attendees": [], "branch": outsider.branch_id}
    assert client.post(url("activity-list", world), not_mine, content_type="application/json", **headers).json()["branch"]
    assert Activity.objects.filter(park=world.park).count() == 0


@pytest.mark.django_db
def test_secretary_files_the_monthly_report_once(client, world, in_park):
    headers = bearer(world.secretary)
    body = {"branch": world.branch.pk, "month": "2026-10-15", "activities": "召开支委会 2 次"}
    first = client.post(url("report-list", world), body, content_type="application/json", **headers)
    assert first.status_code == 201 and first.json()["month"] == "2026-10-01"
    twice = client.post(url("report-list", world), body, content_type="application/json", **headers)
    assert twice.status_code == 400 and "已" in twice.json()["month"][0]
    assert MonthlyReport.objects.filter(park=world.park).count() == 1


@pytest.mark.django_db
def test_secretary_raises_a_demand_and_confirms_it_once_resolved(client, world, in_park):
    enterprise = EnterpriseFactory(park=world.park)
    CoverageFactory(organisation=world.branch, enterprise=enterprise)
    headers = bearer(world.secretary)
    raised = client.post(url("demand-list", world), {"enterprise": enterprise.pk, "category": "其他", "description": "用工需求"},
                         content_type="application/json", **headers)
    assert raised.status_code == 201, raised.content
    demand = Demand.objects.get(pk=raised.json()["id"])
    early = client.post(url("demand-act", world, demand.pk), {"action": "confirm"}, content_type="application/json", **headers)
    assert early.status_code == 400 and "不能" in early.json()["non_field_errors"][0]
    Demand.objects.filter(pk=demand.pk).update(state=Demand.State.RESOLVED)
    closed = client.post(url("demand-act", world, demand.pk), {"action": "confirm"}, content_type="application/json", **headers)
    assert closed.status_code == 200 and closed.json()["state"] == "closed"


@pytest.mark.django_db
def test_instructor_logs_a_visit_to_an_assigned_enterprise_only(client, world, in_park):
    instructor = InstructorFactory(park=world.park, user=world.instructor_user)
    assigned = EnterpriseFactory(park=world.park)
    InstructorAssignmentFactory(instructor=instructor, enterprise=assigned, starts_on=date(2020, 1, 1))
    headers = bearer(world.instructor_user)
    body = {"enterprise": assigned.pk, "visited_on": str(timezone.localdate()), "met": "张经理", "topics": "党建指导"}
    made = client.post(url("visit-list", world), body, content_type="application/json", **headers)
    assert made.status_code == 201, made.content
    elsewhere = client.post(url("visit-list", world), {**body, "enterprise": EnterpriseFactory(park=world.park).pk},
                            content_type="application/json", **headers)
    assert elsewhere.status_code == 400 and elsewhere.json()["enterprise"]
    assert Visit.objects.filter(park=world.park).count() == 1
    assert [v["id"] for v in client.get(url("visit-list", world), **headers).json()["results"]] == [made.json()["id"]]


@pytest.mark.django_db
def test_members_come_masked_and_paged_by_cursor(client, world, in_park):
    for n in range(3):
        MemberFactory(park=world.park, branch=world.branch)
    page = client.get(url("member-list", world), {"page_size": 2}, **bearer(world.admin)).json()
    assert len(page["results"]) == 2 and page["next"]
    assert all("*" in m["id_number"] for m in page["results"])
    rest = client.get(page["next"], **bearer(world.admin)).json()
    assert len(rest["results"]) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{"branch": "abc"}, {"stage": "老党员"}, {"page_size": "-1"}, {"cursor": "%%%"}, {"name": "x" * 500}])
def test_odd_filters_answer_json_never_500(client, world, query):
    response = client.get(url("member-list", world), query, **bearer(world.admin))
    assert response.status_code in (200, 400, 404), response.content
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["{", "[]", '{"branch": 99999999999999999999}', '{"held_on": "2026-02-30"}', '"x"',
                                  '{"attendees": "all", "absentees": [1]}'])
def test_hostile_bodies_get_field_messages(client, world, body):
    response = client.post(url("activity-list", world), body, content_type="application/json", **bearer(world.secretary))
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.django_db
def test_an_unknown_api_path_is_json_404(client, world):
    response = client.get("/api/v1/nothing-here/", **bearer(world.admin))
    assert response.status_code == 404 and response.json()["detail"]


@pytest.mark.django_db
def test_throttled_per_user_and_per_token_with_retry_after(client, world, settings):
    settings.HONGFAN_API_RATES = {**settings.HONGFAN_API_RATES, "token": "3/min"}
    key = key_for(world.inspector)
    statuses = [client.get(url("round-list", world), HTTP_AUTHORIZATION=f"Bearer {key}").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    throttled = client.get(url("round-list", world), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert int(throttled["Retry-After"]) > 0 and throttled.json()["detail"]
    assert client.get(url("round-list", world), **bearer(world.inspector)).status_code == 200  # another token of the user

    settings.HONGFAN_API_RATES = {**settings.HONGFAN_API_RATES, "user": "2/min"}
    user = world.admin
    statuses = [client.get(url("round-list", world), **bearer(user)).status_code for _ in range(3)]  # a new token each time
    assert statuses == [200, 200, 429]


@pytest.mark.django_db
def test_the_schema_and_the_docs_are_served(client, world):
    schema = client.get("/api/schema/", **bearer(world.admin))
    assert schema.status_code == 200 and b"/api/v1/p/{park}/tasks/" in schema.content
    docs = client.get("/api/docs/", **bearer(world.admin))
    assert docs.status_code == 200 and b"swagger-ui" in docs.content and b"cdn" not in docs.content.lower()


@pytest.mark.django_db
@on_day(date(2026, 9, 10))  # within the round's deadlines (the deadline tests: tests/assessment/test_deadlines.py)
def test_inspector_scores_and_the_secretary_self_assesses_with_the_pages_rules(client, world, in_park):
    rubrics.rubric_publish(park=world.park, actor=world.admin, items=items(), published_on=date(2026, 1, 1))
    inspection_round = open_round(world.park)
    assessment = rubrics.round_assessment(inspection_round=inspection_round)
    sheet_url = url("round-scores", world, inspection_round.pk)
    by_title = {i.title: i.pk for i in RubricItem.objects.filter(rubric=assessment.rubric)}

    sheet = client.get(sheet_url, {"branch": world.branch.pk}, **bearer(world.inspector)).json()
    assert [row["title"] for row in sheet] == ["三会一课", "班子健全", "重大事故"]

    too_many = {"branch": world.branch.pk, "scores": [{"item": by_title["三会一课"], "points": "61"}]}
    refused = client.post(sheet_url, too_many, content_type="application/json", **bearer(world.inspector))
    assert refused.status_code == 400 and refused.json()["non_field_errors"] == ["“三会一课”的得分应在0到60之间。"]
    foreign = client.post(sheet_url, {"branch": world.branch.pk, "scores": [{"item": 999999, "points": "1"}]},
                          content_type="application/json", **bearer(world.inspector))
    assert foreign.status_code == 400 and foreign.json()["scores"]

    body = {"branch": world.branch.pk, "scores": [{"item": by_title["三会一课"], "points": "55", "note": "记录不全"}]}
    scored = client.post(sheet_url, body, content_type="application/json", **bearer(world.inspector))
    assert scored.status_code == 200 and scored.json()[0]["points"] == "55.0"
    self_scored = client.post(sheet_url, {**body, "scores": [{"item": by_title["三会一课"], "points": "58"}]},
                              content_type="application/json", **bearer(world.secretary))
    assert self_scored.status_code == 200
    row = self_scored.json()[0]
    assert (row["self_points"], row["points"]) == ("58.0", "55.0")  # the secretary's own score never overwrites the inspector's
    assert AuditEntry.objects.filter(action__in=["assessment.inspect", "assessment.self"]).count() == 2

    other_branch = OrganisationFactory(park=world.park, parent=world.work_committee)
    hidden = client.get(sheet_url, {"branch": other_branch.pk}, **bearer(world.secretary))
    assert hidden.status_code == 404
    assert client.post(sheet_url, body, content_type="application/json", **bearer(world.instructor_user)).status_code == 403


@pytest.mark.django_db
def test_secretary_todo_counts_what_waits_and_changes_when_it_is_done(client, world, in_park):
    task = published_task(world, title="报送党员信息")
    notice = pages._notice(world)
    headers = bearer(world.secretary)
    todo = client.get(url("todo", world), **headers).json()
    assert todo["tasks_open"] == 1 and todo["tasks"][0]["title"] == "报送党员信息"
    assert todo["notices_unread"] == 1
    assert todo["reports_due"] == [world.branch.name]  # last month's report is not filed yet

    client.post(url("task-complete", world, task.pk), {"note": "已报送"}, **headers)
    client.post(url("notice-read", world, notice.pk), **headers)
    last_month = month_start(month_start(timezone.localdate()) - timedelta(days=1))
    client.post(url("report-list", world), {"branch": world.branch.pk, "month": str(last_month), "activities": "支委会1次"},
                content_type="application/json", **headers)
    after = client.get(url("todo", world), **headers).json()
    assert (after["tasks_open"], after["notices_unread"], after["reports_due"]) == (0, 0, [])


@pytest.mark.django_db
def test_secretary_replies_to_a_notice_with_its_fields(client, world, in_park):
    notice = pages._notice(world)
    headers = bearer(world.secretary)
    detail = client.get(url("notice-detail", world, notice.pk), **headers).json()
    field = detail["fields"][0]
    replied = client.post(url("notice-reply", world, notice.pk), {"answers": {str(field["id"]): "12"}},
                          content_type="application/json", **headers)
    assert replied.status_code == 200, replied.content
    assert replied.json()["answers"] == {str(field["id"]): "12"} and replied.json()["replied_at"]
    stranger = client.post(url("notice-reply", world, notice.pk), {"answers": {}}, content_type="application/json",
                           **bearer(world.instructor_user))
    assert stranger.status_code == 404


@pytest.mark.django_db
def test_lists_take_an_ordering_of_their_own_columns_only(client, world, in_park):
    for name in ("乙", "甲", "丙"):
        EnterpriseFactory(park=world.park, name=name)
    headers = bearer(world.admin)
    names = [e["name"] for e in client.get(url("enterprise-list", world), {"ordering": "-name"}, **headers).json()["results"]]
    assert names == sorted(names, reverse=True)
    ignored = client.get(url("enterprise-list", world), {"ordering": "credit_code,__class__"}, **headers)
    assert ignored.status_code == 200  # a column not offered is ignored, never an error
    by_date = client.get(url("member-list", world), {"ordering": "-name"}, **headers)
    assert by_date.status_code == 200


@pytest.mark.django_db
def test_county_figures_take_a_year_and_refuse_a_future_one(client, world, county_viewer):
    headers = bearer(county_viewer)
    figures = reverse("api:county_figures", args=[world.park.county.code])
    assert client.get(figures, {"year": 2025}, **headers).status_code == 200
    future = client.get(figures, {"year": timezone.localdate().year + 1}, **headers)
    assert future.status_code == 400 and future.json()["year"]


@pytest.mark.django_db
def test_a_cursor_walks_an_ordering_with_empty_values(client, world, in_park):
    MemberFactory(park=world.park, branch=world.branch, joined_on=None, stage="applicant", full_on=None)
    MemberFactory(park=world.park, branch=world.branch)
    headers = bearer(world.admin)
    page = client.get(url("member-list", world), {"ordering": "joined_on", "page_size": 1}, **headers)
    seen = []
    while True:
        assert page.status_code == 200, page.content
        seen += [m["id"] for m in page.json()["results"]]
        if not page.json()["next"]:
            break
        page = client.get(page.json()["next"], **headers)
    assert len(seen) == 2
