"""The figures of ``summaries.queries`` computed from the live derivation (``tracking.status``,
``alerts.rules``, ``dashboards.ranking``), the way the province overview computes them: what
the summaries must equal."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from theodoi.alerts.rules import closed_periods_of, lead_ids_of, missing_reports, report_owed
from theodoi.dashboards.queries import TaskLine
from theodoi.dashboards.ranking import on_time_completion
from theodoi.plans.models import Plan, Target, Task
from theodoi.summaries.queries import AreaFigures
from theodoi.tracking.status import (
    Bucket,
    Judgement,
    bucket_of,
    judgement,
    leaves_of,
    plan_progress,
    target_states,
    task_states,
)
from theodoi.units.models import Commune


def live_commune_figures(
    communes: list[Commune], *, year: int, today: dt.date
) -> dict[int, AreaFigures]:
    plans = list(Plan.objects.active().filter(commune__in=communes, year=year))
    plan_of = {p.commune_id: p for p in plans}
    figures = {}
    for commune in communes:
        plan = plan_of.get(commune.pk)
        figures[commune.pk] = plan_figures(plan, today=today) if plan else _empty()
    return figures


def _empty() -> AreaFigures:
    return AreaFigures(
        communes=1, communes_with_plan=0, communes_not_reported=0, tasks=0, done=0,
        done_on_time=0, late=0, pending=0, targets=0, targets_met=0, targets_on_track=0,
        targets_behind=0, reports_missing=0, progress=None,
    )  # fmt: skip


def plan_figures(plan: Plan, *, today: dt.date) -> AreaFigures:
    tasks = list(Task.objects.filter(plan=plan))
    states = task_states(tasks, today=today)
    leaves = leaves_of(tasks)
    buckets = Counter(bucket_of(states[t.pk]) for t in leaves)
    lines = [
        TaskLine(task=t, state=states[t.pk], leads=[], supports=[], parent=None) for t in leaves
    ]
    on_time = on_time_completion(lines, today)
    targets = list(Target.objects.filter(plan=plan))
    tstates = target_states(targets, as_of=today)
    judged = Counter(judgement(t, tstates[t.pk], plan, today) for t in targets)
    leads = lead_ids_of([plan])
    periods = closed_periods_of([plan], today)
    missing = missing_reports([plan], leaves, states, leads, today, periods=periods)
    latest_due = max((p.due_on for p in periods.get(plan.pk, [])), default=None)
    owed_latest = sum(1 for ps in missing.values() for p in ps if p.due_on == latest_due)
    owed = sum(
        len(leads.get(task.pk, []))
        for task in leaves
        for period in periods.get(plan.pk, [])
        if report_owed(states[task.pk].completed_on, period)
    )
    return AreaFigures(
        communes=1,
        communes_with_plan=1,
        communes_not_reported=1 if owed_latest else 0,
        tasks=len(leaves),
        done=buckets[Bucket.DONE],
        done_on_time=on_time.part,
        late=buckets[Bucket.LATE],
        pending=buckets[Bucket.PENDING],
        targets=len(targets),
        targets_met=sum(1 for t in targets if tstates[t.pk].met),
        targets_on_track=judged[Judgement.ON_TRACK],
        targets_behind=judged[Judgement.OFF_TRACK] + judged[Judgement.NOT_MET],
        reports_missing=sum(len(ps) for ps in missing.values()),
        progress=plan_progress(tasks, states),
        tasks_due=on_time.whole,
        rejected=buckets[Bucket.REJECTED],
        paused=buckets[Bucket.PAUSED],
        not_started=buckets[Bucket.NOT_STARTED],
        in_progress=buckets[Bucket.IN_PROGRESS],
        targets_with_data=sum(1 for t in targets if tstates[t.pk].accepted),
        reports_due=owed,
    )
