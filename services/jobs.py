"""督办 on the cycle's daily run (registered with cycle.jobs): each open demand past its due date is
escalated once — the park admins are told — and, when the next monthly meeting opens on the 1st,
every escalated demand still open goes on its work list."""

from datetime import date

from django.urls import reverse

from activities.selectors import cycle_settings
from cycle.jobs import cycle_job
from cycle.models import MonthlyMeeting
from cycle.notifications import admins_of, notify
from cycle.services import task_add
from services.demands import OPEN_STATES
from services.models import Demand


@cycle_job("demand_supervision", after="monthly_meeting")
def job_demand_supervision(park, day: date) -> int:
    """Escalations made today, plus the demands put on the work list of a meeting that opens today."""
    return _escalate(park, day) + _list_on_meeting(park, day)


def _escalate(park, day: date) -> int:
    overdue = list(
        Demand.objects.filter(park=park, state__in=OPEN_STATES, due_on__lt=day, escalated_on__isnull=True)
        .select_related("enterprise", "department").order_by("due_on", "pk")
    )
    if not overdue:  # most days: one query, and no one to tell
        return 0
    admins = admins_of(park)
    entries = []
    for demand in overdue:
        handler = demand.department.name if demand.department else "未派单"
        link = reverse("services:demand", args=[park.code, demand.pk])
        message = f"诉求逾期督办：{demand.enterprise.name}“{demand.category}”已超过办理时限{demand.due_on:%m月%d日}（{handler}）。"
        entries += [(user, f"demand-overdue:{demand.pk}:{demand.due_on:%Y%m%d}", message[:300], link) for user in admins]
    Demand.objects.filter(pk__in=[d.pk for d in overdue]).update(escalated_on=day)
    notify(park, entries)
    return len(overdue)


def _list_on_meeting(park, day: date) -> int:
    meeting = MonthlyMeeting.objects.filter(park=park, month=day).first() if day.day == 1 else None
    if meeting is None:
        return 0
    escalated = list(
        Demand.objects.filter(park=park, state__in=OPEN_STATES, escalated_on__isnull=False, listed_on__isnull=True)
        .select_related("enterprise", "department").order_by("due_on", "pk")
    )
    deadline = meeting.month.replace(day=cycle_settings(park).task_deadline_day)
    for demand in escalated:
        handler = demand.department.name if demand.department else "未派单"
        title = f"督办：{demand.enterprise.name}“{demand.category}”诉求（{handler}，{demand.due_on:%m月%d日}到期）"
        task_add(meeting=meeting, actor=None, title=title[:200], deadline=deadline, description=f"诉求内容：{demand.description[:500]}")
    Demand.objects.filter(pk__in=[d.pk for d in escalated]).update(listed_on=day)
    return len(escalated)
