"""Filters every template has (TEMPLATES' builtins): a form field's value as people read it."""

from django import template

register = template.Library()


@register.filter
def shown(bound_field) -> str:
    """A read-only view of a form field: a choice by its label, a yes/no in Chinese, nothing as "—"."""
    value = bound_field.value()
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    choices = getattr(bound_field.field, "choices", None)
    if choices is not None:
        labels = {str(code): label for code, label in choices}
        if isinstance(value, list | tuple):
            return "、".join(str(labels.get(str(v), v)) for v in value) or "—"
        return str(labels.get(str(value), value))
    return str(value)
