"""The layout of an administrative document in Word (python-docx), shared by every report.

Nghị định 30/2020/NĐ-CP, Phụ lục I for state bodies (UBND); Hướng dẫn 36-HD/VPTW for the
Party's committees. Plain, editable Word: text in paragraphs and tables, rules drawn as
paragraph borders, the page number as a field — nothing the office cannot retype.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from .text import place_and_date

FONT = "Times New Roman"
PAGE_WIDTH = Mm(210)
PAGE_HEIGHT = Mm(297)
# Within the decree's ranges: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
MARGIN_TOP = Mm(20)
MARGIN_BOTTOM = Mm(20)
MARGIN_LEFT = Mm(30)
MARGIN_RIGHT = Mm(15)
FIRST_LINE_INDENT = Mm(10)  # 1–1,27 cm
BODY_SIZE = 14
TABLE_SIZE = 12
ANNEX_SIZE = 11

# Heading block: left column (issuing body), right column (Quốc hiệu and Tiêu ngữ).
HEAD_LEFT = Mm(70)
HEAD_RIGHT = Mm(95)

BODY_STYLE = "Nội dung văn bản"
BODY_STYLE_ID = "NoiDungVanBan"

CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
LEFT = WD_ALIGN_PARAGRAPH.LEFT

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PARTY_TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM"


@dataclass(frozen=True)
class Heading:
    """Who issues the document and how it is numbered and dated."""

    party: bool
    body_lines: Sequence[str]  # the issuing body's name, upper case, one or two lines
    parent_line: str  # the level above (Party documents), "" if none
    number: str  # "Số: .../BC-UBND" or "Số ...-BC/ĐU"
    place: str
    issued_on: dt.date


@dataclass(frozen=True)
class Signature:
    authority: str  # "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "T/M BAN THƯỜNG VỤ"
    title: str  # "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "BÍ THƯ"
    name: str


def new_document(title: str) -> DocxDocument:
    """An empty A4 document, Times New Roman 14 pt, Vietnamese, with page numbers centred at
    the top from page 2 (a PAGE field in the header; the first page's header is empty)."""
    doc = Document(io.BytesIO(_blank()))
    doc.core_properties.title = title
    return doc


@functools.cache
def _blank() -> bytes:
    """The styled empty document, built once per process (styling it through python-docx
    costs more than reading it back)."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_SIZE)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    rpr.append(lang)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    for name in ("Header", "Footer", "Table Grid"):
        if name in [s.name for s in doc.styles]:
            style = doc.styles[name]
            style.font.name = FONT
    text_style = doc.styles.add_style(BODY_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    text_style.element.styleId = BODY_STYLE_ID
    text_style.base_style = normal
    text_style.quick_style = True
    body_format = text_style.paragraph_format
    body_format.alignment = JUSTIFY
    body_format.first_line_indent = FIRST_LINE_INDENT
    body_format.space_after = Pt(6)
    doc.core_properties.language = "vi-VN"
    doc.core_properties.author = ""
    doc.core_properties.comments = ""
    section = doc.sections[0]
    _page(section, landscape=False)
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    page_number = section.header.paragraphs[0]
    page_number.alignment = CENTER
    _page_field(page_number)
    return to_bytes(doc)


def _page(section: Section, *, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width = PAGE_HEIGHT if landscape else PAGE_WIDTH
    section.page_height = PAGE_WIDTH if landscape else PAGE_HEIGHT
    section.top_margin = MARGIN_TOP
    section.bottom_margin = MARGIN_BOTTOM
    section.left_margin = MARGIN_LEFT
    section.right_margin = MARGIN_RIGHT
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)


def landscape_section(doc: DocxDocument) -> Section:
    """A new landscape A4 section (the annexes), numbered on every page."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=True)
    section.different_first_page_header_footer = False
    return section


def text_width(section: Section) -> int:
    assert section.page_width and section.left_margin and section.right_margin
    return section.page_width - section.left_margin - section.right_margin


def _page_field(paragraph: Paragraph) -> None:
    run = paragraph.add_run()
    run.font.size = Pt(BODY_SIZE)
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "2"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate, shown, end):
        run._r.append(element)


def para(
    container: DocxDocument | _Cell,
    text: str = "",
    *,
    size: float = BODY_SIZE,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: int | None = None,
    indent: bool = False,
    before: float = 0,
    after: float = 0,
    first: bool = False,
) -> Paragraph:
    """A paragraph of one run. ``first`` reuses a table cell's own first paragraph."""
    if first and isinstance(container, _Cell) and not container.paragraphs[0].text:
        paragraph = container.paragraphs[0]
    else:
        paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    # Normal has no spacing: only what differs is written (python-docx is slow per element).
    if before:
        fmt.space_before = Pt(before)
    if after:
        fmt.space_after = Pt(after)
    if align is not None:
        paragraph.alignment = align
    if indent:
        fmt.first_line_indent = FIRST_LINE_INDENT
    if text:
        add_run(paragraph, text, size=size, bold=bold, italic=italic, underline=underline)
    return paragraph


def add_run(
    paragraph: Paragraph,
    text: str,
    *,
    size: float = BODY_SIZE,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
) -> None:
    """A run at the paragraph's end, written as XML directly (``text_run``): a report has
    hundreds, and python-docx's object model spends more on each than the rest of the page."""
    half_points = str(int(size * 2)) if size != BODY_SIZE else None
    text_run(paragraph._p, text, bold=bold, italic=italic, underline=underline, size=half_points)


def _styled(doc: DocxDocument) -> Paragraph:
    """A paragraph of style ``BODY_STYLE`` at the body's end (before its section settings),
    written as XML: by style id (a lookup by name scans every style) and without python-docx's
    search for where each child element goes."""
    body = doc.element.body
    p = _el(body, "w:p")
    _el(_el(p, "w:pPr"), "w:pStyle", val=BODY_STYLE_ID)
    if body.sectPr is not None:
        body.sectPr.addprevious(p)
    return Paragraph(p, doc._body)


def body(
    doc: DocxDocument, text: str = "", *, bold: bool = False, italic: bool = False
) -> Paragraph:
    """A body paragraph (style ``BODY_STYLE``: 14 pt, justified, first line indented, 6 pt
    between paragraphs); the office restyles every one at once in Word."""
    paragraph = _styled(doc)
    if text:
        add_run(paragraph, text, bold=bold, italic=italic)
    return paragraph


def body_runs(doc: DocxDocument, parts: Sequence[tuple[str, bool]]) -> Paragraph:
    """A body paragraph of (text, bold) parts: "a) Chính quyền số: 5 nhiệm vụ ..."."""
    paragraph = _styled(doc)
    for text, bold in parts:
        add_run(paragraph, text, bold=bold)
    return paragraph


def rule(container: DocxDocument | _Cell, *, side_indent: int) -> Paragraph:
    """A short horizontal rule under the line above: the bottom border of an empty paragraph
    a few points high, between indents."""
    paragraph = para(container, size=2)
    fmt = paragraph.paragraph_format
    fmt.left_indent = side_indent
    fmt.right_indent = side_indent
    fmt.line_spacing = Pt(3)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    ppr.append(borders)
    return paragraph


def _no_borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def set_widths(table: Table, widths: Sequence[int]) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width


def heading_block(doc: DocxDocument, heading: Heading) -> None:
    """The top of the first page: issuing body left, Quốc hiệu / Tiêu ngữ (or the Party's
    title) right; number left and place-and-date right on the next row."""
    table = doc.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    set_widths(table, [HEAD_LEFT, HEAD_RIGHT])
    left, right = table.cell(0, 0), table.cell(0, 1)
    number_cell, date_cell = table.cell(1, 0), table.cell(1, 1)
    size = 14 if heading.party else 13
    if heading.parent_line:
        para(left, heading.parent_line, size=size, align=CENTER, first=True)
    for line in heading.body_lines:
        para(left, line, size=size, bold=True, align=CENTER, first=True)
    if heading.party:
        para(left, "*", size=size, align=CENTER)
        para(right, PARTY_TITLE, size=15, bold=True, align=CENTER, first=True)
        rule(right, side_indent=Mm(13))
    else:
        rule(left, side_indent=Mm(23))
        para(right, NATIONAL_TITLE, size=12, bold=True, align=CENTER, first=True)
        para(right, MOTTO, size=13, bold=True, align=CENTER)
        rule(right, side_indent=Mm(18))
    para(number_cell, heading.number, size=size, align=CENTER, first=True, before=6)
    para(
        date_cell,
        place_and_date(heading.place, heading.issued_on),
        size=14 if heading.party else 13,
        italic=True,
        align=CENTER,
        first=True,
        before=6,
    )


def title_block(doc: DocxDocument, kind: str, summary: str, *, party: bool) -> None:
    """ "BÁO CÁO" and its summary, centred in bold, a short rule beneath (state documents)."""
    para(doc, kind, size=16 if party else 14, bold=True, align=CENTER, before=18)
    para(doc, summary, size=14, bold=True, align=CENTER)
    if party:
        para(doc, "-----", size=14, align=CENTER, after=6)
    else:
        rule(doc, side_indent=Mm(62))
    para(doc, after=6)


def signature_block(
    doc: DocxDocument, signature: Signature, recipients: Sequence[str], *, party: bool
) -> None:
    """Recipients left ("Nơi nhận:" bold italic 12 pt, lines 11 pt), signature right."""
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    set_widths(table, [Mm(80), Mm(85)])
    left, right = table.cell(0, 0), table.cell(0, 1)
    if party:
        para(left, "Nơi nhận:", size=14, underline=True, first=True, before=12)
        for line in recipients:
            para(left, line, size=12)
    else:
        para(left, "Nơi nhận:", size=12, bold=True, italic=True, first=True, before=12)
        for line in recipients:
            para(left, line, size=11)
    para(
        right,
        signature.authority,
        size=14 if party else 13,
        bold=True,
        align=CENTER,
        first=True,
        before=12,
    )
    if signature.title:
        para(right, signature.title, size=14 if party else 13, bold=True, align=CENTER)
    for _blank in range(4):
        para(right, size=14)
    para(right, signature.name, size=14, bold=True, align=CENTER)


def grid(
    doc: DocxDocument,
    headers: Sequence[str],
    widths: Sequence[int],
    *,
    size: float = TABLE_SIZE,
) -> Table:
    """A bordered table with a bold header row repeated on every page."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(table, widths)
    row = table.rows[0]
    tr_pr = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for cell, text in zip(row.cells, headers, strict=True):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        para(cell, text, size=size, bold=True, align=CENTER, first=True)
    return table


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean(text: str) -> str:
    """Text XML can hold: control characters pasted from other software are dropped."""
    return _CONTROL.sub("", text)


_QN: dict[str, str] = {}


def _qn(name: str) -> str:
    # qn() is called for every element and attribute of an annex; remember its answers.
    found = _QN.get(name)
    if found is None:
        found = _QN[name] = qn(name)
    return found


def _el(parent: Any, tag: str, **attrs: str) -> Any:
    if not attrs:
        return etree.SubElement(parent, _qn(tag))
    return etree.SubElement(parent, _qn(tag), {_qn(f"w:{k}"): v for k, v in attrs.items()})


_JC: dict[object, str] = {CENTER: "center", LEFT: "left", JUSTIFY: "both"}


def grid_row(
    table: Table,
    values: Sequence[str],
    *,
    size: float = TABLE_SIZE,
    bold: bool = False,
    aligns: Sequence[int] | None = None,
    merge: bool = False,
) -> None:
    """A row of plain text; ``merge`` spans the first value across the row (a group).

    Written as XML directly: an annex of a few hundred rows through python-docx's object
    model takes seconds; this is the same markup in milliseconds."""
    widths = [col.w for col in table._tbl.tblGrid.gridCol_lst]
    row = _el(table._tbl, "w:tr")
    cells = (
        [(values[0], sum(w or 0 for w in widths), LEFT, True)]
        if merge
        else [
            (text, widths[i] or 0, aligns[i] if aligns else LEFT, bold)
            for i, text in enumerate(values)
        ]
    )
    half_points = str(int(size * 2))
    for text, width, align, strong in cells:
        tc = _el(row, "w:tc")
        tc_pr = _el(tc, "w:tcPr")
        _el(tc_pr, "w:tcW", w=str(int(width / 635)), type="dxa")  # EMU → twentieths of a point
        if merge:
            _el(tc_pr, "w:gridSpan", val=str(len(widths)))
        paragraph = _el(tc, "w:p")
        _el(_el(paragraph, "w:pPr"), "w:jc", val=_JC.get(align, "left"))
        if not text:
            continue
        text_run(paragraph, text, bold=strong, size=half_points, complex_size=True)


_PRESERVE = "{http://www.w3.org/XML/1998/namespace}space"
_LINE_BREAKS = re.compile(r"(\t|\r\n|\n|\r)")


def text_run(
    paragraph: Any,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: str | None = None,
    complex_size: bool = False,
) -> None:
    """A ``w:r`` appended to the ``w:p`` element: the markup python-docx writes for a run
    (properties in the schema's order; a tab as ``w:tab``, a line break as ``w:br``), but
    without its object model. ``size`` in half points; ``complex_size`` repeats it for
    complex scripts."""
    run = _el(paragraph, "w:r")
    if bold or italic or underline or size:
        r_pr = _el(run, "w:rPr")
        if bold:
            _el(r_pr, "w:b")
        if italic:
            _el(r_pr, "w:i")
        if size:
            _el(r_pr, "w:sz", val=size)
            if complex_size:
                _el(r_pr, "w:szCs", val=size)
        if underline:
            _el(r_pr, "w:u", val="single")
    for part in _LINE_BREAKS.split(clean(text)):
        if part == "\t":
            _el(run, "w:tab")
        elif part in ("\n", "\r", "\r\n"):
            _el(run, "w:br")
        elif part:
            t = _el(run, "w:t")
            t.set(_PRESERVE, "preserve")
            t.text = part


def page_break(doc: DocxDocument) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def to_bytes(doc: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
