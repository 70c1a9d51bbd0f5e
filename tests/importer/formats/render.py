"""The format generator: a plan re-rendered as the files a commune would really upload.

A plan is rendered from its structure (the ``Document`` its text gives): every paragraph and
every table keeps its text, and only the way the file draws them changes:

- **DOCX** (``to_docx``): real Word tables (the first row repeated as a header row, group rows
  merged across the table), and **automatic numbering**: a number printed at the start of a
  paragraph ("1. ", "II. ", "1.2. ", "a) ") or alone in a table cell ("1", "II") is taken out of
  the text and drawn by Word from a real ``numbering.xml`` (``w:numPr`` on the paragraph, one
  multi-level ``w:abstractNum`` per shape of number, "2.", "2.1." and "2.1.3." being levels
  of one list, a new ``w:num`` with ``w:startOverride`` where the numbering restarts or
  jumps, as Word does when a user restarts a list). Bold numbered
  headings get Word's heading styles. ``short_pages`` draws the document on short pages, so
  long table rows break across pages; ``whole_rows`` forbids rows to break (Word's "allow
  row to break across pages" off), so pages break between rows.
- **PDF** (``to_pdf``): the short-page DOCX converted by LibreOffice (``soffice``; several files
  in one call), so page breaks fall inside table rows and header rows repeat on each page.
- **XLSX** (``to_xlsx``): each table on its own sheet, under the text that comes before it
  (the plan's header and title on the first sheet, then its prose, as rows of one cell merged
  across the sheet: a plan kept in a workbook keeps its commune, its aims and its prose
  targets), the text after the last table below it; its header drawn in two rows (a "Cơ quan
  thực hiện" band over the lead and support columns, the other header cells merged down),
  group rows merged across.

Variants of a plan's structure, asserted in ``test_layout_variants.py``:

- ``reorder_columns`` (the columns after the number in reverse order) and ``synonym_headers``
  (header wording swapped for synonyms: "Phân công nhiệm vụ", "Mốc hoàn thành"...);
- ``merge_down`` in ``to_docx``/``to_xlsx`` (a run of identical cells merged vertically);
- ``to_docx(short_pages=True)`` printed to PDF: rows cut by page breaks.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import docx
import openpyxl
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from lxml import etree
from openpyxl.styles import Alignment, Font

from theodoi.importer.core.document import Document, Paragraph, Table
from theodoi.importer.core.readers.numbering import format_number
from theodoi.importer.core.readers.text import read_text
from theodoi.importer.core.tables import tidy_table

# ---------------------------------------------------------------------------------------------
# Numbers printed by hand, drawn by Word instead

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
# "(", then a Roman numeral, a number (1, 1.2, 1.2.3) or a letter, then ".", ")" or nothing.
_LABEL = r"(\(?)(?:([IVXLC]{1,6})|(\d{1,2}(?:\.\d{1,2}){0,2})|([a-z]))([.)]?)"
_CELL_LABEL = re.compile(rf"^{_LABEL}$")
_PARAGRAPH_LABEL = re.compile(rf"^{_LABEL}\s+(?=\S)")


@dataclass(frozen=True)
class Shape:
    """A shape of number: the Word formats of its levels and the pattern of its text."""

    formats: tuple[str, ...]
    pattern: str  # Word's lvlText, e.g. "%1.%2."


def split_label(text: str, *, cell: bool) -> tuple[Shape, tuple[int, ...], str] | None:
    """(shape, values, rest) when ``text`` starts with (or, in a cell, is) a number Word can
    draw, exactly as printed; None otherwise."""
    match = (_CELL_LABEL if cell else _PARAGRAPH_LABEL).match(text)
    if match is None:
        return None
    opening, roman, number, letter, closing = match.groups()
    if opening and closing != ")":
        return None
    if not cell and not closing:
        return None  # "2026 ..." or "100% ..." start a sentence, not a list item
    if roman is not None:
        values: tuple[int, ...] = (_from_roman(roman),)
        formats: tuple[str, ...] = ("upperRoman",)
    elif number is not None:
        values = tuple(int(part) for part in number.split("."))
        formats = ("decimal",) * len(values)
    else:
        values = (ord(letter) - ord("a") + 1,)
        formats = ("lowerLetter",)
    if 0 in values:
        return None
    pattern = opening + ".".join(f"%{i + 1}" for i in range(len(values))) + closing
    shape = Shape(formats, pattern)
    if render_label(shape, values) != match.group(0).strip():
        return None  # "IIII", "05": not a number Word would print that way
    return shape, values, text[match.end() :]


def render_label(shape: Shape, values: Sequence[int]) -> str:
    text = shape.pattern
    for index, (fmt, value) in enumerate(zip(shape.formats, values, strict=True)):
        text = text.replace(f"%{index + 1}", format_number(value, fmt))
    return text


def _from_roman(numeral: str) -> int:
    total = 0
    for char, following in zip(numeral, [*numeral[1:], ""], strict=True):
        value = _ROMAN_VALUES[char]
        total += -value if following and _ROMAN_VALUES[following] > value else value
    return total


@dataclass
class _Lists:
    """The numbering part being written: an abstractNum per shape, a num per run of numbers."""

    numbering: etree._Element
    abstracts: dict[tuple[Shape, str], str] = field(default_factory=dict)
    current: dict[tuple[Shape, str], tuple[str, tuple[int, ...]]] = field(default_factory=dict)
    next_id: int = 100

    def num_for(self, shape: Shape, values: tuple[int, ...], suffix: str) -> tuple[str, int]:
        """The numId that draws ``values`` next, and the level: the running list of this
        shape when the number follows on (at its level, one level down from 1, or back up
        a level), else a new list starting there. Numbers of one, two and three levels
        ("2.", "2.1.", "2.1.3.") are the levels of one list, as Word's multi-level lists
        draw them, not lists of their own."""
        key = (_family(shape), suffix)
        level = len(values) - 1
        running = self.current.get(key)
        if running is not None:
            num_id, last = running
            if _follows(last, values):
                self.current[key] = (num_id, values)
                return num_id, level
        num_id = self._new_num(self._abstract(key), values)
        self.current[key] = (num_id, values)
        return num_id, level

    def _abstract(self, key: tuple[Shape, str]) -> str:
        if key in self.abstracts:
            return self.abstracts[key]
        shape, suffix = key
        self.next_id += 1
        abstract_id = str(self.next_id)
        abstract = _element("w:abstractNum", {"w:abstractNumId": abstract_id})
        abstract.append(_element("w:multiLevelType", {"w:val": "multilevel"}))
        for index, fmt in enumerate(shape.formats):
            lvl = _element("w:lvl", {"w:ilvl": str(index)})
            lvl.append(_element("w:start", {"w:val": "1"}))
            lvl.append(_element("w:numFmt", {"w:val": fmt}))
            text = _level_text(shape.pattern, index)
            lvl.append(_element("w:lvlText", {"w:val": text}))
            lvl.append(_element("w:suff", {"w:val": suffix}))
            lvl.append(_element("w:lvlJc", {"w:val": "left"}))
            p_pr = _element("w:pPr")
            p_pr.append(_element("w:ind", {"w:left": "0", "w:firstLine": "0"}))
            lvl.append(p_pr)
            abstract.append(lvl)
        # Word wants every abstractNum before the first num.
        first_num = self.numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self.numbering.append(abstract)
        self.abstracts[key] = abstract_id
        return abstract_id

    def _new_num(self, abstract_id: str, values: tuple[int, ...]) -> str:
        self.next_id += 1
        num_id = str(self.next_id)
        num = _element("w:num", {"w:numId": num_id})
        num.append(_element("w:abstractNumId", {"w:val": abstract_id}))
        for level, value in enumerate(values):
            override = _element("w:lvlOverride", {"w:ilvl": str(level)})
            override.append(_element("w:startOverride", {"w:val": str(value)}))
            num.append(override)
        self.numbering.append(num)
        return num_id


def _family(shape: Shape) -> Shape:
    """The multi-level list a number belongs to: decimal numbers of any depth in one."""
    if set(shape.formats) != {"decimal"}:
        return shape
    return Shape(("decimal",) * 3, _level_text(shape.pattern, 2))


def _level_text(pattern: str, level: int) -> str:
    """Word's lvlText of ``level`` in a list whose numbers look like ``pattern``."""
    opening = "(" if pattern.startswith("(") else ""
    closing = pattern[-1] if pattern[-1:] in (".", ")") else ""
    return opening + ".".join(f"%{i + 1}" for i in range(level + 1)) + closing


def _follows(last: tuple[int, ...], values: tuple[int, ...]) -> bool:
    """True when ``values`` is the number Word draws next after ``last`` in one list."""
    depth = len(values)
    if depth == len(last) + 1:
        return values[:-1] == last and values[-1] == 1
    if depth > len(last):
        return False
    return values[:-1] == last[: depth - 1] and values[-1] == last[depth - 1] + 1


def _element(tag: str, attributes: dict[str, str] | None = None) -> etree._Element:
    element = OxmlElement(tag)
    for name, value in (attributes or {}).items():
        element.set(qn(name), value)
    return element


def _number_paragraph(paragraph: object, num_id: str, level: int) -> None:
    p_pr = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    num_pr = _element("w:numPr")
    num_pr.append(_element("w:ilvl", {"w:val": str(level)}))
    num_pr.append(_element("w:numId", {"w:val": num_id}))
    p_pr.append(num_pr)


# ---------------------------------------------------------------------------------------------
# The plan's structure


def structure(text: str) -> Document:
    """The paragraphs and tables of a plan's text, as the text reader sees them."""
    return read_text(text)


def merged_tail(cells: Sequence[str]) -> int | None:
    """Index of the cell that spans to the row's end in a group row, else None."""
    filled = [i for i, cell in enumerate(cells) if cell]
    if not filled or filled[-1] > 1 or len(cells) - filled[-1] < 3:
        return None
    return filled[-1]


def _rows(table: Table) -> list[list[str]]:
    width = max(len(row.cells) for row in table.rows)
    return [list(row.cells) + [""] * (width - len(row.cells)) for row in table.rows]


# ---------------------------------------------------------------------------------------------
# DOCX


def to_docx(
    doc: Document,
    *,
    short_pages: bool = False,
    whole_rows: bool = False,
    merge_down: bool = False,
) -> bytes:
    """The plan as a Word document with real tables and automatic numbering."""
    word = docx.Document()
    lists = _Lists(word.part.numbering_part.element)
    _landscape(word, height_cm=10 if short_pages else 21)
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            _docx_paragraph(word, lists, block)
        else:
            _docx_table(word, lists, _rows(block), whole_rows=whole_rows, merge_down=merge_down)
            word.add_paragraph()  # Word keeps a paragraph between two tables
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _landscape(word: docx.document.Document, *, height_cm: float) -> None:
    """A4 landscape, as tables of many columns are printed; short pages (a third of A4's
    height) make long rows break across pages."""
    section = word.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(height_cm)
    for margin in ("top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.2))
    section.left_margin = section.right_margin = Cm(1.5)


def _docx_paragraph(word: docx.document.Document, lists: _Lists, block: Paragraph) -> None:
    numbered = split_label(block.text, cell=False)
    style = None
    if numbered is not None and block.bold:
        shape = numbered[0]
        style = "Heading 1" if shape.formats[0] == "upperRoman" else "Heading 2"
    paragraph = word.add_paragraph(style=style)
    text = block.text
    if numbered is not None:
        shape, values, text = numbered
        _number_paragraph(paragraph, *lists.num_for(shape, values, "space"))
    run = paragraph.add_run(text)
    run.bold = block.bold
    if style is not None:
        # Heading styles draw in colour and larger: keep the text as the plan prints it.
        run.font.size = docx.shared.Pt(11)
        run.font.color.rgb = docx.shared.RGBColor(0, 0, 0)


def _docx_table(
    word: docx.document.Document,
    lists: _Lists,
    rows: list[list[str]],
    *,
    whole_rows: bool,
    merge_down: bool,
) -> None:
    width = len(rows[0])
    table = word.add_table(rows=len(rows), cols=width, style="Table Grid")
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(_element("w:tblHeader"))
    tails = [merged_tail(cells) for cells in rows]
    for row, cells, tail in zip(table.rows, rows, tails, strict=True):
        if whole_rows:
            row._tr.get_or_add_trPr().append(_element("w:cantSplit"))
        if tail is not None:
            row.cells[tail].merge(row.cells[width - 1])
        for index, text in enumerate(cells):
            if tail is not None and index > tail:
                break
            paragraph = row.cells[index].paragraphs[0]
            numbered = split_label(text, cell=True) if index == 0 else None
            if numbered is not None:
                _number_paragraph(paragraph, *lists.num_for(numbered[0], numbered[1], "nothing"))
            elif text:
                paragraph.add_run(text)
    if merge_down:
        for column in range(1, width):
            for start, end in _runs_down(rows, tails, column):
                table.cell(start, column).merge(table.cell(end, column))
                # python-docx keeps the covered cells' paragraphs: one copy of the text is enough
                origin = table.cell(start, column)
                for extra in origin.paragraphs[1:]:
                    extra._p.getparent().remove(extra._p)


def _runs_down(
    rows: list[list[str]], tails: list[int | None], column: int
) -> Iterator[tuple[int, int]]:
    """Runs of two or more rows (below the header) with the same non-empty cell."""
    start = 1
    for index in range(2, len(rows) + 1):
        same = (
            index < len(rows)
            and rows[index][column]
            and rows[index][column] == rows[start][column]
            and tails[index] is None
            and tails[start] is None
        )
        if not same:
            if index - start > 1:
                yield start, index - 1
            start = index


def merged_down_copy(doc: Document) -> Document:
    """What a reader gives back for a vertically merged plan: the text only in the run's first
    row (the expected form of a ``merge_down`` rendering)."""
    blocks: list[Paragraph | Table] = []
    for block in doc.blocks:
        if isinstance(block, Table):
            rows = _rows(block)
            tails = [merged_tail(cells) for cells in rows]
            for column in range(1, len(rows[0])):
                for start, end in _runs_down(rows, tails, column):
                    for index in range(start + 1, end + 1):
                        rows[index][column] = ""
            block = Table(
                rows=tuple(
                    replace(row, cells=tuple(cells))
                    for row, cells in zip(block.rows, rows, strict=True)
                )
            )
        blocks.append(block)
    return Document(blocks=tuple(blocks), source_format=doc.source_format)


# ---------------------------------------------------------------------------------------------
# PDF through LibreOffice


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx_files: Iterable[tuple[str, bytes]]) -> dict[str, bytes]:
    """Each named DOCX converted to PDF by LibreOffice, all in one call."""
    binary = soffice()
    if binary is None:
        raise RuntimeError("LibreOffice is not installed: apt-get install libreoffice-writer")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        names = []
        for name, data in docx_files:
            (folder / f"{name}.docx").write_bytes(data)
            names.append(name)
        subprocess.run(
            [
                binary,
                f"-env:UserInstallation=file://{folder / 'profile'}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder / "out"),
                *(str(folder / f"{name}.docx") for name in names),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        return {name: (folder / "out" / f"{name}.pdf").read_bytes() for name in names}


# ---------------------------------------------------------------------------------------------
# XLSX


_AGENCY_BAND = "Cơ quan thực hiện"
_LEAD_WORDS = ("chủ trì",)
_SUPPORT_WORDS = ("phối hợp",)


def to_xlsx(doc: Document, *, merge_down: bool = False) -> bytes:
    """The plan as an office keeps it in a workbook: each table on its own sheet, under the
    text that comes before it (the plan's header and title on the first sheet, then its prose:
    a plan typed into Excel keeps its aims and prose targets as rows of one merged cell), the
    text after the last table below it; every table with a two-row header."""
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    above: list[Paragraph] = []
    sheet = None
    width = 1
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            above.append(block)
            continue
        sheet = workbook.create_sheet(f"Bảng {len(workbook.worksheets) + 1}")
        rows = _without_debris(block)
        width = len(rows[0])
        _text_rows(sheet, above, width)
        _xlsx_table(sheet, rows, merge_down=merge_down)
        above = []
    if sheet is None:  # a plan without tables: its text alone
        sheet = workbook.create_sheet("Kế hoạch")
    _text_rows(sheet, above, width)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text_rows(sheet: object, paragraphs: list[Paragraph], width: int) -> None:
    """Paragraphs as rows of one cell merged across the table's width, bold kept."""
    for paragraph in paragraphs:
        sheet.append([paragraph.text])  # type: ignore[attr-defined]
        row = sheet.max_row  # type: ignore[attr-defined]
        cell = sheet.cell(row, 1)  # type: ignore[attr-defined]
        cell.alignment = Alignment(wrap_text=True)
        cell.font = Font(bold=paragraph.bold)
        if width > 1:
            sheet.merge_cells(  # type: ignore[attr-defined]
                start_row=row, start_column=1, end_row=row, end_column=width
            )


# Cells every real row fills: its lead, its deadline, its value.
_ANCHOR = re.compile(r"chủ trì|thời gian|thời hạn|kết quả|giá trị")
_UNITS = re.compile(r"chủ trì|phối hợp")


def _without_debris(table: Table) -> list[list[str]]:
    """A spreadsheet has no pages: the table's header once, and rows split by the PDF the
    text came from made whole again (the parser's own tidying, so nothing is judged twice)."""
    header = tidy_table(table).header or ()
    anchors = [i for i, cell in enumerate(header) if _ANCHOR.search(cell.casefold())]
    # A unit cut by the page goes on as the list's next name, as an office types it in one
    # cell ("A; B"), never glued to the name above.
    lists = [i for i, cell in enumerate(header) if _UNITS.search(cell.casefold())]
    tidy = tidy_table(table, anchor_columns=anchors, list_columns=lists)
    rows: list[list[str]] = []
    for row in tidy.rows:
        cells = list(row.cells)
        filled = [cell for cell in cells if cell]
        if rows and not cells[0] and filled and filled[0][:1].islower():
            # The rest of a row cut by a page break: its sentences run on.
            rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells, strict=False)]
            continue
        rows.append(cells)
    header = list(tidy.header) if tidy.header is not None else None
    rows = [header, *rows] if header is not None else rows
    width = max(len(cells) for cells in rows)
    return [cells + [""] * (width - len(cells)) for cells in rows]


def _xlsx_table(sheet: object, rows: list[list[str]], *, merge_down: bool) -> None:
    header, body = rows[0], rows[1:]
    width = len(header)
    top = sheet.max_row + 1  # type: ignore[attr-defined]
    folded = [cell.casefold() for cell in header]
    lead = next((i for i, c in enumerate(folded) if any(w in c for w in _LEAD_WORDS)), None)
    support = next((i for i, c in enumerate(folded) if any(w in c for w in _SUPPORT_WORDS)), None)
    banded = lead is not None and support == lead + 1
    upper = list(header)
    lower = [""] * width
    if banded:
        assert lead is not None and support is not None
        upper[lead], upper[support] = _AGENCY_BAND, ""
        lower[lead], lower[support] = _short(header[lead]), _short(header[support])
    sheet.append(upper)  # type: ignore[attr-defined]
    if banded:
        sheet.append(lower)  # type: ignore[attr-defined]
        sheet.merge_cells(  # type: ignore[attr-defined]
            start_row=top, start_column=lead + 1, end_row=top, end_column=support + 1
        )
        for column in range(width):
            if column not in (lead, support):
                sheet.merge_cells(  # type: ignore[attr-defined]
                    start_row=top, start_column=column + 1, end_row=top + 1, end_column=column + 1
                )
    first_body = sheet.max_row + 1  # type: ignore[attr-defined]
    tails = [None, *(merged_tail(cells) for cells in body)]
    for cells, tail in zip(body, tails[1:], strict=True):
        sheet.append([_xlsx_value(text) for text in cells])  # type: ignore[attr-defined]
        row = sheet.max_row  # type: ignore[attr-defined]
        if tail is not None and width - 1 > tail:
            sheet.merge_cells(  # type: ignore[attr-defined]
                start_row=row, start_column=tail + 1, end_row=row, end_column=width
            )
    if merge_down:
        for column in range(1, width):
            for start, end in _runs_down(rows, [None, *tails[1:]], column):
                sheet.merge_cells(  # type: ignore[attr-defined]
                    start_row=first_body + start - 1,
                    start_column=column + 1,
                    end_row=first_body + end - 1,
                    end_column=column + 1,
                )


def _short(header: str) -> str:
    """ "Cơ quan chủ trì" under the band reads "Chủ trì"."""
    for word in (*_LEAD_WORDS, *_SUPPORT_WORDS):
        if word in header.casefold():
            return word.capitalize()
    return header


def _xlsx_value(text: str) -> str:
    # Every cell stays text: a commune's sheet typed "1" in the STT column reads "1" anyway.
    return text


# ---------------------------------------------------------------------------------------------
# Variants for the table pipeline (imp-structure): generated, not yet asserted


# Header wording a commune may use instead ("Lộ trình" for the deadline column...).
SYNONYMS = (
    (re.compile(r"^(tên nhiệm vụ|nhiệm vụ|nội dung)$", re.IGNORECASE), "Phân công nhiệm vụ"),
    (re.compile(r"^(thời gian thực hiện|thời gian|thời hạn)$", re.IGNORECASE), "Mốc hoàn thành"),
    (re.compile(r"^cơ quan chủ trì$", re.IGNORECASE), "Đơn vị chủ trì"),
    (re.compile(r"^cơ quan phối hợp$", re.IGNORECASE), "Đơn vị phối hợp"),
    (re.compile(r"^(stt|tt)$", re.IGNORECASE), "Số TT"),
)


def synonym_headers(doc: Document) -> Document:
    """The plan with its tables' header cells reworded by ``SYNONYMS``."""

    def reword(cells: tuple[str, ...]) -> tuple[str, ...]:
        out = []
        for cell in cells:
            for pattern, synonym in SYNONYMS:
                if pattern.match(cell.strip()):
                    cell = synonym
                    break
            out.append(cell)
        return tuple(out)

    return _map_tables(doc, lambda table: _rewrite_headers(table, reword))


def reorder_columns(doc: Document) -> Document:
    """The plan with every table's columns after the first in reverse order (the number
    column stays first, as plans print it)."""

    def reorder(cells: tuple[str, ...]) -> tuple[str, ...]:
        return cells[:1] + tuple(reversed(cells[1:]))

    return _map_tables(
        doc,
        lambda table: Table(
            rows=tuple(replace(row, cells=reorder(_padded(row.cells, table))) for row in table.rows)
        ),
    )


def _padded(cells: tuple[str, ...], table: Table) -> tuple[str, ...]:
    width = max(len(row.cells) for row in table.rows)
    return cells + ("",) * (width - len(cells))


def _rewrite_headers(table: Table, reword: Callable[[tuple[str, ...]], tuple[str, ...]]) -> Table:
    header = table.rows[0].cells
    return Table(
        rows=tuple(
            replace(row, cells=reword(row.cells)) if row.cells == header else row
            for row in table.rows
        )
    )


def _map_tables(doc: Document, change: Callable[[Table], Table]) -> Document:
    blocks = tuple(change(b) if isinstance(b, Table) else b for b in doc.blocks)
    return Document(blocks=blocks, source_format=doc.source_format)
