"""Forms of the scorecard pages. They read what was typed; the rules live in services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from theodoi.tracking.forms import VNDecimalField
from theodoi.units.models import Commune, Unit

from . import scoring
from .models import Criterion, EntryStatus, ScoringKind
from .services import EntryInput
from .workbook import CriterionData, criterion_problems


def _style(form: forms.Form) -> None:
    """Bootstrap classes, so the templates can render fields one by one."""
    for bound in form:
        widget = bound.field.widget
        if isinstance(widget, forms.RadioSelect | forms.HiddenInput | forms.CheckboxInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def _version_field() -> forms.IntegerField:
    return forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class ScorecardUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp bộ chỉ số (.xlsx)"),
        help_text=_("Bảng tính Excel theo mẫu: mỗi dòng một tiêu chí; tối đa 5 MB."),
    )
    name = forms.CharField(
        label=_("Tên bộ chỉ số (để trống: lấy trong tệp)"), required=False, max_length=300
    )
    year = forms.IntegerField(
        label=_("Năm đánh giá (để trống: lấy trong tệp)"),
        required=False,
        min_value=2000,
        max_value=2100,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xlsx"
        _style(self)


class CriterionForm(forms.Form):
    group_code = forms.CharField(label=_("Mã nhóm"), max_length=20)
    group_name = forms.CharField(
        label=_("Tên nhóm (khi tạo nhóm mới hoặc đổi tên)"), max_length=300, required=False
    )
    code = forms.CharField(label=_("Mã tiêu chí"), max_length=20)
    name = forms.CharField(label=_("Tên tiêu chí"), widget=forms.Textarea(attrs={"rows": 2}))
    measure_unit = forms.CharField(label=_("Đơn vị tính"), max_length=60, required=False)
    max_points = VNDecimalField(label=_("Điểm tối đa"), required=True)
    kind = forms.ChoiceField(label=_("Cách chấm"), choices=ScoringKind.choices)
    bands = forms.CharField(
        label=_("Các mức điểm (theo mức)"),
        required=False,
        help_text=_("“ngưỡng: điểm”, cách nhau bởi dấu chấm phẩy, ví dụ 4: 20; 3: 15; 2: 10; 1: 5"),
    )
    points_each = VNDecimalField(label=_("Điểm mỗi lần (thưởng/trừ)"))
    evidence_required = forms.BooleanField(label=_("Yêu cầu minh chứng"), required=False)
    source = forms.CharField(
        label=_("Nguồn số liệu"),
        max_length=120,
        required=False,
        help_text=_(
            "Để trống: xã nhập tay. Hoặc target:<mã chỉ tiêu>, plan_on_time_share "
            "(tỷ lệ nhiệm vụ đúng hạn), reports_on_time_share (tỷ lệ báo cáo đúng hạn)."
        ),
    )
    verifier = forms.CharField(label=_("Đơn vị thẩm định"), max_length=200, required=False)
    guidance = forms.CharField(
        label=_("Hướng dẫn chấm"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
        self.fields["evidence_required"].widget.attrs["class"] = "form-check-input"

    @staticmethod
    def initial_for(criterion: Criterion) -> dict[str, Any]:
        return {
            "group_code": criterion.group.code,
            "group_name": criterion.group.name,
            "code": criterion.code,
            "name": criterion.name,
            "measure_unit": criterion.measure_unit,
            "max_points": scoring.number_text(Decimal(criterion.max_points)),
            "kind": criterion.kind,
            "bands": criterion.bands_text,
            "points_each": scoring.number_text(Decimal(criterion.points_each))
            if criterion.points_each is not None
            else "",
            "evidence_required": criterion.evidence_required,
            "source": criterion.source,
            "verifier": criterion.verifier,
            "guidance": criterion.guidance,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            bands = scoring.parse_bands(data.get("bands") or "")
        except ValueError as exc:
            self.add_error(
                "bands",
                _("Không đọc được mức “%(item)s”; ghi dạng “ngưỡng: điểm”.")
                % {"item": exc.args[0]},
            )
            return data
        criterion = CriterionData(
            group_code=data["group_code"].strip(),
            code=data["code"].strip(),
            name=" ".join(data["name"].split()),
            max_points=data["max_points"],
            kind=data["kind"],
            bands=bands,
            points_each=data.get("points_each"),
            evidence_required=bool(data.get("evidence_required")),
            source=data.get("source", "").strip(),
            verifier=data.get("verifier", "").strip(),
            measure_unit=data.get("measure_unit", "").strip(),
            guidance=data.get("guidance", "").strip(),
        )
        for problem in criterion_problems(criterion):
            self.add_error(None, problem[:1].upper() + problem[1:])
        data["criterion"] = criterion
        return data


YES_CHOICES = [("", _("Chưa chọn")), ("yes", _("Có / Đạt")), ("no", _("Không / Chưa đạt"))]


class EntryForm(forms.Form):
    value = VNDecimalField(label=_("Giá trị"))
    numerator = VNDecimalField(label=_("Tử số"))
    denominator = VNDecimalField(label=_("Mẫu số"))
    yes = forms.ChoiceField(
        label=_("Kết quả"), choices=YES_CHOICES, required=False, widget=forms.RadioSelect
    )
    status = forms.ChoiceField(label=_("Tình trạng"), choices=EntryStatus.choices)
    note = forms.CharField(
        label=_("Thuyết minh (cách tính, nguồn số liệu)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    responsible_unit = forms.ModelChoiceField(
        label=_("Đơn vị chịu trách nhiệm"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— Chưa giao đơn vị —"),
    )
    due_on = forms.DateField(
        label=_("Hạn hoàn thành"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    version = _version_field()

    def __init__(
        self, *args: Any, commune: Commune, criterion: Criterion, organise: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criterion = criterion
        field = self.fields["responsible_unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.of_commune(commune).active()
        if not organise:
            del self.fields["responsible_unit"]
            del self.fields["due_on"]
        if criterion.from_system or criterion.kind == ScoringKind.YES_NO:
            for name in ("value", "numerator", "denominator"):
                del self.fields[name]
        if criterion.from_system or criterion.kind != ScoringKind.YES_NO:
            del self.fields["yes"]
        if "value" in self.fields:
            if criterion.kind == ScoringKind.RATIO:
                self.fields["value"].label = _("Hoặc tỷ lệ (%)")
            elif criterion.kind in (ScoringKind.BONUS, ScoringKind.DEDUCTION):
                self.fields["value"].label = (
                    _("Số lần") if criterion.points_each is not None else _("Số điểm")
                )
            if criterion.measure_unit and criterion.kind != ScoringKind.RATIO:
                self.fields[
                    "value"
                ].label = f"{self.fields['value'].label} ({criterion.measure_unit})"
            if criterion.kind != ScoringKind.RATIO:
                del self.fields["numerator"]
                del self.fields["denominator"]
        _style(self)

    def entry_input(self) -> EntryInput:
        data = self.cleaned_data
        return EntryInput(
            value=data.get("value"),
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            yes={"yes": True, "no": False}.get(data.get("yes") or ""),
            note=data.get("note", ""),
            status=data["status"],
            responsible_unit=data.get("responsible_unit"),
            due_on=data.get("due_on"),
        )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Tệp minh chứng"), required=False, allow_empty_file=True)
    reference = forms.CharField(
        label=_("Hoặc số hiệu văn bản (số/ký hiệu - ngày - trích yếu)"),
        required=False,
        max_length=700,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not (data.get("reference") or "").strip():
            raise forms.ValidationError(_("Hãy chọn tệp minh chứng hoặc nhập số hiệu văn bản."))
        return data


class AppraiseForm(forms.Form):
    points = VNDecimalField(label=_("Điểm thẩm định"), required=True)
    remark = forms.CharField(
        label=_("Ý kiến thẩm định"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    needs_evidence = forms.BooleanField(label=_("Yêu cầu xã bổ sung minh chứng"), required=False)
    version = _version_field()

    def __init__(self, *args: Any, criterion: Criterion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if criterion.kind == ScoringKind.DEDUCTION:
            self.fields["points"].label = _("Số điểm bị trừ (thẩm định)")
        _style(self)
        self.fields["needs_evidence"].widget.attrs["class"] = "form-check-input"


class ExplainForm(forms.Form):
    explanation = forms.CharField(
        label=_("Giải trình của xã/phường"), widget=forms.Textarea(attrs={"rows": 3})
    )
    version = _version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
