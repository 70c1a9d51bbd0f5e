"""Reads behind the commune's dashboards: a plan's tasks sorted into statuses, the filters a
task list and a dashboard share, targets against their goals, the trend over periods, the
reporting window and a unit's own dashboard.

Everything is derived from the data at the moment of asking (``tracking.status``), and each
function runs a fixed number of queries whatever the number of tasks or reports: the pages
built on them keep their query budgets as a plan fills up over the year.

Counting rule: a general task (one with sub-tasks) speaks through its children, so only the
leaf tasks are counted and listed; a dashboard's number and the task list behind it are
produced by the same ``filter_lines``, which is what keeps them equal.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from theodoi.accounts import policy
from theodoi.accounts.access import AnyUser
from theodoi.accounts.roles import OVERSIGHT, STEERING
from theodoi.alerts.rules import (
    Kind,
    Warning,
    closed_periods,
    plan_warnings,
    task_warning_kinds,
)
from theodoi.lib.numbers import vn_number
from theodoi.plans.models import (
    AssignmentRole,
    DeadlineKind,
    Plan,
    Target,
    TargetKind,
    Task,
    TaskAssignment,
)
from theodoi.tracking.models import Period, ProgressReport, ReportState, TargetValue
from theodoi.tracking.periods import current_period, periods_ensure
from theodoi.tracking.queries import due_text, goal_text, value_display
from theodoi.tracking.status import (
    BUCKETS,
    JUDGEMENTS,
    Bucket,
    Judgement,
    TargetState,
    TaskState,
    bucket_of,
    expected_by,
    judgement,
    target_states,
    task_states,
)
from theodoi.units.models import Commune, Unit

# --- who oversees a commune -----------------------------------------------------------------

# Roles that see the whole commune's dashboard (accounts.roles.OVERSIGHT and the province's
# officers) and that remind units (accounts.roles.STEERING, as alerts.services.remind_units).
OVERSIGHT_ROLES = OVERSIGHT
REMINDER_ROLES = STEERING


def roles_in(user: AnyUser, commune: Commune) -> set[str]:
    """``user``'s roles in ``commune``, a province officer's included, in one query."""
    return set(policy.standing(user, commune).roles)


def may_oversee(user: AnyUser, roles: set[str]) -> bool:
    return policy.permits(policy.Action.VIEW_DASHBOARD, roles)


def may_remind(user: AnyUser, roles: set[str]) -> bool:
    return policy.permits(policy.Action.REMIND, roles)


# --- numbers as people read them --------------------------------------------------------------


def percent_text(rate: Fraction | None) -> str:
    """A share as Vietnamese write it, one decimal at most: "89,9%", "100%"; None is "—"."""
    if rate is None:
        return "—"
    rounded = Decimal(rate.numerator * 100) / Decimal(rate.denominator)
    return vn_number(rounded.quantize(Decimal("0.1"))) + "%"


@dataclass(frozen=True)
class Ratio:
    """A count out of a count, kept whole so anyone can check the percentage."""

    part: int
    whole: int

    @property
    def rate(self) -> Fraction | None:
        """The share in [0, 1]; None when there was nothing to count."""
        return Fraction(self.part, self.whole) if self.whole else None

    @property
    def percent(self) -> str:
        return percent_text(self.rate)

    @property
    def percent_number(self) -> float | None:
        """For the charts only; the tables show ``percent``."""
        rate = self.rate
        return round(float(rate) * 100, 1) if rate is not None else None


# --- task statuses ------------------------------------------------------------------------------


BUCKET_CSS = {
    Bucket.DONE: "text-bg-success",
    Bucket.PENDING: "text-bg-info",
    Bucket.REJECTED: "text-bg-warning",
    Bucket.IN_PROGRESS: "text-bg-primary",
    Bucket.LATE: "text-bg-danger",
    Bucket.NOT_STARTED: "text-bg-secondary",
    Bucket.PAUSED: "text-bg-light",
}
# The charts' colours, one per bucket, in the order of BUCKETS.
BUCKET_COLOURS = ["#198754", "#0dcaf0", "#ffc107", "#0d6efd", "#dc3545", "#6c757d", "#adb5bd"]

STATUS_FILTERS: list[tuple[str, Any]] = [("", gettext_lazy("Mọi tình trạng")), *BUCKETS]
NO_LEAD = "none"
NO_GROUP = "-"  # the group filter's value for tasks under no heading


@dataclass
class TaskLine:
    """A leaf task of the plan with its derived state, lead units and parent."""

    task: Task
    state: TaskState
    leads: list[Unit]
    supports: list[Unit]
    parent: Task | None
    stale: bool = False

    @property
    def bucket(self) -> str:
        return bucket_of(self.state)

    @property
    def label(self) -> str:
        """The state as people read it; a task nobody reported on for two periods is never
        "on time", whatever its last report said."""
        if self.stale and self.bucket in (Bucket.IN_PROGRESS, Bucket.NOT_STARTED):
            return _("Không cập nhật 2 kỳ (báo cáo gần nhất: %(percent)d%%)") % {
                "percent": self.state.percent
            }
        return self.state.label

    @property
    def bucket_css(self) -> str:
        return BUCKET_CSS[self.bucket]

    @cached_property
    def lead_ids(self) -> set[int]:
        # Read for every task × period × unit by the tallies: built once per line.
        return {u.pk for u in self.leads}

    @property
    def lead_names(self) -> str:
        names = [u.name for u in self.leads] or list(self.task.lead_other)
        return "; ".join(names)

    @property
    def due_text(self) -> str:
        return due_text(self.task)


@dataclass
class PlanTasks:
    plan: Plan
    today: dt.date
    lines: list[TaskLine]  # leaf tasks, in the plan's order
    units: list[Unit]  # units leading at least one leaf task, by name
    groups: list[str]  # in the plan's order
    closed: list[Period]  # periods whose reports are past due, in order


def _assignments() -> Prefetch[Any]:
    return Prefetch("assignments", queryset=TaskAssignment.objects.select_related("unit"))


def plan_task_lines(plan: Plan, *, today: dt.date) -> PlanTasks:
    """The plan's leaf tasks with their states, and what the filters offer."""
    tasks = list(plan.tasks.prefetch_related(_assignments()))
    states = task_states(tasks, today=today)
    by_pk = {t.pk: t for t in tasks}
    parents = {t.parent_id for t in tasks if t.parent_id is not None}
    lines = []
    for task in tasks:
        if task.pk in parents:
            continue
        assignments = list(task.assignments.all())
        lines.append(
            TaskLine(
                task=task,
                state=states[task.pk],
                leads=[a.unit for a in assignments if a.role == AssignmentRole.LEAD],
                supports=[a.unit for a in assignments if a.role == AssignmentRole.SUPPORT],
                parent=by_pk.get(task.parent_id) if task.parent_id else None,
            )
        )
    closed = closed_periods(plan, today)
    stale = stale_task_ids(plan, lines, closed)
    for line in lines:
        line.stale = line.task.pk in stale
    units = {u.pk: u for line in lines for u in line.leads}
    groups = list(dict.fromkeys(line.task.group for line in lines if line.task.group))
    return PlanTasks(
        plan=plan,
        today=today,
        lines=lines,
        units=sorted(units.values(), key=lambda u: u.name),
        groups=groups,
        closed=closed,
    )


def stale_task_ids(
    plan: Plan,
    lines: Sequence[TaskLine],
    closed: Sequence[Period],
    *,
    upto: Period | None = None,
) -> set[int]:
    """Tasks nobody has reported on for the last two of the ``closed`` periods, nor since
    (up to ``upto``, when looking back at a past period).

    Whatever the last report said (even "90%, on schedule"), a task left without news for
    two periods is stale: people not updating is what sinks tracking. Only the lead's
    reports count (a supporting unit's contribution does not speak for the task); a task
    done and accepted needs no more news; a task starting after the first of the two
    periods had not been due twice yet.
    """
    if len(closed) < 2:
        return set()
    first = closed[-2]
    reports = ProgressReport.objects.filter(
        task__plan=plan,
        state=ReportState.SENT,
        is_contribution=False,
        period__starts_on__gte=first.starts_on,
    )
    if upto is not None:
        reports = reports.filter(period__starts_on__lte=upto.starts_on)
    reported = set(reports.values_list("task_id", flat=True))
    stale = set()
    for line in lines:
        task = line.task
        done_on = line.state.completed_on
        if done_on is not None and (upto is None or done_on <= upto.ends_on):
            continue
        if task.pk in reported:
            continue
        if task.starts_on and task.starts_on > first.ends_on:
            continue
        stale.add(task.pk)
    return stale


# --- the filters a dashboard and a task list share --------------------------------------------


@dataclass(frozen=True)
class TaskFilter:
    """Filters of the task list, read from and written to the query string (shareable)."""

    status: str = ""
    group: str = ""
    unit: str = ""  # a unit's public id, or NO_LEAD
    period: str = ""  # a period's public id
    stale: bool = False  # only the tasks nobody reported on for two periods
    unit_obj: Unit | None = None
    period_obj: Period | None = None
    as_of: str = ""  # a report's key ("quarter-3"): the figures as at its data cut-off

    def params(self, **changes: str) -> dict[str, str]:
        values = {"status": self.status, "group": self.group, "unit": self.unit}
        values["period"] = self.period
        values["stale"] = "1" if self.stale else ""
        values["as_of"] = self.as_of
        values.update(changes)
        return {k: v for k, v in values.items() if v}

    def query(self, **changes: str) -> str:
        """``?status=late&group=...`` (or "" with no filter), ready to append to a URL."""
        params = self.params(**changes)
        return "?" + urlencode(params) if params else ""

    @property
    def active(self) -> bool:
        return bool(self.params())

    @property
    def unit_label(self) -> str:
        if self.unit == NO_LEAD:
            return _("(chưa gán đơn vị chủ trì)")
        return self.unit_obj.name if self.unit_obj else ""


def _uuid_or_404(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise Http404 from None


def read_filter(
    params: Mapping[str, str], *, units: Sequence[Unit], periods: Sequence[Period]
) -> TaskFilter:
    """The filter named in the query string. An unknown status is ignored; a unit or a
    period that is not this commune's or this plan's is a 404 (nothing to leak)."""
    status = params.get("status", "")
    if status not in dict(STATUS_FILTERS):
        status = ""
    group = params.get("group", "").strip()
    unit_raw = params.get("unit", "")
    unit_obj = None
    if unit_raw and unit_raw != NO_LEAD:
        wanted = _uuid_or_404(unit_raw)
        unit_obj = next((u for u in units if u.public_id == wanted), None)
        if unit_obj is None:
            raise Http404
    period_raw = params.get("period", "")
    period_obj = None
    if period_raw:
        wanted = _uuid_or_404(period_raw)
        period_obj = next((p for p in periods if p.public_id == wanted), None)
        if period_obj is None:
            raise Http404
    return TaskFilter(
        status=status,
        group=group,
        unit=str(unit_obj.public_id) if unit_obj else (NO_LEAD if unit_raw == NO_LEAD else ""),
        period=str(period_obj.public_id) if period_obj else "",
        stale=params.get("stale", "") == "1",
        unit_obj=unit_obj,
        period_obj=period_obj,
        as_of=params.get("as_of", "").strip()[:20],
    )


def due_by(task: Task, period: Period) -> bool:
    """A dated task due by the end of ``period`` (the period filter: "đến hạn đến hết kỳ")."""
    return (
        task.deadline_kind == DeadlineKind.DATE
        and task.due_on is not None
        and task.due_on <= period.ends_on
    )


def filter_lines(
    lines: Iterable[TaskLine], flt: TaskFilter, *, ignore_status: bool = False
) -> list[TaskLine]:
    """The lines a filter keeps. The dashboard counts and the task list both use this.
    ``ignore_status`` keeps every status (and stale or not): the trend and the reporting
    window look at all the tasks of a group or unit."""
    kept = []
    for line in lines:
        if flt.group and line.task.group != ("" if flt.group == NO_GROUP else flt.group):
            continue
        if flt.unit == NO_LEAD and line.leads:
            continue
        if flt.unit_obj is not None and flt.unit_obj.pk not in line.lead_ids:
            continue
        if flt.period_obj is not None and not due_by(line.task, flt.period_obj):
            continue
        if not ignore_status and flt.status and line.bucket != flt.status:
            continue
        if not ignore_status and flt.stale and not line.stale:
            continue
        kept.append(line)
    return kept


# --- the commune dashboard: tasks by status --------------------------------------------------


@dataclass
class StatusRow:
    """One row of a "tasks by status" table: the counts and the filter each links to."""

    label: str
    params: dict[str, str]  # what this row adds to the page's filter (group=..., unit=...)
    counts: dict[str, int]
    total: int
    stale: int


def status_row(label: str, params: dict[str, str], lines: Sequence[TaskLine]) -> StatusRow:
    counts = dict.fromkeys((key for key, _label in BUCKETS), 0)
    for line in lines:
        counts[line.bucket] += 1
    return StatusRow(
        label=label,
        params=params,
        counts=counts,
        total=len(lines),
        stale=sum(1 for line in lines if line.stale),
    )


def status_by_group(lines: Sequence[TaskLine], groups: Sequence[str]) -> list[StatusRow]:
    by_group: dict[str, list[TaskLine]] = defaultdict(list)
    for line in lines:
        by_group[line.task.group].append(line)
    rows = [
        status_row(group, {"group": group}, by_group[group])
        for group in groups
        if group in by_group
    ]
    if by_group.get(""):
        rows.append(status_row(_("(không thuộc nhóm)"), {"group": NO_GROUP}, by_group[""]))
    return rows


def status_by_unit(lines: Sequence[TaskLine], units: Sequence[Unit]) -> list[StatusRow]:
    """One row per lead unit (a task with two lead units counts in both rows)."""
    rows = []
    for unit in units:
        mine = [line for line in lines if unit.pk in line.lead_ids]
        if mine:
            rows.append(status_row(unit.name, {"unit": str(unit.public_id)}, mine))
    orphans = [line for line in lines if not line.leads]
    if orphans:
        rows.append(status_row(_("(chưa gán đơn vị chủ trì)"), {"unit": NO_LEAD}, orphans))
    return rows


# --- targets ---------------------------------------------------------------------------------


# A target's bucket is its judgement on the day (``tracking.status.judgement``).
TargetBucket = Judgement
TARGET_BUCKETS = JUDGEMENTS
TARGET_COLOURS = ["#198754", "#0d6efd", "#ffc107", "#dc3545", "#adb5bd"]


@dataclass
class TargetLine:
    target: Target
    state: TargetState
    bucket: str
    owners: list[Unit]
    goal: str
    upper: str
    counted: str  # the accepted figure that counts
    accepted: str  # the latest accepted value as the unit wrote it
    pending: str  # a newer value awaiting review, as written
    expected: str  # for a count to reach by year end: what time alone asks for by now

    @property
    def bucket_label(self) -> str:
        return str(next(label for key, label, _css in TARGET_BUCKETS if key == self.bucket))

    @property
    def bucket_css(self) -> str:
        return next(css for key, _label, css in TARGET_BUCKETS if key == self.bucket)


def target_lines(plan: Plan, *, today: dt.date) -> list[TargetLine]:
    """Each target with its counted figure, bucket, goal and the upper level's goal.

    Only accepted values that count on ``today`` count (``tracking.status.target_states``);
    the bucket is the target's judgement that day (``tracking.status.judgement``).
    """
    targets = list(plan.targets.prefetch_related("owners"))
    states = target_states(targets, as_of=today)
    lines = []
    for target in targets:
        state = states[target.pk]
        bucket = judgement(target, state, plan, today)
        needed = expected_by(target, plan, today)
        expected = vn_number(needed) if needed is not None and bucket != Judgement.MET else ""
        counted = "—"
        if target.kind == TargetKind.QUALITATIVE:
            counted = (_("Đạt") if state.met else _("Chưa đạt")) if state.accepted else "—"
        elif state.value is not None:
            counted = vn_number(state.value)
            if target.measure_unit:
                counted += f" {target.measure_unit}"
        lines.append(
            TargetLine(
                target=target,
                state=state,
                bucket=bucket,
                owners=list(target.owners.all()),
                goal=goal_text(
                    target.comparator, target.value, target.value_text, target.measure_unit
                ),
                upper=goal_text(
                    target.upper_comparator,
                    target.upper_value,
                    target.upper_value_text,
                    target.measure_unit,
                ),
                counted=counted,
                accepted=value_display(state.accepted, target) if state.accepted else "",
                pending=value_display(state.pending, target) if state.pending else "",
                expected=expected,
            )
        )
    return lines


@dataclass
class PlanFigures:
    """What the commune dashboard shows before any filter: the leaf tasks, the targets and
    the warnings, each state computed once (the warnings read the states just derived)."""

    tasks: PlanTasks
    targets: list[TargetLine]
    warnings: list[Warning]


def plan_figures(plan: Plan, *, today: dt.date) -> PlanFigures:
    tasks = plan_task_lines(plan, today=today)
    targets = target_lines(plan, today=today)
    warnings = plan_warnings(
        plan,
        today=today,
        tasks=[line.task for line in tasks.lines],
        states={line.task.pk: line.state for line in tasks.lines},
        targets=[line.target for line in targets],
        target_states={line.target.pk: line.state for line in targets},
        closed=tasks.closed,
    )
    return PlanFigures(tasks=tasks, targets=targets, warnings=warnings)


def filter_targets(lines: Iterable[TargetLine], flt: TaskFilter) -> list[TargetLine]:
    """Targets under the group and unit filters (owners stand for lead units)."""
    kept = []
    for line in lines:
        if flt.group and line.target.group != ("" if flt.group == NO_GROUP else flt.group):
            continue
        owner_ids = {u.pk for u in line.owners}
        if flt.unit == NO_LEAD and owner_ids:
            continue
        if flt.unit_obj is not None and flt.unit_obj.pk not in owner_ids:
            continue
        kept.append(line)
    return kept


def target_counts(lines: Sequence[TargetLine]) -> list[tuple[str, str, str, int]]:
    """(key, label, css, count) for each target bucket."""
    return [
        (key, str(label), css, sum(1 for line in lines if line.bucket == key))
        for key, label, css in TARGET_BUCKETS
    ]


# --- warnings ---------------------------------------------------------------------------------


def filter_warnings(
    warnings: Iterable[Warning], flt: TaskFilter, *, unit_ids: set[int] | None = None
) -> list[Warning]:
    """Warnings under the group and unit filters (or about any of ``unit_ids``)."""
    kept = []
    for warning in warnings:
        item = warning.task or warning.target
        wanted = "" if flt.group == NO_GROUP else flt.group
        if flt.group and (item is None or item.group != wanted):
            continue
        if flt.unit == NO_LEAD and warning.unit_ids:
            continue
        if flt.unit_obj is not None and flt.unit_obj.pk not in warning.unit_ids:
            continue
        if unit_ids is not None and not unit_ids & set(warning.unit_ids):
            continue
        kept.append(warning)
    return kept


# --- reports expected, sent, late -------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    state: str
    sent_on: dt.date | None


def report_grid(plan: Plan, periods: Sequence[Period]) -> dict[tuple[int, int, int], Sent]:
    """The reports of ``periods`` (a lead unit's or a supporting unit's contribution):
    (task, period, unit) → state and send date."""
    if not periods:
        return {}
    rows = ProgressReport.objects.filter(task__plan=plan, period__in=list(periods)).values_list(
        "task_id", "period_id", "unit_id", "state", "sent_at"
    )
    return {
        (task_id, period_id, unit_id): Sent(
            state=state, sent_on=timezone.localdate(sent_at) if sent_at else None
        )
        for task_id, period_id, unit_id, state, sent_at in rows
    }


def needs_report(line: TaskLine, period: Period) -> bool:
    """Whether the task still needs a report for ``period`` (as the warnings judge it: a
    task needs reports until it is done; one done before the period began needs none)."""
    done_on = line.state.completed_on
    return not (done_on is not None and done_on <= period.starts_on)


@dataclass
class ReportTally:
    """Reports due by a set of units over a set of periods, and how they came in."""

    on_time: int = 0
    late: int = 0  # sent after the period's due date
    missing: int = 0  # not sent (none, draft or awaiting the unit head)

    @property
    def expected(self) -> int:
        return self.on_time + self.late + self.missing

    @property
    def ratio(self) -> Ratio:
        return Ratio(self.on_time, self.expected)


def tally_reports(
    lines: Iterable[TaskLine],
    periods: Sequence[Period],
    grid: Mapping[tuple[int, int, int], Sent],
    *,
    unit_ids: set[int] | None = None,
) -> dict[int, ReportTally]:
    """Per lead unit: the reports due in ``periods`` on ``lines``, on time, late, missing."""
    tallies: dict[int, ReportTally] = defaultdict(ReportTally)
    for line in lines:
        for period in periods:
            if not needs_report(line, period):
                continue
            for unit_id in line.lead_ids:
                if unit_ids is not None and unit_id not in unit_ids:
                    continue
                sent = grid.get((line.task.pk, period.pk, unit_id))
                tally = tallies[unit_id]
                if sent is None or sent.state != ReportState.SENT or sent.sent_on is None:
                    tally.missing += 1
                elif sent.sent_on <= period.due_on:
                    tally.on_time += 1
                else:
                    tally.late += 1
    return tallies


# --- the trend over periods ------------------------------------------------------------------


@dataclass
class TrendPoint:
    period: Period
    done: Ratio  # tasks done (accepted) by the period's end, out of all the tasks counted
    reports: ReportTally  # reports of the period: on time, late, missing


def trend(
    plan: Plan,
    lines: Sequence[TaskLine],
    closed: Sequence[Period],
    *,
    unit_ids: set[int] | None = None,
    grid: Mapping[tuple[int, int, int], Sent] | None = None,
) -> list[TrendPoint]:
    """For each closed period: the share of the tasks done by its end, and of its reports
    sent on time (those of ``unit_ids`` only, when the page is filtered by unit). ``grid``:
    ``report_grid`` of these periods (or more), when the page has read it already."""
    grid = report_grid(plan, closed) if grid is None else grid
    points = []
    for period in closed:
        done = sum(
            1
            for line in lines
            if line.state.completed_on is not None and line.state.completed_on <= period.ends_on
        )
        total = ReportTally()
        for tally in tally_reports(lines, [period], grid, unit_ids=unit_ids).values():
            total.on_time += tally.on_time
            total.late += tally.late
            total.missing += tally.missing
        points.append(TrendPoint(period=period, done=Ratio(done, len(lines)), reports=total))
    return points


# --- the reporting window ------------------------------------------------------------------


class WindowState:
    SENT = "sent"
    AWAITING_HEAD = "awaiting_head"
    DRAFT = "draft"
    MISSING = "missing"


WINDOW_LABELS = {
    WindowState.SENT: gettext_lazy("Đã gửi"),
    WindowState.AWAITING_HEAD: gettext_lazy("Chờ lãnh đạo đơn vị xác nhận"),
    WindowState.DRAFT: gettext_lazy("Đang soạn, chưa gửi"),
    WindowState.MISSING: gettext_lazy("Chưa báo cáo"),
}
WINDOW_CSS = {
    WindowState.SENT: "text-bg-success",
    WindowState.AWAITING_HEAD: "text-bg-info",
    WindowState.DRAFT: "text-bg-warning",
    WindowState.MISSING: "text-bg-danger",
}


@dataclass
class WindowTask:
    line: TaskLine
    state: str  # WindowState
    sent_on: dt.date | None
    late: bool  # sent after the period's due date
    stale: bool
    role: str = AssignmentRole.LEAD  # a supporting unit reports its contribution

    @property
    def supporting(self) -> bool:
        return self.role == AssignmentRole.SUPPORT

    @property
    def label(self) -> str:
        return str(WINDOW_LABELS[self.state])

    @property
    def css(self) -> str:
        return WINDOW_CSS[self.state]


@dataclass
class WindowUnit:
    unit: Unit
    tasks: list[WindowTask] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(1 for t in self.tasks if t.state == state)

    @property
    def sent(self) -> int:
        return self.count(WindowState.SENT)

    @property
    def awaiting_head(self) -> int:
        return self.count(WindowState.AWAITING_HEAD)

    @property
    def draft(self) -> int:
        return self.count(WindowState.DRAFT)

    @property
    def missing(self) -> int:
        return self.count(WindowState.MISSING)

    @property
    def stale(self) -> int:
        return sum(1 for t in self.tasks if t.stale)

    @property
    def has_reported(self) -> bool:
        """Every one of its tasks has a report sent to the standing office."""
        return self.sent == len(self.tasks)


@dataclass
class ReportingWindow:
    period: Period
    units: list[WindowUnit]
    stale_count: int

    @property
    def unreported(self) -> list[WindowUnit]:
        return [u for u in self.units if not u.has_reported]

    @property
    def task_count(self) -> int:
        return sum(len(u.tasks) for u in self.units)

    @property
    def sent_count(self) -> int:
        return sum(u.sent for u in self.units)


def reporting_window(
    data: PlanTasks, period: Period, *, flt: TaskFilter | None = None
) -> ReportingWindow:
    """For ``period``: each unit's tasks that need a report, and where each report is.

    A lead unit reports the task's progress; a supporting unit reports its contribution,
    which meets its own obligation here (it does not move the task's figure, see
    ``tracking.status``). A task nobody reported on for the two closed periods up to
    ``period`` (and not since) is flagged stale whatever its last self-reported status.
    """
    plan = data.plan
    lines = filter_lines(data.lines, flt, ignore_status=True) if flt else data.lines
    closed_upto = [p for p in data.closed if p.starts_on <= period.starts_on]
    stale = stale_task_ids(plan, lines, closed_upto, upto=period)
    grid = report_grid(plan, [period])
    units: dict[int, WindowUnit] = {}
    for line in lines:
        if not needs_report(line, period):
            continue
        assigned = [(u, AssignmentRole.LEAD) for u in line.leads]
        assigned += [(u, AssignmentRole.SUPPORT) for u in line.supports if u not in line.leads]
        for unit, role in assigned:
            if flt is not None and flt.unit_obj is not None and unit.pk != flt.unit_obj.pk:
                continue
            sent = grid.get((line.task.pk, period.pk, unit.pk))
            if sent is None:
                state = WindowState.MISSING
            elif sent.state == ReportState.SENT:
                state = WindowState.SENT
            elif sent.state == ReportState.AWAITING_HEAD:
                state = WindowState.AWAITING_HEAD
            else:
                state = WindowState.DRAFT
            sent_on = sent.sent_on if sent and state == WindowState.SENT else None
            units.setdefault(unit.pk, WindowUnit(unit=unit)).tasks.append(
                WindowTask(
                    line=line,
                    state=state,
                    sent_on=sent_on,
                    late=bool(sent_on and sent_on > period.due_on),
                    stale=line.task.pk in stale,
                    role=role,
                )
            )
    ordered = sorted(units.values(), key=lambda u: (u.has_reported, u.unit.name))
    return ReportingWindow(period=period, units=ordered, stale_count=len(stale))


# --- a unit's own dashboard -------------------------------------------------------------------


class Urgency:
    OVERDUE = "overdue"
    BEHIND = "behind"
    DUE_SOON = "due_soon"
    REST = "rest"


URGENCIES: list[tuple[str, Any, str]] = [
    (Urgency.OVERDUE, gettext_lazy("Quá hạn"), "border-danger"),
    (Urgency.BEHIND, gettext_lazy("Chậm tiến độ"), "border-warning"),
    (Urgency.DUE_SOON, gettext_lazy("Sắp đến hạn"), "border-info"),
    (Urgency.REST, gettext_lazy("Các việc còn lại"), "border-secondary"),
]


def task_urgency(line: TaskLine, plan: Plan, today: dt.date) -> str:
    """Overdue, behind its time-proportional schedule, due soon, or the rest (as the
    warnings judge them, with the plan's own threshold and notice)."""
    kinds = task_warning_kinds(line.task, plan, line.state, today)
    for kind, urgency in (
        (Kind.OVERDUE, Urgency.OVERDUE),
        (Kind.BEHIND, Urgency.BEHIND),
        (Kind.DUE_SOON, Urgency.DUE_SOON),
    ):
        if kind in kinds:
            return urgency
    return Urgency.REST


def target_urgency(line: TargetLine, plan: Plan, today: dt.date) -> str:
    """A target falls due at the year's end: off track is behind; not met within the
    plan's notice of the year's end is due soon."""
    if line.bucket == TargetBucket.MET:
        return Urgency.REST
    if line.bucket == TargetBucket.NOT_MET:
        return Urgency.OVERDUE
    if line.bucket == TargetBucket.OFF_TRACK:
        return Urgency.BEHIND
    year_end = dt.date(plan.year, 12, 31)
    if today > year_end:
        return Urgency.OVERDUE
    if (year_end - today).days <= plan.due_soon_days:
        return Urgency.DUE_SOON
    return Urgency.REST


@dataclass
class MineTask:
    line: TaskLine
    role: str
    unit: Unit
    urgency: str
    report_state: str  # this period's report of the unit: WindowState


@dataclass
class MineTarget:
    line: TargetLine
    unit: Unit
    urgency: str
    value: TargetValue | None  # this period's value of the unit


@dataclass
class UnitPlanWork:
    plan: Plan
    period: Period | None
    tasks: list[MineTask]
    targets: list[MineTarget]
    warnings: list[Warning]

    def tasks_in(self, urgency: str) -> list[MineTask]:
        return [t for t in self.tasks if t.urgency == urgency]

    def targets_in(self, urgency: str) -> list[MineTarget]:
        return [t for t in self.targets if t.urgency == urgency]

    @property
    def by_urgency(self) -> list[tuple[str, str, str, list[MineTask], list[MineTarget]]]:
        """(key, label, css, tasks, targets) for each urgency, most urgent first."""
        return [
            (key, str(label), css, self.tasks_in(key), self.targets_in(key))
            for key, label, css in URGENCIES
        ]

    @property
    def to_report(self) -> list[MineTask]:
        """Leaf tasks whose report for this period the unit has still to send."""
        if self.period is None:
            return []
        return [
            t
            for t in self.tasks
            if t.report_state != WindowState.SENT and needs_report(t.line, self.period)
        ]

    @property
    def values_to_report(self) -> list[MineTarget]:
        if self.period is None:
            return []
        return [t for t in self.targets if t.value is None or t.value.state != ReportState.SENT]


def unit_plan_work(plan: Plan, units: Sequence[Unit], *, today: dt.date) -> UnitPlanWork:
    """``units``' tasks (lead or support) and targets in ``plan``, by urgency; their
    warnings; and what they must report for the current period."""
    data = plan_task_lines(plan, today=today)
    period = current_period(plan, today)
    unit_ids = {u.pk for u in units}
    mine: list[tuple[TaskLine, Unit, str]] = []
    for line in data.lines:
        for role, assigned in (
            (AssignmentRole.LEAD, line.leads),
            (AssignmentRole.SUPPORT, line.supports),
        ):
            unit = next((u for u in assigned if u.pk in unit_ids), None)
            if unit is not None:
                mine.append((line, unit, role))
                break
    reports: dict[tuple[int, int], str] = {}
    if period is not None:
        rows = ProgressReport.objects.filter(
            period=period, unit_id__in=unit_ids, task__plan=plan
        ).values_list("task_id", "unit_id", "state")
        reports = {(task_id, unit_id): state for task_id, unit_id, state in rows}
    tasks = [
        MineTask(
            line=line,
            role=role,
            unit=unit,
            urgency=task_urgency(line, plan, today),
            report_state=reports.get((line.task.pk, unit.pk), WindowState.MISSING),
        )
        for line, unit, role in mine
    ]
    targets: list[MineTarget] = []
    owned = [
        (tline, next(u for u in tline.owners if u.pk in unit_ids))
        for tline in target_lines(plan, today=today)
        if any(u.pk in unit_ids for u in tline.owners)
    ]
    values: dict[tuple[int, int], TargetValue] = {}
    if period is not None and owned:
        values = {
            (tv.target_id, tv.unit_id): tv
            for tv in TargetValue.objects.filter(
                period=period, unit_id__in=unit_ids, target__plan=plan
            )
        }
    for tline, unit in owned:
        targets.append(
            MineTarget(
                line=tline,
                unit=unit,
                urgency=target_urgency(tline, plan, today),
                value=values.get((tline.target.pk, unit.pk)),
            )
        )
    warnings = [w for w in plan_warnings(plan, today=today) if unit_ids & set(w.unit_ids)]
    return UnitPlanWork(plan=plan, period=period, tasks=tasks, targets=targets, warnings=warnings)


def plan_periods(plan: Plan) -> list[Period]:
    """The plan's reporting periods, in order (created when missing)."""
    return periods_ensure(plan=plan)
