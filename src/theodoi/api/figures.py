"""A plan's dashboard figures, computed by the functions the commune dashboard shows.

Tasks by status are the dashboard's buckets over the plan's leaf tasks
(``dashboards.queries.plan_task_lines`` / ``status_row``: a general task speaks through its
sub-tasks, so each piece of work counts once); targets by result are its target buckets
(``target_lines`` / ``target_counts``: only values the office accepted count); warnings are
``alerts.rules.plan_warnings`` counted by kind. The plan's progress is its top-level tasks'
rolled-up percent, weighted (``tracking.status.plan_progress``, as on the province's
dashboard). Every figure is as of ``today`` (a past day reads the world as it was then).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.utils.translation import gettext as _

from theodoi.alerts.rules import KIND_LABELS, plan_warnings
from theodoi.dashboards.queries import (
    BUCKETS,
    TargetBucket,
    plan_task_lines,
    status_row,
    target_counts,
    target_lines,
)
from theodoi.plans.models import Plan
from theodoi.tracking.queries import plan_task_states
from theodoi.tracking.status import plan_progress


def _progress(plan: Plan, today: dt.date) -> float | None:
    tasks, states = plan_task_states(plan, today=today)
    progress = plan_progress(tasks, states)
    return round(progress, 1) if progress is not None else None


def plan_figures(plan: Plan, *, today: dt.date) -> dict[str, Any]:
    row = status_row("", {}, plan_task_lines(plan, today=today).lines)
    targets = target_counts(target_lines(plan, today=today))
    warnings = Counter(w.kind for w in plan_warnings(plan, today=today))
    return {
        "plan_id": str(plan.public_id),
        "today": today.isoformat(),
        "tasks": {
            "total": row.total,
            "by_status": [
                {"status": key, "label": str(label), "count": row.counts.get(key, 0)}
                for key, label in BUCKETS
            ],
            "stale": row.stale,
            "progress_percent": _progress(plan, today),
        },
        "targets": {
            "total": sum(n for _key, _label, _css, n in targets),
            "met": next((n for key, _l, _c, n in targets if key == TargetBucket.MET), 0),
            "by_result": [
                {"result": key, "label": label, "count": n} for key, label, _css, n in targets
            ],
        },
        "warnings": {
            "total": sum(warnings.values()),
            "by_kind": [
                {"kind": kind, "label": _(label), "count": warnings.get(kind, 0)}
                for kind, label in KIND_LABELS.items()
            ],
        },
    }
