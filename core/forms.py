"""Form plumbing shared by every app: forms parse, services validate and write."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django_scopes.forms import SafeModelChoiceField, SafeModelMultipleChoiceField

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def scope_safe_formfield(db_field, **kwargs):
    """Relation fields start with an empty queryset: a form sets the park's rows in __init__.

    A plain ModelChoiceField evaluates Model.objects at class definition, outside any scope
    (a hole the django-scopes README names).
    """
    if isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", SafeModelChoiceField)
    elif isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
    return db_field.formfield(**kwargs)


class ServiceModelForm(forms.ModelForm):
    """A ModelForm that parses and renders only.

    Django's ModelForm copies the input onto the instance and validates it in _post_clean; here the
    service does both, with the same rules for form, API and import, so the instance stays as it was
    until the service has taken its 'before' snapshot for the audit log.
    Subclasses write `class Meta(ServiceModelForm.Meta)`, which Django needs to inherit the callback.
    """

    class Meta:
        formfield_callback = staticmethod(scope_safe_formfield)

    def _post_clean(self):
        pass


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        field = name if name in form.fields else None
        if field is None and name != NON_FIELD_ERRORS:
            # A rule on a field this form does not show: name the field in the message.
            label = _model_field_label(form, name)
            errors = [ValidationError(f"{label}：{message}") for e in errors for message in e.messages]
        form.add_error(field, errors)


def _model_field_label(form, name: str) -> str:
    model = getattr(getattr(form, "_meta", None), "model", None)
    try:
        return str(model._meta.get_field(name).verbose_name)
    except (AttributeError, LookupError):
        return name


def only_choice(field) -> None:
    """A branch secretary with one branch: preselect it, no empty choice."""
    if field.queryset.count() == 1:
        field.empty_label = None
        field.initial = field.queryset.first().pk


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service (type, size, content)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def yes_no_field(label: str, yes: str, no: str) -> forms.TypedChoiceField:
    """Two buttons posting 1 or 0 (a BooleanField would read the string "0" as true)."""
    return forms.TypedChoiceField(label=label, choices=[("1", yes), ("0", no)], coerce=lambda value: value == "1")
