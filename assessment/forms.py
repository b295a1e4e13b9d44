"""Forms of the assessment pages: they parse; the assessment's services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessment.models import AssessmentSettings, PayoutBatch
from core.forms import DATE_INPUT, ServiceModelForm


class SettingsForm(ServiceModelForm):
    class Meta(ServiceModelForm.Meta):
        model = AssessmentSettings
        fields = [
            "star5_from", "star4_from", "star3_from", "star2_from", "veto_cap", "max_change", "initial_level",
            "quota_star5", "quota_star4", "allowance_5", "allowance_4", "allowance_3", "allowance_2", "allowance_1", "pay_deputies",
            "separate_approver", "star_points",
        ]


class RubricForm(forms.Form):
    items = forms.CharField(
        label=_("评分项目（每行一项：维度｜项目｜分值，一票否决项写“一票否决｜项目”，自动计分项在末尾加“｜自动：三会一课”）"),
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    published_on = forms.DateField(label=_("启用日期（此后开始的季度巡查使用新版本）"), widget=DATE_INPUT)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class FinaliseForm(forms.Form):
    digest = forms.CharField(max_length=64)


class ReasonForm(forms.Form):
    # Required by the service, which says so in Chinese: the form only parses.
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)


class BatchTransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("变为"), choices=PayoutBatch.Status.choices)
