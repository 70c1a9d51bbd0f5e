"""A progress report saved from the web form costs a fixed, small number of queries, whatever
the plan's size or the number of reports the unit already wrote."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ..factories import PASSWORD, unit_of
from ..tracking_factories import make_report, period_of, plan_of_size, task_of

pytestmark = pytest.mark.django_db

# The session and its user; the task (commune boundary joined in, and whether it has
# sub-tasks) and its assignments with their units; the user's units; the period; the report;
# then the service's own: the task row locked (first saves race-free), the report locked, its
# save, the audit line. The task's standing figure is not read: a save that goes through
# redirects (the page that follows reads it). Counted without the transaction's savepoints;
# a second save of the same report may take one more.
REPORT_SAVE_BUDGET = 12


@pytest.mark.parametrize(("tasks", "reports"), [(5, 1), (50, 11)])
def test_a_report_save_from_the_form_costs_the_same_few_queries(
    client, police, commune, tasks, reports
):  # type: ignore[no-untyped-def]
    plan = plan_of_size(commune, tasks)
    police_unit = unit_of(commune, "Công an phường")
    for month in range(1, reports + 1):
        make_report(task_of(plan, "I.1.1"), police_unit, police, month=month)
    client.login(username=police.username, password=PASSWORD)
    url = reverse("report_edit", args=[task_of(plan, "I.1.1").public_id])
    url += f"?period={period_of(plan, 12).public_id}"
    form = {"status": "in_progress", "percent": "40", "done": "Đã số hóa", "action": "save"}
    counts = []
    for version in ("0", "1"):
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url, {**form, "version": version})
        assert response.status_code == 302
        sql = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
        counts.append(len(sql))
    assert max(counts) <= REPORT_SAVE_BUDGET, "\n".join(q[:90] for q in sql)
