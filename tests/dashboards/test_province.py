"""The province's figures: each commune's equal what its own plan's states and warnings say."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from bench.generate import generate_province
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from theodoi.alerts.rules import Kind, plan_warnings
from theodoi.dashboards.province import (
    CommuneRow,
    province_overview,
    sort_rows,
)
from theodoi.dashboards.queries import TaskFilter, filter_lines, plan_task_lines
from theodoi.dashboards.ranking import on_time_completion
from theodoi.plans.indicators import indicators_load, indicators_match
from theodoi.plans.models import Plan, PlanStatus, Target, Task
from theodoi.tracking.models import ReportState, ReviewStatus, TargetValue
from theodoi.tracking.status import target_states, task_states
from theodoi.units.models import Commune

from ..factories import make_commune, make_plan_json, make_province, make_user, unit_of
from ..tracking_factories import make_active_plan, period_of, target_of

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 8, 20)


@pytest.fixture
def generated():  # type: ignore[no-untyped-def]
    return generate_province(communes=4, tasks=15, targets=8, year=2026, today=TODAY, seed=7)


def _overview(province, **kwargs):  # type: ignore[no-untyped-def]
    return province_overview(province, year=2026, today=TODAY, **kwargs)


# -- each number equals the commune's own computation ---------------------------------------


def test_each_communes_task_figures_equal_its_plans_task_states(generated):
    overview = _overview(generated.province)
    assert len(overview.rows) == 4
    for row in overview.rows:
        assert row.plan is not None
        tasks = list(row.plan.tasks.all())
        states = task_states(tasks, today=TODAY)
        parents = {t.parent_id for t in tasks if t.parent_id is not None}
        leaves = [states[t.pk] for t in tasks if t.pk not in parents]
        assert row.tasks_total == len(leaves)
        assert row.tasks_done == sum(1 for s in leaves if s.done)
        top = [t for t in tasks if t.parent_id is None]
        expected = sum(t.weight * states[t.pk].percent for t in top) / sum(t.weight for t in top)
        assert row.progress == pytest.approx(float(expected))


def test_each_communes_counts_equal_its_task_list_under_the_same_filter(generated):
    overview = _overview(generated.province)
    for row in overview.rows:
        assert row.plan is not None
        lines = plan_task_lines(row.plan, today=TODAY).lines  # the commune's task list
        assert row.tasks_total == len(lines)
        assert row.tasks_done == len(filter_lines(lines, TaskFilter(status="done")))
        assert row.tasks_late == len(filter_lines(lines, TaskFilter(status="late")))
        on_time = on_time_completion(lines, TODAY)  # the commune ranking's criterion
        assert (row.tasks_on_time, row.tasks_due) == (on_time.part, on_time.whole)
    assert sum(r.tasks_late for r in overview.rows) > 0
    assert sum(r.tasks_done for r in overview.rows) > 0


def test_each_communes_targets_met_equal_its_plans_target_states(generated):
    overview = _overview(generated.province)
    met_somewhere = 0
    for row in overview.rows:
        assert row.plan is not None
        states = target_states(row.plan.targets.all())
        assert row.targets_total == len(states)
        assert row.targets_met == sum(1 for s in states.values() if s.met)
        met_somewhere += row.targets_met
    assert met_somewhere > 0  # the data has both met and unmet targets


def test_states_read_in_bulk_equal_those_of_tracking_status(generated):
    plans = generated.plans
    # Some targets counted per period, whose accepted values add up.
    Target.objects.filter(plan__in=plans, code__in=["1", "2"]).update(
        value_kind="in_period", measure_unit="hồ sơ"
    )
    Target.objects.filter(plan__in=plans, code="3").update(value_kind="in_period")
    tasks = list(Task.objects.filter(plan__in=plans))
    targets = list(Target.objects.filter(plan__in=plans))

    assert task_states(tasks, plans=plans, today=TODAY) == task_states(tasks, today=TODAY)
    assert target_states(targets, plans=plans, as_of=TODAY) == target_states(targets, as_of=TODAY)


def test_warnings_counted_in_bulk_equal_plan_warnings_commune_by_commune(generated):
    overview = _overview(generated.province)
    kinds_seen: set[str] = set()
    for row in overview.rows:
        assert row.plan is not None
        expected = Counter(w.kind for w in plan_warnings(row.plan, today=TODAY))
        assert {k: n for k, n in row.warnings.items() if n} == dict(expected)
        kinds_seen |= set(expected)
    # The generated data exercises most rules, so the comparison means something.
    assert {Kind.OVERDUE, Kind.EVIDENCE_REJECTED, Kind.REPORT_MISSING} <= kinds_seen
    assert Kind.TARGET_OFF_TRACK in kinds_seen


@pytest.mark.parametrize(
    "today", [dt.date(2026, 3, 20), dt.date(2026, 6, 25), dt.date(2027, 1, 10)]
)
def test_warning_counts_agree_with_plan_warnings_all_year_round(generated, today):
    overview = province_overview(generated.province, year=2026, today=today)
    for row in overview.rows:
        assert row.plan is not None
        expected = Counter(w.kind for w in plan_warnings(row.plan, today=today))
        assert {k: n for k, n in row.warnings.items() if n} == dict(expected)


def test_the_province_totals_are_the_sums_of_its_communes(generated):
    overview = _overview(generated.province)
    totals = overview.totals
    assert totals.tasks_done == sum(r.tasks_done for r in overview.rows)
    assert totals.tasks_total == sum(r.tasks_total for r in overview.rows)
    assert totals.warnings_total == sum(r.warnings_total for r in overview.rows)
    assert totals.targets_met == sum(r.targets_met for r in overview.rows)


# -- which plan counts ---------------------------------------------------------------------


def test_a_commune_without_an_active_plan_of_the_year_is_listed_with_no_figures(province):
    with_plan = make_commune("Hòa Phong", "phường", province)
    make_active_plan(with_plan)
    draft_only = make_commune("Tân Hòa", "xã", province)
    draft = make_active_plan(draft_only)
    Plan.objects.filter(pk=draft.pk).update(status=PlanStatus.DRAFT)
    other_year = make_commune("Hòa Bình", "xã", province)
    make_active_plan(other_year, make_plan_json(year=2025))

    rows = {r.commune: r for r in _overview(province).rows}

    assert rows[with_plan].plan is not None
    assert rows[with_plan].tasks_total == 2  # I.1.1 and I.1.2; I.1 speaks through them
    assert rows[draft_only].plan is None
    assert rows[other_year].plan is None
    assert rows[draft_only].tasks_total == 0


def test_another_provinces_communes_never_appear(province):
    make_active_plan(make_commune("Hòa Phong", "phường", province))
    elsewhere = make_province("Biển Xanh")
    make_active_plan(make_commune("Hải An", "phường", elsewhere))
    names = [r.commune.name for r in _overview(province).rows]
    assert names == ["Hòa Phong"]


# -- one indicator across communes ------------------------------------------------------------


def _value(target, month, value, review, user):  # type: ignore[no-untyped-def]
    return TargetValue.objects.create(
        commune_id=target.commune_id,
        target=target,
        period=period_of(target.plan, month),
        unit=unit_of(target.commune, "Trung tâm Phục vụ hành chính công"),
        value=Decimal(value),
        state=ReportState.SENT,
        review=review,
        sent_at=timezone.make_aware(dt.datetime(2026, month, 20)),
        created_by=user,
    )


def test_the_same_indicator_worded_differently_is_compared_across_communes(province):
    hoa_phong = make_commune("Hòa Phong", "phường", province)
    tan_hoa = make_commune("Tân Hòa", "xã", province)
    plan_a = make_active_plan(hoa_phong)  # "Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến"
    other_wording = make_plan_json()
    other_wording["targets"][0]["name"] = "Hồ sơ TTHC được xử lý trực tuyến đạt trên 85%"
    other_wording["targets"][0]["value"] = 85
    other_wording["targets"][0]["value_text"] = "> 85%"
    plan_b = make_active_plan(tan_hoa, other_wording)
    indicators_load()
    for plan in (plan_a, plan_b):
        indicators_match(plan=plan)
    user = make_user("vanphong")
    _value(target_of(plan_a, "1"), 3, "84.5", ReviewStatus.ACCEPTED, user)
    _value(target_of(plan_a, "1"), 4, 95, ReviewStatus.PENDING, user)  # not counted yet
    _value(target_of(plan_b, "1"), 3, 92, ReviewStatus.ACCEPTED, user)

    overview = _overview(province, indicator_code="tthc-xu-ly-truc-tuyen")

    assert overview.indicator is not None
    cells = {row.commune.name: row.cells for row in overview.comparison}
    assert [c.target.name for c in cells["Hòa Phong"]] == [
        "Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến"
    ]
    assert [c.target.name for c in cells["Tân Hòa"]] == [
        "Hồ sơ TTHC được xử lý trực tuyến đạt trên 85%"
    ]
    assert cells["Hòa Phong"][0].value == Decimal("84.5")
    assert cells["Hòa Phong"][0].value_text == "84,5 %"
    assert cells["Hòa Phong"][0].period == period_of(plan_a, 3)
    assert not cells["Hòa Phong"][0].state.met  # 84,5 < 90
    assert cells["Tân Hòa"][0].value == Decimal(92)
    assert cells["Tân Hòa"][0].state.met
    choice = next(c for c in overview.indicators if c.indicator.code == "tthc-xu-ly-truc-tuyen")
    assert choice.communes == 2


def test_a_commune_whose_plan_lacks_the_indicator_shows_an_empty_line(province):
    make_active_plan(make_commune("Hòa Phong", "phường", province))
    indicators_load()
    overview = _overview(province, indicator_code="phu-song-5g")
    assert [(r.commune.name, r.cells) for r in overview.comparison] == [("Hòa Phong", [])]


def test_an_unknown_indicator_code_compares_nothing(province):
    make_active_plan(make_commune("Hòa Phong", "phường", province))
    overview = _overview(province, indicator_code="khong-co")
    assert overview.indicator is None
    assert overview.comparison == []


# -- ranking --------------------------------------------------------------------------------


def _row(name: str, done: int, total: int = 10, plan: bool = True) -> CommuneRow:
    row = CommuneRow(commune=Commune(name=name), tasks_done=done, tasks_total=total)
    row.plan = Plan() if plan else None
    return row


def test_the_ranking_puts_the_most_complete_first_and_equal_communes_share_a_rank():
    rows = [_row("An", 5), _row("Bình", 9), _row("Cường", 5), _row("Dũng", 0, plan=False)]
    ordered = sort_rows(rows, "completion")
    assert [(r.commune.name, r.rank) for r in ordered] == [
        ("Bình", 1),
        ("An", 2),
        ("Cường", 2),
        ("Dũng", None),
    ]


def test_fewest_warnings_rank_first_and_the_order_can_be_reversed():
    calm, busy = _row("An", 1), _row("Bình", 1)
    busy.warnings[Kind.OVERDUE] = 3
    assert [r.commune.name for r in sort_rows([busy, calm], "warnings")] == ["An", "Bình"]
    reversed_ = sort_rows([busy, calm], "warnings", descending=True)
    assert [r.commune.name for r in reversed_] == ["Bình", "An"]


def test_a_commune_with_no_task_yet_ranks_after_those_with_figures():
    ordered = sort_rows([_row("An", 0, total=0), _row("Bình", 1)], "completion")
    assert [r.commune.name for r in ordered] == ["Bình", "An"]


# -- cheap -----------------------------------------------------------------------------------


def test_the_query_count_does_not_grow_with_communes_tasks_or_reports():
    small = generate_province(
        communes=2, tasks=10, targets=5, today=TODAY, year=2026, seed=1, code="nho", name="Nhỏ"
    )
    large = generate_province(
        communes=6, tasks=25, targets=15, today=TODAY, year=2026, seed=2, code="lon", name="Lớn"
    )
    counts = []
    for generated in (small, large):
        with CaptureQueriesContext(connection) as queries:
            overview = province_overview(
                generated.province, year=2026, today=TODAY, indicator_code="vneid"
            )
        assert overview.rows
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 14


@pytest.mark.parametrize("later", [0, 9, 26, 60])
def test_the_summaries_give_each_communes_live_figures_from_today_on(generated, later):
    """As of today or later the page reads the summaries; read live, the same day gives the
    same line for every commune: counts, progress and every kind of warning."""
    day = timezone.localdate() + dt.timedelta(days=later)
    summed = province_overview(generated.province, year=2026, today=day).rows
    live = province_overview(generated.province, year=2026, today=day, live=True).rows

    def line(row):  # type: ignore[no-untyped-def]
        return (
            row.commune.pk,
            row.tasks_total,
            row.tasks_done,
            row.tasks_late,
            row.tasks_due,
            row.tasks_on_time,
            row.targets_total,
            row.targets_met,
            round(row.progress or 0, 6),
            row.warnings,
        )

    assert [line(r) for r in summed] == [line(r) for r in live]
