"""Keeping the summaries (``models``) equal to the live derivation, write by write.

Every service function whose write changes a figure calls one of the ``summary_*`` functions
below inside its own transaction. Each locks the plan's summary row first (two writes on one
plan then refresh one after the other, the second reading what the first committed), derives
the touched tasks or targets with ``tracking.status`` — the one place of the rules — and
rolls the rest up from the stored rows of the plan's other tasks, so a save reads a handful
of rows, not the plan's reports. ``summary_rebuild`` derives a whole plan again;
``summary_differences`` compares the stored rows with a fresh derivation (``theodoi check``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, cast

from django.db import IntegrityError, connections, router, transaction
from django.db.models import Count, Exists, F, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.db.models.sql import UpdateQuery
from django.utils import timezone

from theodoi.alerts.rules import (
    lead_ids_of,
    period_in_force,
    plan_since,
    report_owed,
    report_owed_sql,
)
from theodoi.plans.models import AssignmentRole, Plan, Target, Task, TaskAssignment
from theodoi.tracking.models import Period, ProgressReport, ReportState, TargetValue
from theodoi.tracking.status import (
    Bucket,
    TaskState,
    bucket_of,
    late_from,
    leaves_of,
    on_track_until,
    plan_progress,
    roll_up,
    target_states,
    task_states,
)
from theodoi.units.models import Commune

from .models import LeadSummary, PeriodSummary, PlanSummary, TargetSummary, TaskSummary

if TYPE_CHECKING:
    from theodoi.evidence.models import Evidence

TASK_FIELDS = (
    "plan_id",
    "commune_id",
    "is_leaf",
    "weight",
    "status",
    "percent",
    "completion",
    "completed_on",
    "late_from",
    "bucket",
    "bucket_late",
    "due_from",
    "on_time_from",
)
TARGET_FIELDS = (
    "plan_id",
    "commune_id",
    "value",
    "has_accepted",
    "met",
    "has_pending",
    "on_track_until",
)
PERIOD_FIELDS = ("plan_id", "commune_id", "due_on", "starts_on", "in_force", "owed", "sent")
PLAN_FIELDS = (
    "commune_id",
    "province_id",
    "year",
    "leaves",
    "done",
    "pending",
    "rejected",
    "paused",
    "targets",
    "targets_met",
    "targets_with_data",
    "progress",
)
# Only the plan fields the figures need (a plan row is wide).
PLAN_COLUMNS = ("id", "commune_id", "year", "issued_on", "activated_at", "status")
# Only the task fields the state and its days need: the rest stays in the database.
TASK_COLUMNS = (
    "id",
    "plan_id",
    "commune_id",
    "parent_id",
    "deadline_kind",
    "due_on",
    "starts_on",
    "weight",
)

AllOr = Collection[int] | None  # some ids, or None for all of the plan's


# --- the rows as the live derivation gives them ------------------------------------------------


def _on_time_days(task: Task, state: TaskState) -> tuple[dt.date | None, dt.date | None]:
    """The first cut-off from which the task counts among the dated tasks due, and among
    those done on time (``dashboards.ranking.on_time_completion``, the rule's one place)."""
    # Imported here: the dashboards read the summaries, not the other way round.
    from theodoi.dashboards.queries import TaskLine
    from theodoi.dashboards.ranking import on_time_completion
    from theodoi.tracking.status import first_day

    line = [TaskLine(task=task, state=state, leads=[], supports=[], parent=None)]
    due = first_day(lambda day: on_time_completion(line, day).whole > 0)
    on_time = first_day(lambda day: on_time_completion(line, day).part > 0)
    return due, on_time


def task_row(task: Task, state: TaskState, *, is_leaf: bool) -> TaskSummary:
    """The summary of ``task`` in ``state`` (its state for today, rolled up)."""
    row = TaskSummary(
        task_id=task.pk,
        plan_id=task.plan_id,
        commune_id=task.commune_id,
        is_leaf=is_leaf,
        weight=task.weight,
        status=state.status,
        percent=state.percent,
        completion=state.completion,
        completed_on=state.completed_on,
        bucket=bucket_of(replace(state, late=False)),
        bucket_late=bucket_of(replace(state, late=True)),
    )
    if is_leaf:
        # Only leaves are counted and listed (``status.leaves_of``): a parent's days are moot.
        row.late_from = late_from(task, state.status, state.completed_on)
        row.due_from, row.on_time_from = _on_time_days(task, state)
    return row


def _state_of(row: dict[str, Any]) -> TaskState:
    """A stored task row as the state it was derived from (``late`` is in ``late_from``)."""
    return TaskState(
        status=row["status"],
        percent=row["percent"],
        completion=row["completion"],
        late=False,
        completed_on=row["completed_on"],
        last_report=None,
    )


def _values(row: object, fields: Iterable[str]) -> tuple[object, ...]:
    return tuple(getattr(row, f) for f in fields)


@dataclass
class Refresh:
    """What a refresh found stored differently from the live derivation (and wrote, unless
    it was only a check)."""

    plan_id: int
    tasks: list[int]
    targets: list[int]
    periods: list[int]
    plan: bool
    leads: list[int] = field(default_factory=list)  # lead assignments

    @property
    def differs(self) -> bool:
        return bool(self.tasks or self.targets or self.periods or self.plan or self.leads)


def _locked_summary(plan_id: int, *, lock: bool) -> tuple[Plan, PlanSummary | None, bool]:
    """The plan and its summary row, locked until the transaction ends (one query), and
    whether the row was made just now (the plan has no summary yet: derive all of it)."""
    qs = PlanSummary.objects.select_related("plan").only(
        *(f.attname for f in PlanSummary._meta.concrete_fields),
        *(f"plan__{f}" for f in PLAN_COLUMNS),
    )
    if lock:
        qs = qs.select_for_update(of=("self",))
    row = qs.filter(plan_id=plan_id).first()
    if row is not None:
        return row.plan, row, False
    plan = Plan.objects.get(pk=plan_id)
    if not lock:
        return plan, None, False
    province_id = Commune.objects.filter(pk=plan.commune_id).values_list("province_id", flat=True)
    try:
        with transaction.atomic():
            PlanSummary.objects.create(
                plan=plan, commune_id=plan.commune_id, province_id=province_id[0], year=plan.year
            )
    except IntegrityError:
        pass  # another write created it meanwhile; its lock is taken below
    row = PlanSummary.objects.select_for_update(of=("self",)).get(plan_id=plan_id)
    return plan, row, True


@transaction.atomic(savepoint=False)  # no savepoint inside the write's own transaction
def refresh(
    plan_id: int,
    *,
    tasks: AllOr = (),
    targets: AllOr = (),
    periods: bool = False,
    write: bool = True,
) -> Refresh:
    """Derive ``tasks`` and ``targets`` of the plan again (None: all of them), roll the
    plan's tasks up, and store what changed; ``periods``: count the reports owed and sent
    again (also done when a leaf's completion day or the plan's leaves change). With
    ``write=False`` nothing is stored: the result says what differs (the check)."""
    plan, summary, made = _locked_summary(plan_id, lock=write)
    if made:
        tasks, targets, periods = None, None, True
    # A write recounts its plan's reports in one SQL statement; a rebuild or a check by
    # the rule in Python (creating the rows), and the tests hold the two equal.
    recount_in_sql = write and tasks is not None
    today = timezone.localdate()
    found = Refresh(plan_id=plan.pk, tasks=[], targets=[], periods=[], plan=False)
    fresh_plan = PlanSummary(
        plan_id=plan.pk,
        commune_id=plan.commune_id,
        province_id=summary.province_id
        if summary
        else Commune.objects.values_list("province_id", flat=True).get(pk=plan.commune_id),
        year=plan.year,
    )
    if summary is not None:
        for field in PLAN_FIELDS:
            setattr(fresh_plan, field, getattr(summary, field))

    if tasks != () or periods:
        # Narrow rows, one query: the task's columns and its stored summary (if any).
        all_tasks, stored = [], {}
        for values in Task.objects.filter(plan_id=plan.pk).values_list(
            *TASK_COLUMNS, "summary__task_id", *(f"summary__{f}" for f in TASK_FIELDS)
        ):
            all_tasks.append(Task(**dict(zip(TASK_COLUMNS, values, strict=False))))
            if values[len(TASK_COLUMNS)] is not None:
                stored[values[0]] = dict(
                    zip(TASK_FIELDS, values[len(TASK_COLUMNS) + 1 :], strict=True)
                )
        touched = {t.pk for t in all_tasks if tasks is None or t.pk in tasks or t.pk not in stored}
        states = (
            task_states([t for t in all_tasks if t.pk in touched], today=today) if touched else {}
        )
        for task in all_tasks:
            if task.pk not in touched:
                states[task.pk] = _state_of(stored[task.pk])
        states = roll_up(all_tasks, states, today=today)
        leaves = leaves_of(all_tasks)
        leaf_ids = {t.pk for t in leaves}
        # Only the touched tasks and their ancestors can have changed: the others keep
        # their stored rows (computing a row's days costs a few dozen rule evaluations).
        parent_of = {t.pk: t.parent_id for t in all_tasks}
        derived = set(touched)
        for task_id in touched:
            parent_id = parent_of.get(task_id)
            while parent_id is not None and parent_id not in derived:
                derived.add(parent_id)
                parent_id = parent_of.get(parent_id)
        new_rows, changed = [], []
        for task in all_tasks:
            if task.pk not in derived:
                continue
            row = task_row(task, states[task.pk], is_leaf=task.pk in leaf_ids)
            old = stored.get(task.pk)
            if old is None:
                new_rows.append(row)
            elif tuple(old.values()) != _values(row, TASK_FIELDS):
                changed.append(row)
                if old["is_leaf"] != row.is_leaf or old["completed_on"] != row.completed_on:
                    periods = True
            else:
                continue
            found.tasks.append(task.pk)
        if new_rows:
            periods = True
        if write:
            TaskSummary.objects.bulk_create(new_rows)
            _update(TaskSummary, changed, TASK_FIELDS, stored)
        leaf_buckets = [bucket_of(replace(states[t.pk], late=False)) for t in leaves]
        fresh_plan.leaves = len(leaves)
        fresh_plan.done = leaf_buckets.count(Bucket.DONE)
        fresh_plan.pending = leaf_buckets.count(Bucket.PENDING)
        fresh_plan.rejected = leaf_buckets.count(Bucket.REJECTED)
        fresh_plan.paused = leaf_buckets.count(Bucket.PAUSED)
        fresh_plan.progress = plan_progress(all_tasks, states)
        if periods and recount_in_sql:
            _recount_periods(plan)
        elif periods:
            found.periods = _refresh_periods(plan, leaves, states, write=write)
        if periods:
            # The lead units' first unsent report: of the tasks whose reports, completion,
            # units or place among the leaves may have changed (all of them on a rebuild).
            lead_tasks = None if tasks is None else touched | {r.pk for r in new_rows + changed}
            found.leads = _refresh_leads(plan, lead_tasks, leaf_ids, states, write=write)

    if targets != ():
        found.targets = _refresh_targets(plan, targets, fresh_plan, today=today, write=write)

    if summary is None or _values(summary, PLAN_FIELDS) != _values(fresh_plan, PLAN_FIELDS):
        found.plan = True
        if write:
            assert summary is not None  # made above when missing
            before = {f: getattr(summary, f) for f in PLAN_FIELDS}
            _update(PlanSummary, [fresh_plan], PLAN_FIELDS, {summary.pk: before})
    return found


def _update(
    model: type[Model], rows: list[Any], fields: tuple[str, ...], old: dict[int, dict[str, Any]]
) -> None:
    """Store changed rows: when few (a write touches one or two), one UPDATE each of the
    fields that changed (a bulk update's CASE expressions cost more to build than they
    save); else in bulk."""
    if len(rows) > 3:
        model._default_manager.bulk_update(rows, fields)
        return
    for row in rows:
        before = old[row.pk]
        changed = {f: getattr(row, f) for f in fields if before[f] != getattr(row, f)}
        model._default_manager.filter(pk=row.pk).update(**changed)


# The recount is the same statement for every plan but the plan's id: built by the ORM
# once per database (building it costs more than running it), then run with the id.
_RECOUNT: dict[str, tuple[str, tuple[Any, ...]]] = {}
_ANY_PLAN = -20_260_415  # stands for the plan's id in the statement built once


def _recount_periods(plan: Plan) -> None:
    """Each period's reports owed and sent, counted by the database from the stored task
    rows (``alerts.rules.report_owed_sql``, the SQL twin of ``report_owed``): one query."""
    alias = router.db_for_write(PeriodSummary)
    if alias not in _RECOUNT:
        owed = (
            TaskAssignment.objects.filter(
                task__plan_id=OuterRef("plan_id"),
                role=AssignmentRole.LEAD,
                task__summary__is_leaf=True,
            )
            .filter(report_owed_sql(F("task__summary__completed_on"), OuterRef("starts_on")))
            .order_by()
        )
        sent = owed.filter(
            Exists(
                ProgressReport.objects.filter(
                    task_id=OuterRef("task_id"),
                    unit_id=OuterRef("unit_id"),
                    period_id=OuterRef(OuterRef("period_id")),
                    state=ReportState.SENT,
                    is_contribution=False,
                )
            )
        )

        def count(qs: QuerySet[TaskAssignment]) -> Coalesce:
            counted = qs.values("task__plan_id").annotate(n=Count("pk")).values("n")
            return Coalesce(Subquery(counted), 0)

        query = cast(
            UpdateQuery, PeriodSummary.objects.filter(plan_id=_ANY_PLAN).query.chain(UpdateQuery)
        )
        query.add_update_values({"owed": count(owed), "sent": count(sent)})
        _RECOUNT[alias] = query.get_compiler(alias).as_sql()
    sql, params = _RECOUNT[alias]
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [plan.pk if p == _ANY_PLAN else p for p in params])


def _refresh_periods(
    plan: Plan, leaves: list[Task], states: dict[int, TaskState], *, write: bool
) -> list[int]:
    """Each period's reports owed and sent by the lead units of the plan's leaf tasks, by
    ``alerts.rules`` (``report_owed``, ``period_in_force``): four queries."""
    plan_periods = list(Period.objects.filter(plan_id=plan.pk).select_related("summary"))
    leads = lead_ids_of([plan])
    sent = set(
        ProgressReport.objects.filter(
            task__plan_id=plan.pk, state=ReportState.SENT, is_contribution=False
        ).values_list("task_id", "period_id", "unit_id")
    )
    since = plan_since(plan)
    new_rows, changed, differ = [], [], []
    for period in plan_periods:
        owed = met = 0
        for task in leaves:
            if not report_owed(states[task.pk].completed_on, period):
                continue
            for unit_id in leads.get(task.pk, ()):
                owed += 1
                met += (task.pk, period.pk, unit_id) in sent
        row = PeriodSummary(
            period_id=period.pk,
            plan_id=plan.pk,
            commune_id=plan.commune_id,
            due_on=period.due_on,
            starts_on=period.starts_on,
            in_force=period_in_force(period, since),
            owed=owed,
            sent=met,
        )
        old: PeriodSummary | None = getattr(period, "summary", None)
        if old is None:
            new_rows.append(row)
        elif _values(old, PERIOD_FIELDS) != _values(row, PERIOD_FIELDS):
            changed.append(row)
        else:
            continue
        differ.append(period.pk)
    if write:
        PeriodSummary.objects.bulk_create(new_rows)
        PeriodSummary.objects.bulk_update(changed, PERIOD_FIELDS)
    return differ


def _refresh_leads(
    plan: Plan,
    task_ids: Collection[int] | None,
    leaf_ids: set[int],
    states: dict[int, TaskState],
    *,
    write: bool,
) -> list[int]:
    """For each lead unit of ``task_ids`` (None: every task of the plan), the due day of the
    first report it owes (``report_owed``, in a period in force: ``period_in_force``) and has
    not sent; rows of units no longer leading, or of tasks no longer leaves, go. Three
    queries, and the writes."""
    assignments = TaskAssignment.objects.filter(task__plan_id=plan.pk)
    if task_ids is not None:
        assignments = assignments.filter(task_id__in=list(task_ids))
    rows = list(
        assignments.order_by().values_list(
            "pk", "task_id", "unit_id", "role", "summary__pk", "summary__first_missing_due_on"
        )
    )
    if not rows:
        return []
    since = plan_since(plan)
    periods = [
        p
        for p in Period.objects.filter(plan_id=plan.pk).only("id", "starts_on", "ends_on", "due_on")
        if period_in_force(p, since)
    ]
    periods.sort(key=lambda p: p.due_on)
    sent = set(
        ProgressReport.objects.filter(
            task_id__in={task_id for _pk, task_id, *_rest in rows},
            state=ReportState.SENT,
            is_contribution=False,
        ).values_list("task_id", "period_id", "unit_id")
    )
    new_rows: list[LeadSummary] = []
    changed: list[LeadSummary] = []
    gone: list[int] = []
    differ: list[int] = []
    for pk, task_id, unit_id, role, stored_pk, stored_day in rows:
        leads = role == AssignmentRole.LEAD and task_id in leaf_ids
        if not leads:
            if stored_pk is not None:
                gone.append(pk)
                differ.append(pk)
            continue
        completed_on = states[task_id].completed_on
        first = next(
            (
                p.due_on
                for p in periods
                if report_owed(completed_on, p) and (task_id, p.pk, unit_id) not in sent
            ),
            None,
        )
        if stored_pk is not None and stored_day == first:
            continue
        row = LeadSummary(
            assignment_id=pk,
            plan_id=plan.pk,
            commune_id=plan.commune_id,
            first_missing_due_on=first,
        )
        (new_rows if stored_pk is None else changed).append(row)
        differ.append(pk)
    if write:
        LeadSummary.objects.filter(pk__in=gone).delete()
        LeadSummary.objects.bulk_create(new_rows)
        for row in changed:
            LeadSummary.objects.filter(pk=row.pk).update(
                first_missing_due_on=row.first_missing_due_on
            )
    return differ


def _refresh_targets(
    plan: Plan, target_ids: AllOr, fresh_plan: PlanSummary, *, today: dt.date, write: bool
) -> list[int]:
    targets_qs = Target.objects.filter(plan_id=plan.pk).select_related("summary")
    if target_ids is not None:
        targets_qs = targets_qs.filter(pk__in=list(target_ids))
    targets = list(targets_qs)
    states = target_states(targets, as_of=today, plans=[plan] if target_ids is None else None)
    new_rows, changed, differ = [], [], []
    for target in targets:
        state = states[target.pk]
        row = TargetSummary(
            target_id=target.pk,
            plan_id=plan.pk,
            commune_id=target.commune_id,
            value=state.value,
            has_accepted=state.accepted is not None,
            met=state.met,
            has_pending=state.pending is not None,
            on_track_until=on_track_until(target, state, plan),
        )
        old: TargetSummary | None = getattr(target, "summary", None)
        if old is None:
            new_rows.append(row)
        elif _values(old, TARGET_FIELDS) != _values(row, TARGET_FIELDS):
            changed.append(row)
        else:
            continue
        differ.append(target.pk)
    if target_ids is None:
        fresh_plan.targets = len(targets)
        fresh_plan.targets_met = sum(1 for t in targets if states[t.pk].met)
        fresh_plan.targets_with_data = sum(1 for t in targets if states[t.pk].accepted)
    if write:
        TargetSummary.objects.bulk_create(new_rows)
        TargetSummary.objects.bulk_update(changed, TARGET_FIELDS)
        if target_ids is not None:
            counts = TargetSummary.objects.filter(plan_id=plan.pk).aggregate(
                targets=Count("pk"),
                met=Count("pk", filter=Q(met=True)),
                with_data=Count("pk", filter=Q(has_accepted=True)),
            )
            fresh_plan.targets = counts["targets"]
            fresh_plan.targets_met = counts["met"]
            fresh_plan.targets_with_data = counts["with_data"]
    return differ


# --- the calls the service functions make (one line each, inside their transaction) ----------


def summary_report_sent(report: ProgressReport) -> None:
    """A report reached the standing office: its task's state and its period's count."""
    if report.state == ReportState.SENT:
        refresh(report.task.plan_id, tasks=[report.task_id], periods=True)


def summary_task_changed(task: Task, *, assignments: bool = False) -> None:
    """A task's evidence, deadline, units or place in the tree changed (``assignments``:
    its lead units, who owe its reports)."""
    refresh(task.plan_id, tasks=[task.pk], periods=assignments)


def summary_evidence_changed(evidence: Evidence, owner: ProgressReport | TargetValue) -> None:
    """An evidence was added, reviewed or withdrawn: a sent report's completion may change
    (a target's value counts by its own review, not its evidence's)."""
    if isinstance(owner, ProgressReport) and owner.state == ReportState.SENT:
        refresh(owner.task.plan_id, tasks=[owner.task_id])


def summary_value_changed(target_value: TargetValue) -> None:
    """A target's value was sent or reviewed."""
    refresh(target_value.target.plan_id, targets=[target_value.target_id])


def summary_plan_changed(plan: Plan) -> None:
    """A plan was created, put in force or back in force: derive all of it."""
    summary_rebuild(plan)


def summary_rebuild(plan: Plan) -> Refresh:
    """Derive every row of ``plan`` again and store what differs (idempotent)."""
    return refresh(plan.pk, tasks=None, targets=None, periods=True)


def summary_differences(plans: Iterable[Plan]) -> list[Refresh]:
    """The plans whose stored summary differs from the live derivation (nothing written)."""
    found = []
    for plan in plans:
        result = refresh(plan.pk, tasks=None, targets=None, periods=True, write=False)
        if result.differs:
            found.append(result)
    return found
