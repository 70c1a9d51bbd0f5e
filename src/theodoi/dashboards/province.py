"""The province's view: its communes side by side, and one indicator compared across them.

Everything is read in a fixed number of queries whatever the number of communes, tasks or
reports: the tasks and targets of every commune's plan are fetched together, and the
warnings counted in bulk (``plan_warnings`` costs several queries per plan, which for a
province of a hundred communes would be a thousand queries).

The task and target states, buckets and progress are ``tracking.status``'s, read for all
the plans at once (only each task's latest report and each target's latest values leave
the database); the warnings are counted by ``alerts.rules.warning_counts``, the same rules
``plan_warnings`` words, in bulk.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from theodoi.accounts import policy
from theodoi.accounts.access import AnyUser
from theodoi.alerts.rules import (
    KIND_LABELS,
    Kind,
    area_warning_counts,
    lead_ids_of,
    warning_counts,
)
from theodoi.lib.numbers import vn_number
from theodoi.plans.models import (
    Indicator,
    Plan,
    Target,
    Task,
)
from theodoi.summaries.queries import AreaFigures, commune_figures, province_figures
from theodoi.tracking.models import Period
from theodoi.tracking.status import (
    Bucket,
    TargetState,
    TaskState,
    leaves_of,
    plan_progress,
    target_states,
    task_states,
)
from theodoi.units.models import Commune, Province

from .queries import Ratio, TaskLine
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


@dataclass(kw_only=True)
class AreaFigureRow:
    """The columns of a ranking line, for a commune or a whole province.

    Tasks are the plans' leaf tasks, as in the commune's task list and dashboard (a general
    task speaks through its sub-tasks), each in one bucket of ``queries.bucket_of``; so
    every count here is the length of that list under the same status filter.
    """

    tasks_total: int = 0
    tasks_done: int = 0
    # Bucket "late": not done, not awaiting or failing review, past its deadline.
    tasks_late: int = 0
    # Dated tasks due by today (or done already), and those of them done on time: the
    # commune ranking's "on-time completion" (ranking.on_time_completion).
    tasks_due: int = 0
    tasks_on_time: int = 0
    # The plan's progress: its top-level tasks' rolled-up percent, weighted (a province:
    # its communes' mean).
    progress: float | None = None
    warnings: dict[str, int] = field(default_factory=lambda: dict.fromkeys(WARNING_KINDS, 0))
    targets_total: int = 0
    targets_met: int = 0

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


@dataclass(kw_only=True)
class CommuneRow(AreaFigureRow):
    """One commune's figures for its active plan of the year (zeros without a plan)."""

    commune: Commune
    plan: Plan | None = None
    rank: int | None = None


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
        return f"{vn_number(self.value)} {unit}".strip()


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
    live: bool = False,
) -> ProvinceOverview:
    """Every commune of ``province`` with its active plan of ``year``, in a fixed number of
    queries: as of today (or later) from the summaries (``theodoi.summaries``: numbers, no
    task or report read), as of a past day — or with ``live`` — from the reports
    (``tracking.status``): the same rules, so the same figures."""
    communes = list(Commune.objects.in_province(province).order_by("name", "kind"))
    plans = list(Plan.objects.active().filter(commune__province=province, year=year))
    pairs: list[tuple[int | None, int]]
    if today >= timezone.localdate() and not live:
        rows, targets_of, tstates = _rows_from_summaries(province, communes, plans, year, today)
        pairs = list(
            Target.objects.filter(plan__in=plans, indicator__isnull=False)
            .order_by()
            .values_list("indicator_id", "plan_id")
        )
    else:
        rows, targets_of, tstates = _rows_live(communes, plans, today)
        pairs = [(t.indicator_id, t.plan_id) for ts in targets_of.values() for t in ts]

    overview = ProvinceOverview(
        province=province,
        year=year,
        years=years if years is not None else plan_years(province),
        today=today,
        rows=rows,
        indicators=_indicator_choices(pairs),
    )
    if indicator_code:
        indicator = next(
            (c.indicator for c in overview.indicators if c.indicator.code == indicator_code), None
        )
        if indicator is None:
            indicator = Indicator.objects.filter(code=indicator_code).first()
        if indicator is not None:
            overview.indicator = indicator
            if targets_of is None:
                # Only the compared indicator's targets, with their counted values.
                compared = list(Target.objects.filter(plan__in=plans, indicator=indicator))
                tstates = target_states(compared, as_of=today, pending_values=False)
                targets_of = defaultdict(list)
                for target in compared:
                    targets_of[target.plan_id].append(target)
            overview.comparison = _comparison(rows, targets_of, tstates, indicator)
    return overview


def _rows_from_summaries(
    province: Province,
    communes: Sequence[Commune],
    plans: Sequence[Plan],
    year: int,
    today: dt.date,
) -> tuple[list[CommuneRow], None, dict[int, TargetState]]:
    figures = commune_figures(province, year=year, today=today)
    in_force = Plan.objects.active().filter(commune__province=province, year=year)
    warnings = area_warning_counts(in_force, key="commune_id", today=today)
    plan_of = {p.commune_id: p for p in plans}
    rows = []
    for commune in communes:
        plan = plan_of.get(commune.pk)
        row = CommuneRow(commune=commune, plan=plan)
        if plan is not None:
            _fill_figures(row, figures[commune.pk])
            row.warnings.update(warnings.get(commune.pk, {}))
        rows.append(row)
    return rows, None, {}


def _fill_figures(row: AreaFigureRow, figures: AreaFigures) -> None:
    row.tasks_total = figures.tasks
    row.tasks_done = figures.done
    row.tasks_late = figures.late
    row.tasks_due = figures.tasks_due
    row.tasks_on_time = figures.done_on_time
    row.progress = figures.progress
    row.targets_total = figures.targets
    row.targets_met = figures.targets_met


def _rows_live(
    communes: Sequence[Commune], plans: Sequence[Plan], today: dt.date
) -> tuple[list[CommuneRow], dict[int, list[Target]], dict[int, TargetState]]:
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
    states = task_states(tasks, plans=plans, today=today) if tasks else {}
    leads = lead_ids_of(plans)
    targets = list(Target.objects.filter(plan__in=plans).select_related("indicator"))
    tstates = (
        target_states(targets, plans=plans, as_of=today, pending_values=False) if targets else {}
    )
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
    return rows, targets_of, tstates


def _fill_tasks(
    row: CommuneRow, tasks: Sequence[Task], states: dict[int, TaskState], today: dt.date
) -> None:
    lines = [
        TaskLine(task=t, state=states[t.pk], leads=[], supports=[], parent=None)
        for t in leaves_of(tasks)
    ]
    row.tasks_total = len(lines)
    buckets = Counter(line.bucket for line in lines)
    row.tasks_done = buckets[Bucket.DONE]
    row.tasks_late = buckets[Bucket.LATE]
    on_time = on_time_completion(lines, today)
    row.tasks_on_time, row.tasks_due = on_time.part, on_time.whole
    row.progress = plan_progress(tasks, states)


def _indicator_choices(pairs: Iterable[tuple[int | None, int]]) -> list[IndicatorChoice]:
    """Every catalogue indicator, with how many of the year's plans have a target on it
    (``pairs``: each target's indicator and plan)."""
    plans_by_indicator: dict[int, set[int]] = defaultdict(set)
    for indicator_id, plan_id in pairs:
        if indicator_id is not None:
            plans_by_indicator[indicator_id].add(plan_id)
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


# --- the country: provinces side by side ------------------------------------------------------


@dataclass(kw_only=True)
class ProvinceRow(AreaFigureRow):
    """One province's figures over its communes' active plans of the year: the columns of
    the province ranking (``CommuneRow``), summed over the communes (progress: their mean)."""

    province: Province
    communes: int = 0
    communes_with_plan: int = 0
    linkable: bool = False  # the user may open this province's dashboard


@dataclass
class NationalOverview:
    year: int
    years: list[int]
    today: dt.date
    rows: list[ProvinceRow]

    @property
    def totals(self) -> ProvinceRow:
        """The country's sums, as one more row; its progress is the mean over the communes'
        plans (each province's mean weighted by its plans), as the province's total."""
        total = ProvinceRow(province=Province(name=""))
        for row in self.rows:
            for name in ("communes", "communes_with_plan", *_SUMMED):
                setattr(total, name, getattr(total, name) + getattr(row, name))
            for kind, count in row.warnings.items():
                total.warnings[kind] += count
        weighted = [(r.progress, r.communes_with_plan) for r in self.rows if r.progress is not None]
        plans = sum(n for _p, n in weighted)
        total.progress = sum(p * n for p, n in weighted) / plans if plans else None
        return total


_SUMMED = (
    "tasks_total",
    "tasks_done",
    "tasks_late",
    "tasks_due",
    "tasks_on_time",
    "targets_total",
    "targets_met",
)


def national_years() -> list[int]:
    """Years for which some commune has a plan in force, latest first."""
    years = Plan.objects.active().order_by().values_list("year", flat=True).distinct()
    return sorted(set(years), reverse=True)


def national_overview(
    *,
    year: int,
    today: dt.date,
    years: list[int] | None = None,
    linkable: Iterable[Province] = (),
) -> NationalOverview:
    """Every province with its communes' figures for ``year`` as of ``today`` (today or
    later), from the summaries: a fixed number of aggregate queries whatever the number of
    communes, rows streamed (bounded memory). ``linkable``: provinces the reader may open."""
    opened = {p.pk for p in linkable}
    figures = province_figures(year=year, today=today)
    in_force = Plan.objects.active().filter(year=year)
    warnings = area_warning_counts(in_force, key="commune__province_id", today=today)
    rows = []
    for province in Province.objects.order_by("name"):
        row = ProvinceRow(province=province, linkable=province.pk in opened)
        found = figures.get(province.pk)
        if found is not None:
            row.communes = found.communes
            row.communes_with_plan = found.communes_with_plan
            if found.communes_with_plan:
                _fill_figures(row, found)
            row.warnings.update(warnings.get(province.pk, {}))
        rows.append(row)
    return NationalOverview(
        year=year, years=years if years is not None else national_years(), today=today, rows=rows
    )


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


# --- communes that have not reported ---------------------------------------------------------


def unreported_commune_ids(province: Province, *, year: int, today: dt.date) -> set[int]:
    """The communes with a plan in force that still owe a report for its latest closed
    period (``summaries.queries.AreaFigures.communes_not_reported``, by the missing-report
    rule of ``alerts.rules``): the province's "chưa gửi đủ báo cáo"."""
    figures = commune_figures(province, year=year, today=today)
    return {pk for pk, found in figures.items() if found.communes_not_reported}


def communes_unreported(
    rows: Sequence[CommuneRow], *, province: Province, year: int, today: dt.date
) -> list[CommuneRow]:
    """The lines of ``rows`` whose commune has not reported (``unreported_commune_ids``)."""
    unreported = unreported_commune_ids(province, year=year, today=today)
    return [row for row in rows if row.plan is not None and row.commune.pk in unreported]
