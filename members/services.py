"""Writes to the member roster and its transfers; every path validates with member_errors."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record, model_changes
from core.crypto import encrypt_id, id_hash, id_tail_hash
from core.uploads import check_uploads, store_upload
from core.validators import (
    IdNumber,
    length_errors,
    mask_id_number,
    normalize_phone,
    normalize_text,
    parse_id_number,
    validate_mobile,
)
from members import documents
from members.development import STEP, member_moves, step_errors
from members.models import (
    DevelopmentSettings,
    DevelopmentStep,
    DocumentTemplate,
    Member,
    MemberTransfer,
    PostTerm,
    ProbationExtension,
    StatusChange,
)
from members.rules import EXTENSION_MONTHS, check_member, probation_end
from members.selectors import publicity_rule
from orgs.models import Organisation
from orgs.selectors import BRANCH_KINDS

MEMBER_FIELDS = [
    "name",
    "gender",
    "ethnicity",
    "phone",
    "education",
    "branch",
    "enterprise",
    "stage",
    "applied_on",
    "activist_on",
    "candidate_on",
    "joined_on",
    "full_on",
    "post",
    "status",
]

MSG_NAME_REQUIRED = _("请填写姓名。")
MSG_BRANCH_REQUIRED = _("请选择所在党支部。")
MSG_BRANCH_OTHER_PARK = _("党支部“%(name)s”不属于本园区。")
MSG_BRANCH_KIND = _("“%(name)s”是%(kind)s，党员应编入党支部或党总支。")
MSG_BRANCH_DISSOLVED = _("党支部“%(name)s”已撤销。")
MSG_ENTERPRISE_OTHER_PARK = _("工作单位“%(name)s”不属于本园区。")
MSG_ID_TAKEN = _("本园区已有该身份证号的人员（%(name)s）。")
MSG_ID_TAKEN_ELSEWHERE = _("本园区其他党组织已有该身份证号的人员，请与园区党建办核对。")
MSG_BRANCH_BY_TRANSFER = _("所在党支部不能在此修改：请办理组织关系转接，转接记录会保留。")
MSG_STATUS_BY_DECISION = _("党员状态不能在此修改：请办理状态变更，并写明日期和原因。")
MSG_STATUS_FINAL = _("该党员已“%(status)s”，状态不能再变更。")
MSG_STATUS_NOT_HERE = _("转出请办理组织关系转接。")
MSG_STATUS_SAME = _("该党员当前已是“%(status)s”。")
MSG_REASON_REQUIRED = _("请填写原因。")
MSG_NOT_FUTURE = _("日期不能晚于今天。")
MSG_NOT_PROBATIONARY = _("只有预备党员可以延长预备期。")
MSG_EXTENDED_ONCE = _("该党员的预备期已经延长过一次，不能再延长。")
MSG_EXTEND_WITHIN = _("延长预备期须在预备期内决定：%(joined)s入党，预备期至%(end)s。")
MSG_EXTEND_MONTHS = _("预备期可延长%(low)s至%(high)s个月。")
MSG_SAME_BRANCH = _("转入的党支部与原党支部相同。")
MSG_NOT_IN_PARK = _("该党员已转出，不能再转接。")
MSG_EXTERNAL_REQUIRED = _("请填写园区外党组织名称。")
MSG_TRANSFER_DATE = _("请填写转接日期。")


def branch_errors(*, park, branch: Organisation | None, on: date) -> list[str]:
    """Why this organisation cannot hold members of this park, or [] when it can."""
    if branch is None:
        return [str(MSG_BRANCH_REQUIRED)]
    if branch.park_id != park.pk:
        return [str(MSG_BRANCH_OTHER_PARK % {"name": branch.name})]
    if branch.kind not in BRANCH_KINDS:
        return [str(MSG_BRANCH_KIND % {"name": branch.name, "kind": branch.get_kind_display()})]
    if branch.dissolved_on and branch.dissolved_on <= on:
        return [str(MSG_BRANCH_DISSOLVED % {"name": branch.name})]
    return []


def member_errors(*, park, values: dict, today: date, extension_months: int = 0) -> tuple[IdNumber | None, dict[str, list[str]]]:
    """Every rule a member's values break, as {field: [messages]}, without touching the database.

    `values` holds parsed Python values (dates, choice keys, Organisation / Enterprise instances)
    and the ID number as text. Returns the parsed ID number too, so callers need not parse it again.
    """
    errors: dict[str, list[str]] = length_errors(Member, values)
    if not values.get("name"):
        errors["name"] = [str(MSG_NAME_REQUIRED)]
    id_info = None
    try:
        id_info = parse_id_number(values.get("id_number", ""))
    except ValidationError as exc:
        errors["id_number"] = exc.messages
    if values.get("phone"):
        try:
            validate_mobile(values["phone"])
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if problems := branch_errors(park=park, branch=values.get("branch"), on=today):
        errors["branch"] = problems
    enterprise = values.get("enterprise")
    if enterprise is not None and enterprise.park_id != park.pk:
        errors["enterprise"] = [str(MSG_ENTERPRISE_OTHER_PARK % {"name": enterprise.name})]
    rule_errors = check_member(
        id_info=id_info,
        gender=values.get("gender") or "",
        stage=values.get("stage") or Member.Stage.FULL,
        applied_on=values.get("applied_on"),
        activist_on=values.get("activist_on"),
        candidate_on=values.get("candidate_on"),
        joined_on=values.get("joined_on"),
        full_on=values.get("full_on"),
        extension_months=extension_months,
        today=today,
    )
    for field, messages in rule_errors.items():
        errors.setdefault(field, []).extend(messages)
    return id_info, errors


def normalise_member_values(values: dict) -> dict:
    values = dict(values)
    for name in ("name", "ethnicity"):
        if name in values:
            values[name] = normalize_text(values[name] or "")
    if "phone" in values:
        values["phone"] = normalize_phone(values["phone"] or "")
    return values


def _audit_changes(member: Member, before: dict | None, old_id: str | None, new_id: str | None) -> dict:
    changes = model_changes(member, before, MEMBER_FIELDS)
    if old_id != new_id:  # the audit log holds ID numbers masked, never in clear
        changes["id_number"] = [mask_id_number(old_id) if old_id else None, mask_id_number(new_id)]
    return changes


def _id_taken(taken: Member, visible) -> str:
    """The refusal of an ID number someone in the park holds. It names the holder only to a user who
    may see them (`visible`: the members the user sees, None for the whole park): a secretary typing
    a number must not learn who holds it in another branch."""
    if visible is None or visible.filter(pk=taken.pk).exists():
        return str(MSG_ID_TAKEN % {"name": taken.name})
    return str(MSG_ID_TAKEN_ELSEWHERE)


@transaction.atomic
def member_create(*, park, actor, id_number: str, today: date | None = None, visible=None, **data) -> Member:
    today = today or timezone.localdate()
    values = normalise_member_values({**data, "id_number": id_number})
    id_info, errors = member_errors(park=park, values=values, today=today)
    if id_info is not None:
        taken = Member.objects.filter(park=park, id_hash=id_hash(id_info.number)).first()
        if taken is not None:
            errors.setdefault("id_number", []).append(_id_taken(taken, visible))
    if errors:
        raise ValidationError(errors)
    member = Member(park=park, id_cipher=encrypt_id(id_info.number), id_hash=id_hash(id_info.number),
                    id_tail_hash=id_tail_hash(id_info.number))
    member.birth_date = id_info.birth_date
    for field in MEMBER_FIELDS:
        if field in values:
            setattr(member, field, values[field])
    member.gender = member.gender or id_info.gender
    member.save()
    post_terms_sync(park=park, rows=[(member.pk, member.branch_id, member.post)], on=today)
    audit_record(park=park, actor=actor, action="member.create", target=member, changes=_audit_changes(member, None, None, id_info.number))
    return member


@transaction.atomic
def member_update(*, member: Member, actor, today: date | None = None, visible=None, **data) -> Member:
    park = member.park
    today = today or timezone.localdate()
    before = {field: getattr(member, field) for field in MEMBER_FIELDS}
    old_id = member.id_number
    values = normalise_member_values({**before, "id_number": old_id, **data})
    errors = {}
    # The branch and the status change by transfer and status decisions, each a record of its own.
    if "branch" in data and values["branch"] != member.branch:
        errors["branch"] = [str(MSG_BRANCH_BY_TRANSFER)]
    if "status" in data and values["status"] != member.status:
        errors["status"] = [str(MSG_STATUS_BY_DECISION)]
    id_info, rule_errors = member_errors(park=park, values=values, today=today, extension_months=extension_months_of(member))
    for field, messages in rule_errors.items():
        errors.setdefault(field, []).extend(messages)
    if id_info is not None and id_info.number != old_id:
        taken = Member.objects.filter(park=park, id_hash=id_hash(id_info.number)).exclude(pk=member.pk).first()
        if taken is not None:
            errors.setdefault("id_number", []).append(_id_taken(taken, visible))
    if errors:
        raise ValidationError(errors)
    for field in MEMBER_FIELDS:
        setattr(member, field, values[field])
    if id_info.number != old_id:
        member.id_cipher, member.id_hash = encrypt_id(id_info.number), id_hash(id_info.number)
        member.id_tail_hash = id_tail_hash(id_info.number)
        member.birth_date = id_info.birth_date
    changes = _audit_changes(member, before, old_id, id_info.number)
    if changes:
        member.save()
        if "post" in changes or "branch" in changes:
            post_terms_sync(park=park, rows=[(member.pk, member.branch_id, member.post)], on=today)
        audit_record(park=park, actor=actor, action="member.update", target=member, changes=changes)
    return member


def extension_months_of(member: Member) -> int:
    extension = ProbationExtension.objects.filter(park_id=member.park_id, member=member).first()
    return extension.months if extension else 0


# --- Status and probation: decisions, each on record --------------------------------------------
# Who may be set to which status by a decision here; 转出 is a transfer (member_transfer_out).
STATUS_DECISIONS = (Member.Status.ACTIVE, Member.Status.MOBILE, Member.Status.SUSPENDED, Member.Status.DECEASED)


@transaction.atomic
def member_status_change(*, member: Member, actor, status: str, on: date, reason: str, today: date | None = None) -> StatusChange:
    """在册 ↔ 流动, 停止党籍, 去世: the change, its date and reason are kept; the member's status follows."""
    today = today or timezone.localdate()
    reason = normalize_text(reason)
    errors = {}
    if member.status in (Member.Status.TRANSFERRED_OUT, Member.Status.DECEASED):
        errors["__all__"] = [str(MSG_STATUS_FINAL % {"status": member.get_status_display()})]
    if status not in STATUS_DECISIONS:
        errors["status"] = [str(MSG_STATUS_NOT_HERE)]
    elif status == member.status:
        errors["status"] = [str(MSG_STATUS_SAME % {"status": member.get_status_display()})]
    if not reason:
        errors["reason"] = [str(MSG_REASON_REQUIRED)]
    if on > today:
        errors["on"] = [str(MSG_NOT_FUTURE)]
    if errors:
        raise ValidationError(errors)
    change = StatusChange.objects.create(
        park=member.park, member=member, from_status=member.status, to_status=status, on=on, reason=reason[:200], actor=actor
    )
    member.status = status
    member.save(update_fields=["status"])
    audit_record(park=member.park, actor=actor, action="member.status", target=member,
                 changes={"status": [change.from_status, status], "on": [None, on.isoformat()], "reason": [None, change.reason]})
    return change


@transaction.atomic
def probation_extend(*, member: Member, actor, decided_on: date, months: int, reason: str, today: date | None = None) -> ProbationExtension:
    """延长预备期 (发展党员工作细则 Art. 32): decided by the branch meeting before the year's
    probation ends, by 6 to 12 months, once."""
    today = today or timezone.localdate()
    reason = normalize_text(reason)
    low, high = EXTENSION_MONTHS
    errors = {}
    if member.stage != Member.Stage.PROBATIONARY or member.joined_on is None:
        errors["__all__"] = [str(MSG_NOT_PROBATIONARY)]
    elif ProbationExtension.objects.filter(park_id=member.park_id, member=member).exists():
        errors["__all__"] = [str(MSG_EXTENDED_ONCE)]
    elif not member.joined_on < decided_on <= probation_end(member.joined_on):
        errors["decided_on"] = [str(MSG_EXTEND_WITHIN % {"joined": member.joined_on, "end": probation_end(member.joined_on)})]
    if decided_on > today:
        errors["decided_on"] = [str(MSG_NOT_FUTURE)]
    if not low <= months <= high:
        errors["months"] = [str(MSG_EXTEND_MONTHS % {"low": low, "high": high})]
    if not reason:
        errors["reason"] = [str(MSG_REASON_REQUIRED)]
    if errors:
        raise ValidationError(errors)
    extension = ProbationExtension.objects.create(
        park=member.park, member=member, decided_on=decided_on, months=months, reason=reason[:200], actor=actor
    )
    audit_record(park=member.park, actor=actor, action="member.probation_extend", target=member,
                 changes={"months": [None, months], "decided_on": [None, decided_on.isoformat()], "ends": [None, probation_end(member.joined_on, months).isoformat()]})
    return extension


# --- Transfers (组织关系转接) ----------------------------------------------------------------------
def _check_still_here(member: Member) -> None:
    if member.status == Member.Status.TRANSFERRED_OUT:
        raise ValidationError({"__all__": [str(MSG_NOT_IN_PARK)]})


@transaction.atomic
def member_transfer_within(*, member: Member, actor, to_branch: Organisation, on: date, note: str = "") -> MemberTransfer:
    _check_still_here(member)
    if problems := branch_errors(park=member.park, branch=to_branch, on=on):
        raise ValidationError({"to_branch": problems})
    if to_branch.pk == member.branch_id:
        raise ValidationError({"to_branch": [str(MSG_SAME_BRANCH)]})
    transfer = MemberTransfer.objects.create(
        park=member.park, member=member, kind=MemberTransfer.Kind.WITHIN, on=on,
        from_branch_id=member.branch_id, to_branch=to_branch, note=normalize_text(note),
    )
    old_branch = member.branch.name
    member.branch = to_branch
    member.save(update_fields=["branch"])
    post_terms_sync(park=member.park, rows=[(member.pk, to_branch.pk, member.post)], on=on)
    audit_record(park=member.park, actor=actor, action="member.transfer_within", target=member,
                 changes={"branch": [old_branch, to_branch.name], "on": [None, on.isoformat()]})
    return transfer


@transaction.atomic
def member_transfer_out(*, member: Member, actor, external_organisation: str, on: date, note: str = "") -> MemberTransfer:
    _check_still_here(member)
    external = normalize_text(external_organisation)
    if not external:
        raise ValidationError({"external_organisation": [str(MSG_EXTERNAL_REQUIRED)]})
    transfer = MemberTransfer.objects.create(
        park=member.park, member=member, kind=MemberTransfer.Kind.OUT, on=on,
        from_branch_id=member.branch_id, external_organisation=external, note=normalize_text(note),
    )
    member.status = Member.Status.TRANSFERRED_OUT
    member.post = ""
    member.save(update_fields=["status", "post"])
    post_terms_sync(park=member.park, rows=[(member.pk, member.branch_id, "")], on=on)
    audit_record(park=member.park, actor=actor, action="member.transfer_out", target=member,
                 changes={"status": ["active", "transferred_out"], "to": [None, external]})
    return transfer


@transaction.atomic
def member_transfer_in(*, park, actor, external_organisation: str, on: date | None, note: str = "", **member_data) -> Member:
    external = normalize_text(external_organisation)
    if not external:
        raise ValidationError({"external_organisation": [str(MSG_EXTERNAL_REQUIRED)]})
    if on is None:
        raise ValidationError({"on": [str(MSG_TRANSFER_DATE)]})
    member = member_create(park=park, actor=actor, **member_data)
    MemberTransfer.objects.create(
        park=park, member=member, kind=MemberTransfer.Kind.IN, on=on,
        to_branch_id=member.branch_id, external_organisation=external, note=normalize_text(note),
    )
    return member


def post_terms_sync(*, park, rows: list[tuple[int, int, str]], on: date | None) -> None:
    """Make each member's open post terms match (member, branch, post): open what is new, close the rest.

    `on` is the day of the change; None means the posts were held since before the platform's
    records (an imported roster), which the 红星津贴 counts as the whole quarter.
    """
    if not rows:
        return
    wanted = {(m, b, p) for m, b, p in rows if p}
    open_terms = list(PostTerm.objects.filter(park=park, member_id__in={m for m, _, _ in rows}, ended_on__isnull=True))
    have = {(t.member_id, t.branch_id, t.post) for t in open_terms}
    ended = (on or timezone.localdate()) - timedelta(days=1)
    PostTerm.objects.filter(pk__in=[t.pk for t in open_terms if (t.member_id, t.branch_id, t.post) not in wanted]).update(ended_on=ended)
    PostTerm.objects.bulk_create(
        [PostTerm(park=park, member_id=m, branch_id=b, post=p, started_on=on) for m, b, p in sorted(wanted - have)]
    )


# --- 发展党员 ----------------------------------------------------------------------------------------
MSG_STEP_UNKNOWN = _("没有这个发展党员步骤。")
MSG_STEP_OFF_ROLL = _("%(name)s目前不在册，不能记录发展步骤。")


@transaction.atomic
def development_step_record(*, park, actor, member: Member, step: str, on: date, document: str = "", note: str = "",
                            today: date | None = None) -> DevelopmentStep:
    """Record one step of the procedure: in order, on a date the timing rules allow
    (development.step_errors); the steps that move a stage (申请, 确定积极分子, 确定发展对象, 支部大会接收,
    审批转正) update the member through member_update, so the member's own rules (age, dates in order,
    a year as activist) hold too."""
    today = today or timezone.localdate()
    if step not in STEP:
        raise ValidationError({"step": [str(MSG_STEP_UNKNOWN)]})
    member = Member.objects.select_for_update().get(park=park, pk=member.pk)
    done = {code: day for code, day in DevelopmentStep.objects.filter(park=park, member=member).values_list("step", "on")}
    errors = []
    if member.status not in Member.ON_ROLL:
        errors.append(str(MSG_STEP_OFF_ROLL % {"name": member.name}))
    extension = extension_months_of(member)
    errors += step_errors(step, on, done, publicity=publicity_rule(park), extension_months=extension, today=today)
    if errors:
        raise ValidationError({"on": errors})
    recorded = DevelopmentStep.objects.create(park=park, member=member, step=step, on=on, document=normalize_text(document)[:100],
                                              note=normalize_text(note)[:200], recorded_by=actor)
    if moves := member_moves(step, on, joined_on=member.joined_on, extension_months=extension):
        member_update(member=member, actor=actor, today=today, **moves)
    audit_record(park=park, actor=actor, action="development.step", target=member,
                 changes={"step": [None, step], "on": [None, on.isoformat()], "document": [None, recorded.document]})
    return recorded


@transaction.atomic
def development_settings_update(*, park, actor, publicity_days: int) -> DevelopmentSettings:
    """The park's 公示 days (a local practice, not a rule of the 细则); audited. Steps already recorded
    keep what they were checked by; the new number applies to what is recorded from now on."""
    settings, _created = DevelopmentSettings.objects.get_or_create(park=park)
    before = settings.publicity_days
    settings.publicity_days = publicity_days
    settings.full_clean()
    settings.save()
    if before != publicity_days:
        audit_record(park=park, actor=actor, action="development.settings", target=settings,
                     changes={"publicity_days": [before, publicity_days]})
    return settings


MSG_TEMPLATE_KIND = _("没有这种文书。")
MSG_TEMPLATE_DOCX = _("文书模板须为 Word 文档（.docx）。")


@transaction.atomic
def document_template_upload(*, park, actor, kind: str, upload) -> DocumentTemplate:
    """A park's own template for a document: a .docx through the one checker that fills without error."""
    if kind not in documents.PAPERS:
        raise ValidationError({"kind": [str(MSG_TEMPLATE_KIND)]})
    if not upload.name.lower().endswith(".docx"):
        raise ValidationError({"file": [str(MSG_TEMPLATE_DOCX)]})
    if problems := check_uploads([upload], photo=False):
        raise ValidationError({"file": problems})
    upload.seek(0)
    data = upload.read()
    try:
        documents.render(data, documents.sample_context())
    except documents.BadTemplate as exc:
        raise ValidationError({"file": [str(exc)]}) from exc
    upload.seek(0)
    stored = store_upload(DocumentTemplate, upload, park=park, kind=kind, uploaded_by=actor)
    audit_record(park=park, actor=actor, action="development.template", target=stored, changes={"kind": [None, kind], "name": [None, stored.name]})
    return stored
