"""activities.rules.meetings_owed — the one rule the compliance table, the reminders and the
measured 三会一课 item share."""

from datetime import date
from decimal import Decimal

import pytest

from activities.models import Activity, ActivityKind, CycleSettings
from activities.rules import EVERY_KIND, BranchShape, Owed, meetings_owed
from activities.selectors import branch_shapes, compliance_gaps, compliance_matrix
from assessment import levels, rubrics
from assessment.models import ItemScore, RubricItem
from core.periods import Period
from members.models import Member
from orgs.models import Organisation
from tests.cycle.factories import InspectionRoundFactory
from tests.members.factories import MemberFactory
from tests.orgs.factories import OrganisationFactory

Q3 = (date(2026, 7, 1), date(2026, 9, 30))


def test_a_quarter_owes_each_monthly_kind_three_times_and_the_quarterly_ones_once():
    owed = meetings_owed(CycleSettings(), branch=EVERY_KIND, start=Q3[0], end=Q3[1])
    by_kind = {kind: [o for o in owed if o.kind == kind] for kind in ActivityKind.values}
    assert [len(by_kind[k]) for k in (ActivityKind.ASSEMBLY, ActivityKind.COMMITTEE, ActivityKind.GROUP, ActivityKind.LECTURE, ActivityKind.THEME_DAY)] == [1, 3, 3, 1, 3]
    assert [(o.start, o.end) for o in by_kind[ActivityKind.COMMITTEE]] == [
        (date(2026, 7, 1), date(2026, 7, 31)), (date(2026, 8, 1), date(2026, 8, 31)), (date(2026, 9, 1), date(2026, 9, 30))
    ]


def test_a_branch_without_groups_owes_no_group_meeting():
    owed = meetings_owed(CycleSettings(), branch=BranchShape(has_groups=False, full_members=7), start=Q3[0], end=Q3[1])
    assert ActivityKind.GROUP not in {o.kind for o in owed}
    assert len(owed) == 8


@pytest.mark.parametrize("full_members, owes_committee", [(0, False), (6, False), (7, True), (30, True)])
def test_the_committee_meets_only_where_seven_full_members_elect_one(full_members, owes_committee):
    owed = meetings_owed(CycleSettings(), branch=BranchShape(full_members=full_members), start=Q3[0], end=Q3[1])
    assert (ActivityKind.COMMITTEE in {o.kind for o in owed}) is owes_committee


@pytest.mark.django_db
def test_branch_shapes_count_full_members_on_the_roll_and_groups(world, in_park):
    for _ in range(6):
        MemberFactory(park=world.park, branch=world.branch)
    MemberFactory(park=world.park, branch=world.branch, stage=Member.Stage.PROBATIONARY, full_on=None)
    MemberFactory(park=world.park, branch=world.branch, status=Member.Status.TRANSFERRED_OUT)
    assert branch_shapes(park_ids=[world.park.pk])[world.branch.pk] == BranchShape(has_groups=False, full_members=6)
    MemberFactory(park=world.park, branch=world.branch, status=Member.Status.MOBILE)  # 流动党员 still count
    OrganisationFactory(park=world.park, parent=world.branch, kind=Organisation.Kind.GROUP, formation="")
    shape = branch_shapes(park_ids=[world.park.pk])[world.branch.pk]
    assert (shape, shape.has_committee) == (BranchShape(has_groups=True, full_members=7), True)


def test_a_yearly_setting_owes_one_meeting_for_the_whole_year():
    config = CycleSettings(lecture_period=Period.YEAR)
    [lecture] = [o for o in meetings_owed(config, branch=BranchShape(), start=Q3[0], end=Q3[1]) if o.kind == ActivityKind.LECTURE]
    assert lecture == Owed(ActivityKind.LECTURE, Period.YEAR, date(2026, 1, 1), date(2026, 12, 31))
    assert lecture.label == "党课（本年）"


def test_on_one_day_only_the_periods_containing_it_are_owed():
    owed = meetings_owed(CycleSettings(), branch=EVERY_KIND, start=date(2026, 8, 20), end=date(2026, 8, 20))
    assert {(o.kind, o.start) for o in owed} == {
        (ActivityKind.ASSEMBLY, date(2026, 7, 1)), (ActivityKind.LECTURE, date(2026, 7, 1)),
        (ActivityKind.COMMITTEE, date(2026, 8, 1)), (ActivityKind.GROUP, date(2026, 8, 1)), (ActivityKind.THEME_DAY, date(2026, 8, 1)),
    }


def hold_every_required_meeting(park, branch):
    """Everything a branch without 党小组 owes in Q3 2026, and no 党小组会."""
    held = [(ActivityKind.ASSEMBLY, date(2026, 8, 10)), (ActivityKind.LECTURE, date(2026, 9, 10))]
    for month in (7, 8, 9):
        held += [(ActivityKind.COMMITTEE, date(2026, month, 5)), (ActivityKind.THEME_DAY, date(2026, month, 15))]
    Activity.objects.bulk_create([Activity(park=park, branch=branch, kind=kind, held_on=day, topic="按时召开") for kind, day in held])


@pytest.mark.django_db
def test_a_branch_without_groups_that_held_every_meeting_has_no_gap_and_full_marks(world, in_park):
    """The rule written once: the compliance table, the reminders' gaps and the measured item agree.

    Before it was one function, the measured item also counted 党小组会 for a branch without 党小组:
    such a branch showed no gap and yet scored 14.5 of 20.
    """
    with_groups = OrganisationFactory(park=world.park, parent=world.work_committee, name="有党小组的支部")
    OrganisationFactory(park=world.park, parent=with_groups, kind=Organisation.Kind.GROUP, formation="", name="第一党小组")
    for branch in (world.branch, with_groups):
        for _ in range(7):  # a committee, so 支委会 is owed too
            MemberFactory(park=world.park, branch=branch)
        hold_every_required_meeting(world.park, branch)

    columns, rows = compliance_matrix(park=world.park, year=2026, quarter=3, today=date(2026, 10, 5))
    gaps = {branch.pk: [cell for cell in cells if cell.gap] for branch, cells in rows}
    assert gaps[world.branch.pk] == []
    assert len(gaps[with_groups.pk]) == 3  # its 党小组 met in none of the three months
    assert {g.branch.pk for g in compliance_gaps(world.park, date(2026, 9, 20))} == {with_groups.pk}

    rubrics.rubric_publish(
        park=world.park, actor=world.admin, published_on=date(2026, 1, 1),
        items=[
            {"dimension": "组织生活好", "title": "三会一课", "max_points": Decimal("20"), "is_veto": False, "measure": "meetings"},
            {"dimension": "基础工作好", "title": "台账", "max_points": Decimal("80"), "is_veto": False, "measure": ""},
        ],
    )
    inspection_round = InspectionRoundFactory(park=world.park, year=2026, quarter=3, inspection_due=date(2026, 9, 30))
    levels.finalise_rounds(assessments=[rubrics.round_assessment(inspection_round=inspection_round)], actor=world.admin)
    measured = RubricItem.objects.get(park=world.park, measure="meetings")
    points = dict(ItemScore.objects.filter(park=world.park, item=measured).values_list("branch_id", "points"))
    assert points[world.branch.pk] == Decimal("20.0")
    assert points[with_groups.pk] == Decimal("14.5")  # 8 of the 11 meetings it owed: 20 × 8/11 = 14.545…
