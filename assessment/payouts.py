"""红星津贴: the allowance of a quarter, by the branch's star level, drafted set-wise after 定档 and
taken through draft → checked → approved → paid, each change recorded."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from assessment.models import (
    AssessmentSettings,
    PayoutBatch,
    PayoutEvent,
    PayoutLine,
    RoundAssessment,
    StarLevel,
)
from audit.services import audit_record
from core.periods import month_end, months_between, quarter_bounds
from members.models import Member, PostTerm
from orgs.models import Coverage, Enterprise

CENT = Decimal("0.01")
MSG_TRANSITION = _("不能从“%(from)s”变为“%(to)s”。")
MSG_NOT_DRAFT = _("只有草稿状态的发放批次可以重新计算。")

def months_served(start: date, end: date, held_from: date | None, held_to: date | None) -> Decimal:
    """Months of the quarter a post was held, each month counted by the share of its days."""
    total = Decimal("0")
    for month in months_between(start, end):
        last = month_end(month)
        first_day = max(month, held_from or month)
        last_day = min(last, held_to or last)
        if first_day <= last_day:
            total += Decimal((last_day - first_day).days + 1) / Decimal(last.day)
    return total.quantize(CENT, ROUND_HALF_UP)


def payout_lines(*, assessments: list[RoundAssessment], levels: dict[tuple[int, int], int]) -> list[PayoutLine]:
    """The quarter's allowance lines (unsaved, no batch) for the given (park, branch) → level.

    Every eligible post holder of a branch that covers a non-public enterprise, months served in the quarter
    pro rata, the monthly amount of the branch's level, with the names as they are now. Reads only;
    four queries.
    """
    if not assessments:
        return []
    parks = {a.park_id for a in assessments}
    settings = {s.park_id: s for s in AssessmentSettings.objects.filter(park_id__in=parks)}
    by_park = {a.park_id: a for a in assessments}
    posts = {Member.Post.SECRETARY} | {Member.Post.DEPUTY for p in parks if (settings.get(p) or AssessmentSettings()).pay_deputies}
    # The 红星津贴 is for the party workers of branches that cover a non-public enterprise.
    covered = Exists(Coverage.objects.filter(organisation_id=OuterRef("branch_id"), enterprise__ownership__in=Enterprise.NON_PUBLIC))
    starts = {p: quarter_bounds(by_park[p].round.year, by_park[p].round.quarter) for p in parks}
    earliest = min(s for s, _ in starts.values())
    latest = max(e for _, e in starts.values())
    terms = (
        PostTerm.objects.filter(park_id__in=parks, post__in=posts)
        .filter(Q(started_on__isnull=True) | Q(started_on__lte=latest))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=earliest))
        .filter(covered)
        .order_by("branch_id", "post", "member_id")
        .values_list("park_id", "branch_id", "member_id", "post", "started_on", "ended_on", "member__name", "branch__name")
    )
    units = defaultdict(list)
    for organisation_id, name in (
        Coverage.objects.filter(park_id__in=parks, organisation__park_id__in=parks).order_by("enterprise__name")
        .values_list("organisation_id", "enterprise__name")
    ):
        units[organisation_id].append(name)
    lines = []
    for park_id, branch_id, member_id, post, started_on, ended_on, member_name, branch_name in terms:
        park_settings = settings.get(park_id) or AssessmentSettings()
        if post == Member.Post.DEPUTY and not park_settings.pay_deputies:
            continue
        level = levels.get((park_id, branch_id))
        if level is None:
            continue
        start, end = starts[park_id]
        months = months_served(start, end, started_on, ended_on)
        monthly = park_settings.allowance(level)
        amount = (monthly * months).quantize(CENT, ROUND_HALF_UP)
        if months > 0 and amount > 0:
            lines.append(PayoutLine(
                park_id=park_id, branch_id=branch_id, member_id=member_id, post=post, level=level, months=months,
                monthly=monthly, amount=amount, member_name=member_name, branch_name=branch_name,
                enterprises="、".join(units[branch_id])[:300],
            ))
    return lines


@transaction.atomic
def draft_payouts(*, assessments: list[RoundAssessment], actor) -> list[PayoutBatch]:
    """One batch per park and quarter (drafting again recomputes a draft, never makes a second),
    its lines from the levels this round set. A fixed number of queries. All or nothing: the old
    lines are deleted and the new ones written in one transaction."""
    if not assessments:
        return []
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
    drafted = [a for a in assessments if a.park_id in draft_parks]
    levels = {
        (park_id, branch_id): level
        for park_id, branch_id, level in StarLevel.objects.filter(assessment__in=drafted).values_list("park_id", "branch_id", "level")
    }
    lines = payout_lines(assessments=drafted, levels=levels)
    for line in lines:
        line.batch = batches[line.park_id]
    PayoutLine.objects.filter(batch__in=drafts).delete()
    PayoutLine.objects.bulk_create(lines)
    totals = defaultdict(lambda: Decimal("0"))
    for line in lines:
        totals[line.park_id] += line.amount
    for batch in drafts:
        batch.total = totals[batch.park_id]
    PayoutBatch.objects.bulk_update(drafts, ["total"])
    return list(batches.values())


@dataclass(frozen=True)
class Step:
    """A move of a 红星津贴 batch: the button that makes it, and what the page says once done."""

    button: str
    done: str


Status = PayoutBatch.Status
TRANSITIONS = {
    (Status.DRAFT, Status.CHECKED): Step("审核通过", "发放表已审核通过。"),
    (Status.CHECKED, Status.DRAFT): Step("退回草稿", "发放表已退回草稿，可以修改后重新计算。"),
    (Status.CHECKED, Status.APPROVED): Step("批准", "发放表已批准。"),
    (Status.APPROVED, Status.PAID): Step("登记已发放", "已登记发放。"),
}
MSG_SAME_PERSON = _("审核和批准须由两位不同人员办理：本表由您审核，请另一位同事批准（园区只有一位经办人员的，可在考核设置中取消此项要求）。")
NOTE_ONE_PERSON = "园区设置：审核与批准可由同一人办理"


def _checked_by(batch: PayoutBatch):
    event = PayoutEvent.objects.filter(park_id=batch.park_id, batch=batch, to_status=Status.CHECKED).order_by("-at", "-pk").first()
    return event.actor_id if event else None


@transaction.atomic
def batch_transition(*, batch: PayoutBatch, actor, to: str) -> PayoutBatch:
    """Move the batch one step, recorded with who and when. Approving needs a second person unless
    the park's scheme says its office has one."""
    batch = PayoutBatch.objects.select_for_update().get(pk=batch.pk)
    if (batch.status, to) not in TRANSITIONS:
        label = Status(to).label if to in Status.values else to
        raise ValidationError(MSG_TRANSITION % {"from": batch.get_status_display(), "to": label})
    note = ""
    if to == Status.APPROVED and actor is not None and _checked_by(batch) == actor.pk:
        settings = AssessmentSettings.objects.filter(park_id=batch.park_id).first() or AssessmentSettings()
        if settings.separate_approver:
            raise ValidationError(MSG_SAME_PERSON)
        note = NOTE_ONE_PERSON
    PayoutEvent.objects.create(park=batch.park, batch=batch, from_status=batch.status, to_status=to, actor=actor, note=note)
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
