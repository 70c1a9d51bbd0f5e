"""Deadline text -> the contract's deadline object. (Owner: rules helper.)

Rules (docs/contracts/plan-json.md, "Deadlines"); Y is the plan year unless the text names
another year:

- a recurrence word ("Thường xuyên", "định kỳ", "hằng tuần/tháng/quý/năm", "1 lần/tuần",
  "liên tục") makes the deadline ``recurring``, due 31/12/Y, whatever dates the text also
  names ("Hằng tháng, hạn ngày 25" keeps the day in ``text``); several recurrences give the
  most frequent one; a period outside the contract's list ("định kỳ 6 tháng") is
  ``continuous``;
- a relative deadline ("20 ngày sau khi Tỉnh ủy ban hành", "15 ngày kể từ ngày 01/3") is
  ``unspecified``, whatever date it counts from;
- otherwise every date the text names is read and the latest is ``due``: a full date, "Ngày
  10/10" (that day of Y), a month ("Tháng 02/2026", "tháng 1 năm 2026" -> its last day), a
  quarter ("Quý I/2026", "Quý 1", "quý III" -> its last day), "6 tháng đầu năm" (30/6),
  "9 tháng" (30/9), "cuối năm"/"trong năm"/"năm 2026"/"2026" (31/12);
- a period of years ("giai đoạn 2026-2030") that includes Y is due 31/12/Y: a yearly plan
  tracks its own year's share of the work (the text keeps the period); a period after Y is
  due at its end;
- document references ("Quyết định số 204-QĐ/TW ngày 29/11/2024") are not deadlines;
- nothing of the above ("Theo chỉ đạo của Sở", empty) is ``unspecified`` with ``due`` null.

Matching ignores case and diacritics ("Quy I", "THUONG XUYEN").
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Any

from .clean import clean_text, fold

# Frequencies from the most to the least frequent: the first found wins.
_RECURRENCES: tuple[tuple[str, str], ...] = (
    ("weekly", r"\b(?:hang|moi)\s+tuan\b|\blan\s*/\s*tuan\b|\btuan\s*/\s*lan\b|\bweekly\b"),
    ("monthly", r"\b(?:hang|moi)\s+thang\b|\blan\s*/\s*thang\b|\bmonthly\b"),
    ("quarterly", r"\b(?:hang|moi)\s+quy\b|\blan\s*/\s*quy\b|\bdinh\s+ky\s+(?:hang\s+)?quy\b"),
    ("annual", r"\b(?:hang|moi)\s+nam\b|\blan\s*/\s*nam\b|\bdinh\s+ky\s+(?:hang\s+)?nam\b"),
    (
        "continuous",
        r"\bthuong\s+xuyen\b|\blien\s+tuc\b|\bdinh\s+ky\b|\b(?:hang|moi)\s+ngay\b|\bmoi\s+khi\b",
    ),
)
# "20 ngày sau khi ...", "trong 15 ngày kể từ ngày 01/3": counted from an event, so no date
# the text names is the deadline. ("Quý II, sau khi có hướng dẫn" keeps its quarter.)
_RELATIVE = re.compile(
    r"\b\d+\s+(?:ngay|tuan|thang)\s+(?:lam\s+viec\s+)?(?:sau|ke\s+tu|tinh\s+tu)\b"
)

# Document references: a number with an issuing-office suffix, and the date of issue after it.
_DOC_REF = re.compile(
    r"\bso\s*:?\s*[\w.]+(?:[-/][\w.đ]+)+(?:\s*,?\s*ngay\s+\d{1,2}\s*(?:[/.-]|\s+thang\s+)"
    r"\d{1,2}\s*(?:[/.-]|\s+nam\s+)\d{4})?"
    r"|\b\d+[\w.]*(?:/\d{4})?[-/](?:[a-z]+-?)+/[a-z]+\w*"
    r"(?:\s*,?\s*ngay\s+\d{1,2}\s*(?:[/.-]|\s+thang\s+)\d{1,2}\s*(?:[/.-]|\s+nam\s+)\d{4})?"
)

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_YEAR = r"((?:19|20)\d{2})"
_YEAR_SUFFIX = rf"(?:\s*[/.-]\s*{_YEAR}|\s*,?\s*(?:nam\s+){_YEAR})?"

_FULL_DATE = re.compile(
    r"\b(\d{1,2})\s*(?P<sep>[/.-])\s*(\d{1,2})\s*(?P=sep)\s*" + _YEAR + r"\b"
    r"|\bngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+(?:nam\s+)?" + _YEAR + r"\b"
)
_ISO_DATE = re.compile(r"\b" + _YEAR + r"-(\d{1,2})-(\d{1,2})\b")
# Lists and ranges share one year: "tháng 3, 4/2026", "Quý I - II", "quý II và quý III".
_AND = r"\s*(?:,|-|–|va|den|toi|hoac)\s*"
_MONTHS = r"(\d{1,2}(?:" + _AND + r"(?:thang\s*)?\d{1,2}\b)*)"
_QUARTERS = r"((?:iv|i{1,3}|[1-4])\b(?:" + _AND + r"(?:quy\s*)?(?:iv|i{1,3}|[1-4])\b)*)"
_MONTH_YEAR = re.compile(
    r"\bthang\s*" + _MONTHS + r"\s*(?:[/.-]\s*|\s*,?\s*nam\s+)" + _YEAR + r"\b"
)
_NUMERIC_MONTH_YEAR = re.compile(r"(?<![\d/.-])(\d{1,2})\s*/\s*" + _YEAR + r"\b")
_QUARTER = re.compile(r"\b(?:quy|q\.?)\s*" + _QUARTERS + _YEAR_SUFFIX)
_MONTHS_INTO_YEAR = re.compile(
    r"\b(\d{1,2}|sau)\s+thang\s+(?:dau\s+)?(?:cua\s+)?(?:nam\b\s*" + _YEAR + r"?)?"
)
_HALF = re.compile(r"\b(?:nua|6|sau)\s+thang\s+(cuoi|sau)\s+nam\b" + rf"(?:\s+{_YEAR})?")
_DAY_MONTH = re.compile(r"\b(?:ngay\s+)?(\d{1,2})\s*[/.-]\s*(\d{1,2})\b(?!\s*[/.-]\s*\d)")
_DAY_MONTH_WORDS = re.compile(r"\bngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\b")
_MONTH = re.compile(r"\bthang\s*" + _MONTHS + r"(?!\s*[/.-]\s*\d)")
_YEAR_RANGE = re.compile(rf"\b{_YEAR}\s*(?:-|–|—|den(?:\s+nam)?|toi(?:\s+nam)?)\s*{_YEAR}\b")
_END_OF_YEAR = re.compile(r"\b(?:cuoi|trong|ca|het)\s+nam\b(?!\s*\d)|\bnam\s+nay\b")
_MID_YEAR = re.compile(r"\bgiua\s+nam\b")
_BARE_YEAR = re.compile(rf"(?<![\d/.-]){_YEAR}(?![\d/.-]?\d)")


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _quarter_end(year: int, quarter: int) -> date:
    return _last_day(year, quarter * 3)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _blank(folded: str, match: re.Match[str]) -> str:
    """Blank a consumed span so a later, coarser rule does not read it again."""
    start, end = match.span()
    return folded[:start] + " " * (end - start) + folded[end:]


def _recurrence(folded: str) -> str | None:
    for name, pattern in _RECURRENCES:
        if re.search(pattern, folded):
            return name
    return None


def _dates(folded: str, year: int) -> list[date]:
    """Every date the (folded) text names, coarse rules reading only what finer ones left."""
    found: list[date] = []
    folded = _DOC_REF.sub(lambda m: " " * len(m.group(0)), folded)

    for m in list(_FULL_DATE.finditer(folded)):
        day, month, y = m.group(1, 3, 4) if m.group(1) else m.group(5, 6, 7)
        d = _safe_date(int(y), int(month), int(day))
        if d:
            found.append(d)
            folded = _blank(folded, m)
    for m in list(_ISO_DATE.finditer(folded)):
        d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            found.append(d)
            folded = _blank(folded, m)
    for m in list(_YEAR_RANGE.finditer(folded)):
        first, last = int(m.group(1)), int(m.group(2))
        if first <= year <= last:
            found.append(date(year, 12, 31))
        elif first < last:
            found.append(date(last, 12, 31))
        folded = _blank(folded, m)
    for m in list(_DAY_MONTH_WORDS.finditer(folded)):
        d = _safe_date(year, int(m.group(2)), int(m.group(1)))
        if d:
            found.append(d)
            folded = _blank(folded, m)
    for m in list(_MONTH_YEAR.finditer(folded)):
        months = [int(n) for n in re.findall(r"\d+", m.group(1)) if 1 <= int(n) <= 12]
        if months:
            found.append(_last_day(int(m.group(2)), max(months)))
            folded = _blank(folded, m)
    for m in list(_QUARTER.finditer(folded)):
        quarters = re.findall(r"iv|i{1,3}|[1-4]", m.group(1))
        last = max(_ROMAN.get(q) or int(q) for q in quarters)
        found.append(_quarter_end(int(m.group(2) or m.group(3) or year), last))
        folded = _blank(folded, m)
    for m in list(_NUMERIC_MONTH_YEAR.finditer(folded)):
        if 1 <= int(m.group(1)) <= 12:
            found.append(_last_day(int(m.group(2)), int(m.group(1))))
            folded = _blank(folded, m)
    for m in list(_HALF.finditer(folded)):
        found.append(date(int(m.group(2) or year), 12, 31))
        folded = _blank(folded, m)
    for m in list(_MONTHS_INTO_YEAR.finditer(folded)):
        count = 6 if m.group(1) == "sau" else int(m.group(1))
        if 1 <= count <= 12 and ("dau" in m.group(0) or "nam" in m.group(0)):
            found.append(_last_day(int(m.group(2) or year), count))
            folded = _blank(folded, m)
    for m in list(_DAY_MONTH.finditer(folded)):
        d = _safe_date(year, int(m.group(2)), int(m.group(1)))
        if d:
            found.append(d)
            folded = _blank(folded, m)
    for m in list(_MONTH.finditer(folded)):
        months = [int(n) for n in re.findall(r"\d+", m.group(1)) if 1 <= int(n) <= 12]
        if months:
            found.append(_last_day(year, max(months)))
            folded = _blank(folded, m)
    for m in list(_MID_YEAR.finditer(folded)):
        found.append(date(year, 6, 30))
        folded = _blank(folded, m)
    for m in list(_END_OF_YEAR.finditer(folded)):
        found.append(date(year, 12, 31))
        folded = _blank(folded, m)
    for m in _BARE_YEAR.finditer(folded):
        found.append(date(int(m.group(1)), 12, 31))
    return found


def parse_deadline(text: str | None, year: int) -> dict[str, Any]:
    """Return ``{"text", "kind", "due", "recurrence"}`` per docs/contracts/plan-json.md."""
    cleaned = clean_text(text) if text else ""
    result: dict[str, Any] = {
        "text": cleaned or None,
        "kind": "unspecified",
        "due": None,
        "recurrence": None,
    }
    if not cleaned:
        return result
    folded = fold(cleaned)
    recurrence = _recurrence(folded)
    if recurrence:
        result.update(kind="recurring", due=date(year, 12, 31).isoformat(), recurrence=recurrence)
        return result
    if _RELATIVE.search(folded):
        return result
    dates = _dates(folded, year)
    if dates:
        result.update(kind="date", due=max(dates).isoformat())
    return result
