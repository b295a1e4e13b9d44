from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import MultipleFileField
from core.validators import normalize_text
from dues.models import DuesPayment, LedgerEntry
from members.dues import DuesCategory, FundUse

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH_INPUT = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
MONEY = dict(max_digits=10, decimal_places=2, min_value=0, required=False)


class BasisForm(forms.Form):
    category = forms.ChoiceField(label=_("交纳类别"), choices=DuesCategory.choices)
    base = forms.DecimalField(label=_("税后月收入（元）"), help_text=_("在职、离退休党员填写"), **MONEY)
    agreed = forms.DecimalField(label=_("约定金额（元/月）"), help_text=_("农民党员填写，0.2 至 1 元"), **MONEY)
    voluntary = forms.DecimalField(label=_("自愿多交后每月金额（元）"), help_text=_("不多交则留空"), **MONEY)
    effective_from = forms.DateField(label=_("起始月份"), widget=MONTH_INPUT, input_formats=["%Y-%m", "%Y-%m-%d"])
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def clean_note(self):
        return normalize_text(self.cleaned_data["note"])


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("交纳日期"), widget=DATE_INPUT)
    method = forms.ChoiceField(label=_("交纳方式"), choices=DuesPayment.Method.choices)
    lines = forms.TypedMultipleChoiceField(label=_("党员"), coerce=int, choices=())

    def __init__(self, *args, line_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lines"].choices = [(pk, pk) for pk in line_ids]
        self.fields["lines"].error_messages["required"] = _("请勾选要登记交纳的党员。")
        self.fields["lines"].error_messages["invalid_choice"] = _("所选党员不在本月收缴表上。")


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=200)


class LedgerForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=LedgerEntry.Kind.choices)
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=10, decimal_places=2, min_value=Decimal("0.01"))
    on = forms.DateField(label=_("日期"), widget=DATE_INPUT)
    use = forms.ChoiceField(label=_("支出用途（支出时选择）"), choices=[("", "—")] + FundUse.choices, required=False)
    counterpart = forms.CharField(label=_("对方单位"), max_length=100, required=False)
    note = forms.CharField(label=_("摘要"), max_length=200, required=False)
    files = MultipleFileField(label=_("凭证（支出必传）"))
