"""The demo is the shop window: it must show a province of communes living their plans.

One test, because building the demo takes a while; it checks what a visitor would see.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from theodoi.alerts.rules import Kind, plan_warnings
from theodoi.demo.services import demo_load
from theodoi.evidence.models import Evidence
from theodoi.plans.models import Plan
from theodoi.tracking.models import ProgressReport, ReportState
from theodoi.units.models import Commune

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


def test_the_demo_shows_a_province_living_its_plans_and_loads_once(monkeypatch):
    # The demo's history runs up to "today"; pin it so the test reads the same every day.
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    logins = demo_load()

    assert {login.username for login in logins} >= {"vanphong", "lanhdao", "congan", "so.khcn"}
    assert Commune.objects.count() == 4
    assert Plan.objects.active().count() == 4

    plan = Plan.objects.get(commune__name="Hòa Phong")
    sent = ProgressReport.objects.filter(task__plan=plan, state=ReportState.SENT)
    assert set(sent.values_list("period__number", flat=True)) >= set(range(1, 11))
    reviews = Counter(Evidence.objects.values_list("review", flat=True))
    assert reviews["accepted"] and reviews["rejected"] and reviews["pending"]
    assert ProgressReport.objects.filter(state=ReportState.AWAITING_HEAD).exists()
    # Hòa Phong's office has a completed report to review: a photo and a signed PDF.
    waiting = Evidence.objects.filter(report__task__plan=plan, review="pending")
    assert {e.original_name.rsplit(".", 1)[1] for e in waiting} >= {"jpg", "pdf"}
    assert all(e.report.state == ReportState.SENT for e in waiting)
    kinds = {w.kind for w in plan_warnings(plan, today=TODAY)}
    assert {Kind.OVERDUE, Kind.REPORT_MISSING, Kind.EVIDENCE_REJECTED} <= kinds

    counts = (ProgressReport.objects.count(), Evidence.objects.count(), Plan.objects.count())
    demo_load()
    assert (
        ProgressReport.objects.count(),
        Evidence.objects.count(),
        Plan.objects.count(),
    ) == counts
