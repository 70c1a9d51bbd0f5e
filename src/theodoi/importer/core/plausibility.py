"""How plausible a parsed plan is, as a score in [0, 1]. (Owner: readings helper.)

Where the structure pipeline has two readings of a document (``parse.parse_document``), both
are built and the one scoring higher is kept. The score is the mean of the checks that apply
(a plan without targets is not judged on targets):

- ``lead_deadline``: share of the tasks with a lead and a deadline that names a time (a parent
  task counts too: a numbered heading read as a parent task, rather than as a group, is a task
  no one leads);
- ``unique_codes``: share of task codes that are not repeats of an earlier one (a code the
  importer suffixed to tell a repeat apart, "3-2", counts as the repeat it is);
- ``monotone_codes``: share of consecutive tasks whose codes do not go backwards in document
  order ("I.2" after "I.1", "3" after "2"; Roman numerals and letters compared by value);
- ``names``: share of tasks whose name has at least two words;
- ``target_values``: share of measurable targets (not qualitative) with a value.

Pure: reads the Plan JSON's ``tasks`` and ``targets`` lists, changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
_T_CODE = re.compile(r"^T(\d+)$")


def plausibility(tasks: Sequence[dict[str, Any]], targets: Sequence[dict[str, Any]] = ()) -> float:
    """The mean of ``checks(tasks, targets)``; 0 for a plan with neither tasks nor targets."""
    found = checks(tasks, targets)
    return sum(found.values()) / len(found) if found else 0.0


def checks(
    tasks: Sequence[dict[str, Any]], targets: Sequence[dict[str, Any]] = ()
) -> dict[str, float]:
    """Each check that applies to the plan, by name, as a share in [0, 1] (module docstring)."""
    found: dict[str, float] = {}
    if tasks:
        found["lead_deadline"] = _share(tasks, _has_lead_and_deadline)
        codes = [str(task.get("code") or "") for task in tasks]
        found["unique_codes"] = len({code.split("-")[0] for code in codes}) / len(codes)
        keys = [_code_key(code) for code in codes]
        pairs = list(pairwise(keys))
        found["monotone_codes"] = sum(1 for a, b in pairs if a <= b) / len(pairs) if pairs else 1.0
        found["names"] = _share(tasks, lambda task: len(str(task.get("name") or "").split()) >= 2)
    measurable = [t for t in targets if t.get("kind") != "qualitative"]
    if measurable:
        found["target_values"] = _share(measurable, lambda t: t.get("value") is not None)
    return found


def _share(items: Sequence[dict[str, Any]], test: Any) -> float:
    return sum(1 for item in items if test(item)) / len(items)


def _has_lead_and_deadline(task: dict[str, Any]) -> bool:
    deadline = task.get("deadline") or {}
    return bool(task.get("lead")) and deadline.get("kind") in {"date", "recurring"}


def _code_key(code: str) -> tuple[int, ...]:
    """A code as numbers to compare: "II.3.a" -> (2, 3, 1); "T4" -> (4,); "1.2-2" -> (1, 2)."""
    generated = _T_CODE.match(code)
    if generated:
        return (int(generated.group(1)),)
    parts: list[int] = []
    for part in code.split("-")[0].split("."):
        if part.isdigit():
            parts.append(int(part))
        elif part and all(c in _ROMAN for c in part.upper()) and part.isupper():
            parts.append(_roman_value(part))
        elif len(part) == 1 and part.isalpha():
            parts.append(ord(part.lower()) - ord("a") + 1)
        else:
            parts.append(0)
    return tuple(parts)


def _roman_value(numeral: str) -> int:
    values = [_ROMAN[c] for c in numeral]
    total = 0
    for index, value in enumerate(values):
        following = values[index + 1] if index + 1 < len(values) else 0
        total += -value if value < following else value
    return total
