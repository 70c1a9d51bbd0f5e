"""Forms of the standing office's changes to tasks: reassign, move a deadline, add a task.

The forms only read and check what was typed; the services in ``tracking.services`` make the
change. Units are offered only from the task's own commune, so a unit of another commune can
never be chosen (a forged one is refused as an invalid choice).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from theodoi.plans.models import AssignmentRole, Plan, Task
from theodoi.units.models import Commune, Unit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The HTML date input sends yyyy-mm-dd; people typing by hand write dd/mm/yyyy.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]


class _UnitChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})

    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


def _unit_field(label: StrOrPromise, *, required: bool) -> _UnitChoices:
    return _UnitChoices(
        queryset=Unit.objects.none(),
        to_field_name="public_id",  # opaque ids in the page, never sequential ones
        required=required,
        label=label,
        error_messages={
            "required": _("Hãy chọn ít nhất một cơ quan chủ trì."),
            "invalid_choice": _("Đơn vị được chọn không thuộc xã/phường này."),
            "invalid_pk_value": _("Đơn vị được chọn không thuộc xã/phường này."),
        },
    )


def _units_offered(commune: Commune, keep: list[int] | None = None) -> QuerySet[Unit]:
    # Active units, plus any unit already on the task: a unit that was since deactivated must
    # not vanish silently from an assignment the office only meant to adjust.
    return Unit.objects.filter(commune=commune).filter(Q(is_active=True) | Q(pk__in=keep or []))


def _check_lead_support(cleaned: dict[str, Any], form: forms.Form) -> None:
    lead = list(cleaned.get("lead") or [])
    support = list(cleaned.get("support") or [])
    both = [u.name for u in lead if u in support]
    if both:
        form.add_error(
            "support",
            _("%(units)s đã là cơ quan chủ trì, không chọn thêm là cơ quan phối hợp.")
            % {"units": "; ".join(both)},
        )


def _version_field() -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": _("Trang này đã cũ; hãy tải lại trang rồi thực hiện lại."),
            "invalid": _("Trang này đã cũ; hãy tải lại trang rồi thực hiện lại."),
        },
    )


def _date_field(
    label: StrOrPromise, *, required: bool, help_text: StrOrPromise = ""
) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        help_text=help_text
        or _("Chọn trên lịch, hoặc gõ theo dạng ngày/tháng/năm (vd. 30/06/2026)."),
        error_messages={
            "required": _("Hãy chọn thời hạn mới."),
            "invalid": _("Ngày không hợp lệ; hãy gõ theo dạng ngày/tháng/năm, vd. 30/06/2026."),
        },
    )


class ReassignForm(forms.Form):
    lead = _unit_field(_("Cơ quan chủ trì"), required=True)
    support = _unit_field(_("Cơ quan phối hợp"), required=False)
    version = _version_field()

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        assignments = list(task.assignments.all())
        kwargs.setdefault(
            "initial",
            {
                "lead": [a.unit for a in assignments if a.role == AssignmentRole.LEAD],
                "support": [a.unit for a in assignments if a.role == AssignmentRole.SUPPORT],
                "version": task.version,
            },
        )
        super().__init__(*args, **kwargs)
        units = _units_offered(task.commune, [a.unit_id for a in assignments])
        self.fields["lead"].queryset = units  # type: ignore[attr-defined]
        self.fields["support"].queryset = units  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_lead_support(cleaned, self)
        return cleaned


class DeadlineForm(forms.Form):
    due_on = _date_field(_("Thời hạn mới"), required=True)
    reason = forms.CharField(
        label=_("Lý do điều chỉnh"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        max_length=1000,
        help_text=_("Bắt buộc; được lưu vào lịch sử của nhiệm vụ."),
        error_messages={"required": _("Hãy ghi lý do điều chỉnh thời hạn.")},
    )
    version = _version_field()

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"due_on": task.due_on, "version": task.version})
        super().__init__(*args, **kwargs)


def plan_groups(plan: Plan) -> list[str]:
    """The plan's task groups in document order, each once."""
    seen: dict[str, None] = {}
    for group in plan.tasks.exclude(group="").values_list("group", flat=True):
        seen.setdefault(group, None)
    return list(seen)


class _ParentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Task) -> str:
        name = obj.name if len(obj.name) <= 90 else obj.name[:89] + "…"
        return f"{obj.code}. {name}"


class TaskAddForm(forms.Form):
    name = forms.CharField(
        label=_("Tên nhiệm vụ"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        error_messages={"required": _("Hãy nhập tên nhiệm vụ.")},
    )
    parent = _ParentChoice(
        queryset=Task.objects.none(),
        to_field_name="public_id",
        required=False,
        label=_("Thuộc nhiệm vụ"),
        empty_label=_("— Không: nhiệm vụ độc lập —"),
        help_text=_("Chọn nếu đây là nhiệm vụ con; nhiệm vụ con thuộc nhóm của nhiệm vụ cha."),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("Nhiệm vụ cha không thuộc kế hoạch này.")},
    )
    group = forms.ChoiceField(
        label=_("Nhóm"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    new_group = forms.CharField(
        label=_("Hoặc nhóm mới"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=_(
            "Gõ tên nhóm nếu chưa có trong danh sách. Để trống cả hai: "
            "xếp vào nhóm \u201cNhiệm vụ phát sinh\u201d."
        ),
    )
    lead = _unit_field(_("Cơ quan chủ trì"), required=True)
    support = _unit_field(_("Cơ quan phối hợp"), required=False)
    due_on = _date_field(
        _("Thời hạn hoàn thành"),
        required=False,
        help_text=_(
            "Để trống nếu chưa xác định (nhiệm vụ sẽ được đánh dấu thiếu \u201crõ thời gian\u201d)."
        ),
    )
    output = forms.CharField(
        label=_("Sản phẩm đầu ra"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = plan.tasks.top_level()  # type: ignore[attr-defined]
        self.fields["group"].choices = [  # type: ignore[attr-defined]
            ("", _("— Chọn nhóm —")),
            *((g, g) for g in plan_groups(plan)),
        ]
        units = _units_offered(plan.commune)
        self.fields["lead"].queryset = units  # type: ignore[attr-defined]
        self.fields["support"].queryset = units  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_lead_support(cleaned, self)
        parent: Task | None = cleaned.get("parent")
        # A sub-task sits under its parent's heading; otherwise a typed new group wins.
        if parent is not None:
            cleaned["group"] = parent.group
        else:
            cleaned["group"] = (cleaned.get("new_group") or "").strip() or cleaned.get("group", "")
        return cleaned
