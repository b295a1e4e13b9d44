"""Helpers shared by the assessment tests: a rubric's items, a round, a covered branch, scoring."""

from datetime import date
from decimal import Decimal

from assessment import finalise, rubrics, scoring
from assessment.models import RubricItem
from members.models import Member
from orgs.models import Organisation
from tests.assessment.factories import AssessmentSettingsFactory
from tests.cycle.factories import InspectionRoundFactory
from tests.members.factories import MemberFactory, PostTermFactory
from tests.orgs.factories import CoverageFactory, OrganisationFactory


def items(total=100, veto=True):
    rows = [{"dimension": "组织生活好", "title": "三会一课", "max_points": Decimal(total - 40), "is_veto": False, "measure": ""},
            {"dimension": "领导班子好", "title": "班子健全", "max_points": Decimal("40"), "is_veto": False, "measure": ""}]
    if veto:
        rows.append({"dimension": "一票否决", "title": "重大事故", "max_points": Decimal("0"), "is_veto": True, "measure": ""})
    return rows


def open_round(park, year=2026, quarter=3):
    """The quarter's round: opens on the first of its last month, self-assessment by the 15th, inspection by the 28th."""
    return InspectionRoundFactory(park=park, year=year, quarter=quarter)


def branch_with_enterprise(world, name):
    branch = OrganisationFactory(park=world.park, parent=world.work_committee, formation=Organisation.Formation.SINGLE, name=name)
    CoverageFactory(organisation=branch)  # a new enterprise of the park
    return branch


def score(assessment, branch, points: dict, veto=False):
    """Inspector scores by item title."""
    by_title = {i.title: i for i in RubricItem.objects.filter(rubric=assessment.rubric)}
    entries = {by_title[t]: (Decimal(p), "", False, None) for t, p in points.items()}
    if veto:
        entries[by_title["重大事故"]] = (None, "事故", True, None)
    # scored on the round's opening day: within its deadlines, whatever the date the tests run on
    scoring.scores_save(assessment=assessment, branch=branch, actor=None, entries=entries, as_inspector=True,
                        today=assessment.round.opens_on)


def finalised_batch(world, start=None, end=None, level_points=(60, 40)):
    """One branch whose secretary (王书记) held the post from start to end, scored and finalised in Q3 2026
    with no limit on the change of level: returns the quarter's 红星津贴 batch and the round's assessment."""
    rubrics.rubric_publish(park=world.park, actor=world.admin, items=items(), published_on=date(2026, 1, 1))
    branch = branch_with_enterprise(world, "甲支部")
    secretary = MemberFactory(park=world.park, branch=branch, post=Member.Post.SECRETARY, name="王书记")
    PostTermFactory(member=secretary, started_on=start, ended_on=end)
    assessment = rubrics.round_assessment(inspection_round=open_round(world.park))
    score(assessment, branch, {"三会一课": level_points[0], "班子健全": level_points[1]})
    AssessmentSettingsFactory(park=world.park, max_change=0)
    _, batch = finalise_round(world, assessment.round)
    return batch, assessment


def finalise_round(world, inspection_round):
    """定档 as the park admin does it: branches nobody scored are marked 未检查, then what the
    preview shows is confirmed."""
    finalise.mark_uninspected(inspection_round=inspection_round, actor=world.admin, reason="本季度未安排检查")
    preview = finalise.round_preview(inspection_round=inspection_round)
    return finalise.round_finalise(inspection_round=inspection_round, actor=world.admin, digest=preview.digest)
