"""Scoring a round: a branch's self-assessment (自查初评) and the inspectors' scores (检查验收),
item by item, until the park admin finalises the round."""

from datetime import date
from decimal import Decimal
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.models import ItemScore, RoundAssessment, RubricItem
from assessment.rubrics import fmt_points
from audit.services import audit_record
from core.uploads import check_uploads
from cycle.deadlines import DeadlineState, deadline_state
from cycle.models import DeadlinePolicy, InspectionRound
from orgs.models import Organisation

MSG_FINAL = _("本轮考核已定档，不能再修改。")
MSG_RANGE = _("“%(title)s”的得分应在0到%(max)s之间。")
MSG_AUTO = _("“%(title)s”由系统根据平台记录自动计分。")
MSG_VETO_ONLY = _("“%(title)s”是一票否决项，只需勾选是否触发。")
MSG_FOREIGN_ITEM = _("评分项目不属于本轮使用的评分细则。")
MSG_NUMBER = _("“%(title)s”的得分应为数字。")

def sheet_deadline(inspection_round: InspectionRound, *, as_inspector: bool, today: date | None = None, policies=None) -> DeadlineState:
    """The deadline a sheet is saved against: the inspection's for inspectors (and the park admin
    scoring as one), the self-assessment's for the branch, each by the park's rule."""
    if as_inspector:
        kind, deadline = DeadlinePolicy.Kind.INSPECTION, inspection_round.inspection_due
    else:
        kind, deadline = DeadlinePolicy.Kind.SELF_ASSESSMENT, inspection_round.self_assessment_due
    return deadline_state(inspection_round.park, kind, deadline, today, policies=policies)


def check_open(assessment: RoundAssessment) -> None:
    if assessment.status == RoundAssessment.Status.FINAL:
        raise ValidationError(MSG_FINAL)


def _score_errors(item: RubricItem, points) -> list[str]:
    if item.measure:
        return [str(MSG_AUTO % {"title": item.title})]
    if item.is_veto:
        return [str(MSG_VETO_ONLY % {"title": item.title})] if points not in (None, Decimal("0")) else []
    if points is not None and not Decimal("0") <= points <= item.max_points:
        return [str(MSG_RANGE % {"title": item.title, "max": fmt_points(item.max_points)})]
    return []


def sheet_entries(items, values: dict) -> tuple[dict, list[str]]:
    """A scoring sheet's input as scores_save takes it. `values` maps an item's id to {"points": text
    or number or None, "note", "vetoed", "evidence"}; the page and the API both read their input so.
    Items the platform measures itself are skipped; a veto item is only ticked, never given points."""
    entries, problems = {}, []
    for item in items:
        if item.measure or item.pk not in values:
            continue
        value = values[item.pk]
        raw = value.get("points")
        raw = "" if raw is None else str(raw).strip()
        try:
            points = Decimal(raw) if raw else None
        except ArithmeticError:
            problems.append(str(MSG_NUMBER % {"title": item.title}))
            continue
        if points is not None and not points.is_finite():
            problems.append(str(MSG_NUMBER % {"title": item.title}))
            continue
        entries[item] = (None if item.is_veto else points, value.get("note") or "", bool(value.get("vetoed")), value.get("evidence"))
    return entries, problems


def _scores_of(assessment: RoundAssessment, branch: Organisation, entries: dict) -> dict[int, ItemScore]:
    """item id → the branch's score row for each item, made where missing (three queries at most)."""
    wanted = ItemScore.objects.filter(park=assessment.park, assessment=assessment, branch=branch, item__in=[i.pk for i in entries])
    scores = {score.item_id: score for score in wanted}
    if len(scores) < len(entries):
        ItemScore.objects.bulk_create(
            [ItemScore(park=assessment.park, assessment=assessment, branch=branch, item=item) for item in entries if item.pk not in scores],
            ignore_conflicts=True,
        )
        scores = {score.item_id: score for score in wanted.all()}
    return scores


@transaction.atomic
def scores_save(*, assessment: RoundAssessment, branch: Organisation, actor, entries: dict, as_inspector: bool,
                today: date | None = None) -> int:
    """Save a branch's scores: {item: (points, note, vetoed, evidence)}; self-assessment or inspection.
    Past its deadline the park's rule refuses the sheet, or saves it marked with the day it came in
    (scored_on / self_scored_on, from which the days late are derived)."""
    today = today or timezone.localdate()
    assessment = RoundAssessment.objects.select_for_update().get(pk=assessment.pk)  # the stored status decides
    check_open(assessment)
    inspection_round = InspectionRound.objects.select_related("park").get(pk=assessment.round_id)
    state = sheet_deadline(inspection_round, as_inspector=as_inspector, today=today)
    state.check()
    errors = []
    for item, (points, _note, _vetoed, _evidence) in entries.items():
        if item.rubric_id != assessment.rubric_id:
            raise ValidationError(MSG_FOREIGN_ITEM)
        errors += _score_errors(item, points)
    if as_inspector:  # the evidence goes through the one upload checker, a request's files bounded
        errors += check_uploads([e[3] for e in entries.values() if e[3]], photo=False)
    if errors:
        raise ValidationError({"__all__": errors})
    scores = _scores_of(assessment, branch, entries)
    replaced = []
    for item, (points, note, vetoed, evidence) in entries.items():
        score = scores[item.pk]
        if as_inspector:
            score.points, score.note, score.vetoed = points, (note or "")[:300], bool(vetoed) and item.is_veto
            score.scored_by, score.scored_on = actor, today
            if evidence:
                if score.evidence:
                    replaced.append(score.evidence.name)
                score.evidence.save(PurePath(evidence.name).name[:100], evidence, save=False)
        else:
            score.self_points, score.self_scored_on = points, today
    fields = ["points", "note", "vetoed", "scored_by", "scored_on", "evidence"] if as_inspector else ["self_points", "self_scored_on"]
    for score in scores.values():  # a row each: bulk_update's CASE per field costs more for a sheet's few rows
        score.save(update_fields=fields)
    saved = len(scores)
    if replaced:  # the files a new piece of evidence replaced leave the disk once this is committed
        storage = ItemScore._meta.get_field("evidence").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in replaced])
    changes = {"round": [None, assessment.round_id], "items": [None, saved]}
    if state.days_late:
        changes["days_late"] = [None, state.days_late]
    audit_record(park=assessment.park, actor=actor, action="assessment.inspect" if as_inspector else "assessment.self",
                 target=branch, changes=changes)
    return saved
