"""定档 in two steps (assessment.finalise) and the level rules it applies (assessment.levels)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessment import finalise, levels, payouts, rubrics, scoring
from assessment.models import (
    AssessmentSettings,
    PayoutLine,
    RoundAssessment,
    RubricItem,
    StarLevel,
)
from audit.models import AuditEntry
from members.models import Member
from tests.assessment.factories import AssessmentSettingsFactory
from tests.assessment.helpers import (
    branch_with_enterprise,
    finalise_round,
    items,
    open_round,
    score,
)
from tests.members.factories import MemberFactory, PostTermFactory


def rated(total, previous, name="支部", vetoed=False):
    """A plan row of a scored branch, for the rules that compare branches."""
    row = levels.BranchLevel(
        assessment=None, branch_id=hash(name) % 10_000, branch_name=name, inspected=True,
        inspector_points=Decimal(total), measured=Decimal("0"), vetoed=vetoed, previous=previous,
    )
    row.level, row.rule = levels.apply_rules(score=row.total, vetoed=vetoed, previous=previous, settings=AssessmentSettings(max_change=0))
    return row


class TestRules:
    @pytest.mark.parametrize("max_change, previous", [(0, 5), (1, 5), (2, 5), (1, 1), (0, 1)])
    def test_the_veto_cap_holds_whatever_the_largest_change_says(self, max_change, previous):
        settings = AssessmentSettings(veto_cap=3, max_change=max_change)
        level, rule = levels.apply_rules(score=Decimal("95"), vetoed=True, previous=previous, settings=settings)
        assert level <= 3
        assert "一票否决，最高3星" in rule or level < 3

    def test_a_vetoed_branch_stays_under_the_cap_through_the_quotas(self):
        rows = [rated(95, 5, "甲", vetoed=True)]
        rows[0].level, rows[0].rule = levels.apply_rules(score=Decimal("95"), vetoed=True, previous=5, settings=AssessmentSettings(veto_cap=3, max_change=1))
        levels.apply_quotas(rows, AssessmentSettings(quota_star5=0, quota_star4=0))
        assert rows[0].level == 3  # quotas only ever lower a level

    def test_quota_keeps_the_highest_scores_and_breaks_ties_by_last_quarter_then_name(self):
        rows = [rated(98, 3, "丁"), rated(95, 4, "乙"), rated(95, 5, "丙"), rated(95, 5, "甲"), rated(91, 5, "戊")]
        rows += [rated(70, 3, f"其他{n}") for n in range(5)]  # 10 rated branches: 10% ★5 is one
        levels.apply_quotas(rows, AssessmentSettings(quota_star5=10, quota_star4=None))
        by_name = {r.branch_name: r for r in rows}
        assert by_name["丁"].level == 5  # the highest score keeps its place
        assert [by_name[n].level for n in ("丙", "甲", "乙", "戊")] == [4, 4, 4, 4]
        assert "5星名额上限10%（1个）" in by_name["甲"].rule

    def test_ties_within_the_quota_follow_the_stated_rule(self):
        rows = [rated(95, 4, "乙"), rated(95, 5, "丙"), rated(95, 5, "甲"), rated(60, 2, "丁")]
        levels.apply_quotas(rows, AssessmentSettings(quota_star5=50, quota_star4=None))  # 2 of 4 may be ★5
        by_name = {r.branch_name: r.level for r in rows}
        assert (by_name["丙"], by_name["甲"], by_name["乙"]) == (5, 5, 4)  # same score: ★5 last quarter first, then 丙 < 甲 < 乙 by name
        assert "仍相同的，按党组织名称排序" in levels.QUOTA_TIE_RULE

    def test_a_quota_counts_rated_branches_only(self, world, in_park):
        rubrics.rubric_publish(park=world.park, actor=world.admin, items=items(), published_on=date(2026, 1, 1))
        AssessmentSettingsFactory(park=world.park, max_change=0, quota_star5=50)
        top, second = branch_with_enterprise(world, "甲支部"), branch_with_enterprise(world, "乙支部")
        assessment = rubrics.round_assessment(inspection_round=open_round(world.park))
        score(assessment, top, {"三会一课": 60, "班子健全": 40})
        score(assessment, second, {"三会一课": 59, "班子健全": 40})
        plan = {r.branch_name: r for r in levels.plan_levels(assessments=[assessment])}
        assert (plan["甲支部"].level, plan["乙支部"].level) == (5, 4)  # 2 rated: one ★5; the unscored fixture branch is not counted
        assert plan[world.branch.name].level == AssessmentSettings().initial_level


class TestTwoSteps:
    def setup_round(self, world):
        rubrics.rubric_publish(park=world.park, actor=world.admin, items=items(), published_on=date(2026, 1, 1))
        AssessmentSettingsFactory(park=world.park, max_change=0)
        scored = branch_with_enterprise(world, "甲支部")
        unscored = branch_with_enterprise(world, "乙支部")
        for branch, name in ((scored, "王书记"), (unscored, "李书记")):
            PostTermFactory(member=MemberFactory(park=world.park, branch=branch, post=Member.Post.SECRETARY, name=name))
        assessment = rubrics.round_assessment(inspection_round=open_round(world.park))
        score(assessment, scored, {"三会一课": 60, "班子健全": 40})
        return assessment, scored, unscored

    def test_an_unscored_branch_is_neither_rated_nor_downgraded(self, world, in_park):
        assessment, scored, unscored = self.setup_round(world)
        StarLevel.objects.create(park=world.park, branch=unscored, level=5, previous_level=4, rule="上季度")
        preview = finalise.round_preview(inspection_round=assessment.round)
        row = next(r for r in preview.branches if r.branch_id == unscored.pk)
        assert (row.inspected, row.total, row.level, row.decided) == (False, None, 5, False)
        with pytest.raises(ValidationError) as refused:  # 定档 waits for a decision on it
            finalise.round_finalise(inspection_round=assessment.round, actor=world.admin, digest=preview.digest)
        assert "既未检查评分，也未标记“未检查”" in refused.value.messages[0]
        assert finalise.mark_uninspected(inspection_round=assessment.round, actor=world.admin, reason="企业停产") == 2  # and the fixture's branch
        finalise_round(world, assessment.round)
        level = StarLevel.objects.get(assessment=assessment, branch=unscored)
        assert (level.level, level.previous_level, level.score) == (5, 5, None)
        assert "未检查：企业停产，保持5星" in level.rule
        assert StarLevel.objects.get(assessment=assessment, branch=scored).level == 5

    def test_the_self_assessment_alone_rates_nothing(self, world, in_park):
        assessment, scored, unscored = self.setup_round(world)
        entries = {item: (item.max_points, "", False, None) for item in RubricItem.objects.filter(rubric=assessment.rubric, is_veto=False)}
        scoring.scores_save(assessment=assessment, branch=unscored, actor=world.secretary, entries=entries, as_inspector=False,
                            today=assessment.round.opens_on)
        row = next(r for r in finalise.round_preview(inspection_round=assessment.round).branches if r.branch_id == unscored.pk)
        assert (row.inspected, row.level) == (False, AssessmentSettings().initial_level)  # not ★5 on its own word

    def test_confirm_applies_exactly_the_preview_and_refuses_a_stale_one(self, world, in_park):
        assessment, scored, unscored = self.setup_round(world)
        finalise.mark_uninspected(inspection_round=assessment.round, actor=world.admin, reason="未安排")
        preview = finalise.round_preview(inspection_round=assessment.round)
        shown = {(r.branch_id, r.level) for r in preview.branches}
        allowance = {(a.member_id, a.after) for a in preview.allowances if a.after}
        assert preview.total_before == Decimal("600.00") and preview.total_after == Decimal("1200.00")  # ★3 → ★5 for 甲; 乙 keeps ★3
        score(assessment, scored, {"三会一课": 30, "班子健全": 20})  # a score changes after the preview
        with pytest.raises(ValidationError) as stale:
            finalise.round_finalise(inspection_round=assessment.round, actor=world.admin, digest=preview.digest)
        assert stale.value.messages == [str(finalise.MSG_STALE)]
        assert not StarLevel.objects.filter(assessment=assessment).exists()
        score(assessment, scored, {"三会一课": 60, "班子健全": 40})  # back as previewed: the digest matches again
        _, batch = finalise.round_finalise(inspection_round=assessment.round, actor=world.admin, digest=preview.digest)
        assert {(s.branch_id, s.level) for s in StarLevel.objects.filter(assessment=assessment)} == shown
        assert {(line.member_id, line.amount) for line in PayoutLine.objects.filter(batch=batch)} == allowance
        entry = AuditEntry.objects.get(action="assessment.finalise")
        assert entry.changes["allowance"] == ["600.00", "1200.00"]

    def test_reopen_only_while_the_batch_is_a_draft(self, world, in_park):
        assessment, scored, unscored = self.setup_round(world)
        _, batch = finalise_round(world, assessment.round)
        with pytest.raises(ValidationError):
            finalise.round_reopen(inspection_round=assessment.round, actor=world.admin, reason="")  # a reason is required
        finalise.round_reopen(inspection_round=assessment.round, actor=world.admin, reason="乙支部检查结果补报")
        assessment.refresh_from_db()
        batch.refresh_from_db()
        assert assessment.status == RoundAssessment.Status.OPEN
        assert not StarLevel.objects.filter(assessment=assessment).exists()
        assert (PayoutLine.objects.filter(batch=batch).count(), batch.total) == (0, Decimal("0"))
        reopened = AuditEntry.objects.get(action="assessment.reopen")
        assert reopened.changes["reason"] == [None, "乙支部检查结果补报"] and len(reopened.changes["levels"][0]) == 3
        _, batch = finalise_round(world, assessment.round)  # scored again, finalised again
        payouts.batch_transition(batch=batch, actor=world.admin, to="checked")
        with pytest.raises(ValidationError) as closed:
            finalise.round_reopen(inspection_round=assessment.round, actor=world.admin, reason="再改")
        assert "已经已审核" not in closed.value.messages[0] and "定档不能再重开" in closed.value.messages[0]

    def test_marking_needs_a_reason_and_an_unscored_branch(self, world, in_park):
        assessment, scored, unscored = self.setup_round(world)
        with pytest.raises(ValidationError):
            finalise.mark_uninspected(inspection_round=assessment.round, actor=world.admin, reason="  ", branch=unscored)
        with pytest.raises(ValidationError) as inspected:
            finalise.mark_uninspected(inspection_round=assessment.round, actor=world.admin, reason="无", branch=scored)
        assert inspected.value.messages == ["“甲支部”已有检查评分，不能标记为未检查。"]
        assert finalise.mark_uninspected(inspection_round=assessment.round, actor=world.admin, reason="停产", branch=unscored) == 1
