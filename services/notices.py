"""通知公告: a notice from the park office to all branches, chosen branches or chosen roles, with an
optional reply form of typed fields; each recipient's first read time and reply are kept, the office
sees who has not read or replied, reminds them, and exports the replies as one sheet.

A branch recipient is read and answered by the branch's secretaries; a role recipient by the user.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import RoleAssignment
from audit.services import audit_record
from core.roles import Role
from core.spreadsheets import write_xlsx
from core.uploads import check_upload, check_uploads, store_upload
from core.validators import length_errors, normalize_text
from cycle.notifications import notify, secretaries_of
from orgs.selectors import live_party_branches
from services.models import Notice, NoticeField, NoticeFile, NoticeRecipient

KIND_WORDS = {"文字": NoticeField.Kind.TEXT, "数字": NoticeField.Kind.NUMBER, "日期": NoticeField.Kind.DATE,
              "选项": NoticeField.Kind.CHOICE, "文件": NoticeField.Kind.FILE}
MAX_FIELDS = 20
MAX_TEXT = 500

MSG_FIELD_LINE = _("第%(line)s行“%(text)s”：应为“栏目名称|类型”，类型为文字、数字、日期、选项或文件；选项类型在后面加“|选项一、选项二”。")
MSG_FIELD_OPTIONS = _("第%(line)s行“%(label)s”：选项类型须列出至少两个选项。")
MSG_FIELD_DUPLICATE = _("第%(line)s行“%(label)s”与前面的栏目重名。")
MSG_TOO_MANY_FIELDS = _("回执栏目最多%(max)s个。")
MSG_TITLE = _("请填写标题。")
MSG_BODY = _("请填写正文。")
MSG_NO_RECIPIENTS = _("请选择发送对象：没有可以接收这份通知的党支部或人员。")
MSG_DUE_PAST = _("回复截止日期不能早于今天。")
MSG_CLOSED = _("已过回复截止日期（%(due)s），不能再回复或修改。")
MSG_NO_FORM = _("这份通知不需要回复。")
MSG_NOT_RECIPIENT = _("这份通知不是发给您的。")
MSG_NUMBER = _("“%(label)s”应为数字。")
MSG_DATE = _("“%(label)s”应为日期，例如2026-11-21。")
MSG_CHOICE = _("“%(label)s”应从以下选项中选择：%(options)s。")
MSG_TEXT_LONG = _("“%(label)s”不能超过%(max)s个字。")


# --- The reply form's fields, written as offices write them: one line each ------------------------
def parse_fields(text: str) -> list[dict]:
    """'本支部党员人数|数字' … → field specs; ValidationError naming the line of each problem."""
    fields, problems, seen = [], [], set()
    for line_no, raw in enumerate((text or "").splitlines(), start=1):
        line = normalize_text(raw)
        if not line:
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        if len(parts) < 2 or not parts[0] or parts[1] not in KIND_WORDS:
            problems.append(str(MSG_FIELD_LINE % {"line": line_no, "text": line[:30]}))
            continue
        label, kind = parts[0][:60], KIND_WORDS[parts[1]]
        options = [o.strip() for o in (parts[2] if len(parts) > 2 else "").replace(",", "、").replace("，", "、").split("、") if o.strip()]
        if kind == NoticeField.Kind.CHOICE and len(options) < 2:
            problems.append(str(MSG_FIELD_OPTIONS % {"line": line_no, "label": label}))
        if label in seen:
            problems.append(str(MSG_FIELD_DUPLICATE % {"line": line_no, "label": label}))
        seen.add(label)
        fields.append({"label": label, "kind": kind, "options": options if kind == NoticeField.Kind.CHOICE else []})
    if len(fields) > MAX_FIELDS:
        problems.append(str(MSG_TOO_MANY_FIELDS % {"max": MAX_FIELDS}))
    if problems:
        raise ValidationError({"fields_text": problems})
    return fields


# --- Publishing ---------------------------------------------------------------------------------
def _recipient_users(notice: Notice, recipients: list[NoticeRecipient]) -> dict[int, list[int]]:
    """recipient id → the user ids who read and answer for it."""
    secretaries = secretaries_of(notice.park)
    return {r.pk: ([r.user_id] if r.user_id else secretaries.get(r.branch_id, [])) for r in recipients}


@transaction.atomic
def notice_publish(*, park, actor, title: str, body: str, kind: str, audience: str, branches=(), roles=(),
                   reply_due: date | None = None, fields_text: str = "", files=(), today: date | None = None) -> Notice:
    today = today or timezone.localdate()
    values = {"title": normalize_text(title), "body": (body or "").strip()}
    errors = length_errors(Notice, values)
    if not values["title"]:
        errors["title"] = [str(MSG_TITLE)]
    if not values["body"]:
        errors["body"] = [str(MSG_BODY)]
    if reply_due is not None and reply_due < today:
        errors["reply_due"] = [str(MSG_DUE_PAST)]
    try:
        fields = parse_fields(fields_text)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        fields = []
    if problems := check_uploads(files, photo=False):
        errors["files"] = problems
    live = live_party_branches(park=park, on=today)
    if audience == Notice.Audience.ALL_BRANCHES:
        targets = [("branch", pk) for pk in live.values_list("pk", flat=True)]
    elif audience == Notice.Audience.BRANCHES:
        targets = [("branch", pk) for pk in live.filter(pk__in=[b.pk for b in branches]).values_list("pk", flat=True)]
    else:
        chosen = [r for r in roles if r in Role.values and r != Role.COUNTY_VIEWER]
        targets = [("user", pk) for pk in RoleAssignment.objects.filter(park=park, role__in=chosen).values_list("user_id", flat=True).distinct()]
    if not targets:
        errors["audience"] = [str(MSG_NO_RECIPIENTS)]
    if errors:
        raise ValidationError(errors)
    notice = Notice.objects.create(park=park, kind=kind, audience=audience, reply_due=reply_due, created_by=actor,
                                   published_at=timezone.now(), **values)
    NoticeField.objects.bulk_create([NoticeField(park=park, notice=notice, position=n, **f) for n, f in enumerate(fields)])
    recipients = NoticeRecipient.objects.bulk_create(
        [NoticeRecipient(park=park, notice=notice, **{"branch_id" if who == "branch" else "user_id": pk}) for who, pk in sorted(set(targets))]
    )
    for upload in files:
        _save_file(notice, upload)
    due = f"，请于{reply_due:%m月%d日}前回复" if reply_due and fields else ""
    link = reverse("services:notice", args=[park.code, notice.pk])
    users = _recipient_users(notice, recipients)
    notify(park, [(u, f"notice:{notice.pk}", f"新通知：{notice.title}{due}"[:300], link) for r in recipients for u in users[r.pk]])
    audit_record(park=park, actor=actor, action="notice.publish", target=notice, changes={"recipients": [None, len(recipients)], "fields": [None, len(fields)]})
    return notice


def _save_file(notice: Notice, upload, *, recipient: NoticeRecipient | None = None, field: NoticeField | None = None) -> NoticeFile:
    return store_upload(NoticeFile, upload, park_id=notice.park_id, notice=notice, recipient=recipient, field=field)


# --- Reading and replying ------------------------------------------------------------------------
def recipient_q(access, prefix: str = "") -> Q:
    """The recipient rows that are this user's: addressed to them, or to a branch they are secretary
    of. `prefix` reaches the rows from another model ("recipients__" from a notice)."""
    mine = Q(**{f"{prefix}user_id": access.user_id})
    if Role.BRANCH_SECRETARY in access.roles:
        mine |= Q(**{f"{prefix}branch_id__in": access.organisation_ids})
    return mine


def recipients_of(notice: Notice, access) -> list[NoticeRecipient]:
    """The recipient rows this user reads and answers for: their branches', and their own."""
    return list(NoticeRecipient.objects.filter(park_id=notice.park_id, notice=notice).filter(recipient_q(access)).select_related("branch"))


def visible_notices(queryset, access):
    if access.sees_whole_park:
        return queryset
    return queryset.filter(recipient_q(access, "recipients__")).distinct()


@transaction.atomic
def notice_read(*, notice: Notice, access, actor) -> int:
    """The read receipt: the first time each of the user's recipient rows is read, once."""
    ids = [r.pk for r in recipients_of(notice, access) if r.first_read_at is None]
    return NoticeRecipient.objects.filter(pk__in=ids, first_read_at__isnull=True).update(first_read_at=timezone.now(), read_by=actor)


def _answer(field: NoticeField, raw) -> str:
    """One field's answer as it is kept (text), or ValidationError naming the field."""
    raw = (raw or "").strip() if isinstance(raw, str) else raw
    if raw in ("", None):
        return ""
    if field.kind == NoticeField.Kind.NUMBER:
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise ValidationError(MSG_NUMBER % {"label": field.label}) from None
        if not number.is_finite():
            raise ValidationError(MSG_NUMBER % {"label": field.label})
        return str(number)
    if field.kind == NoticeField.Kind.DATE:
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            raise ValidationError(MSG_DATE % {"label": field.label}) from None
        return day.isoformat()
    if field.kind == NoticeField.Kind.CHOICE and raw not in field.options:
        raise ValidationError(MSG_CHOICE % {"label": field.label, "options": "、".join(field.options)})
    if len(raw) > MAX_TEXT:
        raise ValidationError(MSG_TEXT_LONG % {"label": field.label, "max": MAX_TEXT})
    return raw


@transaction.atomic
def notice_reply(*, notice: Notice, recipient: NoticeRecipient, access, actor, data: dict, files: dict, today: date | None = None) -> NoticeRecipient:
    """Reply (or revise the reply) until the notice's deadline: every field checked by its type."""
    today = today or timezone.localdate()
    if recipient.pk not in {r.pk for r in recipients_of(notice, access)}:
        raise ValidationError(MSG_NOT_RECIPIENT)
    fields = list(notice.fields.all())
    if not fields:
        raise ValidationError(MSG_NO_FORM)
    if notice.reply_due is not None and today > notice.reply_due:
        raise ValidationError(MSG_CLOSED % {"due": notice.reply_due})
    answers, errors = dict(recipient.answers), {}
    for field in fields:
        key = f"field_{field.pk}"
        if field.kind == NoticeField.Kind.FILE:
            upload = files.get(key)
            if upload is not None:
                try:
                    check_upload(upload, photo=False)
                except ValidationError as exc:
                    errors[key] = exc.messages
            continue
        try:
            answers[str(field.pk)] = _answer(field, data.get(key))
        except ValidationError as exc:
            errors[key] = exc.messages
    if errors:
        raise ValidationError(errors)
    for field in fields:
        upload = files.get(f"field_{field.pk}")
        if field.kind == NoticeField.Kind.FILE and upload is not None:
            NoticeFile.objects.filter(park_id=notice.park_id, recipient=recipient, field=field).delete()  # the reply's newer file
            answers[str(field.pk)] = _save_file(notice, upload, recipient=recipient, field=field).name
    first = recipient.replied_at is None
    recipient.answers, recipient.replied_at, recipient.replied_by = answers, timezone.now(), actor
    if recipient.first_read_at is None:
        recipient.first_read_at, recipient.read_by = recipient.replied_at, actor
    recipient.save()
    audit_record(park=notice.park, actor=actor, action="notice.reply" if first else "notice.revise", target=notice,
                 changes={"recipient": [None, str(recipient.branch or recipient.user)]})
    return recipient


@transaction.atomic
def notice_remind(*, notice: Notice, actor, today: date | None = None) -> int:
    """Remind everyone who has not read it, and, where it asks for a reply, not replied."""
    today = today or timezone.localdate()
    pending = NoticeRecipient.objects.filter(park_id=notice.park_id, notice=notice).filter(
        Q(first_read_at__isnull=True) | (Q(replied_at__isnull=True) if notice.fields.exists() else Q(pk__in=[]))
    )
    recipients = list(pending)
    users = _recipient_users(notice, recipients)
    link = reverse("services:notice", args=[notice.park.code, notice.pk])
    sent = notify(notice.park, [
        (u, f"notice-remind:{notice.pk}:{today:%Y%m%d}", f"请及时阅读{'并回复' if r.first_read_at else ''}通知：{notice.title}"[:300], link)
        for r in recipients for u in users[r.pk]
    ])
    audit_record(park=notice.park, actor=actor, action="notice.remind", target=notice, changes={"reminded": [None, sent]})
    return sent


def replies_xlsx(notice: Notice) -> bytes:
    """The replies as one sheet: one row a recipient, one column a field, read and reply times."""
    fields = list(notice.fields.all())
    header = ["接收方", "首次阅读", "回复时间", *(f.label for f in fields)]
    rows = []
    for r in notice.recipients.select_related("branch", "user").order_by("branch__name", "user__username", "pk"):
        rows.append([
            r.branch.name if r.branch else str(r.user),
            timezone.localtime(r.first_read_at).strftime("%Y-%m-%d %H:%M") if r.first_read_at else "未读",
            timezone.localtime(r.replied_at).strftime("%Y-%m-%d %H:%M") if r.replied_at else "未回复",
            *(r.answers.get(str(f.pk), "") for f in fields),
        ])
    return write_xlsx(header, rows, title="回执汇总")
