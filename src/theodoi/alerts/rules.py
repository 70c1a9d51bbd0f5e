"""The warnings (cảnh báo), derived from the data at any moment — never stored copies.

Each rule names the task or target, the unit and the reason in plain Vietnamese. A warning
has a stable ``key`` so that acknowledging it can be recorded and a digest can tell what
is new since the last one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from theodoi.plans.models import AssignmentRole, DeadlineKind, Plan, Target, Task, TaskAssignment
from theodoi.tracking.models import Period, ProgressReport, ReportState, ReviewStatus, TargetValue
from theodoi.tracking.status import Completion, TaskState, target_states, task_states


class Kind:
    OVERDUE = "overdue"
    BEHIND = "behind"
    EVIDENCE_REJECTED = "evidence_rejected"
    REPORT_MISSING = "report_missing"
    DUE_SOON = "due_soon"
    TARGET_OFF_TRACK = "target_off_track"


KIND_LABELS = {
    Kind.OVERDUE: "Quá hạn",
    Kind.BEHIND: "Chậm tiến độ",
    Kind.EVIDENCE_REJECTED: "Minh chứng không đạt",
    Kind.REPORT_MISSING: "Thiếu báo cáo",
    Kind.DUE_SOON: "Sắp đến hạn",
    Kind.TARGET_OFF_TRACK: "Chỉ tiêu chưa đạt",
}


class Severity:
    HIGH = 3
    MEDIUM = 2
    LOW = 1


@dataclass(frozen=True)
class Warning:
    key: str
    kind: str
    severity: int
    reason: str
    task: Task | None = None
    target: Target | None = None
    unit_ids: tuple[int, ...] = field(default_factory=tuple)
    period: Period | None = None

    @property
    def kind_label(self) -> str:
        return _(KIND_LABELS[self.kind])


def plan_start(plan: Plan) -> dt.date:
    """When the plan's time starts running: its issue date, else 1 January of its year."""
    if plan.issued_on and plan.issued_on.year == plan.year:
        return plan.issued_on
    return dt.date(plan.year, 1, 1)


def expected_percent(task: Task, plan: Plan, today: dt.date) -> float | None:
    """The time-proportional share (0–100) of a dated task that should be done by today."""
    if task.deadline_kind != DeadlineKind.DATE or task.due_on is None:
        return None
    start = task.starts_on or plan_start(plan)
    if task.due_on <= start:
        return 100.0 if today >= task.due_on else 0.0
    elapsed = (today - start).days / (task.due_on - start).days
    return max(0.0, min(1.0, elapsed)) * 100


def is_behind(percent: int, expected: float, threshold: int) -> bool:
    """Below ``threshold``% of the expected share: 50% threshold, 40% expected → under 20%."""
    return expected > 0 and percent < expected * threshold / 100


def _names(task: Task, units: dict[int, str]) -> str:
    leads = [units[a.unit_id] for a in task.assignments.all() if a.role == AssignmentRole.LEAD]
    return "; ".join(leads) or "; ".join(task.lead_other) or _("(chưa có đơn vị chủ trì)")


def _lead_ids(task: Task) -> tuple[int, ...]:
    return tuple(a.unit_id for a in task.assignments.all() if a.role == AssignmentRole.LEAD)


def plan_warnings(plan: Plan, *, today: dt.date) -> list[Warning]:
    """Every warning of the plan on ``today``, most severe first."""
    tasks = list(
        plan.tasks.prefetch_related(
            Prefetch("assignments", queryset=TaskAssignment.objects.select_related("unit"))
        )
    )
    states = task_states(tasks, today=today)
    units = {a.unit_id: a.unit.name for t in tasks for a in t.assignments.all()}
    parents = {t.parent_id for t in tasks if t.parent_id}
    warnings: list[Warning] = []
    for task in tasks:
        if task.pk in parents:
            continue  # a general task speaks through its children
        warnings += _task_warnings(task, plan, states[task.pk], today, units)
    warnings += _missing_reports(plan, tasks, states, today, units, parents)
    warnings += _target_warnings(plan)
    warnings.sort(key=_order)
    return warnings


def _order(warning: Warning) -> tuple[int, str, int, int, dt.date]:
    """Most severe first; then in the plan's own order, and period by period."""
    item = warning.task or warning.target
    return (
        -warning.severity,
        warning.kind,
        1 if warning.target else 0,
        item.position if item else 0,
        warning.period.starts_on if warning.period else dt.date.min,
    )


def _about_task(task: Task, kind: str, severity: int, reason: str) -> Warning:
    return Warning(
        key=f"{kind}:{task.public_id}",
        kind=kind,
        severity=severity,
        reason=reason,
        task=task,
        unit_ids=_lead_ids(task),
    )


def _task_warnings(
    task: Task, plan: Plan, state: TaskState, today: dt.date, units: dict[int, str]
) -> list[Warning]:
    found: list[Warning] = []
    who = _names(task, units)
    if state.completion == Completion.REJECTED:
        found.append(
            _about_task(
                task,
                Kind.EVIDENCE_REJECTED,
                Severity.HIGH,
                _(
                    'Nhiệm vụ %(code)s "%(name)s" (%(who)s): minh chứng hoàn thành không đạt '
                    "và chưa được thay thế."
                )
                % {"code": task.code, "name": task.name, "who": who},
            )
        )
    if state.done or task.deadline_kind != DeadlineKind.DATE or task.due_on is None:
        return found
    days_left = (task.due_on - today).days
    if days_left < 0:
        found.append(
            _about_task(
                task,
                Kind.OVERDUE,
                Severity.HIGH,
                _(
                    'Nhiệm vụ %(code)s "%(name)s" (%(who)s) quá hạn %(days)d ngày '
                    "(hạn %(due)s), mới đạt %(percent)d%%."
                )
                % {
                    "code": task.code,
                    "name": task.name,
                    "who": who,
                    "days": -days_left,
                    "due": f"{task.due_on:%d/%m/%Y}",
                    "percent": state.percent,
                },
            )
        )
        return found
    expected = expected_percent(task, plan, today)
    if expected is not None and is_behind(state.percent, expected, plan.behind_threshold):
        found.append(
            _about_task(
                task,
                Kind.BEHIND,
                Severity.MEDIUM,
                _(
                    'Nhiệm vụ %(code)s "%(name)s" (%(who)s) chậm tiến độ: đạt %(percent)d%% '
                    "trong khi theo thời gian cần khoảng %(expected)d%%."
                )
                % {
                    "code": task.code,
                    "name": task.name,
                    "who": who,
                    "percent": state.percent,
                    "expected": round(expected),
                },
            )
        )
    if 0 <= days_left <= plan.due_soon_days:
        found.append(
            _about_task(
                task,
                Kind.DUE_SOON,
                Severity.LOW,
                _('Nhiệm vụ %(code)s "%(name)s" (%(who)s) đến hạn sau %(days)d ngày (%(due)s).')
                % {
                    "code": task.code,
                    "name": task.name,
                    "who": who,
                    "days": days_left,
                    "due": f"{task.due_on:%d/%m/%Y}",
                },
            )
        )
    return found


def closed_periods(plan: Plan, today: dt.date) -> list[Period]:
    """Periods whose reports are past due, since the plan came into force."""
    since = plan.activated_at.date() if plan.activated_at else plan_start(plan)
    return list(
        Period.objects.of_plan(plan)
        .filter(due_on__lt=today, ends_on__gte=since)
        .order_by("starts_on")
    )


def _missing_reports(
    plan: Plan,
    tasks: Sequence[Task],
    states: dict[int, TaskState],
    today: dt.date,
    units: dict[int, str],
    parents: set[int],
) -> list[Warning]:
    periods = closed_periods(plan, today)
    if not periods:
        return []
    sent = set(
        ProgressReport.objects.filter(
            task__plan=plan, period__in=periods, state=ReportState.SENT, is_contribution=False
        ).values_list("task_id", "period_id", "unit_id")
    )
    completed_by: dict[int, dt.date | None] = {t.pk: states[t.pk].completed_on for t in tasks}
    found: list[Warning] = []
    for task in tasks:
        if task.pk in parents:
            continue
        for period in periods:
            done_on = completed_by[task.pk]
            # A dated task needs reports until it is done; a recurring one every period.
            if done_on is not None and done_on <= period.starts_on:
                continue
            for unit_id in _lead_ids(task):
                if (task.pk, period.pk, unit_id) in sent:
                    continue
                found.append(
                    Warning(
                        key=f"{Kind.REPORT_MISSING}:{task.public_id}:{period.public_id}:{unit_id}",
                        kind=Kind.REPORT_MISSING,
                        severity=Severity.MEDIUM,
                        reason=_(
                            "%(unit)s chưa gửi báo cáo %(period)s về nhiệm vụ %(code)s "
                            '"%(name)s" (hạn gửi %(due)s).'
                        )
                        % {
                            "unit": units.get(unit_id, ""),
                            "period": period.label,
                            "code": task.code,
                            "name": task.name,
                            "due": f"{period.due_on:%d/%m/%Y}",
                        },
                        task=task,
                        unit_ids=(unit_id,),
                        period=period,
                    )
                )
    return found


def _target_warnings(plan: Plan) -> list[Warning]:
    targets = list(plan.targets.prefetch_related("owners"))
    states = target_states(targets)
    rejected = set(
        TargetValue.objects.filter(
            target__plan=plan, review=ReviewStatus.REJECTED, state=ReportState.DRAFT
        ).values_list("target_id", flat=True)
    )
    found: list[Warning] = []
    for target in targets:
        owners = tuple(u.pk for u in target.owners.all())
        who = "; ".join(u.name for u in target.owners.all()) or "; ".join(target.owners_other)
        if target.pk in rejected:
            found.append(
                Warning(
                    key=f"{Kind.EVIDENCE_REJECTED}:target:{target.public_id}",
                    kind=Kind.EVIDENCE_REJECTED,
                    severity=Severity.HIGH,
                    reason=_(
                        'Chỉ tiêu %(code)s "%(name)s" (%(who)s): giá trị bị trả lại, '
                        "chưa được báo cáo lại."
                    )
                    % {"code": target.code, "name": target.name, "who": who},
                    target=target,
                    unit_ids=owners,
                )
            )
        state = states[target.pk]
        if state.accepted is not None and not state.met:
            found.append(
                Warning(
                    key=f"{Kind.TARGET_OFF_TRACK}:{target.public_id}",
                    kind=Kind.TARGET_OFF_TRACK,
                    severity=Severity.MEDIUM,
                    reason=_(
                        'Chỉ tiêu %(code)s "%(name)s" (%(who)s): giá trị mới nhất %(value)s '
                        "chưa đạt %(goal)s."
                    )
                    % {
                        "code": target.code,
                        "name": target.name,
                        "who": who,
                        "value": _plain(state.value),
                        "goal": target.value_text or target.get_comparator_display(),
                    },
                    target=target,
                    unit_ids=owners,
                )
            )
    return found


def _plain(value: object) -> str:
    text = f"{value}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def warnings_by_unit(warnings: Sequence[Warning]) -> dict[int, list[Warning]]:
    grouped: dict[int, list[Warning]] = defaultdict(list)
    for warning in warnings:
        for unit_id in warning.unit_ids:
            grouped[unit_id].append(warning)
    return grouped
