"""Deadlines with a rule. Each kind of deadline of the rhythm — the branch's self-assessment and the
inspectors' scoring (assessment), the 七一 nominations, monthly reports and work-list tasks (cycle) —
either closes its form once the day has passed or accepts late work marked 逾期 with its days late.

Which one is local practice, so a park setting (`DeadlinePolicy`, one row per park and kind, edited
on the 四个一 page); a kind without a row follows `DEFAULT_POLICIES`. `deadline_state` is the one
function that decides: every page, service and API path of those kinds asks it, and a page shows
its `rule` before the user starts. The deadline day itself is open; the day after is late.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import CycleSettings
from core.periods import next_month
from cycle.models import DeadlinePolicy, days_late

Kind, Policy = DeadlinePolicy.Kind, DeadlinePolicy.Policy

# The defaults (docs/cycle.md says why): reports and tasks are the branch's routine record — a late
# one is still wanted, and the measured "on time" items already count the lateness — so they are
# accepted and marked; self-assessment and scoring feed the quarter's 定档, and nominations the 七一
# commendation meeting, which go ahead on their day, so those forms close.
DEFAULT_POLICIES = {
    Kind.SELF_ASSESSMENT: Policy.CLOSE,
    Kind.INSPECTION: Policy.CLOSE,
    Kind.NOMINATION: Policy.CLOSE,
    Kind.REPORT: Policy.ACCEPT_LATE,
    Kind.TASK: Policy.ACCEPT_LATE,
}

OPEN, LATE, CLOSED = "open", "late", "closed"

MSG_CLOSED = _("%(kind)s已于%(deadline)s截止，逾期不再受理。")


@dataclass(frozen=True)
class DeadlineState:
    kind: str
    deadline: date
    policy: str
    state: str  # OPEN, LATE (accepted, marked 逾期) or CLOSED
    days_late: int  # days past the deadline today (0 while open)

    @property
    def is_open(self) -> bool:
        return self.state == OPEN

    @property
    def is_late(self) -> bool:
        return self.state == LATE

    @property
    def is_closed(self) -> bool:
        return self.state == CLOSED

    @property
    def accepts(self) -> bool:
        return self.state != CLOSED

    @property
    def rule(self) -> str:
        """What the page says before the user starts: the deadline and what happens after it."""
        after = "逾期仍可提交，将标记为逾期" if self.policy == Policy.ACCEPT_LATE else "逾期不再受理"
        return f"截止 {self.deadline:%Y-%m-%d}，{after}"

    @property
    def status(self) -> str:
        """Where today stands: empty while open."""
        if self.state == LATE:
            return f"已逾期 {self.days_late} 天，提交后将标记为逾期 {self.days_late} 天。"
        if self.state == CLOSED:
            return "已截止，不再受理。"
        return ""

    def check(self) -> None:
        """Refuse a submission the rule does not accept, naming the deadline."""
        if self.state == CLOSED:
            raise ValidationError(
                {"__all__": [str(MSG_CLOSED % {"kind": Kind(self.kind).label, "deadline": f"{self.deadline:%Y-%m-%d}"})]}
            )


def policies_of(park) -> dict[str, str]:
    """Every kind's policy in this park: its own rows over the defaults (one query)."""
    found = dict(DeadlinePolicy.objects.filter(park=park).values_list("kind", "policy"))
    return {kind: found.get(kind, default) for kind, default in DEFAULT_POLICIES.items()}


def deadline_state(park, kind: str, deadline: date, today: date | None = None, *, policies: dict | None = None) -> DeadlineState:
    """Open on and before the deadline; after it, late (accepted, days counted) or closed, by the
    park's policy for the kind. Pass `policies` (from `policies_of`) to decide several at once."""
    today = today or timezone.localdate()
    policy = (policies or policies_of(park))[kind]
    late = days_late(deadline, today)
    state = OPEN if not late else (LATE if policy == Policy.ACCEPT_LATE else CLOSED)
    return DeadlineState(kind=kind, deadline=deadline, policy=policy, state=state, days_late=late)


def report_deadline(month: date, due_day: int) -> date:
    """A month's report is due on the park's due day (次月几号) of the next month."""
    return next_month(month).replace(day=due_day)


def report_due_day(park) -> int:
    """The park's report due day (次月几号), or the default while it keeps no settings (one query)."""
    found = CycleSettings.objects.filter(park=park).values_list("report_due_day", flat=True).first()
    return found if found is not None else CycleSettings._meta.get_field("report_due_day").default


def late_days_at(deadline: date, at) -> int:
    """Days late of a submission stored with its timestamp (local date against the deadline)."""
    return days_late(deadline, timezone.localtime(at).date()) if at is not None else 0
