"""Text converted from PDF (.txt/.md) -> Document. (Owner: tasks helper.)

The reader is faithful: it only decides what is a table row and what is a paragraph.
Merging rows split across page breaks and dropping repeated header rows is the parser's
job (``tables.tidy_table``), so DOCX and PDF tables get the same treatment.

- A line holding a tab is a table row; its cells are split on the tab.
- A Markdown pipe line (``| a | b |``) is a table row too; ``|---|`` separator lines are dropped.
- Consecutive row lines form one Table; blank lines between them do not end it (a page break
  often leaves one), but a non-blank text line does, and so does a switch between the tab and
  the pipe layouts.
- Every other non-blank line is a Paragraph. An HTML fragment line (``<p>..</p>``,
  ``<ul><li>..</li></ul>``) gives one paragraph per ``<p>``/``<li>``; a Markdown heading
  (``## ...``) loses its ``#`` marks and counts as bold, since headings are what bold signals.
- ``line`` is the 1-based line number in the source text.

The text's own signs fill the document model's fields: a blank line between two rows of a
table is where the PDF the text came from broke its page (``page_break_before`` on the row
after it); a row repeating the table's first row is a header repeated after a page break
(``header`` on both, ``page_break_before`` on the repeat); ``<b>``/``**`` make a cell, a row
or a paragraph bold; a Markdown heading's ``#`` marks give its ``outline_level``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..clean import clean_text, is_bold_markup
from ..document import Block, CellInfo, Document, Paragraph, Row, Table

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
# One <p> or <li> element; its inner text becomes a paragraph of its own.
_HTML_ITEM = re.compile(r"<(p|li)\b[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_HTML_START = re.compile(r"^\s*<(p|ul|ol|li|div)\b", re.IGNORECASE)


def read_text(text: str, source_format: str = "txt") -> Document:
    """Split ``text`` into paragraphs and tables (see the module docstring for the rules)."""
    blocks: list[Block] = []
    rows: list[Row] = []
    layout: str | None = None  # "tab" or "pipe": the layout of the table being collected

    gap = False  # a blank line since the last row

    def flush() -> None:
        nonlocal rows, layout
        if rows:
            blocks.append(Table(rows=_with_repeated_headers(rows)))
        rows = []
        layout = None

    for number, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        if not raw.strip():
            gap = True
            continue  # a blank line neither ends a table nor makes a paragraph
        row_layout = _row_layout(raw)
        if row_layout is None:
            flush()
            blocks.extend(_paragraphs(raw, number))
            continue
        if layout is not None and row_layout != layout:
            flush()
        layout = row_layout
        if row_layout == "pipe" and _PIPE_SEPARATOR.match(raw):
            continue
        rows.append(_row(raw, row_layout, number, page_break_before=gap and bool(rows)))
        gap = False
    flush()
    return Document(blocks=tuple(blocks), source_format=source_format)


def _row_layout(raw: str) -> str | None:
    if "\t" in raw:
        return "tab"
    if _PIPE_ROW.match(raw) and raw.count("|") >= 2:
        return "pipe"
    return None


def _row(raw: str, layout: str, number: int, *, page_break_before: bool) -> Row:
    if layout == "tab":
        parts = raw.split("\t")
    else:
        inner = raw.strip()[1:-1]
        # "\|" is an escaped pipe inside a cell, not a cell boundary.
        parts = [p.replace("\\|", "|") for p in re.split(r"(?<!\\)\|", inner)]
    cells = tuple(clean_text(part) for part in parts)
    info = tuple(CellInfo(bold=is_bold_markup(part)) for part in parts)
    inked = [cell for cell, text in zip(info, cells, strict=True) if text]
    return Row(
        cells=cells,
        line=number,
        page_break_before=page_break_before,
        bold=bool(inked) and all(cell.bold for cell in inked),
        info=info,
    )


def _with_repeated_headers(rows: list[Row]) -> tuple[Row, ...]:
    """Rows repeating the first row are its header repeated after page breaks: all of them
    are marked as header rows, and a repeat as following a page break."""
    first = rows[0].cells
    repeats = [i for i, row in enumerate(rows[1:], 1) if row.cells == first and any(first)]
    if not repeats:
        return tuple(rows)
    marked = list(rows)
    marked[0] = replace(rows[0], header=True)
    for index in repeats:
        marked[index] = replace(rows[index], header=True, page_break_before=True)
    return tuple(marked)


def _paragraphs(raw: str, number: int) -> list[Paragraph]:
    heading = _MD_HEADING.match(raw)
    if heading:
        text = clean_text(heading.group(2))
        level = len(heading.group(1)) - 1
        return [Paragraph(text=text, line=number, bold=True, outline_level=level)] if text else []
    if _HTML_START.match(raw):
        items = [m.group(2) for m in _HTML_ITEM.finditer(raw)]
        if items:
            paragraphs = []
            for item in items:
                text = clean_text(item)
                if text:
                    paragraphs.append(Paragraph(text=text, line=number, bold=is_bold_markup(item)))
            return paragraphs
    text = clean_text(raw)
    if not text:
        return []
    return [Paragraph(text=text, line=number, bold=is_bold_markup(raw))]
