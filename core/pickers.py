"""Search-as-you-type pickers for lists that grow with the park (members, enterprises).

A page holds only the rows already chosen; as the user types, a scoped search endpoint of the park
answers at most PICK_LIMIT matches (templates/includes/picker_results.html), each with what tells
namesakes apart. The form field still checks on the server that every chosen id is in its own
queryset, so a forged id is refused with a message, whatever the endpoint showed.

An app declares a `PickerKind` (which endpoint, what a match shows, the named narrowings the
endpoint accepts) and a subclass of `PickerSearchView` over the rows the user may see; its forms
declare `PickerField` / `PickerMultipleField` and call `bind_picker` with their queryset and park.
The browser side is htmx (the request) and static/js/picker.js (choosing, keyboard, removing).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.views import View
from django_scopes.forms import SafeModelChoiceField, SafeModelMultipleChoiceField

from core.tenancy.views import ParkViewMixin
from core.validators import normalize_text

PICK_LIMIT = 20  # matches answered per query: enough to choose from, never the whole roster
QUERY_MAX = 32  # characters; a name is at most 32, an ID tail 4, a credit code 18

MSG_QUERY_LONG = f"搜索内容过长，请输入不超过{QUERY_MAX}个字。"
MSG_QUERY_BAD = "搜索内容含有无效字符，请重新输入。"
MSG_SCOPE_BAD = "选择范围无效，请刷新页面后重试。"
# An ID number never travels in a URL: the picker finds a member by name or the last four only.
MSG_ID_IN_QUERY = "请只输入身份证号后四位，不要输入完整身份证号。"
LONG_DIGITS = re.compile(r"\d{5,}")
ID_TAIL = re.compile(r"^\d{3}[\dX]$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class PickerKind:
    model: type  # what is picked (the app that declares the kind names it: core imports no domain app)
    url_name: str  # the search endpoint, reversed with the park's code
    noun: str  # 党员, 企业: in messages and the results' label
    searched_by: str  # what to type, as the search box says it: 姓名或身份证号后四位
    describe: Callable[[object], str]  # the detail shown beside the name: what tells namesakes apart
    scopes: dict[str, Q] = field(default_factory=lambda: {"all": Q()})  # ?scope= the endpoint accepts
    related: tuple[str, ...] = ()  # select_related for describe
    tail_only: bool = False  # digits are an ID number's last four, never more (members)


def picker_query(raw, *, tail_only: bool = False) -> str:
    """The search text, normalised, or a ValidationError in Chinese (the endpoint answers 400)."""
    text = raw if isinstance(raw, str) else ""
    if _CONTROL.search(text):
        raise ValidationError(MSG_QUERY_BAD)
    if len(text) > QUERY_MAX * 4:  # before normalising a very long text
        raise ValidationError(MSG_QUERY_LONG)
    text = normalize_text(text)
    if len(text) > QUERY_MAX:
        raise ValidationError(MSG_QUERY_LONG)
    if tail_only and LONG_DIGITS.search(text):
        raise ValidationError(MSG_ID_IN_QUERY)
    return text


def name_first(queryset: QuerySet, q: str, field: str = "name") -> QuerySet:
    """The exact name first, then names starting with the query, then the rest, by name."""
    rank = Case(When(**{field: q}, then=Value(0)), When(**{f"{field}__startswith": q}, then=Value(1)),
                default=Value(2), output_field=IntegerField())
    return queryset.annotate(pick_rank=rank).order_by("pick_rank", field, "pk")


# --- The form side -------------------------------------------------------------------------------
class PickerWidget(forms.Widget):
    """A search box, the chosen rows (hidden inputs) and the list of matches below."""

    template_name = "includes/picker.html"

    def __init__(self, kind: PickerKind, *, scope: str = "all", multiple: bool = False, attrs=None):
        super().__init__(attrs)
        if scope not in kind.scopes:
            raise ValueError(f"unknown picker scope {scope!r}")
        self.kind, self.scope, self.multiple = kind, scope, multiple
        self.search_url = ""  # set by bind_picker: the park's endpoint
        self.choices = ()

    def chosen(self, value) -> list[dict]:
        """The chosen rows that are in the field's queryset, to show again (after an error, on edit)."""
        values = value if isinstance(value, (list, tuple)) else [value]
        values = [str(getattr(v, "pk", v)) for v in values]
        ids = [int(v) for v in values if v.isdigit() and len(v) < 12]
        queryset = getattr(self.choices, "queryset", None)
        if not ids or queryset is None:
            return []
        rows = queryset.filter(pk__in=ids).select_related(*self.kind.related).order_by("pk")
        return [{"pk": row.pk, "label": str(row), "detail": self.kind.describe(row)} for row in rows]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        attrs = dict(context["widget"]["attrs"])
        attrs.pop("required", None)  # the chosen row is a hidden input; the search box may stay empty
        context["widget"].update(
            attrs=attrs, chosen=self.chosen(value), multiple=self.multiple, url=self.search_url,
            scope=self.scope, searched_by=self.kind.searched_by, noun=self.kind.noun, tail_only=self.kind.tail_only,
        )
        return context

    def format_value(self, value):
        return value

    def _render(self, template_name, context, renderer=None):
        # The project's templates (templates/includes/), which Django's default form renderer does not search.
        return mark_safe(render_to_string(template_name, context))

    def value_from_datadict(self, data, files, name):
        if self.multiple:
            return data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False if self.multiple else name not in data


def _messages(kind: PickerKind) -> dict:
    refused = f"所选{kind.noun}不在您可选择的范围内，请重新搜索选择。"
    return {"invalid_choice": refused, "invalid_pk_value": refused, "invalid_list": f"请选择{kind.noun}。",
            "required": f"请搜索并选择{kind.noun}。"}


class _Refuses:
    """A NUL byte in a posted id is one more id not in the queryset: the same message."""

    def validate_no_null_characters(self, value):
        if "\x00" in str(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")


class PickerField(_Refuses, SafeModelChoiceField):
    """One row, chosen by searching; the form sets its queryset with bind_picker."""

    def __init__(self, kind: PickerKind, *, scope: str = "all", **kwargs):
        kwargs["error_messages"] = {**_messages(kind), **kwargs.get("error_messages", {})}
        super().__init__(kind.model.objects.none(), widget=PickerWidget(kind, scope=scope), **kwargs)
        self.widget.attrs.setdefault("aria-label", str(self.label or kind.noun))  # also where a page shows no <label>


class PickerMultipleField(_Refuses, SafeModelMultipleChoiceField):
    """Several rows, each chosen by searching (the '按住 Ctrl 多选' list's replacement)."""

    def __init__(self, kind: PickerKind, *, scope: str = "all", **kwargs):
        kwargs["error_messages"] = {**_messages(kind), **kwargs.get("error_messages", {})}
        super().__init__(kind.model.objects.none(), widget=PickerWidget(kind, scope=scope, multiple=True), **kwargs)
        self.widget.attrs.setdefault("aria-label", str(self.label or kind.noun))


def bind_picker(field, queryset: QuerySet, park) -> None:
    """The rows this form accepts (checked on submit) and the park's search endpoint."""
    field.queryset = queryset
    field.widget.search_url = reverse(field.widget.kind.url_name, args=[park.code])


# --- The endpoint --------------------------------------------------------------------------------
class PickerSearchView(ParkViewMixin, View):
    """GET ?q=…&scope=…: at most PICK_LIMIT of the rows this user may see, as list items for the
    picker. A bad query answers 400 with the reason in Chinese (never the query itself)."""

    http_method_names = ["get"]
    kind: PickerKind = None
    template_name = "includes/picker_results.html"

    def visible(self) -> QuerySet:
        """The park's rows this user may see (the app's access helper)."""
        raise NotImplementedError

    def match(self, queryset: QuerySet, q: str) -> QuerySet:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        scope = request.GET.get("scope") or "all"
        try:
            if scope not in self.kind.scopes:
                raise ValidationError(MSG_SCOPE_BAD)
            q = picker_query(request.GET.get("q", ""), tail_only=self.kind.tail_only)
        except ValidationError as error:
            return self.answer({"message": error.messages[0]}, status=400)
        if not q:
            return self.answer({"message": f"请输入{self.kind.searched_by}。"})
        rows = list(
            self.match(self.visible().filter(self.kind.scopes[scope]), q).select_related(*self.kind.related)[: PICK_LIMIT + 1]
        )
        context = {
            "rows": [{"pk": row.pk, "label": str(row), "detail": self.kind.describe(row)} for row in rows[:PICK_LIMIT]],
            "more": len(rows) > PICK_LIMIT,
            "limit": PICK_LIMIT,
            "noun": self.kind.noun,
        }
        if not rows:
            context["message"] = f"没有找到符合条件的{self.kind.noun}。"
        return self.answer(context)

    def answer(self, context: dict, status: int = 200) -> HttpResponse:
        response = HttpResponse(render_to_string(self.template_name, context, request=self.request), status=status)
        patch_cache_control(response, private=True, no_store=True)  # names of people: never cached
        return response
