"""红色代办: the demand loop as one explicit table (state × action → state, and who may act), its
writes, its colours and its 督办. Pages (and the API later) ask this module; none repeats its rules.

Who acts is decided per demand: the park admin; the department it was sent to (its account holds
the 承办部门 role); the enterprise side — whoever raised it, the secretaries of the organisations
that cover the enterprise, and its current instructor.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from core.roles import Role
from core.uploads import check_uploads, store_upload
from core.validators import length_errors, normalize_phone, normalize_text
from orgs.models import Coverage, Enterprise, InstructorAssignment
from orgs.selectors import assignment_active_q, visible_enterprises
from services.models import (
    Demand,
    DemandAttachment,
    DemandEvent,
    DemandPolicy,
    Department,
    Policy,
    ServiceSettings,
)
from services.policies import policies_named

State = Demand.State
ADMIN, HANDLER, ENTERPRISE = "admin", "handler", "enterprise"  # the sides of a demand


@dataclass(frozen=True)
class Action:
    code: str
    label: str  # the button
    needs: str  # "department": a department and a due date; "note": a note; "": nothing more


DISPATCH = Action("dispatch", "派单", "department")
PROGRESS = Action("progress", "记录办理进展", "note")
RESOLVE = Action("resolve", "办结", "note")
CONFIRM = Action("confirm", "确认销号", "")
REJECT = Action("reject", "退回重办", "note")
ACTIONS = {a.code: a for a in (DISPATCH, PROGRESS, RESOLVE, CONFIRM, REJECT)}

# The loop. (state, action) → (new state, the sides that may take it).
TRANSITIONS: dict[tuple[str, str], tuple[str, frozenset]] = {
    (State.RAISED, "dispatch"): (State.DISPATCHED, frozenset({ADMIN})),
    (State.RETURNED, "dispatch"): (State.DISPATCHED, frozenset({ADMIN})),  # re-dispatched, to the same or another department
    (State.DISPATCHED, "progress"): (State.IN_PROGRESS, frozenset({HANDLER, ADMIN})),
    (State.IN_PROGRESS, "progress"): (State.IN_PROGRESS, frozenset({HANDLER, ADMIN})),
    (State.RETURNED, "progress"): (State.IN_PROGRESS, frozenset({HANDLER, ADMIN})),
    (State.DISPATCHED, "resolve"): (State.RESOLVED, frozenset({HANDLER, ADMIN})),
    (State.IN_PROGRESS, "resolve"): (State.RESOLVED, frozenset({HANDLER, ADMIN})),
    (State.RETURNED, "resolve"): (State.RESOLVED, frozenset({HANDLER, ADMIN})),
    (State.RESOLVED, "confirm"): (State.CLOSED, frozenset({ENTERPRISE})),  # 销号: only the enterprise side
    (State.RESOLVED, "reject"): (State.RETURNED, frozenset({ENTERPRISE})),
}
OPEN_STATES = (State.RAISED, State.DISPATCHED, State.IN_PROGRESS, State.RETURNED)  # the park still owes an answer

MSG_ILLEGAL = _("该诉求当前为“%(state)s”，不能%(action)s。")
MSG_NOT_YOURS = _("您不能对该诉求%(action)s。")
MSG_UNKNOWN_ACTION = _("没有这一办理环节。")
MSG_DEPARTMENT = _("请选择本园区在用的承办部门。")
MSG_DUE = _("办理时限应在今天之后、一年之内。")
MSG_NOTE = _("请填写%(what)s。")
MSG_CATEGORY = _("请从本园区的诉求类别中选择：%(allowed)s。")
MSG_ENTERPRISE = _("只能为您可见的本园区在驻企业提出诉求。")
MSG_DESCRIPTION = _("请填写诉求内容。")
NOTE_WHAT = {"progress": _("办理进展"), "resolve": _("办理结果"), "reject": _("退回原因")}


def service_settings(park) -> ServiceSettings:
    return ServiceSettings.objects.filter(park=park).first() or ServiceSettings(park=park)


# --- Who may see and act -------------------------------------------------------------------------
def enterprise_side_q(access) -> Q:
    """Demands of the enterprises the user answers for: covered by their organisations, or assigned
    to them as instructor (as of today) — as orgs.selectors.visible_enterprises reads enterprises."""
    q = Q(pk__in=[])
    if Role.BRANCH_SECRETARY in access.roles:
        q |= Exists(Coverage.objects.filter(enterprise_id=OuterRef("enterprise_id"), organisation_id__in=access.organisation_ids))
    if Role.INSTRUCTOR in access.roles:
        q |= Exists(
            InstructorAssignment.objects.filter(enterprise_id=OuterRef("enterprise_id"), instructor__user=access.user_id)
            .filter(assignment_active_q(timezone.localdate()))
        )
    return q


def visible_demands(queryset, access):
    """Park-wide roles see every demand; a department the ones sent to it; the enterprise side theirs."""
    if access.sees_whole_park:
        return queryset
    visible = enterprise_side_q(access) | Q(raised_by_id=access.user_id)
    if Role.HANDLER in access.roles:
        visible |= Q(department__user_id=access.user_id)
    return queryset.filter(visible)


def sides_of(demand: Demand, access) -> set[str]:
    sides = set()
    if access.is_admin:
        sides.add(ADMIN)
    if Role.HANDLER in access.roles and demand.department_id and demand.department.user_id == access.user_id:
        sides.add(HANDLER)
    if demand.raised_by_id == access.user_id or Demand.objects.filter(pk=demand.pk).filter(enterprise_side_q(access)).exists():
        sides.add(ENTERPRISE)
    return sides


def allowed_actions(demand: Demand, access) -> list[Action]:
    """The buttons this user has on this demand now."""
    if access.read_only:
        return []
    sides = sides_of(demand, access)
    return [ACTIONS[code] for (state, code), (_, who) in TRANSITIONS.items() if state == demand.state and who & sides]


# --- Writes --------------------------------------------------------------------------------------
def _event(demand: Demand, *, action: str, from_state: str, actor, note: str = "") -> DemandEvent:
    return DemandEvent.objects.create(park_id=demand.park_id, demand=demand, action=action, from_state=from_state,
                                      to_state=demand.state, actor=actor, note=note)


@transaction.atomic
def demand_raise(*, park, access, actor, enterprise: Enterprise, category: str, description: str,
                 urgency: str = Demand.Urgency.NORMAL, contact_name: str = "", contact_phone: str = "", attachments=()) -> Demand:
    """An enterprise's demand, raised by its secretary, its instructor or the park admin."""
    categories = service_settings(park).categories
    values = {"description": (description or "").strip(), "contact_name": normalize_text(contact_name),
              "contact_phone": normalize_phone(contact_phone or "")}
    errors = length_errors(Demand, values)
    if not values["description"]:
        errors["description"] = [str(MSG_DESCRIPTION)]
    if category not in categories:
        errors["category"] = [str(MSG_CATEGORY % {"allowed": "、".join(categories)})]
    in_park = Enterprise.objects.filter(park=park, pk=enterprise.pk, status=Enterprise.Status.ACTIVE)
    if not (access.is_admin or (not access.read_only and visible_enterprises(in_park, access).exists())) or not in_park.exists():
        errors["enterprise"] = [str(MSG_ENTERPRISE)]
    if problems := check_uploads(attachments, photo=False):
        errors["attachments"] = problems
    if urgency not in Demand.Urgency.values:
        errors["urgency"] = [str(MSG_UNKNOWN_ACTION)]
    if errors:
        raise ValidationError(errors)
    demand = Demand.objects.create(park=park, enterprise=enterprise, category=category, urgency=urgency,
                                   raised_by=actor, raised_at=timezone.now(), **values)
    for upload in attachments:
        store_upload(DemandAttachment, upload, park=park, demand=demand)
    _event(demand, action="raise", from_state="", actor=actor, note=values["description"][:200])
    audit_record(park=park, actor=actor, action="demand.raise", target=demand, changes={"category": [None, category]})
    return demand


@transaction.atomic
def demand_act(*, demand: Demand, access, actor, action: str, note: str = "", department: Department | None = None,
               due_on: date | None = None, policy_titles: str = "", today: date | None = None) -> Demand:
    """Take one step of the loop, if the table allows it from the demand's state to this user.

    Resolving may cite the library's policies (one title a line); they stay with the demand."""
    today = today or timezone.localdate()
    demand = Demand.objects.select_for_update(of=("self",)).select_related("department").get(pk=demand.pk)
    if action not in ACTIONS:
        raise ValidationError(MSG_UNKNOWN_ACTION)
    step = ACTIONS[action]
    rule = TRANSITIONS.get((demand.state, action))
    if rule is None:
        raise ValidationError(MSG_ILLEGAL % {"state": demand.get_state_display(), "action": step.label})
    to_state, who = rule
    if access.read_only or not who & sides_of(demand, access):
        raise ValidationError(MSG_NOT_YOURS % {"action": step.label})
    note = (note or "").strip()
    errors = {}
    if step.needs == "department":
        if department is None or department.park_id != demand.park_id or not department.is_active:
            errors["department"] = [str(MSG_DEPARTMENT)]
        if due_on is None or not today < due_on <= today + timedelta(days=366):
            errors["due_on"] = [str(MSG_DUE)]
    if step.needs == "note" and not note:
        errors["note"] = [str(MSG_NOTE % {"what": NOTE_WHAT[action]})]
    cited = []
    if action == "resolve":
        cited, problems = policies_named(park=demand.park, text=policy_titles)
        if problems:
            errors["policy_titles"] = problems
    if errors:
        raise ValidationError(errors)
    from_state = demand.state
    demand.state = to_state
    if action == "dispatch":
        demand.department, demand.due_on, demand.escalated_on = department, due_on, None
        note = note or f"派至{department.name}，{due_on:%Y-%m-%d}前办结"
    if action == "resolve":
        demand.resolution = note
        DemandPolicy.objects.filter(park=demand.park, demand=demand).delete()  # a resolution after a 退回 cites afresh
        DemandPolicy.objects.bulk_create([DemandPolicy(park=demand.park, demand=demand, policy_id=pk, position=n) for n, pk in enumerate(cited)])
        if cited:  # the timeline keeps what each resolution cited, also after a 退回 and a new resolution
            titles = dict(Policy.objects.filter(park=demand.park, pk__in=cited).values_list("pk", "title"))
            note += "\n附政策：" + "".join(f"《{titles[pk]}》" for pk in cited)
    if action == "confirm":
        demand.closed_at = timezone.now()
    demand.save()
    _event(demand, action=action, from_state=from_state, actor=actor, note=note)
    changes = {"state": [from_state, to_state]} | ({"policies": [None, len(cited)]} if cited else {})
    audit_record(park=demand.park, actor=actor, action=f"demand.{action}", target=demand, changes=changes)
    return demand


# --- Colour and 督办 -------------------------------------------------------------------------------
BLUE, YELLOW, RED = "blue", "yellow", "red"
COLOUR_LABELS = {BLUE: "即将到期", YELLOW: "已逾期", RED: "严重逾期"}


def colour_q(colour: str, *, settings: ServiceSettings, today: date) -> Q:
    """Open demands by the colour offices use: blue due within N days, yellow overdue, red overdue
    more than M days (N and M are the park's settings)."""
    open_ = Q(state__in=OPEN_STATES, due_on__isnull=False)
    if colour == BLUE:
        return open_ & Q(due_on__gte=today, due_on__lte=today + timedelta(days=settings.due_soon_days))
    if colour == YELLOW:
        return open_ & Q(due_on__lt=today, due_on__gte=today - timedelta(days=settings.red_after_days))
    return open_ & Q(due_on__lt=today - timedelta(days=settings.red_after_days))


def colour_of(demand: Demand, *, settings: ServiceSettings, today: date) -> str:
    return colour_for(demand.state, demand.due_on, settings=settings, today=today)


def colour_for(state: str, due_on: date | None, *, settings: ServiceSettings, today: date) -> str:
    """colour_of on a demand's state and due day alone (the county dashboards read thousands)."""
    if state not in OPEN_STATES or due_on is None:
        return ""
    late = (today - due_on).days
    if late > settings.red_after_days:
        return RED
    if late > 0:
        return YELLOW
    return BLUE if -late <= settings.due_soon_days else ""
