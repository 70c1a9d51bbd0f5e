"""DOCX -> Document: paragraphs and tables of the body, in document order.

Reading works on the WordprocessingML tree of python-docx (``doc.element.body``) because the
object API loses the order of paragraphs and tables and hides merged cells.

Line numbers: every body paragraph (empty ones included) and every table row counts as one
line, in reading order; a soft line break (Shift+Enter) inside a paragraph starts a new line
too. So a DOCX built with one paragraph per line of a text plan and one table row per
tab-separated line numbers its blocks exactly like the text. Empty paragraphs and fully
empty rows are counted but not emitted. Headers, footers, footnotes and text boxes are not
part of a plan's body and are ignored (a warning names ignored text boxes).
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
    reader = _DocxReader(_StyleBold(word.styles.element))
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


class _StyleBold:
    """Resolves whether a style makes its text bold, following ``basedOn`` chains."""

    def __init__(self, styles_element: etree._Element) -> None:
        self._bold: dict[str, bool | None] = {}
        self._based_on: dict[str, str] = {}
        self.default_paragraph_style: str | None = None
        for style in styles_element.iterchildren(qn("w:style")):
            style_id = style.get(qn("w:styleId"))
            if not style_id:
                continue
            self._bold[style_id] = _bold_of(style.find(qn("w:rPr")))
            based_on = style.find(qn("w:basedOn"))
            if based_on is not None and based_on.get(_W_VAL):
                self._based_on[style_id] = based_on.get(_W_VAL, "")
            if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in _TRUE:
                self.default_paragraph_style = style_id

    def bold(self, style_id: str | None) -> bool | None:
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            value = self._bold.get(style_id)
            if value is not None:
                return value
            style_id = self._based_on.get(style_id)
        return None


def _bold_of(rpr: etree._Element | None) -> bool | None:
    if rpr is None:
        return None
    b = rpr.find(qn("w:b"))
    if b is None:
        return None
    return b.get(_W_VAL, "true").lower() in _TRUE


class _DocxReader:
    def __init__(self, styles: _StyleBold) -> None:
        self._styles = styles
        self._line = 0

    def blocks(self, container: etree._Element) -> Iterator[Block]:
        for child in container.iterchildren():
            if child.tag == qn("w:p"):
                yield from self._paragraphs(child)
            elif child.tag == qn("w:tbl"):
                table = self._table(child)
                if table.rows:
                    yield table
            elif child.tag in _BLOCK_CONTAINERS:
                yield from self.blocks(child)

    def _paragraphs(self, p: etree._Element) -> Iterator[Paragraph]:
        for pieces in _visual_lines(p, self._paragraph_bold(p)):
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


def _visual_lines(p: etree._Element, paragraph_bold: bool) -> list[list[_Piece]]:
    """The paragraph's text split at soft line breaks, each line as bold-tagged pieces."""
    lines: list[list[_Piece]] = [[]]
    for run in _runs(p):
        run_bold = _bold_of(run.find(qn("w:rPr")))
        bold = paragraph_bold if run_bold is None else run_bold
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
