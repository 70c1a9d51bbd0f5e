"""The data range of a periodic report (kỳ báo cáo), under the plan's cut-off regime.

Two regimes (``Plan.report_regime``):

- ``nd09``, Nghị định 09/2019/NĐ-CP: data is cut off on the 14th. A monthly report runs from
  the 15th of the previous month to the 14th of its month (January's from 15/12 of the
  previous year); a quarterly one from the 15th of the month before the quarter to the 14th
  of its last month; the 6-month, 9-month and year reports from 15/12 of the previous year to
  14/6, 14/9 and 14/12.
- ``calendar``: calendar periods, figures cumulative from 1 January (lũy kế): the March
  report runs from 01/01 to 31/03, and what happened *in* the period is what happened from
  01/03.

A report is due on the first ``Plan.report_due_day`` after its cut-off (the 15th after a
cut-off on the 14th is the next day; after 31/03 it is 15/04).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from theodoi.plans.models import Cadence, Plan, ReportRegime
from theodoi.tracking.periods import month_end


class ReportKind:
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    NINE_MONTHS = "nine_months"
    YEAR = "year"


KIND_CHOICES = [
    (ReportKind.MONTH, gettext_lazy("Tháng")),
    (ReportKind.QUARTER, gettext_lazy("Quý")),
    (ReportKind.HALF, gettext_lazy("6 tháng")),
    (ReportKind.NINE_MONTHS, gettext_lazy("9 tháng")),
    (ReportKind.YEAR, gettext_lazy("Năm")),
]
# The numbers each kind takes within a year; 6 and 9 months and the year are reported once.
NUMBERS = {
    ReportKind.MONTH: range(1, 13),
    ReportKind.QUARTER: range(1, 5),
    ReportKind.HALF: range(1, 2),
    ReportKind.NINE_MONTHS: range(1, 2),
    ReportKind.YEAR: range(1, 2),
}
# The month whose cut-off closes each report.
_LAST_MONTH = {
    ReportKind.MONTH: lambda n: n,
    ReportKind.QUARTER: lambda n: 3 * n,
    ReportKind.HALF: lambda n: 6,
    ReportKind.NINE_MONTHS: lambda n: 9,
    ReportKind.YEAR: lambda n: 12,
}
ROMAN = ["I", "II", "III", "IV"]
CUT_OFF_DAY = 14  # Nghị định 09/2019/NĐ-CP, Điều 12


class RangeError(ValueError):
    """A kind or number no report has (e.g. month 13)."""


@dataclass(frozen=True)
class ReportRange:
    kind: str
    number: int
    year: int
    regime: str
    start: dt.date  # first day whose data counts (the figures run from here)
    end: dt.date  # the data cut-off (chốt số liệu)
    period_start: dt.date  # first day of the period itself: "in the period" is from here
    due: dt.date  # the day the report is due

    @property
    def phrase(self) -> str:
        """How the report's period is named in running text: "tháng 3 năm 2026"."""
        if self.kind == ReportKind.MONTH:
            return _("tháng %(n)d năm %(y)d") % {"n": self.number, "y": self.year}
        if self.kind == ReportKind.QUARTER:
            return _("quý %(q)s năm %(y)d") % {"q": ROMAN[self.number - 1], "y": self.year}
        if self.kind == ReportKind.HALF:
            return _("6 tháng đầu năm %(y)d") % {"y": self.year}
        if self.kind == ReportKind.NINE_MONTHS:
            return _("9 tháng năm %(y)d") % {"y": self.year}
        return _("năm %(y)d") % {"y": self.year}

    @property
    def label(self) -> str:
        """The period as a title: "Tháng 3 năm 2026"."""
        return self.phrase[:1].upper() + self.phrase[1:]

    @property
    def cumulative(self) -> bool:
        return self.start < self.period_start

    @property
    def statement(self) -> str:
        """The range the report used, said in the report itself."""
        values = {"a": f"{self.start:%d/%m/%Y}", "b": f"{self.end:%d/%m/%Y}"}
        if self.regime == ReportRegime.ND09:
            return (
                _(
                    "Số liệu tính từ ngày %(a)s đến ngày %(b)s "
                    "(thời gian chốt số liệu theo Nghị định số 09/2019/NĐ-CP)."
                )
                % values
            )
        return _("Số liệu lũy kế từ ngày %(a)s đến ngày %(b)s.") % values

    @property
    def key(self) -> str:
        """``month-3``: how a range is named in a URL."""
        return f"{self.kind}-{self.number}"


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def due_after(end: dt.date, due_day: int) -> dt.date:
    """The first ``due_day`` of a month strictly after ``end`` (kept within short months)."""
    year, month = end.year, end.month
    for _step in range(2):
        day = min(max(due_day, 1), calendar.monthrange(year, month)[1])
        candidate = dt.date(year, month, day)
        if candidate > end:
            return candidate
        year, month = _shift_month(year, month, 1)
    return candidate


def report_range(
    *, year: int, kind: str, number: int = 1, regime: str = ReportRegime.ND09, due_day: int = 15
) -> ReportRange:
    """The range of report ``kind`` number ``number`` of ``year`` under ``regime``."""
    if kind not in NUMBERS:
        raise RangeError(_("Loại báo cáo không hợp lệ."))
    if number not in NUMBERS[kind]:
        raise RangeError(_("Kỳ báo cáo không hợp lệ."))
    last = _LAST_MONTH[kind](number)
    months = {
        ReportKind.MONTH: 1,
        ReportKind.QUARTER: 3,
        ReportKind.HALF: 6,
        ReportKind.NINE_MONTHS: 9,
        ReportKind.YEAR: 12,
    }[kind]
    first = last - months + 1
    if regime == ReportRegime.CALENDAR:
        start = dt.date(year, 1, 1)
        end = month_end(year, last)
        period_start = dt.date(year, first, 1)
    else:
        # The 15th of the month before the first month of the period, through the 14th.
        before_year, before_month = _shift_month(year, first, -1)
        start = period_start = dt.date(before_year, before_month, CUT_OFF_DAY + 1)
        end = dt.date(year, last, CUT_OFF_DAY)
    return ReportRange(
        kind=kind,
        number=number,
        year=year,
        regime=regime,
        start=start,
        end=end,
        period_start=period_start,
        due=due_after(end, due_day),
    )


def plan_range(plan: Plan, kind: str, number: int = 1) -> ReportRange:
    return report_range(
        year=plan.year,
        kind=kind,
        number=number,
        regime=plan.report_regime,
        due_day=plan.report_due_day,
    )


def default_kind(plan: Plan) -> str:
    """The kind the plan reports most often: quarterly plans by quarter, others by month."""
    return ReportKind.QUARTER if plan.cadence == Cadence.QUARTERLY else ReportKind.MONTH


def latest_closed(plan: Plan, kind: str, today: dt.date) -> ReportRange:
    """The last report of ``kind`` whose data was cut off before ``today``; before the first
    cut-off, the first report (a draft of what is coming)."""
    ranges = [plan_range(plan, kind, n) for n in NUMBERS[kind]]
    closed = [r for r in ranges if r.end < today]
    return closed[-1] if closed else ranges[0]


def number_choices(kind: str, year: int) -> list[tuple[int, str]]:
    """The numbers a kind offers, each with its label ("Tháng 3 năm 2026")."""
    return [(n, report_range(year=year, kind=kind, number=n).label) for n in NUMBERS.get(kind, [])]
