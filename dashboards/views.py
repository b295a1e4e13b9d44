"""The county's and the park's dashboards: every figure derived from records already held, for a
period the viewer picks, each drilling down to the list behind it, each table exported to .xlsx."""

from datetime import date

from django.db.models import Count, Q
from django.http import JsonResponse
from django.utils import timezone
from django.utils.html import format_html_join
from django.views.generic import TemplateView, View

from core.http import download
from core.periods import ReportPeriod, Span, last_quarters
from core.roles import Role
from core.spreadsheets import XLSX, write_xlsx
from core.tenancy.views import CountyViewMixin, ParkViewMixin
from dashboards.cache import breakdowns
from dashboards.figures import Figures, total
from dashboards.tables import PCT, TABLE_KEYS, TABLES, export_rows, show, table_rows
from dashboards.todo import sections_for
from orgs.selectors import enterprises_with_coverage
from services.demands import BLUE, RED, YELLOW

ALL = "合计"


def period_choices(today: date) -> list[tuple[str, list[ReportPeriod]]]:
    """The periods offered: the last 12 months, 8 quarters, 4 half-years and 5 years."""
    groups = []
    for span, label, count in ((Span.MONTH, "月度", 12), (Span.QUARTER, "季度", 8), (Span.HALF, "半年", 4), (Span.YEAR, "年度", 5)):
        periods = [ReportPeriod.containing(today, span)]
        while len(periods) < count:
            periods.append(periods[-1].previous())
        groups.append((label, periods))
    return groups


class PeriodMixin:
    """?period=2026Q4 (or 2026-11, 2026H2, 2026); today's quarter when absent. A key naming no
    period is answered 400 with the message, on the default period's page."""

    def chosen_period(self):
        self.today = timezone.localdate()
        self.period_error = ""
        key = self.request.GET.get("period", "")
        if key:
            try:
                return ReportPeriod.parse(key, self.today)
            except ValueError as exc:
                self.period_error = str(exc)
        return ReportPeriod.containing(self.today)

    def render_to_response(self, context, **kwargs):
        return super().render_to_response(context, status=400 if self.period_error else 200, **kwargs)

    def period_context(self, period) -> dict:
        return {"period": period, "period_choices": period_choices(self.today), "period_error": self.period_error,
                "as_of": period.as_of(self.today)}


def exported(title: str, table, rows, period: ReportPeriod, first_label: str):
    header = [first_label, *[c.label + ("（%）" if c.kind == PCT else "") for c in table.columns]]
    content = write_xlsx(header, export_rows(table, rows), title=table.title, title_row=f"{title} {table.title}（{period.label}）")
    return download(content, f"{title}{table.title}{period.key}.xlsx", XLSX)


class CountyDashboardView(PeriodMixin, CountyViewMixin, TemplateView):
    """The county organisation department's view of all its parks, side by side and in total."""

    template_name = "dashboards/county.html"

    def get(self, request, *args, **kwargs):
        self.period = self.chosen_period()
        found = breakdowns(self.parks, self.period, self.today)
        self.park_rows = [(park, found[park.pk].figures) for park in self.parks]
        self.county_total = total(f for _p, f in self.park_rows)
        if (key := request.GET.get("export")) in TABLE_KEYS:
            return exported(self.county.name, TABLE_KEYS[key], self.labelled(), self.period, "园区")
        return super().get(request, *args, **kwargs)

    def labelled(self):
        return [(p.name, p.code, f) for p, f in self.park_rows] + [(ALL, "", self.county_total)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        labelled = self.labelled()
        context.update(
            county=self.county,  # replaces the URL's county code
            rows=self.park_rows,
            total=self.county_total,
            tables=[(t, table_rows(t, labelled, self.period, park_links=True)) for t in TABLES],
            chart=county_chart(self.park_rows),
            **self.period_context(self.period),
        )
        return context


def county_chart(park_rows) -> dict:
    """What the county's charts plot: per park its rates and its branches by star level."""
    names = [p.name for p, _f in park_rows]
    return {
        "parks": names,
        "rates": {label: [getattr(f, attr) for _p, f in park_rows] for label, attr in RATES},
        "stars": {f"{'★' * level}": [f.stars[level] for _p, f in park_rows] for level in range(5, 0, -1)},
    }


RATES = [("党组织覆盖率", "org_rate"), ("党的工作覆盖率", "work_rate"), ("三会一课落实率", "compliance_rate"),
         ("月报告按时率", "reports_rate"), ("任务按时完成率", "tasks_rate"), ("诉求销号率", "closure_rate")]


class ParkHomeView(PeriodMixin, ParkViewMixin, TemplateView):
    """The park's figures by zone and by branch, and the to-do that needs the office."""

    template_name = "dashboards/park_home.html"

    def get(self, request, *args, **kwargs):
        self.period = self.chosen_period()
        self.breakdown = breakdowns([self.park], self.period, self.today)[self.park.pk]
        if (key := request.GET.get("export")) in TABLE_KEYS:
            return exported(self.park.name, TABLE_KEYS[key], self.labelled(), self.period, "园区")
        if request.GET.get("export") == "branches":
            return download(write_xlsx(BRANCH_HEADER, self.branch_rows(), title="各党支部",
                                       title_row=f"{self.park.name} 各党支部（{self.period.label}）"),
                            f"{self.park.name}各党支部{self.period.key}.xlsx", XLSX)
        return super().get(request, *args, **kwargs)

    def labelled(self):
        return [(self.park.name, self.park.code, self.breakdown.figures)]

    def branch_rows(self) -> list[list]:
        rows = []
        for name, f in sorted(self.breakdown.branches.values(), key=lambda pair: pair[0]):
            level = max((lv for lv, n in f.stars.items() if n), default=None)
            rows.append([name, f.members_on_roll, f.party_members, level, f.meetings_held, f.meetings_owed,
                         f.compliance_rate, f.reports_on_time, f.reports_due])
        return rows

    def get_context_data(self, **kwargs):
        figures: Figures = self.breakdown.figures
        as_of = self.period.as_of(self.today)
        zones = (
            enterprises_with_coverage(parks=[self.park], on=as_of).order_by().values("zone__name")
            .annotate(n=Count("pk"), org=Count("pk", filter=Q(org_covered=True)),
                      work=Count("pk", filter=Q(org_covered=True) | Q(has_instructor=True)))
            .order_by("zone__name")
        )
        return super().get_context_data(
            figures=figures,
            coverage=figures,  # the coverage block reads enterprises, org_rate, work_rate, uncovered
            todo=todo(figures),
            zones=[(z["zone__name"] or "未分片区", z["n"], show(Figures.rate(z["org"], z["n"]), PCT),
                    show(Figures.rate(z["work"], z["n"]), PCT)) for z in zones],
            branch_header=BRANCH_HEADER,
            branch_rows=[format_html_join("", "<td>{}</td>", (("—" if v is None else v,) for v in [*row[:6], show(row[6], PCT), *row[7:]]))
                         for row in self.branch_rows()],  # built here: the template's loop cost more than the SQL
            tables=[(t, table_rows(t, self.labelled(), self.period)) for t in TABLES],
            **self.period_context(self.period),
            **kwargs,
        )


BRANCH_HEADER = ["党支部", "在册人数", "党员", "星级", "已开组织生活", "应开组织生活", "三会一课落实率（%）", "月报告按时", "月报告应报"]


def todo(f: Figures) -> list[tuple[str, int, str]]:
    """What needs the park office today: (what, how many, the page to act on)."""
    return [
        ("逾期未完成的任务", f.tasks_overdue, "cycle:tasks"),
        ("严重逾期诉求（红）", f.overdue[RED], "services:demands"),
        ("已逾期诉求（黄）", f.overdue[YELLOW], "services:demands"),
        ("即将到期诉求（蓝）", f.overdue[BLUE], "services:demands"),
        ("本轮尚未评分的党支部", f.unscored, "assessment:overview"),
        ("待审核或审批的津贴批次", f.batches_waiting, "assessment:overview"),
        ("组织体检问题", f.findings, "members:org_check"),
        ("即将届满的支部", f.terms_ending, "members:org_check"),
    ]


class StartView(ParkViewMixin, TemplateView):
    """我的待办: the start page of a branch secretary, an inspector and an instructor (dashboards.todo)."""

    allowed_roles = frozenset({Role.BRANCH_SECRETARY, Role.INSPECTOR, Role.INSTRUCTOR})
    template_name = "dashboards/start.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        groups = sections_for(self.park, self.access, self.request.user, today)
        return super().get_context_data(today=today, groups=groups, nothing=not any(s.count for _, ss in groups for s in ss),
                                        reminders_below=True, **kwargs)  # the to-do first, the reminders after it


class TrendView(CountyViewMixin, TemplateView):
    """Every figure of the county's tables over the last 8 quarters (or one park's, with ?park=)."""

    template_name = "dashboards/trends.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        quarters = last_quarters(today)
        chosen = next((p for p in self.parks if p.code == self.request.GET.get("park")), None)
        parks = [chosen] if chosen else self.parks
        series = [total(b.figures for b in breakdowns(parks, q, today).values()) for q in quarters]
        groups = [(t.title, [(c.label, [show(c.value(f), c.kind) for f in series]) for c in t.columns]) for t in TABLES]
        chart = {"quarters": [q.label for q in quarters],
                 "rates": {label: [getattr(f, attr) for f in series] for label, attr in RATES}}
        context = super().get_context_data(**kwargs)
        context.update(county=self.county, parks=self.parks, chosen=chosen, quarters=quarters, groups=groups, chart=chart)
        return context


class ScreenView(CountyViewMixin, TemplateView):
    """大屏: the county dashboard for a wall display; it refreshes its data every minute."""

    template_name = "dashboards/screen.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(county=self.county, data=screen_data(self.parks))
        return context


class ScreenDataView(CountyViewMixin, View):
    """The big screen's figures as JSON (the page fetches them every minute)."""

    def get(self, request, *args, **kwargs):
        return JsonResponse(screen_data(self.parks))


def screen_data(parks) -> dict:
    today = timezone.localdate()
    period = ReportPeriod.containing(today)
    found = breakdowns(parks, period, today)
    rows = [(park, found[park.pk].figures) for park in parks]
    whole = total(f for _p, f in rows)
    return {
        "period": period.label,
        "updated": timezone.localtime().strftime("%H:%M"),
        "totals": [
            ["在园企业", whole.enterprises], ["党组织覆盖率", show(whole.org_rate, PCT)],
            ["党支部", whole.branches], ["党员", whole.party_members],
            ["三会一课落实率", show(whole.compliance_rate, PCT)], ["诉求销号率", show(whole.closure_rate, PCT)],
        ],
        "parks": [
            {"name": p.name, "enterprises": f.enterprises, "org_rate": f.org_rate, "branches": f.branches,
             "members": f.party_members, "compliance_rate": f.compliance_rate, "overdue": f.overdue_total}
            for p, f in rows
        ],
        "chart": county_chart(rows),
    }
