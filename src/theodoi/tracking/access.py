"""Who may do what on a commune's tasks. Views fetch through these, never around them."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import User
from django.db.models import Prefetch

from theodoi.accounts.access import AnyUser
from theodoi.accounts.models import Role
from theodoi.accounts.policy import Action, fetch, may, standing
from theodoi.accounts.roles import OFFICE, UNIT_ROLES
from theodoi.plans.models import AssignmentRole, Target, Task, TaskAssignment
from theodoi.units.models import Commune, Unit


def is_office(user: AnyUser, commune: Commune) -> bool:
    """The standing office (or the commune's admin): reviews evidence, edits tasks."""
    return bool(standing(user, commune).roles & OFFICE)


def is_leader(user: AnyUser, commune: Commune) -> bool:
    return may(user, Action.GIVE_DIRECTION, commune)


def user_units(user: AnyUser, commune: Commune) -> list[Unit]:
    """The units whose work ``user`` reports in ``commune``."""
    if not isinstance(user, User) or not user.is_authenticated:
        return []
    return list(
        Unit.objects.filter(
            memberships__user=user,
            memberships__role__in=UNIT_ROLES,
            commune=commune,
        ).distinct()
    )


def headed_units(user: AnyUser, commune: Commune) -> list[Unit]:
    """The units ``user`` heads: they confirm those units' reports."""
    if not isinstance(user, User) or not user.is_authenticated:
        return []
    return list(
        Unit.objects.filter(
            memberships__user=user, memberships__role=Role.UNIT_HEAD, commune=commune
        ).distinct()
    )


def task_role_of(task: Task, units: list[Unit]) -> tuple[Unit, str] | None:
    """The first of ``units`` assigned to ``task``, leads before supports, with its role."""
    assignments = {a.unit_id: a.role for a in task.assignments.all()}
    for wanted in (AssignmentRole.LEAD, AssignmentRole.SUPPORT):
        for unit in units:
            if assignments.get(unit.pk) == wanted:
                return unit, wanted
    return None


def get_task_for_user(user: AnyUser, public_id: uuid.UUID) -> Task:
    """A task of a commune the user may read; another commune's task is a 404."""
    tasks = Task.objects.select_related("plan", "commune__province", "parent").with_parent_flag()
    assignments = TaskAssignment.objects.select_related("unit")
    return fetch(user, tasks.prefetch_related(Prefetch("assignments", assignments)), public_id)


def get_target_for_user(user: AnyUser, public_id: uuid.UUID) -> Target:
    targets = Target.objects.select_related("plan", "commune__province")
    return fetch(user, targets.prefetch_related("owners"), public_id)
