"""Plans over the API: lists, one plan, Plan JSON export and import, warnings, figures."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.utils import timezone

from theodoi.accounts.models import Role
from theodoi.alerts.rules import plan_warnings
from theodoi.api.plan_json import plan_export_json
from theodoi.importer.models import PlanImport
from theodoi.plans.models import Plan, PlanStatus
from theodoi.reports.data import build_report, figures
from theodoi.reports.ranges import ReportKind, plan_range
from theodoi.units.models import UnitAlias

from ..factories import make_plan_json, make_user, unit_of
from ..tracking_factories import make_active_plan
from .conftest import message_of

pytestmark = pytest.mark.django_db


def comparable(plan_json: dict[str, Any]) -> dict[str, Any]:
    """What a round trip must keep: the targets and the tasks (not the file's warnings)."""
    return {"plan": plan_json["plan"], "targets": plan_json["targets"], "tasks": plan_json["tasks"]}


# --- reading -------------------------------------------------------------------------------


def test_a_user_lists_the_communes_they_may_read(api_as, office, police, other_commune, commune):
    body = api_as(office).get("/communes").json()
    assert [c["id"] for c in body["items"]] == [str(commune.public_id)]
    assert body["items"][0]["can_manage_plans"] is True
    assert api_as(police).get("/communes").json()["items"][0]["can_manage_plans"] is False


def test_the_plan_list_holds_only_the_users_communes_plans(api_as, office, plan, other_plan):
    items = api_as(office).get("/plans").json()["items"]
    assert [p["id"] for p in items] == [str(plan.public_id)]
    assert items[0]["status"] == "active" and items[0]["status_label"] == "Đang thực hiện"


def test_a_province_officer_lists_every_communes_plans(api_as, province_officer, plan, other_plan):
    items = api_as(province_officer).get("/plans").json()["items"]
    assert {p["id"] for p in items} == {str(plan.public_id), str(other_plan.public_id)}


def test_the_plan_list_filters_by_commune_year_and_status(api_as, province_officer, plan, commune):
    api = api_as(province_officer)
    assert len(api.get("/plans", commune=str(commune.public_id)).json()["items"]) == 1
    assert api.get("/plans", year=2025).json()["items"] == []
    assert api.get("/plans", status="replaced").json()["items"] == []


def test_one_plan_reads_with_its_counts(api_as, leader, plan):
    body = api_as(leader).get(f"/plans/{plan.public_id}").json()
    assert body["number"] == "45/KH-UBND"
    assert body["targets_count"] == 2 and body["tasks_count"] == 3
    assert body["commune"]["name"] == "Hòa Phong"


@pytest.mark.parametrize(
    "suffix", ["", "/export", "/tasks", "/targets", "/periods", "/warnings", "/dashboard"]
)
def test_another_communes_plan_is_a_404_everywhere(api_as, other_office, plan, suffix):
    response = api_as(other_office).get(f"/plans/{plan.public_id}{suffix}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "Không tìm thấy" in message_of(response)


@pytest.mark.parametrize(
    "role", [Role.COMMUNE_ADMIN, Role.STANDING_OFFICE, Role.LEADER, Role.UNIT_HEAD,
             Role.UNIT_STAFF, Role.SUPERVISOR],
)  # fmt: skip
@pytest.mark.parametrize(
    "suffix", ["", "/export", "/tasks", "/targets", "/periods", "/warnings", "/dashboard"]
)
def test_every_role_of_the_commune_reads_its_plan(api_as, commune, plan, role, suffix):
    unit = unit_of(commune, "Công an phường") if role in (Role.UNIT_HEAD, Role.UNIT_STAFF) else None
    user = make_user(f"u-{role}", role=role, commune=commune, unit=unit)
    assert api_as(user).get(f"/plans/{plan.public_id}{suffix}").status_code == 200


def test_a_malformed_plan_id_is_a_422_in_vietnamese(api_as, office):
    response = api_as(office).get("/plans/khong-phai-uuid")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"][0]["field"] == "path.plan_id"
    assert body["errors"][0]["message"] == "Phải là một mã UUID."


# --- tasks, targets, warnings, figures -----------------------------------------------------


def test_the_plans_tasks_come_with_their_derived_states(api_as, police, plan):
    items = api_as(police).get(f"/plans/{plan.public_id}/tasks").json()["items"]
    assert [t["code"] for t in items] == ["I.1", "I.1.1", "I.1.2"]
    first, child = items[0], items[1]
    assert child["parent_id"] == first["id"]
    assert child["lead"][0]["name"] == "Công an phường"
    assert child["lead_other"] == [] and child["support_other"] == ["Tổ dân phố số 5"]
    # Due 30/06/2026, nothing reported, today is later: late and not started.
    assert child["state"]["status"] == "not_started"
    assert child["state"]["percent"] == 0
    assert set(child["state"]) >= {"label", "late", "done", "completion"}


def test_the_plans_targets_come_with_their_counted_results(api_as, leader, plan):
    items = api_as(leader).get(f"/plans/{plan.public_id}/targets").json()["items"]
    assert [t["code"] for t in items] == ["1", "2"]
    assert items[0]["value"] == "90" and items[0]["comparator"] == ">="
    assert items[0]["upper_level"]["value"] == "85"
    assert items[0]["state"] == {
        "value": None, "met": False, "accepted_value_id": None, "pending_value_id": None,
    }  # fmt: skip


def test_the_warnings_are_the_plans_warnings(api_as, leader, plan):
    body = api_as(leader).get(f"/plans/{plan.public_id}/warnings").json()
    expected = plan_warnings(plan, today=timezone.localdate())
    assert [w["key"] for w in body["items"]] == [w.key for w in expected]
    assert body["items"][0]["reason"] and body["items"][0]["kind_label"]


def test_the_dashboard_figures_add_up(api_as, leader, plan):
    body = api_as(leader).get(f"/plans/{plan.public_id}/dashboard").json()
    tasks = body["tasks"]
    # Leaf tasks only: I.1 speaks through I.1.1 and I.1.2.
    assert tasks["total"] == 2
    assert sum(row["count"] for row in tasks["by_status"]) == 2
    assert body["targets"]["total"] == 2 and body["targets"]["met"] == 0
    warnings = plan_warnings(plan, today=timezone.localdate())
    assert body["warnings"]["total"] == len(warnings)
    by_kind = {row["kind"]: row["count"] for row in body["warnings"]["by_kind"]}
    for warning in warnings:
        assert by_kind[warning.kind] >= 1


# --- export and import ---------------------------------------------------------------------


def test_the_export_is_plan_json(api_as, leader, plan):
    body = api_as(leader).get(f"/plans/{plan.public_id}/export").json()
    assert body["schema"] == "theodoi.plan/1"
    assert body["plan"]["number"] == "45/KH-UBND"
    assert body["targets"][0]["value"] == 90
    assert body["tasks"][1]["parent"] == "I.1"
    assert body["tasks"][1]["lead"] == ["Công an phường"]
    assert body["tasks"][1]["support"] == ["Tổ dân phố số 5"]


def test_a_plan_exported_then_imported_has_the_same_targets_and_tasks(api_as, office, commune):
    api = api_as(office)
    url = f"/communes/{commune.public_id}/plans/import"
    first = api.post(url, {"plan_json": make_plan_json(), "unknown_units": "keep"})
    assert first.status_code == 201, first.content
    original = Plan.objects.get(public_id=first.json()["id"])
    exported = api.get(f"/plans/{original.public_id}/export").json()

    response = api.post(url, {"plan_json": exported, "unknown_units": "keep"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kept_as_written"] == ["Tổ dân phố số 5"]
    assert body["replaces"] == [str(original.public_id)]  # same commune and year
    created = Plan.objects.get(public_id=body["id"])
    assert created.status == PlanStatus.ACTIVE
    original.refresh_from_db()
    assert original.status == PlanStatus.REPLACED

    again = api.get(f"/plans/{created.public_id}/export").json()
    assert comparable(again) == comparable(exported)
    assert [t["lead"] for t in again["tasks"]] == [
        ["Trung tâm Phục vụ hành chính công"],
        ["Công an phường"],
        ["Phòng Văn hóa - Xã hội"],
    ]
    # Through the importer's own path: a confirmed preview records where the plan came from.
    assert PlanImport.objects.get(plan=created).status == "confirmed"


def test_the_five_clear_check_is_derived_on_import_not_taken_from_the_caller(
    api_as, office, commune
):
    data = make_plan_json()
    data["tasks"][1]["missing"] = ["name", "lead", "output", "deadline"]
    data["tasks"][2]["output"] = None
    response = api_as(office).post(
        f"/communes/{commune.public_id}/plans/import", {"plan_json": data, "unknown_units": "keep"}
    )
    plan = Plan.objects.get(public_id=response.json()["id"])
    assert plan.tasks.get(code="I.1.1").missing == []
    assert plan.tasks.get(code="I.1.2").missing == ["output"]
    assert plan.tasks.get(code="I.1").missing == ["output"]  # a parent lacks what its children lack


def test_an_import_with_an_unknown_unit_is_refused_and_nothing_is_saved(api_as, office, commune):
    response = api_as(office).post(
        f"/communes/{commune.public_id}/plans/import", {"plan_json": make_plan_json()}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unknown_units"
    assert body["unknown_units"] == ["Tổ dân phố số 5"]
    assert "Tổ dân phố số 5" in message_of(response)
    assert not Plan.objects.exists() and not PlanImport.objects.exists()


def test_an_unknown_unit_mapped_to_a_unit_is_assigned_and_remembered(api_as, office, commune):
    police_unit = unit_of(commune, "Công an phường")
    response = api_as(office).post(
        f"/communes/{commune.public_id}/plans/import",
        {
            "plan_json": make_plan_json(),
            "unit_map": {"Tổ dân phố số 5": str(police_unit.public_id)},
        },
    )
    assert response.status_code == 201, response.content
    plan = Plan.objects.get(public_id=response.json()["id"])
    task = plan.tasks.get(code="I.1.1")
    assert task.support_other == []
    assert UnitAlias.objects.filter(commune=commune, spelling="Tổ dân phố số 5").exists()


def test_a_unit_of_another_commune_cannot_be_mapped(api_as, office, commune, other_commune):
    theirs = unit_of(other_commune, "Công an xã")
    response = api_as(office).post(
        f"/communes/{commune.public_id}/plans/import",
        {"plan_json": make_plan_json(), "unit_map": {"Tổ dân phố số 5": str(theirs.public_id)}},
    )
    assert response.status_code == 400
    assert "không thuộc xã/phường này" in message_of(response)


def test_a_unit_user_may_not_import_a_plan(api_as, police, commune):
    response = api_as(police).post(
        f"/communes/{commune.public_id}/plans/import",
        {"plan_json": make_plan_json(), "unknown_units": "keep"},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not Plan.objects.exists()


def test_another_communes_office_cannot_import_into_this_commune(api_as, other_office, commune):
    response = api_as(other_office).post(
        f"/communes/{commune.public_id}/plans/import",
        {"plan_json": make_plan_json(), "unknown_units": "keep"},
    )
    assert response.status_code == 404


def _broken(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(make_plan_json())
    for path, value in changes.items():
        section, index, field = path.split("__")
        data[section][int(index)][field] = value
    return data


@pytest.mark.parametrize(
    ("plan_json", "words"),
    [
        (_broken(targets__1__code="1"), "Mã chỉ tiêu “1” bị trùng"),
        (_broken(tasks__2__code="I.1.1"), "Mã nhiệm vụ “I.1.1” bị trùng"),
        (_broken(tasks__1__parent="I.9"), "nhiệm vụ cha “I.9” phải đứng trước"),
        (_broken(targets__0__value=None), "phải có giá trị"),
        (_broken(tasks__1__deadline={"kind": "date", "due": None}), "phải có ngày đến hạn"),
        (_broken(targets__0__kind="nhiều"), "Phải là một trong các giá trị"),
        ({**make_plan_json(), "schema": "theodoi.plan/2"}, "Phải là một trong các giá trị"),
        (_broken(tasks__0__name="Tên có ký tự \x00 lạ"), "ký tự không hợp lệ"),
    ],
    ids=["dup-target", "dup-task", "parent-after", "no-value", "no-due", "kind", "schema", "nul"],
)
def test_an_invalid_plan_json_is_a_422_naming_the_problem(
    api_as, office, commune, plan_json, words
):
    response = api_as(office).post(
        f"/communes/{commune.public_id}/plans/import",
        {"plan_json": plan_json, "unknown_units": "keep"},
    )
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert words in message_of(response) or any(words in e["message"] for e in body["errors"])
    assert not Plan.objects.exists()


def test_export_keeps_a_rate_with_decimals_as_a_number(commune):
    data = make_plan_json()
    data["targets"][0]["value"] = 84.5
    plan = make_active_plan(commune, data)
    assert plan_export_json(plan)["targets"][0]["value"] == 84.5


def _bigger_plan(commune: Any) -> Plan:
    """Hòa Phong's plan with 20 more tasks under I.1, each led by Công an phường."""
    data = make_plan_json()
    for n in range(20):
        extra = copy.deepcopy(data["tasks"][1])
        extra.update(code=f"I.1.{n + 3}", name=f"Nhiệm vụ thêm {n}")
        data["tasks"].append(extra)
        target = copy.deepcopy(data["targets"][0])
        target.update(code=f"T{n}", name=f"Chỉ tiêu thêm {n}")
        data["targets"].append(target)
    return make_active_plan(commune, data)


@pytest.mark.parametrize("suffix", ["/tasks", "/targets", "/export"])
def test_plan_lists_keep_a_query_budget_whatever_their_length(
    api_as, leader, commune, django_assert_max_num_queries, suffix
):
    plan = _bigger_plan(commune)
    api = api_as(leader)
    with django_assert_max_num_queries(15):
        response = api.get(f"/plans/{plan.public_id}{suffix}")
    assert response.status_code == 200


def test_the_dashboard_as_of_a_reports_cut_off_gives_that_reports_figures(api_as, leader, plan):
    rng = plan_range(plan, ReportKind.QUARTER, 1)
    body = api_as(leader).get(f"/plans/{plan.public_id}/dashboard", as_of="2026-03-14").json()
    report = figures(build_report(plan, rng))
    assert body["today"] == rng.end.isoformat() == "2026-03-14"
    by_status = {row["status"]: row["count"] for row in body["tasks"]["by_status"]}
    assert (body["tasks"]["total"], by_status["done"], by_status["late"]) == (
        report["tasks"],
        report["done"],
        report["late"],
    )
    assert body["targets"]["met"] == report["targets_met"]
    assert body["warnings"]["total"] == report["warnings"]
