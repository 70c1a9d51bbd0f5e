"""Where each task and target stands, derived from reports, evidence and reviews: the one
place for task state, target state and its judgement, task buckets and plan progress.

Nothing here is stored: every figure is computed as of a day (``today``/``as_of``: a
dashboard's today, a report's cut-off), from the reports and values that count on that day
(``counted_as_of``), in a fixed number of queries whatever the number of tasks, reports or
communes. Every surface reads these functions: dashboards (commune, unit, province), the
task list, the reporting window, warnings, reports, exports, the API and the public page.

Supporting units (đơn vị phối hợp): their reports are contributions. They are shown on the
task and in its history and they meet the supporting unit's own reporting obligation (the
reporting window counts them), but they do not move the task's progress or state: the lead
unit's latest report is the task's figure (a plan names who answers for the task).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction
from typing import Any

from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from theodoi.plans.models import Comparator, DeadlineKind, Plan, Target, TargetKind, Task

from .models import ProgressReport, ReportState, ReviewStatus, TargetValue, TaskStatus


class Completion:
    """How far a reported completion got through the office's review."""

    NONE = "none"  # not reported as completed
    PENDING = "pending"  # reported, evidence not yet reviewed
    ACCEPTED = "accepted"  # at least one evidence accepted: the task is done
    REJECTED = "rejected"  # every evidence rejected or withdrawn: not done


@dataclass(frozen=True)
class TaskState:
    status: str  # TaskStatus, with a rejected or pending completion counted as in progress
    percent: int
    completion: str
    late: bool
    completed_on: dt.date | None
    last_report: ProgressReport | None

    @property
    def done(self) -> bool:
        return self.completion == Completion.ACCEPTED

    @property
    def label(self) -> str:
        """The evaluation as the plans' own reports word it."""
        if self.done:
            return str(_("Hoàn thành trễ hạn") if self.late else _("Hoàn thành đúng hạn"))
        if self.completion == Completion.PENDING:
            return str(_("Hoàn thành, chờ thẩm định minh chứng"))
        if self.completion == Completion.REJECTED:
            return str(_("Minh chứng không đạt, chưa hoàn thành"))
        if self.status == TaskStatus.PAUSED:
            return str(_("Tạm dừng"))
        if self.status == TaskStatus.NOT_STARTED:
            return str(_("Chưa triển khai (trễ hạn)") if self.late else _("Chưa triển khai"))
        return str(_("Đang thực hiện trễ hạn") if self.late else _("Đang thực hiện đúng hạn"))


def _completion(report: ProgressReport | None, reviews: list[str]) -> str:
    if report is None or report.status != TaskStatus.COMPLETED:
        return Completion.NONE
    if ReviewStatus.ACCEPTED in reviews:
        return Completion.ACCEPTED
    if ReviewStatus.PENDING in reviews:
        return Completion.PENDING
    return Completion.REJECTED


def _is_late(task: Task, today: dt.date, status: str, completed_on: dt.date | None) -> bool:
    if task.deadline_kind != DeadlineKind.DATE or task.due_on is None:
        # A recurring or undated task is late only through missing reports (see alerts).
        return status == TaskStatus.NOT_STARTED and bool(task.starts_on and today > task.starts_on)
    if completed_on is not None:
        return completed_on > task.due_on
    if status == TaskStatus.NOT_STARTED and task.starts_on and today > task.starts_on:
        return True
    return today > task.due_on


def first_day(holds: Any) -> dt.date | None:
    """The first day on which ``holds(day)`` is true, for a predicate that, once true, stays
    true (a task that is late stays late until its figures change); None if it never holds.
    A stored day lets the database evaluate such a rule as of any date with one comparison
    (``theodoi.summaries``) while the rule itself stays the Python function given here."""
    low, high = dt.date.min.toordinal(), dt.date.max.toordinal()
    if not holds(dt.date.fromordinal(high)):
        return None
    while low < high:
        middle = (low + high) // 2
        if holds(dt.date.fromordinal(middle)):
            high = middle
        else:
            low = middle + 1
    return dt.date.fromordinal(low)


def late_from(task: Task, status: str, completed_on: dt.date | None) -> dt.date | None:
    """The first day ``_is_late`` holds for a task in this state (None: never late), so that
    "late as of D" is ``late_from <= D`` in SQL: the same rule, evaluated by the database."""
    return first_day(lambda day: _is_late(task, day, status, completed_on))


def counted_as_of(as_of: dt.date, prefix: str = "") -> Q:
    """Reports and values that count for a report whose data is cut off at ``as_of``: those
    sent by that day, and those about a period that had ended by then (a period's reports
    arrive after its end; they still describe it). The office's reviews count as they stand.
    ``prefix`` ("report__") applies the rule through a relation.
    """
    if as_of >= timezone.localdate():
        return Q()  # nothing has been sent after today: every row counts (and no join)
    next_day = timezone.make_aware(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time.min))
    return Q(**{f"{prefix}period__ends_on__lte": as_of}) | Q(**{f"{prefix}sent_at__lt": next_day})


def _latest_first(qs: QuerySet[Any], key: str) -> QuerySet[Any]:
    """The newest row of ``qs`` per ``key`` (latest period, then latest sent), chosen by the
    database: only one row per task or target leaves it, however many were sent."""
    return qs.annotate(
        _nth=Window(RowNumber(), partition_by=[F(key)], order_by=list(_NEWEST))
    ).filter(_nth=1)


_NEWEST = (F("period__starts_on").desc(), F("sent_at").desc())


def _recency(row: TargetValue) -> tuple[dt.date, float]:
    """``_NEWEST`` in Python: latest period, then latest sent (a value never sent, oldest)."""
    return (row.period.starts_on, row.sent_at.timestamp() if row.sent_at else float("-inf"))


def task_states(
    tasks: Sequence[Task], *, today: dt.date, plans: Sequence[Plan] | None = None
) -> dict[int, TaskState]:
    """The state of each task as of ``today`` (parents rolled up from their children), in
    two queries whatever the number of tasks or reports.

    Only the reports that count on ``today`` are read (``counted_as_of``: a report looked at
    as of a past cut-off reads the world as it was then), and only the lead units' reports:
    a supporting unit's report is a contribution (shown on the task and in its history, and
    meeting that unit's own reporting obligation) but it does not move the task's figure —
    the lead unit's latest report is the task's progress. ``plans`` (every task of them is
    in ``tasks``) lets the database select by plan instead of a list of task ids.
    """
    # Imported here: evidence's models build on tracking's, not the other way round.
    from theodoi.evidence.models import Evidence

    sent = ProgressReport.objects.filter(state=ReportState.SENT, is_contribution=False).filter(
        counted_as_of(today)
    )
    sent = (
        sent.filter(task__plan__in=plans)
        if plans is not None
        else sent.filter(task_id__in=[t.pk for t in tasks])
    )
    # Only the fields the state needs: the others stay deferred (and cost nothing).
    latest: dict[int, ProgressReport] = {
        report.task_id: report
        for report in _latest_first(sent, "task_id").only(
            "id", "task_id", "status", "percent", "sent_at", "period_id", "unit_id"
        )
    }
    reviews: dict[int, list[str]] = defaultdict(list)
    if latest:
        evidence = Evidence.objects.current()
        if plans is not None:
            evidence = evidence.filter(
                report__task__plan__in=plans,
                report__state=ReportState.SENT,
                report__is_contribution=False,
            )
        else:
            evidence = evidence.filter(report_id__in=[r.pk for r in latest.values()])
        report_ids = {r.pk for r in latest.values()}
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


def roll_up(
    tasks: Sequence[Task], states: dict[int, TaskState], *, today: dt.date
) -> dict[int, TaskState]:
    """A parent's progress is its children's, weighted; it is done when all children are."""
    children: dict[int, list[Task]] = defaultdict(list)
    for task in tasks:
        if task.parent_id is not None:
            children[task.parent_id].append(task)

    def state_of(task: Task) -> TaskState:
        kids = children.get(task.pk)
        if not kids:
            return states[task.pk]
        kid_states = [(kid, state_of(kid)) for kid in kids]
        total_weight = sum((kid.weight for kid, _ in kid_states), Decimal(0)) or Decimal(1)
        percent = (
            sum((kid.weight * state.percent for kid, state in kid_states), Decimal(0))
            / total_weight
        )
        all_done = all(state.done for _, state in kid_states)
        completed_on = (
            max(s.completed_on for _, s in kid_states if s.completed_on) if all_done else None
        )
        if all_done:
            status = TaskStatus.COMPLETED
        elif any(s.status != TaskStatus.NOT_STARTED or s.done for _, s in kid_states):
            status = TaskStatus.IN_PROGRESS
        else:
            status = TaskStatus.NOT_STARTED
        rolled = TaskState(
            status=status,
            percent=100 if all_done else min(int(percent), 99),
            completion=Completion.ACCEPTED if all_done else Completion.NONE,
            late=_is_late(task, today, status, completed_on)
            or any(s.late and not s.done for _, s in kid_states),
            completed_on=completed_on,
            last_report=states[task.pk].last_report,
        )
        states[task.pk] = rolled
        return rolled

    for task in tasks:
        state_of(task)
    return states


# --- targets -----------------------------------------------------------------------------


def meets(target: Target, value: Decimal | None, claim: bool | None = None) -> bool:
    """Whether ``value`` achieves the target, by its comparator (rank: rank <= N)."""
    if target.kind == TargetKind.QUALITATIVE:
        return bool(claim)
    if value is None or target.value is None:
        return False
    if target.kind == TargetKind.RANK:
        return value <= target.value
    comparator = target.comparator or Comparator.GTE
    return {
        Comparator.GTE: value >= target.value,
        Comparator.GT: value > target.value,
        Comparator.LTE: value <= target.value,
        Comparator.LT: value < target.value,
    }[Comparator(comparator)]


@dataclass(frozen=True)
class TargetState:
    value: Decimal | None  # the accepted figure that counts (see target_states)
    met: bool
    accepted: TargetValue | None  # the latest accepted value
    pending: TargetValue | None  # a newer value awaiting review, if any


def target_states(
    targets: Iterable[Target],
    *,
    as_of: dt.date | None = None,
    plans: Sequence[Plan] | None = None,
    pending_values: bool = True,
) -> dict[int, TargetState]:
    """Each target's counted figure as of ``as_of`` (today by default): only values the
    office accepted count, and only those that count at that day (``counted_as_of``).

    A cumulative target (lũy kế) counts its latest accepted value; a target reported per
    period (trong kỳ) counts the sum of its accepted period values, except a percentage,
    which is a rate and counts its latest accepted value. Two queries whatever the number
    of values: each target's newest value per review (chosen by the database), and the sums
    of the targets counted per period. Without
    ``pending_values`` the values awaiting review are not read (``pending`` stays None).
    """
    targets = list(targets)
    day = as_of or timezone.localdate()
    sent = TargetValue.objects.filter(state=ReportState.SENT).filter(counted_as_of(day))
    sent = (
        sent.filter(target__plan__in=plans)
        if plans is not None
        else sent.filter(target_id__in=[t.pk for t in targets])
    )
    # The newest value of each target for each review (accepted, pending, rejected), chosen
    # by the database: at most three rows per target leave it, however many were sent.
    shown = ("id", "target_id", "unit_id", "value", "numerator", "denominator")
    tops = (
        sent.annotate(
            _nth=Window(
                RowNumber(), partition_by=[F("target_id"), F("review")], order_by=list(_NEWEST)
            )
        )
        .filter(_nth=1)
        .select_related("period")
        .only(*shown, "achieved_claim", "review", "state", "sent_at", "period")
    )
    newest: dict[int, TargetValue] = {}
    accepted: dict[int, TargetValue] = {}
    for tv in tops:
        if tv.review == ReviewStatus.ACCEPTED:
            accepted[tv.target_id] = tv
        best = newest.get(tv.target_id)
        if best is None or _recency(tv) > _recency(best):
            newest[tv.target_id] = tv
    pending: dict[int, TargetValue] = {}
    if pending_values:
        pending = {t: tv for t, tv in newest.items() if tv.review == ReviewStatus.PENDING}
    newest_accepted = accepted
    # A target counted per period (not a rate) counts the sum of its accepted values.
    summed = {t.pk for t in targets if t.value_kind == "in_period" and t.measure_unit != "%"}
    sums: dict[int, Decimal] = defaultdict(Decimal)
    if summed & set(newest_accepted):
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


# --- the judgement of a target during its year ------------------------------------------------


class Judgement:
    """Where a target stands on a day: met; not met yet but on track or behind the time
    elapsed; not met once its deadline (the plan's year end) has passed; or no data."""

    MET = "met"
    ON_TRACK = "on_track"
    OFF_TRACK = "off_track"
    NOT_MET = "not_met"
    NO_DATA = "no_data"


JUDGEMENTS: list[tuple[str, Any, str]] = [
    (Judgement.MET, gettext_lazy("Đạt"), "text-bg-success"),
    (Judgement.ON_TRACK, gettext_lazy("Chưa đạt, đúng tiến độ"), "text-bg-primary"),
    (Judgement.OFF_TRACK, gettext_lazy("Chưa đạt, chậm tiến độ"), "text-bg-warning"),
    (Judgement.NOT_MET, gettext_lazy("Không đạt"), "text-bg-danger"),
    (Judgement.NO_DATA, gettext_lazy("Chưa có số liệu được chấp nhận"), "text-bg-secondary"),
]


def plan_start(plan: Plan) -> dt.date:
    """When the plan's time starts running: its issue date, else 1 January of its year."""
    if plan.issued_on and plan.issued_on.year == plan.year:
        return plan.issued_on
    return dt.date(plan.year, 1, 1)


def year_share(plan: Plan, today: dt.date) -> Fraction:
    """The share of the plan's year elapsed by ``today``, from the plan's start."""
    start = plan_start(plan)
    end = dt.date(plan.year, 12, 31)
    if today <= start:
        return Fraction(0)
    if today >= end or end <= start:
        return Fraction(1)
    return Fraction((today - start).days, (end - start).days)


def grows_over_the_year(target: Target) -> bool:
    """A count to reach by year end ("≥ 1.000 hồ sơ"), as opposed to a rate or a rank."""
    return (
        target.kind == TargetKind.QUANTITATIVE
        and (target.comparator or Comparator.GTE) in (Comparator.GTE, Comparator.GT)
        and target.measure_unit.strip() != "%"
        and target.value is not None
        and target.value > 0
    )


def expected_by(target: Target, plan: Plan, today: dt.date) -> Decimal | None:
    """For a count to reach by year end: what time alone asks for by ``today`` (a whole
    number when the goal is one: nobody reaches 8,5 products)."""
    if not grows_over_the_year(target):
        return None
    assert target.value is not None
    share = year_share(plan, today)
    needed = target.value * Decimal(share.numerator) / Decimal(share.denominator)
    if target.value == target.value.to_integral_value():
        return needed.to_integral_value(rounding=ROUND_CEILING)
    return needed.quantize(Decimal("0.01"))


def judgement(target: Target, state: TargetState, plan: Plan, today: dt.date) -> str:
    """The target's ``Judgement`` on ``today``: "not met" only once its deadline, the plan's
    year end, is reached; before it, on track or behind the time elapsed."""
    if state.accepted is None:
        return Judgement.NO_DATA
    if state.met:
        return Judgement.MET
    if today >= dt.date(plan.year, 12, 31):
        return Judgement.NOT_MET
    if not grows_over_the_year(target):
        return Judgement.OFF_TRACK  # a rate, a rank or a yes/no: met or behind
    needed = expected_by(target, plan, today)
    if needed is not None and state.value is not None and state.value >= needed:
        return Judgement.ON_TRACK
    return Judgement.OFF_TRACK


def on_track_until(target: Target, state: TargetState, plan: Plan) -> dt.date | None:
    """The last day ``judgement`` says "on track" for a target in this state (None: never):
    a count not yet met is on track while what time asks for stays within its value, then
    behind. "On track as of D" is ``on_track_until >= D`` in SQL: the same rule."""
    behind_from = first_day(lambda day: judgement(target, state, plan, day) != Judgement.ON_TRACK)
    if behind_from is None:
        return dt.date.max
    if behind_from == dt.date.min:
        return None
    return behind_from - dt.timedelta(days=1)


# --- a task's bucket, and a plan's progress ----------------------------------------------------


class Bucket:
    """Where a task stands, one bucket each (the columns of every table add up to the total)."""

    DONE = "done"
    PENDING = "pending"
    REJECTED = "rejected"
    IN_PROGRESS = "in_progress"
    LATE = "late"
    NOT_STARTED = "not_started"
    PAUSED = "paused"


BUCKETS: list[tuple[str, Any]] = [
    (Bucket.DONE, gettext_lazy("Hoàn thành")),
    (Bucket.PENDING, gettext_lazy("Chờ thẩm định minh chứng")),
    (Bucket.REJECTED, gettext_lazy("Minh chứng không đạt")),
    (Bucket.IN_PROGRESS, gettext_lazy("Đang thực hiện đúng hạn")),
    (Bucket.LATE, gettext_lazy("Trễ hạn, chưa hoàn thành")),
    (Bucket.NOT_STARTED, gettext_lazy("Chưa triển khai")),
    (Bucket.PAUSED, gettext_lazy("Tạm dừng")),
]


def bucket_of(state: TaskState) -> str:
    """The one bucket of a task, in the precedence of its label (``TaskState.label``): a
    completion awaiting review is "pending" on every surface, late or not."""
    if state.done:
        return Bucket.DONE
    if state.completion == Completion.PENDING:
        return Bucket.PENDING
    if state.completion == Completion.REJECTED:
        return Bucket.REJECTED
    if state.status == TaskStatus.PAUSED:
        return Bucket.PAUSED
    if state.late:
        return Bucket.LATE
    if state.status == TaskStatus.NOT_STARTED:
        return Bucket.NOT_STARTED
    return Bucket.IN_PROGRESS


def leaves_of(tasks: Sequence[Task]) -> list[Task]:
    """The tasks without sub-tasks: a general task speaks through its children, so only
    these are counted and listed, on every surface."""
    parents = {t.parent_id for t in tasks if t.parent_id is not None}
    return [t for t in tasks if t.pk not in parents]


def plan_progress(tasks: Sequence[Task], states: dict[int, TaskState]) -> float | None:
    """The plan's progress (%): its top-level tasks' rolled-up percent, weighted."""
    top = [t for t in tasks if t.parent_id is None]
    weight = sum((t.weight for t in top), Decimal(0))
    if not top or not weight:
        return None
    total = sum((t.weight * states[t.pk].percent for t in top), Decimal(0))
    return float(total / weight)
