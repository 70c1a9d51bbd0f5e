"""A commune's year report costs the same queries whatever the number of tasks and reports:
each task's and target's state is read once (the warnings share them) and the year's
reports are read once, narrow, for the remarks."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from theodoi.reports.data import figures
from theodoi.reports.yearend import year_end_report

from ..factories import unit_of
from ..tracking_factories import day, make_report, plan_of_size, task_of

pytestmark = pytest.mark.django_db

# The session, its user, the plan, the user's roles; the year's reports for the remarks, the
# commune's units; the tasks, their assignments, their latest lead reports and evidence; the
# targets, their owners, their values (2); the closed periods, the reports sent for them;
# the targets sent back; the layout's own. Counted from one request.
YEAR_REPORT_BUDGET = 18


def _grow(plan, police, tasks: int, months: int) -> None:  # type: ignore[no-untyped-def]
    unit = unit_of(plan.commune, "Công an phường")
    for n in range(tasks):
        task = task_of(plan, f"II.{n + 1}")
        for month in range(1, months + 1):
            make_report(task, unit, police, month=month, percent=5 * month, done=f"Tháng {month}")


def test_the_year_report_docx_costs_the_same_queries_for_3_or_30_tasks_reported(
    client, commune, office, police
):  # type: ignore[no-untyped-def]
    plan = plan_of_size(commune, 30)
    client.force_login(office)
    url = reverse("report_docx", args=[plan.public_id]) + "?kind=year&number=1"
    client.get(url)  # warm the session
    counts = []
    for tasks, months in ((3, 1), (30, 4)):
        _grow(plan, police, tasks, months)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    assert counts[1] <= YEAR_REPORT_BUDGET, "\n".join(
        q["sql"][:100] for q in captured.captured_queries
    )


def test_the_year_reports_figures_count_every_task(commune, police):  # type: ignore[no-untyped-def]
    plan = plan_of_size(commune, 30)
    _grow(plan, police, 30, 2)
    report = year_end_report(plan, today=day(12, 31))
    assert figures(report)["tasks"] == 32  # the sample plan's two leaves and the 30 added
