"""Forms of the cycle's pages: they parse; cycle.services validates and writes."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from activities.models import CycleSettings
from core.forms import (
    DATE_INPUT,
    MultipleFileField,
    ServiceModelForm,
    only_choice,
    yes_no_field,
)
from core.pickers import PickerField, bind_picker
from cycle.deadlines import policies_of
from cycle.models import DeadlinePolicy, Nomination, Rating, TaskTemplate
from cycle.selectors import BoardWindow
from members.pickers import MEMBER_PICKER
from orgs.models import Organisation


class TaskForm(forms.Form):
    template = SafeModelChoiceField(label=_("从模板选择"), queryset=TaskTemplate.objects.none(), required=False)
    title = forms.CharField(label=_("任务"), max_length=200, required=False)
    description = forms.CharField(label=_("要求"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    deadline = forms.DateField(label=_("截止日期"), widget=DATE_INPUT)
    save_as_template = forms.BooleanField(label=_("同时存为模板，以后每月可直接选用"), required=False)

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates


class TaskBoardFilterForm(forms.Form):
    """The board's window: a month, or a year, of work lists; neither shows the default board."""

    month = forms.DateField(
        label=_("月份"), required=False, widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"), input_formats=["%Y-%m"],
        error_messages={"invalid": _("月份格式应为“2026-05”。")},
    )
    year = forms.IntegerField(
        label=_("年度"), required=False, min_value=2000, max_value=2100,
        error_messages={"invalid": _("年度应为四位数字。"), "min_value": _("年度应在2000到2100之间。"), "max_value": _("年度应在2000到2100之间。")},
    )

    def window(self) -> BoardWindow:
        """The chosen window (call after is_valid): a month before a year."""
        data = self.cleaned_data
        if data.get("month"):
            return BoardWindow.month(data["month"])
        if data.get("year"):
            return BoardWindow.year(data["year"])
        return BoardWindow()


class TaskCompleteForm(forms.Form):
    note = forms.CharField(label=_("完成情况"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = MultipleFileField(label=_("佐证材料"))


class ReportForm(forms.Form):
    branch = SafeModelChoiceField(label=_("党支部"), queryset=Organisation.objects.none())
    month = forms.DateField(label=_("月份"), widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"), input_formats=["%Y-%m", "%Y-%m-%d"])
    activities = forms.CharField(label=_("组织生活开展情况"), widget=forms.Textarea(attrs={"rows": 3}))
    member_changes = forms.CharField(label=_("党员变动情况"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    problems = forms.CharField(label=_("存在问题"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        only_choice(self.fields["branch"])


class CycleSettingsForm(ServiceModelForm):
    """The park's rhythm (activities.CycleSettings) and, below it, what happens after each kind of
    deadline (cycle.DeadlinePolicy): fields named deadline_<kind>."""

    class Meta(ServiceModelForm.Meta):
        model = CycleSettings
        fields = [
            "assembly_period", "committee_period", "group_period", "lecture_period", "theme_day_period",
            "reminder_days_before", "reminder_hour", "report_due_day", "task_deadline_day", "term_reminder_days",
            "activity_edit_months",
        ]

    POLICY_PREFIX = "deadline_"

    def __init__(self, *args, park, **kwargs):
        super().__init__(*args, **kwargs)
        current = policies_of(park)
        for kind, label in DeadlinePolicy.Kind.choices:
            self.fields[f"{self.POLICY_PREFIX}{kind}"] = forms.ChoiceField(
                label=_("%(kind)s截止后") % {"kind": label}, choices=DeadlinePolicy.Policy.choices, initial=current[kind],
            )

    def split(self) -> tuple[dict, dict]:
        """(the rhythm's settings, {kind: policy}) from the cleaned data."""
        settings, policies = {}, {}
        for name, value in self.cleaned_data.items():
            if name.startswith(self.POLICY_PREFIX):
                policies[name.removeprefix(self.POLICY_PREFIX)] = value
            else:
                settings[name] = value
        return settings, policies


class NominationForm(forms.Form):
    branch = SafeModelChoiceField(label=_("推荐党支部"), queryset=Organisation.objects.none())
    kind = forms.ChoiceField(label=_("类别"), choices=Nomination.Kind.choices)
    member = PickerField(MEMBER_PICKER, label=_("推荐人选"), required=False)
    reason = forms.CharField(label=_("推荐理由"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, branches, members, park, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        bind_picker(self.fields["member"], members, park)
        only_choice(self.fields["branch"])


class SecretaryReportForm(forms.Form):
    branch = SafeModelChoiceField(label=_("党支部"), queryset=Organisation.objects.none())
    text = forms.CharField(label=_("述职报告"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        only_choice(self.fields["branch"])


class RatingForm(forms.Form):
    grade = forms.ChoiceField(label=_("评议等次"), choices=Rating.Grade.choices)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("任务"), max_length=200)
    due_on = forms.DateField(label=_("完成时限"), widget=DATE_INPUT)


class NominationDecisionForm(forms.Form):
    approve = yes_no_field(_("审核"), _("通过"), _("不通过"))
