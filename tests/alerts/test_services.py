"""Acknowledging warnings, whose warnings a person sees, reminding units."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from theodoi.accounts.models import Role
from theodoi.alerts.models import Notification, WarningAck
from theodoi.alerts.rules import Kind
from theodoi.alerts.services import (
    AlertError,
    remind_units,
    warning_acknowledge,
    warnings_for_user,
)
from theodoi.audit.models import AuditEntry
from theodoi.tracking.models import ReviewStatus

from ..factories import make_user, unit_of
from ..tracking.helpers import document_evidence, mark_sent
from ..tracking_factories import make_active_plan, make_report, period_of, task_of

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 7, 10)  # I.1.1 (Công an) is overdue; Jan–Jun reports are missing


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    plan = make_active_plan(commune)
    plan.activated_at = timezone.make_aware(dt.datetime(2025, 12, 20))
    plan.save()
    return plan


@pytest.fixture
def police_unit(commune):  # type: ignore[no-untyped-def]
    return unit_of(commune, "Công an phường")


def _overdue_key(plan):  # type: ignore[no-untyped-def]
    return f"{Kind.OVERDUE}:{task_of(plan, 'I.1.1').public_id}"


def _keys(user, commune):  # type: ignore[no-untyped-def]
    return {w.key for w, _ack in warnings_for_user(user, commune, DAY)}


# -- acknowledging ---------------------------------------------------------------------------


def test_acknowledging_a_warning_is_recorded_once_with_an_audit_entry(plan, commune, office):
    first = warning_acknowledge(
        commune=commune, key=_overdue_key(plan), user=office, note="Đã nhắc Công an", today=DAY
    )
    again = warning_acknowledge(commune=commune, key=_overdue_key(plan), user=office, today=DAY)
    assert again.pk == first.pk
    assert WarningAck.objects.count() == 1
    entries = AuditEntry.objects.filter(action="warning.acknowledge")
    assert entries.count() == 1
    assert entries.get().task == task_of(plan, "I.1.1")
    assert "quá hạn" in entries.get().summary


def test_the_acknowledgement_shows_next_to_its_warning(plan, commune, office, leader):
    warning_acknowledge(commune=commune, key=_overdue_key(plan), user=office, today=DAY)
    acks = {w.key: ack for w, ack in warnings_for_user(leader, commune, DAY)}
    assert acks[_overdue_key(plan)].user == office
    assert all(ack is None for key, ack in acks.items() if key != _overdue_key(plan))


def test_a_unit_acknowledges_its_own_warning_but_not_another_units(plan, commune, police):
    warning_acknowledge(commune=commune, key=_overdue_key(plan), user=police, today=DAY)
    recurring = task_of(plan, "I.1.2")  # Phòng Văn hóa - Xã hội's
    other_key = f"{Kind.REPORT_MISSING}:{recurring.public_id}:{period_of(plan, 1).public_id}"
    office_unit = unit_of(commune, "Phòng Văn hóa - Xã hội")
    with pytest.raises(AlertError):
        warning_acknowledge(
            commune=commune, key=f"{other_key}:{office_unit.pk}", user=police, today=DAY
        )
    assert WarningAck.objects.count() == 1


def test_another_communes_user_cannot_acknowledge(plan, commune, other_office):
    with pytest.raises(AlertError) as refused:
        warning_acknowledge(commune=commune, key=_overdue_key(plan), user=other_office, today=DAY)
    assert "xã/phường" in refused.value.message
    assert not WarningAck.objects.exists()


def test_a_warning_that_no_longer_exists_cannot_be_acknowledged(plan, commune, office):
    with pytest.raises(AlertError):
        warning_acknowledge(
            commune=commune, key=_overdue_key(plan), user=office, today=dt.date(2026, 5, 1)
        )


# -- whose warnings ------------------------------------------------------------------------


def test_a_unit_sees_only_the_warnings_of_its_units(plan, commune, police, police_unit):
    pairs = warnings_for_user(police, commune, DAY)
    assert pairs
    assert all(police_unit.pk in w.unit_ids for w, _ack in pairs)
    assert _overdue_key(plan) in {w.key for w, _ack in pairs}


def test_the_office_leaders_and_supervisors_see_all_of_the_communes_warnings(
    plan, commune, office, leader, police
):
    supervisor = make_user("mttq", role=Role.SUPERVISOR, commune=commune)
    everything = _keys(office, commune)
    assert _keys(police, commune) < everything
    assert _keys(leader, commune) == everything
    assert _keys(supervisor, commune) == everything
    kinds = {w.kind for w, _ack in warnings_for_user(office, commune, DAY)}
    assert {Kind.OVERDUE, Kind.REPORT_MISSING} <= kinds


def test_another_communes_user_sees_none_of_its_warnings(plan, commune, other_office):
    assert warnings_for_user(other_office, commune, DAY) == []


def test_a_retired_plan_raises_no_warnings(plan, commune, office):
    plan.status = "archived"
    plan.save()
    assert warnings_for_user(office, commune, DAY) == []


# -- reminding units -------------------------------------------------------------------------


def test_reminding_tells_each_member_which_tasks_lack_a_report(
    plan, commune, office, police, police_unit
):
    police.email = "congan@hoaphong.gov.vn"
    police.save()
    head = make_user("truongcongan", role=Role.UNIT_HEAD, commune=commune, unit=police_unit)
    told = remind_units(plan=plan, period=period_of(plan, 3), units=[police_unit], actor=office)
    assert told == 2
    texts = list(
        Notification.objects.filter(user__in=[police, head]).values_list("text", flat=True)
    )
    assert len(texts) == 2
    assert all("Tháng 3/2026" in t and "I.1.1" in t for t in texts)
    assert [m.to for m in mail.outbox] == [["congan@hoaphong.gov.vn"]]
    assert "Tháng 3/2026" in mail.outbox[0].subject
    assert "Số hóa hồ sơ lĩnh vực hộ tịch" in mail.outbox[0].body
    assert "http://127.0.0.1:8000/tasks/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="period.remind").count() == 1


def test_a_unit_that_has_reported_is_not_reminded(plan, office, police, police_unit):
    mark_sent(make_report(task_of(plan, "I.1.1"), police_unit, police, month=3))
    told = remind_units(plan=plan, period=period_of(plan, 3), units=[police_unit], actor=office)
    assert told == 0
    assert not Notification.objects.filter(user=police).exists()


def test_a_task_completed_before_the_period_is_not_reminded(plan, office, police, police_unit):
    report = make_report(
        task_of(plan, "I.1.1"), police_unit, police, month=1, status="completed", percent=100
    )
    document_evidence(user=police, report=report, review=ReviewStatus.ACCEPTED)
    mark_sent(report, when=timezone.make_aware(dt.datetime(2026, 1, 31, 9)))
    told = remind_units(plan=plan, period=period_of(plan, 3), units=[police_unit], actor=office)
    assert told == 0


def test_only_the_office_or_a_leader_may_remind(plan, police, police_unit):
    with pytest.raises(AlertError):
        remind_units(plan=plan, period=period_of(plan, 3), units=[police_unit], actor=police)
    assert not Notification.objects.exists()


def test_a_unit_of_another_commune_cannot_be_reminded(plan, office, other_commune):
    stranger = unit_of(other_commune, "Công an xã")
    with pytest.raises(AlertError):
        remind_units(plan=plan, period=period_of(plan, 3), units=[stranger], actor=office)
