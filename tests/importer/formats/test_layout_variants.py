"""Same plan, same JSON, when a table's columns come in another order, its header speaks in
other words, or its lead and deadline cells are merged down over several rows.

The variants are made from each plan's structure (the tests' real and synthetic plans) and
drawn by the format generator (``render``) as Word documents and spreadsheets.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from theodoi.importer.core.parse import parse_bytes

from ...conftest import PLANS_DIR
from .render import (
    reorder_columns,
    soffice,
    structure,
    synonym_headers,
    to_docx,
    to_pdf,
    to_xlsx,
)

PLANS = sorted(PLANS_DIR.glob("*.txt")) + sorted((PLANS_DIR / "synthetic").glob("*.txt"))
# Every plan printed on short pages, so that rows break inside (the "9 of 109 fields").
SPLIT_ROWS = PLANS


def comparable(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: value for key, value in item.items() if key != "line"} for item in items]


@cache
def from_text(plan: Path) -> dict[str, Any]:
    return parse_bytes(plan.read_bytes(), plan.name)


def _assert_same(result: dict[str, Any], plan: Path, parts: tuple[str, ...]) -> None:
    expected = from_text(plan)
    for part in parts:
        assert comparable(result[part]) == comparable(expected[part]), part


@pytest.mark.parametrize("plan", PLANS, ids=[p.stem for p in PLANS])
def test_columns_in_another_order_with_other_header_words_give_the_same_plan(plan: Path) -> None:
    doc = synonym_headers(reorder_columns(structure(plan.read_text(encoding="utf-8"))))

    result = parse_bytes(to_docx(doc), "ke-hoach.docx")

    _assert_same(result, plan, ("targets", "tasks"))


@pytest.mark.parametrize("plan", PLANS, ids=[p.stem for p in PLANS])
def test_cells_merged_down_in_a_word_table_give_the_same_plan(plan: Path) -> None:
    result = parse_bytes(to_docx(structure(plan.read_text()), merge_down=True), "ke-hoach.docx")

    _assert_same(result, plan, ("targets", "tasks"))


@pytest.mark.parametrize("plan", PLANS, ids=[p.stem for p in PLANS])
def test_cells_merged_down_in_a_spreadsheet_give_the_same_rows(plan: Path) -> None:
    result = parse_bytes(to_xlsx(structure(plan.read_text()), merge_down=True), "ke-hoach.xlsx")

    _assert_same(result, plan, ("targets", "tasks"))


@pytest.fixture(scope="module")
def rows_split_by_pages() -> dict[str, bytes]:
    if soffice() is None:
        pytest.fail("LibreOffice (soffice) is needed: apt-get install libreoffice-writer")
    docs = [
        (plan.stem, to_docx(structure(plan.read_text()), short_pages=True)) for plan in SPLIT_ROWS
    ]
    return to_pdf(docs)


@pytest.mark.parametrize("plan", SPLIT_ROWS, ids=[p.stem for p in SPLIT_ROWS])
def test_rows_broken_across_pdf_pages_give_the_same_plan(
    plan: Path, rows_split_by_pages: dict[str, bytes]
) -> None:
    result = parse_bytes(rows_split_by_pages[plan.stem], "ke-hoach.pdf")

    _assert_same(result, plan, ("tasks", "targets"))
