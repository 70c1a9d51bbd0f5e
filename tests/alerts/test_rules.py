from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from theodoi.alerts.rules import Kind, expected_percent, is_behind, plan_warnings
from theodoi.tracking.models import ReportState, ReviewStatus, TargetValue

from ..factories import unit_of
from ..tracking.helpers import document_evidence, mark_sent
from ..tracking_factories import make_active_plan, make_report, period_of, target_of, task_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    plan = make_active_plan(commune)
    # Activated before the year began, so every month of 2026 counts for missing reports.
    plan.activated_at = timezone.make_aware(dt.datetime(2025, 12, 20))
    plan.save()
    return plan


@pytest.fixture
def police_unit(commune):  # type: ignore[no-untyped-def]
    return unit_of(commune, "Công an phường")


def _kinds(plan, today, code="I.1.1"):  # type: ignore[no-untyped-def]
    return {w.kind for w in plan_warnings(plan, today=today) if w.task and w.task.code == code}


def _dated(plan, starts, due):  # type: ignore[no-untyped-def]
    task = task_of(plan, "I.1.1")
    task.starts_on, task.due_on = starts, due
    task.save()
    return task


def _report(plan, police, police_unit, percent, month=1):  # type: ignore[no-untyped-def]
    return mark_sent(
        make_report(task_of(plan, "I.1.1"), police_unit, police, month=month, percent=percent)
    )


# -- behind schedule: below 50% of the time-proportional share ----------------------------


def test_the_expected_share_runs_from_the_task_start_to_its_due_date(plan):
    task = _dated(plan, dt.date(2026, 1, 1), dt.date(2026, 4, 11))  # 100 days
    assert expected_percent(task, plan, dt.date(2026, 3, 2)) == pytest.approx(60)
    assert expected_percent(task, plan, dt.date(2025, 12, 1)) == 0


def test_without_its_own_start_a_task_starts_with_the_plan(plan):
    task = task_of(plan, "I.1.1")  # plan issued 15/01/2026, task due 30/06/2026
    assert expected_percent(task, plan, dt.date(2026, 1, 15)) == 0
    assert expected_percent(task, plan, dt.date(2026, 6, 30)) == 100


@pytest.mark.parametrize(("percent", "behind"), [(29, True), (30, False), (31, False)])
def test_behind_means_below_half_the_expected_share(percent, behind):
    assert is_behind(percent, 60.0, 50) is behind


@pytest.mark.parametrize(("percent", "behind"), [(49, True), (51, False)])
def test_a_task_at_49_or_51_percent_of_its_expected_share(
    plan, police, police_unit, percent, behind
):
    # On its due date the expected share is 100%: half of it is 50%.
    _dated(plan, dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    _report(plan, police, police_unit, percent, month=3)
    kinds = _kinds(plan, dt.date(2026, 3, 31))
    assert (Kind.BEHIND in kinds) is behind


def test_the_threshold_is_a_setting_of_the_plan(plan, police, police_unit):
    _dated(plan, dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    _report(plan, police, police_unit, 60, month=3)
    assert Kind.BEHIND not in _kinds(plan, dt.date(2026, 3, 31))
    plan.behind_threshold = 80
    plan.save()
    assert Kind.BEHIND in _kinds(plan, dt.date(2026, 3, 31))


# -- overdue and due soon -------------------------------------------------------------------


def test_a_task_due_today_is_due_soon_not_overdue(plan):
    kinds = _kinds(plan, dt.date(2026, 6, 30))
    assert Kind.OVERDUE not in kinds
    assert Kind.DUE_SOON in kinds


def test_a_task_due_yesterday_is_overdue(plan):
    warnings = [w for w in plan_warnings(plan, today=dt.date(2026, 7, 1)) if w.kind == Kind.OVERDUE]
    assert [w.task.code for w in warnings if w.task] == ["I.1.1"]
    assert "quá hạn 1 ngày" in warnings[0].reason
    assert "Công an phường" in warnings[0].reason


def test_due_soon_starts_fourteen_days_before_by_default(plan):
    assert Kind.DUE_SOON in _kinds(plan, dt.date(2026, 6, 16))
    assert Kind.DUE_SOON not in _kinds(plan, dt.date(2026, 6, 15))


def test_a_completed_task_raises_no_deadline_warning(plan, police, police_unit):
    report = make_report(
        task_of(plan, "I.1.1"), police_unit, police, month=6, status="completed", percent=100
    )
    document_evidence(user=police, report=report, review=ReviewStatus.ACCEPTED)
    mark_sent(report, when=timezone.make_aware(dt.datetime(2026, 6, 20, 9)))
    kinds = _kinds(plan, dt.date(2026, 7, 10))
    assert not kinds & {Kind.OVERDUE, Kind.BEHIND, Kind.DUE_SOON}


def test_recurring_and_undated_tasks_are_never_overdue_or_behind(plan):
    task = task_of(plan, "I.1.2")  # "Thường xuyên"
    kinds = _kinds(plan, dt.date(2026, 12, 31), code="I.1.2")
    assert not kinds & {Kind.OVERDUE, Kind.BEHIND, Kind.DUE_SOON}
    task.deadline_kind, task.due_on = "unspecified", None
    task.save()
    kinds = _kinds(plan, dt.date(2026, 12, 31), code="I.1.2")
    assert not kinds & {Kind.OVERDUE, Kind.BEHIND, Kind.DUE_SOON}


def test_a_general_task_raises_no_warning_of_its_own(plan):
    assert _kinds(plan, dt.date(2027, 1, 10), code="I.1") == set()


# -- evidence rejected ------------------------------------------------------------------------


def test_a_rejected_completion_warns_until_new_evidence_is_accepted(plan, police, police_unit):
    report = make_report(
        task_of(plan, "I.1.1"), police_unit, police, month=3, status="completed", percent=100
    )
    document_evidence(user=police, report=report, review=ReviewStatus.REJECTED)
    mark_sent(report)
    assert Kind.EVIDENCE_REJECTED in _kinds(plan, dt.date(2026, 4, 1))
    document_evidence(user=police, report=report, review=ReviewStatus.ACCEPTED)
    assert Kind.EVIDENCE_REJECTED not in _kinds(plan, dt.date(2026, 4, 1))


# -- missing reports ---------------------------------------------------------------------------


def _missing(plan, today, code="I.1.1"):  # type: ignore[no-untyped-def]
    return [
        period.label
        for w in plan_warnings(plan, today=today)
        if w.kind == Kind.REPORT_MISSING and w.task and w.task.code == code
        for period in w.periods
    ]


def test_a_report_is_missing_only_once_its_period_is_past_due(plan):
    # January's reports are due 05/02.
    assert _missing(plan, dt.date(2026, 2, 5)) == []
    assert _missing(plan, dt.date(2026, 2, 6)) == ["Tháng 1/2026"]


def test_a_sent_report_clears_the_missing_report_warning_but_a_draft_does_not(
    plan, police, police_unit
):
    make_report(task_of(plan, "I.1.1"), police_unit, police, month=1, percent=10)
    assert _missing(plan, dt.date(2026, 2, 6)) == ["Tháng 1/2026"]
    _report(plan, police, police_unit, 10, month=1)
    assert _missing(plan, dt.date(2026, 2, 6)) == []


def test_a_recurring_task_needs_a_report_every_period(plan):
    assert _missing(plan, dt.date(2026, 4, 6), code="I.1.2") == [
        "Tháng 1/2026",
        "Tháng 2/2026",
        "Tháng 3/2026",
    ]


def test_a_done_task_needs_no_further_reports(plan, police, police_unit):
    report = make_report(
        task_of(plan, "I.1.1"), police_unit, police, month=1, status="completed", percent=100
    )
    document_evidence(user=police, report=report, review=ReviewStatus.ACCEPTED)
    mark_sent(report, when=timezone.make_aware(dt.datetime(2026, 1, 31, 9)))
    assert _missing(plan, dt.date(2026, 5, 6)) == []


def test_periods_before_the_plan_came_into_force_need_no_report(plan):
    plan.activated_at = timezone.make_aware(dt.datetime(2026, 3, 10))
    plan.save()
    assert _missing(plan, dt.date(2026, 4, 6)) == ["Tháng 3/2026"]


# -- targets --------------------------------------------------------------------------------------


def _accepted_value(plan, office, commune, value):  # type: ignore[no-untyped-def]
    target = target_of(plan, "1")
    return TargetValue.objects.create(
        commune=commune, target=target, period=period_of(plan, 3),
        unit=unit_of(commune, "Trung tâm Phục vụ hành chính công"), created_by=office,
        value=Decimal(value), state=ReportState.SENT, review=ReviewStatus.ACCEPTED,
        sent_at=timezone.now(),
    )  # fmt: skip


def _target_kinds(plan, today):  # type: ignore[no-untyped-def]
    return {w.kind for w in plan_warnings(plan, today=today) if w.target}


def test_a_target_whose_accepted_value_falls_short_is_off_track(plan, office, commune):
    _accepted_value(plan, office, commune, 85)  # target ≥ 90%
    assert Kind.TARGET_OFF_TRACK in _target_kinds(plan, dt.date(2026, 4, 10))


def test_a_target_met_by_its_accepted_value_raises_nothing(plan, office, commune):
    _accepted_value(plan, office, commune, 90)
    assert _target_kinds(plan, dt.date(2026, 4, 10)) == set()


def test_warnings_come_most_severe_first(plan):
    warnings = plan_warnings(plan, today=dt.date(2026, 7, 10))
    severities = [w.severity for w in warnings]
    assert severities == sorted(severities, reverse=True)
    assert warnings[0].kind == Kind.OVERDUE
