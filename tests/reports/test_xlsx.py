"""The report's annexes as a spreadsheet: one sheet per table, usable as data."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from theodoi.reports.data import build_report
from theodoi.reports.ranges import ReportKind, plan_range
from theodoi.reports.xlsx import report_xlsx
from theodoi.tracking.status import target_states, task_states

from .helpers import d, make_season

pytestmark = pytest.mark.django_db


@pytest.fixture
def season(commune):  # type: ignore[no-untyped-def]
    return make_season(commune)


@pytest.fixture
def book(season):  # type: ignore[no-untyped-def]
    plan = season.plan
    report = build_report(plan, plan_range(plan, ReportKind.MONTH, 6), today=d(12, 1))
    return report, load_workbook(io.BytesIO(report_xlsx(report)))


def _rows(sheet):  # type: ignore[no-untyped-def]
    header = [c.value for c in sheet[1]]
    return [
        dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    ]


def test_one_sheet_per_annex_table_with_frozen_filtered_headers(book):
    _report, workbook = book
    assert workbook.sheetnames == ["Thông tin", "Phụ lục I - Nhiệm vụ", "Phụ lục II - Chỉ tiêu"]
    for name in workbook.sheetnames[1:]:
        sheet = workbook[name]
        assert sheet.freeze_panes == "A2"
        assert (
            sheet.auto_filter.ref
            == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        )
        assert all(c.font.bold for c in sheet[1])


def test_numbers_are_numbers_and_dates_are_dates(book, season):
    report, workbook = book
    tasks = {row["Mã"]: row for row in _rows(workbook["Phụ lục I - Nhiệm vụ"])}
    states = task_states(list(season.plan.tasks.all()), today=report.as_of)
    for task in season.plan.tasks.all():
        assert tasks[task.code]["Tỷ lệ hoàn thành (%)"] == states[task.pk].percent
        assert isinstance(tasks[task.code]["Tỷ lệ hoàn thành (%)"], int)
    assert tasks["I.1.1"]["Thời hạn"] == dt.datetime(2026, 6, 30)  # a date cell
    assert workbook["Phụ lục I - Nhiệm vụ"]["G3"].number_format == "DD/MM/YYYY"
    assert tasks["I.1.1"]["Đánh giá"] == "Hoàn thành"
    assert tasks["I.1.2"]["Đánh giá"] == "Đang thực hiện"
    targets = {row["Mã"]: row for row in _rows(workbook["Phụ lục II - Chỉ tiêu"])}
    tstates = target_states(list(season.plan.targets.all()), as_of=report.as_of)
    counted = tstates[season.plan.targets.get(code="1").pk].value
    assert Decimal(str(targets["1"]["Kết quả thực hiện"])) == counted == Decimal("92")
    assert targets["1"]["Giá trị chỉ tiêu"] == 90
    assert targets["1"]["Giá trị chỉ tiêu cấp trên"] == 85
    assert targets["1"]["Đánh giá"] == "Đạt"
    assert targets["2"]["Đánh giá"] == "Chưa có số liệu"


def test_the_first_sheet_says_which_period_and_range_the_figures_cover(book):
    _report, workbook = book
    info = {row[0]: row[1] for row in workbook["Thông tin"].iter_rows(values_only=True)}
    assert info["Kỳ báo cáo"] == "Tháng 6 năm 2026"
    assert info["Từ ngày"] == dt.datetime(2026, 5, 15)
    assert info["Đến ngày (chốt số liệu)"] == dt.datetime(2026, 6, 14)
