"""Forms of the 红色代办 pages: they parse; services.demands validates and writes."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from core.forms import DATE_INPUT, MultipleFileField, ServiceModelForm
from orgs.models import Enterprise
from services.models import Demand, Department


class DemandForm(forms.Form):
    enterprise = SafeModelChoiceField(label=_("企业"), queryset=Enterprise.objects.none())
    category = forms.ChoiceField(label=_("类别"))
    description = forms.CharField(label=_("诉求内容"), widget=forms.Textarea(attrs={"rows": 4}))
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Demand.Urgency.choices)
    contact_name = forms.CharField(label=_("企业联系人"), max_length=32, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    attachments = MultipleFileField(label=_("附件（照片、PDF、Word、Excel，可多选）"))

    def __init__(self, *args, enterprises, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["category"].choices = [(c, c) for c in categories]


class DemandActionForm(forms.Form):
    """One step of the loop: the fields a step needs are checked by the service, which says which."""

    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    department = SafeModelChoiceField(label=_("承办部门"), queryset=Department.objects.none(), required=False)
    due_on = forms.DateField(label=_("办理时限"), widget=DATE_INPUT, required=False)

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments


class DemandFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), choices=[("", "全部状态"), *Demand.State.choices], required=False)
    category = forms.ChoiceField(label=_("类别"), required=False)
    department = SafeModelChoiceField(label=_("承办部门"), queryset=Department.objects.none(), required=False, empty_label="全部部门")
    enterprise = SafeModelChoiceField(label=_("企业"), queryset=Enterprise.objects.none(), required=False, empty_label="全部企业")
    colour = forms.ChoiceField(label=_("督办"), required=False)

    def __init__(self, *args, categories, departments, enterprises, colours, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "全部类别"), *((c, c) for c in categories)]
        self.fields["department"].queryset = departments
        self.fields["enterprise"].queryset = enterprises
        self.fields["colour"].choices = [("", "全部"), *colours.items()]


class DepartmentForm(ServiceModelForm):
    class Meta(ServiceModelForm.Meta):
        model = Department
        fields = ["name", "contact_name", "phone", "user", "is_active"]
