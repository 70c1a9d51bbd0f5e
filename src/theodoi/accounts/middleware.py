"""A user signed in with a temporary password changes it before anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .signals import MUST_CHANGE_PASSWORD


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
