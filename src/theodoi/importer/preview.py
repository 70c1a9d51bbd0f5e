"""What the import preview shows: each row's cells with its "5 rõ" gaps and unknown units."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from .models import PlanImport
from .services import plan_import_unknown_units, target_cells, task_cells

MISSING_LABELS = {
    "name": _("rõ việc"),
    "lead": _("rõ người, rõ trách nhiệm"),
    "output": _("rõ kết quả"),
    "deadline": _("rõ thời gian"),
}


@dataclass
class UnitName:
    name: str
    unknown: bool


@dataclass
class PreviewRow:
    section: str
    index: int
    cells: dict[str, str]
    data: dict[str, Any]
    units: dict[str, list[UnitName]] = field(default_factory=dict)
    gaps: list[str] = field(default_factory=list)
    editing: bool = False
    error: str = ""

    @property
    def anchor(self) -> str:
        return f"{self.section}-{self.index}"

    def gap(self, key: str) -> bool:
        return key in (self.data.get("missing") or [])

    @property
    def due(self) -> str:
        """The due day as people write it (31/12/2026); the Plan JSON keeps ISO dates."""
        due = (self.data.get("deadline") or {}).get("due")
        try:
            return dt.date.fromisoformat(due).strftime("%d/%m/%Y") if due else ""
        except (TypeError, ValueError):
            return str(due)


def _unit_names(names: list[str], unknown: set[str]) -> list[UnitName]:
    return [UnitName(name, name in unknown) for name in names]


def preview_rows(plan_import: PlanImport) -> tuple[list[PreviewRow], list[PreviewRow]]:
    data = plan_import.plan_json
    unknown = {u.spelling for u in plan_import_unknown_units(plan_import)}
    targets = [
        PreviewRow(
            "targets",
            i,
            target_cells(row),
            row,
            units={"owner": _unit_names(row.get("owner") or [], unknown)},
        )
        for i, row in enumerate(data.get("targets") or [])
    ]
    tasks = [
        PreviewRow(
            "tasks",
            i,
            task_cells(row),
            row,
            units={
                "lead": _unit_names(row.get("lead") or [], unknown),
                "support": _unit_names(row.get("support") or [], unknown),
            },
            gaps=[str(MISSING_LABELS.get(m, m)) for m in row.get("missing") or []],
        )
        for i, row in enumerate(data.get("tasks") or [])
    ]
    return targets, tasks


def find_row(plan_import: PlanImport, section: str, index: int) -> PreviewRow | None:
    targets, tasks = preview_rows(plan_import)
    rows = targets if section == "targets" else tasks if section == "tasks" else []
    return rows[index] if 0 <= index < len(rows) else None
