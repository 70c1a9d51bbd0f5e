"""DOCX -> Document: paragraphs and tables of the body, in document order.

Reading works on the WordprocessingML tree of python-docx (``doc.element.body``) because the
object API loses the order of paragraphs and tables and hides merged cells.

Line numbers: every body paragraph (empty ones included) and every table row counts as one
line, in reading order; a soft line break (Shift+Enter) inside a paragraph starts a new line
too. So a DOCX built with one paragraph per line of a text plan and one table row per
tab-separated line numbers its blocks exactly like the text. Empty paragraphs and fully
empty rows are counted but not emitted.

A small table without any border (at most 3 columns and 4 rows) only lays blocks side by side
(the issuer | national motto header, the recipients | signer block) and is read as its
content, cell after cell, each of its paragraphs a line; ruled tables are data tables.

Headers, footers, footnotes and text boxes are not part of a plan's body and are ignored (a
warning names ignored text boxes).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import docx
from docx.oxml.ns import qn
from lxml import etree

from .. import clean
from ..document import Block, Document, Paragraph, Row, Table
from ..errors import ImportFileError

_CORRUPT = (
    "Tệp Word bị hỏng hoặc tải lên chưa trọn vẹn nên không mở được: hãy mở tệp bằng Word, "
    "lưu lại dạng .docx rồi tải lên lần nữa."
)

# Inline containers whose runs are part of the paragraph's own text.
_INLINE_CONTAINERS = frozenset(
    qn(tag)
    for tag in (
        "w:hyperlink",
        "w:ins",
        "w:moveTo",
        "w:smartTag",
        "w:fldSimple",
        "w:sdt",
        "w:sdtContent",
        "w:customXml",
    )
)
# Block containers whose children are paragraphs and tables of the body.
_BLOCK_CONTAINERS = frozenset(qn(tag) for tag in ("w:sdt", "w:sdtContent", "w:customXml"))
_TRUE = {"1", "true", "on"}
_W_VAL = qn("w:val")


def read_docx(data: bytes) -> Document:
    try:
        word = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise ImportFileError(_CORRUPT) from exc
    reader = _DocxReader(_Styles(word.styles.element))
    blocks = list(reader.blocks(word.element.body))
    warnings: list[str] = []
    if _has_text_boxes(word.element.body):
        warnings.append(
            "Chữ trong các khung văn bản (text box) của tệp Word không được đọc: nếu khung chứa "
            "nội dung kế hoạch, hãy chuyển nội dung đó ra thân văn bản."
        )
    return Document(blocks=tuple(blocks), source_format="docx", warnings=tuple(warnings))


@dataclass
class _Piece:
    """A run's text with its effective boldness."""

    text: str
    bold: bool


class _Styles:
    """What the document's styles say: whether a style makes text bold, whether a table style
    draws borders (following ``basedOn`` chains)."""

    def __init__(self, styles_element: etree._Element) -> None:
        self._bold: dict[str, bool | None] = {}
        self._borders: dict[str, bool | None] = {}
        self._based_on: dict[str, str] = {}
        self.default_paragraph_style: str | None = None
        self.default_table_style: str | None = None
        for style in styles_element.iterchildren(qn("w:style")):
            style_id = style.get(qn("w:styleId"))
            if not style_id:
                continue
            self._bold[style_id] = _bold_of(style.find(qn("w:rPr")))
            self._borders[style_id] = _borders_of(
                style.find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}")
            )
            based_on = style.find(qn("w:basedOn"))
            if based_on is not None and based_on.get(_W_VAL):
                self._based_on[style_id] = based_on.get(_W_VAL, "")
            if style.get(qn("w:default")) in _TRUE:
                if style.get(qn("w:type")) == "paragraph":
                    self.default_paragraph_style = style_id
                elif style.get(qn("w:type")) == "table":
                    self.default_table_style = style_id

    def bold(self, style_id: str | None) -> bool | None:
        return self._inherited(self._bold, style_id)

    def table_borders(self, style_id: str | None) -> bool:
        return bool(self._inherited(self._borders, style_id or self.default_table_style))

    def _inherited(self, values: dict[str, bool | None], style_id: str | None) -> bool | None:
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            value = values.get(style_id)
            if value is not None:
                return value
            style_id = self._based_on.get(style_id)
        return None


def _borders_of(borders: etree._Element | None) -> bool | None:
    """True when a borders element draws a line, False when it clears them all, else None."""
    if borders is None:
        return None
    return any(
        edge.get(_W_VAL, "none") not in ("nil", "none") and edge.get(qn("w:sz"), "1") != "0"
        for edge in borders.iterchildren()
    )


def _bold_of(rpr: etree._Element | None) -> bool | None:
    if rpr is None:
        return None
    b = rpr.find(qn("w:b"))
    if b is None:
        return None
    return b.get(_W_VAL, "true").lower() in _TRUE


class _DocxReader:
    def __init__(self, styles: _Styles) -> None:
        self._styles = styles
        self._line = 0

    def blocks(self, container: etree._Element) -> Iterator[Block]:
        for child in container.iterchildren():
            if child.tag == qn("w:p"):
                yield from self._paragraphs(child)
            elif child.tag == qn("w:tbl") and self._is_layout_table(child):
                yield from self._unfolded(child)
            elif child.tag == qn("w:tbl"):
                table = self._table(child)
                if table.rows:
                    yield table
            elif child.tag in _BLOCK_CONTAINERS:
                yield from self.blocks(child)

    def _is_layout_table(self, tbl: etree._Element) -> bool:
        """A small table without any border only lays text out side by side: the plan's
        header (issuer | national motto, number | date) or its signature block (recipients |
        signer). Data tables (targets, tasks) are ruled."""
        columns = len(tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}"))
        if columns > 3 or len(list(_table_rows(tbl))) > 4:
            return False
        table_borders = _borders_of(tbl.find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}"))
        if table_borders is None:
            style = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}")
            table_borders = self._styles.table_borders(
                style.get(_W_VAL) if style is not None else None
            )
        if table_borders:
            return False
        cell_borders = tbl.iter(qn("w:tcBorders"))
        return not any(_borders_of(borders) for borders in cell_borders)

    def _unfolded(self, tbl: etree._Element) -> Iterator[Block]:
        """A layout table read as what it holds, cell after cell, row by row."""
        for tr in _table_rows(tbl):
            for tc in _row_tcs(tr):
                v_merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
                if v_merge is None or v_merge.get(_W_VAL, "continue") != "continue":
                    yield from self.blocks(tc)

    def _paragraphs(self, p: etree._Element) -> Iterator[Paragraph]:
        for pieces in _visual_lines(p, self._paragraph_bold(p), self._styles):
            self._line += 1
            text = clean.clean_text("".join(piece.text for piece in pieces))
            if not text:
                continue
            inked = [piece for piece in pieces if piece.text.strip()]
            bold = bool(inked) and all(piece.bold for piece in inked)
            yield Paragraph(text=text, line=self._line, bold=bold)

    def _paragraph_bold(self, p: etree._Element) -> bool:
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        style_id = style.get(_W_VAL) if style is not None else None
        bold = self._styles.bold(style_id or self._styles.default_paragraph_style)
        return bool(bold)

    def _table(self, tbl: etree._Element) -> Table:
        rows: list[Row] = []
        for tr in _table_rows(tbl):
            self._line += 1
            cells = tuple(_row_cells(tr))
            if any(cells):
                rows.append(Row(cells=cells, line=self._line))
        return Table(rows=tuple(rows))


def _row_cells(tr: etree._Element) -> Iterator[str]:
    """One string per grid column; a merged cell shows its text once, the cells it covers
    (to its right, or below it) read as "" - like a group row of a text plan."""
    yield from [""] * _int_val(tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}"), 0)
    for tc in _row_tcs(tr):
        tc_pr = tc.find(qn("w:tcPr"))
        span = _int_val(tc_pr.find(qn("w:gridSpan")) if tc_pr is not None else None, 1)
        v_merge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
        continues = v_merge is not None and v_merge.get(_W_VAL, "continue") == "continue"
        yield "" if continues else _cell_text(tc)
        yield from [""] * (span - 1)
    yield from [""] * _int_val(tr.find(f"{qn('w:trPr')}/{qn('w:gridAfter')}"), 0)


def _visual_lines(
    p: etree._Element, paragraph_bold: bool, styles: _Styles | None = None
) -> list[list[_Piece]]:
    """The paragraph's text split at soft line breaks, each line as bold-tagged pieces."""
    lines: list[list[_Piece]] = [[]]
    for run in _runs(p):
        bold = _run_bold(run, styles)
        bold = paragraph_bold if bold is None else bold
        for child in run.iterchildren():
            tag = child.tag
            if tag == qn("w:t"):
                lines[-1].append(_Piece(child.text or "", bold))
            elif tag in (qn("w:tab"), qn("w:ptab")):
                lines[-1].append(_Piece(" ", bold))
            elif tag == qn("w:noBreakHyphen"):
                lines[-1].append(_Piece("-", bold))
            elif tag == qn("w:cr") or (tag == qn("w:br") and _is_line_break(child)):
                lines.append([])
    return lines


def _run_bold(run: etree._Element, styles: _Styles | None) -> bool | None:
    """Bold set on the run itself, else by its character style ("Strong"), else None."""
    rpr = run.find(qn("w:rPr"))
    direct = _bold_of(rpr)
    if direct is not None or rpr is None or styles is None:
        return direct
    style = rpr.find(qn("w:rStyle"))
    return styles.bold(style.get(_W_VAL)) if style is not None else None


def _is_line_break(br: etree._Element) -> bool:
    # Page and column breaks move text, they do not end a line of the plan.
    return br.get(qn("w:type")) in (None, "textWrapping")


def _runs(element: etree._Element) -> Iterator[etree._Element]:
    for child in element.iterchildren():
        if child.tag == qn("w:r"):
            yield child
        elif child.tag in _INLINE_CONTAINERS:
            yield from _runs(child)


def _table_rows(tbl: etree._Element) -> Iterator[etree._Element]:
    for child in tbl.iterchildren():
        if child.tag == qn("w:tr"):
            yield child
        elif child.tag in _BLOCK_CONTAINERS:
            yield from _table_rows(child)


def _row_tcs(tr: etree._Element) -> Iterator[etree._Element]:
    for child in tr.iterchildren():
        if child.tag == qn("w:tc"):
            yield child
        elif child.tag in _BLOCK_CONTAINERS:
            yield from _row_tcs(child)


def _cell_text(tc: etree._Element) -> str:
    """A cell as one string: its paragraphs joined by newlines; nested tables row by row."""
    return clean.clean_text("\n".join(_cell_lines(tc)))


def _cell_lines(container: etree._Element) -> Iterator[str]:
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            for pieces in _visual_lines(child, paragraph_bold=False):
                text = "".join(piece.text for piece in pieces).strip()
                if text:
                    yield text
        elif child.tag == qn("w:tbl"):
            for tr in _table_rows(child):
                texts = [_cell_text(tc) for tc in _row_tcs(tr)]
                line = " ".join(text for text in texts if text)
                if line:
                    yield line
        elif child.tag in _BLOCK_CONTAINERS:
            yield from _cell_lines(child)


def _int_val(element: etree._Element | None, default: int) -> int:
    if element is None:
        return default
    try:
        return max(int(element.get(_W_VAL, default)), 0)
    except ValueError:
        return default


def _has_text_boxes(body: etree._Element) -> bool:
    boxes = body.iter(qn("w:txbxContent"))
    return any("".join(box.itertext()).strip() for box in boxes)
