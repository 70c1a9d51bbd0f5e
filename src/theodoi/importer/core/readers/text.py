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
"""

from __future__ import annotations

import re

from ..clean import clean_text, is_bold_markup
from ..document import Block, Document, Paragraph, Row, Table

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

    def flush() -> None:
        nonlocal rows, layout
        if rows:
            blocks.append(Table(rows=tuple(rows)))
        rows = []
        layout = None

    for number, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        if not raw.strip():
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
        rows.append(Row(cells=_cells(raw, row_layout), line=number))
    flush()
    return Document(blocks=tuple(blocks), source_format=source_format)


def _row_layout(raw: str) -> str | None:
    if "\t" in raw:
        return "tab"
    if _PIPE_ROW.match(raw) and raw.count("|") >= 2:
        return "pipe"
    return None


def _cells(raw: str, layout: str) -> tuple[str, ...]:
    if layout == "tab":
        parts = raw.split("\t")
    else:
        inner = raw.strip()[1:-1]
        # "\|" is an escaped pipe inside a cell, not a cell boundary.
        parts = [p.replace("\\|", "|") for p in re.split(r"(?<!\\)\|", inner)]
    return tuple(clean_text(part) for part in parts)


def _paragraphs(raw: str, number: int) -> list[Paragraph]:
    heading = _MD_HEADING.match(raw)
    if heading:
        text = clean_text(heading.group(2))
        return [Paragraph(text=text, line=number, bold=True)] if text else []
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
