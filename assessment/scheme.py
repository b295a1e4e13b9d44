"""A park's assessment scheme (thresholds, caps, allowance amounts): no national standard exists,
so each is the park's own setting."""

from django.core.exceptions import ValidationError
from django.db import transaction

from assessment.models import AssessmentSettings
from audit.services import audit_record
from core.validators import validate_amount

ALLOWANCES = [f"allowance_{level}" for level in range(1, 6)]


def settings_of(park) -> AssessmentSettings:
    return AssessmentSettings.objects.filter(park=park).first() or AssessmentSettings(park=park)

@transaction.atomic
def settings_update(*, park, actor, **data) -> AssessmentSettings:
    settings, _ = AssessmentSettings.objects.get_or_create(park=park)
    before = {name: getattr(settings, name) for name in data}
    errors = {}
    for name in ALLOWANCES:  # a negative (or NaN) monthly amount would draft negative pay
        if data.get(name) is not None:
            try:
                validate_amount(data[name])
            except ValidationError as error:
                errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    for name, value in data.items():
        setattr(settings, name, value)
    settings.full_clean()
    settings.save()
    changes = {name: [str(before[name]), str(value)] for name, value in data.items() if before[name] != value}
    if changes:
        audit_record(park=park, actor=actor, action="assessment.settings", target=settings, changes=changes)
    return settings
