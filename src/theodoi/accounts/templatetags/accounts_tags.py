from __future__ import annotations

from django import template
from django.http import HttpRequest

from theodoi.accounts.access import AnyUser, people_communes
from theodoi.accounts.lockout import attempts_left

register = template.Library()


@register.filter
def manages_people(user: AnyUser) -> bool:
    """Whether the navbar offers "Quản lý người dùng" (remembered for the request)."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_theodoi_manages_people", None)
    if cached is None:
        cached = bool(getattr(user, "is_superuser", False)) or bool(people_communes(user))
        setattr(user, "_theodoi_manages_people", cached)  # noqa: B010 (a per-request memo)
    return bool(cached)


@register.simple_tag
def login_attempts_left(request: HttpRequest) -> int | None:
    """After a failed sign-in: how many tries the account has before it is locked."""
    if request.method != "POST":
        return None
    return attempts_left(request)
