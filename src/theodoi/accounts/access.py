"""The one place that decides which communes a user may see and manage.

Every view reaches commune data through these functions, so isolation between communes
is enforced here rather than view by view.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q
from django.http import Http404

from theodoi.units.models import Commune

from .models import PLAN_MANAGERS, Membership, Role

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
    """A filter on ``field`` (a FK to Commune) keeping what ``user`` may read."""
    communes = visible_communes(user)
    if communes is None:
        return Q()
    return Q(**{f"{field}__in": [c.pk for c in communes]})


def can_manage_plans(user: AnyUser, commune: Commune) -> bool:
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    assert isinstance(user, User)
    return Membership.objects.filter(user=user, commune=commune, role__in=PLAN_MANAGERS).exists()


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
        raise Http404
    if manage and not can_manage_plans(user, commune):
        raise Http404
    return commune
