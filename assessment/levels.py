"""Finalisation (定档): every live branch's total becomes a star level by the park's scheme, set-wise
(a fixed number of queries for any number of branches), and the quarter's 红星津贴 batch is drafted."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessment.measures import measured_points
from assessment.models import (
    AssessmentSettings,
    ItemScore,
    PayoutBatch,
    RoundAssessment,
    RubricItem,
    StarLevel,
)
from assessment.payouts import draft_payouts
from assessment.rubrics import fmt_points, round_assessment
from assessment.scoring import check_open
from audit.services import audit_record
from cycle.models import InspectionRound
from orgs.models import Organisation
from orgs.selectors import live_branch_q


def level_for(score: Decimal, settings: AssessmentSettings) -> int:
    for level, floor in ((5, settings.star5_from), (4, settings.star4_from), (3, settings.star3_from), (2, settings.star2_from)):
        if score >= floor:
            return level
    return 1


def apply_rules(*, score: Decimal, vetoed: bool, previous: int, settings: AssessmentSettings) -> tuple[int, str]:
    """The new level and the rule that set it: thresholds, then the veto cap, then the largest change."""
    level = level_for(score, settings)
    rules = [f"得分{fmt_points(score)}分对应{level}星"]
    if vetoed and level > settings.veto_cap:
        level = settings.veto_cap
        rules.append(f"一票否决，最高{settings.veto_cap}星")
    if settings.max_change and abs(level - previous) > settings.max_change:
        level = previous + settings.max_change if level > previous else previous - settings.max_change
        rules.append(f"每季度最多升降{settings.max_change}星（原{previous}星）")
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
class Finalised:
    levels: list[StarLevel]
    assessments: list[RoundAssessment]


@transaction.atomic
def finalise_rounds(*, assessments: list[RoundAssessment], actor) -> Finalised:
    """Score every live branch of each round, set its star level and close the round.

    Queries: a fixed number whatever the number of branches (asserted by the tests and benchmark).
    """
    assessments = [a for a in assessments if a.status == RoundAssessment.Status.OPEN]
    if not assessments:
        return Finalised([], [])
    ids = [a.pk for a in assessments]
    parks = {a.park_id for a in assessments}
    settings = {s.park_id: s for s in AssessmentSettings.objects.filter(park_id__in=parks)}
    items_by_rubric = defaultdict(list)
    for item in RubricItem.objects.filter(rubric_id__in={a.rubric_id for a in assessments}):
        items_by_rubric[item.rubric_id].append(item)
    branches_by_park = defaultdict(list)
    for pk, park_id in (
        Organisation.objects.filter(park_id__in=parks)
        .filter(live_branch_q(timezone.localdate()))
        .values_list("pk", "park_id")
    ):
        branches_by_park[park_id].append(pk)

    measured = measured_points(assessments, items_by_rubric, branches_by_park)
    by_id = {a.pk: a for a in assessments}
    ItemScore.objects.bulk_create(
        [
            ItemScore(park_id=by_id[a].park_id, assessment_id=a, branch_id=b, item_id=i, points=p)
            for (a, b, i), p in measured.items()
        ],
        update_conflicts=True,
        unique_fields=["park", "assessment", "branch", "item"],
        update_fields=["points"],
    )
    totals = {
        (row["assessment_id"], row["branch_id"]): row
        for row in ItemScore.objects.filter(assessment_id__in=ids)
        .values("assessment_id", "branch_id")
        .annotate(
            score=Sum(Coalesce("points", "self_points", Value(Decimal("0"))), filter=Q(item__is_veto=False)),
            vetoed=Count("pk", filter=Q(item__is_veto=True, vetoed=True)),
        )
        .order_by()
    }
    all_branches = [b for a in assessments for b in branches_by_park[a.park_id]]
    previous = current_levels(all_branches)
    levels = []
    for assessment in assessments:
        park_settings = settings.get(assessment.park_id) or AssessmentSettings(park_id=assessment.park_id)
        for branch_id in branches_by_park[assessment.park_id]:
            row = totals.get((assessment.pk, branch_id), {"score": None, "vetoed": 0})
            score = row["score"] or Decimal("0")
            before = previous.get(branch_id, park_settings.initial_level)
            level, rule = apply_rules(score=score, vetoed=bool(row["vetoed"]), previous=before, settings=park_settings)
            levels.append(
                StarLevel(park_id=assessment.park_id, branch_id=branch_id, assessment=assessment, level=level,
                          previous_level=before, score=score, rule=f"{assessment.round}：{rule}")
            )
    StarLevel.objects.bulk_create(levels)
    now = timezone.now()
    RoundAssessment.objects.filter(pk__in=ids).update(status=RoundAssessment.Status.FINAL, finalised_at=now, finalised_by=actor)
    for assessment in assessments:
        assessment.status = RoundAssessment.Status.FINAL
    return Finalised(levels, assessments)


@transaction.atomic
def round_finalise(*, inspection_round: InspectionRound, actor) -> tuple[Finalised, PayoutBatch | None]:
    """The park admin's 定档: star levels set, the quarter's 红星津贴 batch drafted, one audit entry."""
    assessment = round_assessment(inspection_round=inspection_round)
    check_open(assessment)
    with connection.cursor() as cursor:  # one finalisation of a park at a time
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [7002, assessment.park_id])
    assessment = RoundAssessment.objects.select_related("round").get(pk=assessment.pk)
    check_open(assessment)
    finalised = finalise_rounds(assessments=[assessment], actor=actor)
    batches = draft_payouts(assessments=[assessment], actor=actor)
    audit_record(park=assessment.park, actor=actor, action="assessment.finalise", target=inspection_round,
                 changes={"branches": [None, len(finalised.levels)]})
    return finalised, batches[0] if batches else None
