"""Assessment writes: rubric versions, scoring, set-based finalisation into star levels, 红星津贴
batches and their approval, member points, the points store and activist cards.

finalise_rounds and draft_payouts take any number of rounds (a county's, in the benchmark) and
issue the same number of queries whatever the number of branches.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import DEFAULT_FREQUENCIES, Activity, CycleSettings, InspectionRound, MonthlyReport, Period, TaskAssignment
from assessment.models import (
    ActivistCard,
    AssessmentSettings,
    ItemScore,
    MemberStar,
    PayoutBatch,
    PayoutEvent,
    PayoutLine,
    PointBalance,
    PointEntry,
    Redemption,
    RoundAssessment,
    Rubric,
    RubricItem,
    StarCategory,
    StarLevel,
    StoreItem,
)
from assessment.rubrics import DEFAULT_ITEMS, check_rubric, fmt_points
from audit.services import audit_record
from members.models import Member, PostTerm
from orgs.models import Coverage, Organisation
from orgs.selectors import organisation_active_q

CENT = Decimal("0.01")
MSG_FINAL = _("本轮考核已定档，不能再修改。")
MSG_RANGE = _("“%(title)s”的得分应在0到%(max)s之间。")
MSG_AUTO = _("“%(title)s”由系统根据平台记录自动计分。")
MSG_VETO_ONLY = _("“%(title)s”是一票否决项，只需勾选是否触发。")
MSG_TRANSITION = _("不能从“%(from)s”变为“%(to)s”。")
MSG_NOT_DRAFT = _("只有草稿状态的发放批次可以重新计算。")
MSG_BALANCE = _("积分不足：当前%(balance)s分，兑换需要%(cost)s分。")
MSG_STOCK = _("“%(name)s”已兑完。")
MSG_CARD = _("各项得分应在0到25之间。")
MSG_NOT_ACTIVIST = _("积分卡只适用于入党积极分子。")
MSG_POINTS = _("积分应为1到100之间的整数。")


def settings_of(park) -> AssessmentSettings:
    return AssessmentSettings.objects.filter(park=park).first() or AssessmentSettings(park=park)


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    end_month = 3 * quarter
    return start, date(year, end_month, calendar.monthrange(year, end_month)[1])


# --- Rubrics -------------------------------------------------------------------------------------
@transaction.atomic
def rubric_publish(*, park, actor, items: list[dict], published_on: date | None = None, note: str = "") -> Rubric:
    """A new version; rounds opened from its date on use it, earlier rounds keep theirs."""
    check_rubric(items)
    latest = Rubric.objects.filter(park=park).order_by("-version").first()
    rubric = Rubric.objects.create(
        park=park, version=(latest.version + 1) if latest else 1, published_on=published_on or timezone.localdate(),
        note=note, created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    RubricItem.objects.bulk_create(
        [RubricItem(park=park, rubric=rubric, position=n, **item) for n, item in enumerate(items)]
    )
    audit_record(park=park, actor=actor, action="rubric.publish", target=rubric, changes={"version": [None, rubric.version], "items": [None, len(items)]})
    return rubric


def default_items() -> list[dict]:
    return [
        {"dimension": d, "title": t, "max_points": p, "is_veto": v, "measure": m} for d, t, p, v, m in DEFAULT_ITEMS
    ]


def round_assessment(*, inspection_round: InspectionRound) -> RoundAssessment:
    """The round as assessed, with its rubric pinned: the latest version published by its opening."""
    found = RoundAssessment.objects.filter(park=inspection_round.park, round=inspection_round).select_related("rubric").first()
    if found:
        return found
    park = inspection_round.park
    rubric = (
        Rubric.objects.filter(park=park, published_on__lte=inspection_round.opens_on).order_by("-version").first()
        or Rubric.objects.filter(park=park).order_by("version").first()
        or rubric_publish(park=park, actor=None, items=default_items(), published_on=inspection_round.opens_on, note="默认评分细则")
    )
    assessment, _ = RoundAssessment.objects.get_or_create(park=park, round=inspection_round, defaults={"rubric": rubric})
    return assessment


# --- Scoring -------------------------------------------------------------------------------------
def _check_open(assessment: RoundAssessment) -> None:
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


@transaction.atomic
def scores_save(*, assessment: RoundAssessment, branch: Organisation, actor, entries: dict, as_inspector: bool) -> int:
    """Save a branch's scores: {item: (points, note, vetoed, evidence)}; self-assessment or inspection."""
    assessment = RoundAssessment.objects.select_for_update().get(pk=assessment.pk)  # the stored status decides
    _check_open(assessment)
    errors = []
    for item, (points, _note, _vetoed, _evidence) in entries.items():
        if item.rubric_id != assessment.rubric_id:
            raise ValidationError("评分项目不属于本轮使用的评分细则。")
        errors += _score_errors(item, points)
    if errors:
        raise ValidationError({"__all__": errors})
    saved = 0
    for item, (points, note, vetoed, evidence) in entries.items():
        score, _ = ItemScore.objects.get_or_create(park=assessment.park, assessment=assessment, branch=branch, item=item)
        if as_inspector:
            score.points, score.note, score.vetoed = points, (note or "")[:300], bool(vetoed) and item.is_veto
            score.scored_by = actor
            if evidence:
                score.evidence.save(evidence.name, evidence, save=False)
        else:
            score.self_points = points
        score.save()
        saved += 1
    audit_record(park=assessment.park, actor=actor, action="assessment.inspect" if as_inspector else "assessment.self",
                 target=branch, changes={"round": [None, assessment.round_id], "items": [None, saved]})
    return saved


# --- Measured items (set-based over any number of rounds) ----------------------------------------
def _required_slots(settings: CycleSettings, start: date) -> list[tuple[str, date]]:
    """(kind, month) slots a quarter requires: monthly kinds in each month, others once."""
    slots = []
    for kind in DEFAULT_FREQUENCIES:
        period = getattr(settings, f"{kind}_period")
        months = [date(start.year, start.month + k, 1) for k in range(3)] if period == Period.MONTH else [None]
        slots += [(kind, month) for month in months]
    return slots


def measured_points(assessments: list[RoundAssessment], items_by_rubric: dict, branches_by_park: dict) -> dict:
    """{(assessment id, branch id, item id): points} for every measured item (4 queries in all)."""
    if not assessments:
        return {}
    parks = {a.park_id for a in assessments}
    cycle_settings = {s.park_id: s for s in CycleSettings.objects.filter(park_id__in=parks)}
    bounds = {a.pk: quarter_bounds(a.round.year, a.round.quarter) for a in assessments}
    first = min(b[0] for b in bounds.values())
    last = max(b[1] for b in bounds.values())
    held = set(
        Activity.objects.filter(park_id__in=parks, held_on__gte=first, held_on__lte=last)
        .annotate(month=TruncMonth("held_on")).values_list("branch_id", "kind", "month").distinct()
    )
    reports = defaultdict(int)
    for branch_id, month, submitted_at, due_day in (
        MonthlyReport.objects.filter(park_id__in=parks, month__gte=first, month__lte=last)
        .annotate(due_day=Coalesce("park__cycle_settings__report_due_day", Value(5)))
        .values_list("branch_id", "month", "submitted_at", "due_day")
    ):
        due = (month + timedelta(days=32)).replace(day=due_day)
        if timezone.localtime(submitted_at).date() <= due:
            reports[(branch_id, month)] += 1
    tasks = defaultdict(lambda: [0, 0])
    for branch_id, month, deadline, completed_at in (
        TaskAssignment.objects.filter(park_id__in=parks, task__meeting__month__gte=first, task__meeting__month__lte=last)
        .values_list("branch_id", "task__meeting__month", "task__deadline", "completed_at")
    ):
        tally = tasks[(branch_id, month)]
        tally[1] += 1
        if completed_at is not None and timezone.localtime(completed_at).date() <= deadline:
            tally[0] += 1

    result = {}
    for assessment in assessments:
        start, end = bounds[assessment.pk]
        months = [date(start.year, start.month + k, 1) for k in range(3)]
        slots = _required_slots(cycle_settings.get(assessment.park_id) or CycleSettings(), start)
        for item in items_by_rubric[assessment.rubric_id]:
            if not item.measure:
                continue
            for branch_id in branches_by_park[assessment.park_id]:
                if item.measure == "meetings":
                    done = sum(
                        1 for kind, month in slots
                        if (month is not None and (branch_id, kind, month) in held)
                        or (month is None and any((branch_id, kind, m) in held for m in months))
                    )
                    share = Decimal(done) / Decimal(len(slots))
                elif item.measure == "reports":
                    share = Decimal(sum(reports[(branch_id, m)] for m in months)) / Decimal(3)
                else:
                    done = sum(tasks[(branch_id, m)][0] for m in months)
                    total = sum(tasks[(branch_id, m)][1] for m in months)
                    share = Decimal(done) / Decimal(total) if total else Decimal(1)
                result[(assessment.pk, branch_id, item.pk)] = (item.max_points * share).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return result


# --- Finalisation: scores → star levels (set-based) ----------------------------------------------
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
        Organisation.objects.filter(park_id__in=parks, kind=Organisation.Kind.BRANCH)
        .filter(organisation_active_q(timezone.localdate()))
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


# --- 红星津贴 -------------------------------------------------------------------------------------
def months_served(start: date, end: date, held_from: date | None, held_to: date | None) -> Decimal:
    """Months of the quarter a post was held, each month counted by the share of its days."""
    total = Decimal("0")
    month = start
    while month <= end:
        last = date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
        first_day = max(month, held_from or month)
        last_day = min(last, held_to or last)
        if first_day <= last_day:
            total += Decimal((last_day - first_day).days + 1) / Decimal(last.day)
        month = last + timedelta(days=1)
    return total.quantize(CENT, ROUND_HALF_UP)


def draft_payouts(*, assessments: list[RoundAssessment], actor) -> list[PayoutBatch]:
    """One batch per park and quarter (drafting again recomputes a draft, never makes a second).

    Lines: every eligible post holder of a branch that covers an enterprise, months served in the
    quarter pro rata, amount from the branch's level set by this round. Fixed number of queries.
    """
    if not assessments:
        return []
    parks = {a.park_id for a in assessments}
    settings = {s.park_id: s for s in AssessmentSettings.objects.filter(park_id__in=parks)}
    PayoutBatch.objects.bulk_create(
        [PayoutBatch(park_id=a.park_id, year=a.round.year, quarter=a.round.quarter, assessment=a) for a in assessments],
        ignore_conflicts=True,
    )
    wanted = Q()
    for a in assessments:
        wanted |= Q(park_id=a.park_id, year=a.round.year, quarter=a.round.quarter)
    batches = {b.park_id: b for b in PayoutBatch.objects.filter(wanted)}
    drafts = [b for b in batches.values() if b.status == PayoutBatch.Status.DRAFT]
    if not drafts:
        return list(batches.values())
    draft_parks = {b.park_id for b in drafts}
    by_park = {a.park_id: a for a in assessments}
    levels = {
        (row[0], row[1]): row[2]
        for row in StarLevel.objects.filter(assessment_id__in=[by_park[p].pk for p in draft_parks]).values_list("park_id", "branch_id", "level")
    }
    posts = {"secretary"} | {"deputy" for p in draft_parks if (settings.get(p) or AssessmentSettings()).pay_deputies}
    covered = Exists(Coverage.objects.filter(organisation_id=OuterRef("branch_id")))
    starts = {p: quarter_bounds(by_park[p].round.year, by_park[p].round.quarter) for p in draft_parks}
    earliest = min(s for s, _ in starts.values())
    latest = max(e for _, e in starts.values())
    terms = (
        PostTerm.objects.filter(park_id__in=draft_parks, post__in=posts)
        .filter(Q(started_on__isnull=True) | Q(started_on__lte=latest))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=earliest))
        .filter(covered)
        .values_list("park_id", "branch_id", "member_id", "post", "started_on", "ended_on")
    )
    lines = []
    for park_id, branch_id, member_id, post, started_on, ended_on in terms:
        park_settings = settings.get(park_id) or AssessmentSettings()
        if post == "deputy" and not park_settings.pay_deputies:
            continue
        level = levels.get((park_id, branch_id))
        if level is None:
            continue
        start, end = starts[park_id]
        months = months_served(start, end, started_on, ended_on)
        monthly = park_settings.allowance(level)
        amount = (monthly * months).quantize(CENT, ROUND_HALF_UP)
        if months > 0 and amount > 0:
            lines.append(PayoutLine(park_id=park_id, batch=batches[park_id], branch_id=branch_id, member_id=member_id,
                                    post=post, level=level, months=months, monthly=monthly, amount=amount))
    PayoutLine.objects.filter(batch__in=drafts).delete()
    PayoutLine.objects.bulk_create(lines)
    totals = defaultdict(lambda: Decimal("0"))
    for line in lines:
        totals[line.park_id] += line.amount
    for batch in drafts:
        batch.total = totals[batch.park_id]
    PayoutBatch.objects.bulk_update(drafts, ["total"])
    return list(batches.values())


@transaction.atomic
def round_finalise(*, inspection_round: InspectionRound, actor) -> tuple[Finalised, PayoutBatch | None]:
    """The park admin's 定档: star levels set, the quarter's 红星津贴 batch drafted, one audit entry."""
    assessment = round_assessment(inspection_round=inspection_round)
    _check_open(assessment)
    with connection.cursor() as cursor:  # one finalisation of a park at a time
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [7002, assessment.park_id])
    assessment = RoundAssessment.objects.select_related("round").get(pk=assessment.pk)
    _check_open(assessment)
    finalised = finalise_rounds(assessments=[assessment], actor=actor)
    batches = draft_payouts(assessments=[assessment], actor=actor)
    audit_record(park=assessment.park, actor=actor, action="assessment.finalise", target=inspection_round,
                 changes={"branches": [None, len(finalised.levels)]})
    return finalised, batches[0] if batches else None


TRANSITIONS = {
    (PayoutBatch.Status.DRAFT, PayoutBatch.Status.CHECKED),
    (PayoutBatch.Status.CHECKED, PayoutBatch.Status.DRAFT),  # sent back for correction
    (PayoutBatch.Status.CHECKED, PayoutBatch.Status.APPROVED),
    (PayoutBatch.Status.APPROVED, PayoutBatch.Status.PAID),
}


@transaction.atomic
def batch_transition(*, batch: PayoutBatch, actor, to: str) -> PayoutBatch:
    batch = PayoutBatch.objects.select_for_update().get(pk=batch.pk)
    if (batch.status, to) not in TRANSITIONS:
        raise ValidationError(MSG_TRANSITION % {"from": batch.get_status_display(), "to": PayoutBatch.Status(to).label})
    PayoutEvent.objects.create(park=batch.park, batch=batch, from_status=batch.status, to_status=to, actor=actor)
    audit_record(park=batch.park, actor=actor, action="payout.transition", target=batch, changes={"status": [batch.status, to]})
    batch.status = to
    batch.save(update_fields=["status"])
    return batch


@transaction.atomic
def batch_recompute(*, batch: PayoutBatch, actor) -> PayoutBatch:
    if batch.status != PayoutBatch.Status.DRAFT:
        raise ValidationError(MSG_NOT_DRAFT)
    assessment = RoundAssessment.objects.select_related("round").get(pk=batch.assessment_id)
    draft_payouts(assessments=[assessment], actor=actor)
    batch.refresh_from_db()
    return batch


# --- Member points, the store, activist cards ------------------------------------------------------
def _credit(park, member_points: dict[int, int]) -> None:
    """Add earned points to members' balances (upsert, one query)."""
    if not member_points:
        return
    PointBalance.objects.bulk_create(
        [PointBalance(park=park, member_id=m, balance=0) for m in member_points], ignore_conflicts=True
    )
    for member_id, points in member_points.items():
        PointBalance.objects.filter(park=park, member_id=member_id).update(balance=F("balance") + points)


ATTENDANCE_POINTS = 2  # each 三会一课 attended: 学习进步星


def points_for_attendance(*, park, attendances) -> int:
    """Points for members present at a meeting; an attendance earns once (unique constraint)."""
    present = [a for a in attendances if a.present]
    if not present:
        return 0
    existing = set(PointEntry.objects.filter(park=park, attendance__in=present).values_list("attendance_id", flat=True))
    new = [
        PointEntry(park=park, member_id=a.member_id, month=a.activity.held_on.replace(day=1), category=StarCategory.STUDY,
                   points=ATTENDANCE_POINTS, reason=f"参加{a.activity.get_kind_display()}：{a.activity.topic}"[:200], attendance=a)
        for a in present if a.pk not in existing
    ]
    PointEntry.objects.bulk_create(new)
    earned = defaultdict(int)
    for entry in new:
        earned[entry.member_id] += entry.points
    _credit(park, earned)
    return len(new)


@transaction.atomic
def points_add(*, park, actor, member: Member, category: str, points: int, reason: str, month: date) -> PointEntry:
    if member.park_id != park.pk:
        raise ValidationError({"member": ["党员不属于本园区。"]})
    if not 1 <= int(points) <= 100:
        raise ValidationError({"points": [str(MSG_POINTS)]})
    if not (reason or "").strip():
        raise ValidationError({"reason": ["请填写事由。"]})
    entry = PointEntry.objects.create(park=park, member=member, month=month.replace(day=1), category=category,
                                      points=points, reason=reason.strip()[:200], entered_by=actor)
    _credit(park, {member.pk: int(points)})
    audit_record(park=park, actor=actor, action="points.add", target=member, changes={"category": [None, category], "points": [None, points]})
    return entry


def balance_of(*, park, member: Member) -> int:
    return PointBalance.objects.filter(park=park, member=member).values_list("balance", flat=True).first() or 0


@transaction.atomic
def redeem(*, park, actor, member: Member, item: StoreItem) -> Redemption:
    """Spend points on a store item. Conditional updates keep balance and stock from going below
    zero even when two redemptions race (and a CHECK constraint backs the balance)."""
    if member.park_id != park.pk or item.park_id != park.pk:
        raise ValidationError("党员或物品不属于本园区。")
    spent = PointBalance.objects.filter(park=park, member=member, balance__gte=item.cost).update(balance=F("balance") - item.cost)
    if not spent:
        raise ValidationError(MSG_BALANCE % {"balance": balance_of(park=park, member=member), "cost": item.cost})
    taken = StoreItem.objects.filter(park=park, pk=item.pk, stock__gt=0).update(stock=F("stock") - 1)
    if not taken:
        raise ValidationError(MSG_STOCK % {"name": item.name})  # rolls the balance back with it
    redemption = Redemption.objects.create(park=park, member=member, item=item, points=item.cost, created_by=actor)
    audit_record(park=park, actor=actor, action="store.redeem", target=member, changes={"item": [None, item.name], "points": [None, item.cost]})
    return redemption


def stars_select(*, park, year: int, quarter: int) -> int:
    """星级党员 of a quarter: each category where a member's points reach the park's bar. Idempotent."""
    start, end = quarter_bounds(year, quarter)
    bar = settings_of(park).star_points
    rows = (
        PointEntry.objects.filter(park=park, month__gte=start, month__lte=end)
        .values("member_id", "category").annotate(total=Sum("points")).filter(total__gte=bar).order_by()
    )
    before = MemberStar.objects.filter(park=park, year=year, quarter=quarter).count()
    MemberStar.objects.bulk_create(
        [MemberStar(park=park, member_id=r["member_id"], year=year, quarter=quarter, category=r["category"], points=r["total"]) for r in rows],
        ignore_conflicts=True,
    )
    return MemberStar.objects.filter(park=park, year=year, quarter=quarter).count() - before


@transaction.atomic
def activist_card_save(*, park, actor, member: Member, year: int, quarter: int, **scores) -> ActivistCard:
    if member.park_id != park.pk or member.stage != Member.Stage.ACTIVIST:
        raise ValidationError({"member": [str(MSG_NOT_ACTIVIST)]})
    if any(not 0 <= int(v) <= 25 for v in scores.values()):
        raise ValidationError({"__all__": [str(MSG_CARD)]})
    card, _ = ActivistCard.objects.update_or_create(park=park, member=member, year=year, quarter=quarter, defaults=scores)
    audit_record(park=park, actor=actor, action="activist.card", target=member, changes={"total": [None, card.total]})
    return card


@transaction.atomic
def activist_cards_publish(*, park, actor, year: int, quarter: int, branch_ids) -> int:
    count = ActivistCard.objects.filter(park=park, year=year, quarter=quarter, member__branch_id__in=branch_ids).update(published=True)
    return count


@transaction.atomic
def settings_update(*, park, actor, **data) -> AssessmentSettings:
    settings, _ = AssessmentSettings.objects.get_or_create(park=park)
    before = {name: getattr(settings, name) for name in data}
    for name, value in data.items():
        setattr(settings, name, value)
    settings.full_clean()
    settings.save()
    changes = {name: [str(before[name]), str(value)] for name, value in data.items() if before[name] != value}
    if changes:
        audit_record(park=park, actor=actor, action="assessment.settings", target=settings, changes=changes)
    return settings


@transaction.atomic
def store_item_create(*, park, actor, **data) -> StoreItem:
    item = StoreItem(park=park, **data)
    item.full_clean()
    item.save()
    audit_record(park=park, actor=actor, action="store.item", target=item, changes={"name": [None, item.name]})
    return item
