"""Build DOCX, PDF and XLSX files from a plan's text, for the reader and equivalence tests.

The text is a plan as converted from PDF (tests/data/plans/*.txt): one paragraph per line, table
rows as tab-separated lines, markup such as ``**bold**`` or ``<b>..</b>`` left by converters.
Every builder lays the same content out as a real file of its format would:

- a line without a tab is a paragraph (its markup removed; bold when the whole line was bold
  markup); an empty line is an empty paragraph (DOCX) or nothing (PDF);
- a run of consecutive tab lines is one bordered table, one row per line. A blank line inside
  such a run ends the table and starts another after it, as a page break does in the PDF the
  text came from (and as Word needs a paragraph between two tables). So in the DOCX every text
  line is exactly one paragraph or one table row, and the DOCX line numbers equal the text's;
- a row whose text stops after its first one or two cells (a group row "I\\tKinh tế số\\t\\t\\t")
  has the rest of the row merged into one cell, as group headings are drawn in real plans.

PDF needs a Unicode TrueType font: Debian's fonts-dejavu-core (DejaVu Serif).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path

import docx
import docx.table
import openpyxl
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from fpdf import FPDF
from fpdf.enums import TableCellFillMode

from theodoi.importer.core.clean import clean_text, is_bold_markup

from ...conftest import PLANS_DIR

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation"))
FONT_FILES = (
    ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
)


def plan_paths() -> list[Path]:
    """The real plans (tests/data/plans/*.txt) the reader and equivalence tests run on."""
    paths = sorted(PLANS_DIR.glob("*.txt"))
    if not paths:
        raise FileNotFoundError(f"no plan texts in {PLANS_DIR}")
    return paths


# ---------------------------------------------------------------------------------------------
# Splitting the text into paragraphs and table runs


def text_blocks(text: str) -> Iterator[str | list[list[str]]]:
    """Each line without a tab as a str; each run of tab lines as a list of cell lists."""
    run: list[list[str]] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if "\t" in line:
            run.append(line.split("\t"))
            continue
        if run:
            yield run
            run = []
        yield line
    if run:
        yield run


def merged_tail(cells: Sequence[str]) -> int | None:
    """Index of the cell that spans to the row's end in a group row, else None."""
    filled = [i for i, cell in enumerate(cells) if clean_text(cell)]
    if not filled or filled[-1] > 1 or len(cells) - filled[-1] < 3:
        return None
    return filled[-1]


def _padded(run: list[list[str]]) -> list[list[str]]:
    width = max(len(cells) for cells in run)
    return [cells + [""] * (width - len(cells)) for cells in run]


# ---------------------------------------------------------------------------------------------
# DOCX


def docx_from_text(text: str) -> bytes:
    """A Word document with one paragraph per line and real tables for the tab lines."""
    document = docx.Document()
    for block in text_blocks(text):
        if isinstance(block, str):
            paragraph = document.add_paragraph()
            cleaned = clean_text(block)
            if cleaned:
                paragraph.add_run(cleaned).bold = is_bold_markup(block)
        else:
            _add_docx_table(document, _padded(block))
    return _docx_bytes(document)


def _add_docx_table(document: docx.document.Document, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for row, cells in zip(table.rows, rows, strict=True):
        tail = merged_tail(cells)
        if tail is not None:
            row.cells[tail].merge(row.cells[len(cells) - 1])
        for index, raw in enumerate(cells):
            if tail is not None and index > tail:
                break
            cell = row.cells[index]
            cleaned = clean_text(raw)
            if cleaned:
                cell.paragraphs[0].add_run(cleaned).bold = is_bold_markup(raw)


def _docx_bytes(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_with(build: object) -> bytes:
    """A DOCX made by ``build(document)``: for tests that need a precise layout."""
    document = docx.Document()
    build(document)  # type: ignore[operator]
    return _docx_bytes(document)


def ruled_table(document: docx.document.Document, rows: int, cols: int) -> docx.table.Table:
    """A table with borders, as Word's Insert Table makes (a borderless one is a layout)."""
    return document.add_table(rows=rows, cols=cols, style="Table Grid")


def add_soft_break(paragraph: object) -> None:
    """A Shift+Enter line break at the end of ``paragraph``."""
    paragraph.add_run().add_break(WD_BREAK.LINE)  # type: ignore[attr-defined]


def set_grid_before(row: object, count: int) -> None:
    """Make a row start ``count`` grid columns late (w:gridBefore)."""
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    grid_before = OxmlElement("w:gridBefore")
    grid_before.set(qn("w:val"), str(count))
    tr_pr.append(grid_before)


# ---------------------------------------------------------------------------------------------
# PDF


def unicode_fonts() -> tuple[Path, Path]:
    """Regular and bold Unicode TTF fonts (Debian: fonts-dejavu-core)."""
    for directory in FONT_DIRS:
        for regular, bold in FONT_FILES:
            if (directory / regular).exists() and (directory / bold).exists():
                return directory / regular, directory / bold
    raise RuntimeError("No Unicode TTF font: apt-get install fonts-dejavu-core")


def new_pdf() -> FPDF:
    regular, bold = unicode_fonts()
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_font("Serif", "", str(regular))
    pdf.add_font("Serif", "B", str(bold))
    pdf.add_page()
    pdf.set_font("Serif", size=11)
    return pdf


def pdf_from_text(text: str, *, align: str = "J") -> bytes:
    """A PDF with a text layer: justified paragraphs spaced apart, tab runs as bordered tables."""
    pdf = new_pdf()
    for block in text_blocks(text):
        if isinstance(block, str):
            cleaned = clean_text(block)
            if cleaned:
                write_pdf_paragraph(pdf, cleaned, bold=is_bold_markup(block), align=align)
        else:
            write_pdf_table(pdf, _padded(block))
    return bytes(pdf.output())


def write_pdf_paragraph(pdf: FPDF, text: str, *, bold: bool = False, align: str = "J") -> None:
    pdf.set_font("Serif", "B" if bold else "", 11)
    pdf.multi_cell(0, 5.5, text, align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def write_pdf_table(pdf: FPDF, rows: list[list[str]]) -> None:
    width = len(rows[0])
    pdf.set_font("Serif", "", 8)
    with pdf.table(
        col_widths=_column_widths(pdf, rows),
        width=pdf.epw,
        first_row_as_headings=False,
        line_height=4,
        padding=1,
        text_align="LEFT",
        cell_fill_mode=TableCellFillMode.NONE,
    ) as table:
        for cells in rows:
            row = table.row()
            tail = merged_tail(cells)
            for index, raw in enumerate(cells):
                if tail is not None and index > tail:
                    break
                span = width - tail if index == tail and tail is not None else 1
                row.cell(clean_text(raw), colspan=span)
    pdf.ln(4)


def _column_widths(pdf: FPDF, rows: list[list[str]]) -> tuple[float, ...]:
    """Widths in mm: each column fits its longest word (so no word is cut, as in Word), and
    the rest of the page width is shared in proportion to the columns' text."""
    width = len(rows[0])
    merged = {(r, merged_tail(cells)) for r, cells in enumerate(rows)}
    floors, lengths = [], []
    for column in range(width):
        texts = [
            clean_text(cells[column]) for r, cells in enumerate(rows) if (r, column) not in merged
        ]
        words = [word for text in texts for word in text.split()] or ["M"]
        floors.append(max(pdf.get_string_width(word) for word in words) + 3)
        lengths.append(sum(len(text) for text in texts) / len(rows) + 1)
    spare = max(pdf.epw - sum(floors), 0)
    return tuple(
        floor + spare * length / sum(lengths) for floor, length in zip(floors, lengths, strict=True)
    )


# ---------------------------------------------------------------------------------------------
# XLSX


def xlsx_from_rows(
    rows: Sequence[Sequence[str | int | float | date | datetime | None]],
    *,
    sheets: dict[str, Sequence[Sequence[object]]] | None = None,
    number_formats: dict[str, str] | None = None,
) -> bytes:
    """A workbook whose first sheet holds ``rows``; more sheets by name in ``sheets``.

    ``number_formats`` maps a cell of the first sheet ("C2") to an Excel number format."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Nhiệm vụ"
    for values in rows:
        sheet.append(list(values))
    for coordinate, number_format in (number_formats or {}).items():
        sheet[coordinate].number_format = number_format
    for title, extra_rows in (sheets or {}).items():
        extra = workbook.create_sheet(title)
        for values in extra_rows:
            extra.append(list(values))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
