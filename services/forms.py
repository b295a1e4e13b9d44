"""Forms of the 红色代办 pages: they parse; services.demands validates and writes."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField, SafeModelMultipleChoiceField

from core.forms import DATE_INPUT, MultipleFileField, ServiceModelForm
from core.pickers import PickerField, bind_picker
from core.roles import Role
from orgs.models import Enterprise, Organisation
from orgs.pickers import ENTERPRISE_PICKER
from services.models import Demand, Department, Notice, NoticeField, Policy


class DemandForm(forms.Form):
    enterprise = PickerField(ENTERPRISE_PICKER, scope="active", label=_("企业"))
    category = forms.ChoiceField(label=_("类别"))
    description = forms.CharField(label=_("诉求内容"), widget=forms.Textarea(attrs={"rows": 4}))
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Demand.Urgency.choices)
    contact_name = forms.CharField(label=_("企业联系人"), max_length=32, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    attachments = MultipleFileField(label=_("附件（照片、PDF、Word、Excel，可多选）"))

    def __init__(self, *args, enterprises, categories, park, **kwargs):
        super().__init__(*args, **kwargs)
        bind_picker(self.fields["enterprise"], enterprises, park)
        self.fields["category"].choices = [(c, c) for c in categories]


class DemandActionForm(forms.Form):
    """One step of the loop: the fields a step needs are checked by the service, which says which."""

    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    department = SafeModelChoiceField(label=_("承办部门"), queryset=Department.objects.none(), required=False)
    due_on = forms.DateField(label=_("办理时限"), widget=DATE_INPUT, required=False)
    policy_titles = forms.CharField(label=_("所附政策（可不填，每行一个政策名称）"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments


class DemandFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), choices=[("", "全部状态"), *Demand.State.choices], required=False)
    category = forms.ChoiceField(label=_("类别"), required=False)
    department = SafeModelChoiceField(label=_("承办部门"), queryset=Department.objects.none(), required=False, empty_label="全部部门")
    enterprise = PickerField(ENTERPRISE_PICKER, label=_("企业"), required=False)
    colour = forms.ChoiceField(label=_("督办"), required=False)

    def __init__(self, *args, categories, departments, enterprises, colours, park, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "全部类别"), *((c, c) for c in categories)]
        self.fields["department"].queryset = departments
        bind_picker(self.fields["enterprise"], enterprises, park)
        self.fields["colour"].choices = [("", "全部"), *colours.items()]


class DepartmentForm(ServiceModelForm):
    class Meta(ServiceModelForm.Meta):
        model = Department
        fields = ["name", "contact_name", "phone", "user", "is_active"]


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Notice.Kind.choices)
    title = forms.CharField(label=_("标题"), max_length=120)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 6}))
    audience = forms.ChoiceField(label=_("发送对象"), choices=Notice.Audience.choices)
    branches = SafeModelMultipleChoiceField(label=_("选定的党支部"), queryset=Organisation.objects.none(), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    roles = forms.MultipleChoiceField(label=_("选定的角色"), required=False, widget=forms.CheckboxSelectMultiple,
                                      choices=[(r.value, r.label) for r in Role if r != Role.COUNTY_VIEWER])
    reply_due = forms.DateField(label=_("回复截止"), widget=DATE_INPUT, required=False)
    fields_text = forms.CharField(
        label=_("回执栏目（可不填；每行一项：栏目名称|类型，类型为文字、数字、日期、选项或文件，选项类型加“|选项一、选项二”）"),
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "本支部党员人数|数字\n参会人员名单|文字\n是否参加|选项|参加、不参加"}),
        required=False,
    )
    files = MultipleFileField(label=_("附件"))

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branches"].queryset = branches


def reply_form(notice_fields, data=None, files=None, initial=None) -> forms.Form:
    """A form of the notice's own typed fields (field_<id>); the service checks each value's type."""
    form = forms.Form(data, files, initial=initial)
    for field in notice_fields:
        name, label = f"field_{field.pk}", field.label
        if field.kind == NoticeField.Kind.FILE:
            form.fields[name] = forms.FileField(label=label, required=False)
        elif field.kind == NoticeField.Kind.CHOICE:
            form.fields[name] = forms.ChoiceField(label=label, required=False, choices=[("", "请选择"), *((o, o) for o in field.options)])
        elif field.kind == NoticeField.Kind.DATE:
            form.fields[name] = forms.CharField(label=label, required=False, widget=DATE_INPUT)
        elif field.kind == NoticeField.Kind.NUMBER:
            form.fields[name] = forms.CharField(label=label, required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
        else:
            form.fields[name] = forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    return form


class PolicyForm(ServiceModelForm):
    files = MultipleFileField(label=_("附件"))

    class Meta(ServiceModelForm.Meta):
        model = Policy
        fields = ["title", "issuer", "doc_number", "issued_on", "level", "category", "tags", "body", "valid_until", "repealed"]
        widgets = {"issued_on": DATE_INPUT, "valid_until": DATE_INPUT, "body": forms.Textarea(attrs={"rows": 12})}


class PolicySearchForm(forms.Form):
    q = forms.CharField(label=_("关键词"), max_length=50, required=False, widget=forms.TextInput(attrs={"placeholder": "如：融资、稳岗补贴"}))
    valid_only = forms.BooleanField(label=_("只看有效政策"), required=False)


class VisitForm(forms.Form):
    enterprise = SafeModelChoiceField(label=_("企业"), queryset=Enterprise.objects.none())
    visited_on = forms.DateField(label=_("走访日期"), widget=DATE_INPUT)
    met = forms.CharField(label=_("会见人员"), max_length=100)
    topics = forms.CharField(label=_("走访内容"), widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.CharField(label=_("发现的问题"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    raise_demand = forms.BooleanField(label=_("把发现的问题转为红色代办诉求"), required=False)
    category = forms.ChoiceField(label=_("诉求类别"), required=False)

    def __init__(self, *args, enterprises, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["category"].choices = [(c, c) for c in categories]


class BundleForm(forms.Form):
    name = forms.CharField(label=_("礼包名称"), max_length=100)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    titles_text = forms.CharField(label=_("政策（每行一个政策名称，按此顺序排列）"), widget=forms.Textarea(attrs={"rows": 8}))


class BundleSendForm(forms.Form):
    audience = forms.ChoiceField(label=_("发送对象"), choices=Notice.Audience.choices)
    branches = SafeModelMultipleChoiceField(label=_("选定的党支部"), queryset=Organisation.objects.none(), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    roles = forms.MultipleChoiceField(label=_("选定的角色"), required=False, widget=forms.CheckboxSelectMultiple,
                                      choices=[(r.value, r.label) for r in Role if r != Role.COUNTY_VIEWER])

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branches"].queryset = branches
