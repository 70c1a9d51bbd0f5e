"""Numbers typed into forms and URLs: ASCII digits only, or a 400.

``str.isdigit()`` accepts "²" and "١", which ``int()`` then refuses (or reads as another
number), and ``int()`` alone accepts " 7", "+7" and "7_0". Every integer and version a view
reads from a request goes through :func:`ascii_int`, so junk is one clear refusal everywhere.
"""

from __future__ import annotations

import re

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

_DIGITS = re.compile(r"[0-9]{1,18}")  # 18 digits fit a 64-bit database integer


class MalformedNumber(BadRequest):
    """A number in a request that is not plain ASCII digits; Django answers 400."""


def is_ascii_int(raw: str) -> bool:
    """Whether ``raw`` is 1 to 18 ASCII digits (for rules that refuse in their own words)."""
    return bool(_DIGITS.fullmatch(raw))


def ascii_int_or_none(raw: str | None) -> int | None:
    """``raw`` as a non-negative integer, None when absent or empty.

    Anything else but 1 to 18 ASCII digits is refused (:class:`MalformedNumber`, a 400)."""
    if raw is None or raw == "":
        return None
    if not is_ascii_int(raw):
        raise MalformedNumber(_("Yêu cầu có một số không hợp lệ: chỉ được dùng chữ số 0–9."))
    return int(raw)


def ascii_int(raw: str | None, *, missing: int) -> int:
    """``raw`` as a non-negative integer, ``missing`` when absent or empty; junk is a 400."""
    value = ascii_int_or_none(raw)
    return missing if value is None else value
