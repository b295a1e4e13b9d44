"""Import jobs: preview a file (plan, nothing written), then apply exactly what was previewed."""

import hashlib
import logging

from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from core.crypto import decrypt_bytes, encrypt_bytes
from core.spreadsheets import write_csv, write_xlsx
from imports.columns import KIND_LABELS
from imports.export import export_headers, export_rows
from imports.models import ImportJob
from imports.pipeline import (
    MAX_ROWS_SHOWN,
    ImportOutOfDate,
    ImportPlan,
    apply_import,
    plan_import,
)
from imports.reader import UnusableFile

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
PREVIEW_LIMIT = MAX_ROWS_SHOWN  # rows of values and errors kept for the preview page
MSG_TOO_LARGE = _("文件超过20MB，请拆分后再导入。")
MSG_ALREADY_APPLIED = _("这份文件已经导入过了。")
MSG_HAS_ERRORS = _("文件有错误，不能导入；请修改后重新上传。")
MSG_OUT_OF_DATE = _("预览之后数据已有变化，预览结果已不准确：请重新上传预览。")
MSG_INTERRUPTED = _("导入过程中与数据库的连接中断，本次没有写入任何数据。请稍后再点“确认导入”重试。")

log = logging.getLogger(__name__)


def _summary(plan: ImportPlan) -> dict:
    """The counts, and what the preview page lists: the columns used and those ignored, the first
    PREVIEW_LIMIT new or changed rows with their values (ID numbers masked), the first errors."""
    return {
        "rows": plan.rows,
        "created": len(plan.creates),
        "updated": len(plan.updates),
        "unchanged": plan.unchanged,
        "errors": plan.error_count,
        "errors_shown": [vars(e) for e in plan.errors[:PREVIEW_LIMIT]],
        "columns": [header for _, header in plan.columns],
        "ignored": plan.ignored,
        "rows_shown": [vars(r) for r in plan.shown[:PREVIEW_LIMIT]],
        "personal": plan.personal,
    }


def import_preview(*, park, actor, kind: str, data: bytes, filename: str) -> tuple[ImportJob, ImportPlan]:
    """Plan the import and keep the file; raises ValidationError for an unusable file."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": [MSG_TOO_LARGE]})
    try:
        plan = plan_import(park=park, kind=kind, data=data, filename=filename)
    except UnusableFile as exc:
        raise ValidationError({"file": [str(exc)]}) from None
    job = ImportJob.objects.create(
        park=park,
        kind=kind,
        filename=filename[:200],
        sha256=hashlib.sha256(data).hexdigest(),
        data=None if plan.errors else encrypt_bytes(data),
        digest="" if plan.errors else plan.digest(),
        summary=_summary(plan),
        status=ImportJob.Status.REJECTED if plan.errors else ImportJob.Status.PREVIEWED,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    return job, plan


def import_replan(*, job: ImportJob) -> ImportPlan:
    return plan_import(park=job.park, kind=job.kind, data=decrypt_bytes(job.data), filename=job.filename)


def import_confirm(*, job: ImportJob, actor) -> ImportPlan:
    """Apply the previewed file, only if it would still do exactly what the preview showed."""
    if job.status == ImportJob.Status.APPLIED:
        raise ValidationError(MSG_ALREADY_APPLIED)
    if job.status == ImportJob.Status.REJECTED or job.data is None:
        raise ValidationError(MSG_HAS_ERRORS)
    plan = import_replan(job=job)
    if plan.errors:
        raise ValidationError(MSG_OUT_OF_DATE)
    try:
        with transaction.atomic():
            try:
                apply_import(park=job.park, plan=plan, actor=actor, target=job, expected_digest=job.digest)
            except ImportOutOfDate:
                raise ValidationError(MSG_OUT_OF_DATE) from None
            job.status = ImportJob.Status.APPLIED
            job.applied_at = timezone.now()
            job.data = None  # the roster is in the tables now; the upload (with ID numbers) is dropped
            job.summary = _summary(plan)
            job.save(update_fields=["status", "applied_at", "data", "summary"])
    except (OperationalError, InterfaceError):
        # The connection broke while writing: the transaction died with it, so nothing of the file is
        # in the tables. The job says so, keeps the upload, and can be confirmed again.
        log.warning("imports: job %s interrupted, nothing written", job.pk, exc_info=True)
        _record_failure(job, str(MSG_INTERRUPTED))
        raise ValidationError(MSG_INTERRUPTED) from None
    return plan


def _record_failure(job: ImportJob, message: str) -> None:
    """On a fresh connection (Django dropped the broken one when the transaction could not roll back)."""
    job.status = ImportJob.Status.FAILED
    job.summary = {**job.summary, "failure": message}
    try:
        ImportJob.objects.filter(park_id=job.park_id, pk=job.pk).update(status=job.status, summary=job.summary)
    except (OperationalError, InterfaceError):  # the database is still away: the job stays as it was, retryable
        log.warning("imports: could not record the failure of job %s", job.pk, exc_info=True)


def import_direct(*, park, actor, kind: str, data: bytes, filename: str, dry_run: bool = False) -> ImportPlan:
    """The command line's path: plan and, when clean and not a dry run, apply at once."""
    plan = plan_import(park=park, kind=kind, data=data, filename=filename)
    if plan.errors or dry_run or not (plan.creates or plan.updates):
        return plan  # nothing to write, so no job and no audit entry either
    with transaction.atomic():
        job = ImportJob.objects.create(
            park=park, kind=kind, filename=filename[:200], sha256=hashlib.sha256(data).hexdigest(),
            summary=_summary(plan), status=ImportJob.Status.APPLIED, applied_at=timezone.now(),
            created_by=actor,
        )
        apply_import(park=park, plan=plan, actor=actor, target=job)
    return plan


def roster_export(*, park, actor, kind: str, fmt: str, show_id: bool) -> bytes:
    """A roster as .xlsx or .csv bytes. Whole ID numbers leave the platform only in a park admin's
    member export, and each such export is recorded (who, when, how many) in the audit log."""
    rows = list(export_rows(park=park, kind=kind, show_id=show_id))
    headers = export_headers(kind)
    data = write_csv(headers, rows) if fmt == "csv" else write_xlsx(headers, rows, title=KIND_LABELS[kind])
    if show_id and kind in ("members", "development", "dues_bases"):
        audit_record(park=park, actor=actor, action="export.full_ids", target=park,
                     changes={"kind": [None, kind], "format": [None, fmt], "rows": [None, len(rows)]})
    return data
