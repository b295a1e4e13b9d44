"""The dashboards' figures against values computed by hand on a small fixture (2026 Q3, read on
15 November 2026), and the number of queries, the same for one park as for two."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from activities.models import Activity, ActivityKind
from assessment.models import ItemScore, PayoutBatch, StarLevel
from core.periods import ReportPeriod
from core.tenancy.scoping import park_scope
from cycle.models import MonthlyReport
from dashboards.figures import compute, total
from members.models import Member
from orgs.models import Organisation
from services.models import Demand, Visit
from tests.assessment.factories import PayoutBatchFactory, RubricItemFactory
from tests.cycle.factories import (
    MonthlyMeetingFactory,
    TaskAssignmentFactory,
    WorkTaskFactory,
)
from tests.members.factories import MemberFactory
from tests.orgs.factories import (
    CoverageFactory,
    EnterpriseFactory,
    InstructorFactory,
    OrganisationFactory,
    ParkFactory,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 15)
Q3 = ReportPeriod(2026, "quarter", 3)


def at(day: date, hour: int = 10):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def build(world):
    """Park A as the docstring of each assertion below counts it."""
    park, first = world.park, world.branch
    big = EnterpriseFactory(park=park, ownership="private", employees=1200)
    EnterpriseFactory(park=park, ownership="foreign", employees=50)
    EnterpriseFactory(park=park, ownership="state", employees=5, status="moved_out", moved_out_on=date(2026, 8, 1))
    EnterpriseFactory(park=park, ownership="private", employees=400, moved_in_on=date(2026, 10, 1))
    CoverageFactory(organisation=first, enterprise=big)
    second = OrganisationFactory(park=park, parent=world.work_committee, name="第二党支部", founded_on=date(2020, 1, 1))
    OrganisationFactory(park=park, parent=second, name="第二党支部第一党小组", kind=Organisation.Kind.GROUP, formation="")
    gone = OrganisationFactory(park=park, parent=world.work_committee, name="已撤销党支部", dissolved_on=date(2026, 6, 30))

    for post in ("secretary", "", ""):
        MemberFactory(park=park, branch=first, post=post)
    MemberFactory(park=park, branch=first, stage=Member.Stage.PROBATIONARY, full_on=None)
    MemberFactory(park=park, branch=first, stage=Member.Stage.ACTIVIST, joined_on=None, full_on=None)
    MemberFactory.create_batch(2, park=park, branch=second)
    MemberFactory(park=park, branch=second, status=Member.Status.TRANSFERRED_OUT)

    def level(branch, value, day):
        star = StarLevel.objects.create(park=park, branch=branch, level=value, previous_level=1, rule="测试")
        StarLevel.objects.filter(pk=star.pk).update(created_at=at(day))

    level(first, 3, date(2026, 6, 20))
    level(first, 4, date(2026, 9, 20))
    level(second, 2, date(2026, 9, 25))
    level(gone, 5, date(2026, 3, 1))

    paid = PayoutBatchFactory(assessment__round__park=park, assessment__round__year=2026, assessment__round__quarter=3)
    PayoutBatch.objects.filter(pk=paid.pk).update(status=PayoutBatch.Status.PAID, total=Decimal("1000"))
    earlier = PayoutBatchFactory(assessment__round__park=park, assessment__round__year=2026, assessment__round__quarter=2)
    PayoutBatch.objects.filter(pk=earlier.pk).update(status=PayoutBatch.Status.APPROVED, total=Decimal("500"))

    for kind, day in ((ActivityKind.ASSEMBLY, date(2026, 8, 10)), (ActivityKind.THEME_DAY, date(2026, 7, 1)),
                      (ActivityKind.THEME_DAY, date(2026, 9, 1))):
        Activity.objects.create(park=park, branch=first, kind=kind, held_on=day, topic="学习")

    for month, filed in ((date(2026, 7, 1), date(2026, 8, 3)), (date(2026, 8, 1), date(2026, 9, 10))):
        report = MonthlyReport.objects.create(park=park, branch=first, month=month, activities="已开展")
        MonthlyReport.objects.filter(pk=report.pk).update(submitted_at=at(filed))

    meeting = MonthlyMeetingFactory(park=park, month=date(2026, 8, 1))
    task = WorkTaskFactory(park=park, meeting=meeting, deadline=date(2026, 8, 25), published_at=at(date(2026, 8, 2)))
    TaskAssignmentFactory(park=park, task=task, branch=first, status="done", completed_at=at(date(2026, 8, 20)))
    TaskAssignmentFactory(park=park, task=task, branch=second, status="done", completed_at=at(date(2026, 8, 30)))
    draft = WorkTaskFactory(park=park, meeting=meeting, deadline=date(2026, 9, 25), published_at=None)
    TaskAssignmentFactory(park=park, task=draft, branch=first)

    def demand(raised, state, due=None):
        return Demand.objects.create(park=park, enterprise=big, category="融资", description="贷款", state=state,
                                     raised_at=at(raised), due_on=due,
                                     closed_at=at(raised) if state == Demand.State.CLOSED else None)

    demand(date(2026, 7, 3), Demand.State.CLOSED)
    demand(date(2026, 8, 3), Demand.State.IN_PROGRESS, date(2026, 11, 1))  # 14 days late: red
    demand(date(2026, 10, 5), Demand.State.DISPATCHED, date(2026, 11, 10))  # not of Q3; 5 days late: yellow
    demand(date(2026, 9, 3), Demand.State.DISPATCHED, date(2026, 11, 17))  # due in 2 days: blue

    # The to-do: a published task left undone past its deadline, a drafted batch, a term ending in
    # two weeks, and the open round (the batches' factory opens one) with one branch scored.
    late = WorkTaskFactory(park=park, meeting=meeting, deadline=date(2026, 11, 10), published_at=at(date(2026, 11, 1)))
    TaskAssignmentFactory(park=park, task=late, branch=first)
    PayoutBatchFactory(assessment__round__park=park, assessment__round__year=2026, assessment__round__quarter=4)
    Organisation.objects.filter(pk=second.pk).update(elected_on=date(2023, 12, 1))
    ItemScore.objects.create(park=park, assessment=paid.assessment, branch=first,
                             item=RubricItemFactory(rubric=paid.assessment.rubric), points=Decimal("8"))

    instructor = InstructorFactory(park=park)
    InstructorFactory(park=park, is_active=False)
    for day in (date(2026, 8, 1), date(2026, 10, 1)):
        Visit.objects.create(park=park, instructor=instructor, enterprise=big, visited_on=day, met="王经理", topics="走访")
    return first, second


def test_a_parks_figures_match_the_hand_count(world, other):
    with park_scope([world.park, other.park]):
        first, second = build(world)
        EnterpriseFactory(park=other.park, ownership="private", employees=10)
        found = compute([world.park, other.park], Q3, today=TODAY)
    a, b = found[world.park.pk].figures, found[other.park.pk].figures
    branches = found[world.park.pk].branches

    # Present on 30 September: the large private and the small foreign one (one moved out in
    # August, one moved in in October); the first branch covers one of the two.
    assert (a.enterprises, dict(a.by_ownership), dict(a.by_size)) == (2, {"private": 1, "foreign": 1}, {"large": 1, "small": 1})
    assert (a.org_covered, a.org_rate) == (1, 50.0)
    # Live: the 党工委, two 党支部 (the third was dissolved on 30 June), one 党小组.
    assert dict(a.organisations) == {"work_committee": 1, "branch": 2, "group": 1}
    assert dict(a.branches_by_formation) == {"fallback": 1, "single": 1}
    # On the roll: 5 full, 1 probationary, 1 activist; one more member was transferred out.
    assert dict(a.members) == {"full": 5, "probationary": 1, "activist": 1}
    assert (a.members_on_roll, a.party_members, dict(a.by_status)) == (7, 6, {"active": 7, "transferred_out": 1})
    # The second branch is 单独组建 with 2 full members (fewer than 3): one finding.
    assert a.findings == 1
    # Stars on 30 September: ★4 and ★2; on 30 June: the first branch's ★3 (the dissolved one's ★5 is gone).
    assert (dict(a.stars), dict(a.stars_before)) == ({4: 1, 2: 1}, {3: 1})
    assert a.star_change == {1: 0, 2: 1, 3: -1, 4: 1, 5: 0}
    # 红星津贴 of the quarter: the paid Q3 batch; Q2's approved one is another period.
    assert (a.allowance_approved, a.allowance_paid) == (Decimal("1000"), Decimal("1000"))
    # Meetings owed in Q3 (defaults): the first branch (3 full, no committee, no group) an assembly,
    # a lecture, three 主题党日 = 5, held 3; the second (2 full, a group) also three 党小组会 = 8, held 0.
    assert (branches[first.pk][1].meetings_held, branches[first.pk][1].meetings_owed) == (3, 5)
    assert (branches[second.pk][1].meetings_held, branches[second.pk][1].meetings_owed) == (0, 8)
    assert (a.meetings_held, a.meetings_owed, a.compliance_rate) == (3, 13, 23.1)
    # Reports due by the 5th of the next month: July's on time, August's late, September's missing,
    # and the second branch filed none: 1 of 6.
    assert (a.reports_on_time, a.reports_due, a.reports_rate) == (1, 6, 16.7)
    # The published August task: one branch in time, one late; the unpublished task counts nothing.
    assert (a.tasks_on_time, a.tasks_due, a.tasks_rate) == (1, 2, 50.0)
    # Raised in Q3: three demands, one closed. Open ones by colour today: red, yellow, blue.
    assert (a.demands_raised, a.demands_closed, a.closure_rate) == (3, 1, 33.3)
    assert dict(a.overdue) == {"red": 1, "yellow": 1, "blue": 1}
    assert (a.instructors, a.visits) == (1, 1)
    assert (a.tasks_overdue, a.batches_waiting, a.terms_ending, a.unscored) == (1, 1, 1, 1)

    # Park B: one micro enterprise, its one fallback branch and nothing else.
    assert (b.enterprises, dict(b.by_size), b.org_rate, b.compliance_rate, b.closure_rate) == (1, {"micro": 1}, 0.0, 0.0, None)
    # The year: Q2's approved batch and Q3's paid one (Q4's draft counts in neither).
    with park_scope([world.park, other.park]):
        year = compute([world.park], ReportPeriod(2026, "year"), today=TODAY)[world.park.pk].figures
    assert (year.allowance_approved, year.allowance_paid) == (Decimal("1500"), Decimal("1000"))

    both = total([a, b])
    assert (both.enterprises, both.demands_raised, both.branches) == (3, 3, 3)


def test_the_queries_are_the_same_for_one_park_and_for_two(world, other, django_assert_num_queries):
    with park_scope([world.park, other.park]):
        build(world)
        with django_assert_num_queries(12):
            compute([world.park], Q3, today=TODAY)
        with django_assert_num_queries(12) as captured:
            compute([world.park, other.park], Q3, today=TODAY)
    # No row query sorts for nothing: a model's default ordering would add its columns to the
    # SELECT, and to a DISTINCT (the meetings held were once read one row per activity).
    rows = [q["sql"] for q in captured.captured_queries if "DISTINCT ON" not in q["sql"] and "orgs_park" not in q["sql"][:200]]
    assert [sql for sql in rows if "ORDER BY" in sql and "orgs_organisation" not in sql] == []


def test_an_empty_park_reads_no_rate(county):
    park = ParkFactory(county=county)
    with park_scope(park):
        found = compute([park], Q3, today=TODAY)[park.pk].figures
    assert (found.org_rate, found.compliance_rate, found.reports_rate, found.tasks_rate, found.closure_rate) == (None,) * 5
