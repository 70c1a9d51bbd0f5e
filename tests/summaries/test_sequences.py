"""After any sequence of writes through the services, the summaries equal the live derivation:
their rows (compared with a fresh derivation, as ``theodoi check`` does) and the figures the
province and national views read (compared with figures computed from ``tracking.status``,
``alerts.rules`` and ``dashboards.ranking`` directly, for days from today on)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import itertools
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from theodoi.accounts.models import Role
from theodoi.alerts.rules import area_warning_counts, plan_warnings
from theodoi.evidence.models import Evidence
from theodoi.evidence.services import (
    EvidenceError,
    evidence_add_file,
    evidence_review,
    evidence_withdraw,
)
from theodoi.plans.models import Plan, Target, Task
from theodoi.summaries.queries import commune_figures, province_figures
from theodoi.summaries.services import summary_differences
from theodoi.tracking.models import ProgressReport, ReportState, ReviewStatus, TargetValue
from theodoi.tracking.services import (
    ReportInput,
    TrackingError,
    ValueInput,
    report_confirm,
    report_save,
    report_submit,
    target_value_review,
    target_value_save,
    target_value_submit,
    task_add,
    task_change_deadline,
    task_reassign,
)
from theodoi.units.models import Commune, Unit

from ..evidence.factories import pdf_bytes
from ..factories import make_commune, make_province, make_user, unit_of
from ..tracking_factories import plan_of_size
from .live import live_commune_figures

pytestmark = pytest.mark.django_db

UNITS = ("Công an phường", "Phòng Văn hóa - Xã hội", "Trung tâm Phục vụ hành chính công")
STATUSES = ("not_started", "in_progress", "completed", "paused")
counter = itertools.count()


@dataclass
class World:
    commune: Commune
    plan: Plan
    office: User
    staff: dict[int, User]  # unit id → a staff member
    heads: dict[int, User]  # unit id → its head
    units: list[Unit]
    files: itertools.count[int] = field(default_factory=itertools.count)

    def tasks(self) -> list[Task]:
        return list(self.plan.tasks.order_by("pk"))

    def leaves(self) -> list[Task]:
        return [t for t in self.tasks() if not t.children.exists()]

    def targets(self) -> list[Target]:
        return list(self.plan.targets.order_by("pk"))

    def pick(self, items: list[Any], n: int) -> Any:
        return items[n % len(items)] if items else None

    def evidence_file(self, user: User, unit: Unit, **owner: Any) -> Evidence:
        data = pdf_bytes(f"minh chứng {next(self.files)}")
        return evidence_add_file(
            **owner, unit=unit, user=user, filename="bien-ban.pdf",
            fileobj=io.BytesIO(data), size=len(data),
        )  # fmt: skip


def _world(head_confirms: bool, extra_tasks: int) -> World:
    n = next(counter)
    province = make_province(f"Tỉnh {n}")
    commune = make_commune(f"Hòa Phong {n}", province=province)
    office = make_user(f"vp{n}", role=Role.STANDING_OFFICE, commune=commune)
    units = [unit_of(commune, name) for name in UNITS]
    staff = {
        u.pk: make_user(f"cb{n}-{i}", role=Role.UNIT_STAFF, commune=commune, unit=u)
        for i, u in enumerate(units)
    }
    heads = {
        u.pk: make_user(f"ld{n}-{i}", role=Role.UNIT_HEAD, commune=commune, unit=u)
        for i, u in enumerate(units)
    }
    plan = plan_of_size(commune, extra_tasks)
    plan.requires_head_confirmation = head_confirms
    plan.save(update_fields=["requires_head_confirmation"])
    for target in plan.targets.all():
        target.owners.add(*units)
    assert isinstance(office, User)
    return World(commune, plan, office, staff, heads, units)  # type: ignore[arg-type]


# --- the writes ---------------------------------------------------------------------------------


def send_report(w: World, a: int, b: int, c: int) -> None:
    task = w.pick(w.leaves(), a)
    # Mostly a lead unit's report (the task's figure), sometimes a supporting unit's.
    assignments = list(task.assignments.order_by("role", "pk"))
    assignment = assignments[0] if b % 4 and assignments else w.pick(assignments, b)
    if assignment is None:
        return
    period = w.pick(list(w.plan.periods.filter(kind="month").order_by("number")), c)
    status = STATUSES[(a + b) % len(STATUSES)]
    user = w.staff.get(assignment.unit_id)
    if user is None:
        return
    existing = ProgressReport.objects.filter(task=task, period=period, unit=assignment.unit).first()
    report = report_save(
        task=task, period=period, unit=assignment.unit, user=user,
        data=ReportInput(status=status, percent=100 if status == "completed" else (c * 7) % 100,
                         pause_reason="Chờ kinh phí" if status == "paused" else ""),
        version=existing.version if existing else None,
    )  # fmt: skip
    if status == "completed":
        w.evidence_file(user, assignment.unit, report=report)
        report.refresh_from_db()
    report_submit(report=report, user=user, version=report.version)


def confirm_report(w: World, a: int, b: int, c: int) -> None:
    waiting = list(
        ProgressReport.objects.filter(task__plan=w.plan, state=ReportState.AWAITING_HEAD)
    )
    report = w.pick(waiting, a)
    if report is not None:
        report_confirm(report=report, head=w.heads[report.unit_id], version=report.version)


def review_evidence(w: World, a: int, b: int, c: int) -> None:
    pending = list(
        Evidence.objects.filter(report__task__plan=w.plan, report__state=ReportState.SENT)
        .pending()
        .order_by("pk")
    )
    evidence = w.pick(pending, a)
    if evidence is not None:
        accept = b % 3 != 0
        evidence_review(
            evidence=evidence, reviewer=w.office,
            decision=ReviewStatus.ACCEPTED if accept else ReviewStatus.REJECTED,
            note="" if accept else "Chưa có chữ ký.", version=evidence.version,
        )  # fmt: skip


def add_evidence(w: World, a: int, b: int, c: int) -> None:
    sent = list(ProgressReport.objects.filter(task__plan=w.plan, status="completed").order_by("pk"))
    report = w.pick(sent, a)
    if report is not None and report.unit_id in w.staff:
        w.evidence_file(w.staff[report.unit_id], report.unit, report=report)


def withdraw_evidence(w: World, a: int, b: int, c: int) -> None:
    current = list(Evidence.objects.filter(report__task__plan=w.plan).current().order_by("pk"))
    evidence = w.pick(current, a)
    if evidence is not None:
        evidence_withdraw(evidence=evidence, user=w.staff[evidence.unit_id])


def send_value(w: World, a: int, b: int, c: int) -> None:
    target = w.pick(w.targets(), a)
    period = w.pick(list(w.plan.periods.filter(kind="month").order_by("number")), c)
    unit = w.pick(w.units, b)
    user = w.staff[unit.pk]
    existing = TargetValue.objects.filter(target=target, period=period, unit=unit).first()
    data = (
        ValueInput(achieved_claim=b % 2 == 0)
        if target.kind == "qualitative"
        else ValueInput(value=Decimal(50 + (a * 13 + c * 7) % 60))
    )
    tv = target_value_save(
        target=target, period=period, unit=unit, user=user, data=data,
        version=existing.version if existing else None,
    )  # fmt: skip
    if b % 2 == 0:
        w.evidence_file(user, unit, target_value=tv)
        tv.refresh_from_db()
    target_value_submit(target_value=tv, user=user, version=tv.version)


def review_value(w: World, a: int, b: int, c: int) -> None:
    sent = list(
        TargetValue.objects.filter(target__plan=w.plan, state=ReportState.SENT).order_by("pk")
    )
    tv = w.pick(sent, a)
    if tv is None:
        return
    for evidence in tv.evidence.current().filter(review=ReviewStatus.PENDING):
        evidence_review(
            evidence=evidence, reviewer=w.office, decision=ReviewStatus.ACCEPTED, note="",
            version=evidence.version,
        )  # fmt: skip
    accept = b % 3 != 0
    target_value_review(
        target_value=tv, reviewer=w.office,
        decision=ReviewStatus.ACCEPTED if accept else ReviewStatus.REJECTED,
        note="" if accept else "Số liệu chưa khớp.", version=tv.version,
    )  # fmt: skip


def reassign(w: World, a: int, b: int, c: int) -> None:
    task = w.pick(w.tasks(), a)
    lead = [w.pick(w.units, b)] + ([w.pick(w.units, c)] if c % 2 else [])
    task_reassign(
        task=task, lead=list(dict.fromkeys(lead)), support=[], actor=w.office,
        version=task.version,
    )  # fmt: skip


def change_deadline(w: World, a: int, b: int, c: int) -> None:
    task = w.pick(w.tasks(), a)
    due = timezone.localdate() + dt.timedelta(days=(b * 37 + c) % 400 - 250)
    task_change_deadline(
        task=task, due_on=due, reason="Điều chỉnh theo chỉ đạo", actor=w.office,
        version=task.version,
    )  # fmt: skip


def add_task(w: World, a: int, b: int, c: int) -> None:
    parent = w.pick(w.tasks(), a) if b % 2 else None
    task_add(
        plan=w.plan, name=f"Nhiệm vụ phát sinh {a}", lead=[w.pick(w.units, c)], support=[],
        due_on=timezone.localdate() + dt.timedelta(days=c * 11 - 60) if c % 3 else None,
        output="", group="", actor=w.office, parent=parent,
    )  # fmt: skip


WRITES = [
    send_report, send_report, send_report, confirm_report, review_evidence, review_evidence,
    add_evidence, withdraw_evidence, send_value, review_value, reassign, change_deadline,
    add_task,
]  # fmt: skip

write = st.tuples(
    st.sampled_from(WRITES), st.integers(0, 40), st.integers(0, 40), st.integers(0, 40)
)


def assert_summary_is_live(w: World, days: list[int]) -> None:
    assert [d.plan_id for d in summary_differences([w.plan])] == []
    today = timezone.localdate()
    for later in days:
        day = today + dt.timedelta(days=later)
        live = live_commune_figures([w.commune], year=w.plan.year, today=day)
        assert commune_figures(w.commune.province, year=w.plan.year, today=day) == live, later
        national = province_figures(year=w.plan.year, today=day)[w.commune.province_id]
        assert national == live[w.commune.pk], later
        # The warnings the province page counts from the summaries: those of the plan's page.
        plans = Plan.objects.filter(pk=w.plan.pk)
        counted = area_warning_counts(plans, key="commune_id", today=day).get(w.commune.pk)
        listed = Counter(warning.kind for warning in plan_warnings(w.plan, today=day))
        assert +(counted or Counter()) == +listed, later


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    writes=st.lists(write, min_size=1, max_size=25),
    head_confirms=st.booleans(),
    extra_tasks=st.integers(0, 3),
    days=st.lists(st.integers(0, 400), min_size=1, max_size=3),
)
def test_the_summary_equals_the_live_derivation_after_any_writes(
    writes: list[tuple[Any, int, int, int]], head_confirms: bool, extra_tasks: int, days: list[int]
) -> None:
    with transaction.atomic():
        w = _world(head_confirms, extra_tasks)
        assert_summary_is_live(w, [0])
        for action, a, b, c in writes:
            # A write the rules refuse changes nothing, the summary neither.
            with contextlib.suppress(TrackingError, EvidenceError):
                action(w, a, b, c)
            assert [d.plan_id for d in summary_differences([w.plan])] == [], action.__name__
        assert_summary_is_live(w, [0, *days])
        transaction.set_rollback(True)
