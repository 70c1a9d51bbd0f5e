"""The figures a commune's public page shows: counts only, by group.

No evidence, no report text, no person's name: what a citizen may see is how much of the
plan is done and how many targets are met, overall and for each group of the plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from theodoi.plans.models import Plan, Target, Task
from theodoi.tracking.status import leaves_of, target_states, task_states


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass
class Figures:
    group: str
    tasks_done: int = 0
    tasks_total: int = 0
    targets_met: int = 0
    targets_total: int = 0

    @property
    def tasks_percent(self) -> int | None:
        return _percent(self.tasks_done, self.tasks_total)

    @property
    def targets_percent(self) -> int | None:
        return _percent(self.targets_met, self.targets_total)


@dataclass
class PlanFigures:
    plan: Plan
    total: Figures
    groups: list[Figures] = field(default_factory=list)


def plan_figures(plan: Plan, *, today: dt.date) -> PlanFigures:
    """Tasks done (evidence accepted) and targets met (value accepted and meeting the goal).

    A general task speaks through its sub-tasks, so only tasks without sub-tasks are counted,
    as on the commune's own dashboard.
    """
    tasks: list[Task] = list(plan.tasks.all())
    targets: list[Target] = list(plan.targets.all())
    states = task_states(tasks, today=today)
    met = target_states(targets, as_of=today)
    other = _("Khác")
    groups: dict[str, Figures] = {}
    total = Figures(group=_("Toàn kế hoạch"))
    for task in leaves_of(tasks):
        row = groups.setdefault(task.group or other, Figures(group=task.group or other))
        for figures in (row, total):
            figures.tasks_total += 1
            figures.tasks_done += int(states[task.pk].done)
    for target in targets:
        row = groups.setdefault(target.group or other, Figures(group=target.group or other))
        for figures in (row, total):
            figures.targets_total += 1
            figures.targets_met += int(met[target.pk].met)
    return PlanFigures(plan=plan, total=total, groups=list(groups.values()))
