"""Recording audit entries; every write service calls audit_record once per change."""

from datetime import date, datetime
from decimal import Decimal

from django.db import models

from audit.models import AuditEntry


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)  # by name, as the history shows it
    return value


def model_changes(instance: models.Model, before: dict | None, fields: list[str]) -> dict:
    """{field: [old, new]} for the fields whose value changed; all of them for a new object."""
    changes = {}
    for name in fields:
        new = _plain(getattr(instance, name))
        old = _plain(before.get(name)) if before is not None else None
        if before is None or old != new:
            changes[name] = [old, new]
    return changes


def audit_entry(*, park, actor, action: str, target: models.Model, changes: dict | None = None) -> AuditEntry:
    """The entry audit_record writes, unsaved: for a writer that saves many at once."""
    return AuditEntry(
        park=park,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        target_repr=str(target)[:200],
        changes=changes or {},
    )


def audit_record(*, park, actor, action: str, target: models.Model, changes: dict | None = None) -> AuditEntry:
    entry = audit_entry(park=park, actor=actor, action=action, target=target, changes=changes)
    entry.save(force_insert=True)
    return entry
