"""Which meetings a branch owes: the one place that reads the 支部工作条例's frequencies.

The compliance table, the reminders and the measured 三会一课 item of the quarterly assessment all
ask `meetings_owed`, so a branch can never show no gap and yet lose points for the same meeting.
"""

from dataclasses import dataclass
from datetime import date

from activities.models import DEFAULT_FREQUENCIES, ActivityKind, CycleSettings
from core.periods import Period, periods_between
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
    owed = []
    for kind in DEFAULT_FREQUENCIES:
        if (kind == ActivityKind.GROUP and not branch.has_groups) or (kind == ActivityKind.COMMITTEE and not branch.has_committee):
            continue
        period = config.period_of(kind)
        owed += [Owed(kind, period, first, last) for first, last in periods_between(start, end, period)]
    return owed
