"""Reading the row history (core/history.py) of one object as people read it.

Each event is a snapshot of the row; what an event changed is its difference from the snapshot
before it (the first one, an insert, lists what the row was created with). Fields are named by
their verbose_name, coded values by their choices, related rows by their name; the ID number is
never shown nor decrypted: its keyed hash tells only that it changed ("已修改"), and any ID number
in a free-text value is masked as pages mask it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.urls import Resolver404, resolve
from django.utils import timezone
from django_scopes import scopes_disabled

from core.history import event_model
from core.validators import mask_ids_in_text

PAGE_SIZE = 20
LONG_TEXT = 80
LABELS = {"insert": "新建", "update": "修改", "delete": "删除"}
# Fields shown only as "changed": keyed hashes of a secret (the member's ID number).
SECRET_FIELDS = {("members.Member", "id_hash"): "身份证号"}
HIDDEN_FIELDS = {"id", "park"}


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    at: datetime
    action: str
    who: str
    where: str  # in Chinese: the part of the platform, the job or the command
    detail: str  # as recorded (the path, the task's or the command's name): the page's tooltip
    changes: list[Change] = field(default_factory=list)


def tracked_model(label: str):
    """The tracked model named by `app_label.model_name`, or None (unknown or not tracked)."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    return model if event_model(model) is not None else None


def model_label(model) -> str:
    return model._meta.label_lower


def _plain(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    text = mask_ids_in_text(str(value))
    return text if len(text) <= LONG_TEXT else text[:LONG_TEXT] + "…"


class _Shown:
    """How each tracked field of a model reads: its label and a function from stored value to text."""

    def __init__(self, model, events):
        self.model = model
        history = event_model(model)
        names = {f.name for f in history._meta.concrete_fields if not f.name.startswith("pgh_")}
        self.fields = [f for f in model._meta.concrete_fields if f.name in names and f.name not in HIDDEN_FIELDS]
        # Related rows by name: one query per related model over every id the page shows.
        self.names = {}
        for f in self.fields:
            if f.is_relation:
                ids = {getattr(e, f.attname) for e in events} - {None}
                if ids:
                    related = f.related_model
                    self.names[f.name] = {obj.pk: str(obj) for obj in related._default_manager.filter(pk__in=ids)}

    def label(self, f) -> str:
        return SECRET_FIELDS.get((self.model._meta.label, f.name)) or str(f.verbose_name)

    def value(self, f, event) -> str:
        raw = getattr(event, f.attname)
        if f.is_relation:
            return "—" if raw is None else self.names.get(f.name, {}).get(raw, f"（已删除，编号 {raw}）")
        if f.choices:
            return _plain(dict(f.flatchoices).get(raw, raw))
        return _plain(raw)


def _part(path: str) -> str:
    """The platform's part a request path belongs to, in Chinese (its app's verbose name)."""
    try:
        namespace = resolve(path).namespace.split(":")[0]
    except Resolver404:
        return "网页"
    if namespace == "api":
        return "接口（API）"
    try:
        return f"{apps.get_app_config(namespace).verbose_name}页面"
    except LookupError:
        return "网页"


def _who(context: dict | None, users: dict) -> tuple[str, str, str]:
    """(who, where, detail) from an event's context: a signed-in user and the page, a job, or a command."""
    context = context or {}
    url = context.get("url") or ""
    if context.get("user") is not None:
        return users.get(context["user"], f"用户 {context['user']}"), _part(url), url
    if url:
        return "未登录", _part(url), url
    if context.get("job"):
        return "系统", "定时任务", context["job"]
    if context.get("command"):
        return "系统", "管理命令", context["command"]
    return "未知", "数据库直接修改", ""


def object_history(model, park, pk: int, page_number) -> tuple[object, list[Entry]] | None:
    """The page `page_number` of object `pk`'s history in `park`, newest first, or None when the
    park holds no such object and no history of one."""
    history = event_model(model)
    events = history.objects.filter(park=park, pgh_obj_id=pk).order_by("-pgh_id")
    paginator = Paginator(events, PAGE_SIZE, allow_empty_first_page=False)
    if paginator.count == 0:
        return None
    page = paginator.get_page(page_number)
    shown_events = list(page.object_list)
    # The snapshot before the page's oldest: what that one changed is measured against it.
    before = events.filter(pgh_id__lt=shown_events[-1].pgh_id).first()
    chain = [*shown_events, *([before] if before is not None else [])]
    shown = _Shown(model, chain)
    user_ids = {(e.pgh_context or {}).get("user") for e in shown_events} - {None}
    with scopes_disabled():  # users are not park-owned
        users = {u.pk: str(u) for u in get_user_model().objects.filter(pk__in=user_ids)}  # 姓名, else the sign-in name
    entries = []
    for index, event in enumerate(shown_events):
        previous = chain[index + 1] if index + 1 < len(chain) else None
        who, where, detail = _who(event.pgh_context, users)
        entry = Entry(at=event.pgh_created_at, action=LABELS.get(event.pgh_label, event.pgh_label), who=who, where=where,
                      detail=detail)
        if previous is None and event.pgh_label == "update":  # a row older than its history: values before unknown
            entry.action = "修改（此前的值未记录）"
        if event.pgh_label != "delete":
            for f in shown.fields:
                new = getattr(event, f.attname)
                if previous is not None and getattr(previous, f.attname) == new:
                    continue
                if previous is None and event.pgh_label == "insert" and new in (None, ""):
                    continue
                label = shown.label(f)
                if (model._meta.label, f.name) in SECRET_FIELDS:
                    entry.changes.append(Change(label, "", "已设置" if previous is None else "已修改"))
                    continue
                # a new row lists its values alone; a row older than its history has no value before
                old = shown.value(f, previous) if previous is not None else ("" if event.pgh_label == "insert" else "（未记录）")
                entry.changes.append(Change(label, old, shown.value(f, event)))
        entries.append(entry)
    return page, entries
