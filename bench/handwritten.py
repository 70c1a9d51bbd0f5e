"""Hand-written SQL computing a plan's headline counts: the yardstick of ``bench_rollups``.

One statement per call, grouped by plan, by province, or for all the plans given: tasks per
bucket (the lead unit's latest sent report, its evidence's review, the deadline), targets
met (the latest accepted value against the goal), missing reports (closed periods × leaf
tasks × lead units without a sent report) and progress (top-level tasks, weighted, from
their children). It is what a careful person would type at ``psql`` for the same figures,
without the app's finer points (as-of cut-offs, undated tasks' start, per-period sums): a
floor for the cost, not a second implementation of the rules.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

_SQL = """
WITH scope AS (
    SELECT p.id AS plan_id, c.province_id, p.activated_at::date AS since
    FROM plans_plan p JOIN units_commune c ON c.id = p.commune_id
    WHERE p.id = ANY(%(plans)s)
),
leaves AS (
    SELECT t.id, t.plan_id, t.parent_id, t.weight, t.deadline_kind, t.due_on
    FROM plans_task t JOIN scope s ON s.plan_id = t.plan_id
    WHERE NOT EXISTS (SELECT 1 FROM plans_task c WHERE c.parent_id = t.id)
),
latest AS (
    SELECT DISTINCT ON (r.task_id) r.task_id, r.id, r.status, r.percent
    FROM tracking_progressreport r
    JOIN leaves l ON l.id = r.task_id
    JOIN tracking_period pe ON pe.id = r.period_id
    WHERE r.state = 'sent' AND NOT r.is_contribution
    ORDER BY r.task_id, pe.starts_on DESC, r.sent_at DESC
),
reviewed AS (
    SELECT la.task_id,
           bool_or(e.review = 'accepted') AS accepted,
           bool_or(e.review = 'pending') AS pending
    FROM latest la JOIN evidence_evidence e ON e.report_id = la.id
    WHERE e.withdrawn_at IS NULL
    GROUP BY la.task_id
),
states AS (
    SELECT l.id, l.plan_id, l.parent_id, l.weight,
        CASE
            WHEN la.status = 'completed' AND rv.accepted THEN 'done'
            WHEN la.status = 'completed' AND rv.pending THEN 'pending'
            WHEN la.status = 'completed' THEN 'rejected'
            WHEN la.status = 'paused' THEN 'paused'
            WHEN l.deadline_kind = 'date' AND l.due_on < %(today)s THEN 'late'
            WHEN la.status IS NULL OR la.status = 'not_started' THEN 'not_started'
            ELSE 'in_progress'
        END AS bucket,
        CASE WHEN la.status = 'completed' AND rv.accepted THEN 100
             ELSE coalesce(la.percent, 0) END AS percent
    FROM leaves l
    LEFT JOIN latest la ON la.task_id = l.id
    LEFT JOIN reviewed rv ON rv.task_id = l.id
),
tops AS (
    SELECT t.plan_id, t.weight,
        coalesce(sum(s.weight * s.percent) / nullif(sum(s.weight), 0),
                 max(own.percent)) AS percent
    FROM plans_task t JOIN scope sc ON sc.plan_id = t.plan_id
    LEFT JOIN states s ON s.parent_id = t.id
    LEFT JOIN states own ON own.id = t.id
    WHERE t.parent_id IS NULL
    GROUP BY t.id, t.plan_id, t.weight
),
progress AS (
    SELECT plan_id, sum(weight * percent) / nullif(sum(weight), 0) AS progress
    FROM tops GROUP BY plan_id
),
task_counts AS (
    SELECT plan_id, count(*) AS tasks,
        count(*) FILTER (WHERE bucket = 'done') AS done,
        count(*) FILTER (WHERE bucket = 'pending') AS pending,
        count(*) FILTER (WHERE bucket = 'rejected') AS rejected,
        count(*) FILTER (WHERE bucket = 'in_progress') AS in_progress,
        count(*) FILTER (WHERE bucket = 'late') AS late,
        count(*) FILTER (WHERE bucket = 'not_started') AS not_started,
        count(*) FILTER (WHERE bucket = 'paused') AS paused
    FROM states GROUP BY plan_id
),
target_latest AS (
    SELECT DISTINCT ON (v.target_id) v.target_id, v.value
    FROM tracking_targetvalue v
    JOIN plans_target t ON t.id = v.target_id
    JOIN scope s ON s.plan_id = t.plan_id
    JOIN tracking_period pe ON pe.id = v.period_id
    WHERE v.state = 'sent' AND v.review = 'accepted'
    ORDER BY v.target_id, pe.starts_on DESC, v.sent_at DESC
),
target_counts AS (
    SELECT t.plan_id, count(*) AS targets,
        count(*) FILTER (WHERE
            CASE coalesce(t.comparator, '>=')
                WHEN '>=' THEN tl.value >= t.value
                WHEN '>' THEN tl.value > t.value
                WHEN '<=' THEN tl.value <= t.value
                ELSE tl.value < t.value
            END) AS targets_met
    FROM plans_target t JOIN scope s ON s.plan_id = t.plan_id
    LEFT JOIN target_latest tl ON tl.target_id = t.id
    GROUP BY t.plan_id
),
missing AS (
    SELECT l.plan_id, count(DISTINCT (l.id, a.unit_id)) AS reports_missing
    FROM leaves l
    JOIN scope s ON s.plan_id = l.plan_id
    JOIN plans_taskassignment a ON a.task_id = l.id AND a.role = 'lead'
    JOIN tracking_period pe ON pe.plan_id = l.plan_id
        AND pe.due_on < %(today)s AND pe.ends_on >= s.since
    WHERE NOT EXISTS (
        SELECT 1 FROM tracking_progressreport r
        WHERE r.task_id = l.id AND r.period_id = pe.id AND r.unit_id = a.unit_id
          AND r.state = 'sent' AND NOT r.is_contribution
    )
    GROUP BY l.plan_id
)
SELECT {key} AS key, count(*) AS plans,
    sum(tc.tasks), sum(tc.done), sum(tc.pending), sum(tc.rejected), sum(tc.in_progress),
    sum(tc.late), sum(tc.not_started), sum(tc.paused),
    sum(gc.targets), sum(gc.targets_met), sum(coalesce(m.reports_missing, 0)),
    avg(pr.progress)
FROM scope s
LEFT JOIN task_counts tc ON tc.plan_id = s.plan_id
LEFT JOIN target_counts gc ON gc.plan_id = s.plan_id
LEFT JOIN missing m ON m.plan_id = s.plan_id
LEFT JOIN progress pr ON pr.plan_id = s.plan_id
GROUP BY {key}
"""

COLUMNS = (
    "key",
    "plans",
    "tasks",
    "done",
    "pending",
    "rejected",
    "in_progress",
    "late",
    "not_started",
    "paused",
    "targets",
    "targets_met",
    "reports_missing",
    "progress",
)


def counts(
    cursor: Any, plan_ids: list[int], *, today: dt.date, by: str = "plan"
) -> list[dict[str, Any]]:
    """The counts of ``plan_ids`` as of ``today``: one row per plan (``by="plan"``), per
    province (``"province"``) or one row for them all (``"all"``)."""
    key = {"plan": "s.plan_id", "province": "s.province_id", "all": "0"}[by]
    cursor.execute(_SQL.format(key=key), {"plans": plan_ids, "today": today})
    return [dict(zip(COLUMNS, row, strict=True)) for row in cursor.fetchall()]
