"""Who may do what on a commune's tasks. Views fetch through these, never around them."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import User
from django.http import Http404

from theodoi.accounts.access import AnyUser, communes_visible_q
from theodoi.accounts.models import Membership, Role
from theodoi.accounts.roles import LEADERS, OFFICE, UNIT_ROLES
from theodoi.plans.models import AssignmentRole, Target, Task
from theodoi.units.models import Commune, Unit


def _roles(user: AnyUser, commune: Commune) -> set[str]:
    if not isinstance(user, User) or not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user, commune=commune).values_list("role", flat=True))


def is_office(user: AnyUser, commune: Commune) -> bool:
    """The standing office (or the commune's admin): reviews evidence, edits tasks."""
    return bool(getattr(user, "is_superuser", False)) or bool(_roles(user, commune) & OFFICE)


def is_leader(user: AnyUser, commune: Commune) -> bool:
    return bool(getattr(user, "is_superuser", False)) or bool(_roles(user, commune) & LEADERS)


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
    task = (
        Task.objects.filter(communes_visible_q(user), public_id=public_id)
        .select_related("plan", "commune__province", "parent")
        .prefetch_related("assignments__unit")
        .first()
    )
    if task is None:
        raise Http404
    return task


def get_target_for_user(user: AnyUser, public_id: uuid.UUID) -> Target:
    target = (
        Target.objects.filter(communes_visible_q(user), public_id=public_id)
        .select_related("plan", "commune__province")
        .prefetch_related("owners")
        .first()
    )
    if target is None:
        raise Http404
    return target
