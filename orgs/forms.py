"""Forms for the park pages: they shape input; every rule is checked by the services."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from core.forms import DATE_INPUT, ServiceModelForm
from core.pickers import PickerField, PickerMultipleField, bind_picker
from orgs.models import Enterprise, Instructor, InstructorAssignment, Organisation, Zone
from orgs.pickers import ENTERPRISE_PICKER
from orgs.services import ENTERPRISE_FIELDS


class EnterpriseForm(ServiceModelForm):
    class Meta(ServiceModelForm.Meta):
        model = Enterprise
        fields = ENTERPRISE_FIELDS
        widgets = {"moved_in_on": DATE_INPUT, "moved_out_on": DATE_INPUT}

    def __init__(self, *args, park, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = Zone.objects.filter(park=park)


class OrganisationForm(ServiceModelForm):
    enterprises = PickerMultipleField(ENTERPRISE_PICKER, scope="active", label=_("所在单位"), required=False)

    class Meta(ServiceModelForm.Meta):
        model = Organisation
        fields = [
            "name",
            "kind",
            "parent",
            "formation",
            "founded_on",
            "ends_on",
            "dissolved_on",
            "elected_on",
            "secretary_name",
            "secretary_phone",
            "enterprises",
        ]
        widgets = {
            "founded_on": DATE_INPUT,
            "ends_on": DATE_INPUT,
            "dissolved_on": DATE_INPUT,
            "elected_on": DATE_INPUT,
        }

    def __init__(self, *args, park, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Organisation.objects.filter(park=park).exclude(kind=Organisation.Kind.GROUP)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].help_text = _("不选则挂在园区党工委下")
        bind_picker(self.fields["enterprises"], Enterprise.objects.filter(park=park, status=Enterprise.Status.ACTIVE), park)
        self.fields["enterprises"].help_text = _("联合组建最多5家；逐个搜索企业名称或信用代码添加")


class SecretaryOrganisationForm(ServiceModelForm):
    """What a branch secretary may change about their own organisation."""

    class Meta(ServiceModelForm.Meta):
        model = Organisation
        fields = ["secretary_name", "secretary_phone"]


class InstructorForm(ServiceModelForm):
    class Meta(ServiceModelForm.Meta):
        model = Instructor
        fields = ["name", "phone", "unit", "is_active"]


class AssignmentForm(ServiceModelForm):
    enterprise = PickerField(ENTERPRISE_PICKER, scope="active", label=_("企业"))

    class Meta(ServiceModelForm.Meta):
        model = InstructorAssignment
        fields = ["enterprise", "starts_on"]
        widgets = {"starts_on": DATE_INPUT}

    def __init__(self, *args, park, **kwargs):
        super().__init__(*args, **kwargs)
        bind_picker(self.fields["enterprise"], Enterprise.objects.filter(park=park, status=Enterprise.Status.ACTIVE), park)


class AssignmentEndForm(forms.Form):
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE_INPUT)


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, widget=forms.TextInput(attrs={"placeholder": "企业名称或信用代码"}))
    zone = SafeModelChoiceField(label=_("片区"), queryset=Zone.objects.none(), required=False, empty_label="全部片区")
    status = forms.ChoiceField(label=_("状态"), choices=[("", "全部状态"), *Enterprise.Status.choices], required=False)
    covered = forms.ChoiceField(
        label=_("党组织覆盖"), choices=[("", "全部"), ("yes", "已覆盖"), ("no", "未覆盖")], required=False
    )

    def __init__(self, *args, park, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = Zone.objects.filter(park=park)
