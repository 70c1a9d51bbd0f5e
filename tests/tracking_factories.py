"""Factories for the tracking loop: an active plan, reports, target values."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.contrib.auth.models import User

from theodoi.plans.models import Plan, Target, Task
from theodoi.plans.services import UnitResolver, plan_create_from_json
from theodoi.tracking.models import Period, ProgressReport, TaskStatus
from theodoi.tracking.services import ReportInput, report_save
from theodoi.units.models import Commune, Unit

from .factories import make_plan_json


def make_active_plan(commune: Commune, plan_json: dict[str, Any] | None = None) -> Plan:
    """Hòa Phong's sample plan (factories.BASE_PLAN), active, with its monthly periods.

    Tasks: I.1 (parent, lead TT PVHCC) → I.1.1 (lead Công an phường, due 30/06/2026) and
    I.1.2 (lead Phòng Văn hóa - Xã hội, recurring). Targets: "1" (≥ 90%, owner TT PVHCC) and
    "2" (qualitative, owner Phòng Văn hóa - Xã hội).
    """
    return plan_create_from_json(
        commune=commune,
        plan_json=plan_json or make_plan_json(),
        resolver=UnitResolver.for_commune(commune),
        created_by=None,
    )


def plan_of_size(commune: Commune, tasks: int) -> Plan:
    """Hòa Phong's sample plan with ``tasks`` more tasks led by the police."""
    plan_json = make_plan_json()
    extra = copy.deepcopy(plan_json["tasks"][1])
    for n in range(tasks):
        task: dict[str, Any] = {**copy.deepcopy(extra), "code": f"II.{n + 1}", "parent": None}
        task["line"] = 100 + n
        plan_json["tasks"].append(task)
    return make_active_plan(commune, plan_json)


def task_of(plan: Plan, code: str) -> Task:
    return plan.tasks.get(code=code)


def target_of(plan: Plan, code: str) -> Target:
    return plan.targets.get(code=code)


def period_of(plan: Plan, month: int) -> Period:
    return plan.periods.get(kind="month", number=month)


def make_report(
    task: Task,
    unit: Unit,
    user: User,
    *,
    month: int = 3,
    status: str = TaskStatus.IN_PROGRESS,
    percent: int = 40,
    **text: str,
) -> ProgressReport:
    period = period_of(task.plan, month)
    # Saving again over an existing draft names its current version, as every update must.
    existing = ProgressReport.objects.filter(task=task, period=period, unit=unit).first()
    return report_save(
        task=task,
        period=period,
        unit=unit,
        user=user,
        data=ReportInput(status=status, percent=percent, **text),
        version=existing.version if existing else None,
    )


def day(month: int, d: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, d)
