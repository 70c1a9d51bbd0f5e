"""Telling people: in-app notifications now; e-mail digests are sent by `theodoi notify`."""

from __future__ import annotations

from django.contrib.auth.models import User

from theodoi.accounts.models import Membership
from theodoi.units.models import Commune, Unit

from .models import Notification


def notify_unit(*, unit: Unit, text: str, url: str = "") -> list[Notification]:
    """Tell every member of ``unit`` (staff and head)."""
    users = User.objects.filter(memberships__unit=unit, is_active=True).distinct()
    return Notification.objects.bulk_create(
        Notification(commune_id=unit.commune_id, user=user, text=text[:500], url=url)
        for user in users
    )


def notify_roles(
    *, commune: Commune, roles: set[str], text: str, url: str = ""
) -> list[Notification]:
    """Tell everyone holding one of ``roles`` in ``commune`` (e.g. the standing office)."""
    user_ids = set(
        Membership.objects.filter(commune=commune, role__in=roles).values_list("user_id", flat=True)
    )
    return Notification.objects.bulk_create(
        Notification(commune=commune, user_id=user_id, text=text[:500], url=url)
        for user_id in sorted(user_ids)
    )
