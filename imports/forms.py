from django import forms
from django.utils.translation import gettext_lazy as _

from imports.models import ImportJob
from imports.services import MAX_UPLOAD_BYTES, MSG_TOO_LARGE


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("台账类型"), choices=ImportJob.Kind.choices)
    file = forms.FileField(label=_("文件（.xlsx 或 .csv，不超过 20 MB）"))

    def clean_file(self):
        """The size is known before a byte is read: a larger file is refused, not loaded."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(MSG_TOO_LARGE)
        return upload
