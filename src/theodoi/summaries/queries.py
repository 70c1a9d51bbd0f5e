"""The figures of a commune, a province or the country, read from the summaries in a fixed
number of aggregate queries (numbers only: no task, report or commune object is built),
for the active plans of a year, as of ``today`` (any day from now on: the summaries hold the
current state, see ``models``).

Each number is defined as the province overview's (``dashboards.province.CommuneRow``) and
the warnings' (``alerts.rules``): tasks are leaf tasks, each in one bucket of
``tracking.status.bucket_of``; "due" and "done on time" are the on-time completion's
(``dashboards.ranking.on_time_completion``); a target is on track or behind by
``tracking.status.judgement`` (behind: off track, or not met once its year is over); the
reports missing are ``alerts.rules.missing_reports``' periods, counted one per task, lead
unit and period.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum, Window
from django.db.models.functions import Rank

from theodoi.plans.models import PlanStatus
from theodoi.tracking.status import Bucket
from theodoi.units.models import Commune, Province

from .models import PeriodSummary, PlanSummary, TargetSummary, TaskSummary


@dataclass(frozen=True)
class AreaFigures:
    """Numbers only, for a commune, a province or the country (its active plans of a year).

    - ``communes``: communes of the area; ``communes_with_plan``: those with a plan in
      force for the year; ``communes_not_reported``: those of them whose units have not
      sent every report owed for the plan's latest closed period (the periods in force whose
      reports were due before ``today`` with the latest due date, ``alerts.rules``).
    - ``tasks``: leaf tasks; ``done``, ``pending``, ``rejected``, ``paused``, ``late``,
      ``not_started``, ``in_progress``: their buckets (``status.bucket_of``), adding up to
      ``tasks``; ``tasks_due`` / ``done_on_time``: the on-time completion's whole and part.
    - ``targets``; ``targets_met``; ``targets_on_track`` / ``targets_behind``: not met,
      on track or behind (off track or not met) by ``status.judgement``;
      ``targets_with_data``: with an accepted value.
    - ``reports_due``: reports owed for the periods closed by ``today``; ``reports_missing``:
      those not sent (``alerts.rules.missing_reports``, one per task, lead unit and period).
    - ``progress``: the plan's progress (%); for several communes their mean, each plan
      counting once (the province overview's total); None without any.
    """

    communes: int
    communes_with_plan: int
    communes_not_reported: int
    tasks: int
    done: int
    done_on_time: int
    late: int
    pending: int
    targets: int
    targets_met: int
    targets_on_track: int
    targets_behind: int
    reports_missing: int
    progress: float | None
    tasks_due: int = 0
    rejected: int = 0
    paused: int = 0
    not_started: int = 0
    in_progress: int = 0
    targets_with_data: int = 0
    reports_due: int = 0


def commune_figures(province: Province, *, year: int, today: dt.date) -> dict[int, AreaFigures]:
    """Every commune of ``province`` (commune id → its figures), in six queries."""
    communes = {pk: 1 for pk in Commune.objects.in_province(province).values_list("pk", flat=True)}
    area = Q(commune__province_id=province.pk)
    return _figures(communes, key="commune_id", area=area, year=year, today=today)


def province_figures(*, year: int, today: dt.date) -> dict[int, AreaFigures]:
    """Every province (province id → its figures: the national view), in seven queries."""
    communes = {
        row["province_id"]: row["n"]
        for row in Commune.objects.order_by().values("province_id").annotate(n=Count("pk"))
    }
    for pk in Province.objects.values_list("pk", flat=True):
        communes.setdefault(pk, 0)
    return _figures(communes, key="commune__province_id", area=Q(), year=year, today=today)


def _bucket_on(bucket: str, today: dt.date) -> Q:
    """A leaf task in ``bucket`` on ``today``: its late bucket from its ``late_from`` day on."""
    late = Q(late_from__lte=today)
    return (late & Q(bucket_late=bucket)) | (~late & Q(bucket=bucket))


def _grouped(qs: QuerySet[Any], key: str, **sums: Any) -> dict[int, dict[str, Any]]:
    return {row.pop("key"): row for row in qs.order_by().values(key=F(key)).annotate(**sums)}


def _figures(
    communes: Mapping[int, int], *, key: str, area: Q, year: int, today: dt.date
) -> dict[int, AreaFigures]:
    in_force = Q(plan__status=PlanStatus.ACTIVE, plan__year=year) & area
    plan_key = "province_id" if key == "commune__province_id" else key
    plans = _grouped(
        PlanSummary.objects.filter(in_force),
        plan_key,
        plans=Count("pk"),
        targets=Sum("targets"),
        targets_met=Sum("targets_met"),
        targets_with_data=Sum("targets_with_data"),
        progress_sum=Sum("progress"),
        progress_n=Count("progress"),
    )
    buckets = {
        "done": Bucket.DONE,
        "pending": Bucket.PENDING,
        "rejected": Bucket.REJECTED,
        "paused": Bucket.PAUSED,
        "late": Bucket.LATE,
        "not_started": Bucket.NOT_STARTED,
        "in_progress": Bucket.IN_PROGRESS,
    }
    tasks = _grouped(
        TaskSummary.objects.filter(in_force, is_leaf=True),
        key,
        tasks=Count("pk"),
        tasks_due=Count("pk", filter=Q(due_from__lte=today)),
        done_on_time=Count("pk", filter=Q(on_time_from__lte=today)),
        **{name: Count("pk", filter=_bucket_on(b, today)) for name, b in buckets.items()},
    )
    not_met = Q(has_accepted=True, met=False)
    on_track = Q(on_track_until__gte=today)
    targets = _grouped(
        TargetSummary.objects.filter(in_force),
        key,
        on_track=Count("pk", filter=not_met & on_track),
        behind=Count("pk", filter=not_met & ~on_track),
    )
    closed = PeriodSummary.objects.filter(in_force, in_force=True, due_on__lt=today)
    reports = _grouped(closed, key, owed=Sum("owed"), sent=Sum("sent"))
    # The latest closed period(s) of each plan: a commune that left one of its reports unsent.
    # (The database keeps only those rows: one or two per plan leave it.)
    latest = closed.annotate(
        rank=Window(Rank(), partition_by=[F("plan_id")], order_by=F("due_on").desc())
    ).filter(rank=1)
    owing: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in latest.values("plan_id", "owed", "sent", area_key=F(key)):
        owing[row["area_key"]][row["plan_id"]] += row["owed"] - row["sent"]

    figures = {}
    for area_id, commune_count in communes.items():
        p = plans.get(area_id, {})
        t = tasks.get(area_id, {})
        g = targets.get(area_id, {})
        r = reports.get(area_id, {})
        count = {f.name: 0 for f in fields(AreaFigures)}
        count |= {name: t.get(name, 0) for name in (*buckets, "tasks", "tasks_due", "done_on_time")}
        figures[area_id] = AreaFigures(
            **count
            | {
                "communes": commune_count,
                "communes_with_plan": p.get("plans", 0),
                "communes_not_reported": sum(
                    1 for missing in owing.get(area_id, {}).values() if missing
                ),
                "targets": p.get("targets") or 0,
                "targets_met": p.get("targets_met") or 0,
                "targets_with_data": p.get("targets_with_data") or 0,
                "targets_on_track": g.get("on_track", 0),
                "targets_behind": g.get("behind", 0),
                "reports_due": r.get("owed") or 0,
                "reports_missing": (r.get("owed") or 0) - (r.get("sent") or 0),
                "progress": p["progress_sum"] / p["progress_n"] if p.get("progress_n") else None,
            }
        )
    return figures
