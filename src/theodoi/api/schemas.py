"""What the API accepts: every input goes through one of these declared schemas.

Limits follow the database columns (a value the database would refuse is a 422 here, never a
500 there), and every text is refused if it holds a NUL or a lone surrogate, which PostgreSQL
and SQLite cannot store.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from pydantic import BaseModel, Field, StringConstraints, field_validator, model_validator

# Texts: one line (CharField, with its max_length) or a longer body (TextField).
Line = Annotated[str, StringConstraints(max_length=300)]
Body = Annotated[str, StringConstraints(max_length=10_000)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=40, strip_whitespace=True)]
UnitName = Annotated[str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]
# DecimalField(max_digits=14, decimal_places=4): ten digits before the point at most.
Amount = Annotated[Decimal, Field(gt=-(10**9), lt=10**9, allow_inf_nan=False, decimal_places=4)]
# Target values: max_digits=16.
BigAmount = Annotated[
    Decimal, Field(gt=-(10**11), lt=10**11, allow_inf_nan=False, decimal_places=4)
]


def _refuse_unstorable(value: Any) -> Any:
    """Walk a raw input and refuse any text the databases cannot store."""
    if isinstance(value, str):
        if "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value):
            raise ValueError(_("Văn bản chứa ký tự không hợp lệ (ký tự NUL hoặc mã Unicode hỏng)."))
    elif isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        # Python's JSON reader accepts NaN and Infinity; no database column does.
        raise ValueError(_("Số không hợp lệ (NaN hoặc vô cực)."))
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_unstorable(key)
            _refuse_unstorable(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _refuse_unstorable(item)
    return value


class ApiSchema(BaseModel):
    """A plain pydantic model (ninja's ``Schema`` wraps its input, hiding the raw texts)."""

    @model_validator(mode="before")
    @classmethod
    def _storable(cls, data: Any) -> Any:
        return _refuse_unstorable(data)


# --- Plan JSON (theodoi.plan/1, docs/contracts/plan-json.md) ------------------------------

ComparatorIn = Literal[">=", ">", "<=", "<"]


class SignerIn(ApiSchema):
    name: Annotated[str, StringConstraints(max_length=120)] | None = None
    title: Annotated[str, StringConstraints(max_length=120)] | None = None


class PlanMetaIn(ApiSchema):
    title: Annotated[str, StringConstraints(max_length=500)] | None = None
    number: Annotated[str, StringConstraints(max_length=60)] | None = None
    issued_on: dt.date | None = None
    place: Annotated[str, StringConstraints(max_length=120)] | None = None
    issuer: Line | None = None
    commune: Line | None = None
    commune_kind: Literal["xã", "phường", "đặc khu"] | None = None
    province: Line | None = None
    year: int = Field(ge=2000, le=2100)
    signer: SignerIn | None = None
    replaces: list[Annotated[str, StringConstraints(max_length=60)]] = Field(
        default_factory=list, max_length=20
    )
    basis: list[Body] = Field(default_factory=list, max_length=200)


class UpperLevelIn(ApiSchema):
    comparator: ComparatorIn | None = None
    value: Amount | None = None
    value_text: Line | None = None


class TargetIn(ApiSchema):
    code: Code
    group: Line | None = None
    name: Body = Field(min_length=1)
    measure_unit: Annotated[str, StringConstraints(max_length=60)] | None = None
    kind: Literal["quantitative", "rank", "qualitative"]
    comparator: ComparatorIn | None = None
    value: Amount | None = None
    value_text: Line | None = None
    upper_level: UpperLevelIn | None = None
    owner: list[UnitName] = Field(default_factory=list, max_length=50)
    line: int | None = Field(default=None, ge=1, le=2_000_000_000)

    @model_validator(mode="after")
    def _measurable_has_value(self) -> TargetIn:
        if self.kind != "qualitative" and self.value is None:
            raise ValueError(
                _("Chỉ tiêu %(code)s: chỉ tiêu định lượng hoặc xếp hạng phải có giá trị (value).")
                % {"code": self.code}
            )
        return self


class DeadlineIn(ApiSchema):
    text: Line | None = None
    kind: Literal["date", "recurring", "unspecified"] = "unspecified"
    due: dt.date | None = None
    recurrence: Literal["continuous", "weekly", "monthly", "quarterly", "annual"] | None = None

    @model_validator(mode="after")
    def _dated_has_due(self) -> DeadlineIn:
        if self.kind == "date" and self.due is None:
            raise ValueError(_("Thời hạn loại “date” phải có ngày đến hạn (due)."))
        return self


class TaskIn(ApiSchema):
    code: Code
    parent: Annotated[str, StringConstraints(max_length=40, strip_whitespace=True)] | None = None
    group: Line | None = None
    name: Body | None = None
    output: Body | None = None
    kpi: Body | None = None
    lead: list[UnitName] = Field(default_factory=list, max_length=50)
    support: list[UnitName] = Field(default_factory=list, max_length=50)
    deadline: DeadlineIn | None = None
    note: Body | None = None
    missing: list[Annotated[str, StringConstraints(max_length=20)]] = Field(
        default_factory=list, max_length=10
    )
    line: int | None = Field(default=None, ge=1, le=2_000_000_000)


class PlanJsonIn(ApiSchema):
    """A plan in the `theodoi.plan/1` format, as `theodoi parse` prints it."""

    schema_: Literal["theodoi.plan/1"] = Field(alias="schema")
    plan: PlanMetaIn
    targets: list[TargetIn] = Field(default_factory=list, max_length=2000)
    tasks: list[TaskIn] = Field(default_factory=list, max_length=5000)
    results: list[dict[str, Any]] = Field(default_factory=list, max_length=2000)
    warnings: list[Body] = Field(default_factory=list, max_length=2000)

    @model_validator(mode="after")
    def _codes_and_parents(self) -> PlanJsonIn:
        seen: set[str] = set()
        for target in self.targets:
            if target.code in seen:
                raise ValueError(_("Mã chỉ tiêu “%(code)s” bị trùng.") % {"code": target.code})
            seen.add(target.code)
        seen = set()
        for task in self.tasks:
            if task.code in seen:
                raise ValueError(_("Mã nhiệm vụ “%(code)s” bị trùng.") % {"code": task.code})
            # The contract lists a parent before its children.
            if task.parent and task.parent not in seen:
                raise ValueError(
                    _(
                        "Nhiệm vụ %(code)s: nhiệm vụ cha “%(parent)s” phải đứng trước nó "
                        "trong danh sách."
                    )
                    % {"code": task.code, "parent": task.parent}
                )
            seen.add(task.code)
        return self


class PlanImportIn(ApiSchema):
    """A Plan JSON to put in force for a commune, and what to do with unit names the
    commune does not know."""

    plan_json: PlanJsonIn
    unknown_units: Literal["refuse", "keep"] = Field(
        default="refuse",
        description=(
            "Tên đơn vị không khớp đơn vị nào của xã/phường: `refuse` (mặc định) từ chối cả kế "
            "hoạch và liệt kê các tên đó; `keep` giữ nguyên tên như văn bản (không gắn đơn vị)."
        ),
    )
    unit_map: dict[UnitName, uuid.UUID] = Field(
        default_factory=dict,
        max_length=200,
        description="Tên như văn bản → mã (id) đơn vị của xã/phường; được ghi nhớ cho lần sau.",
    )
    source_name: Annotated[str, StringConstraints(max_length=120)] = "ke-hoach.json"
    confirm_checks: bool = Field(
        default=False,
        description=(
            "Xác nhận lại những điều cần xem trước khi nhập: văn bản của xã/phường khác, chưa "
            "có số hoặc ngày ban hành, hoặc thay thế kế hoạch đang thực hiện đã có báo cáo. "
            "Không có cờ này, yêu cầu bị từ chối (409, `checks` liệt kê từng điều)."
        ),
    )


# --- progress reports and target values -----------------------------------------------------


class ReportIn(ApiSchema):
    status: Literal["not_started", "in_progress", "completed", "paused"]
    percent: int = Field(ge=0, le=100)
    done: Body = ""
    difficulties: Body = ""
    proposals: Body = ""
    pause_reason: Body = ""
    version: int | None = Field(
        default=None,
        ge=0,
        le=2_000_000_000,
        description="Phiên bản đã đọc; nếu báo cáo đã đổi từ đó, yêu cầu bị từ chối (409).",
    )


class VersionIn(ApiSchema):
    version: int | None = Field(
        default=None,
        ge=0,
        le=2_000_000_000,
        description="Phiên bản đã đọc; nếu đã đổi từ đó, yêu cầu bị từ chối (409).",
    )


class ValueIn(ApiSchema):
    value: BigAmount | None = None
    numerator: BigAmount | None = None
    denominator: BigAmount | None = None
    achieved_claim: bool | None = None
    source: Line = ""
    note: Body = ""
    version: int | None = Field(default=None, ge=0, le=2_000_000_000)

    @field_validator("denominator")
    @classmethod
    def _positive(cls, value: Decimal | None) -> Decimal | None:
        if value is not None and value <= 0:
            raise ValueError(_("Mẫu số phải lớn hơn 0."))
        return value

    @model_validator(mode="after")
    def _rate_fits(self) -> ValueIn:
        # The rate (numerator / denominator, in %) is stored in the same column as a value.
        numerator, denominator = self.numerator, self.denominator
        if numerator is not None and denominator and abs(numerator / denominator * 100) >= 10**11:
            raise ValueError(_("Tỷ lệ tử số / mẫu số quá lớn; hãy kiểm tra lại hai số."))
        return self


class ReviewIn(ApiSchema):
    decision: Literal["accepted", "rejected"]
    note: Body = ""
    version: int | None = Field(default=None, ge=0, le=2_000_000_000)


class DocumentEvidenceIn(ApiSchema):
    reference: Annotated[str, StringConstraints(min_length=1, max_length=700)] = Field(
        description="Số/ký hiệu - ngày - trích yếu, ví dụ “466/PVHXH - 15/03/2026: V/v ...”"
    )
