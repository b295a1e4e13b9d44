"""The dashboards' tables, declared once: the county shows one row per park, the park one row for
itself (and its zones and branches); the same declaration renders the page, links each figure to
the list behind it, and writes the .xlsx export."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import NamedTuple

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from core.periods import ReportPeriod, quarter_of
from dashboards.figures import Figures
from members.models import Member
from orgs.models import Enterprise, Organisation
from orgs.rules import ENTERPRISE_SIZES
from services.demands import BLUE, COLOUR_LABELS, RED, YELLOW

PCT, COUNT, MONEY, CHANGE = "pct", "count", "money", "change"


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable[[Figures], object]
    kind: str = COUNT
    drill: str = ""  # the park page behind the figure (a key of DRILLS)
    query: tuple = ()  # … and its filter


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: list[Column]


def _by(counter: str, code):
    return lambda f: getattr(f, counter)[code]


TABLES = [
    Table("enterprises", "经营主体与党的覆盖", [
        Column("在园企业", lambda f: f.enterprises, drill="enterprises"),
        *[Column(label, _by("by_ownership", code), drill="enterprises") for code, label in Enterprise.Ownership.choices],
        *[Column(f"{label}企业", _by("by_size", code), drill="enterprises") for _floor, code, label in ENTERPRISE_SIZES],
        Column("党组织覆盖率", lambda f: f.org_rate, PCT, drill="coverage_gaps"),
        Column("党的工作覆盖率", lambda f: f.work_rate, PCT, drill="coverage_gaps"),
    ]),
    Table("organisations", "党组织与党员队伍", [
        *[Column(label, _by("organisations", code), drill="organisations")
          for code, label in Organisation.Kind.choices if code != Organisation.Kind.WORK_COMMITTEE],
        *[Column(f"{label}", _by("branches_by_formation", code), drill="organisations") for code, label in Organisation.Formation.choices],
        *[Column(label, _by("members", code), drill="members", query=(("stage", code),)) for code, label in reversed(Member.Stage.choices)],
        Column("流动党员", _by("by_status", Member.Status.MOBILE), drill="members", query=(("status", Member.Status.MOBILE),)),
    ]),
    Table("stars", "星级与红星津贴", [
        *[Column(f"{'★' * level}", _by("stars", level), drill="stars") for level in range(5, 0, -1)],
        *[Column(f"{'★' * level}较上季度", lambda f, level=level: f.star_change[level], CHANGE, drill="stars") for level in range(5, 0, -1)],
        Column("津贴已批准", lambda f: f.allowance_approved, MONEY, drill="stars"),
        Column("津贴已发放", lambda f: f.allowance_paid, MONEY, drill="stars"),
    ]),
    Table("cycle", "四个一落实", [
        Column("三会一课落实率", lambda f: f.compliance_rate, PCT, drill="compliance"),
        Column("应开/已开", lambda f: f"{f.meetings_held}/{f.meetings_owed}", drill="compliance"),
        Column("月报告按时率", lambda f: f.reports_rate, PCT, drill="reports"),
        Column("按时/应报", lambda f: f"{f.reports_on_time}/{f.reports_due}", drill="reports"),
        Column("任务按时完成率", lambda f: f.tasks_rate, PCT, drill="tasks"),
        Column("按时/到期", lambda f: f"{f.tasks_on_time}/{f.tasks_due}", drill="tasks"),
    ]),
    Table("services", "服务企业与组织体检", [
        Column("诉求提出", lambda f: f.demands_raised, drill="demands"),
        Column("已销号", lambda f: f.demands_closed, drill="demands", query=(("state", "closed"),)),
        Column("销号率", lambda f: f.closure_rate, PCT, drill="demands"),
        *[Column(COLOUR_LABELS[c], _by("overdue", c), drill="demands", query=(("colour", c),)) for c in (RED, YELLOW, BLUE)],
        Column("在岗指导员", lambda f: f.instructors, drill="instructors"),
        Column("走访次数", lambda f: f.visits, drill="visits"),
        Column("组织体检问题", lambda f: f.findings, drill="findings"),
    ]),
]
TABLE_KEYS = {t.key: t for t in TABLES}

# A figure's park page: (URL name, whether it reads the period as ?year=&quarter=).
DRILLS = {
    "enterprises": "orgs:enterprise_list",
    "coverage_gaps": "members:coverage_gaps",
    "organisations": "orgs:organisation_tree",
    "members": "members:list",
    "stars": "assessment:overview",
    "compliance": "activities:compliance",
    "reports": "cycle:reports",
    "tasks": "cycle:tasks",
    "demands": "services:demands",
    "instructors": "orgs:instructor_list",
    "visits": "services:visits",
    "findings": "members:org_check",
}


PARK_SLOT = "hongfan-park-slot"  # reversed once per page with this in the park's place, then each code put in


def drill_url(column: Column, park_code: str, period: ReportPeriod, pages: dict | None = None) -> str:
    """The list behind a figure; `pages` remembers each page and each column's query across a
    table's cells (a county table has a thousand: one reverse() per page, not per cell). A park
    code is a slug, as the slot is, so the URL with the code put in is the one reverse() gives."""
    pages = {} if pages is None else pages
    if column.drill not in pages:
        pages[column.drill] = reverse(DRILLS[column.drill], args=[PARK_SLOT])
    if id(column) not in pages:
        query = dict(column.query)
        if column.drill == "compliance":  # the compliance table is by quarter: the period's last one
            query.update(year=period.end.year, quarter=quarter_of(period.end))
        pages[id(column)] = f"?{urlencode(query)}" if query else ""
    return pages[column.drill].replace(PARK_SLOT, park_code, 1) + pages[id(column)]


@dataclass(frozen=True)
class Cell:
    value: object
    kind: str
    url: str = ""

    @property
    def text(self) -> str:
        return show(self.value, self.kind)

    @property
    def html(self) -> str:
        """The cell's <td>, built here: a county table has a thousand cells, and the template
        language's loop over them cost more than the figures' SQL. Plain str with the standard
        library's escape (the characters Django's escape replaces, without its lazy-string wrapper)."""
        if self.url:
            return f'<td><a href="{escape(self.url)}">{escape(self.text)}</a></td>'
        return f"<td>{escape(self.text)}</td>"


def show(value, kind: str) -> str:
    """As offices write figures: 百分比 with one decimal, 万元 from ten thousand yuan, a sign on changes."""
    if value is None:
        return "—"
    if kind == PCT:
        return f"{value:.1f}%"
    if kind == MONEY:
        value = Decimal(value)
        return f"{value / 10000:,.2f}万元" if value >= 10000 else f"{value:,.0f}元"
    if kind == CHANGE:
        return f"+{value}" if value > 0 else str(value)
    return str(value)


class TableRow(NamedTuple):
    label: str
    code: str  # the park's code, "" for the total
    cells: list[Cell]
    link: str = ""  # the label's link: the park's own dashboard, on the county's page

    @property
    def html(self) -> str:
        """The row's <th> and <td>s in one string: the template prints it once instead of looping
        over cells (each part escapes its text and URL)."""
        label = f'<a href="{escape(self.link)}">{escape(self.label)}</a>' if self.link else escape(self.label)
        return mark_safe(f'<th scope="row">{label}</th>' + "".join(cell.html for cell in self.cells))


def table_rows(table: Table, rows, period: ReportPeriod, *, links: bool = True, park_links: bool = False) -> list[TableRow]:
    """A TableRow (label, park code or "", cells) for each row of (label, park code or "", figures);
    `park_links`: each park's label links to its dashboard for the period."""
    found, pages = [], {}
    park_home = reverse("dashboards:park_home", args=[PARK_SLOT]) + f"?{urlencode({'period': period.key})}" if park_links else ""
    for label, code, figures in rows:
        cells = [Cell(column.value(figures), column.kind,
                      drill_url(column, code, period, pages) if (links and code and column.drill) else "")
                 for column in table.columns]
        found.append(TableRow(label, code, cells, park_home.replace(PARK_SLOT, code, 1) if (park_links and code) else ""))
    return found


def export_rows(table: Table, rows) -> list[list]:
    """The table as a spreadsheet's rows: numbers stay numbers (rates in per cent, one decimal)."""
    return [[label, *[column.value(figures) for column in table.columns]] for label, _code, figures in rows]
