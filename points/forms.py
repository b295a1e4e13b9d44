"""Forms of the points page: they parse; points.services validates and writes."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from core.forms import ServiceModelForm
from members.models import Member
from points.models import (
    CARD_DIMENSION_MAX,
    CARD_DIMENSIONS,
    ActivistCard,
    StarCategory,
    StoreItem,
)


class PointsForm(forms.Form):
    member = SafeModelChoiceField(label=_("党员"), queryset=Member.objects.none())
    category = forms.ChoiceField(label=_("类别"), choices=StarCategory.choices)
    points = forms.IntegerField(label=_("积分"), min_value=1, max_value=100)
    month = forms.DateField(label=_("月份"), widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"), input_formats=["%Y-%m", "%Y-%m-%d"])
    reason = forms.CharField(label=_("事由"), max_length=200)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class RedeemForm(forms.Form):
    member = SafeModelChoiceField(label=_("党员"), queryset=Member.objects.none())
    item = SafeModelChoiceField(label=_("物品"), queryset=StoreItem.objects.none())

    def __init__(self, *args, members, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["item"].queryset = items


class StoreItemForm(ServiceModelForm):
    class Meta(ServiceModelForm.Meta):
        model = StoreItem
        fields = ["name", "cost", "stock"]


class ActivistCardForm(forms.Form):
    """积分卡: one field per dimension, each up to CARD_DIMENSION_MAX (the rule lives in points.models)."""

    member = SafeModelChoiceField(label=_("积极分子"), queryset=Member.objects.none())

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        for name in CARD_DIMENSIONS:
            label = ActivistCard._meta.get_field(name).verbose_name
            self.fields[name] = forms.IntegerField(label=f"{label}（{CARD_DIMENSION_MAX}）", min_value=0, max_value=CARD_DIMENSION_MAX)
