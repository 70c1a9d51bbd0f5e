"""A user signed in with a temporary password changes it before anything else; a session's
idle clock is restarted at most once every few minutes."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .signals import MUST_CHANGE_PASSWORD, SESSION_REFRESHED_KEY


class PasswordChangeRequiredMiddleware:
    """Sends the user to the password change page while their session carries the flag.

    The flag is put in the session at sign-in, so other requests cost no query; an
    administrator's reset changes the password hash, which ends the user's sessions anyway.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get(MUST_CHANGE_PASSWORD):
            allowed = {reverse("password_change"), reverse("logout")}
            static = "/" + str(settings.STATIC_URL).lstrip("/")
            if request.path not in allowed and not request.path.startswith(static):
                return redirect("password_change")
        return self.get_response(request)


class SessionIdleRefreshMiddleware:
    """Restart the session's idle clock (``SESSION_COOKIE_AGE``) on a request only when the
    last restart is older than ``SESSION_REFRESH_SECONDS``: the idle sign-out is kept, to
    within those minutes, without a session write on every page view.

    Sits inside ``SessionMiddleware``, which saves a session marked modified."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response  # no session, or one just ended (sign-out)
        now = int(time.time())
        if now - int(session.get(SESSION_REFRESHED_KEY, 0)) >= settings.SESSION_REFRESH_SECONDS:
            session[SESSION_REFRESHED_KEY] = now  # marks it modified: saved, expiry restarted
        return response
