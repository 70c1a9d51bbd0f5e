from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class EvidenceUploadForm(forms.Form):
    """What the upload form posts: which report or value, and a file and/or a reference.

    The file's type and size are checked by ``services.evidence_add_file`` (from the bytes),
    not here: the form only reads the fields."""

    report = forms.UUIDField(required=False)
    target_value = forms.UUIDField(required=False)
    # Empty files reach the service, which refuses them in its own words.
    file = forms.FileField(label=_("Tệp minh chứng"), required=False, allow_empty_file=True)
    reference = forms.CharField(
        label=_("Hoặc số hiệu văn bản"),
        required=False,
        max_length=700,
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if bool(data.get("report")) == bool(data.get("target_value")):
            raise forms.ValidationError(_("Thiếu báo cáo hoặc giá trị chỉ tiêu cần minh chứng."))
        return data
