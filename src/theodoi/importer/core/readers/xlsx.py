"""XLSX -> Document: every visible, non-empty sheet is one Table (a task or target list).

Cells read as the user sees them: 95 not 95.0, a percentage cell as "95%", dates as
dd/mm/yyyy. Fully empty rows are skipped. ``line`` is the row number in Excel, counted on
across sheets (the second sheet's row 1 follows the first sheet's last row), so the first
sheet's lines are the row numbers the user sees.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import openpyxl

from .. import clean
from ..document import Document, Row, Table
from ..errors import ImportFileError

_CORRUPT = (
    "Tệp Excel bị hỏng hoặc tải lên chưa trọn vẹn nên không mở được: hãy mở tệp bằng Excel, "
    "lưu lại dạng .xlsx rồi tải lên lần nữa."
)
_EMPTY = (
    "Tệp Excel không có dữ liệu ở trang tính nào: hãy kiểm tra lại tệp, danh sách nhiệm vụ "
    "hoặc chỉ tiêu phải nằm trên một trang tính đang hiện."
)


def read_xlsx(data: bytes) -> Document:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise ImportFileError(_CORRUPT) from exc
    try:
        tables = list(_tables(workbook))
    finally:
        workbook.close()
    if not tables:
        raise ImportFileError(_EMPTY)
    return Document(blocks=tuple(tables), source_format="xlsx")


def _tables(workbook: Any) -> Iterator[Table]:
    offset = 0
    for sheet in workbook.worksheets:
        if getattr(sheet, "sheet_state", "visible") != "visible":
            continue
        rows: list[Row] = []
        last = 0
        for number, cells in enumerate(sheet.iter_rows(), 1):
            last = number
            texts = [cell_text(cell.value, getattr(cell, "number_format", None)) for cell in cells]
            if any(texts):
                rows.append(Row(cells=tuple(texts), line=offset + number))
        offset += last
        if rows:
            yield Table(rows=_rectangular(rows))


def _rectangular(rows: list[Row]) -> tuple[Row, ...]:
    """Every row as wide as the widest non-empty one; trailing empty columns dropped."""
    width = max(max(i for i, text in enumerate(row.cells) if text) + 1 for row in rows)
    return tuple(Row(cells=(row.cells + ("",) * width)[:width], line=row.line) for row in rows)


def cell_text(value: object, number_format: str | None = None) -> str:
    """A cell's value as Excel shows it, cleaned."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return _number_text(value, number_format or "General")
    return clean.clean_text(str(value))


def _number_text(value: float | Decimal, number_format: str) -> str:
    if "%" in number_format:
        return _plain_number(Decimal(str(value)) * 100) + "%"
    decimals = _format_decimals(number_format)
    if decimals is not None:
        return _plain_number(round(Decimal(str(value)), decimals), keep=decimals)
    return _plain_number(Decimal(str(value)))


def _format_decimals(number_format: str) -> int | None:
    """Decimal places a format like "0.00" or "#,##0.0" shows; None for General."""
    section = number_format.split(";", 1)[0]
    if "0" not in section:
        return None
    _, dot, decimals = section.partition(".")
    return decimals.count("0") if dot else 0


def _plain_number(value: Decimal, keep: int = 0) -> str:
    # Python's str(Decimal) would give "95.0" or "1E+2"; a user sees "95" and "100".
    text = f"{value:.{keep}f}" if keep else f"{value:f}"
    if "." in text and not keep:
        text = text.rstrip("0").rstrip(".")
    return text
