"""Criteria fed by the system follow the plan's data: a target value's review, a task's
completion, reports sent on time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from theodoi.accounts.models import Role
from theodoi.evidence.services import evidence_review
from theodoi.plans.models import Indicator
from theodoi.scorecards import queries
from theodoi.tracking.models import ReviewStatus, TaskStatus
from theodoi.tracking.services import (
    ValueInput,
    target_value_review,
    target_value_save,
    target_value_submit,
)

from ..factories import make_user, unit_of
from ..tracking.helpers import document_evidence, mark_sent
from ..tracking_factories import make_active_plan, make_report, period_of, target_of, task_of
from .helpers import assessment_of, make_scorecard

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = dt.date(2026, 7, 15)  # task I.1.1 fell due on 30/06/2026


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    plan = make_active_plan(commune)
    # In force since January: the months before TODAY are closed reporting periods.
    plan.activated_at = _aware(dt.date(2026, 1, 2))
    plan.save(update_fields=["activated_at"])
    return plan


@pytest.fixture
def assessment(plan, province, commune):  # type: ignore[no-untyped-def]
    return assessment_of(make_scorecard(province), commune)


@pytest.fixture
def pvhcc_staff(commune):  # type: ignore[no-untyped-def]
    unit = unit_of(commune, "Trung tâm Phục vụ hành chính công")
    return make_user("pvhcc", role=Role.UNIT_STAFF, commune=commune, unit=unit)


def _line(assessment, code):  # type: ignore[no-untyped-def]
    card = queries.assessment_card(assessment, today=TODAY)
    return next(line for line in card.lines if line.criterion.code == code)


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def _send_value(plan, commune, user, month, percent):  # type: ignore[no-untyped-def]
    tv = target_value_save(
        target=target_of(plan, "1"),
        period=period_of(plan, month),
        unit=unit_of(commune, "Trung tâm Phục vụ hành chính công"),
        user=user,
        data=ValueInput(value=D(percent)),
    )
    return target_value_submit(target_value=tv, user=user, version=tv.version)


def test_a_target_criterion_scores_only_once_the_office_accepts_the_value(
    assessment, plan, commune, pvhcc_staff, office
):
    assert _line(assessment, "B1").self_score is None
    sent = _send_value(plan, commune, pvhcc_staff, 3, 80)
    line = _line(assessment, "B1")
    assert line.self_score is None  # pending review: not counted
    assert "chưa có giá trị được thẩm định" in line.figure_text
    target_value_review(
        target_value=sent, reviewer=office, decision=ReviewStatus.ACCEPTED, note="",
        version=sent.version,
    )  # fmt: skip
    line = _line(assessment, "B1")
    assert line.self_score == D(8)  # 80 % × 10
    assert "80 %" in line.figure_text
    assert line.system is not None and line.system.links[0].url.startswith("/targets/")


def test_a_rejected_later_value_leaves_the_accepted_figure_in_place(
    assessment, plan, commune, pvhcc_staff, office
):
    first = _send_value(plan, commune, pvhcc_staff, 3, 80)
    target_value_review(
        target_value=first, reviewer=office, decision=ReviewStatus.ACCEPTED, note="",
        version=first.version,
    )  # fmt: skip
    later = _send_value(plan, commune, pvhcc_staff, 4, 85)
    target_value_review(
        target_value=later, reviewer=office, decision=ReviewStatus.REJECTED,
        note="Số liệu chưa khớp báo cáo của Trung tâm", version=later.version,
    )  # fmt: skip
    assert _line(assessment, "B1").self_score == D(8)


def test_the_share_of_tasks_done_on_time_follows_the_review_of_a_completion(
    assessment, plan, commune, police, office
):
    # I.1.1 is the only dated leaf task due by 15/07: not done → 0 %, band "0: 0".
    line = _line(assessment, "B2")
    assert line.self_score == D(0)
    assert "0/1" in line.figure_text
    assert [link.label.split(":")[0] for link in line.system.links] == ["Nhiệm vụ I.1.1"]
    report = make_report(
        task_of(plan, "I.1.1"), unit_of(commune, "Công an phường"), police,
        month=6, status=TaskStatus.COMPLETED, percent=100,
    )  # fmt: skip
    evidence = document_evidence(user=police, report=report)
    mark_sent(report, when=_aware(dt.date(2026, 6, 20)))
    assert _line(assessment, "B2").self_score == D(0)  # evidence pending: not done yet
    evidence_review(
        evidence=evidence, reviewer=office, decision="accepted", note="", version=evidence.version
    )
    line = _line(assessment, "B2")
    assert line.self_score == D(10)  # 1/1 on time → 100 % → 10
    assert "1/1" in line.figure_text
    assert line.system.links == []


def test_the_share_of_reports_on_time_follows_the_reports_sent(assessment, plan, commune, police):
    before = _line(assessment, "B3").figure
    assert before.numerator == 0  # nothing sent yet: 0 of the reports due
    assert before.denominator and before.denominator > 0
    report = make_report(task_of(plan, "I.1.1"), unit_of(commune, "Công an phường"), police,
                         month=1, percent=20)  # fmt: skip
    mark_sent(report, when=_aware(period_of(plan, 1).due_on))
    after = _line(assessment, "B3").figure
    assert after.denominator == before.denominator
    assert after.numerator == before.numerator + 1


def test_a_criterion_can_name_a_catalogue_indicator_instead_of_the_targets_code(
    province, commune, plan, pvhcc_staff, office
):
    indicator = Indicator.objects.create(code="tthc-xu-ly-truc-tuyen", name="TTHC trực tuyến")
    target = target_of(plan, "1")
    target.indicator = indicator
    target.save()
    rows = [["A", "Kết quả", "A1", "TTHC trực tuyến", 10, "Có/Không", "", "", "Không",
             "target:tthc-xu-ly-truc-tuyen", ""]]  # fmt: skip
    assessment = assessment_of(make_scorecard(province, rows=rows), commune)
    sent = _send_value(plan, commune, pvhcc_staff, 3, 80)
    target_value_review(
        target_value=sent, reviewer=office, decision=ReviewStatus.ACCEPTED, note="",
        version=sent.version,
    )  # fmt: skip
    line = _line(assessment, "A1")
    assert line.figure.yes is False  # 80 % does not meet "≥ 90 %"
    assert line.self_score == D(0)


def test_without_an_active_plan_the_systems_criteria_say_so_and_score_nothing(
    province, other_commune
):
    assessment = assessment_of(make_scorecard(province), other_commune)
    line = _line(assessment, "B2")
    assert line.self_score is None
    assert "chưa có kế hoạch năm 2026" in line.figure_text
