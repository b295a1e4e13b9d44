from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from core.forms import DATE_INPUT, ServiceModelForm
from core.pickers import PickerField, bind_picker
from members import documents
from members.models import DevelopmentSettings, Member, MemberTransfer
from orgs.models import Organisation
from orgs.pickers import ENTERPRISE_PICKER
from orgs.selectors import active_enterprises, live_branches

DATE_FIELDS = ["applied_on", "activist_on", "candidate_on", "joined_on", "full_on"]


class MemberForm(ServiceModelForm):
    id_number = forms.CharField(label=_("身份证号"), max_length=32)
    enterprise = PickerField(ENTERPRISE_PICKER, scope="active", label=_("工作单位"), required=False)

    class Meta(ServiceModelForm.Meta):
        model = Member
        fields = [
            "name", "id_number", "gender", "ethnicity", "phone", "education", "branch", "enterprise", "stage",
            "applied_on", "activist_on", "candidate_on", "joined_on", "full_on", "post",
        ]
        widgets = {name: DATE_INPUT for name in DATE_FIELDS}

    def __init__(self, *args, park, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # an existing member changes branch by transfer, status by decision
            del self.fields["branch"]
        else:
            self.fields["branch"].queryset = branches if branches is not None else live_branches(park=park)
        bind_picker(self.fields["enterprise"], active_enterprises(park=park), park)
        self.fields["gender"].required = False
        self.fields["gender"].help_text = _("可不填，按身份证号自动确定")


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("新状态"), choices=[(s.value, s.label) for s in (Member.Status.ACTIVE, Member.Status.MOBILE, Member.Status.SUSPENDED, Member.Status.DECEASED)])
    on = forms.DateField(label=_("日期"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)


class ProbationExtensionForm(forms.Form):
    decided_on = forms.DateField(label=_("支部大会决定日期"), widget=DATE_INPUT)
    months = forms.IntegerField(label=_("延长月数（6至12个月）"))
    reason = forms.CharField(label=_("延长原因"), max_length=200, required=False)


class TransferInFields(forms.Form):
    transfer_from = forms.CharField(label=_("从园区外转入：原党组织"), max_length=128, required=False)
    transferred_on = forms.DateField(label=_("转入日期"), required=False, widget=DATE_INPUT)


class TransferForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=[c for c in MemberTransfer.Kind.choices if c[0] != MemberTransfer.Kind.IN])
    to_branch = SafeModelChoiceField(label=_("转入园区内党支部"), queryset=Organisation.objects.none(), required=False)
    external_organisation = forms.CharField(label=_("转往园区外党组织"), max_length=128, required=False)
    on = forms.DateField(label=_("转接日期"), widget=DATE_INPUT)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, park, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_branch"].queryset = live_branches(park=park)


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, widget=forms.TextInput(attrs={"placeholder": "姓名、手机号或完整身份证号"}))
    branch = SafeModelChoiceField(label=_("党支部"), queryset=Organisation.objects.none(), required=False, empty_label="全部党支部")
    stage = forms.ChoiceField(label=_("党员类别"), choices=[("", "全部类别"), *Member.Stage.choices], required=False)
    status = forms.ChoiceField(label=_("状态"), choices=[("", "全部状态"), *Member.Status.choices], required=False)
    # A whole ID number is never put in a URL (it would land in the access log): the search box
    # posts, and the list is shown again under the number's keyed hash (MemberListView.post).
    idh = forms.RegexField(regex=r"^[0-9a-f]{16,128}$", required=False, widget=forms.HiddenInput)

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches


class DevelopmentStepForm(forms.Form):
    step = forms.ChoiceField(label=_("步骤"))
    on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    document = forms.CharField(label=_("材料或文号"), max_length=100, required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(s.code, f"{n}. {s.name}") for n, s in steps]


class DocumentTemplateForm(forms.Form):
    kind = forms.ChoiceField(label=_("文书"), choices=[(kind, documents.label_of(kind)) for kind in documents.PAPERS])
    file = forms.FileField(label=_("本园区模板（.docx，占位符见下表）"))


class DevelopmentSettingsForm(ServiceModelForm):
    class Meta(ServiceModelForm.Meta):
        model = DevelopmentSettings
        fields = ["publicity_days"]
