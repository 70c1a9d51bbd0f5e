"""The API's plan import asks what the upload page asks: without confirm_checks, a plan that
would replace an active plan holding reports (or lacks its number, or names another commune)
is refused with the same sentences, and nothing is saved."""

from __future__ import annotations

import pytest

from theodoi.importer.models import PlanImport
from theodoi.plans.models import Plan, PlanStatus

from ..factories import make_plan_json, unit_of
from ..tracking_factories import make_active_plan, make_report, task_of
from .conftest import message_of

pytestmark = pytest.mark.django_db


def _old_plan_with_a_report(commune, police):
    old = make_active_plan(commune, make_plan_json(number="01/KH-UBND"))
    make_report(task_of(old, "I.1.1"), unit_of(commune, "Công an phường"), police)
    return old


def test_an_api_import_replacing_a_plan_with_reports_is_refused_without_the_flag(
    api_as, office, police, commune
):
    old = _old_plan_with_a_report(commune, police)
    response = api_as(office).post(
        f"/communes/{commune.public_id}/plans/import",
        {"plan_json": make_plan_json(), "unknown_units": "keep"},
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "confirmation_needed"
    assert any("1 báo cáo" in check for check in body["checks"])
    assert "confirm_checks" in message_of(response)
    old.refresh_from_db()
    assert old.status == PlanStatus.ACTIVE
    assert Plan.objects.count() == 1 and not PlanImport.objects.exists()


def test_an_api_import_with_the_flag_replaces_the_plan_and_leaves_its_reports(
    api_as, office, police, commune
):
    old = _old_plan_with_a_report(commune, police)
    response = api_as(office).post(
        f"/communes/{commune.public_id}/plans/import",
        {"plan_json": make_plan_json(), "unknown_units": "keep", "confirm_checks": True},
    )
    assert response.status_code == 201, response.content
    old.refresh_from_db()
    assert old.status == PlanStatus.REPLACED
    assert task_of(old, "I.1.1").reports.count() == 1


def test_an_api_import_without_a_number_is_refused_saying_so(api_as, office, commune):
    response = api_as(office).post(
        f"/communes/{commune.public_id}/plans/import",
        {"plan_json": make_plan_json(number=None), "unknown_units": "keep"},
    )
    assert response.status_code == 409
    assert "chưa có số, ký hiệu" in message_of(response)
