"""Forms of the points page: they parse; points.services validates and writes."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from core.forms import ServiceModelForm
from core.pickers import PickerField, bind_picker
from members.pickers import MEMBER_PICKER
from points.models import (
    CARD_DIMENSION_MAX,
    CARD_DIMENSIONS,
    ActivistCard,
    StarCategory,
    StoreItem,
)


class PointsForm(forms.Form):
    member = PickerField(MEMBER_PICKER, scope="roll", label=_("党员"))
    category = forms.ChoiceField(label=_("类别"), choices=StarCategory.choices)
    points = forms.IntegerField(label=_("积分"), min_value=1, max_value=100)
    month = forms.DateField(label=_("月份"), widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"), input_formats=["%Y-%m", "%Y-%m-%d"])
    reason = forms.CharField(label=_("事由"), max_length=200)

    def __init__(self, *args, members, park, **kwargs):
        super().__init__(*args, **kwargs)
        bind_picker(self.fields["member"], members, park)


class RedeemForm(forms.Form):
    member = PickerField(MEMBER_PICKER, scope="roll", label=_("党员"))
    item = SafeModelChoiceField(label=_("物品"), queryset=StoreItem.objects.none())

    def __init__(self, *args, members, items, park, **kwargs):
        super().__init__(*args, **kwargs)
        bind_picker(self.fields["member"], members, park)
        self.fields["item"].queryset = items


class StoreItemForm(ServiceModelForm):
    class Meta(ServiceModelForm.Meta):
        model = StoreItem
        fields = ["name", "cost", "stock"]


class ActivistCardForm(forms.Form):
    """积分卡: one field per dimension, each up to CARD_DIMENSION_MAX (the rule lives in points.models)."""

    member = PickerField(MEMBER_PICKER, scope="activists", label=_("积极分子"))

    def __init__(self, *args, members, park, **kwargs):
        super().__init__(*args, **kwargs)
        bind_picker(self.fields["member"], members, park)
        for name in CARD_DIMENSIONS:
            label = ActivistCard._meta.get_field(name).verbose_name
            self.fields[name] = forms.IntegerField(label=f"{label}（{CARD_DIMENSION_MAX}）", min_value=0, max_value=CARD_DIMENSION_MAX)
