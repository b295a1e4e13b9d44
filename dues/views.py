"""党费 pages: the month's collection per branch, a branch's sheet (record payments, see arrears),
a member's basis, and the 党费收缴表 as .xlsx."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from activities.views import BranchScopedMixin
from core.http import download, year_param
from core.periods import month_end, month_start
from core.roles import BRANCH_WRITERS, PARK_STAFF
from core.spreadsheets import write_xlsx
from core.tenancy.views import (
    CountyViewMixin,
    ParkObjectFormMixin,
    ServiceActionView,
    ServiceFormView,
    StoredFileView,
    park_url,
)
from dues import forms, selectors, services
from dues.models import (
    DuesBasis,
    DuesLine,
    DuesPayment,
    DuesSheet,
    LedgerEntry,
    LedgerEvidence,
)
from members.dues import ARREARS_FLAG_MONTHS, BACK_PAY_MONTHS, DuesCategory
from members.models import Member
from orgs.models import Organisation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def chosen_month(request, today: date) -> date:
    """?month=YYYY-MM, this month by default; anything else is a page that does not exist."""
    raw = request.GET.get("month", "")
    if not raw:
        return month_start(today)
    try:
        year, month = (int(part) for part in raw.split("-"))
        chosen = date(year, month, 1)
    except ValueError:
        raise Http404 from None
    if not 2000 <= chosen.year <= today.year + 1:
        raise Http404
    return chosen


class DuesHomeView(BranchScopedMixin, TemplateView):
    """The month's collection (应缴 / 实缴 / 欠缴 / 收缴率) per branch this user sees, the year by month,
    and the members whose unpaid run reached the mark."""

    model = DuesSheet
    template_name = "dues/home.html"

    def get_context_data(self, **kwargs):
        today = self.today()
        month = chosen_month(self.request, today)
        visible = None if self.access.sees_whole_park else self.access.organisation_ids
        branches = selectors.collection_by_branch(park=self.park, month=month, branch_ids=visible)
        by_month = selectors.collection_by_month(park=self.park, year=month.year, branch_ids=visible)
        lines = DuesLine.objects.filter(park=self.park, month=month)
        if visible is not None:
            lines = lines.filter(sheet__branch_id__in=visible)
        members = dict(lines.values_list("member_id", "sheet_id"))
        found = selectors.arrears(park=self.park, member_ids=list(members), until=month)
        marked = selectors.flagged(found)
        names = dict(Member.objects.filter(park=self.park, pk__in=marked).values_list("pk", "name"))
        flagged_rows = sorted(((names[pk], found[pk].run, members[pk]) for pk in marked), key=lambda row: (-row[1], row[0]))
        books = Organisation.objects.filter(park=self.park, dissolved_on__isnull=True).exclude(kind=Organisation.Kind.GROUP)
        if visible is not None:
            books = books.filter(pk__in=visible)
        books = list(books.order_by("name"))
        held = selectors.balances(park=self.park, organisation_ids=[o.pk for o in books])
        return super().get_context_data(
            books=[(o, held[o.pk]) for o in books],
            month=month, branches=branches, total=selectors.total([row[3] for row in branches]),
            by_month=by_month, year_total=selectors.total(by_month), flagged=flagged_rows,
            flag_months=ARREARS_FLAG_MONTHS, **kwargs,
        )


class SheetMixin(BranchScopedMixin):
    model = DuesSheet

    def can_write(self, sheet) -> bool:
        return not self.access.read_only and self.access.can_edit_organisation(sheet.branch_id)


class SheetView(SheetMixin, ParkObjectFormMixin, TemplateView):
    template_name = "dues/sheet.html"

    def get_queryset(self):
        return super().get_queryset().select_related("branch")

    def get_context_data(self, **kwargs):
        sheet = self.object
        lines = list(
            DuesLine.objects.filter(park=self.park, sheet=sheet).select_related("member", "basis").order_by("member__name", "pk")
        )
        found = selectors.arrears(park=self.park, member_ids=[line.member_id for line in lines], until=sheet.month)
        payments = {}
        for payment in DuesPayment.objects.filter(park=self.park, line__sheet=sheet).order_by("paid_on", "pk"):
            payments.setdefault(payment.line_id, []).append(payment)
        reversed_ids = {p.reverses_id for ps in payments.values() for p in ps if p.reverses_id}
        none = selectors.Arrears(0, 0)
        rows = [(line, found.get(line.member_id, none), payments.get(line.pk, [])) for line in lines]
        can_write = self.can_write(sheet)
        return super().get_context_data(
            sheet=sheet, rows=rows, reversed_ids=reversed_ids, can_write=can_write,
            form=forms.PaymentForm(initial={"paid_on": self.today(), "method": DuesPayment.Method.WECHAT}) if can_write else None,
            figures=selectors.total([row[3] for row in selectors.collection_by_branch(
                park=self.park, month=sheet.month, branch_ids=[sheet.branch_id])], label="本月"),
            flag_months=ARREARS_FLAG_MONTHS, back_pay_months=BACK_PAY_MONTHS, **kwargs,
        )


class SheetPayView(SheetMixin, ServiceActionView):
    allowed_roles = BRANCH_WRITERS
    form_class = forms.PaymentForm
    success_message = ""

    def prepare(self):
        self.sheet = self.get_object()
        if not self.can_write(self.sheet):
            raise Http404

    def get_form(self):
        line_ids = DuesLine.objects.filter(park=self.park, sheet=self.sheet).values_list("pk", flat=True)
        return self.form_class(self.request.POST, line_ids=list(line_ids))

    def perform(self, data):
        return services.payments_record(
            park=self.park, actor=self.request.user, sheet=self.sheet, line_ids=data["lines"], paid_on=data["paid_on"],
            method=data["method"], today=self.today(),
        )

    def get_success_message(self, payments) -> str:
        return f"已登记 {len(payments)} 人交纳党费，共 {sum(p.amount for p in payments)} 元。"

    def get_success_url(self):
        return park_url("dues:sheet", self.park, self.sheet.pk)


class ReversalView(BranchScopedMixin, ServiceActionView):
    """Reverse a record made in error (a payment, a book entry), by those who keep its organisation's
    books; the subclass names the organisation the record belongs to."""

    allowed_roles = BRANCH_WRITERS
    form_class = forms.ReverseForm

    def organisation_id(self, record) -> int:
        raise NotImplementedError

    def prepare(self):
        self.record = self.get_object()
        if not self.access.can_edit_organisation(self.organisation_id(self.record)):
            raise Http404


class PaymentReverseView(ReversalView):
    model = DuesPayment
    branch_field = "line__sheet__branch_id"

    def organisation_id(self, payment) -> int:
        return payment.line.sheet.branch_id

    def perform(self, data):
        return services.payment_reverse(park=self.park, actor=self.request.user, payment=self.record, reason=data["reason"],
                                        today=self.today())

    def get_success_message(self, reversal) -> str:
        return f"已撤销一笔 {-reversal.amount} 元的交纳记录。"

    def get_success_url(self):
        return park_url("dues:sheet", self.park, self.record.line.sheet_id)


class SheetExportView(SheetMixin, ParkObjectFormMixin, View):
    """党费收缴表 as offices file it: one row per member, the month's 应缴 / 实缴 / 欠缴."""

    def get(self, request, *args, **kwargs):
        sheet = self.object
        lines = DuesLine.objects.filter(park=self.park, sheet=sheet).select_related("member").order_by("member__name", "pk")
        dates = {}
        for line_id, paid_on in DuesPayment.objects.filter(park=self.park, line__sheet=sheet, amount__gt=0, reversed_by__isnull=True).values_list("line_id", "paid_on"):
            dates[line_id] = max(paid_on, dates.get(line_id, paid_on))
        # A member's income is for those who keep the sheet (the branch and the office), not for readers.
        show_income = self.can_write(sheet)
        header = ["序号", "姓名", "党员类别", "交纳类别", "税后月收入（元）", "应缴（元）", "实缴（元）", "欠缴（元）", "交纳日期", "备注"]
        rows = []
        for number, line in enumerate(lines, start=1):
            basis = line.basis
            rows.append([
                number, line.member.name, line.member.get_stage_display(), line.get_category_display() if line.category else "",
                basis.base if show_income and basis and basis.base is not None else "", line.due if line.due is not None else "",
                line.paid, line.outstanding if line.outstanding is not None else "", dates.get(line.pk),
                "基数待核定" if line.due is None else ("自愿多交" if line.voluntary else ""),
            ])
        title = f"{sheet.branch.name}{sheet.month.year}年{sheet.month.month}月党费收缴表"
        return download(write_xlsx(header, rows, title="党费收缴表"), f"{title}.xlsx", XLSX)


class BasisView(BranchScopedMixin, ServiceFormView):
    """A member's 党费基数: the history, and a new basis from a month on."""

    model = Member
    allowed_roles = BRANCH_WRITERS
    template_name = "dues/basis.html"
    form_class = forms.BasisForm

    def prepare(self):
        self.member = self.get_object()
        if not self.access.can_edit_organisation(self.member.branch_id):
            raise Http404

    def get_initial(self):
        current = DuesBasis.objects.filter(park=self.park, member=self.member).first()
        initial = {"effective_from": month_start(self.today()), "category": DuesCategory.EMPLOYED}
        if current:
            initial.update(category=current.category, base=current.base, agreed=current.agreed, voluntary=current.voluntary)
        return initial

    def get_context_data(self, **kwargs):
        history = DuesBasis.objects.filter(park=self.park, member=self.member).select_related("recorded_by")[:24]
        return super().get_context_data(member=self.member, history=history, **kwargs)

    def perform(self, form):
        return services.basis_record(park=self.park, actor=self.request.user, member=self.member, **form.cleaned_data)

    def get_success_message(self, basis) -> str:
        return f"已核定{self.member.name}的党费：每月 {basis.monthly} 元，自 {basis.effective_from:%Y年%m月} 起。"

    def get_success_url(self):
        sheet = DuesLine.objects.filter(park=self.park, member=self.member).order_by("-month").values_list("sheet_id", flat=True).first()
        return park_url("dues:sheet", self.park, sheet) if sheet else park_url("dues:home", self.park)


# --- The books -------------------------------------------------------------------------------------
class OrganisationBooksMixin(BranchScopedMixin):
    """An organisation's books: park-wide roles see every organisation's, a secretary their own."""

    model = Organisation
    branch_field = "pk"

    def prepare(self):
        self.organisation = self.get_object()
        self.can_write = not self.access.read_only and self.access.can_edit_organisation(self.organisation.pk)


class LedgerView(OrganisationBooksMixin, ServiceFormView):
    allowed_roles = BRANCH_WRITERS | PARK_STAFF
    template_name = "dues/ledger.html"
    form_class = forms.LedgerForm

    def get_initial(self):
        return {"on": self.today(), "kind": LedgerEntry.Kind.REMIT}

    def post(self, request, *args, **kwargs):
        if not self.can_write:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        year = year_param(self.request, self.today())
        books = selectors.balances(park=self.park, organisation_ids=[self.organisation.pk])[self.organisation.pk]
        entries = list(
            LedgerEntry.objects.filter(park=self.park, organisation=self.organisation, on__year=year)
            .select_related("recorded_by").prefetch_related("evidence").order_by("on", "pk")
        )
        reversed_ids = set(LedgerEntry.objects.filter(park=self.park, reverses__in=entries).values_list("reverses_id", flat=True))
        return super().get_context_data(
            organisation=self.organisation, year=year, books=books, can_write=self.can_write, reversed_ids=reversed_ids,
            collected=selectors.collected_by_month(park=self.park, organisation_id=self.organisation.pk, year=year),
            collection=[e for e in entries if e.book == LedgerEntry.Book.COLLECTION],
            fund=[e for e in entries if e.book == LedgerEntry.Book.FUND], **kwargs,
        )

    def perform(self, form):
        return services.ledger_record(park=self.park, actor=self.request.user, organisation=self.organisation, today=self.today(),
                                      **form.cleaned_data)

    def get_success_message(self, entry) -> str:
        return f"已记账：{entry.get_kind_display()} {abs(entry.amount)} 元。"

    def get_success_url(self):
        return park_url("dues:ledger", self.park, self.organisation.pk)


class LedgerReverseView(ReversalView):
    model = LedgerEntry
    branch_field = "organisation_id"

    def organisation_id(self, entry) -> int:
        return entry.organisation_id

    def perform(self, data):
        return services.ledger_reverse(park=self.park, actor=self.request.user, entry=self.record, reason=data["reason"], today=self.today())

    def get_success_message(self, reversal) -> str:
        return f"已撤销一笔 {abs(reversal.amount)} 元的账目。"

    def get_success_url(self):
        return park_url("dues:ledger", self.park, self.record.organisation_id)


class EvidenceView(StoredFileView):
    model = LedgerEvidence

    allowed_roles = BRANCH_WRITERS | PARK_STAFF

    def restrict(self, queryset):
        if self.access.sees_whole_park:
            return queryset
        return queryset.filter(entry__organisation_id__in=self.access.organisation_ids)


class LedgerExportView(OrganisationBooksMixin, View):
    """The year's 党费账 and 返还及专项经费账 as one .xlsx: each line with its running balance."""

    allowed_roles = BRANCH_WRITERS | PARK_STAFF

    def get(self, request, *args, year, **kwargs):
        if not 2000 <= year <= self.today().year + 1:
            raise Http404
        rows = ledger_rows(park=self.park, organisation=self.organisation, year=year)
        header = ["账簿", "日期", "摘要", "收入（元）", "支出（元）", "余额（元）", "用途", "对方单位"]
        name = f"{self.organisation.name}{year}年党费账"
        return download(write_xlsx(header, rows, title="党费账"), f"{name}.xlsx", XLSX)


def ledger_rows(*, park, organisation, year: int) -> list[list]:
    """Both books for the year with running balances, opening with what was carried over."""
    start = selectors.balances_before(park=park, organisation_id=organisation.pk, day=date(year, 1, 1))
    rows = []
    for book, label in LedgerEntry.Book.choices:
        balance = start[book]
        rows.append([str(label), date(year, 1, 1), "上年结转", "", "", balance, "", ""])
        events = []
        if book == LedgerEntry.Book.COLLECTION:
            events += [(month_end(month), f"{month.month}月收缴党员党费", total, "", "")
                       for month, total in selectors.collected_by_month(park=park, organisation_id=organisation.pk, year=year)]
        for e in LedgerEntry.objects.filter(park=park, organisation=organisation, book=book, on__year=year).order_by("on", "pk"):
            events.append((e.on, e.note or e.get_kind_display(), e.amount, e.get_use_display() if e.use else "", e.counterpart))
        for on, what, amount, use, counterpart in sorted(events, key=lambda event: event[0]):
            balance += amount
            rows.append([str(label), on, what, amount if amount > 0 else "", -amount if amount < 0 else "", balance, use, counterpart])
    return rows


class CountyDuesView(CountyViewMixin, TemplateView):
    """The county's view of 党费 collection: each park's year and latest month (应缴 / 实缴 / 欠缴 /
    收缴率), from the parks' own sheets — nothing reported for it (read-only)."""

    template_name = "dues/county.html"

    def get_context_data(self, **kwargs):
        year = year_param(self.request, timezone.localdate())
        by_park = selectors.collection_by_park(parks=self.parks, year=year)
        rows = [(park, selectors.total(by_park[park.pk], "全年"), by_park[park.pk][-1] if by_park[park.pk] else None) for park in self.parks]
        context = super().get_context_data(**kwargs)
        context.update(county=self.county, year=year, rows=rows,
                       county_total=selectors.total([total for _, total, _ in rows], "全县"))
        return context
