from __future__ import annotations

import pytest

from theodoi.importer import services
from theodoi.importer.models import ImportStatus
from theodoi.importer.services import (
    ImportEditError,
    StaleImportEdit,
    plan_import_confirm,
    plan_import_delete_row,
    plan_import_edit,
    plan_import_map_unit,
    plan_import_unknown_units,
)
from theodoi.plans.models import Plan
from theodoi.units.models import UnitAlias

from ..factories import make_plan_import, unit_of

pytestmark = pytest.mark.django_db


def _edit(plan_import, section, index, **changes):
    return plan_import_edit(
        plan_import=plan_import, section=section, index=index, changes=changes,
        version=plan_import.version,
    )  # fmt: skip


def test_unknown_units_are_the_names_that_are_neither_units_nor_generic(commune):
    plan_import = make_plan_import(commune)
    unknown = {u.spelling for u in plan_import_unknown_units(plan_import)}
    # "Phòng VH-XH" is an alias the matcher knows; "Các cơ quan, đơn vị liên quan" is generic.
    assert unknown == {"Tổ dân phố số 5"}


def test_adding_the_missing_output_clears_the_five_clear_gap(commune):
    plan_import = make_plan_import(commune)
    plan_import = _edit(plan_import, "tasks", 0, output="Kho dữ liệu số hóa")
    assert plan_import.plan_json["tasks"][0]["missing"] == []
    assert plan_import.plan_json["tasks"][0]["output"] == "Kho dữ liệu số hóa"


def test_emptying_the_lead_shows_the_task_lacks_a_responsible_unit(commune):
    plan_import = make_plan_import(commune)
    plan_import = _edit(plan_import, "tasks", 1, lead="")
    assert "lead" in plan_import.plan_json["tasks"][1]["missing"]


def test_a_corrected_deadline_is_read_again(commune):
    plan_import = make_plan_import(commune)
    plan_import = _edit(plan_import, "tasks", 1, deadline="Quý III/2026")
    assert plan_import.plan_json["tasks"][1]["deadline"]["due"] == "2026-09-30"


def test_a_corrected_target_value_is_read_again(commune):
    plan_import = make_plan_import(commune)
    plan_import = _edit(plan_import, "targets", 0, value_text="trên 95%")
    target = plan_import.plan_json["targets"][0]
    assert (target["comparator"], target["value"]) == (">", 95)


def test_a_unit_typed_in_an_alias_spelling_is_stored_canonically(commune):
    plan_import = make_plan_import(commune)
    plan_import = _edit(plan_import, "tasks", 0, support="Phòng VHXH; Công an phường")
    assert plan_import.plan_json["tasks"][0]["support"] == [
        "Phòng Văn hóa - Xã hội",
        "Công an phường",
    ]


def test_a_save_from_an_outdated_screen_is_refused_and_changes_nothing(commune):
    plan_import = make_plan_import(commune)
    stale_version = plan_import.version
    _edit(plan_import, "tasks", 0, name="Tên đã sửa bởi người thứ nhất")
    with pytest.raises(StaleImportEdit):
        plan_import_edit(
            plan_import=plan_import, section="tasks", index=0,
            changes={"name": "Tên của người thứ hai"}, version=stale_version,
        )  # fmt: skip
    plan_import.refresh_from_db()
    assert plan_import.plan_json["tasks"][0]["name"] == "Tên đã sửa bởi người thứ nhất"


def test_an_invalid_year_is_refused_with_a_vietnamese_message(commune):
    plan_import = make_plan_import(commune)
    with pytest.raises(ImportEditError, match="Năm kế hoạch"):
        _edit(plan_import, "plan", 0, year="hai nghìn")


def test_mapping_a_name_to_a_unit_is_remembered_for_the_next_import(commune):
    plan_import = make_plan_import(commune)
    police = unit_of(commune, "Công an phường")
    plan_import = plan_import_map_unit(
        plan_import=plan_import, spelling="Tổ dân phố số 5", unit=police,
        version=plan_import.version,
    )  # fmt: skip
    assert plan_import_unknown_units(plan_import) == []
    assert UnitAlias.objects.get(commune=commune, spelling="Tổ dân phố số 5").unit == police
    assert plan_import_unknown_units(make_plan_import(commune)) == []


def test_confirm_is_refused_while_a_unit_name_is_undecided(commune):
    plan_import = make_plan_import(commune)
    with pytest.raises(ImportEditError, match="chưa xác định"):
        plan_import_confirm(plan_import=plan_import, user=None, version=plan_import.version)
    assert not Plan.objects.exists()


def test_confirm_creates_the_active_plan_with_the_corrections(commune, office):
    plan_import = make_plan_import(commune, user=office)
    plan_import = _edit(plan_import, "tasks", 0, output="Kho dữ liệu số hóa")
    plan_import = plan_import_map_unit(
        plan_import=plan_import, spelling="Tổ dân phố số 5", unit=None, version=plan_import.version
    )
    plan = plan_import_confirm(plan_import=plan_import, user=office, version=plan_import.version)
    plan_import.refresh_from_db()
    assert plan_import.status == ImportStatus.CONFIRMED
    assert plan.tasks.get(code="I.1").output == "Kho dữ liệu số hóa"
    assert plan.tasks.get(code="I.1.1").support_other == ["Tổ dân phố số 5"]
    assert plan.created_by == office


def test_a_confirmed_preview_cannot_be_edited_again(commune):
    plan_import = make_plan_import(commune)
    plan_import = plan_import_map_unit(
        plan_import=plan_import, spelling="Tổ dân phố số 5", unit=None, version=plan_import.version
    )
    plan_import_confirm(plan_import=plan_import, user=None, version=plan_import.version)
    plan_import.refresh_from_db()
    with pytest.raises(ImportEditError):
        _edit(plan_import, "tasks", 0, name="muộn")


def test_deleting_a_parent_row_keeps_its_children(commune):
    plan_import = make_plan_import(commune)
    plan_import = plan_import_delete_row(
        plan_import=plan_import, section="tasks", index=0, version=plan_import.version
    )
    assert [t["code"] for t in plan_import.plan_json["tasks"]] == ["I.1.1", "I.1.2"]
    assert all(t["parent"] is None for t in plan_import.plan_json["tasks"])


def test_mapping_to_another_communes_unit_is_refused(commune, other_commune):
    plan_import = make_plan_import(commune)
    foreign = other_commune.units.first()
    with pytest.raises(ImportEditError):
        services.plan_import_map_unit(
            plan_import=plan_import, spelling="Tổ dân phố số 5", unit=foreign,
            version=plan_import.version,
        )  # fmt: skip
