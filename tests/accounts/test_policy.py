"""The permission policy: separation of duties, the self-approval chain, and who may open a
unit's evidence. The whole role × action × object grid is ``test_permissions_matrix.py``."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from theodoi.accounts.models import Membership, Role
from theodoi.accounts.policy import RULES, Action, Relation, permits
from theodoi.accounts.roles import OFFICE, UNIT_ROLES
from theodoi.accounts.services import AccountError, membership_add
from theodoi.evidence.models import Evidence
from theodoi.evidence.services import evidence_add_document, evidence_add_file
from theodoi.plans.models import AssignmentRole, TaskAssignment
from theodoi.tracking.models import ReportState, ReviewStatus, TaskStatus
from theodoi.tracking.services import (
    ReportInput,
    TrackingError,
    report_confirm,
    report_save,
    report_submit,
)
from theodoi.tracking.status import task_states

from ..api.conftest import ApiClient, token_for
from ..evidence.factories import pdf_bytes, staff_of
from ..factories import PASSWORD, make_user, unit_of
from ..tracking_factories import make_active_plan, make_report, period_of, task_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    return make_active_plan(commune)


@pytest.fixture
def admin(commune):  # type: ignore[no-untyped-def]
    return make_user("quantri", role=Role.COMMUNE_ADMIN, commune=commune)


def _as_unit_head_and_staff(user: User, unit) -> None:  # type: ignore[no-untyped-def]
    # Held as the chain in issue 13 held them: granted before the membership rule existed (or
    # through the admin site). Separation of duties must stop the chain whatever the roles.
    for role in (Role.UNIT_STAFF, Role.UNIT_HEAD):
        Membership.objects.create(user=user, role=role, commune=unit.commune, unit=unit)


def _completed_with_a_document(plan, user: User, unit) -> Evidence:  # type: ignore[no-untyped-def]
    report = report_save(
        task=task_of(plan, "I.1.1"), period=period_of(plan, 3), unit=unit, user=user,
        data=ReportInput(status=TaskStatus.COMPLETED, percent=100),
    )  # fmt: skip
    evidence = evidence_add_document(
        report=report, unit=unit, user=user, reference="12/BC-CA - 20/03/2026: V/v số hóa hộ tịch"
    )
    report_submit(report=report, user=user, version=report.version)
    return evidence


def _counts_as_done(plan) -> bool:  # type: ignore[no-untyped-def]
    task = task_of(plan, "I.1.1")
    return task_states([task], today=dt.date(2026, 4, 1))[task.pk].done


# --- the self-approval chain of issue 13 -------------------------------------------------------


def test_a_commune_admin_cannot_give_themselves_a_unit_role(commune, admin):
    with pytest.raises(AccountError, match="không đồng thời giữ vai trò của đơn vị"):
        membership_add(
            actor=admin, user=admin, role=Role.UNIT_STAFF, commune=commune,
            unit=unit_of(commune, "Công an phường"),
        )  # fmt: skip
    assert not admin.memberships.filter(role__in=UNIT_ROLES).exists()


def test_a_unit_member_cannot_be_made_commune_admin(commune, admin, police):
    with pytest.raises(AccountError, match="không đồng thời"):
        membership_add(actor=admin, user=police, role=Role.COMMUNE_ADMIN, commune=commune)


def test_the_admin_accepting_their_own_evidence_on_the_web_is_refused(plan, commune, admin):
    police_unit = unit_of(commune, "Công an phường")
    _as_unit_head_and_staff(admin, police_unit)
    evidence = _completed_with_a_document(plan, admin, police_unit)
    client = Client()
    client.login(username="quantri", password=PASSWORD)

    response = client.post(
        f"/evidence/{evidence.public_id}/review/", {"decision": "accepted"}, follow=True
    )

    assert "Không ai tự thẩm định công việc của mình" in response.content.decode()
    evidence.refresh_from_db()
    assert evidence.review == ReviewStatus.PENDING
    assert not _counts_as_done(plan)


def test_the_admin_accepting_their_own_evidence_through_the_api_is_refused(plan, commune, admin):
    police_unit = unit_of(commune, "Công an phường")
    _as_unit_head_and_staff(admin, police_unit)
    api = ApiClient(token_for(admin))
    task, period = task_of(plan, "I.1.1"), period_of(plan, 3)
    saved = api.put(
        f"/tasks/{task.public_id}/reports/{period.public_id}",
        {"status": "completed", "percent": 100},
    )
    assert saved.status_code == 200, saved.content
    report_id = saved.json()["id"]
    added = api.post(
        f"/reports/{report_id}/evidence/document",
        {"reference": "12/BC-CA - 20/03/2026: V/v số hóa hộ tịch"},
    )
    assert added.status_code in (200, 201), added.content
    sent = api.post(f"/reports/{report_id}/submit", {"version": saved.json()["version"]})
    assert sent.status_code == 200, sent.content
    assert sent.json()["state"] == ReportState.SENT

    reviewed = api.post(
        f"/evidence/{added.json()['id']}/review",
        {"decision": "accepted", "version": added.json()["version"]},
    )

    assert reviewed.status_code in (400, 403), reviewed.content
    assert "Không ai tự thẩm định" in reviewed.json()["message"]
    assert Evidence.objects.get(public_id=added.json()["id"]).review == ReviewStatus.PENDING
    assert not _counts_as_done(plan)


def test_another_office_member_may_accept_the_same_evidence(plan, commune, admin, office):
    police_unit = unit_of(commune, "Công an phường")
    _as_unit_head_and_staff(admin, police_unit)
    evidence = _completed_with_a_document(plan, admin, police_unit)

    response = ApiClient(token_for(office)).post(
        f"/evidence/{evidence.public_id}/review",
        {"decision": "accepted", "version": evidence.version},
    )

    assert response.status_code == 200, response.content
    assert _counts_as_done(plan)


def test_a_head_cannot_confirm_a_report_they_wrote(plan, commune):
    police_unit = unit_of(commune, "Công an phường")
    head = make_user("truongca", role=Role.UNIT_HEAD, commune=commune, unit=police_unit)
    Membership.objects.create(user=head, role=Role.UNIT_STAFF, commune=commune, unit=police_unit)
    plan.requires_head_confirmation = True
    plan.save()
    report = make_report(task_of(plan, "I.1.1"), police_unit, head)
    report.state = ReportState.AWAITING_HEAD
    report.save()

    with pytest.raises(TrackingError, match="Không ai tự xác nhận báo cáo của mình"):
        report_confirm(report=report, head=head, version=report.version)


def test_the_office_cannot_accept_a_value_it_entered(plan, commune, office):
    from theodoi.tracking.services import (
        ValueInput,
        target_value_review,
        target_value_save,
        target_value_submit,
    )

    from ..tracking_factories import target_of

    pvhcc = unit_of(commune, "Trung tâm Phục vụ hành chính công")
    Membership.objects.create(user=office, role=Role.UNIT_STAFF, commune=commune, unit=pvhcc)
    value = target_value_save(
        target=target_of(plan, "1"), period=period_of(plan, 3), unit=pvhcc, user=office,
        data=ValueInput(value=Decimal(70)),
    )  # fmt: skip
    value = target_value_submit(target_value=value, user=office, version=value.version)
    with pytest.raises(TrackingError, match="Không ai tự thẩm định"):
        target_value_review(
            target_value=value, reviewer=office, decision=ReviewStatus.REJECTED, note="Thiếu",
            version=value.version,
        )  # fmt: skip


# --- who may open a unit's evidence -----------------------------------------------------------


@pytest.fixture
def police_evidence(plan, commune, police):  # type: ignore[no-untyped-def]
    task = task_of(plan, "I.1.1")
    TaskAssignment.objects.create(
        task=task,
        unit=unit_of(commune, "Trung tâm Phục vụ hành chính công"),
        role=AssignmentRole.SUPPORT,
    )
    report = make_report(task, unit_of(commune, "Công an phường"), police)
    data = pdf_bytes()
    return evidence_add_file(
        report=report, unit=report.unit, user=police, filename="bien-ban.pdf",
        fileobj=io.BytesIO(data), size=len(data),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("office", 200),
        ("leader", 200),
        ("supervisor", 200),
        ("lead unit", 200),
        ("support unit", 200),
        ("other unit", 404),
        ("province officer", 404),
        ("other commune", 404),
    ],
)
def test_evidence_opens_for_the_office_leaders_supervisor_and_units_on_the_task(
    commune, other_office, province_officer, office, leader, police, police_evidence, who, status
):
    cast = {
        "office": office,
        "leader": leader,
        "supervisor": make_user("mttq", role=Role.SUPERVISOR, commune=commune),
        "lead unit": police,
        "support unit": staff_of(commune, "Trung tâm Phục vụ hành chính công", "ttpvhcc"),
        "other unit": staff_of(commune, "Phòng Kinh tế, Hạ tầng và Đô thị", "kinhte"),
        "province officer": province_officer,
        "other commune": other_office,
    }
    client = Client()
    client.force_login(cast[who])
    web = client.get(f"/evidence/{police_evidence.public_id}/download/")
    api = ApiClient(token_for(cast[who])).get(f"/evidence/{police_evidence.public_id}/download")
    assert (web.status_code, api.status_code) == (status, status)


# --- the table itself -------------------------------------------------------------------------


def test_every_action_has_a_rule():
    assert set(RULES) == set(Action)


def test_no_role_outside_a_unit_acts_as_a_unit():
    for action, rule in RULES.items():
        for role in set(Role) - UNIT_ROLES:
            if role not in rule.anywhere:
                assert not permits(action, {role}, Relation.OWN), (action, role)


def test_the_office_reviews_but_never_reports():
    assert permits(Action.REVIEW_EVIDENCE, OFFICE)
    assert not permits(Action.REPORT, OFFICE, Relation.LEAD)
    assert permits(Action.REPORT, {Role.UNIT_STAFF}, Relation.SUPPORT)
    assert not permits(Action.REPORT, {Role.UNIT_STAFF}, Relation.OTHER)
