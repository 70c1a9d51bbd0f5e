"""Numbers as Vietnamese read them: the one formatter every page, document and message uses.

A comma marks decimals and dots group thousands ("1.245,5"), whatever the page's language:
figures are the commune's own, written in Vietnamese documents. Built on Django's own
``numberformat.format`` with the Vietnamese separators spelled out.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.numberformat import format as number_format


def vn_number(value: Decimal | int | float | None) -> str:
    """``Decimal("1245.5000")`` → "1.245,5"; ``None`` → ""; no trailing zeros."""
    if value is None:
        return ""
    number = Decimal(str(value)).normalize()
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return number_format(number, decimal_sep=",", grouping=3, thousand_sep=".", force_grouping=True)


def vn_percent(part: int, whole: int) -> str:
    """ "45,5%" (one decimal at most); "0%" of nothing."""
    if not whole:
        return "0%"
    share = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))
    return vn_number(share) + "%"
