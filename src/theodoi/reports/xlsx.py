"""Spreadsheets: one sheet per table, header row frozen and filtered, numbers as numbers and
dates as dates, so the office can sort, sum and paste them elsewhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from theodoi.lib.spreadsheet import workbook_bytes

from .data import PeriodicReport

DATE_FORMAT = "DD/MM/YYYY"
HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _cell_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        # A whole number stays an integer; openpyxl writes Decimals as numbers either way.
        return int(value) if value == value.to_integral_value() else value
    return value


def add_table(
    workbook: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    widths: Sequence[int] | None = None,
) -> Worksheet:
    """A sheet holding one table: header in row 1 (frozen, with filters)."""
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for row in rows:
        sheet.append([_cell_value(v) for v in row])
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            if isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, str):
                cell.alignment = WRAP
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(headers))
    sheet.auto_filter.ref = f"A1:{last}{max(1, len(rows) + 1)}"
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return sheet


def new_workbook() -> Workbook:
    workbook = Workbook()
    assert workbook.active is not None
    workbook.remove(workbook.active)
    return workbook


def to_bytes(workbook: Workbook) -> bytes:
    return workbook_bytes(workbook)


def info_sheet(workbook: Workbook, pairs: Sequence[tuple[str, Any]]) -> None:
    """A first sheet saying what the file is (plan, period, range, when it was drawn up)."""
    sheet = workbook.create_sheet(title=_("Thông tin"), index=0)
    for key, value in pairs:
        sheet.append([key, _cell_value(value)])
        if isinstance(value, dt.date):
            sheet.cell(row=sheet.max_row, column=2).number_format = DATE_FORMAT
        sheet.cell(row=sheet.max_row, column=1).font = HEADER_FONT
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 90


TASK_HEADERS = [
    gettext_lazy("Mã"),
    gettext_lazy("Nhóm"),
    gettext_lazy("Nhiệm vụ"),
    gettext_lazy("Nhiệm vụ chung"),
    gettext_lazy("Đơn vị chủ trì"),
    gettext_lazy("Đơn vị phối hợp"),
    gettext_lazy("Thời hạn"),
    gettext_lazy("Thời gian thực hiện (theo kế hoạch)"),
    gettext_lazy("Tỷ lệ hoàn thành (%)"),
    gettext_lazy("Đánh giá"),
    gettext_lazy("Ghi chú"),
    gettext_lazy("Ngày hoàn thành"),
]
TARGET_HEADERS = [
    gettext_lazy("Mã"),
    gettext_lazy("Nhóm"),
    gettext_lazy("Chỉ tiêu"),
    gettext_lazy("Đơn vị tính"),
    gettext_lazy("Chỉ tiêu của xã/phường"),
    gettext_lazy("Giá trị chỉ tiêu"),
    gettext_lazy("Chỉ tiêu cấp trên"),
    gettext_lazy("Giá trị chỉ tiêu cấp trên"),
    gettext_lazy("Kết quả thực hiện"),
    gettext_lazy("Tỷ lệ so với chỉ tiêu (%)"),
    gettext_lazy("Đánh giá"),
    gettext_lazy("Đơn vị theo dõi"),
]


def task_table(report: PeriodicReport) -> list[list[Any]]:
    rows = []
    for row in report.rows:
        task = row.task
        rows.append(
            [
                task.code,
                row.group,
                task.name,
                _("Có") if row.is_parent else "",
                row.lead_text,
                "; ".join(row.supports),
                task.due_on,
                task.deadline_text,
                row.state.percent,
                row.evaluation,
                row.note,
                row.state.completed_on,
            ]
        )
    return rows


def target_table(report: PeriodicReport) -> list[list[Any]]:
    rows = []
    for row in report.targets:
        target = row.target
        numeric = target.kind != "qualitative"
        rows.append(
            [
                target.code,
                target.group,
                target.name,
                target.measure_unit,
                row.goal,
                target.value if numeric else None,
                row.upper,
                target.upper_value if numeric else None,
                row.state.value if numeric else row.result,
                row.rate,
                row.evaluation,
                "; ".join(row.owners),
            ]
        )
    return rows


def report_xlsx(report: PeriodicReport) -> bytes:
    """The periodic report's annex tables: Phụ lục I (tasks), Phụ lục II (targets)."""
    workbook = new_workbook()
    plan = report.plan
    info_sheet(
        workbook,
        [
            (_("Kế hoạch"), f"{plan.number} — {plan.title}"),
            (_("Xã/phường"), str(plan.commune)),
            (_("Kỳ báo cáo"), report.rng.label),
            (_("Từ ngày"), report.rng.start),
            (_("Đến ngày (chốt số liệu)"), report.as_of),
            (_("Cách tính"), report.rng.statement),
            (_("Ngày lập"), report.issued_on),
        ],
    )
    add_table(
        workbook,
        _("Phụ lục I - Nhiệm vụ"),
        [str(h) for h in TASK_HEADERS],
        task_table(report),
        widths=[10, 22, 60, 10, 30, 30, 12, 24, 12, 16, 30, 14],
    )
    add_table(
        workbook,
        _("Phụ lục II - Chỉ tiêu"),
        [str(h) for h in TARGET_HEADERS],
        target_table(report),
        widths=[8, 22, 60, 12, 18, 12, 18, 12, 14, 14, 16, 30],
    )
    return to_bytes(workbook)
