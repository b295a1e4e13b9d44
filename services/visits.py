"""走访: an instructor's visits to the enterprises assigned to them, a problem found turned into a
demand in one step, and what is due this quarter (the park sets how many visits a quarter)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from core.periods import quarter_bounds, quarter_of
from core.validators import length_errors, normalize_text
from orgs.models import Enterprise, Instructor, InstructorAssignment
from orgs.selectors import assignment_active_q
from services.demands import demand_raise, service_settings
from services.models import Visit

MSG_NOT_ASSIGNED = _("只能登记您联系的企业的走访。")
MSG_NOT_INSTRUCTOR = _("您不是本园区的党建工作指导员。")
MSG_DATE = _("走访日期不能晚于今天，也不能早于联系该企业的开始日期。")
MSG_REQUIRED = _("请填写%(what)s。")
MSG_NO_PROBLEM = _("要转为诉求，请先填写发现的问题。")


def instructor_of(park, user) -> Instructor | None:
    return Instructor.objects.filter(park=park, user=user, is_active=True).first()


def visible_visits(queryset, access, user):
    """The park office sees every visit; an instructor their own."""
    if access.sees_whole_park:
        return queryset
    instructor = instructor_of(access.park, user)
    return queryset.filter(instructor=instructor) if instructor else queryset.none()


def assigned_enterprises(instructor: Instructor, on: date):
    """The enterprises this instructor is assigned to on the date."""
    current = InstructorAssignment.objects.filter(park_id=instructor.park_id, instructor=instructor).filter(assignment_active_q(on))
    return Enterprise.objects.filter(park_id=instructor.park_id, pk__in=current.values("enterprise_id"))


@transaction.atomic
def visit_log(*, park, access, actor, enterprise: Enterprise, visited_on: date, met: str, topics: str, problems: str = "",
              raise_demand: bool = False, category: str = "", today: date | None = None) -> Visit:
    """Log a visit; with raise_demand, its problems become a 红色代办 demand in the same step."""
    today = today or timezone.localdate()
    instructor = instructor_of(park, actor)
    values = {"met": normalize_text(met), "topics": (topics or "").strip(), "problems": (problems or "").strip()}
    errors = length_errors(Visit, values)
    if instructor is None:
        raise ValidationError(MSG_NOT_INSTRUCTOR)
    if not assigned_enterprises(instructor, min(visited_on, today)).filter(pk=enterprise.pk).exists():
        errors["enterprise"] = [str(MSG_NOT_ASSIGNED)]
    if visited_on > today:
        errors["visited_on"] = [str(MSG_DATE)]
    for field, what in (("met", "会见人员"), ("topics", "走访内容")):
        if not values[field]:
            errors[field] = [str(MSG_REQUIRED % {"what": what})]
    if raise_demand and not values["problems"]:
        errors["problems"] = [str(MSG_NO_PROBLEM)]
    if errors:
        raise ValidationError(errors)
    visit = Visit.objects.create(park=park, instructor=instructor, enterprise=enterprise, visited_on=visited_on, created_by=actor, **values)
    if raise_demand:
        visit.demand = demand_raise(park=park, access=access, actor=actor, enterprise=enterprise, category=category,
                                    description=f"走访发现：{values['problems']}")
        visit.save(update_fields=["demand"])
    audit_record(park=park, actor=actor, action="visit.log", target=visit,
                 changes={"enterprise": [None, enterprise.name], "demand": [None, visit.demand_id]})
    return visit


@dataclass(frozen=True)
class Due:
    enterprise: Enterprise
    visits: int
    last: date | None
    expected: int

    @property
    def owed(self) -> int:
        return max(0, self.expected - self.visits)


def visits_due(*, park, on: date, instructor: Instructor | None = None) -> list[Due]:
    """Each assigned enterprise's visits this quarter against the park's expected number (two
    queries): the instructor's own, or every instructor's for the park office."""
    start, end = quarter_bounds(on.year, quarter_of(on))
    expected = service_settings(park).visits_per_quarter
    assignments = InstructorAssignment.objects.filter(park=park).filter(assignment_active_q(on)).select_related("enterprise", "instructor")
    if instructor is not None:
        assignments = assignments.filter(instructor=instructor)
    counted = {
        row["enterprise_id"]: row
        for row in Visit.objects.filter(park=park, visited_on__gte=start, visited_on__lte=end)
        .filter(Q(instructor=instructor) if instructor else Q())
        .values("enterprise_id").annotate(n=Count("pk"), last=Max("visited_on")).order_by()
    }
    return [
        Due(a.enterprise, counted.get(a.enterprise_id, {}).get("n", 0), counted.get(a.enterprise_id, {}).get("last"), expected)
        for a in sorted(assignments, key=lambda a: a.enterprise.name)
    ]
