"""Reads of the tracking loop, named in the domain's words: what a unit must report, a
task's reports and history, reports awaiting their unit head, a target's values.

Every function runs a fixed number of queries whatever the number of tasks, reports or
evidence, so the pages built on them keep their query budgets as a plan fills up.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from theodoi.accounts.access import AnyUser
from theodoi.accounts.policy import fetch
from theodoi.audit.models import AuditEntry
from theodoi.evidence.models import Evidence, EvidenceKind
from theodoi.evidence.services import megabytes
from theodoi.lib.numbers import vn_number
from theodoi.plans.models import (
    AssignmentRole,
    Comparator,
    DeadlineKind,
    Plan,
    Target,
    Task,
    TaskAssignment,
)
from theodoi.units.models import Commune, Unit

from .access import task_role_of
from .models import (
    Direction,
    Period,
    ProgressReport,
    ReportState,
    ReviewStatus,
    TargetValue,
    TaskStatus,
)
from .periods import current_period, periods_ensure
from .status import Completion, TargetState, TaskState, target_states, task_states

# --- numbers as Vietnamese write them ------------------------------------------------------


def due_text(task: Task) -> str:
    """A task's deadline as people read it: "30/06/2026", else the plan's words."""
    if task.deadline_kind == DeadlineKind.DATE and task.due_on:
        return f"{task.due_on:%d/%m/%Y}"
    return task.deadline_text or str(task.get_deadline_kind_display())


def due_phrase(task: Task) -> str:
    """The deadline as it reads inside a sentence: "hạn 30/06/2026", "hạn Quý II/2026", but
    "thực hiện thường xuyên" for recurring work, which has no "hạn" of its own."""
    text = due_text(task)
    if task.deadline_kind == DeadlineKind.RECURRING:
        return _("thực hiện %(how)s") % {"how": text[:1].lower() + text[1:]}
    if task.deadline_kind == DeadlineKind.UNSPECIFIED and not task.deadline_text:
        return _("chưa xác định thời hạn")
    return _("hạn %(d)s") % {"d": text}


def goal_text(comparator: str, value: Decimal | None, text: str, measure_unit: str) -> str:
    """A goal as the plan wrote it, else composed: "≥ 90 %"; "—" when there is none."""
    if text:
        return text
    if value is None:
        return "—"
    symbol = dict(Comparator.choices).get(comparator, "")
    unit = f" {measure_unit}" if measure_unit else ""
    return f"{symbol} {vn_number(value)}{unit}".strip()


def value_display(tv: TargetValue, target: Target) -> str:
    """A reported value as the unit wrote it: "84,01 % (1.245 / 1.482)", "Đạt", "hạng 12"."""
    if target.kind == "qualitative":
        if tv.achieved_claim is None:
            return "—"
        return _("Đạt") if tv.achieved_claim else _("Chưa đạt")
    text = vn_number(tv.value) or "—"
    if target.measure_unit and tv.value is not None:
        text = f"{text} {target.measure_unit}"
    if tv.numerator is not None and tv.denominator is not None:
        text += f" ({vn_number(tv.numerator)} / {vn_number(tv.denominator)})"
    return text


# --- permission-checked fetches ------------------------------------------------------------


def get_report_for_user(user: AnyUser, public_id: uuid.UUID) -> ProgressReport:
    """A report of a commune the user may read; another commune's report is a 404."""
    reports = ProgressReport.objects.select_related("task__plan", "task__commune", "period", "unit")
    return fetch(user, reports, public_id)


def get_direction_for_user(user: AnyUser, public_id: uuid.UUID) -> Direction:
    return fetch(user, Direction.objects.select_related("task"), public_id)


def period_of_plan(plan: Plan, public_id: str | None, *, today: dt.date) -> Period:
    """The period named in the URL (it must be the plan's), else the current one."""
    if public_id:
        try:
            wanted = uuid.UUID(public_id)
        except ValueError:
            raise Http404 from None
        period = Period.objects.filter(plan=plan, public_id=wanted).first()
        if period is None:
            raise Http404
        return period
    period = current_period(plan, today)
    if period is None:  # pragma: no cover - every plan has periods
        raise Http404
    return period


def report_periods(plan: Plan) -> list[Period]:
    """The periods a unit reports in, in order (the plan's cadence)."""
    return periods_ensure(plan=plan)


# --- state labels shown beside tasks and targets --------------------------------------------


def state_css(state: TaskState) -> str:
    """The badge colour of a task's state: green done, red late, blue waiting for review."""
    if state.done:
        return "text-bg-success"
    if state.completion == Completion.REJECTED:
        return "text-bg-warning"
    if state.completion == Completion.PENDING:
        return "text-bg-info"
    if state.late:
        return "text-bg-danger"
    if state.status == TaskStatus.NOT_STARTED:
        return "text-bg-secondary"
    return "text-bg-primary"


def report_state_label(report: ProgressReport | None) -> str:
    return report.get_state_display() if report else _("Chưa báo cáo")


def value_state_label(tv: TargetValue | None) -> str:
    if tv is None:
        return _("Chưa báo cáo")
    if tv.review == ReviewStatus.REJECTED:
        return _("Không đạt, trả lại để bổ sung")
    if tv.state == ReportState.DRAFT:
        return _("Đang soạn")
    if tv.review == ReviewStatus.ACCEPTED:
        return _("Đã được chấp nhận")
    return _("Đã gửi, chờ thẩm định")


def target_result_label(target: Target, state: TargetState) -> tuple[str, str]:
    """Met / not met / pending, with its badge colour. Only accepted values count."""
    if state.accepted is None:
        if state.pending is not None:
            return _("Chờ thẩm định"), "text-bg-info"
        return _("Chưa có số liệu được chấp nhận"), "text-bg-secondary"
    if state.met:
        return _("Đạt"), "text-bg-success"
    if state.pending is not None:
        return _("Chưa đạt (có số liệu mới chờ thẩm định)"), "text-bg-warning"
    return _("Chưa đạt"), "text-bg-warning"


# --- a unit's work: "Nhiệm vụ của đơn vị" ---------------------------------------------------


@dataclass
class TaskRow:
    task: Task
    state: TaskState
    leads: list[Unit]
    supports: list[Unit]
    period: Period | None
    # The user's unit on this task and its role; None when listing a whole commune.
    unit: Unit | None = None
    role: str | None = None
    # This period's report: the listed unit's, or the lead unit's in the commune view.
    report: ProgressReport | None = None
    is_leaf: bool = True
    # Whether the user's own unit is assigned: only then may the user report on it.
    reportable: bool = False

    @property
    def can_report(self) -> bool:
        return self.reportable and self.is_leaf and self.period is not None

    @property
    def due_now(self) -> bool:
        """Still needs this period's report: a leaf task, not done, nothing sent yet."""
        if not self.is_leaf or self.state.done:
            return False
        return self.report is None or self.report.state != ReportState.SENT

    @property
    def role_label(self) -> str:
        return str(AssignmentRole(self.role).label) if self.role else ""

    @property
    def report_state_label(self) -> str:
        return report_state_label(self.report)

    @property
    def css(self) -> str:
        return state_css(self.state)


@dataclass
class TargetRow:
    target: Target
    state: TargetState
    owners: list[Unit]
    period: Period | None
    unit: Unit | None = None
    reportable: bool = False
    value: TargetValue | None = None
    result: tuple[str, str] = ("", "")
    counted: str = ""

    @property
    def can_report(self) -> bool:
        return self.reportable and self.period is not None

    @property
    def due_now(self) -> bool:
        return self.value is None or self.value.state != ReportState.SENT

    @property
    def value_state_label(self) -> str:
        return value_state_label(self.value)


@dataclass
class UnitWork:
    tasks: list[TaskRow] = field(default_factory=list)
    targets: list[TargetRow] = field(default_factory=list)
    periods: dict[int, Period] = field(default_factory=dict)  # plan id → current period


def _assignment_prefetch() -> Prefetch[Any]:
    return Prefetch("assignments", queryset=TaskAssignment.objects.select_related("unit"))


def plan_task_states(plan: Plan, *, today: dt.date) -> tuple[list[Task], dict[int, TaskState]]:
    """All the plan's tasks (with their units) and their states, parents rolled up."""
    tasks = list(plan.tasks.prefetch_related(_assignment_prefetch()))
    return tasks, task_states(tasks, today=today)


def unit_work(
    commune: Commune,
    *,
    units: Sequence[Unit] | None,
    reporters: Sequence[Unit] = (),
    today: dt.date,
) -> UnitWork:
    """The tasks and targets of ``units`` in the commune's active plans, or all of them
    (``units=None``), with what is due this period first. ``reporters`` are the user's own
    units: the rows they are assigned to can be reported on."""
    work = UnitWork()
    plans = list(Plan.objects.active().of_commune(commune))
    for plan in plans:
        period = current_period(plan, today)
        if period is not None:
            work.periods[plan.pk] = period
    tasks = list(
        Task.objects.filter(plan__in=plans)
        .select_related("plan")
        .prefetch_related(_assignment_prefetch())
    )
    # The states need every task of the plans, so parents roll up from all their children.
    states = task_states(tasks, today=today)
    parents = {t.parent_id for t in tasks if t.parent_id is not None}
    unit_ids = {u.pk for u in units} if units is not None else None

    rows: list[TaskRow] = []
    for task in tasks:
        assignments = list(task.assignments.all())
        leads = [a.unit for a in assignments if a.role == AssignmentRole.LEAD]
        supports = [a.unit for a in assignments if a.role == AssignmentRole.SUPPORT]
        row = TaskRow(
            task=task,
            state=states[task.pk],
            leads=leads,
            supports=supports,
            period=work.periods.get(task.plan_id),
            is_leaf=task.pk not in parents,
            reportable=task_role_of(task, list(reporters)) is not None,
        )
        if units is not None:
            mine = task_role_of(task, list(units))
            if mine is None:
                continue
            row.unit, row.role = mine
        rows.append(row)

    period_ids = [p.pk for p in work.periods.values()]
    reports = ProgressReport.objects.filter(
        task__in=[r.task for r in rows], period_id__in=period_ids
    ).select_related("unit")
    # The listed units' own reports; in the commune view, the lead unit's.
    reports = reports.filter(unit_id__in=unit_ids) if unit_ids is not None else reports.by_lead()
    by_task_unit = {(r.task_id, r.unit_id): r for r in reports}
    by_task = {r.task_id: r for r in reports}
    for row in rows:
        if row.unit is not None:
            row.report = by_task_unit.get((row.task.pk, row.unit.pk))
        else:
            row.report = by_task.get(row.task.pk)
    far = dt.date.max
    rows.sort(
        key=lambda r: (
            0 if r.due_now else 1,
            r.task.due_on if r.task.deadline_kind == DeadlineKind.DATE and r.task.due_on else far,
            r.task.plan_id,
            r.task.position,
        )
    )
    work.tasks = rows
    work.targets = _target_rows(plans, work.periods, units, reporters)
    return work


def _target_rows(
    plans: list[Plan],
    periods: dict[int, Period],
    units: Sequence[Unit] | None,
    reporters: Sequence[Unit],
) -> list[TargetRow]:
    targets = list(
        Target.objects.filter(plan__in=plans).select_related("plan").prefetch_related("owners")
    )
    if units is not None:
        unit_ids = {u.pk for u in units}
        targets = [t for t in targets if any(o.pk in unit_ids for o in t.owners.all())]
    states = target_states(targets)
    values = TargetValue.objects.filter(
        target__in=targets, period_id__in=[p.pk for p in periods.values()]
    )
    if units is not None:
        values = values.filter(unit__in=units)
    value_of = {v.target_id: v for v in values}
    rows = []
    for target in targets:
        owners = list(target.owners.all())
        owner_ids = {o.pk for o in owners}
        listed = next((u for u in units or () if u.pk in owner_ids), None)
        mine = next((u for u in reporters if u.pk in owner_ids), None)
        state = states[target.pk]
        rows.append(
            TargetRow(
                target=target,
                state=state,
                owners=owners,
                period=periods.get(target.plan_id),
                unit=listed,
                reportable=mine is not None,
                value=value_of.get(target.pk),
                result=target_result_label(target, state),
                counted=counted_display(target, state),
            )
        )
    rows.sort(key=lambda r: (0 if r.due_now else 1, r.target.plan_id, r.target.position))
    return rows


def counted_display(target: Target, state: TargetState) -> str:
    if target.kind == "qualitative":
        if state.accepted is None:
            return "—"
        return _("Đạt") if state.met else _("Chưa đạt")
    if state.value is None:
        return "—"
    text = vn_number(state.value)
    return f"{text} {target.measure_unit}" if target.measure_unit else text


def filter_task_rows(rows: Iterable[TaskRow], status: str) -> list[TaskRow]:
    """Rows matching a filter of the list (see forms.TASK_FILTERS); "" keeps all."""
    tests = {
        "due": lambda r: r.due_now,
        "not_started": lambda r: r.state.status == TaskStatus.NOT_STARTED,
        "in_progress": lambda r: (
            r.state.status == TaskStatus.IN_PROGRESS and r.state.completion == Completion.NONE
        ),
        "paused": lambda r: r.state.status == TaskStatus.PAUSED,
        "pending": lambda r: r.state.completion == Completion.PENDING,
        "rejected": lambda r: r.state.completion == Completion.REJECTED,
        "done": lambda r: r.state.done,
        "late": lambda r: r.state.late and not r.state.done,
    }
    test = tests.get(status)
    return [r for r in rows if test is None or test(r)]


def filter_target_rows(rows: Iterable[TargetRow], status: str) -> list[TargetRow]:
    """Targets under a filter of the list. Targets have no task status: "rejected" keeps
    those whose value this period was refused, any other filter those still to report."""
    if not status:
        return list(rows)
    if status == "rejected":
        return [r for r in rows if r.value is not None and r.value.review == ReviewStatus.REJECTED]
    return [r for r in rows if r.due_now]


# --- one task ------------------------------------------------------------------------------


def _evidence_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "evidence",
        queryset=Evidence.objects.select_related("uploaded_by", "reviewed_by", "unit").order_by(
            "uploaded_at"
        ),
        to_attr="evidence_items",
    )


def task_reports(task: Task) -> list[ProgressReport]:
    """The task's reports, newest period first, each with ``evidence_items``."""
    reports = list(
        ProgressReport.objects.filter(task=task)
        .select_related("period", "unit", "created_by", "confirmed_by")
        .prefetch_related(_evidence_prefetch())
        .order_by("-period__starts_on", "is_contribution", "unit__name")
    )
    for report in reports:
        report.task = task  # already loaded with its plan: no query per report
    return reports


def task_directions(task: Task) -> list[Direction]:
    return list(task.directions.select_related("author", "acknowledged_by"))


def unit_report(task: Task, period: Period, unit: Unit) -> ProgressReport | None:
    """``unit``'s report on ``task`` for ``period``, with its evidence, if it has one."""
    return (
        ProgressReport.objects.filter(task=task, period=period, unit=unit)
        .select_related("task__plan", "period", "unit", "confirmed_by")
        .prefetch_related(_evidence_prefetch())
        .first()
    )


# The history shows field names and coded values in words.
_FIELD_LABELS = {
    "status": gettext_lazy("Tình trạng"),
    "percent": gettext_lazy("Tỷ lệ hoàn thành"),
    "done": gettext_lazy("Kết quả đã thực hiện"),
    "difficulties": gettext_lazy("Khó khăn, vướng mắc"),
    "proposals": gettext_lazy("Đề xuất, kiến nghị"),
    "pause_reason": gettext_lazy("Lý do tạm dừng"),
    "state": gettext_lazy("Trạng thái gửi"),
    "value": gettext_lazy("Giá trị"),
    "numerator": gettext_lazy("Tử số"),
    "denominator": gettext_lazy("Mẫu số"),
    "achieved_claim": gettext_lazy("Đạt (định tính)"),
    "source": gettext_lazy("Nguồn số liệu"),
    "review": gettext_lazy("Thẩm định"),
    "review_note": gettext_lazy("Ý kiến thẩm định"),
    "note": gettext_lazy("Ghi chú"),
    "name": gettext_lazy("Tên nhiệm vụ"),
    "due_on": gettext_lazy("Thời hạn"),
    "deadline_kind": gettext_lazy("Loại thời hạn"),
    "deadline_text": gettext_lazy("Thời gian thực hiện"),
    "lead": gettext_lazy("Chủ trì"),
    "support": gettext_lazy("Phối hợp"),
    "reason": gettext_lazy("Lý do"),
    "kind": gettext_lazy("Loại minh chứng"),
    "original_name": gettext_lazy("Tệp"),
    "size": gettext_lazy("Dung lượng"),
    "doc_number": gettext_lazy("Số/ký hiệu văn bản"),
    "doc_date": gettext_lazy("Ngày văn bản"),
    "doc_summary": gettext_lazy("Trích yếu"),
    "withdrawn": gettext_lazy("Đã rút"),
}

# Storage details of an evidence file: kept in the trail, of no use to a reader of the history.
_HIDDEN = frozenset({"file", "sha256", "content_type"})

_CODED: dict[str, Any] = {
    "status": TaskStatus,
    "state": ReportState,
    "review": ReviewStatus,
    "deadline_kind": DeadlineKind,
    "kind": EvidenceKind,
}


def _readable(key: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if key in _CODED and isinstance(value, str):
        try:
            return str(_CODED[key](value).label)
        except ValueError:
            return value
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if key == "percent":
        return f"{value}%"
    if key in ("value", "numerator", "denominator"):
        try:
            return vn_number(Decimal(str(value)))
        except ArithmeticError:
            return str(value)
    if key == "size" and isinstance(value, int):
        return megabytes(value)
    if key in ("due_on", "doc_date") and isinstance(value, str):
        try:
            return f"{dt.date.fromisoformat(value):%d/%m/%Y}"
        except ValueError:
            return value
    return str(value)


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None  # None: the value was first set by this entry
    after: str


def audit_changes(entry: AuditEntry) -> list[Change]:
    """What an entry changed, field by field, in words (only the fields that differ)."""
    before = entry.before if isinstance(entry.before, dict) else None
    after = entry.after if isinstance(entry.after, dict) else {}
    changes = []
    for key in after:
        if key in _HIDDEN:
            continue
        old = before.get(key) if before is not None else None
        new = after[key]
        if before is not None and old == new:
            continue
        if before is None and new in (None, "", []):
            continue
        changes.append(
            Change(
                label=str(_FIELD_LABELS.get(key, key)),
                before=_readable(key, old) if before is not None else None,
                after=_readable(key, new),
            )
        )
    return changes


def task_history(task: Task) -> list[tuple[AuditEntry, list[Change]]]:
    """The task's audit trail, newest first, each entry with its changes in words."""
    entries = AuditEntry.objects.about_task(task.pk).select_related("actor")
    return [(entry, audit_changes(entry)) for entry in entries]


# --- the unit head's confirmations -------------------------------------------------------


def reports_awaiting_head(units: Sequence[Unit]) -> list[ProgressReport]:
    """Reports of ``units`` sent by their staff and waiting for the unit head."""
    return list(
        ProgressReport.objects.filter(unit__in=units, state=ReportState.AWAITING_HEAD)
        .select_related("task__plan", "period", "unit", "created_by")
        .prefetch_related(_evidence_prefetch())
        .order_by("period__starts_on", "task__position")
    )


def directions_awaiting_acknowledgement(commune: Commune) -> list[Direction]:
    """The commune's directions that the task's lead unit has not acknowledged yet."""
    return list(
        Direction.objects.filter(commune=commune, acknowledged_at__isnull=True)
        .select_related("task__plan", "author")
        .order_by("created_at")
    )


def count_awaiting_head(units: Sequence[Unit]) -> int:
    if not units:
        return 0
    return ProgressReport.objects.filter(unit__in=units, state=ReportState.AWAITING_HEAD).count()


# --- one target ----------------------------------------------------------------------------


def target_values(target: Target) -> list[TargetValue]:
    """The target's values, newest period first, each with ``evidence_items`` and
    ``display`` (the value as written in Vietnamese)."""
    values = list(
        TargetValue.objects.filter(target=target)
        .select_related("period", "unit", "reviewed_by")
        .prefetch_related(_evidence_prefetch())
        .order_by("-period__starts_on", "unit__name")
    )
    for tv in values:
        tv.target = target  # already loaded with its plan: no query per value
        tv.display = value_display(tv, target)  # type: ignore[attr-defined]
        tv.state_label = value_state_label(tv)  # type: ignore[attr-defined]
    return values


def unit_target_value(target: Target, period: Period, unit: Unit) -> TargetValue | None:
    return (
        TargetValue.objects.filter(target=target, period=period, unit=unit)
        .select_related("target__plan", "period", "unit", "reviewed_by")
        .prefetch_related(_evidence_prefetch())
        .first()
    )


def units_of_commune(commune: Commune) -> list[Unit]:
    return list(Unit.objects.of_commune(commune).active())


def lead_units(task: Task) -> list[Unit]:
    return [a.unit for a in task.assignments.all() if a.role == AssignmentRole.LEAD]
