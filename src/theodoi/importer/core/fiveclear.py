"""The "5 rõ" check: which of a task's clear-cut parts are missing. (Owner: tasks helper.)

rõ việc = ``name``; rõ người and rõ trách nhiệm = ``lead``; rõ kết quả = ``output``;
rõ thời gian = ``deadline`` (a deadline of kind "unspecified" counts as missing). A lead that
only says "the bodies concerned" ("Các cơ quan, đơn vị") names no one to report: missing.
Communes that use "6 rõ" pass a longer ``required`` (e.g. adding ``"kpi"``); any other task
key counts as present when it holds a non-empty value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .tables import fold
from .units import names_no_one

FIVE_CLEAR: tuple[str, ...] = ("name", "lead", "output", "deadline")

# The plans' own words for each "rõ", folded, by the task key they check.
CLEAR_LABELS: dict[str, str] = {
    "ro viec": "name",
    "ro nguoi": "lead",
    "ro trach nhiem": "lead",
    "ro ket qua": "output",
    "ro san pham": "output",
    "ro thoi gian": "deadline",
    "ro tien do": "deadline",
    "ro thoi han": "deadline",
    "ro kpi": "kpi",
    "ro chi so": "kpi",
}


def missing_clear(task: Mapping[str, Any], required: Iterable[str] = FIVE_CLEAR) -> list[str]:
    """The keys of ``required`` that ``task`` lacks, in ``required``'s order, each once."""
    missing: list[str] = []
    for key in required:
        if key not in missing and not _present(key, task.get(key)):
            missing.append(key)
    return missing


def required_from_labels(labels: Iterable[str]) -> tuple[str, ...]:
    """Task keys for a commune's own list ("rõ việc", "rõ người", ...); unknown labels skipped."""
    keys: list[str] = []
    for label in labels:
        key = CLEAR_LABELS.get(fold(label))
        if key and key not in keys:
            keys.append(key)
    return tuple(keys)


def _present(key: str, value: Any) -> bool:
    if key == "lead" and isinstance(value, (list, tuple)):
        return any(_present(key, v) and not names_no_one(str(v)) for v in value)
    if key == "lead" and isinstance(value, str) and names_no_one(value):
        return False
    if key == "deadline":
        return isinstance(value, Mapping) and value.get("kind") not in (None, "unspecified")
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, Mapping):
        return bool(value)
    if isinstance(value, (list, tuple, set)):
        return any(_present(key, v) for v in value)
    return value is not None
