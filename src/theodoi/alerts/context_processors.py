"""The navbar's count of unread notifications."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import Notification


def notifications(request: HttpRequest) -> dict[str, Any]:
    """``unread_notifications``: one count, made only when a page shows it (HTMX fragments
    do not), and none at all for an anonymous visitor."""

    def count() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return Notification.objects.filter(user_id=user.pk).unread().count()

    return {"unread_notifications": SimpleLazyObject(count)}
