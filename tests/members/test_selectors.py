"""The coverage gap list (members.selectors.coverage_gaps): which enterprises lack a party
organisation, and what each could do about it."""

from datetime import date

import pytest

from core.tenancy.scoping import park_scope
from members.models import Member
from members.selectors import coverage_gaps
from orgs import rules
from tests.members.factories import MemberFactory
from tests.orgs.helpers import build_small_park

TODAY = date(2026, 11, 21)


@pytest.fixture
def small_park(world):
    return build_small_park(world)


def test_gap_list_with_suggestions(world, small_park):
    with park_scope(world.park):
        gaps = {e.name: e for e in coverage_gaps(park=world.park, on=TODAY)}
    assert sorted(gaps) == ["企业2", "企业3", "企业4", "企业5", "企业6", "企业7"]
    assert gaps["企业2"].suggestions == [rules.SUGGEST_FALLBACK]  # has an instructor already
    assert gaps["企业5"].suggestions == [rules.SUGGEST_INSTRUCTOR, rules.SUGGEST_JOINT]
    assert gaps["企业7"].suggestions == [rules.SUGGEST_INSTRUCTOR, rules.SUGGEST_FALLBACK]


def test_three_full_members_suggest_a_branch_of_their_own(world, small_park):
    for _ in range(3):
        MemberFactory(park=world.park, branch=world.branch, enterprise=small_park[7])
    MemberFactory(park=world.park, branch=world.branch, enterprise=small_park[6], stage=Member.Stage.PROBATIONARY, full_on=None)
    with park_scope(world.park):
        gaps = {e.name: e for e in coverage_gaps(park=world.park, on=TODAY)}
    assert gaps["企业7"].suggestions == [rules.SUGGEST_INSTRUCTOR, rules.SUGGEST_SINGLE]
    assert rules.SUGGEST_SINGLE not in gaps["企业6"].suggestions  # a probationary member does not count
