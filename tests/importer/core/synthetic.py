"""Synthetic plans in layouts other than the three real ones, and a scorer of fields right.

Each plan under tests/data/plans/synthetic/ is a text file (the text reader's signs: tab rows,
a blank line or a repeated header for a page break) with an ``.expected.json`` beside it that
states the facts a person reads off the page: the plan's metadata, each target's code and value,
each task's code, group, name, lead, support and due date.

``score`` counts the fields a parse got right over all fields expected. A task or target is
paired with the parsed one whose name it matches best, so one lost row costs its own fields
only; a parsed task nobody expected costs one field.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from ...conftest import PLANS_DIR

SYNTHETIC_DIR = PLANS_DIR / "synthetic"
TASK_FIELDS = ("code", "parent", "group", "name", "lead", "support", "due")
TARGET_FIELDS = ("code", "group", "name", "measure_unit", "comparator", "value", "owner")


def synthetic_plans() -> list[Path]:
    paths = sorted(SYNTHETIC_DIR.glob("*.txt"))
    if not paths:
        raise FileNotFoundError(f"no synthetic plans in {SYNTHETIC_DIR}")
    return paths


def expected_of(plan: Path) -> dict[str, Any]:
    return json.loads(plan.with_suffix(".expected.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Miss:
    where: str
    expected: Any
    got: Any


@dataclass(frozen=True)
class Score:
    right: int
    total: int
    misses: tuple[Miss, ...]

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 1.0


def task_facts(task: dict[str, Any]) -> dict[str, Any]:
    return {**task, "due": (task.get("deadline") or {}).get("due")}


def score(parsed: dict[str, Any], expected: dict[str, Any]) -> Score:
    checks = list(_checks(parsed, expected))
    misses = tuple(m for m in checks if m is not None)
    return Score(right=len(checks) - len(misses), total=len(checks), misses=misses)


def _checks(parsed: dict[str, Any], expected: dict[str, Any]) -> Iterator[Miss | None]:
    for key, value in expected.get("plan", {}).items():
        got = parsed["plan"].get(key)
        yield None if got == value else Miss(f"plan.{key}", value, got)
    for part, fields in (("targets", TARGET_FIELDS), ("tasks", TASK_FIELDS)):
        wanted = expected.get(part, [])
        found = [task_facts(t) for t in parsed[part]]
        pairs = _pair(wanted, found)
        for index, want in enumerate(wanted):
            got_item = pairs.get(index)
            for key in fields:
                if key not in want:
                    continue
                got = got_item.get(key) if got_item is not None else None
                where = f"{part}[{want.get('code')}].{key}"
                yield (
                    None
                    if got_item is not None and got == want[key]
                    else Miss(where, want[key], got)
                )
        for extra in range(len(found) - len(pairs)):
            yield Miss(f"{part}: one more than expected", None, extra)


def _pair(wanted: list[dict[str, Any]], found: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Each expected item's best parsed match by name (or by code when it has no name)."""
    out: dict[int, dict[str, Any]] = {}
    free = list(range(len(found)))
    for index, want in enumerate(wanted):
        best, best_ratio = None, 0.0
        for j in free:
            if "name" in want:
                ratio = SequenceMatcher(None, want["name"], found[j].get("name") or "").ratio()
            else:
                ratio = 1.0 if found[j].get("code") == want["code"] else 0.0
                ratio = ratio or (0.5 if j == free[0] else 0.0)
            if ratio > best_ratio:
                best, best_ratio = j, ratio
        if best is not None and best_ratio >= 0.5:
            out[index] = found[best]
            free.remove(best)
    return out
