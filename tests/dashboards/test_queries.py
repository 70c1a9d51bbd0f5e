"""The reads behind the commune dashboards: statuses, filters, stale tasks, targets, trend,
the reporting window and a unit's urgencies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from theodoi.dashboards.queries import (
    NO_GROUP,
    NO_LEAD,
    Bucket,
    TargetBucket,
    TaskFilter,
    Urgency,
    WindowState,
    bucket_of,
    filter_lines,
    percent_text,
    plan_task_lines,
    reporting_window,
    status_by_group,
    status_by_unit,
    target_lines,
    trend,
    unit_plan_work,
)
from theodoi.plans.models import Target
from theodoi.tracking.models import ReportState, ReviewStatus, TargetValue, TaskStatus
from theodoi.tracking.status import Completion, TaskState

from ..factories import unit_of
from ..tracking_factories import period_of, target_of, task_of
from .commune_helpers import TODAY, add_task, at, completed, plan_in_force, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    return plan_in_force(commune)


@pytest.fixture
def police_unit(commune):  # type: ignore[no-untyped-def]
    return unit_of(commune, "Công an phường")


@pytest.fixture
def culture_unit(commune):  # type: ignore[no-untyped-def]
    return unit_of(commune, "Phòng Văn hóa - Xã hội")


def _state(**kw):  # type: ignore[no-untyped-def]
    values = {
        "status": TaskStatus.IN_PROGRESS,
        "percent": 10,
        "completion": Completion.NONE,
        "late": False,
        "completed_on": None,
        "last_report": None,
    }
    values.update(kw)
    return TaskState(**values)


# --- statuses --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "bucket"),
    [
        ({"completion": Completion.ACCEPTED, "late": True}, Bucket.DONE),
        ({"completion": Completion.PENDING, "late": True}, Bucket.PENDING),
        ({"completion": Completion.REJECTED}, Bucket.REJECTED),
        ({"status": TaskStatus.PAUSED, "late": True}, Bucket.PAUSED),
        ({"status": TaskStatus.NOT_STARTED, "late": True}, Bucket.LATE),
        ({"late": True}, Bucket.LATE),
        ({"status": TaskStatus.NOT_STARTED}, Bucket.NOT_STARTED),
        ({}, Bucket.IN_PROGRESS),
    ],
)
def test_each_task_falls_in_exactly_one_bucket_in_the_order_of_its_label(state, bucket):
    assert bucket_of(_state(**state)) == bucket


def test_percentages_are_written_the_vietnamese_way():
    from fractions import Fraction

    assert percent_text(Fraction(899, 1000)) == "89,9%"
    assert percent_text(Fraction(1, 3)) == "33,3%"
    assert percent_text(Fraction(1)) == "100%"
    assert percent_text(None) == "—"


def test_rows_by_group_and_unit_add_up_and_link_to_their_filter(
    plan, police, police_unit, culture_unit
):
    add_task(plan, "K.1", lead=police_unit, group="Kinh tế số")
    add_task(plan, "K.2", lead=None, group="")
    data = plan_task_lines(plan, today=TODAY)
    groups = status_by_group(data.lines, data.groups)
    assert [(r.label, r.total, r.params) for r in groups] == [
        ("Chính quyền số", 2, {"group": "Chính quyền số"}),
        ("Kinh tế số", 1, {"group": "Kinh tế số"}),
        ("(không thuộc nhóm)", 1, {"group": NO_GROUP}),
    ]
    assert sum(r.total for r in groups) == len(data.lines) == 4
    units = status_by_unit(data.lines, data.units)
    assert [(r.label, r.total) for r in units] == [
        ("Công an phường", 2),
        ("Phòng Văn hóa - Xã hội", 1),
        ("(chưa gán đơn vị chủ trì)", 1),
    ]
    assert units[0].counts[Bucket.LATE] == 2  # I.1.1 and K.1, both due 30/06


def test_filters_select_by_group_unit_period_and_status(plan, police_unit):
    add_task(plan, "K.1", lead=None, group="", due=dt.date(2026, 2, 10))
    data = plan_task_lines(plan, today=TODAY)
    feb = period_of(plan, 2)

    def codes(**kw):  # type: ignore[no-untyped-def]
        return [line.task.code for line in filter_lines(data.lines, TaskFilter(**kw))]

    assert codes(group=NO_GROUP) == ["K.1"]
    assert codes(unit=NO_LEAD) == ["K.1"]
    assert codes(unit=str(police_unit.public_id), unit_obj=police_unit) == ["I.1.1"]
    assert codes(period=str(feb.public_id), period_obj=feb) == ["K.1"]
    assert codes(status=Bucket.LATE) == ["I.1.1", "K.1"]


# --- stale tasks --------------------------------------------------------------------------------


def _stale(plan, today=TODAY):  # type: ignore[no-untyped-def]
    return sorted(line.task.code for line in plan_task_lines(plan, today=today).lines if line.stale)


def test_a_task_with_no_report_for_the_last_two_closed_periods_is_stale(
    plan, police, police_unit, culture_unit
):
    # On 10/07 the last two closed periods are May and June.
    report(task_of(plan, "I.1.1"), police_unit, police, month=4, percent=95)
    report(task_of(plan, "I.1.2"), culture_unit, police, month=5)
    assert _stale(plan) == ["I.1.1"]


def test_a_report_in_the_current_period_clears_it(plan, police, police_unit, culture_unit):
    report(task_of(plan, "I.1.1"), police_unit, police, month=7, sent_on=dt.date(2026, 7, 9))
    report(task_of(plan, "I.1.2"), culture_unit, police, month=6)
    assert _stale(plan) == []


def test_a_draft_or_a_supporting_units_contribution_is_no_news(
    plan, police, police_unit, culture_unit
):
    task = task_of(plan, "I.1.1")
    report(task, police_unit, police, month=6, state=ReportState.DRAFT)
    report(task, culture_unit, police, month=6, contribution=True)
    report(task_of(plan, "I.1.2"), culture_unit, police, month=6)
    assert _stale(plan) == ["I.1.1"]


def test_a_done_task_or_one_that_started_after_the_first_of_the_two_periods_is_not_stale(
    plan, police, police_unit, culture_unit
):
    completed(task_of(plan, "I.1.1"), police_unit, police, month=3)
    add_task(plan, "K.1", lead=police_unit, starts=dt.date(2026, 6, 1), due=dt.date(2026, 9, 1))
    add_task(plan, "K.2", lead=police_unit, starts=dt.date(2026, 5, 31), due=dt.date(2026, 9, 1))
    assert _stale(plan) == ["I.1.2", "K.2"]


def test_nothing_is_stale_before_two_periods_have_closed(plan):
    # On 10/02 only January is closed (due 05/02).
    assert _stale(plan, today=dt.date(2026, 2, 10)) == []
    assert _stale(plan, today=dt.date(2026, 3, 10)) == ["I.1.1", "I.1.2"]


# --- targets ------------------------------------------------------------------------------------


def _value(plan, target, unit, user, month, value, review=ReviewStatus.ACCEPTED):  # type: ignore[no-untyped-def]
    return TargetValue.objects.create(
        commune_id=plan.commune_id, target=target, period=period_of(plan, month), unit=unit,
        value=value, state=ReportState.SENT, review=review, created_by=user,
        sent_at=at(period_of(plan, month).ends_on + dt.timedelta(days=1)),
    )  # fmt: skip


def _buckets(plan, today=TODAY):  # type: ignore[no-untyped-def]
    return {line.target.code: line for line in target_lines(plan, today=today)}


def test_a_rate_target_is_met_or_off_track_by_its_latest_accepted_value(plan, police, commune):
    centre = unit_of(commune, "Trung tâm Phục vụ hành chính công")
    target = target_of(plan, "1")  # ≥ 90%
    assert _buckets(plan)["1"].bucket == TargetBucket.NO_DATA
    _value(plan, target, centre, police, 5, 92)
    _value(plan, target, centre, police, 6, 89, review=ReviewStatus.PENDING)
    line = _buckets(plan)["1"]
    assert line.bucket == TargetBucket.MET  # the pending 89 does not count yet
    assert line.pending.startswith("89")
    assert (line.goal, line.upper) == ("≥ 90%", "≥ 85%")
    _value(plan, target, centre, police, 4, 95)
    TargetValue.objects.filter(target=target, period=period_of(plan, 6)).update(
        review=ReviewStatus.ACCEPTED
    )
    assert _buckets(plan)["1"].bucket == TargetBucket.OFF_TRACK


def test_a_count_to_reach_by_year_end_is_on_track_when_it_keeps_pace_with_the_year(
    plan, police, commune
):
    centre = unit_of(commune, "Trung tâm Phục vụ hành chính công")
    target = Target.objects.create(
        plan=plan, commune=commune, code="3", name="Số hồ sơ số hóa", kind="quantitative",
        comparator=">=", value=Decimal(1000), measure_unit="hồ sơ", value_kind="cumulative",
        position=3,
    )  # fmt: skip
    # From 15/01 (the plan's issue) to 31/12: on 10/07, 176 of 350 days → 502,86 needed.
    _value(plan, target, centre, police, 6, 503)
    line = _buckets(plan)["3"]
    assert line.bucket == TargetBucket.ON_TRACK
    assert line.expected == "503"  # a whole count: nobody reaches 502,86 records
    TargetValue.objects.filter(target=target).update(value=502)
    assert _buckets(plan)["3"].bucket == TargetBucket.OFF_TRACK


# --- the trend -----------------------------------------------------------------------------------


def test_the_trend_counts_tasks_done_by_each_periods_end_and_its_reports_on_time(
    plan, police, police_unit, culture_unit
):
    task = task_of(plan, "I.1.1")
    report(task, police_unit, police, month=4)
    completed(task, police_unit, police, month=5, sent_on=dt.date(2026, 5, 20))
    report(task_of(plan, "I.1.2"), culture_unit, police, month=5, sent_on=dt.date(2026, 6, 8))
    data = plan_task_lines(plan, today=TODAY)
    points = {p.period.number: p for p in trend(plan, data.lines, data.closed)}
    assert sorted(points) == [1, 2, 3, 4, 5, 6]
    assert (points[4].done.part, points[5].done.part, points[5].done.whole) == (0, 1, 2)
    # May: I.1.1 sent on time, I.1.2 sent late (due 05/06).
    assert (points[5].reports.on_time, points[5].reports.late) == (1, 1)
    # June: I.1.1 was done before June began and needs no report; I.1.2's is missing.
    assert (points[6].reports.expected, points[6].reports.missing) == (1, 1)
    # For one unit only:
    only = trend(plan, data.lines, data.closed, unit_ids={police_unit.pk})
    assert only[4].reports.expected == 1 and only[4].reports.on_time == 1


# --- the reporting window ------------------------------------------------------------------------


def test_the_window_lists_per_unit_the_sent_awaiting_draft_and_missing_reports(
    plan, police, police_unit, culture_unit, commune
):
    centre = unit_of(commune, "Trung tâm Phục vụ hành chính công")
    add_task(plan, "W.1", lead=centre)
    add_task(plan, "W.2", lead=police_unit)
    report(task_of(plan, "I.1.1"), police_unit, police, month=7, sent_on=dt.date(2026, 7, 8))
    report(plan.tasks.get(code="W.2"), police_unit, police, month=7, state="awaiting_head")
    report(task_of(plan, "I.1.2"), culture_unit, police, month=7, state=ReportState.DRAFT)
    window = reporting_window(plan_task_lines(plan, today=TODAY), period_of(plan, 7))
    states = {(u.unit.name, t.line.task.code): t.state for u in window.units for t in u.tasks}
    assert states == {
        ("Công an phường", "I.1.1"): WindowState.SENT,
        ("Công an phường", "W.2"): WindowState.AWAITING_HEAD,
        ("Phòng Văn hóa - Xã hội", "I.1.2"): WindowState.DRAFT,
        (centre.name, "W.1"): WindowState.MISSING,
    }
    assert {u.unit.name for u in window.unreported} == {
        "Công an phường", "Phòng Văn hóa - Xã hội", centre.name
    }  # fmt: skip
    assert (window.sent_count, window.task_count) == (1, 4)


def test_a_task_done_before_the_period_began_needs_no_report(
    plan, police, police_unit, culture_unit
):
    completed(task_of(plan, "I.1.1"), police_unit, police, month=5, sent_on=dt.date(2026, 5, 20))
    report(task_of(plan, "I.1.2"), culture_unit, police, month=7, sent_on=dt.date(2026, 7, 3))
    window = reporting_window(plan_task_lines(plan, today=TODAY), period_of(plan, 7))
    assert [u.unit.name for u in window.units] == ["Phòng Văn hóa - Xã hội"]
    assert window.unreported == []


def test_looking_back_at_a_past_period_judges_stale_as_of_then(
    plan, police, police_unit, culture_unit
):
    # Nothing reported in March or April; a report in June came later.
    report(task_of(plan, "I.1.1"), police_unit, police, month=6)
    data = plan_task_lines(plan, today=TODAY)
    april = reporting_window(data, period_of(plan, 4))
    stale = {t.line.task.code for u in april.units for t in u.tasks if t.stale}
    assert stale == {"I.1.1", "I.1.2"}
    assert reporting_window(data, period_of(plan, 7)).stale_count == 1  # I.1.2 only


# --- a unit's urgencies ------------------------------------------------------------------------


def test_a_units_work_is_sorted_by_urgency_with_its_warnings_and_what_to_report(
    plan, police, police_unit, culture_unit
):
    soon = add_task(plan, "U.1", lead=police_unit, due=dt.date(2026, 7, 24))
    report(soon, police_unit, police, month=6, percent=80)
    supported = add_task(plan, "U.2", lead=culture_unit, support=police_unit)
    report(supported, police_unit, police, month=7, contribution=True, sent_on=TODAY)
    work = unit_plan_work(plan, [police_unit], today=TODAY)
    urgency = {t.line.task.code: t.urgency for t in work.tasks}
    assert urgency == {"I.1.1": Urgency.OVERDUE, "U.1": Urgency.DUE_SOON, "U.2": Urgency.OVERDUE}
    assert [t.line.task.code for t in work.to_report] == ["I.1.1", "U.1"]
    assert {t.role for t in work.tasks if t.line.task.code == "U.2"} == {"support"}
    assert work.warnings
    assert all(police_unit.pk in w.unit_ids for w in work.warnings)
