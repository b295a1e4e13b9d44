"""Forms of the activity pages: they parse; activities.services validates and writes."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField, SafeModelMultipleChoiceField

from activities.models import ActivityKind, ParkActivity
from core.forms import DATE_INPUT, MultipleFileField, ServiceModelForm, yes_no_field
from core.periods import ReportPeriod, Span
from core.pickers import PickerField, bind_picker
from members.models import Member
from members.pickers import MEMBER_PICKER
from orgs.models import Organisation

PRESENT, ABSENT, LEFT_OUT = "present", "absent", "out"
MARKS = {PRESENT: _("出席"), ABSENT: _("缺席"), LEFT_OUT: _("不计入")}


class ActivityForm(forms.Form):
    """A meeting's record, for recording and for correcting. The attendance is one required mark a
    member offered (`rows`: (member, may_leave_out)): 出席 or 缺席, and 不计入 where the member may
    be left out (a 党小组会's other members, someone a record being corrected named). Nothing is
    marked in advance."""

    kind = forms.ChoiceField(label=_("类型"), choices=ActivityKind.choices, widget=forms.HiddenInput)
    held_on = forms.DateField(label=_("日期"), widget=DATE_INPUT)
    topic = forms.CharField(label=_("主题"), max_length=200)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    host = SafeModelChoiceField(label=_("主持人"), queryset=Member.objects.none(), required=False)
    minutes = forms.CharField(label=_("会议记录"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    photos = MultipleFileField(label=_("照片（JPG/PNG/WEBP，每张不超过10MB）"))
    files = MultipleFileField(label=_("附件（PDF/Word/Excel/PPT，每个不超过20MB）"))
    # Where the service's attendance and branch rules land (activities.services.activity_errors).
    attendees = forms.Field(label=_("出席情况"), required=False, widget=forms.HiddenInput)
    absentees = forms.Field(label=_("缺席情况"), required=False, widget=forms.HiddenInput)
    branch = forms.Field(label=_("党支部"), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, members, rows=(), attachments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = members
        self.rows = list(rows)
        for member, may_leave_out in self.rows:
            choices = [(PRESENT, MARKS[PRESENT]), (ABSENT, MARKS[ABSENT])] + ([(LEFT_OUT, MARKS[LEFT_OUT])] if may_leave_out else [])
            self.fields[f"attend_{member.pk}"] = forms.ChoiceField(
                label=member.name, choices=choices, widget=forms.RadioSelect,
                error_messages={"required": _("请标记“%(name)s”出席还是缺席。") % {"name": member.name},
                                "invalid_choice": _("“%(name)s”的出席情况无效。") % {"name": member.name}},
            )
            self.fields[f"reason_{member.pk}"] = forms.CharField(label=_("缺席原因"), required=False, max_length=100)
        if attachments is not None:
            self.fields["remove_attachments"] = SafeModelMultipleChoiceField(
                label=_("删除附件"), queryset=attachments, required=False, widget=forms.CheckboxSelectMultiple)

    def marks(self) -> tuple[list, dict]:
        """(attendees, {absentee: reason}) as marked; those left out are in neither."""
        attendees, absentees = [], {}
        for member, _may in self.rows:
            mark = self.cleaned_data.get(f"attend_{member.pk}")
            if mark == PRESENT:
                attendees.append(member)
            elif mark == ABSENT:
                absentees[member] = self.cleaned_data.get(f"reason_{member.pk}", "")
        return attendees, absentees

    def attendance_rows(self) -> list[dict]:
        """For the template: each member with the mark and reason as entered, and its errors."""
        return [
            {"member": member, "may_leave_out": may, "mark": self[f"attend_{member.pk}"].value() or "",
             "reason": self[f"reason_{member.pk}"].value() or "",
             "errors": [*self.errors.get(f"attend_{member.pk}", []), *self.errors.get(f"reason_{member.pk}", [])]}
            for member, may in self.rows
        ]


class ActivityDeleteForm(forms.Form):
    reason = forms.CharField(label=_("删除原因"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=200)


class ActivityFilterForm(forms.Form):
    """The 组织生活 list's filters: branch, kind and a period (2026, 2026Q4 or 2026-11)."""

    branch = SafeModelChoiceField(label=_("党支部"), queryset=Organisation.objects.none(), required=False, empty_label="全部党支部")
    kind = forms.ChoiceField(label=_("类型"), choices=[("", "全部类型"), *ActivityKind.choices], required=False)
    period = forms.CharField(label=_("期间"), required=False)

    def __init__(self, *args, branches, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        self.today = today

    def clean_period(self):
        key = self.cleaned_data.get("period") or ""
        if not key:
            return ReportPeriod.containing(self.today, Span.YEAR)
        try:
            period = ReportPeriod.parse(key, self.today)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        if period.span == Span.HALF:
            raise forms.ValidationError("期间可选某年、某季度或某月。")
        return period


class ParkActivityForm(ServiceModelForm):
    class Meta(ServiceModelForm.Meta):
        model = ParkActivity
        fields = ["kind", "title", "held_on", "place", "points", "capacity"]
        widgets = {"held_on": DATE_INPUT}


class SignUpForm(forms.Form):
    member = PickerField(MEMBER_PICKER, scope="active", label=_("党员"))

    def __init__(self, *args, members, park, **kwargs):
        super().__init__(*args, **kwargs)
        bind_picker(self.fields["member"], members, park)


class AttendanceForm(forms.Form):
    """A park admin marks whether a signed-up member came, and their volunteer hours."""

    attended = yes_no_field(_("已参加"), _("参加"), _("未参加"))
    # The range is the service's rule (activities.services.MSG_HOURS); the form only parses.
    hours = forms.DecimalField(label=_("志愿服务时长"), required=False, error_messages={"invalid": _("志愿服务时长应为数字。")})
