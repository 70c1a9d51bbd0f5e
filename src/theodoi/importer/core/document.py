"""The format-neutral shape of a plan document.

Every reader (text, DOCX, PDF, XLSX, CSV) turns its file into a ``Document``:
an ordered list of paragraphs and tables. The structure parser works on this
shape only, so a plan gives the same Plan JSON whatever format it came in.

Besides the text, a block keeps what structure is read from, each field filled by the readers
that can know it and left at its default otherwise:

- **page boundaries**: ``page`` (1-based page the block starts on; 0 where the format has no
  pages) and ``page_break_before`` (a page break came right before this paragraph or row: a
  DOCX ``w:br w:type="page"``/``lastRenderedPageBreak``, a new PDF page, a gap or repeated
  header row in a text converted from PDF);
- **bold**: a paragraph, a row (every inked cell bold) or a single cell (``CellInfo.bold``);
- **merged cells** (``Row.info``): ``across`` is how many grid columns a cell spans
  (gridSpan/colspan; 0 for a column covered by the cell to its left), ``down`` how many rows
  the origin cell of a vertical merge spans (vMerge restart/rowspan) and ``merged_up`` marks a
  cell that continues the cell above (vMerge continue): its text lives in the row above and
  reads "" here, as it always has;
- **outline**: ``outline_level`` (0 = the top level, as Word's ``w:outlineLvl`` or "Heading 1";
  None where the source says nothing) and ``style`` (the paragraph style's name, e.g.
  "Heading 2", "Title", "List Paragraph");
- **automatic list numbering**: ``label`` is the number Word draws in front of a paragraph or
  in a cell ("1.", "II.", "2.3.", "a)"), rendered from the numbering definitions; the label is
  also at the start of ``text``, since the number a person sees is the number. ``list_level``
  is its level (``w:ilvl``, 0-based);
- **columns**: ``column`` is 0 for full-width text, 1 for the left and 2 for the right side of
  a block laid out side by side (a plan's header: issuer on the left, national motto and
  place-and-date on the right), read column by column.

Equality compares content only (text, line, bold of a paragraph; cells and line of a row): the
same plan read from two formats gives equal blocks even where their pages fall differently.
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
    # Layout (not compared: the same text read from two formats is the same paragraph).
    page: int = field(default=0, compare=False)
    page_break_before: bool = field(default=False, compare=False)
    outline_level: int | None = field(default=None, compare=False)
    style: str | None = field(default=None, compare=False)
    label: str | None = field(default=None, compare=False)
    list_level: int | None = field(default=None, compare=False)
    column: int = field(default=0, compare=False)


@dataclass(frozen=True)
class CellInfo:
    """How one grid cell of a row is drawn (see the module docstring)."""

    across: int = 1
    down: int = 1
    merged_up: bool = False
    bold: bool = False
    label: str | None = None


_PLAIN_CELL = CellInfo()


@dataclass(frozen=True)
class Row:
    """One table row as the source gave it; cells cleaned of markup."""

    cells: tuple[str, ...]
    line: int
    # Layout (not compared: the same cells read from two formats are the same row).
    page: int = field(default=0, compare=False)
    page_break_before: bool = field(default=False, compare=False)
    # Every inked cell bold.
    bold: bool = field(default=False, compare=False)
    # Marked by the source as a header row (Word's "repeat as header row", a text's repeated
    # header): a header repeated after a page break is not a row of the plan.
    header: bool = field(default=False, compare=False)
    # One CellInfo per cell where the reader knows them; empty where it does not.
    info: tuple[CellInfo, ...] = field(default=(), compare=False)

    def cell(self, index: int) -> CellInfo:
        """How cell ``index`` is drawn (a plain cell where the reader did not say)."""
        return self.info[index] if 0 <= index < len(self.info) else _PLAIN_CELL


@dataclass(frozen=True)
class Table:
    rows: tuple[Row, ...]
    # False for a table found by the alignment of words (a PDF table without ruling lines).
    ruled: bool = field(default=True, compare=False)

    @property
    def line(self) -> int:
        return self.rows[0].line if self.rows else 0

    @property
    def page(self) -> int:
        return self.rows[0].page if self.rows else 0


Block = Paragraph | Table


@dataclass(frozen=True)
class Document:
    blocks: tuple[Block, ...]
    # "txt", "md", "docx", "pdf", "xlsx", "csv"
    source_format: str
    # Problems met while reading that did not stop it, in Vietnamese.
    warnings: tuple[str, ...] = field(default_factory=tuple)
    # Pages the source has (PDF; DOCX counts its page breaks); 0 where it has none.
    pages: int = field(default=0, compare=False)
