"""The one place that decides which communes a user may see and manage.

Every view reaches commune data through these functions, so isolation between communes
is enforced here rather than view by view.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.http import Http404

from theodoi.lib.requestlog import note_commune
from theodoi.units.models import Commune, Unit

from .models import Membership
from .roles import PEOPLE_MANAGERS, PLAN_MANAGERS, Role

AnyUser = User | AnonymousUser


def visible_communes(user: AnyUser) -> list[Commune] | None:
    """Communes ``user`` may read; None means all (a system administrator)."""
    if not user.is_authenticated:
        return []
    if getattr(user, "is_superuser", False):
        return None
    assert isinstance(user, User)
    memberships = Membership.objects.filter(user=user)
    province_ids = [
        m.province_id for m in memberships if m.role == Role.PROVINCE_OFFICER and m.province_id
    ]
    commune_ids = [m.commune_id for m in memberships if m.commune_id]
    return list(Commune.objects.filter(Q(pk__in=commune_ids) | Q(province_id__in=province_ids)))


def communes_visible_q(user: AnyUser, field: str = "commune") -> Q:
    """A filter on ``field`` (a FK to Commune) keeping what ``user`` may read.

    The same rule as ``visible_communes``, as subqueries: the boundary is joined into the
    query that fetches the object, not read beforehand (two queries fewer on every fetch)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if getattr(user, "is_superuser", False):
        return Q()
    memberships = Membership.objects.filter(user_id=user.pk)
    commune_ids = memberships.filter(commune_id__isnull=False).values("commune_id")
    province_ids = memberships.filter(role=Role.PROVINCE_OFFICER, province_id__isnull=False).values(
        "province_id"
    )
    return Q(**{f"{field}__in": commune_ids}) | Q(**{f"{field}__province_id__in": province_ids})


def can_manage_plans(user: AnyUser, commune: Commune) -> bool:
    from .policy import Action, may

    return may(user, Action.MANAGE_PLAN, commune)


def managed_communes(user: AnyUser) -> list[Commune]:
    if not user.is_authenticated:
        return []
    if getattr(user, "is_superuser", False):
        return list(Commune.objects.all())
    assert isinstance(user, User)
    return list(
        Commune.objects.filter(
            memberships__user=user, memberships__role__in=PLAN_MANAGERS
        ).distinct()
    )


def get_commune_for_user(user: AnyUser, public_id: uuid.UUID, *, manage: bool = False) -> Commune:
    """The commune, or 404 when the user may not see it (never 403: no existence leak)."""
    commune = Commune.objects.filter(public_id=public_id).select_related("province").first()
    if commune is None:
        raise Http404
    visible = visible_communes(user)
    if visible is not None and commune not in visible:
        access_denied(user, commune=commune, what=str(commune))
        raise Http404
    if manage and not can_manage_plans(user, commune):
        access_denied(user, commune=commune, what=f"quản lý kế hoạch của {commune}")
        raise Http404
    note_commune(commune)
    return commune


# --- people and units: who manages whom -------------------------------------------------------


def can_manage_people(user: AnyUser, commune: Commune) -> bool:
    """Whether ``user`` creates, disables and resets the accounts and units of ``commune``."""
    from .policy import Action, may

    return may(user, Action.MANAGE_PEOPLE, commune)


def people_communes(user: AnyUser) -> list[Commune]:
    """The communes whose people ``user`` manages (every commune for a system administrator)."""
    if not user.is_authenticated:
        return []
    if getattr(user, "is_superuser", False):
        return list(Commune.objects.select_related("province"))
    assert isinstance(user, User)
    return list(
        Commune.objects.filter(memberships__user=user, memberships__role__in=PEOPLE_MANAGERS)
        .select_related("province")
        .distinct()
    )


def get_commune_to_manage_people(user: AnyUser, public_id: uuid.UUID) -> Commune:
    """The commune, or 404 unless ``user`` manages its people."""
    commune = Commune.objects.filter(public_id=public_id).select_related("province").first()
    if commune is None:
        raise Http404
    if not can_manage_people(user, commune):
        access_denied(user, commune=commune, what=f"quản lý người dùng của {commune}")
        raise Http404
    return commune


def people_of(commune: Commune, *, include_elevated: bool = False) -> QuerySet[User]:
    """The commune's people: its accounts and whoever holds a role in it.

    System administrators and province officers are not a commune's people even when they
    hold a role there: only a system administrator manages them (``include_elevated``).
    """
    people = User.objects.filter(Q(account__commune=commune) | Q(memberships__commune=commune))
    if not include_elevated:
        people = people.exclude(is_superuser=True).exclude(memberships__role=Role.PROVINCE_OFFICER)
    return people.distinct()


def get_person_to_manage(user: AnyUser, commune: Commune, username: str) -> User:
    """One of ``commune``'s people, for someone who manages them; anyone else is a 404."""
    if not can_manage_people(user, commune):
        raise Http404
    elevated = bool(getattr(user, "is_superuser", False))
    person = people_of(commune, include_elevated=elevated).filter(username=username).first()
    if person is None:
        raise Http404
    return person


def get_unit_to_manage(user: AnyUser, commune: Commune, public_id: uuid.UUID) -> Unit:
    if not can_manage_people(user, commune):
        raise Http404
    unit = Unit.objects.filter(commune=commune, public_id=public_id).first()
    if unit is None:
        raise Http404
    return unit


def roles_of(user: AnyUser, commune: Commune) -> set[str]:
    """``user``'s roles in ``commune``, a province officer's role over it included."""
    if not isinstance(user, User) or not user.is_authenticated:
        return set()
    roles = set()
    for role, commune_id, province_id in Membership.objects.filter(user=user).values_list(
        "role", "commune_id", "province_id"
    ):
        if commune_id == commune.pk or (
            role == Role.PROVINCE_OFFICER and province_id == commune.province_id
        ):
            roles.add(role)
    return roles


def access_denied(user: AnyUser, *, commune: Commune | None, what: str) -> None:
    """Put a refused access on the audit trail (the user still sees a plain 404)."""
    # Imported here: the audit app's models import plans, which import this module's app.
    from .services import access_denied_record

    access_denied_record(
        user=user if isinstance(user, User) and user.is_authenticated else None,
        commune=commune,
        what=what,
    )
