from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from activities.models import ActivityKind, CycleSettings, Nomination, ParkActivity, Rating, TaskTemplate
from members.models import Member
from orgs.forms import DATE_INPUT
from orgs.models import Organisation
from services.forms import ServiceModelForm


def only_choice(field) -> None:
    """A branch secretary with one branch: preselect it, no empty choice."""
    if field.queryset.count() == 1:
        field.empty_label = None
        field.initial = field.queryset.first().pk


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service (type, size, content)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ActivityKind.choices)
    held_on = forms.DateField(label=_("日期"), widget=DATE_INPUT)
    topic = forms.CharField(label=_("主题"), max_length=200)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    host = SafeModelChoiceField(label=_("主持人"), queryset=Member.objects.none(), required=False)
    minutes = forms.CharField(label=_("会议记录"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    photos = MultipleFileField(label=_("照片（JPG/PNG/WEBP，每张不超过10MB）"))
    files = MultipleFileField(label=_("附件（PDF/Word/Excel/PPT，每个不超过20MB）"))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = members


class BranchPickForm(forms.Form):
    branch = SafeModelChoiceField(label=_("党支部"), queryset=Organisation.objects.none())

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        only_choice(self.fields["branch"])


class TaskForm(forms.Form):
    template = SafeModelChoiceField(label=_("从模板选择"), queryset=TaskTemplate.objects.none(), required=False)
    title = forms.CharField(label=_("任务"), max_length=200, required=False)
    description = forms.CharField(label=_("要求"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    deadline = forms.DateField(label=_("截止日期"), widget=DATE_INPUT)
    save_as_template = forms.BooleanField(label=_("同时存为模板，以后每月可直接选用"), required=False)

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates


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
    class Meta(ServiceModelForm.Meta):
        model = CycleSettings
        fields = [
            "assembly_period", "committee_period", "group_period", "lecture_period", "theme_day_period",
            "reminder_days_before", "reminder_hour", "report_due_day", "task_deadline_day",
        ]


class NominationForm(forms.Form):
    branch = SafeModelChoiceField(label=_("推荐党支部"), queryset=Organisation.objects.none())
    kind = forms.ChoiceField(label=_("类别"), choices=Nomination.Kind.choices)
    member = SafeModelChoiceField(label=_("推荐人选"), queryset=Member.objects.none(), required=False)
    reason = forms.CharField(label=_("推荐理由"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, branches, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        self.fields["member"].queryset = members
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


class ParkActivityForm(ServiceModelForm):
    class Meta(ServiceModelForm.Meta):
        model = ParkActivity
        fields = ["kind", "title", "held_on", "place", "points", "capacity"]
        widgets = {"held_on": DATE_INPUT}


class SignUpForm(forms.Form):
    member = SafeModelChoiceField(label=_("党员"), queryset=Member.objects.none())

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
