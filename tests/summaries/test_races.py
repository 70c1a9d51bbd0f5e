"""Writes on one plan at the same moment, on PostgreSQL: each refresh waits for the plan's
summary row, so the last one reads what the others committed and the summary ends equal to
the live derivation."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from theodoi.evidence.models import Evidence
from theodoi.evidence.services import evidence_review
from theodoi.summaries.queries import commune_figures
from theodoi.summaries.services import summary_differences
from theodoi.tracking.models import ReviewStatus, TaskStatus
from theodoi.tracking.services import report_submit

from ..evidence.factories import add_file
from ..factories import unit_of
from ..races import needs_postgresql, race
from ..tracking_factories import make_report, plan_of_size, task_of
from .live import live_commune_figures

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]


class Done:
    status_code = 200


def test_reports_and_reviews_sent_at_once_leave_the_summary_equal_to_the_live_figures(
    commune, police, office
):  # type: ignore[no-untyped-def]
    plan = plan_of_size(commune, 6)
    plan.requires_head_confirmation = False
    plan.save(update_fields=["requires_head_confirmation"])
    unit = unit_of(commune, "Công an phường")
    # Two completions already sent, their evidence awaiting the office's review.
    waiting = []
    for code in ("II.5", "II.6"):
        report = make_report(
            task_of(plan, code), unit, police, month=11, status=TaskStatus.COMPLETED, percent=100
        )
        waiting.append(add_file(police, report=report, name=f"{code}.pdf"))
        report_submit(report=report, user=police, version=report.version)
    drafts = [
        make_report(task_of(plan, f"II.{n}"), unit, police, month=11, percent=20 * n)
        for n in range(1, 5)
    ]

    def send(report: Any) -> Done:
        report_submit(report=report, user=police, version=report.version)
        return Done()

    def review(evidence: Evidence) -> Done:
        evidence_review(
            evidence=evidence, reviewer=office, decision=ReviewStatus.ACCEPTED, note="",
            version=evidence.version,
        )  # fmt: skip
        return Done()

    calls = [lambda r=r: send(r) for r in drafts] + [lambda e=e: review(e) for e in waiting]
    assert race(calls) == {200: len(calls)}

    assert summary_differences([plan]) == []
    today = timezone.localdate()
    live = live_commune_figures([commune], year=plan.year, today=today)
    stored = commune_figures(commune.province, year=plan.year, today=today)
    assert stored[commune.pk] == live[commune.pk]
    assert stored[commune.pk].done == 2
