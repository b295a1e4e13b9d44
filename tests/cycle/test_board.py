"""The task board (月工作清单) is bounded: by default this month's work list and what is still open;
older work lists behind a month or year filter, a page at a time, in the same number of queries
whatever the park's history."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from cycle.models import MonthlyMeeting, TaskAssignment, WorkTask
from tests.support import on_day

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 22)


def work_list(world, month: date, titles, *, done=True):
    """A month's meeting with its tasks, published to the world's branch, done on time or left open."""
    meeting, _ = MonthlyMeeting.objects.get_or_create(park=world.park, month=month)
    published = datetime.combine(month, datetime.min.time(), SHANGHAI)
    tasks = WorkTask.objects.bulk_create(
        [WorkTask(park=world.park, meeting=meeting, title=title, deadline=month.replace(day=25), published_at=published) for title in titles]
    )
    TaskAssignment.objects.bulk_create([
        TaskAssignment(park=world.park, task=task, branch=world.branch, status="done" if done else "open",
                       note="已完成" if done else "", completed_at=published + timedelta(days=3) if done else None)
        for task in tasks
    ])
    return tasks


def history(world, months: int, per_month: int = 3):
    """`months` of done work lists before November 2026."""
    month = date(2026, 11, 1)
    for _ in range(months):
        month = (month - timedelta(days=1)).replace(day=1)
        work_list(world, month, [f"{month:%Y-%m}任务{n}" for n in range(per_month)])


def board(client, world, **query):
    with CaptureQueriesContext(connection) as queries, on_day(TODAY):
        response = client.get(reverse("cycle:tasks", args=[world.park.code]), query)
    assert response.status_code == 200
    return response, len(queries.captured_queries)


@pytest.mark.parametrize("role", ["secretary", "admin"])
def test_the_default_board_shows_this_month_and_what_is_open_in_a_fixed_number_of_queries(client, world, role):
    with scopes_disabled():
        work_list(world, date(2026, 11, 1), ["十一月任务"])
        work_list(world, date(2026, 8, 1), ["八月未完成任务"], done=False)
        history(world, 2)
    client.force_login(getattr(world, role))
    key = "assignments" if role == "secretary" else "tasks"
    response, few = board(client, world)
    shown = [getattr(row, "task", row).title for row in response.context[key]]
    assert shown == (["八月未完成任务", "十一月任务"] if role == "secretary" else ["十一月任务", "八月未完成任务"])
    with scopes_disabled():
        history(world, 60 - 2)  # five years of done work lists in all
    response, many = board(client, world)
    assert [getattr(row, "task", row).title for row in response.context[key]] == shown  # old done tasks stay off it
    assert many == few
    page = response.content.decode()
    if role == "secretary":
        assert "已逾期 89 天" in page  # due 25 August
    else:
        assert "逾期未完成 1" in page


def test_older_work_lists_by_month_or_year_a_page_at_a_time(client, world):
    with scopes_disabled():
        history(world, 24, per_month=2)  # November 2024 to October 2026
    client.force_login(world.secretary)
    response, _ = board(client, world, month="2025-03")
    assert [a.task.title for a in response.context["assignments"]] == ["2025-03任务0", "2025-03任务1"]
    response, first_page = board(client, world, year="2025")
    assert response.context["paginator"].count == 24 and len(response.context["assignments"]) == 20
    assert 'href="?year=2025&page=2"' in response.content.decode()
    response, second_page = board(client, world, year="2025", page="2")
    assert len(response.context["assignments"]) == 4 and second_page == first_page
    assert {a.task.deadline.year for a in response.context["assignments"]} == {2025}


@pytest.mark.parametrize("query", [{"month": "2025-13"}, {"year": "二〇二五"}, {"year": "99999"}, {"page": "abc"}, {"month": "x" * 300}])
def test_odd_filters_get_a_message_and_the_default_board(client, world, query):
    with scopes_disabled():
        work_list(world, date(2026, 11, 1), ["十一月任务"])
    client.force_login(world.secretary)
    response, _ = board(client, world, **query)
    assert [a.task.title for a in response.context["assignments"]] == ["十一月任务"]
    if "page" not in query:
        assert response.context["board_filter"].errors


def test_a_month_ahead_is_due_this_month_or_later_and_stays_on_the_board(client, world):
    with scopes_disabled():
        meeting = MonthlyMeeting.objects.create(park=world.park, month=date(2026, 10, 1))
        task = WorkTask.objects.create(park=world.park, meeting=meeting, title="跨月任务", deadline=date(2026, 12, 10),
                                       published_at=datetime(2026, 10, 1, tzinfo=SHANGHAI))
        TaskAssignment.objects.create(park=world.park, task=task, branch=world.branch, status="done",
                                      completed_at=datetime(2026, 10, 5, tzinfo=SHANGHAI))
    client.force_login(world.secretary)
    response, _ = board(client, world)
    assert [a.task.title for a in response.context["assignments"]] == ["跨月任务"]
