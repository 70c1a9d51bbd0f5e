"""Numbers on the scorecard pages, written as a Vietnamese reader writes them."""

from __future__ import annotations

from decimal import Decimal

from django import template

from theodoi.lib.numbers import vn_number

from ..queries import points_text

register = template.Library()


@register.filter
def points(value: Decimal | None) -> str:
    """ "12,5", or "—" when not scored yet."""
    return points_text(value)


@register.filter
def signed_points(value: Decimal | None) -> str:
    """ "+2", "−3,5", "0" — a gap."""
    if value is None:
        return "—"
    if value > 0:
        return f"+{vn_number(value)}"
    if value < 0:
        return f"−{vn_number(-value)}"
    return "0"
