"""红星津贴: the allowance of a quarter, by the branch's star level, drafted set-wise after 定档 and
taken through draft → checked → approved → paid, each change recorded."""

from collections import defaultdict
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
from members.models import PostTerm
from orgs.models import Coverage

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
