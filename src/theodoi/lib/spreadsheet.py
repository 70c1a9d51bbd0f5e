"""Saving XLSX files with user text written as text, never as a live formula.

A task name such as ``=HYPERLINK("http://…"&A1,"…")``, imported through the API, would be
written by openpyxl as a formula and run in the office's spreadsheet program. Every writer
saves through :func:`workbook_bytes`, which marks each text cell starting with ``= + - @``,
a tab or a carriage return as text (string type, with Excel's "quote prefix"): the reader sees
the text exactly as typed, and no program evaluates it, even when the cell is edited again.
Our own files hold no formulas, so nothing meant as one is lost.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell.cell import Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def text_cell(cell: Cell) -> None:
    """Make ``cell`` plain text if its value could be read as a formula."""
    if is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def workbook_bytes(workbook: Workbook) -> bytes:
    """The XLSX file of ``workbook``, every formula-like text neutralised first."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell, Cell):
                    text_cell(cell)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
