"""Finalisation (定档): every live branch's total becomes a star level by the park's scheme, set-wise
(a fixed number of queries for any number of branches), and the quarter's 红星津贴 batch is drafted."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from assessment.measures import measured_points
from assessment.models import (
    AssessmentSettings,
    ItemScore,
    RoundAssessment,
    RubricItem,
    StarLevel,
    UninspectedBranch,
)
from assessment.rubrics import fmt_points
from orgs.models import Organisation
from orgs.selectors import live_branch_q


def level_for(score: Decimal, settings: AssessmentSettings) -> int:
    for level, floor in ((5, settings.star5_from), (4, settings.star4_from), (3, settings.star3_from), (2, settings.star2_from)):
        if score >= floor:
            return level
    return 1


QUOTA_TIE_RULE = "同分的，上季度星级高者优先；仍相同的，按党组织名称排序"


def apply_rules(*, score: Decimal, vetoed: bool, previous: int, settings: AssessmentSettings) -> tuple[int, str]:
    """One branch's new level and the rules that set it, in this order: the park's thresholds, the
    largest change per quarter, then the veto cap, which holds whatever the other rules say.
    (Quotas, which compare branches, come last: apply_quotas.)"""
    level = level_for(score, settings)
    rules = [f"得分{fmt_points(score)}分对应{level}星"]
    if settings.max_change and abs(level - previous) > settings.max_change:
        level = previous + settings.max_change if level > previous else previous - settings.max_change
        rules.append(f"每季度最多升降{settings.max_change}星（原{previous}星）")
    if vetoed and level > settings.veto_cap:
        level = settings.veto_cap
        rules.append(f"一票否决，最高{settings.veto_cap}星")
    return level, "；".join(rules)


def current_levels(branch_ids) -> dict[int, int]:
    """Each branch's latest star level (one DISTINCT ON query)."""
    rows = (
        StarLevel.objects.filter(branch_id__in=branch_ids)
        .order_by("branch_id", "-created_at", "-pk")
        .distinct("branch_id")
        .values_list("branch_id", "level")
    )
    return dict(rows)


@dataclass
class BranchLevel:
    """One branch's line of a 定档: what was scored, and the level it gets."""

    assessment: RoundAssessment
    branch_id: int
    branch_name: str
    inspected: bool  # an inspector scored an item, or marked a veto
    inspector_points: Decimal
    measured: Decimal
    vetoed: bool
    previous: int
    level: int = 0
    rule: str = ""
    uninspected_reason: str | None = None  # the admin's 未检查 decision, if any

    @property
    def total(self) -> Decimal | None:
        return self.inspector_points + self.measured if self.inspected else None

    @property
    def decided(self) -> bool:
        """Scored, or marked 未检查 with a reason: 定档 may go ahead for this branch."""
        return self.inspected or self.uninspected_reason is not None


def apply_quotas(rows: list[BranchLevel], settings: AssessmentSettings) -> None:
    """The park's quotas among the rated branches: at most quota% of them at ★5, then at ★4 (each
    rounded down); those over it go down one level, lowest total first (ties: QUOTA_TIE_RULE)."""
    rated = [r for r in rows if r.inspected]
    for star, percent in ((5, settings.quota_star5), (4, settings.quota_star4)):
        if percent is None:
            continue
        allowed = len(rated) * percent // 100
        ranked = sorted((r for r in rated if r.level == star), key=lambda r: (-r.total, -r.previous, r.branch_name))
        for row in ranked[allowed:]:
            row.level = star - 1
            row.rule += f"；{star}星名额上限{percent}%（{allowed}个），按得分排序后降为{star - 1}星"


def plan_levels(*, assessments: list[RoundAssessment]) -> list[BranchLevel]:
    """Every live branch of each open round with its scores and the level the park's rules give it.

    Reads only: the preview shows it, finalisation writes it. A branch nobody inspected is not
    rated: it keeps its level (未检查). A fixed number of queries whatever the number of branches.
    """
    if not assessments:
        return []
    ids = [a.pk for a in assessments]
    parks = {a.park_id for a in assessments}
    settings = {s.park_id: s for s in AssessmentSettings.objects.filter(park_id__in=parks)}
    items_by_rubric = defaultdict(list)
    for item in RubricItem.objects.filter(rubric_id__in={a.rubric_id for a in assessments}):
        items_by_rubric[item.rubric_id].append(item)
    branches_by_park = defaultdict(list)
    for pk, park_id, name in (
        Organisation.objects.filter(park_id__in=parks).filter(live_branch_q(timezone.localdate()))
        .order_by("name").values_list("pk", "park_id", "name")
    ):
        branches_by_park[park_id].append((pk, name))
    measured = measured_points(assessments, items_by_rubric, {p: [pk for pk, _ in b] for p, b in branches_by_park.items()})
    measured_by_branch = defaultdict(Decimal)
    for (assessment_id, branch_id, _item), points in measured.items():
        measured_by_branch[(assessment_id, branch_id)] += points
    inspector = {
        (row["assessment_id"], row["branch_id"]): row
        for row in ItemScore.objects.filter(assessment_id__in=ids, item__measure="")
        .values("assessment_id", "branch_id")
        .annotate(
            inspector_points=Sum("points", filter=Q(item__is_veto=False)),
            scored=Count("pk", filter=Q(item__is_veto=False, points__isnull=False) | Q(item__is_veto=True, vetoed=True)),
            vetoed=Count("pk", filter=Q(item__is_veto=True, vetoed=True)),
        )
        .order_by()
    }
    reasons = {
        (a, b): reason
        for a, b, reason in UninspectedBranch.objects.filter(assessment_id__in=ids).values_list("assessment_id", "branch_id", "reason")
    }
    previous = current_levels([pk for b in branches_by_park.values() for pk, _ in b])
    plan = []
    for assessment in assessments:
        park_settings = settings.get(assessment.park_id) or AssessmentSettings(park_id=assessment.park_id)
        rows = []
        for branch_id, name in branches_by_park[assessment.park_id]:
            scored = inspector.get((assessment.pk, branch_id), {"inspector_points": None, "scored": 0, "vetoed": 0})
            row = BranchLevel(
                assessment=assessment, branch_id=branch_id, branch_name=name, inspected=scored["scored"] > 0,
                inspector_points=scored["inspector_points"] or Decimal("0"), measured=measured_by_branch[(assessment.pk, branch_id)],
                vetoed=scored["vetoed"] > 0, previous=previous.get(branch_id, park_settings.initial_level),
                uninspected_reason=reasons.get((assessment.pk, branch_id)),
            )
            if row.inspected:
                row.level, row.rule = apply_rules(score=row.total, vetoed=row.vetoed, previous=row.previous, settings=park_settings)
            else:
                row.level = row.previous
                row.rule = f"未检查：{row.uninspected_reason or '本轮无检查评分'}，保持{row.previous}星"
            rows.append(row)
        apply_quotas(rows, park_settings)
        plan += rows
    return plan


@dataclass
class Finalised:
    levels: list[StarLevel]
    assessments: list[RoundAssessment]


@transaction.atomic
def finalise_rounds(*, assessments: list[RoundAssessment], actor, plan: list[BranchLevel] | None = None) -> Finalised:
    """Write a plan (by default, the one the rounds have now): measured points, each branch's star
    level with the rules that set it, and the rounds closed. A fixed number of queries."""
    assessments = [a for a in assessments if a.status == RoundAssessment.Status.OPEN]
    if not assessments:
        return Finalised([], [])
    plan = plan_levels(assessments=assessments) if plan is None else plan
    by_id = {a.pk: a for a in assessments}
    items_by_rubric = defaultdict(list)
    for item in RubricItem.objects.filter(rubric_id__in={a.rubric_id for a in assessments}, measure__gt=""):
        items_by_rubric[item.rubric_id].append(item)
    branches_by_park = defaultdict(list)
    for row in plan:
        branches_by_park[row.assessment.park_id].append(row.branch_id)
    ItemScore.objects.bulk_create(
        [
            ItemScore(park_id=by_id[a].park_id, assessment_id=a, branch_id=b, item_id=i, points=p)
            for (a, b, i), p in measured_points(assessments, items_by_rubric, branches_by_park).items()
        ],
        update_conflicts=True,
        unique_fields=["park", "assessment", "branch", "item"],
        update_fields=["points"],
    )
    levels = StarLevel.objects.bulk_create(
        [
            StarLevel(park_id=row.assessment.park_id, branch_id=row.branch_id, assessment=row.assessment, level=row.level,
                      previous_level=row.previous, score=row.total, rule=f"{row.assessment.round}：{row.rule}"[:200])
            for row in plan
        ]
    )
    RoundAssessment.objects.filter(pk__in=list(by_id)).update(
        status=RoundAssessment.Status.FINAL, finalised_at=timezone.now(), finalised_by=actor
    )
    for assessment in assessments:
        assessment.status = RoundAssessment.Status.FINAL
    return Finalised(levels, assessments)
