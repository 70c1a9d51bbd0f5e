"""Permission-checked reads of plans: every view fetches through these."""

from __future__ import annotations

import uuid

from django.db.models import Prefetch
from django.http import Http404

from theodoi.accounts.access import AnyUser, communes_visible_q
from theodoi.lib.requestlog import note_commune

from .models import AssignmentRole, Plan, Target, Task, TaskAssignment


def get_plan_for_user(user: AnyUser, public_id: uuid.UUID) -> Plan:
    plan = (
        Plan.objects.filter(communes_visible_q(user), public_id=public_id)
        .select_related("commune__province")
        .first()
    )
    if plan is None:
        raise Http404
    note_commune(plan.commune)
    return plan


def plan_targets(plan: Plan) -> list[Target]:
    return list(plan.targets.prefetch_related("owners"))


def plan_tasks(plan: Plan) -> list[Task]:
    """The plan's tasks in document order, each with ``leads`` and ``supports`` lists."""
    tasks = list(
        plan.tasks.prefetch_related(
            Prefetch("assignments", queryset=TaskAssignment.objects.select_related("unit"))
        )
    )
    for task in tasks:
        assignments = list(task.assignments.all())
        task.leads = [a.unit for a in assignments if a.role == AssignmentRole.LEAD]  # type: ignore[attr-defined]
        task.supports = [a.unit for a in assignments if a.role == AssignmentRole.SUPPORT]  # type: ignore[attr-defined]
    return tasks
