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
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar, cast

import docx
from docx.oxml.ns import qn
from docx.styles import BabelFish
from lxml import etree

from .. import clean
from ..document import Block, CellInfo, Document, Paragraph, Row, Table
from ..errors import ImportFileError
from .numbering import Numbering

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
    reader = _DocxReader(_Styles(word.styles.element), Numbering(_numbering_element(word)))
    blocks = list(reader.blocks(word.element.body))
    warnings: list[str] = []
    if _has_text_boxes(word.element.body):
        warnings.append(
            "Chữ trong các khung văn bản (text box) của tệp Word không được đọc: nếu khung chứa "
            "nội dung kế hoạch, hãy chuyển nội dung đó ra thân văn bản."
        )
    return Document(
        blocks=tuple(blocks), source_format="docx", warnings=tuple(warnings), pages=reader.page
    )


def _numbering_element(word: Any) -> etree._Element | None:
    """The document's numbering definitions, None where it has none."""
    for rel in word.part.rels.values():
        if rel.reltype.endswith("/numbering") and not rel.is_external:
            return cast(etree._Element, rel.target_part.element)
    return None


@dataclass
class _Piece:
    """A run's text with its effective boldness."""

    text: str
    bold: bool


@dataclass
class _VisualLine:
    pieces: list[_Piece]
    # A page break (w:br type="page", lastRenderedPageBreak) came before the line's text.
    page_break_before: bool = False


class _Styles:
    """What the document's styles say: whether a style makes text bold, whether a table style
    draws borders (following ``basedOn`` chains)."""

    def __init__(self, styles_element: etree._Element) -> None:
        self._bold: dict[str, bool | None] = {}
        self._borders: dict[str, bool | None] = {}
        self._based_on: dict[str, str] = {}
        self._outline: dict[str, int | None] = {}
        self._num: dict[str, tuple[str | None, int | None] | None] = {}
        self.names: dict[str, str] = {}
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
            name = style.find(qn("w:name"))
            internal = name.get(_W_VAL, style_id) if name is not None else style_id
            # Word stores built-in names in lower case ("heading 1") and shows "Heading 1".
            self.names[style_id] = BabelFish.internal2ui(internal)
            p_pr = style.find(qn("w:pPr"))
            self._outline[style_id] = _outline_of(p_pr, self.names[style_id])
            self._num[style_id] = _num_pr_of(p_pr)
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

    def outline_level(self, style_id: str | None) -> int | None:
        return self._inherited(self._outline, style_id)

    def num_pr(self, style_id: str | None) -> tuple[str | None, int | None] | None:
        return self._inherited(self._num, style_id)

    def table_borders(self, style_id: str | None) -> bool:
        return bool(self._inherited(self._borders, style_id or self.default_table_style))

    def _inherited(self, values: Mapping[str, _T | None], style_id: str | None) -> _T | None:
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            value = values.get(style_id)
            if value is not None:
                return value
            style_id = self._based_on.get(style_id)
        return None


_T = TypeVar("_T")
_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)


def _outline_of(p_pr: etree._Element | None, style_name: str = "") -> int | None:
    """The outline level a paragraph (or style) sets: 0 for the top; 9 is body text."""
    level = p_pr.find(qn("w:outlineLvl")) if p_pr is not None else None
    if level is not None:
        value = _int_val(level, 9)
        return value if value < 9 else None
    heading = _HEADING_NAME.match(style_name.strip())
    return int(heading.group(1)) - 1 if heading else None


def _num_pr_of(p_pr: etree._Element | None) -> tuple[str | None, int | None] | None:
    """(numId, ilvl) of a w:numPr, either possibly None; None where there is no numPr."""
    num_pr = p_pr.find(qn("w:numPr")) if p_pr is not None else None
    if num_pr is None:
        return None
    num_id = num_pr.find(qn("w:numId"))
    ilvl = num_pr.find(qn("w:ilvl"))
    return (
        num_id.get(_W_VAL) if num_id is not None else None,
        _int_val(ilvl, 0) if ilvl is not None else None,
    )


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
    def __init__(self, styles: _Styles, numbering: Numbering) -> None:
        self._styles = styles
        self._numbering = numbering
        self._line = 0
        self.page = 1
        # A page break met after the last text: it comes before the next paragraph or row.
        self._break_pending = False

    def blocks(self, container: etree._Element, column: int = 0) -> Iterator[Block]:
        for child in container.iterchildren():
            if child.tag == qn("w:p"):
                yield from self._paragraphs(child, column)
            elif child.tag == qn("w:tbl") and self._is_layout_table(child):
                yield from self._unfolded(child)
            elif child.tag == qn("w:tbl"):
                table = self._table(child)
                if table.rows:
                    yield table
            elif child.tag in _BLOCK_CONTAINERS:
                yield from self.blocks(child, column)

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
        """A layout table read as what it holds, cell after cell, row by row; a header of two
        sides marks its paragraphs with their column (1 left, 2 right)."""
        for tr in _table_rows(tbl):
            tcs = list(_row_tcs(tr))
            for index, tc in enumerate(tcs):
                v_merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
                if v_merge is None or v_merge.get(_W_VAL, "continue") != "continue":
                    column = min(index + 1, 2) if len(tcs) > 1 else 0
                    yield from self.blocks(tc, column)

    def _paragraphs(self, p: etree._Element, column: int = 0) -> Iterator[Paragraph]:
        p_pr = p.find(qn("w:pPr"))
        style = p_pr.find(qn("w:pStyle")) if p_pr is not None else None
        style_id = (style.get(_W_VAL) if style is not None else None) or (
            self._styles.default_paragraph_style
        )
        outline = _outline_of(p_pr) if _has(p_pr, "w:outlineLvl") else None
        if outline is None and not _has(p_pr, "w:outlineLvl"):
            outline = self._styles.outline_level(style_id)
        label, list_level = self._label(p_pr, style_id)
        if _has(p_pr, "w:pageBreakBefore") and _on(p_pr, "w:pageBreakBefore"):
            self._page_break()
        visuals, trailing_break = self._visual_lines(p, self._paragraph_bold(style_id))
        yield from self._paragraph_lines(visuals, label, list_level, outline, style_id, column)
        if trailing_break:
            self._page_break()

    def _paragraph_lines(
        self,
        visuals: list[_VisualLine],
        label: str | None,
        list_level: int | None,
        outline: int | None,
        style_id: str | None,
        column: int,
    ) -> Iterator[Paragraph]:
        first = True
        for visual in visuals:
            self._line += 1
            if visual.page_break_before:
                self._page_break()
            raw = "".join(piece.text for piece in visual.pieces)
            shown = label if first else None
            text = clean.clean_text(f"{shown} {raw}" if shown else raw)
            if not clean.clean_text(raw) and not shown:
                continue
            first = False
            inked = [piece for piece in visual.pieces if piece.text.strip()]
            bold = bool(inked) and all(piece.bold for piece in inked)
            yield Paragraph(
                text=text,
                line=self._line,
                bold=bold,
                page=self.page,
                page_break_before=self._take_break(),
                outline_level=outline,
                style=self._styles.names.get(style_id or ""),
                label=shown,
                list_level=list_level if shown else None,
                column=column,
            )

    def _label(
        self, p_pr: etree._Element | None, style_id: str | None
    ) -> tuple[str | None, int | None]:
        """The automatic number Word draws in front of the paragraph, and its level."""
        direct = _num_pr_of(p_pr)
        inherited = self._styles.num_pr(style_id)
        num_id = (direct[0] if direct else None) or (inherited[0] if inherited else None)
        ilvl = direct[1] if direct and direct[1] is not None else None
        if ilvl is None:
            ilvl = inherited[1] if inherited and inherited[1] is not None else 0
        if not num_id:
            return None, None
        return self._numbering.label(num_id, ilvl), ilvl

    def _page_break(self) -> None:
        # Word marks the page it last rendered after an explicit break too: count one.
        if self._break_pending:
            return
        self.page += 1
        self._break_pending = True

    def _take_break(self) -> bool:
        pending, self._break_pending = self._break_pending, False
        return pending

    def _paragraph_bold(self, style_id: str | None) -> bool:
        return bool(self._styles.bold(style_id))

    def _table(self, tbl: etree._Element) -> Table:
        rows: list[Row] = []
        # grid column -> index in ``rows`` of the row holding the origin of a vertical merge
        origins: dict[int, tuple[int, int]] = {}
        for tr in _table_rows(tbl):
            self._line += 1
            header = _on(tr.find(qn("w:trPr")), "w:tblHeader")
            cells, info, broke = self._row_cells(tr)
            if broke:
                self._page_break()
            if not any(cells):
                continue
            for column, cell in enumerate(info):
                if cell.merged_up and column in origins:
                    at, col = origins[column]
                    origin = rows[at].info[col]
                    grown = list(rows[at].info)
                    grown[col] = replace(origin, down=origin.down + 1)
                    rows[at] = replace(rows[at], info=tuple(grown))
                elif cell.across > 0:
                    origins[column] = (len(rows), column)
            inked = [cell for cell, text in zip(info, cells, strict=True) if text]
            rows.append(
                Row(
                    cells=cells,
                    line=self._line,
                    page=self.page,
                    page_break_before=self._take_break(),
                    bold=bool(inked) and all(cell.bold for cell in inked),
                    header=header,
                    info=info,
                )
            )
        return Table(rows=tuple(rows))

    def _row_cells(self, tr: etree._Element) -> tuple[tuple[str, ...], tuple[CellInfo, ...], bool]:
        """One string per grid column; a merged cell shows its text once, the cells it covers
        (to its right, or below it) read as "" - like a group row of a text plan. Also how
        each cell is drawn, and whether a page break came before the row's text."""
        texts: list[str] = []
        info: list[CellInfo] = []
        broke = False
        covered = CellInfo(across=0)
        before = _int_val(tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}"), 0)
        texts += [""] * before
        info += [covered] * before
        for tc in _row_tcs(tr):
            tc_pr = tc.find(qn("w:tcPr"))
            span = _int_val(tc_pr.find(qn("w:gridSpan")) if tc_pr is not None else None, 1)
            v_merge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
            continues = v_merge is not None and v_merge.get(_W_VAL, "continue") == "continue"
            if continues:
                texts.append("")
                info.append(CellInfo(across=span, merged_up=True))
            else:
                lines, label, bold, cell_broke = self._cell(tc)
                broke = broke or cell_broke
                texts.append(clean.clean_text("\n".join(lines)))
                info.append(CellInfo(across=span, bold=bold, label=label))
            texts += [""] * (span - 1)
            info += [covered] * (span - 1)
        after = _int_val(tr.find(f"{qn('w:trPr')}/{qn('w:gridAfter')}"), 0)
        texts += [""] * after
        info += [covered] * after
        return tuple(texts), tuple(info), broke

    def _cell(self, tc: etree._Element) -> tuple[list[str], str | None, bool, bool]:
        """A cell's lines (labels rendered), the first paragraph's label, whether every inked
        piece is bold, and whether a page break came before its text."""
        lines: list[str] = []
        pieces: list[_Piece] = []
        first_label: str | None = None
        broke = False
        for child, depth in _cell_children(tc):
            if child.tag == qn("w:p"):
                p_pr = child.find(qn("w:pPr"))
                style = p_pr.find(qn("w:pStyle")) if p_pr is not None else None
                style_id = style.get(_W_VAL) if style is not None else None
                label, _ = self._label(p_pr, style_id)
                if not lines and first_label is None and depth == 0:
                    first_label = label
                shown = label
                visuals, trailing_break = self._visual_lines(child, self._paragraph_bold(style_id))
                broke = broke or (trailing_break and not lines)
                for visual in visuals:
                    broke = broke or (visual.page_break_before and not lines)
                    text = "".join(piece.text for piece in visual.pieces).strip()
                    if shown and (text or not lines):
                        text = f"{shown} {text}".strip()
                        shown = None
                    if text:
                        lines.append(text)
                        pieces += visual.pieces
            else:  # a nested table's row, read as one line
                texts = [self._cell(inner)[0] for inner in _row_tcs(child)]
                line = " ".join(clean.clean_text("\n".join(t)) for t in texts if t)
                if line.strip():
                    lines.append(line)
        inked = [piece for piece in pieces if piece.text.strip()]
        bold = bool(inked) and all(piece.bold for piece in inked)
        return lines, first_label, bold, broke

    def _visual_lines(
        self, p: etree._Element, paragraph_bold: bool
    ) -> tuple[list[_VisualLine], bool]:
        """The paragraph's text split at soft line breaks, each line as bold-tagged pieces;
        a page break before a line's text is noted on it, one after the text is left pending
        for the next paragraph or row."""
        lines = [_VisualLine([])]
        for run in _runs(p):
            bold = _run_bold(run, self._styles)
            bold = paragraph_bold if bold is None else bold
            for child in run.iterchildren():
                tag = child.tag
                if tag == qn("w:t"):
                    lines[-1].pieces.append(_Piece(child.text or "", bold))
                elif tag in (qn("w:tab"), qn("w:ptab")):
                    lines[-1].pieces.append(_Piece(" ", bold))
                elif tag == qn("w:noBreakHyphen"):
                    lines[-1].pieces.append(_Piece("-", bold))
                elif tag == qn("w:cr") or (tag == qn("w:br") and _is_line_break(child)):
                    lines.append(_VisualLine([]))
                elif tag == qn("w:lastRenderedPageBreak") or (
                    tag == qn("w:br") and child.get(qn("w:type")) == "page"
                ):
                    if any(piece.text.strip() for piece in lines[-1].pieces):
                        lines.append(_VisualLine([], page_break_before=True))
                    else:
                        lines[-1].page_break_before = True
        trailing_break = False
        if lines[-1].page_break_before and not lines[-1].pieces:
            # The break ends the paragraph: it comes before whatever follows.
            lines.pop()
            trailing_break = True
            if not lines:
                lines.append(_VisualLine([]))
        return lines, trailing_break


def _cell_children(tc: etree._Element, depth: int = 0) -> Iterator[tuple[etree._Element, int]]:
    """A cell's paragraphs, and the rows of its nested tables, in order."""
    for child in tc.iterchildren():
        if child.tag == qn("w:p"):
            yield child, depth
        elif child.tag == qn("w:tbl"):
            for tr in _table_rows(child):
                yield tr, depth + 1
        elif child.tag in _BLOCK_CONTAINERS:
            yield from _cell_children(child, depth)


def _has(element: etree._Element | None, tag: str) -> bool:
    return element is not None and element.find(qn(tag)) is not None


def _on(element: etree._Element | None, tag: str) -> bool:
    """A Word on/off property: present and not switched off."""
    found = element.find(qn(tag)) if element is not None else None
    return found is not None and found.get(_W_VAL, "true").lower() not in ("0", "false", "off")


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
