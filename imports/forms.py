from django import forms
from django.utils.translation import gettext_lazy as _

from imports.models import ImportJob


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("台账类型"), choices=ImportJob.Kind.choices)
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))
