"""Forms of the tracking pages. They only read what was typed; the rules live in services."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TaskStatus
from .services import ReportInput, ValueInput

# --- Vietnamese numbers --------------------------------------------------------------------

_GROUPED = re.compile(r"-?[1-9]\d{0,2}(\.\d{3})+")
_PLAIN = re.compile(r"-?\d+(\.\d+)?")


def parse_vn_decimal(text: str) -> Decimal:
    """Read a number as Vietnamese write it: "1.245" is 1245, "98,5" is 98.5.

    A dot followed by groups of exactly three digits groups thousands ("1.245", "12.345.678");
    any other single dot is a decimal point, as phone keyboards type it ("98.5", "0.245").
    A comma is the decimal mark ("98,5", "1.245,5"). A trailing "%" is ignored.
    Raises ValueError when the text is not a number.
    """
    s = text.strip().replace("\u00a0", "").replace(" ", "").removesuffix("%")
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):  # 1.245,5
            s = s.replace(".", "").replace(",", ".")
        else:  # 1,245.5 (written the English way)
            s = s.replace(",", "")
    elif "," in s:
        s = s.replace(",", "") if s.count(",") > 1 else s.replace(",", ".")
    elif "." in s and _GROUPED.fullmatch(s):
        s = s.replace(".", "")
    if not _PLAIN.fullmatch(s):
        raise ValueError(text)
    try:
        return Decimal(s)
    except InvalidOperation:  # pragma: no cover - the pattern above already checked
        raise ValueError(text) from None


class VNDecimalField(forms.CharField):
    """A number typed the Vietnamese way ("1.245", "98,5"); empty is None."""

    default_error_messages = {
        "invalid": _("Không đọc được số này. Ví dụ cách viết: 1.245 hoặc 98,5."),
        "too_big": _("Số quá lớn."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            number = parse_vn_decimal(text)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if abs(number) >= Decimal(10) ** 12:
            raise forms.ValidationError(self.error_messages["too_big"], code="too_big")
        return number.quantize(Decimal("0.0001"))


def _version_field() -> forms.IntegerField:
    # The version the screen was loaded from; 0 means "there was no saved copy yet".
    return forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


def _style(form: forms.Form) -> None:
    """Bootstrap classes, so the templates can render fields one by one."""
    for bound in form:
        widget = bound.field.widget
        if isinstance(widget, forms.RadioSelect | forms.HiddenInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


# --- a progress report ---------------------------------------------------------------------


class ReportForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Tình trạng"), choices=TaskStatus.choices, widget=forms.RadioSelect
    )
    percent = forms.IntegerField(
        label=_("Tỷ lệ hoàn thành (%)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 100}),
    )
    done = forms.CharField(
        label=_("Kết quả đã thực hiện"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    difficulties = forms.CharField(
        label=_("Khó khăn, vướng mắc"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    proposals = forms.CharField(
        label=_("Đề xuất, kiến nghị"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    pause_reason = forms.CharField(
        label=_("Lý do tạm dừng (khi chọn Tạm dừng)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = _version_field()
    # A fresh key per screen: the same form sent again (offline replay, double tap) is
    # recognised by the server and not applied twice.
    submission = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def to_input(self) -> ReportInput:
        data = self.cleaned_data
        return ReportInput(
            status=data["status"],
            percent=data["percent"],
            done=data["done"],
            difficulties=data["difficulties"],
            proposals=data["proposals"],
            pause_reason=data["pause_reason"],
        )


# --- a target's value ----------------------------------------------------------------------


class TargetValueForm(forms.Form):
    value = VNDecimalField(label=_("Giá trị thực hiện"))
    numerator = VNDecimalField(label=_("Tử số"))
    denominator = VNDecimalField(label=_("Mẫu số"))
    achieved_claim = forms.TypedChoiceField(
        label=_("Kết quả"),
        choices=[("yes", _("Đạt")), ("no", _("Chưa đạt"))],
        coerce=lambda v: v == "yes",
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    source = forms.CharField(label=_("Nguồn số liệu"), required=False, max_length=300)
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = _version_field()

    def __init__(self, *args: Any, qualitative: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.qualitative = qualitative
        if qualitative:
            self.fields["achieved_claim"].required = True
            for name in ("value", "numerator", "denominator"):
                del self.fields[name]
        else:
            del self.fields["achieved_claim"]
        _style(self)

    def to_input(self) -> ValueInput:
        data = self.cleaned_data
        return ValueInput(
            value=data.get("value"),
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            achieved_claim=data.get("achieved_claim"),
            source=data["source"],
            note=data["note"],
        )


# --- a leader's direction; the list's filters ----------------------------------------------


class DirectionForm(forms.Form):
    text = forms.CharField(
        label=_("Ý kiến chỉ đạo"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


TASK_FILTERS = [
    ("", _("Tất cả")),
    ("due", _("Cần báo cáo kỳ này")),
    ("not_started", _("Chưa triển khai")),
    ("in_progress", _("Đang thực hiện")),
    ("paused", _("Tạm dừng")),
    ("pending", _("Chờ thẩm định minh chứng")),
    ("rejected", _("Minh chứng không đạt")),
    ("done", _("Hoàn thành")),
    ("late", _("Trễ hạn")),
]


class TaskFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Tình trạng"), choices=TASK_FILTERS, required=False)
    unit = forms.ChoiceField(label=_("Đơn vị"), required=False)

    def __init__(self, *args: Any, unit_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ChoiceField)
        unit.choices = unit_choices
        _style(self)
