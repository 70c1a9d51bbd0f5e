"""Security headers Django does not set itself, and refused accesses on the audit trail.

The Content-Security-Policy allows scripts, styles, fonts and connections from our own
origin only: every script and stylesheet is a vendored static file (no CDN), and no template
may carry an inline ``<script>``, an ``on...=`` handler or a ``style=`` attribute. Images may
also be ``data:`` URIs, which Bootstrap's stylesheet uses for its small icons.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# Powerful browser features no page of ours uses.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """Adds the CSP and related headers to every response that has not set its own.

    A view that needs a different policy (say, a vendored API docs page) sets its own
    ``Content-Security-Policy`` header on the response; it is left as it is.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Django's debug pages style themselves inline; under DEBUG they keep working.
        if not (settings.DEBUG and response.status_code >= 400):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            # A shared office computer: after sign-out, Back must not show a commune's data
            # from the browser's cache.
            response.headers["Cache-Control"] = "private, no-store"
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        """A permission check said no: put it on the audit trail, then let Django answer."""
        if isinstance(exception, PermissionDenied):
            # Imported here: the middleware module loads before the apps are ready.
            from django.contrib.auth.models import User

            from theodoi.accounts.services import access_denied_record

            user = getattr(request, "user", None)
            access_denied_record(
                user=user if isinstance(user, User) else None,
                commune=None,
                what=f"{request.method} {request.path}"[:300],
            )
        return None


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the person chose English with the language switch.

    Django's LocaleMiddleware also follows the browser's Accept-Language, and many office
    browsers are set to English: civil servants would get English pages they never asked for.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
