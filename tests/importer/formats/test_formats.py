"""Same plan, same targets and tasks, whatever file it comes in (the generator in ``render``).

Every plan the tests hold is re-rendered from its structure as a DOCX with real Word tables
and automatic numbering, as a PDF made from that DOCX by LibreOffice, and as an XLSX with title
rows and the plan's text around its tables, a two-row header and merged cells; each must give
the targets and tasks of its text, field for field (``line`` aside: each format counts lines
its own way).

LibreOffice runs once for the whole session, on every DOCX at once.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from theodoi.importer.core.document import Paragraph, Table
from theodoi.importer.core.parse import parse_bytes
from theodoi.importer.core.readers import read_bytes

from ...conftest import PLANS_DIR
from .render import soffice, structure, to_docx, to_pdf, to_xlsx

PLANS = sorted(PLANS_DIR.glob("*.txt"))
# The real plans and the synthetic ones in other layouts (tests/data/plans/synthetic).
EVERY_PLAN = PLANS + sorted((PLANS_DIR / "synthetic").glob("*.txt"))


def comparable(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: value for key, value in item.items() if key != "line"} for item in items]


@cache
def from_text(plan: Path) -> dict[str, Any]:
    result = parse_bytes(plan.read_bytes(), plan.name)
    assert result["tasks"], "the text plan must give tasks for the comparison to mean much"
    return result


@cache
def rendered_docx(plan: Path, **options: bool) -> bytes:
    return to_docx(structure(plan.read_text(encoding="utf-8")), **options)


@pytest.fixture(scope="session")
def pdfs() -> dict[str, bytes]:
    if soffice() is None:
        pytest.fail("LibreOffice (soffice) is needed: apt-get install libreoffice-writer")
    files = [(f"{plan.stem}.whole", rendered_docx(plan, whole_rows=True)) for plan in EVERY_PLAN]
    files.append(("quyetthang-2026.short", rendered_docx(PLANS_DIR / "quyetthang-2026.txt",
                                                         short_pages=True)))  # fmt: skip
    return to_pdf(files)


@pytest.mark.parametrize("plan", EVERY_PLAN, ids=[p.stem for p in EVERY_PLAN])
def test_a_word_document_with_automatic_numbering_gives_the_plans_targets_and_tasks(
    plan: Path,
) -> None:
    result = parse_bytes(rendered_docx(plan), "ke-hoach.docx")
    expected = from_text(plan)
    assert comparable(result["tasks"]) == comparable(expected["tasks"])
    assert comparable(result["targets"]) == comparable(expected["targets"])


@pytest.mark.parametrize("plan", PLANS, ids=[p.stem for p in PLANS])
def test_the_word_document_numbers_its_items_by_word_numbering_not_typed_text(plan: Path) -> None:
    data = rendered_docx(plan)
    body = docx.Document(io.BytesIO(data)).element.body
    numbered = [
        p for p in body.iter(qn("w:p")) if p.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None
    ]
    typed = {"".join(t.text or "" for t in p.iter(qn("w:t"))) for p in numbered}
    doc = read_bytes(data, "ke-hoach.docx")
    paragraphs = [b for b in doc.blocks if isinstance(b, Paragraph) and b.label]
    cells = [
        row.cell(0)
        for block in doc.blocks
        if isinstance(block, Table)
        for row in block.rows
        if row.cell(0).label
    ]
    assert len(numbered) >= 10
    assert len(paragraphs) + len(cells) == len(numbered)
    for paragraph in paragraphs:
        assert paragraph.text.removeprefix(f"{paragraph.label} ") in typed


@pytest.mark.parametrize("plan", EVERY_PLAN, ids=[p.stem for p in EVERY_PLAN])
def test_a_pdf_printed_by_libreoffice_gives_the_plans_targets_and_tasks(
    plan: Path, pdfs: dict[str, bytes]
) -> None:
    result = parse_bytes(pdfs[f"{plan.stem}.whole"], "ke-hoach.pdf")
    expected = from_text(plan)
    assert comparable(result["tasks"]) == comparable(expected["tasks"])
    assert comparable(result["targets"]) == comparable(expected["targets"])


def test_a_pdf_whose_rows_break_across_pages_marks_where_each_page_starts(
    pdfs: dict[str, bytes],
) -> None:
    doc = read_bytes(pdfs["quyetthang-2026.short"], "ke-hoach.pdf")
    assert doc.pages > 10
    rows = [row for block in doc.blocks if isinstance(block, Table) for row in block.rows]
    blocks_after_breaks = [
        block
        for block in doc.blocks
        if (isinstance(block, Paragraph) and block.page_break_before)
        or (isinstance(block, Table) and block.rows[0].page_break_before)
    ]
    # Every page after the first starts with a block that knows it.
    assert len(blocks_after_breaks) == doc.pages - 1
    assert {row.page for row in rows} >= {rows[0].page, rows[-1].page}
    assert rows[-1].page > rows[0].page
    # The header row LibreOffice repeats on every page is known as such.
    continued = [b for b in doc.blocks if isinstance(b, Table) and b.rows[0].page_break_before]
    assert continued and all(table.rows[0].header for table in continued)
    # A row cut by the page break goes on at the top of the next page (under the repeated
    # header) without its number.
    assert any(
        block.rows[0].page_break_before and any(not row.cells[0] for row in block.rows[:2])
        for block in doc.blocks
        if isinstance(block, Table)
    )


@pytest.mark.parametrize("plan", EVERY_PLAN, ids=[p.stem for p in EVERY_PLAN])
def test_a_spreadsheet_with_title_rows_two_row_headers_and_merged_cells_gives_the_same_rows(
    plan: Path,
) -> None:
    result = parse_bytes(to_xlsx(structure(plan.read_text(encoding="utf-8"))), "ke-hoach.xlsx")
    expected = from_text(plan)
    assert comparable(result["tasks"]) == comparable(expected["tasks"])
    assert comparable(result["targets"]) == comparable(expected["targets"])
