from __future__ import annotations

from decimal import Decimal

import pytest

from theodoi.accounts.models import Role
from theodoi.audit.models import AuditEntry
from theodoi.tracking.models import ReportState, ReviewStatus
from theodoi.tracking.services import (
    ReportInput,
    StaleEdit,
    TrackingError,
    ValueInput,
    direction_acknowledge,
    direction_add,
    report_confirm,
    report_save,
    report_submit,
    target_value_review,
    target_value_save,
    target_value_submit,
)

from ..factories import make_plan_json, make_user, unit_of
from ..tracking_factories import make_active_plan, make_report, period_of, target_of, task_of
from .helpers import document_evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    return make_active_plan(commune)


@pytest.fixture
def police_unit(commune):  # type: ignore[no-untyped-def]
    return unit_of(commune, "Công an phường")


@pytest.fixture
def police_head(commune, police_unit):  # type: ignore[no-untyped-def]
    return make_user("truong-ca", role=Role.UNIT_HEAD, commune=commune, unit=police_unit)


def test_a_unit_cannot_report_on_a_task_it_is_not_assigned(plan, police, police_unit):
    with pytest.raises(TrackingError, match="không chủ trì hay phối hợp"):
        make_report(task_of(plan, "I.1.2"), police_unit, police)


def test_a_general_task_is_reported_through_its_sub_tasks(plan, commune, office):
    pvhcc = unit_of(commune, "Trung tâm Phục vụ hành chính công")
    with pytest.raises(TrackingError, match="nhiệm vụ con"):
        make_report(task_of(plan, "I.1"), pvhcc, office)


@pytest.mark.parametrize(
    ("status", "percent", "reason", "message"),
    [
        ("completed", 80, "", "phải là 100%"),
        ("paused", 30, "", "lý do tạm dừng"),
        ("in_progress", 120, "", "từ 0 đến 100"),
    ],
)
def test_inconsistent_reports_are_refused(
    plan, police, police_unit, status, percent, reason, message
):
    with pytest.raises(TrackingError, match=message):
        report_save(
            task=task_of(plan, "I.1.1"), period=period_of(plan, 3), unit=police_unit, user=police,
            data=ReportInput(status=status, percent=percent, pause_reason=reason),
        )  # fmt: skip


def test_completion_without_evidence_cannot_be_sent(plan, police, police_unit):
    report = make_report(
        task_of(plan, "I.1.1"), police_unit, police, status="completed", percent=100
    )
    with pytest.raises(TrackingError, match="ít nhất một minh chứng"):
        report_submit(report=report, user=police, version=report.version)
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT


def test_staff_reports_wait_for_the_unit_head_who_sends_them_on(
    plan, police, police_unit, police_head
):
    report = make_report(task_of(plan, "I.1.1"), police_unit, police)
    report = report_submit(report=report, user=police, version=report.version)
    assert report.state == ReportState.AWAITING_HEAD
    report = report_confirm(report=report, head=police_head, version=report.version)
    assert report.state == ReportState.SENT
    assert report.confirmed_by == police_head


def test_a_staff_member_cannot_confirm_their_own_report(plan, police, police_unit):
    report = make_report(task_of(plan, "I.1.1"), police_unit, police)
    report = report_submit(report=report, user=police, version=report.version)
    with pytest.raises(TrackingError, match="lãnh đạo đơn vị"):
        report_confirm(report=report, head=police, version=report.version)


def test_without_head_confirmation_a_report_goes_straight_to_the_office(plan, police, police_unit):
    plan.requires_head_confirmation = False
    plan.save()
    report = make_report(task_of(plan, "I.1.1"), police_unit, police)
    report = report_submit(report=report, user=police, version=report.version)
    assert report.state == ReportState.SENT


def test_a_save_from_an_outdated_screen_is_refused(plan, police, police_unit):
    report = make_report(task_of(plan, "I.1.1"), police_unit, police, done="Bản đầu")
    first_version = report.version
    make_report(task_of(plan, "I.1.1"), police_unit, police, done="Bản thứ hai")
    with pytest.raises(StaleEdit):
        report_save(
            task=report.task, period=report.period, unit=police_unit, user=police,
            data=ReportInput(status="in_progress", percent=50, done="Bản cũ"),
            version=first_version,
        )  # fmt: skip
    report.refresh_from_db()
    assert report.done == "Bản thứ hai"


def test_a_sent_report_cannot_be_rewritten(plan, police, police_unit):
    plan.requires_head_confirmation = False
    plan.save()
    report = make_report(task_of(plan, "I.1.1"), police_unit, police)
    report_submit(report=report, user=police, version=report.version)
    with pytest.raises(TrackingError, match="đã gửi"):
        make_report(task_of(plan, "I.1.1"), police_unit, police, percent=90)


def test_a_supporting_units_report_is_a_contribution(commune, office):
    plan_json = make_plan_json(number="46/KH-UBND")
    plan_json["tasks"][1]["support"] = ["Phòng Văn hóa - Xã hội"]
    plan = make_active_plan(commune, plan_json)
    standing = unit_of(commune, "Phòng Văn hóa - Xã hội")
    report = make_report(task_of(plan, "I.1.1"), standing, office)
    assert report.is_contribution is True


def test_every_change_leaves_an_entry_that_cannot_be_altered(plan, police, police_unit):
    report = make_report(task_of(plan, "I.1.1"), police_unit, police, done="Đã số hóa 40%")
    entry = AuditEntry.objects.about_task(report.task_id).get()
    assert entry.actor == police
    assert entry.after["done"] == "Đã số hóa 40%"
    entry.summary = "sửa lén"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()


def test_a_rate_given_as_numerator_and_denominator_is_stored_as_a_percentage(plan, commune, office):
    pvhcc = unit_of(commune, "Trung tâm Phục vụ hành chính công")
    value = target_value_save(
        target=target_of(plan, "1"), period=period_of(plan, 3), unit=pvhcc, user=office,
        data=ValueInput(numerator=Decimal(1245), denominator=Decimal(1482), source="Hệ thống"),
    )  # fmt: skip
    assert value.value == Decimal("84.01")


def test_a_value_that_meets_the_target_needs_evidence_to_be_sent(plan, commune, office):
    pvhcc = unit_of(commune, "Trung tâm Phục vụ hành chính công")
    value = target_value_save(
        target=target_of(plan, "1"), period=period_of(plan, 3), unit=pvhcc, user=office,
        data=ValueInput(value=Decimal(95)),
    )  # fmt: skip
    with pytest.raises(TrackingError, match="minh chứng"):
        target_value_submit(target_value=value, user=office, version=value.version)
    document_evidence(user=office, target_value=value)
    value = target_value_submit(target_value=value, user=office, version=value.version)
    assert value.state == ReportState.SENT


def test_a_value_below_the_target_may_be_sent_without_evidence(plan, commune, office):
    pvhcc = unit_of(commune, "Trung tâm Phục vụ hành chính công")
    value = target_value_save(
        target=target_of(plan, "1"), period=period_of(plan, 3), unit=pvhcc, user=office,
        data=ValueInput(value=Decimal(70)),
    )  # fmt: skip
    value = target_value_submit(target_value=value, user=office, version=value.version)
    assert value.state == ReportState.SENT


def test_rejecting_a_value_needs_a_reason_and_returns_it_to_the_unit(plan, commune, office):
    pvhcc = unit_of(commune, "Trung tâm Phục vụ hành chính công")
    centre = make_user("ttpvhcc", role=Role.UNIT_STAFF, commune=commune, unit=pvhcc)
    value = target_value_save(
        target=target_of(plan, "1"), period=period_of(plan, 3), unit=pvhcc, user=centre,
        data=ValueInput(value=Decimal(70)),
    )  # fmt: skip
    value = target_value_submit(target_value=value, user=centre, version=value.version)
    with pytest.raises(TrackingError, match="lý do"):
        target_value_review(
            target_value=value, reviewer=office, decision=ReviewStatus.REJECTED, note="",
            version=value.version,
        )  # fmt: skip
    value = target_value_review(
        target_value=value, reviewer=office, decision=ReviewStatus.REJECTED,
        note="Số liệu chưa khớp hệ thống", version=value.version,
    )  # fmt: skip
    assert (value.state, value.review) == (ReportState.DRAFT, ReviewStatus.REJECTED)


def test_a_meeting_value_is_accepted_only_with_accepted_evidence(plan, commune, office):
    pvhcc = unit_of(commune, "Trung tâm Phục vụ hành chính công")
    centre = make_user("ttpvhcc", role=Role.UNIT_STAFF, commune=commune, unit=pvhcc)
    value = target_value_save(
        target=target_of(plan, "1"), period=period_of(plan, 3), unit=pvhcc, user=centre,
        data=ValueInput(value=Decimal(95)),
    )  # fmt: skip
    evidence = document_evidence(user=centre, target_value=value)
    value = target_value_submit(target_value=value, user=centre, version=value.version)
    with pytest.raises(TrackingError, match="minh chứng đạt"):
        target_value_review(
            target_value=value, reviewer=office, decision=ReviewStatus.ACCEPTED, note="",
            version=value.version,
        )  # fmt: skip
    evidence.review = ReviewStatus.ACCEPTED
    evidence.save()
    value = target_value_review(
        target_value=value, reviewer=office, decision=ReviewStatus.ACCEPTED, note="",
        version=value.version,
    )  # fmt: skip
    assert value.review == ReviewStatus.ACCEPTED


def test_only_leaders_give_directions_and_only_the_lead_unit_acknowledges(plan, leader, police):
    with pytest.raises(TrackingError, match="lãnh đạo"):
        direction_add(task=task_of(plan, "I.1.1"), author=police, text="Tự chỉ đạo")
    direction = direction_add(task=task_of(plan, "I.1.2"), author=leader, text="Làm ngay")
    with pytest.raises(TrackingError, match="đơn vị chủ trì"):
        direction_acknowledge(direction=direction, user=police)


def test_a_direction_is_acknowledged_once(plan, leader, police):
    direction = direction_add(task=task_of(plan, "I.1.1"), author=leader, text="Đẩy nhanh tiến độ")
    direction = direction_acknowledge(direction=direction, user=police)
    first = direction.acknowledged_at
    direction = direction_acknowledge(direction=direction, user=police)
    assert direction.acknowledged_at == first
    assert AuditEntry.objects.about_task(direction.task_id).count() == 2
