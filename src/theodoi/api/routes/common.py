"""What every route module shares: the declared responses."""

from __future__ import annotations

from typing import Any

from theodoi.api.errors import ErrorOut, ValidationErrorOut

Json = dict[str, Any]

_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ValidationErrorOut,
}


def responds(ok: int = 200) -> dict[int, Any]:
    """The success status with a JSON object, and the error bodies (see ``errors``)."""
    return {ok: Json, **_ERRORS}
