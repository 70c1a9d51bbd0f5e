"""The province's view: its communes side by side, and one indicator compared across them.

Everything is read in a fixed number of queries whatever the number of communes, tasks or
reports: the tasks and targets of every commune's plan are fetched together, and the
warnings are counted by the rules of ``alerts.rules.plan_warnings`` on those bulk reads —
``plan_warnings`` itself costs several queries per plan, which for a province of a hundred
communes would be a thousand queries.

The task and target states are those of ``tracking.status`` (tests compare them), but read
so that only each task's latest report and each target's latest values leave the database:
``task_states`` loads every report of the year (24,000 rows for a hundred communes), which
alone would take the page over its one-second budget.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, OrderBy, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils.translation import gettext as _

from theodoi.accounts import policy
from theodoi.accounts.access import AnyUser
from theodoi.alerts.rules import KIND_LABELS, Kind, expected_percent, is_behind, plan_start
from theodoi.plans.models import (
    AssignmentRole,
    DeadlineKind,
    Indicator,
    Plan,
    Target,
    Task,
    TaskAssignment,
)
from theodoi.tracking.models import (
    Period,
    ProgressReport,
    ReportState,
    ReviewStatus,
    TargetValue,
    TaskStatus,
)
from theodoi.tracking.queries import format_vn_number
from theodoi.tracking.status import (
    Completion,
    TargetState,
    TaskState,
    _completion,
    _is_late,
    meets,
    roll_up,
)
from theodoi.units.models import Commune, Province

from .queries import Bucket, Ratio, TaskLine
from .ranking import on_time_completion

# The order the warning kinds are shown in: most severe first, as in plan_warnings.
WARNING_KINDS: tuple[str, ...] = (
    Kind.OVERDUE,
    Kind.EVIDENCE_REJECTED,
    Kind.BEHIND,
    Kind.REPORT_MISSING,
    Kind.TARGET_OFF_TRACK,
    Kind.DUE_SOON,
)


def get_province_for_user(user: AnyUser, code: str) -> Province:
    """The province, for a system administrator or one of its province officers; else 404."""
    province = Province.objects.filter(code=code).first()
    if province is None or not policy.may(user, policy.Action.VIEW_PROVINCE, province):
        raise Http404
    return province


def provinces_for_user(user: AnyUser) -> list[Province]:
    """The provinces whose dashboard ``user`` may open."""
    return policy.provinces_for(user, policy.Action.VIEW_PROVINCE)


# --- one commune's line ---------------------------------------------------------------------


@dataclass
class CommuneRow:
    """One commune's figures for its active plan of the year (zeros without a plan).

    Tasks are the plan's leaf tasks, as in the commune's task list and dashboard (a general
    task speaks through its sub-tasks), each in one bucket of ``queries.bucket_of``; so
    every count here is the length of that list under the same status filter.
    """

    commune: Commune
    plan: Plan | None = None
    tasks_total: int = 0
    tasks_done: int = 0
    # Bucket "late": not done, not awaiting or failing review, past its deadline.
    tasks_late: int = 0
    # Dated tasks due by today (or done already), and those of them done on time: the
    # commune ranking's "on-time completion" (ranking.on_time_completion).
    tasks_due: int = 0
    tasks_on_time: int = 0
    # The plan's progress: its top-level tasks' rolled-up percent, weighted.
    progress: float | None = None
    warnings: dict[str, int] = field(default_factory=lambda: dict.fromkeys(WARNING_KINDS, 0))
    targets_total: int = 0
    targets_met: int = 0
    rank: int | None = None

    @property
    def completion_ratio(self) -> Ratio:
        return Ratio(self.tasks_done, self.tasks_total)

    @property
    def on_time_ratio(self) -> Ratio:
        return Ratio(self.tasks_on_time, self.tasks_due)

    @property
    def targets_ratio(self) -> Ratio:
        return Ratio(self.targets_met, self.targets_total)

    @property
    def completion(self) -> float | None:
        """Share of the plan's tasks done (%)."""
        return self.completion_ratio.percent_number

    @property
    def on_time(self) -> float | None:
        return self.on_time_ratio.percent_number

    @property
    def targets_met_share(self) -> float | None:
        return self.targets_ratio.percent_number

    @property
    def warnings_total(self) -> int:
        return sum(self.warnings.values())

    @property
    def warning_items(self) -> list[tuple[str, str, int]]:
        """(kind, label, count) of the kinds that occur, in severity order."""
        return [(k, _(KIND_LABELS[k]), n) for k, n in self.warnings.items() if n]


# --- one indicator compared -----------------------------------------------------------------


@dataclass
class TargetCell:
    """A commune's target matched to the compared indicator: its goal and counted value."""

    target: Target
    state: TargetState

    @property
    def value(self) -> Decimal | None:
        return self.state.value

    @property
    def period(self) -> Period | None:
        return self.state.accepted.period if self.state.accepted else None

    @property
    def value_text(self) -> str:
        """As Vietnamese write it: "84,5 %", "1.245 hồ sơ"; "" without an accepted value."""
        if self.value is None:
            return ""
        unit = self.target.measure_unit
        return f"{format_vn_number(self.value)} {unit}".strip()


@dataclass
class ComparisonRow:
    commune: Commune
    plan: Plan | None
    cells: list[TargetCell] = field(default_factory=list)


@dataclass
class IndicatorChoice:
    indicator: Indicator
    communes: int  # communes of the province whose plan has a target matched to it


@dataclass
class ProvinceOverview:
    province: Province
    year: int
    years: list[int]
    today: dt.date
    rows: list[CommuneRow]
    indicators: list[IndicatorChoice]
    indicator: Indicator | None = None
    comparison: list[ComparisonRow] = field(default_factory=list)

    @property
    def totals(self) -> CommuneRow:
        """The province's sums, as one more row (no commune, no rank)."""
        total = CommuneRow(commune=Commune(name="", province=self.province))
        planned = [r for r in self.rows if r.plan is not None]
        for row in planned:
            total.tasks_total += row.tasks_total
            total.tasks_done += row.tasks_done
            total.tasks_late += row.tasks_late
            total.tasks_on_time += row.tasks_on_time
            total.tasks_due += row.tasks_due
            total.targets_total += row.targets_total
            total.targets_met += row.targets_met
            for kind, count in row.warnings.items():
                total.warnings[kind] += count
        # The communes' mean: each commune's plan counts once, whatever its size.
        progresses = [r.progress for r in planned if r.progress is not None]
        total.progress = sum(progresses) / len(progresses) if progresses else None
        return total

    @property
    def communes_with_plan(self) -> int:
        return sum(1 for r in self.rows if r.plan is not None)


def plan_years(province: Province) -> list[int]:
    """Years for which some commune of the province has a plan in force, latest first."""
    years = (
        Plan.objects.active()
        .filter(commune__province=province)
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted(set(years), reverse=True)


def province_overview(
    province: Province,
    *,
    year: int,
    today: dt.date,
    years: list[int] | None = None,
    indicator_code: str = "",
) -> ProvinceOverview:
    """Every commune of ``province`` with its active plan of ``year``, in 14 queries."""
    communes = list(Commune.objects.in_province(province).order_by("name", "kind"))
    plans = list(Plan.objects.active().filter(commune__province=province, year=year))
    plan_of = {p.commune_id: p for p in plans}

    tasks = list(
        Task.objects.filter(plan__in=plans).only(
            "id",
            "plan_id",
            "parent_id",
            "deadline_kind",
            "due_on",
            "starts_on",
            "weight",
            "position",
        )
    )
    states = latest_task_states(tasks, plans=plans, today=today) if tasks else {}
    leads: dict[int, list[int]] = defaultdict(list)
    for task_id, unit_id in (
        TaskAssignment.objects.filter(task__plan__in=plans, role=AssignmentRole.LEAD)
        .order_by("position")
        .values_list("task_id", "unit_id")
    ):
        leads[task_id].append(unit_id)
    targets = list(Target.objects.filter(plan__in=plans).select_related("indicator"))
    tstates = latest_target_states(targets, plans=plans) if targets else {}
    warnings = warning_counts(
        plans=plans,
        tasks=tasks,
        states=states,
        leads=leads,
        targets=targets,
        target_states=tstates,
        today=today,
    )

    rows = []
    tasks_of: dict[int, list[Task]] = defaultdict(list)
    for task in tasks:
        tasks_of[task.plan_id].append(task)
    targets_of: dict[int, list[Target]] = defaultdict(list)
    for target in targets:
        targets_of[target.plan_id].append(target)
    for commune in communes:
        plan = plan_of.get(commune.pk)
        row = CommuneRow(commune=commune, plan=plan)
        if plan is not None:
            _fill_tasks(row, tasks_of[plan.pk], states, today)
            plan_targets = targets_of[plan.pk]
            row.targets_total = len(plan_targets)
            row.targets_met = sum(1 for t in plan_targets if tstates[t.pk].met)
            row.warnings.update(warnings[plan.pk])
        rows.append(row)

    overview = ProvinceOverview(
        province=province,
        year=year,
        years=years if years is not None else plan_years(province),
        today=today,
        rows=rows,
        indicators=_indicator_choices(targets),
    )
    if indicator_code:
        indicator = next(
            (c.indicator for c in overview.indicators if c.indicator.code == indicator_code), None
        )
        if indicator is None:
            indicator = Indicator.objects.filter(code=indicator_code).first()
        if indicator is not None:
            overview.indicator = indicator
            overview.comparison = _comparison(rows, targets_of, tstates, indicator)
    return overview


def _fill_tasks(
    row: CommuneRow, tasks: Sequence[Task], states: dict[int, TaskState], today: dt.date
) -> None:
    parents = {t.parent_id for t in tasks if t.parent_id is not None}
    lines = [
        TaskLine(task=t, state=states[t.pk], leads=[], supports=[], parent=None)
        for t in tasks
        if t.pk not in parents
    ]
    row.tasks_total = len(lines)
    buckets = Counter(line.bucket for line in lines)
    row.tasks_done = buckets[Bucket.DONE]
    row.tasks_late = buckets[Bucket.LATE]
    on_time = on_time_completion(lines, today)
    row.tasks_on_time, row.tasks_due = on_time.part, on_time.whole
    top = [t for t in tasks if t.parent_id is None]
    weight = sum((t.weight for t in top), Decimal(0))
    if top and weight:
        progress = sum((t.weight * states[t.pk].percent for t in top), Decimal(0)) / weight
        row.progress = float(progress)


def _indicator_choices(targets: Sequence[Target]) -> list[IndicatorChoice]:
    """Every catalogue indicator, with how many of the year's plans have a target on it."""
    plans_by_indicator: dict[int, set[int]] = defaultdict(set)
    for target in targets:
        if target.indicator_id is not None:
            plans_by_indicator[target.indicator_id].add(target.plan_id)
    return [
        IndicatorChoice(indicator=ind, communes=len(plans_by_indicator.get(ind.pk, ())))
        for ind in Indicator.objects.order_by("group", "name")
    ]


def _comparison(
    rows: Sequence[CommuneRow],
    targets_of: dict[int, list[Target]],
    tstates: dict[int, TargetState],
    indicator: Indicator,
) -> list[ComparisonRow]:
    comparison = []
    for row in rows:
        if row.plan is None:
            continue
        cells = [
            TargetCell(target=t, state=tstates[t.pk])
            for t in targets_of[row.plan.pk]
            if t.indicator_id == indicator.pk
        ]
        comparison.append(ComparisonRow(commune=row.commune, plan=row.plan, cells=cells))
    return comparison


# --- task and target states, reading only the rows that count --------------------------------


def _latest_first(qs: QuerySet[Any], key: str, *order: OrderBy) -> QuerySet[Any]:
    """The first row of ``qs`` per ``key`` in ``order``, chosen by the database."""
    return qs.annotate(
        _nth=Window(RowNumber(), partition_by=[F(key)], order_by=list(order))
    ).filter(_nth=1)


_NEWEST = (F("period__starts_on").desc(), F("sent_at").desc())


def latest_task_states(
    tasks: Sequence[Task], *, plans: Sequence[Plan], today: dt.date
) -> dict[int, TaskState]:
    """``tracking.status.task_states`` for the tasks of ``plans``, in two queries that
    return one report per task (its latest sent by a lead unit) instead of all of them."""
    # Imported here as status.py does: evidence's models build on tracking's.
    from theodoi.evidence.models import Evidence

    sent = ProgressReport.objects.filter(
        task__plan__in=plans, state=ReportState.SENT, is_contribution=False
    )
    # Only the fields the state needs: the others stay deferred (and cost nothing).
    latest = {
        report.task_id: report
        for report in _latest_first(sent, "task_id", *_NEWEST).only(
            "id", "task_id", "status", "percent", "sent_at"
        )
    }
    report_ids = {r.pk for r in latest.values()}
    reviews: dict[int, list[str]] = defaultdict(list)
    evidence = Evidence.objects.current().filter(
        report__task__plan__in=plans,
        report__state=ReportState.SENT,
        report__is_contribution=False,
    )
    for report_id, review in evidence.values_list("report_id", "review"):
        if report_id in report_ids:
            reviews[report_id].append(review)

    states: dict[int, TaskState] = {}
    for task in tasks:
        last = latest.get(task.pk)
        completion = _completion(last, reviews.get(last.pk, []) if last else [])
        status = last.status if last else TaskStatus.NOT_STARTED
        if status == TaskStatus.COMPLETED and completion != Completion.ACCEPTED:
            status = TaskStatus.IN_PROGRESS
        completed_on = (
            last.sent_at.date()
            if last and completion == Completion.ACCEPTED and last.sent_at
            else None
        )
        percent = last.percent if last else 0
        if completion == Completion.REJECTED:
            percent = min(percent, 99)
        states[task.pk] = TaskState(
            status=status,
            percent=100 if completion == Completion.ACCEPTED else percent,
            completion=completion,
            late=_is_late(task, today, status, completed_on),
            completed_on=completed_on,
            last_report=last,
        )
    return roll_up(tasks, states, today=today)


def latest_target_states(
    targets: Sequence[Target], *, plans: Sequence[Plan]
) -> dict[int, TargetState]:
    """``tracking.status.target_states`` for the targets of ``plans``, in two queries: the
    sent values' ids in order of recency (narrow rows, no object built), then the one
    value per target that counts; one more for targets counted per period, which add up
    their accepted values. (Faster here than a window function, which sorts wide rows.)"""
    sent = TargetValue.objects.filter(target__plan__in=plans, state=ReportState.SENT)
    newest: dict[int, tuple[int, str]] = {}
    newest_accepted: dict[int, int] = {}
    for target_id, review, pk in sent.order_by("target_id", *_NEWEST).values_list(
        "target_id", "review", "pk"
    ):
        newest.setdefault(target_id, (pk, review))
        if review == ReviewStatus.ACCEPTED:
            newest_accepted.setdefault(target_id, pk)
    accepted = {
        tv.target_id: tv
        for tv in TargetValue.objects.filter(pk__in=newest_accepted.values())
        .select_related("period")
        .only("id", "target_id", "value", "achieved_claim", "review", "sent_at", "period")
    }
    pending = {
        target_id: TargetValue(pk=pk, target_id=target_id, review=review)
        for target_id, (pk, review) in newest.items()
        if review == ReviewStatus.PENDING
    }
    # A target counted per period (not a rate) counts the sum of its accepted values.
    summed = {t.pk for t in targets if t.value_kind == "in_period" and t.measure_unit != "%"}
    sums: dict[int, Decimal] = defaultdict(Decimal)
    if summed:
        for target_id, value in sent.filter(
            review=ReviewStatus.ACCEPTED, target_id__in=summed, value__isnull=False
        ).values_list("target_id", "value"):
            if value is not None:
                sums[target_id] += value
    states = {}
    for target in targets:
        latest = accepted.get(target.pk)
        if latest is None:
            figure = None
        elif target.pk in summed:
            figure = sums.get(target.pk, Decimal(0))
        else:
            figure = latest.value
        claim = latest.achieved_claim if latest else None
        states[target.pk] = TargetState(
            value=figure,
            met=latest is not None and meets(target, figure, claim),
            accepted=latest,
            pending=pending.get(target.pk),
        )
    return states


# --- warnings, counted in bulk ---------------------------------------------------------------


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
    """For each plan, how many warnings of each kind ``plan_warnings`` would give, in two
    queries for all the plans together (the tasks, targets and their states are passed in).

    The rules are those of ``alerts.rules`` (tests compare the two plan by plan): a parent
    task speaks through its children; a done or undated task is never overdue, behind or
    due soon; an overdue task is not also behind or due soon.
    """
    counts: dict[int, Counter[str]] = {p.pk: Counter() for p in plans}
    plan_by_id = {p.pk: p for p in plans}
    parents = {t.parent_id for t in tasks if t.parent_id is not None}
    leaves = [t for t in tasks if t.pk not in parents]

    for task in leaves:
        plan = plan_by_id[task.plan_id]
        state = states[task.pk]
        counted = counts[plan.pk]
        if state.completion == Completion.REJECTED:
            counted[Kind.EVIDENCE_REJECTED] += 1
        if state.done or task.deadline_kind != DeadlineKind.DATE or task.due_on is None:
            continue
        days_left = (task.due_on - today).days
        if days_left < 0:
            counted[Kind.OVERDUE] += 1
            continue
        expected = expected_percent(task, plan, today)
        if expected is not None and is_behind(state.percent, expected, plan.behind_threshold):
            counted[Kind.BEHIND] += 1
        if 0 <= days_left <= plan.due_soon_days:
            counted[Kind.DUE_SOON] += 1

    for plan_id, missing in _missing_report_counts(plans, leaves, states, leads, today).items():
        counts[plan_id][Kind.REPORT_MISSING] += missing

    rejected = set(
        TargetValue.objects.filter(
            target__plan__in=plans, review=ReviewStatus.REJECTED, state=ReportState.DRAFT
        ).values_list("target_id", flat=True)
    )
    for target in targets:
        tstate = target_states[target.pk]
        if target.pk in rejected:
            counts[target.plan_id][Kind.EVIDENCE_REJECTED] += 1
        if tstate.accepted is not None and not tstate.met:
            counts[target.plan_id][Kind.TARGET_OFF_TRACK] += 1
    return counts


def _missing_report_counts(
    plans: Sequence[Plan],
    leaves: Sequence[Task],
    states: dict[int, TaskState],
    leads: dict[int, list[int]],
    today: dt.date,
) -> dict[int, int]:
    """Per plan, the (leaf task, closed period, lead unit) triples with no report sent."""
    if not plans:
        return {}
    # A period is closed when its report was due before today; it counts from when the
    # plan came into force (see alerts.rules.closed_periods).
    since = {p.pk: p.activated_at.date() if p.activated_at else plan_start(p) for p in plans}
    periods: dict[int, list[Period]] = defaultdict(list)
    for period in Period.objects.filter(plan__in=plans, due_on__lt=today).order_by("starts_on"):
        if period.ends_on >= since[period.plan_id]:
            periods[period.plan_id].append(period)
    if not periods:
        return {}
    # Reports of every closed period (a join, not a list of period ids): the loop below
    # looks up only the periods that count.
    sent = set(
        ProgressReport.objects.filter(
            period__plan__in=plans,
            period__due_on__lt=today,
            state=ReportState.SENT,
            is_contribution=False,
        ).values_list("task_id", "period_id", "unit_id")
    )
    missing: Counter[int] = Counter()
    for task in leaves:
        done_on = states[task.pk].completed_on
        for period in periods.get(task.plan_id, ()):
            # A dated task needs reports until it is done; a recurring one every period.
            if done_on is not None and done_on <= period.starts_on:
                continue
            for unit_id in leads.get(task.pk, ()):
                if (task.pk, period.pk, unit_id) not in sent:
                    missing[task.plan_id] += 1
    return dict(missing)


# --- sorting the ranking --------------------------------------------------------------------

# key in the query string → (the row's attribute, whether a larger value ranks first)
SORTS: dict[str, tuple[str, bool]] = {
    "completion": ("completion", True),
    "progress": ("progress", True),
    "on_time": ("on_time", True),
    "warnings": ("warnings_total", False),
    "targets": ("targets_met_share", True),
    "name": ("name", False),
}


def sort_rows(
    rows: Sequence[CommuneRow], key: str, descending: bool | None = None
) -> list[CommuneRow]:
    """Rows ordered by ``key`` (communes without a plan last), with their rank set.

    Equal values share a rank (1, 2, 2, 4); the commune name breaks ties in the order only.
    """
    attr, larger_first = SORTS.get(key, SORTS["completion"])
    desc = larger_first if descending is None else descending

    def value(row: CommuneRow) -> float | str | None:
        if attr == "name":
            return row.commune.name
        raw = getattr(row, attr)
        return float(raw) if raw is not None else None

    with_plan = [r for r in rows if r.plan is not None]
    without = sorted((r for r in rows if r.plan is None), key=lambda r: r.commune.name)
    with_value = [r for r in with_plan if value(r) is not None]
    no_value = sorted((r for r in with_plan if value(r) is None), key=lambda r: r.commune.name)
    with_value.sort(key=lambda r: r.commune.name)
    with_value.sort(key=value, reverse=desc)  # type: ignore[arg-type]
    ordered = with_value + no_value
    previous: object = object()
    for position, row in enumerate(ordered, start=1):
        current = value(row)
        if attr == "name" or current != previous:
            row.rank = position
        else:
            row.rank = ordered[position - 2].rank
        previous = current
    for row in without:
        row.rank = None
    return ordered + without
