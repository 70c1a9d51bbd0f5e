"""Build the demo's sample plan, ``sample-plan.docx``, from ``sample_plan.txt``.

The plan is fictional (phường Hòa Phong, tỉnh Lâm Viên). Its source is text laid out like the
real plans converted from PDF: one paragraph per line, ``**bold**`` for bold lines, tables as
tab-separated lines. This script lays it out as a commune office would in Word: A4, Times New
Roman 13 pt, bold headings, justified body text, the annexes on landscape pages with real
bordered tables (header row repeated on each page, group rows merged across the row).

Every line of the text stays one paragraph or one table row, so the DOCX reads back with the
text's line numbers. Run it after editing the text::

    .venv/bin/python -m theodoi.demo.build_sample_plan
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "sample_plan.txt"
TARGET = HERE / "sample-plan.docx"

FONT = "Times New Roman"
_BOLD = re.compile(r"^\*\*(.+)\*\*$")
_HEADING = re.compile(r"^([IVX]+\.|\d+\.)\s")
_SIGNATURE = ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "CHỦ TỊCH")
# Relative widths of an annex table's columns, by column count.
_COLUMN_WIDTHS = {6: (1.2, 8.0, 3.0, 4.0, 4.0, 4.3)}


def build(text: str) -> bytes:
    """The Word document for a plan written as text."""
    word = docx.Document()
    _set_up(word)
    lines = text.rstrip("\n").split("\n")
    in_header = True
    index = 0
    while index < len(lines):
        line = lines[index]
        if "\t" in line:
            end = index
            while end < len(lines) and "\t" in lines[end]:
                end += 1
            _add_table(word, [row.split("\t") for row in lines[index:end]])
            index = end
            continue
        index += 1
        following = lines[index] if index < len(lines) else ""
        if not line.strip() and following.startswith("**Phụ lục"):
            _start_landscape_section(word)  # the section break is this blank line's paragraph
            continue
        bold_match = _BOLD.match(line)
        content = bold_match.group(1) if bold_match else line
        if content == "KẾ HOẠCH":
            in_header = False
        _add_paragraph(word, content, bold=bool(bold_match), in_header=in_header)
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


def _start_landscape_section(word: WordDocument) -> None:
    section = word.add_section(WD_SECTION.NEW_PAGE)
    if section.orientation != WD_ORIENT.LANDSCAPE:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.left_margin = section.right_margin = Mm(20)


def _add_paragraph(word: WordDocument, text: str, *, bold: bool, in_header: bool) -> None:
    paragraph = word.add_paragraph()
    if not text.strip():
        return
    run = paragraph.add_run(text)
    run.bold = bold
    layout = paragraph.paragraph_format
    if in_header or _is_title(text, bold):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        layout.space_after = Pt(0) if in_header else Pt(3)
        run.italic = text.startswith(("Hòa Phong, ngày", "(Kèm theo"))
    elif text in _SIGNATURE or (bold is False and _after_signature(paragraph)):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        layout.left_indent = Cm(8)
        layout.space_after = Pt(0)
    elif text.startswith("- ") and _after_recipients(paragraph):
        run.font.size = Pt(11)
        layout.space_after = Pt(0)
    elif bold or _HEADING.match(text):
        layout.keep_with_next = True
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        layout.first_line_indent = Cm(1.27)
    if text == "Nơi nhận:":
        run.italic = True
        run.font.size = Pt(12)
        layout.space_after = Pt(0)


def _is_title(text: str, bold: bool) -> bool:
    return (
        text.startswith("(Kèm theo")
        or (bold and (text.isupper() or "Phụ lục" in text))
        or (bold and text.startswith("Chuyển đổi số"))
    )


def _previous_texts(paragraph: Paragraph, count: int = 3) -> list[str]:
    texts: list[str] = []
    element = paragraph._p.getprevious()
    while element is not None and len(texts) < count:
        if element.tag == qn("w:p"):
            texts.append("".join(element.itertext()))
        element = element.getprevious()
    return texts


def _after_signature(paragraph: Paragraph) -> bool:
    """The signer's name: the first non-empty paragraph after the signature titles."""
    before = [text for text in _previous_texts(paragraph) if text.strip()]
    return bool(before) and before[0] in _SIGNATURE


def _after_recipients(paragraph: Paragraph) -> bool:
    texts = _previous_texts(paragraph, count=8)
    return "Nơi nhận:" in texts and all(
        t.startswith("- ") for t in texts[: texts.index("Nơi nhận:")]
    )


def _add_table(word: WordDocument, rows: list[list[str]]) -> None:
    if not rows:
        return
    width = max(len(cells) for cells in rows)
    rows = [cells + [""] * (width - len(cells)) for cells in rows]
    table = word.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_widths(table, width)
    for index, (row, cells) in enumerate(zip(table.rows, rows, strict=True)):
        header = index == 0
        group = not header and bool(re.fullmatch(r"[IVX]+", cells[0])) and not any(cells[2:])
        if header:
            _repeat_as_header(row)
        if group:
            row.cells[1].merge(row.cells[width - 1])
        for column, text in enumerate(cells):
            if group and column > 1:
                break
            _fill_cell(row.cells[column], text, bold=header or group, centred=header or column == 0)


def _set_widths(table: Table, width: int) -> None:
    shares = _COLUMN_WIDTHS.get(width, (1.0,) * width)
    total = Cm(25.7)  # landscape A4 less the margins
    for column, share in zip(table.columns, shares, strict=True):
        column.width = int(total * share / sum(shares))
        for cell in column.cells:
            cell.width = column.width


def _repeat_as_header(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)


def _fill_cell(cell: object, text: str, *, bold: bool, centred: bool) -> None:
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.paragraph_format.space_after = Pt(2)
    if centred:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        run.font.size = Pt(12)


def main() -> None:
    TARGET.write_bytes(build(SOURCE.read_text(encoding="utf-8")))
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
