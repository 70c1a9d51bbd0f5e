"""The data range of each report under each regime, at every edge of the year."""

from __future__ import annotations

import datetime as dt

import pytest

from theodoi.plans.models import Cadence, Plan, ReportRegime
from theodoi.reports.ranges import (
    RangeError,
    ReportKind,
    due_after,
    latest_closed,
    report_range,
)

D = dt.date
ND09 = ReportRegime.ND09
CAL = ReportRegime.CALENDAR


@pytest.mark.parametrize(
    ("kind", "number", "start", "end"),
    [
        # The January report reaches back into December of the previous year.
        (ReportKind.MONTH, 1, D(2025, 12, 15), D(2026, 1, 14)),
        (ReportKind.MONTH, 2, D(2026, 1, 15), D(2026, 2, 14)),
        (ReportKind.MONTH, 3, D(2026, 2, 15), D(2026, 3, 14)),
        (ReportKind.MONTH, 12, D(2026, 11, 15), D(2026, 12, 14)),
        (ReportKind.QUARTER, 1, D(2025, 12, 15), D(2026, 3, 14)),
        (ReportKind.QUARTER, 2, D(2026, 3, 15), D(2026, 6, 14)),
        (ReportKind.QUARTER, 3, D(2026, 6, 15), D(2026, 9, 14)),
        (ReportKind.QUARTER, 4, D(2026, 9, 15), D(2026, 12, 14)),
        (ReportKind.HALF, 1, D(2025, 12, 15), D(2026, 6, 14)),
        (ReportKind.NINE_MONTHS, 1, D(2025, 12, 15), D(2026, 9, 14)),
        (ReportKind.YEAR, 1, D(2025, 12, 15), D(2026, 12, 14)),
    ],
)
def test_nd09_ranges_run_from_the_15th_to_the_14th(kind, number, start, end):
    rng = report_range(year=2026, kind=kind, number=number, regime=ND09)
    assert (rng.start, rng.end) == (start, end)
    assert rng.period_start == start  # an ND09 report covers only its own range
    assert not rng.cumulative


@pytest.mark.parametrize(
    ("kind", "number", "period_start", "end"),
    [
        (ReportKind.MONTH, 1, D(2026, 1, 1), D(2026, 1, 31)),
        (ReportKind.MONTH, 2, D(2026, 2, 1), D(2026, 2, 28)),
        (ReportKind.MONTH, 12, D(2026, 12, 1), D(2026, 12, 31)),
        (ReportKind.QUARTER, 1, D(2026, 1, 1), D(2026, 3, 31)),
        (ReportKind.QUARTER, 2, D(2026, 4, 1), D(2026, 6, 30)),
        (ReportKind.QUARTER, 4, D(2026, 10, 1), D(2026, 12, 31)),
        (ReportKind.HALF, 1, D(2026, 1, 1), D(2026, 6, 30)),
        (ReportKind.NINE_MONTHS, 1, D(2026, 1, 1), D(2026, 9, 30)),
        (ReportKind.YEAR, 1, D(2026, 1, 1), D(2026, 12, 31)),
    ],
)
def test_calendar_ranges_are_cumulative_from_the_first_of_january(kind, number, period_start, end):
    rng = report_range(year=2026, kind=kind, number=number, regime=CAL)
    assert (rng.start, rng.period_start, rng.end) == (D(2026, 1, 1), period_start, end)


def test_a_leap_february_ends_on_the_29th():
    assert report_range(year=2028, kind=ReportKind.MONTH, number=2, regime=CAL).end == D(
        2028, 2, 29
    )


@pytest.mark.parametrize(
    ("end", "due_day", "due"),
    [
        (D(2026, 3, 14), 15, D(2026, 3, 15)),  # ND09: the day after the cut-off
        (D(2026, 3, 14), 14, D(2026, 4, 14)),  # never on the cut-off day itself
        (D(2026, 3, 14), 20, D(2026, 3, 20)),
        (D(2026, 3, 31), 5, D(2026, 4, 5)),  # calendar: early next month
        (D(2026, 12, 31), 10, D(2027, 1, 10)),  # into the next year
        (D(2026, 1, 31), 31, D(2026, 2, 28)),  # kept within a short month
    ],
)
def test_a_report_is_due_on_the_first_due_day_after_its_cut_off(end, due_day, due):
    assert due_after(end, due_day) == due


def test_the_range_is_stated_in_the_reports_own_words():
    nd09 = report_range(year=2026, kind=ReportKind.MONTH, number=1, regime=ND09)
    assert nd09.statement == (
        "Số liệu tính từ ngày 15/12/2025 đến ngày 14/01/2026 "
        "(thời gian chốt số liệu theo Nghị định số 09/2019/NĐ-CP)."
    )
    cal = report_range(year=2026, kind=ReportKind.QUARTER, number=1, regime=CAL)
    assert cal.statement == "Số liệu lũy kế từ ngày 01/01/2026 đến ngày 31/03/2026."
    assert cal.label == "Quý I năm 2026"
    assert report_range(year=2026, kind=ReportKind.HALF).phrase == "6 tháng đầu năm 2026"


@pytest.mark.parametrize(
    ("kind", "number"), [("month", 0), ("month", 13), ("quarter", 5), ("week", 1), ("half", 2)]
)
def test_a_period_that_does_not_exist_is_refused(kind, number):
    with pytest.raises(RangeError):
        report_range(year=2026, kind=kind, number=number)


@pytest.mark.parametrize(
    ("today", "regime", "number"),
    [
        (D(2026, 3, 14), ND09, 2),  # March's data is cut off today: February is the last closed
        (D(2026, 3, 15), ND09, 3),
        (D(2026, 1, 10), ND09, 1),  # nothing closed yet: the first report
        (D(2026, 4, 1), CAL, 3),
        (D(2026, 3, 31), CAL, 2),
        (D(2027, 2, 1), CAL, 12),
    ],
)
def test_the_default_report_is_the_latest_closed_one(today, regime, number):
    plan = Plan(year=2026, report_regime=regime, report_due_day=15, cadence=Cadence.MONTHLY)
    assert latest_closed(plan, ReportKind.MONTH, today).number == number
