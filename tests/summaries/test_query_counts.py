"""The province and national figures cost the same number of queries whatever the number of
communes, tasks and reports (aggregates in the database, numbers out)."""

from __future__ import annotations

import pytest
from bench.generate import generate_province
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from theodoi.summaries.queries import commune_figures, province_figures

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
