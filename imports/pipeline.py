"""Import pipeline: read → validate every row → plan → (confirm) → write in one transaction.

As in pretix's modelimport and netbox's bulk import: nothing is written unless every row is valid,
the write is one short transaction that re-checks that every written row belongs to the park, and
one audit entry records the import. The plan's digest lets a confirmation apply exactly what a
preview showed.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from core.locks import transaction_lock
from core.validators import mask_id_number, mask_ids_in_text, normalize_id_number
from imports.columns import COLUMNS
from imports.kinds import IMPORTERS, BranchImporter
from imports.reader import read_table
from imports.values import text

MSG_MISSING_COLUMN = "缺少必填列“%(header)s”。"
MSG_DUPLICATE = "与第%(row)s行重复：%(what)s相同。"
MAX_ERRORS_KEPT = 500
MAX_ROWS_SHOWN = 500  # new and changed rows whose values the preview lists, in the file's order
MAX_IGNORED_SHOWN = 30
MAX_HEADER_SHOWN = 40  # characters of an ignored header as the preview names it


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    message: str

    def line(self) -> str:
        return f"第{self.row}行 [{self.column}] “{self.value}”：{self.message}"


@dataclass(frozen=True)
class Change:
    row: int
    label: str  # which object, as the user knows it (its name)
    column: str
    old: str
    new: str


@dataclass(frozen=True)
class PreviewRow:
    """One new or changed row as the preview shows it: each used column's value as it will be saved,
    formatted for people, and — for a changed row — the value on file where it differs (else None)."""

    row: int
    status: str  # "new" or "changed"
    label: str
    cells: list[tuple[str, str | None]]


@dataclass
class ImportPlan:
    kind: str
    filename: str
    rows: int = 0
    creates: list = field(default_factory=list)  # values per new object
    updates: list = field(default_factory=list)  # (pk, {field: new value}) per changed object
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first MAX_ERRORS_KEPT of them
    error_count: int = 0
    changes: list[Change] = field(default_factory=list)
    created_labels: list[tuple[int, str]] = field(default_factory=list)
    columns: list[tuple[str, str]] = field(default_factory=list)  # (field, header as the file writes it), in the file's order
    ignored: list[str] = field(default_factory=list)  # the file's other headers: columns not imported
    shown: list[PreviewRow] = field(default_factory=list)  # the first MAX_ROWS_SHOWN new or changed rows
    personal: bool = False  # whether the columns used hold personal data

    def add_error(self, error: "RowError") -> None:
        """Count every error, keep the first MAX_ERRORS_KEPT: a file of a million bad rows is a
        million counted, not a million held."""
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(error)

    @property
    def summary(self) -> str:
        return f"created {len(self.creates)}, updated {len(self.updates)}, unchanged {self.unchanged}, errors {self.error_count}"

    def digest(self) -> str:
        """A fingerprint of exactly what applying would write."""
        payload = json.dumps(
            [self.kind, [sorted(v.items()) for v in self.creates], self.updates],
            default=str,
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode()).hexdigest()


def shown_value(name: str, raw: dict) -> str:
    """The cell as an error line or the preview quotes it; ID numbers are quoted masked, as everywhere,
    and so is anything shaped like one in another column (a credit code is not anyone's)."""
    value = text(raw.get(name)) if name in raw else ""
    if name == "id_number" and value:
        number = normalize_id_number(raw.get(name))
        return mask_id_number(number) if len(number) == 18 else number[:6] + "*" * max(len(number) - 6, 0)
    return value if name == "credit_code" else mask_ids_in_text(value)


def preview_cells(importer, columns, values: dict, raw: dict, old: dict | None = None) -> list[tuple[str, str | None]]:
    """Each used column's value as it will be saved, formatted for people (dates, choices by label,
    names for references); ID numbers masked. `old`: the values on file that this row changes."""
    cells = []
    for name, _header in columns:
        if name == "id_number":
            value = shown_value(name, raw)
        elif name in values:
            value = importer.display(name, values[name])
        else:
            value = text(raw.get(name))
        before = importer.display(name, old[name]) if old is not None and name in old else None
        if name != "credit_code":  # 18 characters too, and not anyone's: shown as it is
            value, before = mask_ids_in_text(value), mask_ids_in_text(before)
        cells.append((value, before))
    return cells


def plan_import(*, park, kind: str, data: bytes, filename: str, today: date | None = None) -> ImportPlan:
    """Validate every row of the file; raises reader.UnusableFile when it cannot be read at all."""
    today = today or timezone.localdate()
    table = read_table(data, filename, kind, row_limit=park.import_row_limit)
    plan = ImportPlan(kind=kind, filename=filename)
    headers = {c.field: table.headers.get(c.field, c.header) for c in COLUMNS[kind]}
    plan.columns = [(column.field, table.headers[column.field]) for _, column in sorted(table.columns.items())]
    plan.ignored = [mask_ids_in_text(h[:MAX_HEADER_SHOWN]) for h in table.ignored[:MAX_IGNORED_SHOWN]]
    plan.personal = any(column.personal for column in table.columns.values())
    for column in table.missing:
        plan.add_error(RowError(table.header_row, column.header, "", MSG_MISSING_COLUMN % {"header": column.header}))
    if plan.errors:
        return plan

    positions = [(position, column.field) for position, column in table.columns.items()]
    fields = {f for _, f in positions}
    importer = IMPORTERS[kind](park=park, fields=fields, today=today)
    importer.load()
    def as_raw(number, cells):
        width = len(cells)
        return number, {f: (cells[p] if p < width else None) for p, f in positions}

    # Rows stream from the file into validation: a 100,000-row roster is never held twice.
    raws = (as_raw(number, cells) for number, cells in table.rows)
    if isinstance(importer, BranchImporter):  # parents may be rows further down: read them all first
        raws = list(raws)
        importer.prescan([raw for _, raw in raws])

    label_field = importer.label_field
    seen: dict = {}
    compared = [f for f in importer.compared if f in fields]
    model_label = {f.name: str(f.verbose_name) for f in importer.model._meta.fields}
    for number, raw in raws:
        plan.rows += 1
        values, errors = importer.parse(raw)
        for name, messages in errors.items():
            column = headers.get(name) or model_label.get(name, name)
            shown = shown_value(name, raw)
            for message in messages:
                plan.add_error(RowError(number, column, shown, mask_ids_in_text(str(message))))
        if errors:
            continue
        key = importer.key(values)
        if key in seen:
            key_column = "id_number" if importer.key_field == "id_hash" else importer.key_field
            what = headers[key_column]
            plan.add_error(RowError(number, what, shown_value(key_column, raw), MSG_DUPLICATE % {"row": seen[key], "what": what}))
            continue
        seen[key] = number
        found = importer.existing(key)
        if found is None:
            plan.creates.append(values)
            plan.created_labels.append((number, values[label_field]))
            if len(plan.shown) < MAX_ROWS_SHOWN and not plan.error_count:
                plan.shown.append(PreviewRow(number, "new", mask_ids_in_text(str(values[label_field])),
                                             preview_cells(importer, plan.columns, values, raw)))
            continue
        pk, stored = found
        new = {f: values[f] for f in compared if values[f] != stored[f]}
        if not new:
            plan.unchanged += 1
            continue
        plan.updates.append((pk, new))
        for f, value in new.items():
            plan.changes.append(
                Change(number, values[label_field], headers[f], importer.display(f, stored[f]), importer.display(f, value))
            )
        if len(plan.shown) < MAX_ROWS_SHOWN and not plan.error_count:
            plan.shown.append(PreviewRow(number, "changed", mask_ids_in_text(str(values[label_field])),
                                         preview_cells(importer, plan.columns, values, raw, old={f: stored[f] for f in new})))
    if plan.errors:
        plan.creates, plan.updates, plan.changes, plan.created_labels, plan.shown = [], [], [], [], []
    plan.importer = importer
    return plan


class ImportOutOfDate(Exception):
    """The data changed between preview and confirmation: the preview no longer says what would happen."""


def apply_import(*, park, plan: ImportPlan, actor, target, expected_digest: str | None = None) -> None:
    """Write a clean plan in one transaction; never called with errors. One audit entry on `target`."""
    assert not plan.errors, "a plan with errors is never applied"
    with transaction.atomic():
        transaction_lock("import", park.pk)  # one import per park at a time
        if expected_digest is not None and plan.digest() != expected_digest:
            raise ImportOutOfDate
        plan.importer.actor = actor
        plan.importer.write(plan.creates, plan.updates)
        # Every row is built with this park's id; what could still cross the wall is a reference
        # to another park's row. Checked over the whole park, after the write, before commit.
        for rows in plan.importer.violations():
            if rows.exists():  # never expected: lookups are loaded from this park only
                raise RuntimeError(f"import into park {park.pk} left rows referring to another park: {rows.model.__name__}")
        audit_record(
            park=park,
            actor=actor,
            action=f"import.{plan.kind}",
            target=target,
            changes={
                "file": plan.filename,
                "created": len(plan.creates),
                "updated": len(plan.updates),
                "unchanged": plan.unchanged,
            },
        )
