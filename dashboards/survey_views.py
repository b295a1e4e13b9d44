"""The county's 六个清 pages (read-only): two survey days side by side, park by park and for the
county, one park's detail with the names, and the export to .xlsx. Everything is read from the
snapshots the survey job took (dashboards.survey); nothing is filled in here.

Queries: the county's survey days, the days that have snapshots, and the snapshots of the two days
chosen — three, whatever the number of parks.
"""

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.views.generic import TemplateView

from core.http import download
from core.spreadsheets import write_xlsx_sheets
from core.tenancy.views import CountyViewMixin
from dashboards.models import SurveySnapshot, format_survey_days
from dashboards.survey import (
    ITEMS,
    Comparison,
    compare_county,
    computed_later,
    figures,
    survey_days,
)
from members.models import Member
from orgs.models import Organisation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBERS = "一二三四五六"
STAGES = dict(Member.Stage.choices)
KINDS = dict(Organisation.Kind.choices)


def day_label(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "—"


class BadQuery(Exception):
    """The page's query names no survey day (or park) the county has: said in Chinese, 400."""


@dataclass
class Choice:
    before: date | None = None
    after: date | None = None
    park: object = None  # one park's detail, or None for the county's overview


def parse_day(raw: str, days: list[date]) -> date:
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise BadQuery(f"“{raw[:20]}”不是有效日期，请按 2026-07-01 的格式选择普查日。") from None
    if day not in days:
        choices = "、".join(day_label(d) for d in days) or "尚无"
        raise BadQuery(f"{day_label(day)}没有“六个清”快照。可选的普查日：{choices}。")
    return day


def choose(query, days: list[date], parks) -> Choice:
    """The two days (earlier first) and the park asked for; by default the latest two days.

    `days` are the days with snapshots, latest first. One day given: compared with the latest other
    day. Only one day on record: that day alone (nothing before it)."""
    raw = {key: (query.get(key) or "").strip() for key in ("a", "b", "park")}
    given = [parse_day(raw[key], days) for key in ("a", "b") if raw[key]]
    if len(given) == 2:
        if given[0] == given[1]:
            raise BadQuery("请选择两个不同的普查日。")
        before, after = sorted(given)
    elif given:
        others = [d for d in days if d != given[0]]
        before, after = sorted([given[0], others[0]]) if others else (None, given[0])
    else:
        before, after = (days[1] if len(days) > 1 else None), (days[0] if days else None)
    park = None
    if raw["park"]:
        park = next((p for p in parks if p.code == raw["park"]), None)
        if park is None:
            raise BadQuery(f"本县没有代码为“{raw['park'][:32]}”的园区。")
    return Choice(before, after, park)


# --- Tables for the page -------------------------------------------------------------------------
@dataclass
class Cell:
    kind: str  # "figure": before → after; "names": a list; "count": how many (with a link to the names)
    change: object = None
    names: list[str] | None = None
    count: int | None = None
    url: str = ""


@dataclass
class Row:
    label: str
    cells: list[Cell]
    figure: bool = True


@dataclass
class Table:
    title: str
    rows: list[Row] = field(default_factory=list)


def _names(rows, fmt) -> list[str] | None:
    return None if rows is None else [fmt(row) for row in rows]


def _count(rows, url: str = "") -> Cell:
    return Cell("count", count=None if rows is None else len(rows), url=url if rows else "")


def _credit_code(row) -> str:
    return row["credit_code"]


def _kind(row) -> str:
    return str(KINDS.get(row["kind"], row["kind"]))


def _where(row) -> str:  # a member's branch and stage; never an ID number (the snapshot holds none)
    return f"{row['branch']}，{STAGES.get(row['stage'], row['stage'])}"


def _parents(row) -> str:
    return f"原属{row['parent_before'] or '—'}，现属{row['parent_after'] or '—'}"


def _enterprise(detail):
    return (lambda r: f"{r['name']}（{_credit_code(r)}）") if detail else (lambda r: r["name"])


def _organisation(detail):
    return (lambda r: f"{r['name']}（{_kind(r)}）") if detail else (lambda r: r["name"])


def _member(row) -> str:
    return f"{row['name']}（{_where(row)}）"


def _moved(row) -> str:
    return f"{row['name']}（{_parents(row)}）"


def survey_tables(columns: list[Comparison], *, detail: bool, detail_url=None) -> list[Table]:
    """One table per item: a row per figure (a cell per column: park or county total), then the
    rows of what came and went. In the county's overview the total's lists and the parks' members
    are counted (a park's count links to its detail); a park's detail names them all."""
    every = figures()
    tables = []
    for number, (item, title) in zip(NUMBERS, ITEMS):
        table = Table(f"{number}、{title}")
        for index, figure in enumerate(every):
            if figure.item == item:
                table.rows.append(Row(figure.label, [Cell("figure", change=c.changes[index][1]) for c in columns]))

        def names_row(label, rows_of, fmt, counted=lambda c: c.park is None, url_of=lambda c: ""):
            cells = [
                _count(rows_of(c), url_of(c)) if counted(c) else Cell("names", names=_names(rows_of(c), fmt))
                for c in columns
            ]
            table.rows.append(Row(label, cells, figure=False))

        if item == "entities":
            names_row("迁入企业", lambda c: c.enterprises.added, _enterprise(detail))
            names_row("迁出企业", lambda c: c.enterprises.removed, _enterprise(detail))
        elif item == "structure":
            names_row("新建党组织", lambda c: c.organisations.added, _organisation(detail))
            names_row("撤销党组织", lambda c: c.organisations.removed, _organisation(detail))
            names_row("调整隶属", lambda c: c.reparented, _moved)
        elif item == "members":
            counted = (lambda c: False) if detail else (lambda c: True)
            url_of = (lambda c: detail_url(c.park) if c.park is not None and detail_url else "")
            names_row("新增人员", lambda c: c.members.added, _member, counted, url_of)
            names_row("减少人员", lambda c: c.members.removed, _member, counted, url_of)
        tables.append(table)
    return tables


# --- The pages -------------------------------------------------------------------------------------
class SurveyMixin(CountyViewMixin):
    """Reads the county's days and the two chosen days' snapshots; bad input → BadQuery."""

    def load(self):
        self.settings_days = survey_days(self.county)
        self.days = list(
            SurveySnapshot.objects.filter(park__in=self.parks)
            .order_by("-taken_on")
            .values_list("taken_on", flat=True)
            .distinct()
        )
        self.choice = choose(self.request.GET, self.days, self.parks)
        wanted = [d for d in (self.choice.before, self.choice.after) if d]
        by_day: dict[date, dict[int, SurveySnapshot]] = {d: {} for d in wanted}
        for snapshot in SurveySnapshot.objects.filter(park__in=self.parks, taken_on__in=wanted):
            by_day[snapshot.taken_on][snapshot.park_id] = snapshot
        self.snapshots = by_day
        data = {d: {park_id: s.data for park_id, s in snaps.items()} for d, snaps in by_day.items()}
        self.rows, self.total = compare_county(
            self.parks, data.get(self.choice.before, {}), data.get(self.choice.after, {})
        )

    def query(self, **extra) -> str:
        params = {"a": self.choice.before, "b": self.choice.after, **extra}
        return urlencode({k: v.isoformat() if isinstance(v, date) else v for k, v in params.items() if v})

    def base_context(self, **extra) -> dict:
        # `county` replaces the URL's county code (a string) in the context.
        return {
            "county": self.county,
            "settings_days": format_survey_days(getattr(self, "settings_days", None) or survey_days(self.county)),
            "days": [(d, day_label(d)) for d in getattr(self, "days", [])],
            "parks": self.parks,
            **extra,
        }

    def title_row(self) -> str:
        c = self.choice
        if c.before is None:
            return f"{self.county.name}“六个清”普查：{day_label(c.after)}" if c.after else f"{self.county.name}“六个清”普查：尚无快照"
        return f"{self.county.name}“六个清”普查对比：{day_label(c.before)} 与 {day_label(c.after)}"


class SurveyView(SurveyMixin, TemplateView):
    template_name = "dashboards/survey_compare.html"

    def get(self, request, *args, **kwargs):
        try:
            self.load()
        except BadQuery as error:
            return self.render_to_response(self.base_context(error=str(error)), status=400)
        return self.render_to_response(self.base_context(**self.page_context()))

    def page_context(self) -> dict:
        c = self.choice
        page = reverse("county_survey", args=[self.county.code])
        if c.park is not None:
            columns = [next(row for row in self.rows if row.park == c.park)]
        else:
            columns = [*self.rows, self.total]
        later = []  # snapshots computed after their day (a backfill): which parks, each day
        for day, snaps in sorted(self.snapshots.items()):
            names = [s.data.get("park", {}).get("name", "") for park_id, s in snaps.items()
                     if computed_later(s) and (c.park is None or park_id == c.park.pk)]
            if names:
                later.append((day_label(day), "、".join(names)))
        return {
            "choice": c,
            "before_label": day_label(c.before),
            "after_label": day_label(c.after),
            "columns": columns,
            "headers": [(col.label, f"{page}?{self.query(park=col.park.code)}" if col.park else "") for col in columns],
            "tables": survey_tables(
                columns, detail=c.park is not None, detail_url=lambda park: f"{page}?{self.query(park=park.code)}"
            ),
            "computed_later": later,
            "overview_url": f"{page}?{self.query()}",
            "export_url": f"{reverse('county_survey_xlsx', args=[self.county.code])}?{self.query()}",
        }


class SurveyExportView(SurveyMixin, TemplateView):
    """Both days' snapshots and their comparison in one .xlsx: 对比, 变动明细, and each day's figures."""

    template_name = "dashboards/survey_compare.html"

    def get(self, request, *args, **kwargs):
        try:
            self.load()
        except BadQuery as error:
            return self.render_to_response(self.base_context(error=str(error)), status=400)
        c = self.choice
        name = f"{self.county.name}六个清"
        name += f"{c.before}至{c.after}.xlsx" if c.before else (f"{c.after}.xlsx" if c.after else ".xlsx")
        return download(write_xlsx_sheets(export_sheets(self.rows, self.total, c), title_row=self.title_row()), name, XLSX)


def export_sheets(rows: list[Comparison], total: Comparison, choice: Choice) -> list[tuple]:
    before, after = day_label(choice.before), day_label(choice.after)
    columns = [*rows, total]
    every = figures()
    labels = dict(ITEMS)
    compared = []
    for index, figure in enumerate(every):
        for c in columns:
            change = c.changes[index][1]
            compared.append([labels[figure.item], figure.label, c.label, change.before, change.after, change.delta])
    details = []
    for c in rows:
        for item, what, listed, note in (
            ("经营主体", "迁入企业", c.enterprises.added, _credit_code),
            ("经营主体", "迁出企业", c.enterprises.removed, _credit_code),
            ("组织架构", "新建党组织", c.organisations.added, _kind),
            ("组织架构", "撤销党组织", c.organisations.removed, _kind),
            ("组织架构", "调整隶属", c.reparented, _parents),
            ("党员队伍", "新增人员", c.members.added, _where),
            ("党员队伍", "减少人员", c.members.removed, _where),
        ):
            details.extend([c.label, item, what, row["name"], note(row)] for row in listed or [])
    sheets = [
        ("对比", ["项目", "指标", "园区", before, after, "增减"], compared),
        ("变动明细", ["园区", "项目", "变动", "名称", "说明"], details),
    ]
    for label, side in ((before, "before"), (after, "after")):
        if label == "—":
            continue
        figures_rows = [
            [c.label, labels[figure.item], figure.label, getattr(c.changes[index][1], side)]
            for c in columns
            if getattr(c, side) is not None
            for index, figure in enumerate(every)
        ]
        sheets.append((f"{label}快照", ["园区", "项目", "指标", "数值"], figures_rows))
        sheets.append((f"{label}名单", ["园区", "项目", "名称", "说明"], roster_rows(rows, side)))
    return sheets


def roster_rows(rows: list[Comparison], side: str) -> list[list]:
    """A day's lists, park by park: its enterprises, its organisations (with the higher one) and the
    people on its roll (branch and stage; never an ID number)."""
    out = []
    for c in rows:
        data = getattr(c, side)
        if data is None:
            continue
        names = {row["id"]: row["name"] for row in data.get("structure", [])}
        out += [[c.label, "经营主体", row["name"], row["credit_code"]] for row in data["entities"]["list"]]
        out += [
            [c.label, "组织架构", row["name"], f"{_kind(row)}，上级：{names.get(row['parent_id'], '—')}"]
            for row in data.get("structure", [])
        ]
        out += [[c.label, "党员队伍", row["name"], _where(row)] for row in data["members"]["list"]]
    return out
