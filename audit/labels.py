"""How an audit entry reads to people: the action's name and each changed item's name and values in
Chinese, never the codes the services write (`member.update`, `repriced_lines`, `formal`).

The apps that write entries register their labels here from their AppConfig.ready (a lower layer
cannot import theirs). An action or item nobody registered reads as "其他操作" / "其他"; a test
checks every action shown on a page is registered.
"""

from dataclasses import dataclass

ACTIONS: dict[str, str] = {}
FIELDS: dict[tuple[str, str], str] = {}  # (action or "*", key) → label
VALUES: dict[tuple[str, str], dict] = {}  # (action or "*", key) → {code: label}


def register(*, actions: dict | None = None, fields: dict | None = None, values: dict | None = None, action: str = "*") -> None:
    """Labels for actions, and for the items and coded values of `action`'s changes (every action's
    when `action` is "*")."""
    ACTIONS.update({code: str(label) for code, label in (actions or {}).items()})
    FIELDS.update({(action, key): str(label) for key, label in (fields or {}).items()})
    for key, choices in (values or {}).items():
        VALUES.setdefault((action, key), {}).update({str(code): str(label) for code, label in dict(choices).items()})


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


def action_label(code: str) -> str:
    return ACTIONS.get(code, "其他操作")


def _value(action: str, key: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    choices = VALUES.get((action, key)) or VALUES.get(("*", key)) or {}
    return choices.get(str(value), str(value))


def changes_of(action: str, changes: dict) -> list[Change]:
    """Each changed item as people read it; an entry's value is [old, new] (a bare value is new)."""
    found = []
    for key, value in (changes or {}).items():
        old, new = value if isinstance(value, list | tuple) and len(value) == 2 else (None, value)
        label = FIELDS.get((action, key)) or FIELDS.get(("*", key)) or "其他"
        found.append(Change(label, _value(action, key, old), _value(action, key, new)))
    return found
