"""Forms of the activity pages: they parse; activities.services validates and writes."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from activities.models import ActivityKind, ParkActivity
from core.forms import DATE_INPUT, MultipleFileField, ServiceModelForm, yes_no_field
from core.pickers import PickerField, bind_picker
from members.models import Member
from members.pickers import MEMBER_PICKER


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
