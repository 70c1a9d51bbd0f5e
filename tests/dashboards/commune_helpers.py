"""Helpers for the commune dashboards' tests: a plan on a pinned day, tasks and reports made
directly (many at once, for the query budgets), evidence reviews set directly."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from theodoi.dashboards import views_commune
from theodoi.evidence.models import Evidence, EvidenceKind
from theodoi.plans.models import AssignmentRole, DeadlineKind, Plan, Task, TaskAssignment
from theodoi.tracking.models import ProgressReport, ReportState, ReviewStatus, TaskStatus
from theodoi.units.models import Commune, Unit

from ..tracking_factories import make_active_plan, period_of

# The day the pages are computed for: months January to June 2026 are closed (each month's
# reports are due five days after it ends), July is the current period.
TODAY = dt.date(2026, 7, 10)


def pin_today(monkeypatch: pytest.MonkeyPatch, day: dt.date = TODAY) -> None:
    monkeypatch.setattr(views_commune, "today", lambda: day)


def plan_in_force(commune: Commune) -> Plan:
    """Hòa Phong's sample plan, in force since before the year began (every month counts)."""
    plan = make_active_plan(commune)
    plan.activated_at = timezone.make_aware(dt.datetime(2025, 12, 20))
    plan.save()
    return plan


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def add_task(
    plan: Plan,
    code: str,
    *,
    lead: Unit | None,
    group: str = "Kinh tế số",
    due: dt.date | None = dt.date(2026, 6, 30),
    starts: dt.date | None = None,
    parent: Task | None = None,
    support: Unit | None = None,
) -> Task:
    task = Task.objects.create(
        plan=plan,
        commune_id=plan.commune_id,
        parent=parent,
        code=code,
        group=group,
        name=f"Nhiệm vụ {code}",
        deadline_kind=DeadlineKind.DATE if due else DeadlineKind.RECURRING,
        deadline_text="" if due else "Thường xuyên",
        due_on=due,
        starts_on=starts,
        position=1000 + Task.objects.filter(plan=plan).count(),
    )
    if lead is not None:
        TaskAssignment.objects.create(task=task, unit=lead, role=AssignmentRole.LEAD)
    if support is not None:
        TaskAssignment.objects.create(task=task, unit=support, role=AssignmentRole.SUPPORT)
    return task


def report(
    task: Task,
    unit: Unit,
    user: User,
    *,
    month: int,
    state: str = ReportState.SENT,
    status: str = TaskStatus.IN_PROGRESS,
    percent: int = 40,
    sent_on: dt.date | None = None,
    contribution: bool = False,
) -> ProgressReport:
    """A report made directly; a sent one is sent on ``sent_on`` (default: on time, the
    first day after the period's end)."""
    period = period_of(task.plan, month)
    when = None
    if state == ReportState.SENT:
        when = at(sent_on or period.ends_on + dt.timedelta(days=1))
    return ProgressReport.objects.create(
        commune_id=task.commune_id,
        task=task,
        period=period,
        unit=unit,
        is_contribution=contribution,
        status=status,
        percent=100 if status == TaskStatus.COMPLETED else percent,
        state=state,
        sent_at=when,
        created_by=user,
    )


def evidence(
    owner: Any, user: User, *, review: str = ReviewStatus.ACCEPTED, withdrawn: bool = False
) -> Evidence:
    """A document reference on a report (or a target value), already reviewed."""
    is_report = isinstance(owner, ProgressReport)
    return Evidence.objects.create(
        commune_id=owner.commune_id,
        unit=owner.unit,
        report=owner if is_report else None,
        target_value=None if is_report else owner,
        task=owner.task if is_report else None,
        target=None if is_report else owner.target,
        kind=EvidenceKind.DOCUMENT,
        doc_number="15/QĐ-UBND",
        doc_date=dt.date(2026, 3, 1),
        doc_summary="Quyết định ban hành",
        uploaded_by=user,
        review=review,
        review_note="Thiếu chữ ký" if review == ReviewStatus.REJECTED else "",
        withdrawn_at=timezone.now() if withdrawn else None,
    )


def completed(
    task: Task, unit: Unit, user: User, *, month: int, sent_on: dt.date | None = None
) -> ProgressReport:
    """A completion report with accepted evidence: the task is done on ``sent_on``."""
    done = report(task, unit, user, month=month, status=TaskStatus.COMPLETED, sent_on=sent_on)
    evidence(done, user)
    return done


# --- reading pages ----------------------------------------------------------------------------

COUNT_LINK = re.compile(
    r'<a class="[^"]*count-link[^"]*" data-status="(?P<status>[^"]*)" '
    r'href="(?P<href>[^"]+)">(?P<count>\d+)</a>'
)
TASK_ROW = re.compile(r'data-task-row="([0-9a-f-]+)"')


def count_links(html: str) -> list[tuple[str, int]]:
    """Every count on a dashboard with the task-list link it stands for."""
    return [
        (m.group("href").replace("&amp;", "&"), int(m.group("count")))
        for m in COUNT_LINK.finditer(html)
    ]


def task_rows(html: str) -> list[str]:
    return TASK_ROW.findall(html)
