"""A scanned plan gives the same structure as the plan it was scanned from (property).

Every plan the tests hold is laid out as PDF (``builders.pdf_from_text``); the first two pages
holding a table (where a plan's tasks or targets start) are scanned (``scans.scanned_pdf``:
rasterised at 300 dpi, grey paper, specks) and the image-only PDF is read by OCR. It must give
the same targets and tasks as the same two pages with their text layer: same count, codes,
groups, units, kinds of deadline and values; names, units and groups may differ by a small
edit (an OCR misreads a letter now and then). Two misreadings of small print are allowed, as
the preview's warning asks the office to check them: a quarter's numeral ("Quý III" read as
"Quý II": the deadline's kind and year must still agree) and "≥" read as ">". OCR takes
seconds a page: two pages a plan, read once per session.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from rapidfuzz import fuzz

from theodoi.importer.core.parse import parse_bytes

from .builders import pdf_from_text, plan_paths
from .scans import scanned_pdf, text_pdf_pages

PLANS = plan_paths()
# Names may differ by about one letter in ten words.
SIMILAR = 90


def table_pages(pdf: bytes) -> list[int]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        first = next(n for n, page in enumerate(document.pages) if page.find_tables())
        return [first, first + 1] if first + 1 < len(document.pages) else [first]


@cache
def both_readings(plan: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    pdf = pdf_from_text(plan.read_text(encoding="utf-8"))
    pages = table_pages(pdf)
    original = parse_bytes(text_pdf_pages(pdf, pages), "ke-hoach.pdf")
    scanned = parse_bytes(scanned_pdf(pdf, pages=pages), "ke-hoach-scan.pdf")
    return original, scanned


def similar(a: str | None, b: str | None) -> bool:
    return fuzz.ratio(a or "", b or "") >= SIMILAR


def similar_lists(a: list[str], b: list[str]) -> bool:
    return len(a) == len(b) and all(similar(x, y) for x, y in zip(a, b, strict=True))


def same_deadline(ours: dict[str, Any], theirs: dict[str, Any]) -> bool:
    if ours["kind"] != theirs["kind"] or ours.get("recurrence") != theirs.get("recurrence"):
        return False
    if ours.get("due") == theirs.get("due"):
        return True
    quarter = "quý" in (theirs.get("text") or "").casefold()
    return quarter and (ours.get("due") or "")[:4] == (theirs.get("due") or "")[:4]


@pytest.mark.parametrize("plan", PLANS, ids=[p.stem for p in PLANS])
def test_a_scanned_plan_gives_the_same_tasks_as_its_original(plan: Path) -> None:
    original, scanned = both_readings(plan)
    assert original["tasks"] or original["targets"], "the pages must hold tasks or targets"
    assert [t["code"] for t in scanned["tasks"]] == [t["code"] for t in original["tasks"]]
    for ours, theirs in zip(scanned["tasks"], original["tasks"], strict=True):
        assert similar(ours["name"], theirs["name"]), (ours["name"], theirs["name"])
        assert similar(ours.get("group"), theirs.get("group"))
        assert similar_lists(ours["lead"], theirs["lead"]), (ours["lead"], theirs["lead"])
        assert similar_lists(ours["support"], theirs["support"])
        assert same_deadline(ours["deadline"], theirs["deadline"]), (ours, theirs)


@pytest.mark.parametrize("plan", PLANS, ids=[p.stem for p in PLANS])
def test_a_scanned_plan_gives_the_same_targets_as_its_original(plan: Path) -> None:
    original, scanned = both_readings(plan)
    assert [t["code"] for t in scanned["targets"]] == [t["code"] for t in original["targets"]]
    for ours, theirs in zip(scanned["targets"], original["targets"], strict=True):
        assert similar(ours["name"], theirs["name"]), (ours["name"], theirs["name"])
        for field in ("measure_unit", "value", "kind"):
            assert ours.get(field) == theirs.get(field), (field, ours, theirs)
        comparators = {ours.get("comparator"), theirs.get("comparator")}
        assert len(comparators) == 1 or comparators == {">", ">="}, (ours, theirs)
        assert similar_lists(ours.get("owner") or [], theirs.get("owner") or [])
