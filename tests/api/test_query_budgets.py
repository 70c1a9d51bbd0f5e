"""The API's frequent writes cost a fixed, small number of queries, whatever the plan's size
or the number of reports the unit already wrote."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ..factories import make_user, unit_of
from ..tracking_factories import make_report, period_of, plan_of_size, target_of, task_of

pytestmark = pytest.mark.django_db

# The token with its user; the task with its commune boundary joined in and whether it has
# sub-tasks, and its assignments with their units; the period; the user's units; the task row
# locked (two first saves of one report cannot both insert); the report, locked; its save; the
# audit line. Counted without the transaction's savepoints. A report saved again also reads its
# evidence, which the answer lists.
REPORT_SAVE_BUDGET = 9
REPORT_RESAVE_BUDGET = REPORT_SAVE_BUDGET + 1


def queries_of(call) -> list[str]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code == 200, response.content
    return [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"].upper()]


def save_report(api, plan, period: int, version: int | None = None):  # type: ignore[no-untyped-def]
    task = task_of(plan, "I.1.1")
    body: dict[str, Any] = {"status": "in_progress", "percent": 40, "done": "Đã số hóa"}
    if version is not None:
        body["version"] = version
    url = f"/tasks/{task.public_id}/reports/{period_of(plan, period).public_id}"
    return lambda: api.put(url, body)


@pytest.mark.parametrize(("tasks", "reports"), [(5, 1), (50, 11)])
def test_a_report_save_by_api_costs_the_same_few_queries(api_as, police, commune, tasks, reports):  # type: ignore[no-untyped-def]
    plan = plan_of_size(commune, tasks)
    police_unit = unit_of(commune, "Công an phường")
    for month in range(1, reports + 1):
        make_report(task_of(plan, "I.1.1"), police_unit, police, month=month)
    api = api_as(police)
    api.get("/communes")  # the token's use is noted once a minute: not by the saves below
    first = queries_of(save_report(api, plan, period=12))
    again = queries_of(save_report(api, plan, period=12, version=1))
    assert len(first) <= REPORT_SAVE_BUDGET, "\n".join(first)
    assert len(again) <= REPORT_RESAVE_BUDGET, "\n".join(again)


# The token with its user; the target (commune boundary joined in) and its owners; the
# period; the user's units; the target row locked (first saves race-free); the value, locked;
# its save; the audit line. Saved again, it also reads its evidence, which the answer lists.
VALUE_SAVE_BUDGET = 9


@pytest.mark.parametrize("tasks", [5, 50])
def test_a_target_value_save_by_api_costs_the_same_few_queries(api_as, commune, tasks):  # type: ignore[no-untyped-def]
    plan = plan_of_size(commune, tasks)
    centre = unit_of(commune, "Trung tâm Phục vụ hành chính công")
    staff = make_user("ttpvhcc", role="unit_staff", commune=commune, unit=centre)
    api = api_as(staff)
    api.get("/communes")
    url = f"/targets/{target_of(plan, '1').public_id}/values/{period_of(plan, 12).public_id}"
    first = queries_of(lambda: api.put(url, {"value": "91"}))
    again = queries_of(lambda: api.put(url, {"value": "92", "version": 1}))
    assert len(first) <= VALUE_SAVE_BUDGET, "\n".join(first)
    assert len(again) <= VALUE_SAVE_BUDGET + 1, "\n".join(again)
