"""党费 as records: a member's dues basis (each change a new row), the branch's monthly sheet of
what each member owes (应缴), and payments (实缴) — a wrong payment is reversed by a new one, never
edited. The amounts follow members.dues, the one rule."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from core.history import track_history
from core.uploads import StoredFile
from members.dues import DuesCategory, FundUse

PARK = dict(on_delete=models.PROTECT, related_name="+", verbose_name=_("园区"))
MONEY = dict(max_digits=10, decimal_places=2)


@track_history()
class DuesBasis(models.Model):
    """A member's 党费基数 from a month on: the latest one at or before a month applies to it."""

    park = models.ForeignKey("orgs.Park", **PARK)
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, db_index=False, related_name="+", verbose_name=_("党员"))
    effective_from = models.DateField(_("起始月份"), help_text=_("从该月起按此基数交纳"))
    category = models.CharField(_("交纳类别"), max_length=16, choices=DuesCategory.choices)
    base = models.DecimalField(_("税后月收入（元）"), null=True, blank=True, **MONEY)
    agreed = models.DecimalField(_("约定金额（元，农民党员）"), null=True, blank=True, **MONEY)
    voluntary = models.DecimalField(_("自愿多交后每月金额（元）"), null=True, blank=True, **MONEY)
    standard = models.DecimalField(_("标准每月应缴（元）"), **MONEY)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, db_index=False, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("党费基数")
        verbose_name_plural = _("党费基数")
        ordering = ["-effective_from", "-pk"]
        indexes = [models.Index(fields=["park", "member", "-effective_from"], name="duesbasis_park_member")]

    @property
    def monthly(self):
        return self.voluntary if self.voluntary is not None else self.standard


@track_history()
class DuesSheet(models.Model):
    """A branch's 党费收缴表 for one month, drafted by the monthly job."""

    park = models.ForeignKey("orgs.Park", **PARK)
    branch = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, db_index=False, related_name="+", verbose_name=_("党组织"))
    month = models.DateField(_("月份"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("党费收缴表")
        verbose_name_plural = _("党费收缴表")
        ordering = ["-month", "branch__name"]
        constraints = [models.UniqueConstraint(fields=["park", "branch", "month"], name="duessheet_once")]
        indexes = [models.Index(fields=["park", "month"], name="duessheet_park_month")]


@track_history()
class DuesLine(models.Model):
    """What one member owes for the sheet's month (应缴), from their basis; `due` is empty while
    the member has no basis yet (基数待核定)."""

    park = models.ForeignKey("orgs.Park", **PARK)
    sheet = models.ForeignKey(DuesSheet, on_delete=models.CASCADE, db_index=False, related_name="lines")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, db_index=False, related_name="+", verbose_name=_("党员"))
    month = models.DateField(_("月份"))  # the sheet's, kept here for the member's arrears
    basis = models.ForeignKey(DuesBasis, on_delete=models.PROTECT, null=True, db_index=False, related_name="+")
    category = models.CharField(_("交纳类别"), max_length=16, choices=DuesCategory.choices, blank=True)
    due = models.DecimalField(_("应缴（元）"), null=True, **MONEY)
    voluntary = models.BooleanField(_("自愿多交"), default=False)
    paid = models.DecimalField(_("实缴（元）"), default=0, **MONEY)  # the sum of its payments, kept by the service

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("党费应缴")
        verbose_name_plural = _("党费应缴")
        # One line per member and month, whichever branch's sheet it is on (the unique index also
        # serves the member's arrears, read by member and month).
        constraints = [models.UniqueConstraint(fields=["park", "member", "month"], name="duesline_once")]
        indexes = [models.Index(fields=["park", "sheet"], name="duesline_park_sheet")]

    @property
    def outstanding(self):
        return None if self.due is None else max(self.due - self.paid, 0)


@track_history()
class DuesPayment(models.Model):
    """A payment (实缴) against a line; a reversal is a payment of the opposite amount naming it."""

    class Method(models.TextChoices):
        CASH = "cash", _("现金")
        WECHAT = "wechat", _("微信")
        ALIPAY = "alipay", _("支付宝")
        BANK = "bank", _("银行转账")
        PAYROLL = "payroll", _("工资代扣")

    park = models.ForeignKey("orgs.Park", **PARK)
    line = models.ForeignKey(DuesLine, on_delete=models.PROTECT, db_index=False, related_name="payments")
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    paid_on = models.DateField(_("交纳日期"))
    method = models.CharField(_("交纳方式"), max_length=12, choices=Method.choices)
    reverses = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, db_index=False, related_name="reversed_by")
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, db_index=False, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("党费交纳")
        verbose_name_plural = _("党费交纳")
        ordering = ["paid_on", "pk"]
        indexes = [models.Index(fields=["park", "line"], name="duespayment_park_line")]
        # A payment is reversed at most once (PostgreSQL lets the many NULLs of unreversed ones be).
        constraints = [models.UniqueConstraint(fields=["park", "reverses"], name="duespayment_reversed_once")]


@track_history()
class LedgerEntry(models.Model):
    """A line of an organisation's two 党费 books. The collection book (党费账): what its members
    paid comes from their payments; what it remits (上缴) to the higher committee is entered here.
    The fund book (返还及专项经费账): dues returned to it and special funds received, and what it
    spends — on the uses the rules allow, with evidence. `amount` is signed (in +, out −); a
    correction is a new entry reversing one, never an edit. Neither book's balance goes below zero."""

    class Book(models.TextChoices):
        COLLECTION = "collection", _("党费账")
        FUND = "fund", _("返还及专项经费账")

    class Kind(models.TextChoices):
        REMIT = "remit", _("上缴党费")
        RETURNED = "returned", _("收到党费返还")
        GRANT = "grant", _("收到专项经费")
        SPEND = "spend", _("支出")

    park = models.ForeignKey("orgs.Park", **PARK)
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, db_index=False, related_name="+", verbose_name=_("党组织"))
    book = models.CharField(_("账簿"), max_length=12, choices=Book.choices)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    on = models.DateField(_("日期"))
    use = models.CharField(_("支出用途"), max_length=16, choices=FundUse.choices, blank=True)
    counterpart = models.CharField(_("对方单位"), max_length=100, blank=True)
    note = models.CharField(_("摘要"), max_length=200, blank=True)
    reverses = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, db_index=False, related_name="reversed_by")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, db_index=False, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("党费账目")
        verbose_name_plural = _("党费账目")
        ordering = ["on", "pk"]
        indexes = [models.Index(fields=["park", "organisation", "book", "on"], name="ledger_park_org_book")]
        constraints = [models.UniqueConstraint(fields=["park", "reverses"], name="ledger_reversed_once")]

    @property
    def magnitude(self):
        return abs(self.amount)


class LedgerEvidence(StoredFile):
    """A file proving an entry (an invoice, a list of recipients, a photo), through the one checker."""

    park = models.ForeignKey("orgs.Park", **PARK)
    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, db_index=False, related_name="evidence")
    file = models.FileField(_("文件"), upload_to="dues/%Y/")

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("账目凭证")
        verbose_name_plural = _("账目凭证")
        indexes = [models.Index(fields=["park", "entry"], name="ledgerevidence_park_entry")]
