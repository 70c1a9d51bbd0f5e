"""One structured log line per request: who, which commune, what, the answer and how long.

The line is JSON (``logger theodoi.requests``) so a log collector reads it without a pattern.
The commune is the one a view fetched through the permission-checked helpers
(``note_commune``), else empty: the log never costs a query of its own.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("theodoi.requests")

_commune: ContextVar[str] = ContextVar("theodoi_request_commune", default="")


def note_commune(commune: object) -> None:
    """Name the commune the current request works on (its code), for the request's log line."""
    _commune.set(str(getattr(commune, "code", "") or ""))


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        _commune.set("")
        started = time.perf_counter()
        response = self.get_response(request)
        if logger.isEnabledFor(logging.INFO):
            user = getattr(request, "user", None)
            logger.info(
                json.dumps(
                    {
                        "user": user.get_username() if user and user.is_authenticated else "",
                        "commune": _commune.get(),
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                    ensure_ascii=False,
                )
            )
        return response
