"""The emulation ranking (thi đua) of a commune's units, scored by a rubric.

Three rates per unit, each turned into points by the rubric's bands, minus a deduction per
late report:

- on-time completion: of the dated tasks the unit leads that fell due (or were done) by the
  cut-off, those done — evidence accepted — by their due date;
- evidence accepted first time: of the unit's tasks and target values whose evidence the
  standing office has reviewed, those with no evidence ever rejected;
- reports on time: of the reports due from the unit as lead (closed periods, tasks not yet
  done), those sent to the standing office by the period's due date.

A rate with nothing to measure ("không phát sinh") earns the top band: a unit with nothing
due has nothing late. Late reports are those sent after the due date and those still not
sent; each costs the rubric's deduction. The rubric is the commune's, else its province's,
else ``DEFAULT_RUBRIC``; a key it leaves out falls back to the default's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from theodoi.evidence.models import Evidence
from theodoi.lib.numbers import vn_number
from theodoi.plans.models import DeadlineKind
from theodoi.tracking.models import Period, ReviewStatus
from theodoi.units.models import Commune, Unit

from .models import DEFAULT_RUBRIC, RankingRubric
from .queries import NO_GROUP, PlanTasks, Ratio, Sent, TaskLine, report_grid, tally_reports

ON_TIME_COMPLETION = "on_time_completion"
EVIDENCE_FIRST_TIME = "evidence_accepted_first_time"
REPORTS_ON_TIME = "reports_on_time"

CRITERIA: list[tuple[str, Any]] = [
    (ON_TIME_COMPLETION, gettext_lazy("Hoàn thành nhiệm vụ đúng hạn")),
    (EVIDENCE_FIRST_TIME, gettext_lazy("Minh chứng được chấp nhận ngay lần đầu")),
    (REPORTS_ON_TIME, gettext_lazy("Báo cáo đúng hạn")),
]


# --- the rubric -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    lower: Fraction  # a percentage, inclusive
    points: Decimal


class Source:
    COMMUNE = "commune"
    PROVINCE = "province"
    DEFAULT = "default"


@dataclass(frozen=True)
class Rubric:
    bands: Mapping[str, tuple[Band, ...]]  # each highest lower bound first
    late_report_deduction: Decimal
    source: str = Source.DEFAULT

    def points(self, criterion: str, rate: Fraction | None) -> Decimal:
        """The points a rate (a share in [0, 1]) earns; nothing to measure earns the top."""
        bands = self.bands[criterion]
        if not bands:
            return Decimal(0)
        if rate is None:
            return bands[0].points
        percent = rate * 100
        for band in bands:
            if percent >= band.lower:
                return band.points
        return Decimal(0)

    def band_texts(self, criterion: str) -> list[str]:
        """The bands in words: "100% → 10 điểm", "90% đến dưới 100% → 8 điểm", ..."""
        texts = []
        above: Fraction | None = None
        for band in self.bands[criterion]:
            lower = _percent(band.lower)
            points = vn_number(band.points)
            if above is None or band.lower >= above:
                texts.append(
                    _("từ %(lower)s → %(points)s điểm") % {"lower": lower, "points": points}
                )
            else:
                texts.append(
                    _("%(lower)s đến dưới %(upper)s → %(points)s điểm")
                    % {"lower": lower, "upper": _percent(above), "points": points}
                )
            above = band.lower
        return texts

    @property
    def source_label(self) -> str:
        return {
            Source.COMMUNE: _("Thang điểm do xã/phường ban hành"),
            Source.PROVINCE: _("Thang điểm do tỉnh ban hành"),
        }.get(self.source, _("Thang điểm mặc định của hệ thống"))

    @property
    def deduction_text(self) -> str:
        return vn_number(self.late_report_deduction)


def _percent(value: Fraction) -> str:
    return vn_number(Decimal(value.numerator) / Decimal(value.denominator)) + "%"


def _number(raw: object) -> Decimal | None:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        return None
    try:
        number = Decimal(str(raw))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _bands(raw: object) -> tuple[Band, ...] | None:
    """``[[100, 10], [90, 8], ...]`` → bands, highest first; None when malformed."""
    if not isinstance(raw, list) or not raw:
        return None
    bands = []
    for item in raw:
        if not isinstance(item, list | tuple) or len(item) != 2:
            return None
        lower, points = _number(item[0]), _number(item[1])
        if lower is None or points is None:
            return None
        bands.append(Band(lower=Fraction(lower), points=points))
    return tuple(sorted(bands, key=lambda b: b.lower, reverse=True))


def rubric_from_rules(rules: Mapping[str, object], *, source: str = Source.DEFAULT) -> Rubric:
    """A rubric from its JSON; a key missing or malformed takes the default's value."""
    bands = {}
    for criterion, _label in CRITERIA:
        parsed = _bands(rules.get(criterion))
        if parsed is None:
            parsed = _bands(DEFAULT_RUBRIC[criterion])
        assert parsed is not None
        bands[criterion] = parsed
    deduction = _number(rules.get("late_report_deduction"))
    if deduction is None or deduction < 0:
        deduction = _number(DEFAULT_RUBRIC["late_report_deduction"])
    assert deduction is not None
    return Rubric(bands=bands, late_report_deduction=deduction, source=source)


def rubric_for(commune: Commune) -> Rubric:
    """The commune's rubric, else its province's, else the default (one query)."""
    found = list(
        RankingRubric.objects.filter(Q(commune_id=commune.pk) | Q(province_id=commune.province_id))
    )
    own = next((r for r in found if r.commune_id == commune.pk), None)
    if own is not None:
        return rubric_from_rules(own.rules or {}, source=Source.COMMUNE)
    province = next((r for r in found if r.province_id == commune.province_id), None)
    if province is not None:
        return rubric_from_rules(province.rules or {}, source=Source.PROVINCE)
    return rubric_from_rules(DEFAULT_RUBRIC)


# --- the scores -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    ratio: Ratio
    points: Decimal

    @property
    def measured(self) -> bool:
        return self.ratio.whole > 0

    @property
    def points_text(self) -> str:
        return vn_number(self.points)


@dataclass
class UnitScore:
    unit: Unit
    completion: Criterion
    evidence: Criterion
    reports: Criterion
    late: int  # reports sent after their due date
    missing: int  # reports still not sent after their due date
    deduction: Decimal
    total: Decimal
    rank: int = 0

    @property
    def deduction_text(self) -> str:
        return vn_number(self.deduction)

    @property
    def total_text(self) -> str:
        return vn_number(self.total)


def on_time_completion(lines: Sequence[TaskLine], cutoff: Any) -> Ratio:
    """Of the dated tasks due by ``cutoff`` (or already done by then), those done on time."""
    due = on_time = 0
    for line in lines:
        task, state = line.task, line.state
        if task.deadline_kind != DeadlineKind.DATE or task.due_on is None:
            continue
        done_on = state.completed_on if state.done else None
        done_by_cutoff = done_on is not None and done_on <= cutoff
        if task.due_on > cutoff and not done_by_cutoff:
            continue
        due += 1
        if done_by_cutoff and done_on is not None and done_on <= task.due_on:
            on_time += 1
    return Ratio(on_time, due)


def evidence_first_time(
    data: PlanTasks, lines: Sequence[TaskLine], *, group: str, upto: Period | None
) -> dict[int, Ratio]:
    """Per submitting unit: items (a task, or a target value) whose reviewed evidence was
    never rejected, out of the items with reviewed evidence (one query)."""
    plan = data.plan
    task_ids = {line.task.pk for line in lines}
    on_tasks = Q(report__task__plan=plan)
    on_values = Q(target_value__target__plan=plan)
    if upto is not None:
        on_tasks &= Q(report__period__starts_on__lte=upto.starts_on)
        on_values &= Q(target_value__period__starts_on__lte=upto.starts_on)
    rows = (
        Evidence.objects.filter(commune_id=plan.commune_id)
        .filter(review__in=[ReviewStatus.ACCEPTED, ReviewStatus.REJECTED])
        .filter(on_tasks | on_values)
        .values_list(
            "unit_id", "report__task_id", "target_value_id", "target_value__target__group", "review"
        )
    )
    items: dict[int, dict[tuple[str, int], set[str]]] = defaultdict(lambda: defaultdict(set))
    for unit_id, task_id, value_id, target_group, review in rows:
        if task_id is not None:
            if task_id not in task_ids:
                continue
            key = ("task", task_id)
        else:
            if group and target_group != ("" if group == NO_GROUP else group):
                continue
            key = ("value", value_id)
        items[unit_id][key].add(review)
    return {
        unit_id: Ratio(
            sum(1 for reviews in by_item.values() if ReviewStatus.REJECTED not in reviews),
            len(by_item),
        )
        for unit_id, by_item in items.items()
    }


def unit_ranking(
    data: PlanTasks,
    rubric: Rubric,
    *,
    lines: Sequence[TaskLine] | None = None,
    group: str = "",
    upto: Period | None = None,
    grid: Mapping[tuple[int, int, int], Sent] | None = None,
) -> list[UnitScore]:
    """Every unit leading one of ``lines`` (default: all the plan's tasks), scored and
    ranked: the highest total first, equal totals sharing a rank ("1, 2, 2, 4").

    ``upto`` measures as of the end of that period: tasks due by its end, the closed
    periods up to it, evidence of reports and values up to it. Without it, as of today.
    """
    lines = list(data.lines if lines is None else lines)
    cutoff = upto.ends_on if upto is not None else data.today
    periods = [p for p in data.closed if upto is None or p.starts_on <= upto.starts_on]
    if grid is None:
        grid = report_grid(data.plan, periods)
    tallies = tally_reports(lines, periods, grid)
    evidence = evidence_first_time(data, lines, group=group, upto=upto)
    units = {u.pk: u for line in lines for u in line.leads}
    scores = []
    for unit in units.values():
        led = [line for line in lines if unit.pk in line.lead_ids]
        completion = on_time_completion(led, cutoff)
        first_time = evidence.get(unit.pk, Ratio(0, 0))
        tally = tallies.get(unit.pk)
        reports = tally.ratio if tally else Ratio(0, 0)
        late = tally.late if tally else 0
        missing = tally.missing if tally else 0
        criteria = (
            Criterion(completion, rubric.points(ON_TIME_COMPLETION, completion.rate)),
            Criterion(first_time, rubric.points(EVIDENCE_FIRST_TIME, first_time.rate)),
            Criterion(reports, rubric.points(REPORTS_ON_TIME, reports.rate)),
        )
        deduction = rubric.late_report_deduction * (late + missing)
        scores.append(
            UnitScore(
                unit=unit,
                completion=criteria[0],
                evidence=criteria[1],
                reports=criteria[2],
                late=late,
                missing=missing,
                deduction=deduction,
                total=sum((c.points for c in criteria), Decimal(0)) - deduction,
            )
        )
    scores.sort(key=lambda s: (-s.total, s.unit.name))
    for position, score in enumerate(scores, start=1):
        previous = scores[position - 2] if position > 1 else None
        score.rank = previous.rank if previous and previous.total == score.total else position
    return scores
