"""The province and national figures cost the same number of queries whatever the number of
communes, tasks and reports (aggregates in the database, numbers out)."""

from __future__ import annotations

import pytest
from bench.generate import generate_province
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from theodoi.summaries.models import PlanSummary, TaskSummary
from theodoi.summaries.queries import commune_figures, province_figures
from theodoi.tracking.services import report_submit

from ..factories import unit_of
from ..tracking_factories import make_report, plan_of_size, task_of

pytestmark = pytest.mark.django_db

COMMUNE_QUERIES = 6
NATIONAL_QUERIES = 7  # and the list of provinces


def _queries(call) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


@pytest.mark.parametrize(("communes", "tasks"), [(1, 3), (4, 12)])
def test_figures_cost_a_fixed_number_of_queries_whatever_the_size(
    communes: int, tasks: int
) -> None:
    today = timezone.localdate()
    generated = generate_province(
        communes=communes, tasks=tasks, targets=tasks // 2 + 1, today=today, seed=communes
    )
    generate_province(
        communes=communes, tasks=tasks, targets=2, today=today, seed=5, code="tinh-khac",
        name="Tỉnh Khác",
    )  # fmt: skip
    province = generated.province
    figures: dict[int, object] = {}
    assert _queries(lambda: figures.update(
        commune_figures(province, year=today.year, today=today)
    )) == COMMUNE_QUERIES  # fmt: skip
    assert len(figures) == communes
    national: dict[int, object] = {}
    assert _queries(lambda: national.update(
        province_figures(year=today.year, today=today)
    )) == NATIONAL_QUERIES  # fmt: skip
    assert len(national) == 2


# A report sent to the standing office: tracking's own queries, and the summary's refresh
# (lock the plan's row; the plan's tasks; the task's state, two; its row and its parent's;
# the plan's row; the periods' recount; the lead units' first unsent report: the task's
# assignments with their rows, the plan's periods, the task's sent reports, a row written),
# and the inbox's look-up of the unit's heads to tell that a report waits for them
# (alerts.notices).
SEND_BUDGET = 9 + 12 + 1


@pytest.mark.parametrize("extra_tasks", [0, 12])
def test_a_sent_report_keeps_the_summary_in_a_fixed_number_of_queries(
    commune, police, extra_tasks: int
) -> None:  # type: ignore[no-untyped-def]
    plan = plan_of_size(commune, extra_tasks)
    plan.requires_head_confirmation = False
    plan.save(update_fields=["requires_head_confirmation"])
    unit = unit_of(commune, "Công an phường")
    for month in (1, 2):  # earlier reports, so the plan has some to read past
        earlier = make_report(task_of(plan, "I.1.1"), unit, police, month=month)
        report_submit(report=earlier, user=police, version=earlier.version)
    report = make_report(task_of(plan, "I.1.1"), unit, police, month=3, percent=70)
    sent = _queries(lambda: report_submit(report=report, user=police, version=report.version))
    assert sent <= SEND_BUDGET, sent
    assert PlanSummary.objects.get(plan=plan).progress is not None
    assert TaskSummary.objects.get(task=task_of(plan, "I.1.1")).percent == 70
