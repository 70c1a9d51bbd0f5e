"""A DOCX and a PDF made from a plan give the same Plan JSON as its text.

The files are built from each real plan's text (``builders``): one paragraph per line, tab
lines as bordered tables. Everything is compared except ``line`` fields, and warnings are
compared with their line numbers masked: a PDF numbers paragraphs and rows, not text lines,
so "(dòng 97)" legitimately differs while the warning itself must not.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from theodoi.importer.core.parse import parse_bytes

from .builders import docx_from_text, pdf_from_text, plan_paths

PLANS = plan_paths()
BUILDERS = {"docx": docx_from_text, "pdf": pdf_from_text}


@cache
def plan_json(plan: Path, fmt: str) -> dict[str, Any]:
    data = plan.read_bytes()
    if fmt != "txt":
        data = BUILDERS[fmt](data.decode("utf-8"))
    return comparable(parse_bytes(data, f"ke-hoach.{fmt}"))


def comparable(value: Any) -> Any:
    if isinstance(value, dict):
        out = {key: comparable(item) for key, item in value.items() if key != "line"}
        if "warnings" in out:
            out["warnings"] = [re.sub(r"dòng \d+", "dòng N", w) for w in value["warnings"]]
        return out
    if isinstance(value, list):
        return [comparable(item) for item in value]
    return value


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("plan", PLANS, ids=[p.stem for p in PLANS])
@pytest.mark.parametrize("part", ["plan", "targets", "tasks", "results", "warnings"])
def test_plan_read_from_docx_or_pdf_equals_the_plan_read_from_text(
    plan: Path, fmt: str, part: str
) -> None:
    expected = plan_json(plan, "txt")
    assert expected["tasks"], "the text plan must give tasks for the comparison to mean much"
    assert plan_json(plan, fmt)[part] == expected[part]


@pytest.mark.parametrize("plan", PLANS, ids=[p.stem for p in PLANS])
def test_docx_keeps_the_texts_line_numbers(plan: Path) -> None:
    data = docx_from_text(plan.read_text(encoding="utf-8"))
    from_docx = parse_bytes(data, "ke-hoach.docx")
    from_text = parse_bytes(plan.read_bytes(), "ke-hoach.txt")
    assert [t["line"] for t in from_docx["tasks"]] == [t["line"] for t in from_text["tasks"]]
    assert [t["line"] for t in from_docx["targets"]] == [t["line"] for t in from_text["targets"]]
