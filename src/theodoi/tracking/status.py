"""Where each task and target stands, derived from reports, evidence and reviews.

Nothing here is stored: the state is computed from the data at any moment, in a fixed
number of queries whatever the number of tasks, so dashboards never show a stale copy.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from theodoi.plans.models import Comparator, DeadlineKind, Target, TargetKind, Task

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


def counted_as_of(as_of: dt.date, prefix: str = "") -> Q:
    """Reports and values that count for a report whose data is cut off at ``as_of``: those
    sent by that day, and those about a period that had ended by then (a period's reports
    arrive after its end; they still describe it). The office's reviews count as they stand.
    ``prefix`` ("report__") applies the rule through a relation.
    """
    next_day = timezone.make_aware(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time.min))
    return Q(**{f"{prefix}period__ends_on__lte": as_of}) | Q(**{f"{prefix}sent_at__lt": next_day})


def task_states(
    tasks: Sequence[Task], *, today: dt.date, as_of: dt.date | None = None
) -> dict[int, TaskState]:
    """The state of each task (parents rolled up from their children), in three queries.

    With ``as_of``, only the reports that count at that cut-off (``counted_as_of``) are read.
    """
    # Imported here: evidence's models build on tracking's, not the other way round.
    from theodoi.evidence.models import Evidence

    ids = [t.pk for t in tasks]
    latest: dict[int, ProgressReport] = {}
    reports = (
        ProgressReport.objects.filter(task_id__in=ids, state=ReportState.SENT)
        .filter(counted_as_of(as_of) if as_of else Q())
        .by_lead()
        .select_related("period")
        .order_by("task_id", "-period__starts_on", "-sent_at")
    )
    for report in reports:
        latest.setdefault(report.task_id, report)
    reviews: dict[int, list[str]] = defaultdict(list)
    evidence_rows = Evidence.objects.current().filter(report_id__in=[r.pk for r in latest.values()])
    for report_id, review in evidence_rows.values_list("report_id", "review"):
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
    targets: Iterable[Target], *, as_of: dt.date | None = None
) -> dict[int, TargetState]:
    """Each target's counted figure: only values the office accepted count.

    A cumulative target (lũy kế) counts its latest accepted value; a target reported per
    period (trong kỳ) counts the sum of its accepted period values, except a percentage,
    which is a rate and counts its latest accepted value. With ``as_of``, only the values
    that count at that cut-off (``counted_as_of``) are read.
    """
    targets = list(targets)
    values = (
        TargetValue.objects.filter(target_id__in=[t.pk for t in targets], state=ReportState.SENT)
        .filter(counted_as_of(as_of) if as_of else Q())
        .select_related("period")
        .order_by("target_id", "-period__starts_on", "-sent_at")
    )
    by_target: dict[int, list[TargetValue]] = defaultdict(list)
    for value in values:
        by_target[value.target_id].append(value)
    states = {}
    for target in targets:
        rows = by_target.get(target.pk, [])
        accepted = [v for v in rows if v.review == ReviewStatus.ACCEPTED]
        latest_accepted = accepted[0] if accepted else None
        pending = rows[0] if rows and rows[0].review == ReviewStatus.PENDING else None
        if target.value_kind == "in_period" and target.measure_unit != "%":
            figure = sum((v.value for v in accepted if v.value is not None), Decimal(0))
            figure_or_none: Decimal | None = figure if accepted else None
        else:
            figure_or_none = latest_accepted.value if latest_accepted else None
        claim = latest_accepted.achieved_claim if latest_accepted else None
        states[target.pk] = TargetState(
            value=figure_or_none,
            met=latest_accepted is not None and meets(target, figure_or_none, claim),
            accepted=latest_accepted,
            pending=pending,
        )
    return states
