from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

ACCEPT = ".docx,.pdf,.xlsx,.csv,.txt,.md"


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp kế hoạch"),
        help_text=_(
            "Word (.docx), PDF (cả bản quét: hệ thống tự nhận dạng chữ), Excel (.xlsx), CSV, "
            "hoặc văn bản (.txt, .md)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT, "class": "form-control"}),
    )
