"""Build the demo's sample plan, ``sample-plan.docx``, from ``sample_plan.txt``.

The plan is fictional (phường Hòa Phong, tỉnh Lâm Viên). Its source is text laid out like the
real plans converted from PDF: one paragraph per line, ``**bold**`` for bold lines, tables as
tab-separated lines. This script lays it out as a commune office does in Word: A4, Times New
Roman 13 pt, bold headings, justified body text; the header (issuer | national motto) and the
signature block (recipients | signer) side by side in borderless layout tables; the annexes on
landscape pages with ruled tables (header row repeated on each page, group rows merged).

Every line of the text stays one paragraph or one table row, so the DOCX reads back with the
text's line numbers. Run it after editing the text::

    .venv/bin/python -m theodoi.demo.build_sample_plan
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "sample_plan.txt"
TARGET = HERE / "sample-plan.docx"

FONT = "Times New Roman"
_BOLD = re.compile(r"^\*\*(.+)\*\*$")
_NUMBERED_HEADING = re.compile(r"^\d+\.\s")
_SIGNATURE_TITLES = ("KT. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH", "CHỦ TỊCH")
# Relative widths of an annex table's columns, by column count.
_COLUMN_WIDTHS = {6: (1.2, 8.0, 3.0, 4.0, 4.0, 4.3)}


def build(text: str) -> bytes:
    """The Word document for a plan written as text (see the module docstring)."""
    word = docx.Document()
    _set_up(word)
    lines = text.rstrip("\n").split("\n")
    index = _add_header(word, lines)
    while index < len(lines):
        line = lines[index]
        if "\t" in line:
            end = _run_end(lines, index, lambda candidate: "\t" in candidate)
            _add_table(word, [row.split("\t") for row in lines[index:end]])
            index = end
        elif _plain(line) == "Nơi nhận:":
            index = _add_signature_block(word, lines, index)
        elif (
            not line.strip() and index + 1 < len(lines) and lines[index + 1].startswith("**Phụ lục")
        ):
            _start_landscape_section(word)  # the section break is this blank line's paragraph
            index += 1
        else:
            _format_body(word.add_paragraph(), line)
            index += 1
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _set_up(word: WordDocument) -> None:
    normal = word.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)


def _plain(line: str) -> str:
    match = _BOLD.match(line)
    return match.group(1) if match else line


def _run_end(lines: Sequence[str], start: int, belongs: Callable[[str], bool]) -> int:
    """The index after the run of lines from ``start`` that ``belongs`` accepts."""
    end = start
    while end < len(lines) and belongs(lines[end]):
        end += 1
    return end


def _add_run(paragraph: Paragraph, line: str, *, size: float | None = None) -> None:
    text = _plain(line)
    if text.strip():
        run = paragraph.add_run(text)
        run.bold = text != line
        if size:
            run.font.size = Pt(size)


def _layout_table(word: WordDocument, widths: Sequence[float]) -> list[_Cell]:
    """A one-row borderless table: the way Word documents put two blocks side by side."""
    table = word.add_table(rows=1, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    cells = list(table.rows[0].cells)
    for cell, width in zip(cells, widths, strict=True):
        cell.width = Cm(width)
    return cells


def _fill(cell: _Cell, lines: Sequence[str], *, centred: bool, size: float | None = None) -> None:
    for number, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        if centred:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _add_run(paragraph, line, size=size)
        if _plain(line).startswith(("Hòa Phong, ngày", "Nơi nhận:")):
            for run in paragraph.runs:
                run.italic = True


def _add_header(word: WordDocument, lines: Sequence[str]) -> int:
    """Issuer and number on the left, the national motto and the date on the right."""
    end = _run_end(lines, 0, lambda line: bool(line.strip()))
    block = list(lines[:end])
    split = next(i for i, line in enumerate(block) if _plain(line).startswith("CỘNG HÒA"))
    left, right = _layout_table(word, (6.0, 10.0))
    _fill(left, block[:split], centred=True)
    _fill(right, block[split:], centred=True)
    return end


def _add_signature_block(word: WordDocument, lines: Sequence[str], start: int) -> int:
    """Recipients on the left, the signer on the right (to the signer's name)."""
    split = next(i for i in range(start, len(lines)) if _plain(lines[i]) in _SIGNATURE_TITLES)
    name = next(
        i
        for i in range(split, len(lines))
        if lines[i].strip() and _plain(lines[i]) not in _SIGNATURE_TITLES
    )
    left, right = _layout_table(word, (8.0, 8.0))
    _fill(left, lines[start:split], centred=False, size=11)
    _fill(right, lines[split : name + 1], centred=True)
    return name + 1


def _start_landscape_section(word: WordDocument) -> None:
    section = word.add_section(WD_SECTION.NEW_PAGE)
    if section.orientation != WD_ORIENT.LANDSCAPE:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.left_margin = section.right_margin = Mm(20)


def _format_body(paragraph: Paragraph, line: str) -> None:
    _add_run(paragraph, line)
    text, bold = _plain(line), _plain(line) != line
    layout = paragraph.paragraph_format
    if text.startswith("(Kèm theo") or (
        bold and (text.isupper() or text.startswith(("Phụ lục", "Chuyển đổi số")))
    ):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        layout.space_after = Pt(3)
        for run in paragraph.runs:
            run.italic = text.startswith("(Kèm theo")
    elif bold or _NUMBERED_HEADING.match(text):
        layout.keep_with_next = True
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        layout.first_line_indent = Cm(1.27)


def _add_table(word: WordDocument, rows: list[list[str]]) -> None:
    width = max(len(cells) for cells in rows)
    rows = [cells + [""] * (width - len(cells)) for cells in rows]
    table = word.add_table(rows=len(rows), cols=width, style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_widths(table, width)
    for index, (row, cells) in enumerate(zip(table.rows, rows, strict=True)):
        header = index == 0
        group = not header and bool(re.fullmatch(r"[IVX]+", cells[0])) and not any(cells[2:])
        if header:
            row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeat on each page
        if group:
            row.cells[1].merge(row.cells[width - 1])
        for column, text in enumerate(cells):
            if group and column > 1:
                break
            paragraph = row.cells[column].paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(2)
            if header or column == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if text:
                run = paragraph.add_run(text)
                run.bold = header or group
                run.font.size = Pt(12)


def _set_widths(table: Table, width: int) -> None:
    shares = _COLUMN_WIDTHS.get(width, (1.0,) * width)
    total = Cm(25.7)  # landscape A4 less its margins
    for column, share in zip(table.columns, shares, strict=True):
        column.width = int(total * share / sum(shares))
        for cell in column.cells:
            cell.width = column.width


def main() -> None:
    TARGET.write_bytes(build(SOURCE.read_text(encoding="utf-8")))
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
