"""Reads for the assessment pages: current star levels, a round's totals, a batch's lines."""

from django.db.models import Max, Sum

from assessment.models import (
    ItemScore,
    PayoutBatch,
    PayoutLine,
    RoundAssessment,
    Rubric,
    RubricItem,
    StarLevel,
)
from cycle.models import InspectionRound, days_late
from orgs.models import Organisation
from orgs.selectors import live_party_branches


def visible_branches(*, park, access) -> list[Organisation]:
    """The live 党支部 this user sees: all for park-wide roles, their own for a secretary."""
    branches = live_party_branches(park=park).order_by("name")
    if not access.sees_whole_park:
        branches = branches.filter(pk__in=access.organisation_ids)
    return list(branches)


def latest_levels(*, park, branch_ids) -> dict[int, StarLevel]:
    """Each branch's latest star level (one DISTINCT ON query)."""
    return {
        s.branch_id: s
        for s in StarLevel.objects.filter(park=park, branch_id__in=branch_ids).order_by("branch_id", "-created_at", "-pk").distinct("branch_id")
    }


def recent_rounds(*, park, limit: int = 8) -> list[InspectionRound]:
    """The latest rounds, each with `final` set when its assessment has been finalised."""
    rounds = list(InspectionRound.objects.filter(park=park).order_by("-year", "-quarter")[:limit])
    status = dict(RoundAssessment.objects.filter(park=park, round__in=rounds).values_list("round_id", "status"))
    for inspection_round in rounds:
        inspection_round.final = status.get(inspection_round.pk) == RoundAssessment.Status.FINAL
    return rounds


def assessment_of(*, inspection_round) -> RoundAssessment | None:
    """The round's assessment if scoring has started (reading never starts it)."""
    return RoundAssessment.objects.filter(park_id=inspection_round.park_id, round=inspection_round).select_related("rubric").first()


def round_totals(*, assessment: RoundAssessment) -> dict[int, dict]:
    """branch id → its self-assessed and inspected totals in the round, and the days each came in
    after its deadline (one query; the round is the assessment's, usually loaded already)."""
    inspection_round = assessment.round
    rows = {
        row["branch_id"]: row
        for row in ItemScore.objects.filter(park_id=assessment.park_id, assessment=assessment)
        .values("branch_id").annotate(self_total=Sum("self_points"), total=Sum("points"),
                                      self_on=Max("self_scored_on"), scored_on=Max("scored_on")).order_by()
    }
    for row in rows.values():
        row["self_late"] = days_late(inspection_round.self_assessment_due, row["self_on"])
        row["late"] = days_late(inspection_round.inspection_due, row["scored_on"])
    return rows


def round_levels(*, assessment: RoundAssessment) -> dict[int, StarLevel]:
    return {s.branch_id: s for s in StarLevel.objects.filter(park_id=assessment.park_id, assessment=assessment)}


def quarter_batch(*, park, year: int, quarter: int) -> PayoutBatch | None:
    return PayoutBatch.objects.filter(park=park, year=year, quarter=quarter).first()


def batch_lines(*, batch: PayoutBatch):
    return PayoutLine.objects.filter(park_id=batch.park_id, batch=batch).select_related("branch", "member").order_by("branch__name")


def current_rubric(*, park) -> tuple[list[Rubric], list[RubricItem]]:
    """Every version, newest first, and the items of the newest."""
    rubrics = list(Rubric.objects.filter(park=park).order_by("-version"))
    items = list(RubricItem.objects.filter(park=park, rubric=rubrics[0])) if rubrics else []
    return rubrics, items


def branch_scores(*, assessment: RoundAssessment, branch) -> tuple[list[RubricItem], dict[int, ItemScore]]:
    items = list(RubricItem.objects.filter(park_id=assessment.park_id, rubric_id=assessment.rubric_id))
    scores = {s.item_id: s for s in ItemScore.objects.filter(park_id=assessment.park_id, assessment=assessment, branch=branch)}
    return items, scores
