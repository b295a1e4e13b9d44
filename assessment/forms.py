from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from assessment.models import AssessmentSettings, StarCategory, StoreItem
from members.models import Member
from orgs.forms import DATE_INPUT
from services.forms import ServiceModelForm


class SettingsForm(ServiceModelForm):
    class Meta(ServiceModelForm.Meta):
        model = AssessmentSettings
        fields = [
            "star5_from", "star4_from", "star3_from", "star2_from", "veto_cap", "max_change", "initial_level",
            "allowance_5", "allowance_4", "allowance_3", "allowance_2", "allowance_1", "pay_deputies", "star_points",
        ]


class RubricForm(forms.Form):
    items = forms.CharField(
        label=_("评分项目（每行一项：维度｜项目｜分值，一票否决项写“一票否决｜项目”，自动计分项在末尾加“｜自动:三会一课”）"),
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    published_on = forms.DateField(label=_("启用日期（此后开始的季度巡查使用新版本）"), widget=DATE_INPUT)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


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
    member = SafeModelChoiceField(label=_("积极分子"), queryset=Member.objects.none())
    political = forms.IntegerField(label=_("政治思想（25）"), min_value=0, max_value=25)
    discipline = forms.IntegerField(label=_("遵章守纪（25）"), min_value=0, max_value=25)
    solidarity = forms.IntegerField(label=_("团结互助（25）"), min_value=0, max_value=25)
    performance = forms.IntegerField(label=_("工作实绩（25）"), min_value=0, max_value=25)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
