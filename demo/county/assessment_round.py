"""一季一巡查 through the assessment services: once the cycle has opened the quarter's round (and
pinned it to the rubric in force), some branches assess themselves, the inspector scores most of
them item by item; early the next month the admin marks the rest 未检查, previews and confirms the
定档 (star levels set, the 红星津贴 batch drafted), and the batch goes checked → approved → paid by
two people (now and then sent back to draft first). Some parks publish a new rubric in a later year."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from assessment import finalise, payouts, rubrics, scoring
from assessment.models import PayoutBatch, RoundAssessment, RubricItem
from core.periods import month_end, quarter_of
from cycle.models import InspectionRound
from demo.county.clock import Agenda
from demo.county.rhythm import minute
from demo.county.state import ParkWorld
from orgs.selectors import live_party_branches

NOTES = ["台账资料较规范", "个别记录不完整", "阵地建设需加强", "工作扎实，成效明显"]


def plan_round(world: ParkWorld, first: date, agenda: Agenda) -> None:
    """The 1st of a quarter's last month: self-assessments by the 15th, inspections by month end."""
    inspection_round = InspectionRound.objects.filter(park=world.park, year=first.year, quarter=quarter_of(first)).first()
    if inspection_round is None:
        return
    rng = world.rng
    for branch in live_party_branches(park=world.park, on=first).order_by("pk"):
        user = world.secretaries.get(branch.pk)
        if user is not None and rng.random() < 0.25:
            day = first + timedelta(days=rng.randint(1, 13))
            agenda.add(day, minute(world), world.park, lambda b=branch, u=user: score(world, inspection_round, b, u, inspector=False))
        if rng.random() < 0.92:
            day = first + timedelta(days=rng.randint(15, month_end(first).day - 1))
            agenda.add(day, minute(world), world.park, lambda b=branch: score(world, inspection_round, b, world.inspector, inspector=True))
    finalise_day = month_end(first) + timedelta(days=rng.randint(9, 12))
    agenda.add(finalise_day, 10 * 60, world.park, lambda: confirm(world, inspection_round, agenda))


def score(world: ParkWorld, inspection_round: InspectionRound, branch, user, *, inspector: bool) -> None:
    assessment, items = _sheet(world, inspection_round)
    rng = world.rng
    quality = world.branch_diligence(branch.pk) + (0.05 if not inspector else 0)
    entries = {}
    for item in items:
        if item.is_veto:
            entries[item] = (None, "发生安全生产事故", True, None) if inspector and rng.random() < 0.01 else (None, "", False, None)
        else:
            share = min(Decimal("1"), Decimal(str(round(quality * rng.uniform(0.8, 1.1), 2))))
            entries[item] = ((item.max_points * share).quantize(Decimal("0.1")), rng.choice(NOTES) if inspector else "", False, None)
    scoring.scores_save(assessment=assessment, branch=branch, actor=user, entries=entries, as_inspector=inspector)


def _sheet(world: ParkWorld, inspection_round: InspectionRound) -> tuple[RoundAssessment, list[RubricItem]]:
    """The round's assessment and the items a person scores (read once a round)."""
    if world.sheet is None or world.sheet[0].round_id != inspection_round.pk:
        assessment = RoundAssessment.objects.get(park=world.park, round=inspection_round)
        items = list(RubricItem.objects.filter(park=world.park, rubric_id=assessment.rubric_id, measure="").order_by("position"))
        world.sheet = (assessment, items)
    return world.sheet


def confirm(world: ParkWorld, inspection_round: InspectionRound, agenda: Agenda) -> None:
    """定档 as the admin does it on the page: 未检查 for the rest, the preview, its confirmation."""
    preview = finalise.round_preview(inspection_round=inspection_round)
    if preview.undecided:
        finalise.mark_uninspected(inspection_round=inspection_round, actor=world.admin, reason="本季度未能安排现场检查")
        preview = finalise.round_preview(inspection_round=inspection_round)
    _, batch = finalise.round_finalise(inspection_round=inspection_round, actor=world.admin, digest=preview.digest)
    if batch is not None:
        plan_batch(world, batch.pk, agenda)


def plan_batch(world: ParkWorld, batch_id: int, agenda: Agenda) -> None:
    """审核通过 by the admin, 批准 by the office's second person, 登记已发放 by the admin; now and
    then the second person sends a checked batch back to draft, and it is recomputed and checked again."""
    rng, day = world.rng, timezone.localdate()
    S = PayoutBatch.Status
    steps = [(world.admin, S.CHECKED)]
    if rng.random() < 0.1:
        steps += [(world.office, S.DRAFT), (world.admin, RECOMPUTE), (world.admin, S.CHECKED)]
    steps += [(world.office, S.APPROVED), (world.admin, S.PAID)]
    for user, step in steps:
        day += timedelta(days=rng.randint(2, 6))
        agenda.add(day, minute(world), world.park, lambda user=user, step=step: move(world, batch_id, user, step))


RECOMPUTE = "recompute"


def move(world: ParkWorld, batch_id: int, user, step: str) -> None:
    batch = PayoutBatch.objects.get(park=world.park, pk=batch_id)
    if step == RECOMPUTE:
        payouts.batch_recompute(batch=batch, actor=user)
    else:
        payouts.batch_transition(batch=batch, actor=user, to=step)


def new_rubric(world: ParkWorld, day: date) -> None:
    """The park revises its 评分细则: more weight on the measured 三会一课, less on the rest."""
    items = rubrics.default_items()
    for item in items:
        if item["measure"] == "meetings":
            item["max_points"] = Decimal("25")
        elif item["title"] == "党建引领企业发展成效":
            item["max_points"] = Decimal("5")
    rubrics.rubric_publish(park=world.park, actor=world.admin, items=items, published_on=day, note=f"{day.year}年修订")
