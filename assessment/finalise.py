"""定档 in two steps: a preview of every branch's level and every worker's allowance, then a
confirmation that applies exactly what was previewed; and reopening while the batch is a draft.

A branch nobody scored is not rated: the admin scores it, or marks it 未检查 with a reason, which
keeps its level. The confirmation carries the preview's digest, as an import confirms its plan:
if anything changed since (a score, a member, a setting), it is refused and the preview shown anew.
"""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from assessment.levels import (
    BranchLevel,
    Finalised,
    finalise_rounds,
    plan_levels,
)
from assessment.models import (
    PayoutBatch,
    PayoutLine,
    RoundAssessment,
    StarLevel,
    UninspectedBranch,
)
from assessment.payouts import draft_payouts, payout_lines
from assessment.scoring import check_open
from audit.services import audit_record
from core.locks import transaction_lock
from core.validators import normalize_text
from cycle.models import InspectionRound
from members.models import Member
from orgs.models import Organisation

MSG_NOT_STARTED = _("本轮考核尚未开始评分。")
MSG_STALE = _("预览之后评分或数据已有变化，请重新查看预览后再确认定档。")
MSG_UNDECIDED = _("还有%(count)s个党支部既未检查评分，也未标记“未检查”：%(names)s。")
MSG_REASON = _("请填写未检查的原因。")
MSG_ALREADY_INSPECTED = _("“%(name)s”已有检查评分，不能标记为未检查。")
MSG_NOT_FINAL = _("本轮考核尚未定档。")
MSG_BATCH_MOVED = _("本季度红星津贴发放表已是“%(status)s”状态，定档不能再重开。")
MSG_NOT_LIVE_BRANCH = _("只能标记本园区正常的党支部。")


@dataclass(frozen=True)
class Allowance:
    """One party worker's allowance for the quarter, at the old level and at the new one."""

    branch_id: int
    branch_name: str
    member_id: int
    name: str
    post: str
    before: Decimal
    after: Decimal

    @property
    def post_label(self) -> str:
        return str(Member.Post(self.post).label)


@dataclass
class Preview:
    assessment: RoundAssessment
    branches: list[BranchLevel]
    allowances: list[Allowance]

    @property
    def undecided(self) -> list[BranchLevel]:
        return [row for row in self.branches if not row.decided]

    @property
    def total_before(self) -> Decimal:
        return sum((a.before for a in self.allowances), Decimal("0"))

    @property
    def total_after(self) -> Decimal:
        return sum((a.after for a in self.allowances), Decimal("0"))

    @property
    def digest(self) -> str:
        """What the admin saw: every level, total and rule, every allowance."""
        shown = {
            "branches": [[r.branch_id, r.level, str(r.total), r.rule] for r in self.branches],
            "allowances": [[a.branch_id, a.member_id, a.post, str(a.before), str(a.after)] for a in self.allowances],
        }
        return hashlib.sha256(json.dumps(shown, ensure_ascii=False).encode()).hexdigest()


def _assessment(inspection_round: InspectionRound) -> RoundAssessment:
    assessment = RoundAssessment.objects.select_related("round").filter(park_id=inspection_round.park_id, round=inspection_round).first()
    if assessment is None:
        raise ValidationError(MSG_NOT_STARTED)
    return assessment


def _allowances(assessment: RoundAssessment, plan: list[BranchLevel]) -> list[Allowance]:
    park = assessment.park_id
    before = {(line.branch_id, line.member_id, line.post): line.amount
              for line in payout_lines(assessments=[assessment], levels={(park, r.branch_id): r.previous for r in plan})}
    after = {(line.branch_id, line.member_id, line.post): line.amount
             for line in payout_lines(assessments=[assessment], levels={(park, r.branch_id): r.level for r in plan})}
    keys = sorted(set(before) | set(after))
    names = dict(Member.objects.filter(pk__in={m for _, m, _ in keys}).values_list("pk", "name"))
    branch_names = {r.branch_id: r.branch_name for r in plan}
    zero = Decimal("0.00")
    return [
        Allowance(b, branch_names.get(b, ""), m, names.get(m, ""), post, before.get((b, m, post), zero), after.get((b, m, post), zero))
        for b, m, post in keys
    ]


def round_preview(*, inspection_round: InspectionRound) -> Preview:
    """What confirming would do, written nowhere."""
    assessment = _assessment(inspection_round)
    check_open(assessment)
    plan = plan_levels(assessments=[assessment])
    return Preview(assessment=assessment, branches=plan, allowances=_allowances(assessment, plan))


@transaction.atomic
def round_finalise(*, inspection_round: InspectionRound, actor, digest: str) -> tuple[Finalised, PayoutBatch | None]:
    """The park admin's 定档 of what the preview with this digest showed: star levels set, the
    quarter's 红星津贴 batch drafted, one audit entry."""
    transaction_lock("finalise", inspection_round.park_id)  # one finalisation of a park at a time
    preview = round_preview(inspection_round=inspection_round)
    if preview.digest != digest:
        raise ValidationError(MSG_STALE)
    if undecided := preview.undecided:
        raise ValidationError(MSG_UNDECIDED % {"count": len(undecided), "names": "、".join(r.branch_name for r in undecided[:10])})
    finalised = finalise_rounds(assessments=[preview.assessment], actor=actor, plan=preview.branches)
    batches = draft_payouts(assessments=[preview.assessment], actor=actor)
    audit_record(
        park=preview.assessment.park, actor=actor, action="assessment.finalise", target=inspection_round,
        changes={
            "branches": [None, len(finalised.levels)],
            "uninspected": [None, sum(1 for r in preview.branches if not r.inspected)],
            "allowance": [str(preview.total_before), str(preview.total_after)],
        },
    )
    return finalised, batches[0] if batches else None


@transaction.atomic
def mark_uninspected(*, inspection_round: InspectionRound, actor, reason: str, branch: Organisation | None = None) -> int:
    """未检查: the branch (or every branch not yet scored nor marked) keeps its level this round, for
    the reason given. Returns how many branches were marked."""
    assessment = _assessment(inspection_round)
    check_open(assessment)
    reason = normalize_text(reason)[:200]
    if not reason:
        raise ValidationError({"reason": [str(MSG_REASON)]})
    plan = plan_levels(assessments=[assessment])
    if branch is None:
        chosen = [r for r in plan if not r.decided]
    else:
        chosen = [r for r in plan if r.branch_id == branch.pk]
        if not chosen:
            raise ValidationError(MSG_NOT_LIVE_BRANCH)
        if chosen[0].inspected:
            raise ValidationError(MSG_ALREADY_INSPECTED % {"name": branch.name})
    for row in chosen:
        UninspectedBranch.objects.update_or_create(
            park_id=assessment.park_id, assessment=assessment, branch_id=row.branch_id, defaults={"reason": reason, "marked_by": actor}
        )
    if chosen:
        audit_record(park=assessment.park, actor=actor, action="assessment.uninspected", target=inspection_round,
                     changes={"branches": [None, [r.branch_name for r in chosen]], "reason": [None, reason]})
    return len(chosen)


@transaction.atomic
def round_reopen(*, inspection_round: InspectionRound, actor, reason: str) -> RoundAssessment:
    """Undo a 定档 while the quarter's batch is still a draft: the levels it set are withdrawn (and
    kept in the audit entry), the draft's lines emptied, the round open for scoring again."""
    reason = normalize_text(reason)
    if not reason:
        raise ValidationError({"reason": [str(_("请填写重新定档的原因。"))]})
    assessment = RoundAssessment.objects.select_for_update().select_related("round").filter(
        park_id=inspection_round.park_id, round=inspection_round
    ).first()
    if assessment is None or assessment.status != RoundAssessment.Status.FINAL:
        raise ValidationError(MSG_NOT_FINAL)
    batch = PayoutBatch.objects.select_for_update().filter(
        park_id=assessment.park_id, year=inspection_round.year, quarter=inspection_round.quarter
    ).first()
    if batch is not None and batch.status != PayoutBatch.Status.DRAFT:
        raise ValidationError(MSG_BATCH_MOVED % {"status": batch.get_status_display()})
    withdrawn = list(StarLevel.objects.filter(park_id=assessment.park_id, assessment=assessment).values_list("branch_id", "previous_level", "level"))
    StarLevel.objects.filter(park_id=assessment.park_id, assessment=assessment).delete()
    if batch is not None:
        PayoutLine.objects.filter(park_id=assessment.park_id, batch=batch).delete()
        batch.total = Decimal("0")
        batch.save(update_fields=["total"])
    assessment.status = RoundAssessment.Status.OPEN
    assessment.finalised_at = assessment.finalised_by = None
    assessment.save(update_fields=["status", "finalised_at", "finalised_by"])
    audit_record(
        park=assessment.park, actor=actor, action="assessment.reopen", target=inspection_round,
        changes={"reason": [None, reason], "levels": [[list(w) for w in withdrawn], None]},
    )
    return assessment
