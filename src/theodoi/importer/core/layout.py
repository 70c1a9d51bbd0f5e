"""What a table holds that is not a table: title rows above a spreadsheet's header.

A task list exported to XLSX (or a DOCX table drawn around the whole page) starts with rows
of one merged cell: the issuer ("ỦY BAN NHÂN DÂN XÃ MINH TIẾN"), the list's title ("DANH MỤC
NHIỆM VỤ ... NĂM 2026"), the plan it comes with. They are paragraphs of the document, not rows:
``lift_title_rows`` makes them so, whatever the format, before metadata, targets and tasks are
read. Only rows above the table's header row are lifted, and only rows filling one cell.
"""

from __future__ import annotations

from .document import Block, Document, Paragraph, Table
from .tables import is_header_row

# How far down a sheet its header may sit under title rows.
_TITLE_ROWS_MAX = 8


def lift_title_rows(doc: Document) -> Document:
    """``doc`` with each table's title rows (above its header) turned into paragraphs."""
    blocks: list[Block] = []
    changed = False
    for block in doc.blocks:
        if not isinstance(block, Table):
            blocks.append(block)
            continue
        lifted = _title_rows(block)
        if not lifted:
            blocks.append(block)
            continue
        changed = True
        for row in block.rows[:lifted]:
            text = next((c.strip() for c in row.cells if c.strip()), "")
            if text:
                blocks.append(Paragraph(text=text, line=row.line, bold=row.bold, page=row.page))
        blocks.append(Table(rows=block.rows[lifted:], ruled=block.ruled))
    if not changed:
        return doc
    return Document(blocks=tuple(blocks), source_format=doc.source_format, warnings=doc.warnings)


def _title_rows(table: Table) -> int:
    """How many rows above the header are title rows (0 when the header comes first or is
    not found, or when a row above it fills more than one cell)."""
    for index, row in enumerate(table.rows[: _TITLE_ROWS_MAX + 1]):
        if is_header_row(row.cells):
            return index
        if sum(1 for c in row.cells if c.strip()) > 1:
            return 0
    return 0
