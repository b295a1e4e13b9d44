"""Which meetings a branch owes: the one place that reads the 支部工作条例's frequencies.

The compliance table, the reminders and the measured 三会一课 item of the quarterly assessment all
ask `meetings_owed`, so a branch can never show no gap and yet lose points for the same meeting.
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from activities.models import DEFAULT_FREQUENCIES, ActivityKind, CycleSettings
from core.periods import Period, add_months, month_end, periods_between
from orgs.rules import (
    COMMITTEE_MIN_FULL_MEMBERS,  # below it there is no committee, so no 支委会 is owed
)


@dataclass(frozen=True)
class BranchShape:
    """What about a branch decides which meetings it owes (read by activities.selectors.branch_shapes)."""

    has_groups: bool = False
    full_members: int = 0

    @property
    def has_committee(self) -> bool:
        return self.full_members >= COMMITTEE_MIN_FULL_MEMBERS


# A branch that owes every kind: the columns of the compliance table.
EVERY_KIND = BranchShape(has_groups=True, full_members=COMMITTEE_MIN_FULL_MEMBERS)


@dataclass(frozen=True)
class Owed:
    """One meeting a branch must hold: a kind, once in the period start..end."""

    kind: str
    period: str
    start: date
    end: date

    @property
    def kind_label(self) -> str:
        return str(ActivityKind(self.kind).label)

    @property
    def label(self) -> str:
        if self.period == Period.MONTH:
            return f"{self.kind_label}（{self.start.month}月）"
        if self.period == Period.QUARTER:
            return f"{self.kind_label}（本季度）"
        return f"{self.kind_label}（本年）"


def meetings_owed(config: CycleSettings, *, branch: BranchShape, start: date, end: date) -> list[Owed]:
    """Every meeting the branch owes in the periods that overlap start..end, in the order of the kinds.

    Frequencies are the park's settings, with the 条例's defaults: 支部党员大会 a quarter
    (Art. 11), 支委会 a month (Art. 12), 党小组会 a month (Art. 13), 主题党日 a month (Art. 16),
    党课 as the park sets it. 党小组会 is owed only by a branch that has 党小组 (Art. 13 speaks of
    the groups' own meetings), 支委会 only by one with a committee (7 or more full members, ch. 6).
    """
    periods = tuple(config.period_of(kind) for kind in DEFAULT_FREQUENCIES)
    return list(_owed(periods, branch.has_groups, branch.has_committee, start, end))


@lru_cache(maxsize=4096)
def _owed(periods: tuple, has_groups: bool, has_committee: bool, start: date, end: date) -> tuple[Owed, ...]:
    """meetings_owed for one shape of branch and settings (remembered: a park's branches share a few)."""
    owed = []
    for kind, period in zip(DEFAULT_FREQUENCIES, periods, strict=True):
        if (kind == ActivityKind.GROUP and not has_groups) or (kind == ActivityKind.COMMITTEE and not has_committee):
            continue
        owed += [Owed(kind, period, first, last) for first, last in periods_between(start, end, period)]
    return tuple(owed)


def periods_ending(config: CycleSettings, day: date) -> set[date]:
    """The ends of the periods containing `day` that some meeting kind is owed in: a reminder due
    before a period ends can only fall on one of these, so a day that precedes none asks nothing."""
    periods = {config.period_of(kind) for kind in DEFAULT_FREQUENCIES}
    return {last for period in periods for _, last in periods_between(day, day, period)}


def can_hold(kind: str, branch: BranchShape) -> bool:
    """Whether the branch can hold a meeting of this kind at all: a 党小组会 needs a 党小组
    (支部工作条例 Art. 13: the groups' own meetings). Every branch may hold the others; a 支委会
    is owed only where a committee is elected (meetings_owed), and its 应到 is the committee."""
    return kind in ActivityKind.values and (kind != ActivityKind.GROUP or branch.has_groups)


def kinds_held(branch: BranchShape) -> list[tuple[str, str]]:
    """The (kind, label) choices a branch is offered, in the order of the kinds."""
    return [(kind.value, kind.label) for kind in ActivityKind if can_hold(kind, branch)]


def editable_until(config: CycleSettings, held_on: date) -> date:
    """The last day a meeting's record may be corrected (by the branch's secretary or the park
    admin) or deleted (by the park admin): the end of the month `activity_edit_months` after the
    month it was held (default 1, the end of the next month). Local practice: a park setting."""
    return month_end(add_months(held_on.replace(day=1), config.activity_edit_months))
