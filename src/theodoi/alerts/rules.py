"""The warnings (cảnh báo), derived from the data as of a day — never stored copies.

The one place for warning classification: which kinds a task or a target raises
(``task_warning_kinds``, ``target_warning_kind``), which reports are missing
(``missing_reports``), all computed in bulk for any number of plans. ``plan_warnings``
words them for people; ``warning_counts`` counts them for the province (same functions).

One warning per task (or target) and rule: a unit that missed five periods' reports on a
task gets one "5 kỳ chưa báo cáo", not five. Each warning has a stable ``key`` so that
acknowledging it can be recorded and a digest can tell what is new since the last one (a
newly missed period makes a new key).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, cast

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.lookups import GreaterThan, IsNull
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from theodoi.lib.numbers import vn_number
from theodoi.plans.models import AssignmentRole, DeadlineKind, Plan, Target, Task, TaskAssignment
from theodoi.tracking.models import Period, ProgressReport, ReportState, ReviewStatus, TargetValue
from theodoi.tracking.status import (
    Completion,
    Judgement,
    TargetState,
    TaskState,
    counted_as_of,
    judgement,
    leaves_of,
    plan_start,
    target_states,
    task_states,
)


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
    period: Period | None = None  # the latest period a missing-report warning counts
    periods: tuple[Period, ...] = ()  # every period it counts, in order

    @property
    def kind_label(self) -> str:
        return _(KIND_LABELS[self.kind])


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


def task_warning_kinds(task: Task, plan: Plan, state: TaskState, today: dt.date) -> list[str]:
    """The kinds a leaf task raises on ``today``: evidence rejected; then, for a dated task
    not done, overdue — or else behind its time-proportional schedule and/or due soon."""
    kinds = []
    if state.completion == Completion.REJECTED:
        kinds.append(Kind.EVIDENCE_REJECTED)
    if state.done or task.deadline_kind != DeadlineKind.DATE or task.due_on is None:
        return kinds
    days_left = (task.due_on - today).days
    if days_left < 0:
        return [*kinds, Kind.OVERDUE]
    expected = expected_percent(task, plan, today)
    if expected is not None and is_behind(state.percent, expected, plan.behind_threshold):
        kinds.append(Kind.BEHIND)
    if days_left <= plan.due_soon_days:
        kinds.append(Kind.DUE_SOON)
    return kinds


def target_warning_kind(target: Target, plan: Plan, state: TargetState, today: dt.date) -> bool:
    """Whether the target is off track on ``today``: behind the time elapsed, or not met
    once its year is over (a count on track for year end raises nothing)."""
    return judgement(target, state, plan, today) in (Judgement.OFF_TRACK, Judgement.NOT_MET)


def rejected_values(plans: Sequence[Plan] | QuerySet[Plan]) -> QuerySet[TargetValue]:
    """Target values sent back by the office and not yet sent again."""
    return TargetValue.objects.filter(
        target__plan__in=plans, review=ReviewStatus.REJECTED, state=ReportState.DRAFT
    )


def rejected_target_ids(plans: Sequence[Plan]) -> set[int]:
    """Targets whose value was sent back and not yet sent again."""
    return set(rejected_values(plans).values_list("target_id", flat=True))


def closed_periods_of(plans: Sequence[Plan], today: dt.date) -> dict[int, list[Period]]:
    """Per plan, the periods whose reports were due before ``today``, since the plan came
    into force, in order (one query for all the plans)."""
    since = {p.pk: plan_since(p) for p in plans}
    periods: dict[int, list[Period]] = defaultdict(list)
    for period in Period.objects.filter(plan__in=plans, due_on__lt=today).order_by("starts_on"):
        if period_in_force(period, since[period.plan_id]):
            periods[period.plan_id].append(period)
    return periods


def plan_since(plan: Plan) -> dt.date:
    """The day the plan came into force: reports are asked for from then on."""
    return plan.activated_at.date() if plan.activated_at else plan_start(plan)


def period_in_force(period: Period, since: dt.date) -> bool:
    """Whether the plan asks for reports on ``period``: it had not ended when the plan came
    into force (``plan_since``). Closed by day D when, besides, ``period.due_on < D``."""
    return period.ends_on >= since


def report_owed(completed_on: dt.date | None, period: Period) -> bool:
    """Whether a leaf task's lead units owe a report for ``period``: a dated task until it is
    done, a recurring one every period (``completed_on`` is None until done)."""
    return completed_on is None or completed_on > period.starts_on


def report_owed_sql(completed_on: Any, starts_on: Any) -> Q:
    """``report_owed`` for the database: ``completed_on`` is the task's completion day and
    ``starts_on`` the period's start, each an expression (``F``, ``OuterRef``), from
    whichever side of a query they come. The same rule; the summaries' tests hold the two
    equal."""
    return Q(IsNull(completed_on, True)) | Q(GreaterThan(completed_on, starts_on))


def closed_periods(plan: Plan, today: dt.date) -> list[Period]:
    """Periods whose reports are past due, since the plan came into force."""
    return closed_periods_of([plan], today).get(plan.pk, [])


def missing_reports(
    plans: Sequence[Plan],
    leaves: Sequence[Task],
    states: dict[int, TaskState],
    leads: dict[int, list[int]],
    today: dt.date,
    *,
    periods: dict[int, list[Period]] | None = None,
) -> dict[tuple[int, int], list[Period]]:
    """(leaf task, lead unit) → the periods it sent no report for, as of ``today`` (the
    reports that count then: ``counted_as_of``). A dated task needs reports until it is done;
    a recurring one every period. ``periods`` (plan → periods) defaults to the periods
    already closed (the warning); a reminder asks about the period it names. Two queries
    for all the plans."""
    periods = closed_periods_of(plans, today) if periods is None else periods
    asked = [period for plan_periods in periods.values() for period in plan_periods]
    if not asked:
        return {}
    sent = set(
        ProgressReport.objects.filter(
            period__in=asked, state=ReportState.SENT, is_contribution=False
        )
        .filter(counted_as_of(today))
        .values_list("task_id", "period_id", "unit_id")
    )
    missing: dict[tuple[int, int], list[Period]] = {}
    for task in leaves:
        done_on = states[task.pk].completed_on
        for period in periods.get(task.plan_id, ()):
            if not report_owed(done_on, period):
                continue
            for unit_id in leads.get(task.pk, ()):
                if (task.pk, period.pk, unit_id) not in sent:
                    missing.setdefault((task.pk, unit_id), []).append(period)
    return missing


def lead_ids_of(plans: Sequence[Plan]) -> dict[int, list[int]]:
    """Task → its lead units, in their order (one query)."""
    leads: dict[int, list[int]] = defaultdict(list)
    for task_id, unit_id in (
        TaskAssignment.objects.filter(task__plan__in=plans, role=AssignmentRole.LEAD)
        .order_by("position")
        .values_list("task_id", "unit_id")
    ):
        leads[task_id].append(unit_id)
    return leads


def warning_counts(
    *,
    plans: Sequence[Plan],
    tasks: Sequence[Task],
    states: dict[int, TaskState],
    leads: dict[int, list[int]],
    targets: Sequence[Target],
    target_states: dict[int, TargetState],
    today: dt.date,
) -> dict[int, Counter[str]]:
    """For each plan, how many warnings of each kind ``plan_warnings`` gives, by the same
    rules, in two queries for all the plans together (tasks, targets and states passed in)."""
    counts: dict[int, Counter[str]] = {p.pk: Counter() for p in plans}
    plan_by_id = {p.pk: p for p in plans}
    leaves = leaves_of(tasks)
    for task in leaves:
        plan = plan_by_id[task.plan_id]
        counts[plan.pk].update(task_warning_kinds(task, plan, states[task.pk], today))
    plan_of = {t.pk: t.plan_id for t in leaves}
    for task_id, _unit_id in missing_reports(plans, leaves, states, leads, today):
        counts[plan_of[task_id]][Kind.REPORT_MISSING] += 1
    rejected = rejected_target_ids(plans)
    for target in targets:
        if target.pk in rejected:
            counts[target.plan_id][Kind.EVIDENCE_REJECTED] += 1
        plan = plan_by_id[target.plan_id]
        if target_warning_kind(target, plan, target_states[target.pk], today):
            counts[target.plan_id][Kind.TARGET_OFF_TRACK] += 1
    return counts


def plan_warnings(
    plan: Plan,
    *,
    today: dt.date,
    tasks: Sequence[Task] | None = None,
    states: dict[int, TaskState] | None = None,
    targets: Sequence[Target] | None = None,
    target_states: dict[int, TargetState] | None = None,
    closed: Sequence[Period] | None = None,
) -> list[Warning]:
    """Every warning of the plan as of ``today``, most severe first.

    A page that has already read the plan's tasks (their ``assignments`` prefetched with
    their units) and their states as of ``today``, its targets (``owners`` prefetched) and
    their states, or its closed periods, passes them in: each is then computed once per
    request, not once for the page and again for its warnings.
    """
    if tasks is None or states is None:
        tasks = list(
            plan.tasks.prefetch_related(
                Prefetch("assignments", queryset=TaskAssignment.objects.select_related("unit"))
            )
        )
        states = task_states(tasks, today=today)
    units = {a.unit_id: a.unit.name for t in tasks for a in t.assignments.all()}
    leaves = leaves_of(tasks)
    warnings: list[Warning] = []
    for task in leaves:
        warnings += _task_warnings(task, plan, states[task.pk], today, units)
    leads = {t.pk: list(_lead_ids(t)) for t in leaves}
    periods = {plan.pk: list(closed)} if closed is not None else None
    warnings += _missing_reports(plan, leaves, states, leads, today, units, periods)
    warnings += _target_warnings(plan, today, targets, target_states)
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
    about = {"code": task.code, "name": task.name, "who": who, "percent": state.percent}
    due = f"{task.due_on:%d/%m/%Y}" if task.due_on else ""
    days_left = (task.due_on - today).days if task.due_on else 0
    for kind in task_warning_kinds(task, plan, state, today):
        if kind == Kind.EVIDENCE_REJECTED:
            reason = _(
                'Nhiệm vụ %(code)s "%(name)s" (%(who)s): minh chứng hoàn thành không đạt '
                "và chưa được thay thế."
            )
            severity = Severity.HIGH
        elif kind == Kind.OVERDUE:
            reason = _(
                'Nhiệm vụ %(code)s "%(name)s" (%(who)s) quá hạn %(days)d ngày '
                "(hạn %(due)s), mới đạt %(percent)d%%."
            )
            about |= {"days": -days_left, "due": due}
            severity = Severity.HIGH
        elif kind == Kind.BEHIND:
            reason = _(
                'Nhiệm vụ %(code)s "%(name)s" (%(who)s) chậm tiến độ: đạt %(percent)d%% '
                "trong khi theo thời gian cần khoảng %(expected)d%%."
            )
            about |= {"expected": round(expected_percent(task, plan, today) or 0)}
            severity = Severity.MEDIUM
        else:
            reason = _(
                'Nhiệm vụ %(code)s "%(name)s" (%(who)s) đến hạn sau %(days)d ngày (%(due)s).'
            )
            about |= {"days": days_left, "due": due}
            severity = Severity.LOW
        found.append(_about_task(task, kind, severity, reason % about))
    return found


def _missing_reports(
    plan: Plan,
    leaves: Sequence[Task],
    states: dict[int, TaskState],
    leads: dict[int, list[int]],
    today: dt.date,
    units: dict[int, str],
    closed: dict[int, list[Period]] | None = None,
) -> list[Warning]:
    by_pk = {t.pk: t for t in leaves}
    found: list[Warning] = []
    for (task_id, unit_id), periods in missing_reports(
        [plan], leaves, states, leads, today, periods=closed
    ).items():
        task = by_pk[task_id]
        latest = periods[-1]
        count = len(periods)
        found.append(
            Warning(
                key=f"{Kind.REPORT_MISSING}:{task.public_id}:{latest.public_id}:{unit_id}",
                kind=Kind.REPORT_MISSING,
                severity=Severity.MEDIUM,
                reason=ngettext(
                    '%(unit)s: %(n)d kỳ chưa báo cáo về nhiệm vụ %(code)s "%(name)s" '
                    "(%(periods)s; hạn gửi %(due)s).",
                    '%(unit)s: %(n)d kỳ chưa báo cáo về nhiệm vụ %(code)s "%(name)s" '
                    "(%(periods)s; hạn gửi kỳ gần nhất %(due)s).",
                    count,
                )
                % {
                    "unit": units.get(unit_id, ""),
                    "n": count,
                    "periods": latest.label
                    if count == 1
                    else _("từ %(a)s đến %(b)s") % {"a": periods[0].label, "b": latest.label},
                    "code": task.code,
                    "name": task.name,
                    "due": f"{latest.due_on:%d/%m/%Y}",
                },
                task=task,
                unit_ids=(unit_id,),
                period=latest,
                periods=tuple(periods),
            )
        )
    return found


def _target_warnings(
    plan: Plan,
    today: dt.date,
    targets: Sequence[Target] | None = None,
    states: dict[int, TargetState] | None = None,
) -> list[Warning]:
    if targets is None or states is None:
        targets = list(plan.targets.prefetch_related("owners"))
        states = target_states(targets, as_of=today)
    rejected = rejected_target_ids([plan])
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
        if target_warning_kind(target, plan, state, today):
            value = vn_number(state.value)
            if value and target.measure_unit:
                value += f" {target.measure_unit}"
            found.append(
                Warning(
                    key=f"{Kind.TARGET_OFF_TRACK}:{target.public_id}",
                    kind=Kind.TARGET_OFF_TRACK,
                    severity=Severity.MEDIUM,
                    reason=_(
                        'Chỉ tiêu %(code)s "%(name)s" (%(who)s): giá trị được chấp nhận '
                        "%(value)s chưa đạt %(goal)s."
                    )
                    % {
                        "code": target.code,
                        "name": target.name,
                        "who": who,
                        "value": value or "—",
                        "goal": target.value_text or target.get_comparator_display(),
                    },
                    target=target,
                    unit_ids=owners,
                )
            )
    return found


def warnings_by_unit(warnings: Sequence[Warning]) -> dict[int, list[Warning]]:
    grouped: dict[int, list[Warning]] = defaultdict(list)
    for warning in warnings:
        for unit_id in warning.unit_ids:
            grouped[unit_id].append(warning)
    return grouped


# --- the same counts from the summaries, for many communes ------------------------------------


class _TaskFacts(NamedTuple):
    """What ``task_warning_kinds`` reads of a task (narrow rows, no model object)."""

    deadline_kind: str
    due_on: dt.date | None
    starts_on: dt.date | None


class _PlanFacts(NamedTuple):
    """What ``task_warning_kinds`` reads of a plan."""

    issued_on: dt.date | None
    year: int
    behind_threshold: int
    due_soon_days: int


def area_warning_counts(
    plans: QuerySet[Plan], *, key: str, today: dt.date
) -> dict[int, Counter[str]]:
    """``warning_counts`` of ``plans`` as of ``today`` (today or later: the summaries hold
    the current state) per commune (``key="commune_id"``) or province
    (``"commune__province_id"``): the same rules (``task_warning_kinds``, the judgement of
    ``target_warning_kind``, ``missing_reports``' owed periods and ``report_owed``), read
    from ``theodoi.summaries`` as narrow rows streamed from the database — the memory stays
    bounded whatever the number of communes — in four queries.
    """
    # Imported here: the summaries are kept with these rules, not the other way round.
    from theodoi.summaries.models import LeadSummary, TargetSummary, TaskSummary

    counts: dict[int, Counter[str]] = defaultdict(Counter)
    # The leaf tasks grouped by what ``task_warning_kinds`` reads of them, their state and
    # their plan: the rule runs once per distinct group (many tasks share their deadline,
    # percent and plan settings), its kinds counted as many times as the group has tasks.
    groups = (
        TaskSummary.objects.filter(plan__in=plans, is_leaf=True)
        .order_by()
        .values_list(
            key,
            "percent",
            "completion",
            "task__deadline_kind",
            "task__due_on",
            "task__starts_on",
            "plan__issued_on",
            "plan__year",
            "plan__behind_threshold",
            "plan__due_soon_days",
        )
        .annotate(n=Count("pk"))
    )
    for area_id, percent, completion, kind, due_on, starts_on, *plan, n in groups:
        state = TaskState("", percent, completion, False, None, None)
        task = cast(Task, _TaskFacts(kind, due_on, starts_on))
        for found in task_warning_kinds(task, cast(Plan, _PlanFacts(*plan)), state, today):
            counts[area_id][found] += n

    # A (leaf task, lead unit) owing a report (``report_owed``) for a period in force closed
    # by today, and without it: one warning per task and unit, however many periods — the
    # unit's first unsent report due before today (``LeadSummary``).
    missing = (
        LeadSummary.objects.filter(plan__in=plans, first_missing_due_on__lt=today)
        .order_by()
        .values(area_id=F(key))
        .annotate(n=Count("pk"))
    )
    for row in missing:
        counts[row["area_id"]][Kind.REPORT_MISSING] += row["n"]

    off_track = Q(has_accepted=True, met=False) & ~Q(on_track_until__gte=today)
    for row in (
        TargetSummary.objects.filter(plan__in=plans)
        .order_by()
        .values(area_id=F(key))
        .annotate(n=Count("pk", filter=off_track))
    ):
        counts[row["area_id"]][Kind.TARGET_OFF_TRACK] += row["n"]
    for row in (
        rejected_values(plans)
        .order_by()
        .values(area_id=F(key))
        .annotate(n=Count("target_id", distinct=True))
    ):
        counts[row["area_id"]][Kind.EVIDENCE_REJECTED] += row["n"]
    return counts
