from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Tên gợi nhớ"),
        max_length=100,
        help_text=_("Để biết mã dùng ở đâu, ví dụ “Trung tâm điều hành tỉnh”."),
    )
