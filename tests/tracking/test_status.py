from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from theodoi.plans.models import Target
from theodoi.tracking.models import ReportState, ReviewStatus, TargetValue
from theodoi.tracking.status import Completion, meets, target_states, task_states

from ..factories import unit_of
from ..tracking_factories import make_active_plan, make_report, period_of, target_of, task_of
from .helpers import document_evidence, mark_sent

pytestmark = pytest.mark.django_db

BEFORE_DUE = dt.date(2026, 5, 10)  # I.1.1 is due 30/06/2026
AFTER_DUE = dt.date(2026, 7, 10)


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    return make_active_plan(commune)


@pytest.fixture
def police_unit(commune):  # type: ignore[no-untyped-def]
    return unit_of(commune, "Công an phường")


def _state(plan, code, today):  # type: ignore[no-untyped-def]
    tasks = list(plan.tasks.all())
    return task_states(tasks, today=today)[task_of(plan, code).pk]


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def test_a_task_nobody_reported_on_is_not_started(plan):
    assert _state(plan, "I.1.1", BEFORE_DUE).label == "Chưa triển khai"


def test_an_unfinished_task_past_its_due_date_is_late(plan, police, police_unit):
    mark_sent(make_report(task_of(plan, "I.1.1"), police_unit, police, percent=60))
    assert _state(plan, "I.1.1", BEFORE_DUE).label == "Đang thực hiện đúng hạn"
    assert _state(plan, "I.1.1", dt.date(2026, 6, 30)).late is False  # due today
    assert _state(plan, "I.1.1", dt.date(2026, 7, 1)).label == "Đang thực hiện trễ hạn"


def test_drafts_do_not_count_until_sent(plan, police, police_unit):
    make_report(task_of(plan, "I.1.1"), police_unit, police, percent=60)
    assert _state(plan, "I.1.1", BEFORE_DUE).percent == 0


def test_a_completion_awaiting_review_is_not_yet_done(plan, police, police_unit):
    report = make_report(
        task_of(plan, "I.1.1"), police_unit, police, status="completed", percent=100
    )
    document_evidence(user=police, report=report)
    mark_sent(report)
    state = _state(plan, "I.1.1", BEFORE_DUE)
    assert state.completion == Completion.PENDING
    assert not state.done
    assert state.label == "Hoàn thành, chờ thẩm định minh chứng"


def test_a_rejected_completion_counts_as_not_completed(plan, police, police_unit):
    report = make_report(
        task_of(plan, "I.1.1"), police_unit, police, status="completed", percent=100
    )
    document_evidence(user=police, report=report, review=ReviewStatus.REJECTED)
    mark_sent(report)
    state = _state(plan, "I.1.1", BEFORE_DUE)
    assert not state.done
    assert state.percent < 100
    assert state.label == "Minh chứng không đạt, chưa hoàn thành"


def test_new_accepted_evidence_after_a_rejection_completes_the_task(plan, police, police_unit):
    report = make_report(
        task_of(plan, "I.1.1"), police_unit, police, status="completed", percent=100
    )
    document_evidence(user=police, report=report, review=ReviewStatus.REJECTED)
    document_evidence(user=police, report=report, review=ReviewStatus.ACCEPTED)
    mark_sent(report, when=_aware(dt.date(2026, 6, 20)))
    state = _state(plan, "I.1.1", AFTER_DUE)
    assert state.done
    assert state.label == "Hoàn thành đúng hạn"


def test_a_completion_sent_after_the_due_date_is_done_late(plan, police, police_unit):
    report = make_report(
        task_of(plan, "I.1.1"), police_unit, police, status="completed", percent=100
    )
    document_evidence(user=police, report=report, review=ReviewStatus.ACCEPTED)
    mark_sent(report, when=_aware(dt.date(2026, 7, 2)))
    assert _state(plan, "I.1.1", AFTER_DUE).label == "Hoàn thành trễ hạn"


def test_a_general_task_rolls_up_its_children_and_is_done_when_all_are(
    plan, commune, police, office
):
    police_unit = unit_of(commune, "Công an phường")
    standing = unit_of(commune, "Phòng Văn hóa - Xã hội")
    done = make_report(task_of(plan, "I.1.1"), police_unit, police, status="completed", percent=100)
    document_evidence(user=police, report=done, review=ReviewStatus.ACCEPTED)
    mark_sent(done)
    mark_sent(make_report(task_of(plan, "I.1.2"), standing, office, percent=50))
    parent = _state(plan, "I.1", BEFORE_DUE)
    assert parent.percent == 75
    assert not parent.done
    child = task_of(plan, "I.1.2")
    child.weight = Decimal(3)
    child.save()
    assert _state(plan, "I.1", BEFORE_DUE).percent == 62  # (100 + 3 × 50) / 4


@pytest.mark.parametrize(
    ("kind", "comparator", "target", "value", "expected"),
    [
        ("quantitative", ">=", 95, 95, True),
        ("quantitative", ">", 95, 95, False),
        ("quantitative", ">", 95, "95.01", True),
        ("quantitative", "<=", 5, 6, False),
        ("rank", "<=", 10, 10, True),
        ("rank", "<=", 10, 11, False),
    ],
)
def test_achievement_follows_the_comparator(kind, comparator, target, value, expected):
    t = Target(kind=kind, comparator=comparator, value=Decimal(target))
    assert meets(t, Decimal(str(value))) is expected


def test_a_qualitative_target_is_met_by_an_accepted_yes():
    t = Target(kind="qualitative")
    assert meets(t, None, True) is True
    assert meets(t, None, False) is False


def _value(target, period, unit, user, value, review, when=None):  # type: ignore[no-untyped-def]
    return TargetValue.objects.create(
        commune_id=target.commune_id, target=target, period=period, unit=unit, created_by=user,
        value=Decimal(value), state=ReportState.SENT, review=review,
        sent_at=when or timezone.now(),
    )  # fmt: skip


def test_only_accepted_values_count(plan, commune, office):
    pvhcc = unit_of(commune, "Trung tâm Phục vụ hành chính công")
    target = target_of(plan, "1")
    _value(target, period_of(plan, 2), pvhcc, office, 80, ReviewStatus.ACCEPTED)
    _value(target, period_of(plan, 3), pvhcc, office, 92, ReviewStatus.PENDING)
    state = target_states([target])[target.pk]
    assert state.value == Decimal(80)
    assert state.met is False
    assert state.pending is not None


def test_a_per_period_count_target_adds_its_accepted_periods(plan, commune, office):
    pvhcc = unit_of(commune, "Trung tâm Phục vụ hành chính công")
    target = target_of(plan, "1")
    target.measure_unit = "lớp"
    target.value_kind = "in_period"
    target.value = Decimal(10)
    target.save()
    for month, count in ((1, 3), (2, 4), (3, 5)):
        _value(target, period_of(plan, month), pvhcc, office, count, ReviewStatus.ACCEPTED)
    state = target_states([target])[target.pk]
    assert state.value == Decimal(12)
    assert state.met is True


def test_task_states_use_a_fixed_number_of_queries(
    plan, police, police_unit, django_assert_max_num_queries
):
    for month in range(1, 7):
        mark_sent(
            make_report(
                task_of(plan, "I.1.1"), police_unit, police, month=month, percent=month * 10
            )
        )
    tasks = list(plan.tasks.all())
    with django_assert_max_num_queries(2):
        states = task_states(tasks, today=BEFORE_DUE)
    assert (
        states[task_of(plan, "I.1.1").pk].percent == 40
    )  # April: May and June had not ended by 10/05
