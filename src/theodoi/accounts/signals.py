"""Sign-ins and failed sign-ins, from wherever they happen (our login page, the admin's).

Django announces them as signals; listening here, rather than in one login view, is what
catches every way in.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from .models import Account
from .services import sign_in_failed_record, sign_in_record

# The session key that sends a user with a temporary password to the change page.
MUST_CHANGE_PASSWORD = "theodoi_must_change_password"
# When the session's idle clock last restarted (accounts.middleware.SessionIdleRefreshMiddleware).
SESSION_REFRESHED_KEY = "_refreshed_at"


@receiver(user_logged_in, dispatch_uid="theodoi_accounts_logged_in")
def _logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    sign_in_record(user=user, request=request)
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_REFRESHED_KEY] = int(time.time())  # a new session: its clock starts now
    if (
        session is not None
        and Account.objects.filter(user=user, must_change_password=True).exists()
    ):
        session[MUST_CHANGE_PASSWORD] = True


@receiver(user_login_failed, dispatch_uid="theodoi_accounts_login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    sign_in_failed_record(username=str(credentials.get("username") or ""), request=request)
