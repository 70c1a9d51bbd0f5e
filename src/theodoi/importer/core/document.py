"""The format-neutral shape of a plan document.

Every reader (text, DOCX, PDF, XLSX, CSV) turns its file into a ``Document``:
an ordered list of paragraphs and tables. The structure parser works on this
shape only, so a plan gives the same Plan JSON whatever format it came in.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of running text, cleaned of markup (see ``clean.clean_text``)."""

    text: str
    # 1-based position in the source: the line of a text file; for DOCX/PDF the
    # ordinal of the paragraph or table row in reading order.
    line: int
    # True when the whole paragraph was bold (``<b>..</b>``, ``**..**``, a bold run).
    bold: bool = False


@dataclass(frozen=True)
class Row:
    """One table row as the source gave it; cells cleaned of markup."""

    cells: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Table:
    rows: tuple[Row, ...]

    @property
    def line(self) -> int:
        return self.rows[0].line if self.rows else 0


Block = Paragraph | Table


@dataclass(frozen=True)
class Document:
    blocks: tuple[Block, ...]
    # "txt", "md", "docx", "pdf", "xlsx", "csv"
    source_format: str
    # Problems met while reading that did not stop it, in Vietnamese.
    warnings: tuple[str, ...] = field(default_factory=tuple)
