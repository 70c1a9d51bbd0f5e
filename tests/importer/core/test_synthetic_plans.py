"""Plans in layouts the real ones do not have come in right, in every format the tests build.

The per-plan tests name each miss; the share test is the figure the issue asks for (at least
98% of fields right over all synthetic plans and formats).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from theodoi.importer.core.parse import parse_bytes

from .builders import docx_from_text, pdf_from_text
from .synthetic import expected_of, score, synthetic_plans

PLANS = synthetic_plans()
BUILDERS = {"txt": lambda text: text.encode("utf-8"), "docx": docx_from_text, "pdf": pdf_from_text}


@cache
def parsed(plan: Path, fmt: str) -> dict[str, Any]:
    data = BUILDERS[fmt](plan.read_text(encoding="utf-8"))
    return parse_bytes(data, f"ke-hoach.{fmt}")


@pytest.mark.parametrize("fmt", ["txt", "docx"])
@pytest.mark.parametrize("plan", PLANS, ids=[p.stem for p in PLANS])
def test_every_expected_fact_of_a_synthetic_plan_is_read(plan: Path, fmt: str) -> None:
    result = score(parsed(plan, fmt), expected_of(plan))

    assert list(result.misses) == []


def test_at_least_98_percent_of_fields_are_right_over_all_synthetic_plans_and_formats() -> None:
    right = total = 0
    for plan in PLANS:
        for fmt in BUILDERS:
            result = score(parsed(plan, fmt), expected_of(plan))
            right += result.right
            total += result.total

    assert right / total >= 0.98, f"{right}/{total} = {right / total:.1%}"
