"""Writes to the organisation tree, the enterprise roster and instructor assignments.

Each function validates with the shared rules (model field validators, constraints, orgs.rules),
writes in one transaction and records an audit entry. Errors are ValidationError({field: msgs}).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record, model_changes
from core.validators import (
    date_errors,
    length_errors,
    normalize_credit_code,
    normalize_phone,
    normalize_text,
    validate_credit_code,
    validate_phone,
)
from orgs.models import (
    Coverage,
    Enterprise,
    Instructor,
    InstructorAssignment,
    Organisation,
    Zone,
)
from orgs.rules import check_organisation

ENTERPRISE_FIELDS = [
    "name",
    "credit_code",
    "ownership",
    "industry",
    "employees",
    "legal_representative",
    "address",
    "contact_name",
    "contact_phone",
    "zone",
    "status",
    "moved_in_on",
    "moved_out_on",
]
ORGANISATION_FIELDS = [
    "name",
    "kind",
    "parent",
    "formation",
    "founded_on",
    "ends_on",
    "dissolved_on",
    "elected_on",
    "secretary_name",
    "secretary_phone",
]
INSTRUCTOR_FIELDS = ["name", "phone", "unit", "is_active", "user"]

MSG_ZONE_OTHER_PARK = _("所选片区不属于本园区。")
MSG_MOVED_OUT_NEEDS_DATE = _("状态为“迁出”时请填写迁出日期。")
MSG_ASSIGN_OTHER_PARK = _("指导员和企业必须属于本园区。")
MSG_ASSIGN_END_BEFORE_START = _("结束日期不能早于开始日期（%(starts_on)s）。")


def _snapshot(instance, fields) -> dict:
    return {name: getattr(instance, name) for name in fields}


def _apply(instance, data: dict, fields) -> None:
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])


def _full_clean(instance, extra_errors: dict | None = None) -> None:
    """Model validation (field validators, unique and check constraints) merged with extra errors."""
    errors = dict(extra_errors or {})
    for name, messages in date_errors(instance).items():  # a founding day in year 1 or 9999
        errors.setdefault(name, []).extend(messages)
    try:
        instance.full_clean()  # includes the (park, …) unique constraints
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            known = errors.setdefault(name, [])
            known.extend(m for m in messages if m not in known)  # field validators repeat the rules
    if errors:
        raise ValidationError(errors)


def _save_new(*, park, actor, instance, fields, action: str, extra_errors: dict | None = None):
    """Validate, save and audit a new object (the shape of every simple create here)."""
    _full_clean(instance, extra_errors)
    instance.save()
    audit_record(park=park, actor=actor, action=action, target=instance, changes=model_changes(instance, None, fields))
    return instance


def _save_changes(*, park, actor, instance, before: dict, fields, action: str, extra_errors: dict | None = None):
    """Validate an edited object; save and audit it only when something changed."""
    _full_clean(instance, extra_errors)
    changes = model_changes(instance, before, fields)
    if changes:
        instance.save()
        audit_record(park=park, actor=actor, action=action, target=instance, changes=changes)
    return instance


# --- Enterprises ---------------------------------------------------------------------------------
def _normalise_enterprise(data: dict) -> dict:
    data = dict(data)
    if "credit_code" in data:
        data["credit_code"] = normalize_credit_code(data["credit_code"])
    if "contact_phone" in data:
        data["contact_phone"] = normalize_phone(data["contact_phone"] or "")
    for name in ("name", "industry", "legal_representative", "address", "contact_name"):
        if name in data:
            data[name] = normalize_text(data[name] or "")
    return data


MSG_NAME_REQUIRED = _("请填写企业名称。")


def enterprise_errors(*, park, values: dict) -> dict[str, list[str]]:
    """The enterprise rules that need no database, for the form service and the importer alike."""
    errors: dict[str, list[str]] = length_errors(Enterprise, values)

    def check(field, validator):
        try:
            validator(values.get(field) or "")
        except ValidationError as exc:
            errors[field] = exc.messages

    if not values.get("name"):
        errors["name"] = [str(MSG_NAME_REQUIRED)]
    check("credit_code", validate_credit_code)
    if values.get("contact_phone"):
        check("contact_phone", validate_phone)
    zone = values.get("zone")
    if zone is not None and zone.park_id != park.pk:
        errors["zone"] = [str(MSG_ZONE_OTHER_PARK)]
    if values.get("status") == Enterprise.Status.MOVED_OUT and values.get("moved_out_on") is None:
        errors["moved_out_on"] = [str(MSG_MOVED_OUT_NEEDS_DATE)]
    return errors


def _enterprise_errors(*, park, enterprise: Enterprise) -> dict:
    return enterprise_errors(park=park, values={name: getattr(enterprise, name) for name in ENTERPRISE_FIELDS})


@transaction.atomic
def enterprise_create(*, park, actor, **data) -> Enterprise:
    enterprise = Enterprise(park=park)
    _apply(enterprise, _normalise_enterprise(data), ENTERPRISE_FIELDS)
    return _save_new(
        park=park, actor=actor, instance=enterprise, fields=ENTERPRISE_FIELDS, action="enterprise.create",
        extra_errors=_enterprise_errors(park=park, enterprise=enterprise),
    )


@transaction.atomic
def enterprise_update(*, enterprise: Enterprise, actor, **data) -> Enterprise:
    park = enterprise.park
    before = _snapshot(enterprise, ENTERPRISE_FIELDS)
    _apply(enterprise, _normalise_enterprise(data), ENTERPRISE_FIELDS)
    return _save_changes(
        park=park, actor=actor, instance=enterprise, before=before, fields=ENTERPRISE_FIELDS,
        action="enterprise.update", extra_errors=_enterprise_errors(park=park, enterprise=enterprise),
    )


# --- Party organisations -------------------------------------------------------------------------
def work_committee(*, park) -> Organisation | None:
    """The park's top committee (党工委), the default parent of new organisations."""
    return Organisation.objects.filter(park=park, kind=Organisation.Kind.WORK_COMMITTEE).first()


def _check_and_save_organisation(*, park, organisation: Organisation, enterprises, is_new: bool) -> None:
    children = [] if is_new else list(organisation.children.values_list("name", "kind"))
    try:
        check_organisation(
            park=park,
            organisation=None if is_new else organisation,
            kind=organisation.kind,
            parent=organisation.parent,
            formation=organisation.formation,
            founded_on=organisation.founded_on,
            ends_on=organisation.ends_on,
            dissolved_on=organisation.dissolved_on,
            enterprises=enterprises,
            child_kinds=children,
        )
        rule_errors = {}
    except ValidationError as exc:
        rule_errors = exc.message_dict
    _full_clean(organisation, rule_errors)
    organisation.save()


def _set_coverage(*, park, organisation: Organisation, enterprises) -> bool:
    wanted = {e.pk for e in enterprises}
    current = set(Coverage.objects.filter(park=park, organisation=organisation).values_list("enterprise_id", flat=True))
    if wanted == current:
        return False
    Coverage.objects.filter(park=park, organisation=organisation, enterprise_id__in=current - wanted).delete()
    Coverage.objects.bulk_create(
        [Coverage(park=park, organisation=organisation, enterprise_id=pk) for pk in sorted(wanted - current)]
    )
    return True


@transaction.atomic
def organisation_create(*, park, actor, enterprises=(), **data) -> Organisation:
    organisation = Organisation(park=park)
    data = {k: (normalize_text(v) if isinstance(v, str) else v) for k, v in data.items()}
    _apply(organisation, data, ORGANISATION_FIELDS)
    if organisation.parent is None and organisation.kind != Organisation.Kind.WORK_COMMITTEE:
        organisation.parent = work_committee(park=park)
    enterprises = list(enterprises)
    _check_and_save_organisation(park=park, organisation=organisation, enterprises=enterprises, is_new=True)
    _set_coverage(park=park, organisation=organisation, enterprises=enterprises)
    changes = model_changes(organisation, None, ORGANISATION_FIELDS)
    changes["enterprises"] = [None, sorted(e.pk for e in enterprises)]
    audit_record(park=park, actor=actor, action="organisation.create", target=organisation, changes=changes)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor, enterprises=None, **data) -> Organisation:
    park = organisation.park
    before = _snapshot(organisation, ORGANISATION_FIELDS)
    data = {k: (normalize_text(v) if isinstance(v, str) else v) for k, v in data.items()}
    _apply(organisation, data, ORGANISATION_FIELDS)
    current_units = list(organisation.enterprises.all())
    units = current_units if enterprises is None else list(enterprises)
    _check_and_save_organisation(park=park, organisation=organisation, enterprises=units, is_new=False)
    changes = model_changes(organisation, before, ORGANISATION_FIELDS)
    if _set_coverage(park=park, organisation=organisation, enterprises=units):
        changes["enterprises"] = [sorted(e.pk for e in current_units), sorted(e.pk for e in units)]
    if changes:
        audit_record(park=park, actor=actor, action="organisation.update", target=organisation, changes=changes)
    return organisation


@transaction.atomic
def organisations_dissolve_ended(*, park, today: date) -> int:
    """Dissolve the temporary branches whose end date has passed (a daily job). Idempotent."""
    ended = list(
        Organisation.objects.select_for_update().filter(
            park=park,
            formation=Organisation.Formation.TEMPORARY,
            dissolved_on__isnull=True,
            ends_on__lt=today,
        )
    )
    for organisation in ended:
        organisation.dissolved_on = organisation.ends_on
        organisation.save(update_fields=["dissolved_on"])
        audit_record(
            park=park,
            actor=None,
            action="organisation.dissolve_ended",
            target=organisation,
            changes={"dissolved_on": [None, organisation.ends_on.isoformat()]},
        )
    return len(ended)


# --- Zones ---------------------------------------------------------------------------------------
@transaction.atomic
def zone_create(*, park, actor, name: str) -> Zone:
    zone = Zone(park=park, name=normalize_text(name))
    _full_clean(zone)
    zone.save()
    audit_record(park=park, actor=actor, action="zone.create", target=zone, changes={"name": [None, zone.name]})
    return zone


# --- Instructors ---------------------------------------------------------------------------------
def _normalise_instructor(data: dict) -> dict:
    data = dict(data)
    if "phone" in data:
        data["phone"] = normalize_phone(data["phone"] or "")
    if "name" in data:
        data["name"] = normalize_text(data["name"] or "")
    return data


@transaction.atomic
def instructor_create(*, park, actor, **data) -> Instructor:
    instructor = Instructor(park=park)
    _apply(instructor, _normalise_instructor(data), INSTRUCTOR_FIELDS)
    return _save_new(park=park, actor=actor, instance=instructor, fields=INSTRUCTOR_FIELDS, action="instructor.create")


@transaction.atomic
def instructor_update(*, instructor: Instructor, actor, **data) -> Instructor:
    before = _snapshot(instructor, INSTRUCTOR_FIELDS)
    _apply(instructor, _normalise_instructor(data), INSTRUCTOR_FIELDS)
    return _save_changes(
        park=instructor.park, actor=actor, instance=instructor, before=before, fields=INSTRUCTOR_FIELDS,
        action="instructor.update",
    )


@transaction.atomic
def instructor_assign(*, park, actor, instructor: Instructor, enterprise: Enterprise, starts_on: date) -> InstructorAssignment:
    if instructor.park_id != park.pk or enterprise.park_id != park.pk:
        raise ValidationError({"enterprise": [MSG_ASSIGN_OTHER_PARK]})
    assignment = InstructorAssignment(park=park, instructor=instructor, enterprise=enterprise, starts_on=starts_on)
    _full_clean(assignment)
    assignment.save()
    audit_record(
        park=park,
        actor=actor,
        action="instructor.assign",
        target=assignment,
        changes={"enterprise": [None, enterprise.pk], "starts_on": [None, starts_on.isoformat()]},
    )
    return assignment


@transaction.atomic
def instructor_assignment_end(*, assignment: InstructorAssignment, actor, ends_on: date) -> InstructorAssignment:
    if ends_on < assignment.starts_on:
        raise ValidationError(
            {"ends_on": [ValidationError(MSG_ASSIGN_END_BEFORE_START, params={"starts_on": assignment.starts_on})]}
        )
    assignment.ends_on = ends_on
    assignment.save(update_fields=["ends_on"])
    audit_record(
        park=assignment.park,
        actor=actor,
        action="instructor.unassign",
        target=assignment,
        changes={"ends_on": [None, ends_on.isoformat()]},
    )
    return assignment
