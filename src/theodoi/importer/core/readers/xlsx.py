"""XLSX -> Document: every visible, non-empty sheet is one Table (a task or target list)
with the text around it.

Cells read as the user sees them: 95 not 95.0, a percentage cell as "95%", dates as
dd/mm/yyyy. Fully empty rows are skipped. ``line`` is the row number in Excel, counted on
across sheets (the second sheet's row 1 follows the first sheet's last row), so the first
sheet's lines are the row numbers the user sees.

Rows holding a single text above the table (such as "KẾ HOẠCH", the plan's name, "Phụ lục
II", the plan's prose before the first row of several cells) become Paragraphs ahead of the
Table, and those below its last row of several cells Paragraphs after it; a sheet without any
row of several cells is text only.
Merged cells show their text once, in their first cell; ``Row.info`` says how far each cell
spans across and down, and which cells continue the one above, so a two-row header or a
vertically merged lead is seen as such. Bold comes from the cells' fonts.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import openpyxl

from .. import clean
from ..document import Block, CellInfo, Document, Paragraph, Row, Table
from ..errors import ImportFileError
from ..tables import is_header_cell

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
        # Not read_only: the merged ranges are only known to a fully loaded sheet (the archive
        # was size-checked before this point).
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:
        raise ImportFileError(_CORRUPT) from exc
    try:
        blocks = list(_blocks(workbook))
    finally:
        workbook.close()
    if not blocks:
        raise ImportFileError(_EMPTY)
    return Document(blocks=tuple(blocks), source_format="xlsx")


def _blocks(workbook: Any) -> Iterator[Block]:
    offset = 0
    for sheet in workbook.worksheets:
        if getattr(sheet, "sheet_state", "visible") != "visible":
            continue
        merges = _merges(sheet)
        rows: list[Row] = []
        last = 0
        for number, cells in enumerate(sheet.iter_rows(), 1):
            last = number
            texts = [cell_text(cell.value, getattr(cell, "number_format", None)) for cell in cells]
            if any(texts):
                info = tuple(
                    merges.get((number, column), CellInfo(bold=_bold(cell)))
                    for column, cell in enumerate(cells, 1)
                )
                inked = [i for i, text in zip(info, texts, strict=True) if text]
                rows.append(
                    Row(
                        cells=tuple(texts),
                        line=offset + number,
                        bold=bool(inked) and all(i.bold for i in inked),
                        info=info,
                    )
                )
        offset += last
        start, end = _table_span(rows)
        yield from _paragraphs(rows[:start])
        if start < end:
            yield Table(rows=_rectangular(rows[start:end]))
        yield from _paragraphs(rows[end:])


def _table_span(rows: list[Row]) -> tuple[int, int]:
    """Where the sheet's table starts and ends: from its first row of several cells to its
    last. The rows of a single text above it are the sheet's titles and the text before the
    table ("KẾ HOẠCH", the plan's name, its aims...); those below it are the text after it
    (notes, "Tổ chức thực hiện", the signature). A sheet with no row of several cells is a
    one-column list where its first row is a column heading ("Nhiệm vụ"), else text only: a
    plan typed into a sheet line by line."""
    several = [i for i, row in enumerate(rows) if sum(1 for cell in row.cells if cell) > 1]
    if not several:
        listed = bool(rows) and is_header_cell(next(cell for cell in rows[0].cells if cell))
        return (0, len(rows)) if listed else (len(rows), len(rows))
    return several[0], several[-1] + 1


def _paragraphs(rows: list[Row]) -> Iterator[Paragraph]:
    for row in rows:
        text = next(cell for cell in row.cells if cell)
        yield Paragraph(text=text, line=row.line, bold=row.bold)


def _merges(sheet: Any) -> dict[tuple[int, int], CellInfo]:
    """(row, column) -> how the cell is drawn, for every cell of a merged range."""
    out: dict[tuple[int, int], CellInfo] = {}
    for merged in getattr(sheet, "merged_cells", None) or ():
        across = merged.max_col - merged.min_col + 1
        down = merged.max_row - merged.min_row + 1
        origin = sheet.cell(merged.min_row, merged.min_col)
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                first_column = column == merged.min_col
                if row == merged.min_row and first_column:
                    info = CellInfo(across=across, down=down, bold=_bold(origin))
                elif row == merged.min_row:
                    info = CellInfo(across=0)
                else:
                    info = CellInfo(across=across if first_column else 0, merged_up=True)
                out[(row, column)] = info
    return out


def _bold(cell: Any) -> bool:
    font = getattr(cell, "font", None)
    return bool(font is not None and font.b)


def _rectangular(rows: list[Row]) -> tuple[Row, ...]:
    """Every row as wide as the widest non-empty one; trailing empty columns dropped."""
    width = max(max(i for i, text in enumerate(row.cells) if text) + 1 for row in rows)
    return tuple(
        replace(row, cells=(row.cells + ("",) * width)[:width], info=row.info[:width])
        for row in rows
    )


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
