"""The importer's entry point: a file or a Document -> Plan JSON (``theodoi.plan/1``).

(Owner: tasks helper.) Plain Python: no Django import anywhere under importer/core.

``parse_document`` runs the parts in order: metadata (the plan's year and commune kind steer
the rest), then targets and tasks, then the "5 rõ" check of every task. Where the structure
pipeline's decision was a close call (``tasks.TaskReading.close_calls``), the other reading is
built too and the more plausible one kept (``plausibility``); where their scores are within
``CLOSE_MARGIN``, a warning says what was ambiguous and which reading was kept. The keys of
the result follow docs/contracts/plan-json.md in its order.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from . import metadata, outline, readers, targets, tasks
from .document import Document, Paragraph, Table
from .fiveclear import FIVE_CLEAR, missing_clear
from .layout import lift_title_rows
from .plausibility import plausibility
from .units import UnitMatcher

SCHEMA = "theodoi.plan/1"

# Two readings whose plausibility scores differ by less than this are a close call (a warning).
CLOSE_MARGIN = 0.02


def parse_document(
    doc: Document,
    *,
    required: Iterable[str] = FIVE_CLEAR,
    aliases: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The Plan JSON of ``doc``.

    ``required`` is the commune's "5 rõ" (or "6 rõ") set checked on every task; ``aliases`` are
    the commune's remembered unit spellings (``units.UnitMatcher``)."""
    warnings: list[str] = list(doc.warnings)
    doc = lift_title_rows(doc)
    plan = metadata.extract_metadata(doc)
    year = plan.get("year")
    if not isinstance(year, int):
        year = _guess_year(doc)
        warnings.append(
            f"Không đọc được năm của kế hoạch nên tạm lấy năm {year} để tính thời hạn; "
            "hãy kiểm tra lại tiêu đề kế hoạch."
        )
    matcher = UnitMatcher(commune_kind=plan.get("commune_kind"), aliases=aliases)

    plan_targets, target_warnings = targets.extract_targets(doc, year=year, matcher=matcher)
    reading, choice_warnings = _more_plausible_reading(doc, year, matcher, plan_targets)
    plan_tasks, results, task_warnings = reading.tasks, reading.results, reading.warnings
    task_warnings += choice_warnings
    task_warnings += outline.propose_leads(plan_tasks, doc.blocks, matcher)
    fill_missing(plan_tasks, tuple(required))
    warnings.extend(target_warnings)
    warnings.extend(task_warnings)
    return {
        "schema": SCHEMA,
        "plan": plan,
        "targets": plan_targets,
        "tasks": plan_tasks,
        "results": results,
        "warnings": warnings,
    }


def _more_plausible_reading(
    doc: Document, year: int, matcher: UnitMatcher, plan_targets: list[dict[str, Any]]
) -> tuple[tasks.TaskReading, list[str]]:
    """The tasks' default reading where every decision was sure. For each decision that was a
    close call, the other way is built too and kept where it scores higher (the reading kept so
    far wins a tie); a call that stays within ``CLOSE_MARGIN`` is a warning."""
    kept = tasks.read_tasks(doc, year=year, matcher=matcher)
    score = plausibility(kept.tasks, plan_targets)
    others: frozenset[str] = frozenset()
    warnings: list[str] = []
    for decision, rows in kept.close_calls.items():
        trial = tasks.read_tasks(
            doc, year=year, matcher=matcher, other_readings=others | {decision}
        )
        trial_score = plausibility(trial.tasks, plan_targets)
        kept_words, other_words = tasks.READINGS[decision]
        kept_score, other_score = score, trial_score
        if trial_score > score:
            kept, score, others = trial, trial_score, others | {decision}
            kept_words, other_words = other_words, kept_words
            kept_score, other_score = other_score, kept_score
        if kept_score - other_score < CLOSE_MARGIN:
            warnings.append(
                f"Cách đọc bảng nhiệm vụ chưa chắc chắn: {rows} có thể là {kept_words} hoặc "
                f"{other_words}. Đã đọc là {kept_words} (độ hợp lý {_score(kept_score)}, so "
                f"với {_score(other_score)} nếu đọc là {other_words}); hãy kiểm tra lại các "
                "nhiệm vụ này trong bản xem trước."
            )
    return kept, warnings


def _score(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")  # Vietnamese decimal comma


def parse_bytes(data: bytes, filename: str) -> dict[str, Any]:
    """Read (readers.read_bytes) then parse; raises errors.ImportFileError for unreadable files."""
    return parse_document(readers.read_bytes(data, filename))


def parse_file(path: str | Path) -> dict[str, Any]:
    """Read the file at ``path`` then parse it; raises errors.ImportFileError as parse_bytes."""
    return parse_document(readers.read_file(path))


def dumps(plan: dict[str, Any]) -> str:
    """The Plan JSON as ``theodoi parse FILE`` prints it: UTF-8 text, not \\u escapes."""
    return json.dumps(plan, ensure_ascii=False, indent=2)


def fill_missing(plan_tasks: list[dict[str, Any]], required: tuple[str, ...]) -> None:
    """Set each task's ``missing``. A parent task only groups its sub-tasks, so it lacks what
    they lack (in ``required``'s order), plus its own name if it has none."""
    children: dict[str, list[dict[str, Any]]] = {}
    for task in plan_tasks:
        if task.get("parent"):
            children.setdefault(task["parent"], []).append(task)
    for task in plan_tasks:
        if task["code"] not in children:
            task["missing"] = missing_clear(task, required)
    # Children come after their parent; walk backwards so nested parents see filled children.
    for task in reversed(plan_tasks):
        kids = children.get(task["code"])
        if not kids:
            continue
        lacking = {key for kid in kids for key in kid["missing"]}
        lacking.update(k for k in missing_clear(task, required) if k == "name")
        task["missing"] = [key for key in required if key in lacking]


def _guess_year(doc: Document) -> int:
    """The year the opening paragraphs name most ("năm 2026"), else the year the tables name
    most (a task list's "Quý II/2026"), else this year."""
    counts: Counter[int] = Counter()
    for block in doc.blocks[:30]:
        if isinstance(block, Paragraph):
            found = re.findall(r"\bn[aă]m (20\d\d)\b", block.text, flags=re.IGNORECASE)
            counts.update(int(y) for y in found)
    if not counts:
        for block in doc.blocks:
            if isinstance(block, Table):
                for row in block.rows:
                    for cell in row.cells:
                        counts.update(int(y) for y in re.findall(r"\b(20\d\d)\b", cell))
    if counts:
        return max(counts, key=lambda y: (counts[y], y))
    return date.today().year
