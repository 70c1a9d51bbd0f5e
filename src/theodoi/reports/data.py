"""What a periodic report says, gathered once; the DOCX, the XLSX and the page all render it.

Every figure comes from ``tracking.status`` (``task_states`` / ``target_states``), the
functions behind the dashboards, read at the report's data cut-off (``as_of``): the report
and a dashboard looked at on the cut-off day count the same tasks and targets the same way.
Counting rule, as on the dashboards: a general task (one with sub-tasks) speaks through its
children, so only leaf tasks are counted; general tasks appear in the annex as headings.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from theodoi.alerts.rules import Kind, Warning, plan_warnings
from theodoi.lib.numbers import vn_number
from theodoi.plans.models import (
    AssignmentRole,
    Comparator,
    DeadlineKind,
    Plan,
    Target,
    TargetKind,
    Task,
    TaskAssignment,
)
from theodoi.tracking.models import ProgressReport, ReportState, TaskStatus
from theodoi.tracking.queries import due_text, goal_text
from theodoi.tracking.status import (
    JUDGEMENTS,
    Bucket,
    Judgement,
    TargetState,
    TaskState,
    bucket_of,
    counted_as_of,
    judgement,
    target_states,
    task_states,
)
from theodoi.units.models import Unit

from .ranges import ReportRange
from .text import is_party_plan

# Evaluations as the tables write them: words, never symbols.
DONE = "Hoàn thành"
IN_PROGRESS = "Đang thực hiện"
NOT_STARTED = "Chưa thực hiện"
MET = "Đạt"
NOT_MET = "Chưa đạt"
NO_DATA = "Chưa có số liệu"


def evaluation_of(state: TaskState) -> str:
    if state.done:
        return _(DONE)
    if state.status == TaskStatus.NOT_STARTED:
        return _(NOT_STARTED)
    return _(IN_PROGRESS)


@dataclass
class TaskRow:
    task: Task
    state: TaskState
    leads: list[str]
    supports: list[str]
    is_parent: bool
    group: str

    @property
    def evaluation(self) -> str:
        return evaluation_of(self.state)

    @property
    def note(self) -> str:
        """What the evaluation word leaves out: late, awaiting review, evidence rejected."""
        label = self.state.label
        return "" if label == self.evaluation else label

    @property
    def lead_text(self) -> str:
        return "; ".join(self.leads)

    @property
    def due_text(self) -> str:
        return due_text(self.task)

    @property
    def bucket(self) -> str:
        """The task's one bucket, as on every dashboard (``tracking.status.bucket_of``)."""
        return bucket_of(self.state)


@dataclass
class TargetRow:
    target: Target
    state: TargetState
    owners: list[str]
    goal: str
    upper: str
    judgement: str  # tracking.status.Judgement at the report's cut-off

    @property
    def evaluation(self) -> str:
        """ "Đạt"; before the year's end "Chưa đạt, đúng tiến độ" or "Chưa đạt, chậm tiến
        độ"; "Không đạt" only once it is over; "Chưa có số liệu"."""
        if self.judgement == Judgement.NO_DATA:
            return _(NO_DATA)
        return str(dict((key, label) for key, label, _css in JUDGEMENTS)[self.judgement])

    @property
    def result(self) -> str:
        """The counted figure as written: "84,5 %", "Đạt", or "—" with no accepted value."""
        if self.state.accepted is None:
            return "—"
        if self.target.kind == TargetKind.QUALITATIVE:
            return _(MET) if self.state.met else _(NOT_MET)
        if self.state.value is None:
            return "—"
        unit = self.target.measure_unit
        return f"{vn_number(self.state.value)}{' ' + unit if unit else ''}"

    @property
    def rate(self) -> Decimal | None:
        """Share of the goal reached (%), for a count or a rate to reach; else None."""
        target = self.target
        if (
            target.kind != TargetKind.QUANTITATIVE
            or self.state.value is None
            or not target.value
            or (target.comparator or Comparator.GTE) not in (Comparator.GTE, Comparator.GT)
        ):
            return None
        return (self.state.value * 100 / target.value).quantize(Decimal("0.1"))


@dataclass
class GroupResult:
    name: str
    rows: list[TaskRow] = field(default_factory=list)

    def of(self, *buckets: str) -> list[TaskRow]:
        return [r for r in self.rows if r.bucket in buckets]

    @property
    def done(self) -> list[TaskRow]:
        return self.of("done")

    @property
    def late(self) -> list[TaskRow]:
        return self.of("late")

    @property
    def in_progress(self) -> list[TaskRow]:
        return self.of("in_progress")

    @property
    def awaiting(self) -> list[TaskRow]:
        """Reported done, evidence awaiting review or rejected; or paused."""
        return self.of(Bucket.PENDING, Bucket.REJECTED, Bucket.PAUSED)

    @property
    def not_started(self) -> list[TaskRow]:
        return self.of("not_started")


@dataclass(frozen=True)
class Remark:
    """A unit's text from its reports: a result, a difficulty or a proposal."""

    unit: str
    task_code: str
    task_name: str
    text: str


@dataclass
class PeriodicReport:
    plan: Plan
    rng: ReportRange
    as_of: dt.date  # the cut-off actually used (today, when the period is still open)
    issued_on: dt.date
    party: bool
    rows: list[TaskRow]  # every task in plan order, general tasks included
    targets: list[TargetRow]
    warnings: list[Warning]
    results: list[Remark]
    difficulties: list[Remark]
    proposals: list[Remark]
    standing_office: str
    unit_names: dict[int, str]

    @property
    def leaves(self) -> list[TaskRow]:
        return [r for r in self.rows if not r.is_parent]

    @property
    def groups(self) -> list[GroupResult]:
        groups: dict[str, GroupResult] = {}
        for row in self.leaves:
            groups.setdefault(row.group, GroupResult(row.group or _("Nhiệm vụ khác")))
            groups[row.group].rows.append(row)
        return list(groups.values())

    def count(self, *buckets: str) -> int:
        return sum(1 for r in self.leaves if r.bucket in buckets)

    @property
    def targets_met(self) -> int:
        return sum(1 for t in self.targets if t.state.met)

    @property
    def targets_without_data(self) -> int:
        return sum(1 for t in self.targets if t.state.accepted is None)

    @property
    def next_tasks(self) -> list[TaskRow]:
        """Leaf tasks not done that are late or due within three months of the cut-off, and
        recurring ones: the work of the coming period."""
        horizon = self.as_of + dt.timedelta(days=92)
        found = []
        for row in self.leaves:
            if row.state.done:
                continue
            task = row.task
            dated = task.deadline_kind == DeadlineKind.DATE and task.due_on is not None
            if row.state.late or not dated or (task.due_on and task.due_on <= horizon):
                found.append(row)
        return found

    @property
    def warnings_shown(self) -> list[tuple[str, str]]:
        """(kind, text) of each warning; missing reports are summed per unit, since a year
        of them would bury everything else."""
        lines: list[tuple[str, str]] = []
        missing: dict[str, int] = defaultdict(int)
        for warning in self.warnings:
            if warning.kind == Kind.REPORT_MISSING:
                for unit_id in warning.unit_ids:
                    missing[self.unit_names.get(unit_id, "")] += len(warning.periods)
                continue
            lines.append((warning.kind_label, warning.reason))
        for unit, count in sorted(missing.items()):
            lines.append(
                (
                    _("Thiếu báo cáo"),
                    _("%(unit)s chưa gửi %(n)d báo cáo tiến độ đến hạn.")
                    % {"unit": unit, "n": count},
                )
            )
        return lines


def _names(units: Sequence[Unit], other: Sequence[str]) -> list[str]:
    return [u.name for u in units] + [str(o) for o in other]


def task_rows(plan: Plan, *, as_of: dt.date) -> list[TaskRow]:
    tasks = list(
        plan.tasks.prefetch_related(
            Prefetch("assignments", queryset=TaskAssignment.objects.select_related("unit"))
        )
    )
    states = task_states(tasks, today=as_of)
    by_pk = {t.pk: t for t in tasks}
    parents = {t.parent_id for t in tasks if t.parent_id is not None}
    rows = []
    for task in tasks:
        assignments = list(task.assignments.all())
        leads = [a.unit for a in assignments if a.role == AssignmentRole.LEAD]
        supports = [a.unit for a in assignments if a.role == AssignmentRole.SUPPORT]
        parent = by_pk.get(task.parent_id) if task.parent_id else None
        rows.append(
            TaskRow(
                task=task,
                state=states[task.pk],
                leads=_names(leads, task.lead_other),
                supports=_names(supports, task.support_other),
                is_parent=task.pk in parents,
                group=task.group or (parent.group if parent else ""),
            )
        )
    return rows


def target_rows(plan: Plan, *, as_of: dt.date) -> list[TargetRow]:
    targets = list(plan.targets.prefetch_related("owners"))
    states = target_states(targets, as_of=as_of)
    return [
        TargetRow(
            target=t,
            state=states[t.pk],
            owners=_names(list(t.owners.all()), t.owners_other),
            goal=goal_text(t.comparator, t.value, t.value_text, t.measure_unit),
            upper=goal_text(t.upper_comparator, t.upper_value, t.upper_value_text, t.measure_unit),
            judgement=judgement(t, states[t.pk], plan, as_of),
        )
        for t in targets
    ]


class ReportText(NamedTuple):
    """What the remarks read of one sent report: who wrote about which task, and its texts."""

    unit_id: int
    task_id: int
    unit: str
    task_code: str
    task_name: str
    done: str
    difficulties: str
    proposals: str


def period_reports(plan: Plan, rng: ReportRange, *, as_of: dt.date) -> list[ReportText]:
    """The sent reports (the lead's and the supporting units') about the period: those whose
    tracking period overlaps it and that count at the cut-off, in the remarks' order. Rows
    of values, not report objects: a year holds hundreds of reports, and the remarks read
    only their texts and names."""
    rows = (
        ProgressReport.objects.filter(
            task__plan=plan,
            state=ReportState.SENT,
            period__ends_on__gte=rng.period_start,
            period__starts_on__lte=rng.end,
        )
        .filter(counted_as_of(as_of))
        .order_by("task__position", "unit__name", "-period__starts_on")
        .values_list("unit_id", "task_id", "unit__name", "task__code", "task__name", *REMARK_FIELDS)
    )
    return [ReportText(*row) for row in rows]


REMARK_FIELDS = ("done", "difficulties", "proposals")


def _remarks(reports: Sequence[ReportText], attr: str, *, latest: bool = False) -> list[Remark]:
    """One line per unit, task and text: a difficulty repeated month after month once. With
    ``latest``, only each unit's latest text on a task (results build on each other)."""
    seen: set[tuple[int, int, str]] = set()
    found = []
    for report in reports:
        text = " ".join(str(getattr(report, attr) or "").split())
        key = (report.unit_id, report.task_id, "" if latest else text)
        if not text or key in seen:
            continue
        seen.add(key)
        found.append(Remark(report.unit, report.task_code, report.task_name, text))
    return found


def build_report(
    plan: Plan,
    rng: ReportRange,
    *,
    today: dt.date | None = None,
    issued_on: dt.date | None = None,
) -> PeriodicReport:
    """The report of ``plan`` for ``rng``; a period still open is read as of ``today``."""
    today = today or timezone.localdate()
    as_of = min(rng.end, today)
    reports = period_reports(plan, rng, as_of=as_of)
    units = list(plan.commune.units.all())
    office = next((u for u in units if u.is_standing_office), None)
    rows = task_rows(plan, as_of=as_of)
    targets = target_rows(plan, as_of=as_of)
    # The states just read serve the warnings too: each is computed once per report.
    warnings = plan_warnings(
        plan,
        today=as_of,
        tasks=[row.task for row in rows],
        states={row.task.pk: row.state for row in rows},
        targets=[row.target for row in targets],
        target_states={row.target.pk: row.state for row in targets},
    )
    return PeriodicReport(
        plan=plan,
        rng=rng,
        as_of=as_of,
        issued_on=issued_on or today,
        party=is_party_plan(plan),
        rows=rows,
        targets=targets,
        warnings=warnings,
        results=_remarks(reports, "done", latest=True),
        difficulties=_remarks(reports, "difficulties"),
        proposals=_remarks(reports, "proposals"),
        standing_office=office.name if office else "",
        unit_names={u.pk: u.name for u in units},
    )


def figures(report: PeriodicReport) -> dict[str, Any]:
    """The report's headline figures (the page shows them; tests compare them)."""
    leaves = report.leaves
    return {
        "tasks": len(leaves),
        "done": report.count("done"),
        "in_progress": report.count("in_progress"),
        "awaiting": report.count(Bucket.PENDING, Bucket.REJECTED, Bucket.PAUSED),
        "late": report.count("late"),
        "not_started": report.count("not_started"),
        "targets": len(report.targets),
        "targets_met": report.targets_met,
        "targets_without_data": report.targets_without_data,
        "warnings": len(report.warnings),
    }
