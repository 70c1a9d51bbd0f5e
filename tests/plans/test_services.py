from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from theodoi.plans.models import AssignmentRole, Plan, PlanStatus
from theodoi.plans.services import UnitResolver, plan_activate, plan_create_from_json

from ..factories import make_plan_json, unit_of

pytestmark = pytest.mark.django_db


def _create(commune, plan_json=None, **kwargs):
    resolver = UnitResolver.for_commune(commune)
    return plan_create_from_json(
        commune=commune, plan_json=plan_json or make_plan_json(), resolver=resolver,
        created_by=None, **kwargs,
    )  # fmt: skip


def test_created_plan_is_active_with_its_metadata(commune):
    plan = _create(commune)
    assert plan.status == PlanStatus.ACTIVE
    assert plan.number == "45/KH-UBND"
    assert plan.issued_on == dt.date(2026, 1, 15)
    assert plan.signer_name == "Đỗ Văn An"
    assert plan.basis == ["Nghị quyết số 57-NQ/TW ngày 22/12/2024"]


def test_targets_keep_value_comparator_and_upper_level_as_numbers(commune):
    plan = _create(commune)
    target = plan.targets.get(code="1")
    assert (target.comparator, target.value, target.measure_unit) == (">=", Decimal(90), "%")
    assert target.upper_value == Decimal(85)
    assert [u.name for u in target.owners.all()] == ["Trung tâm Phục vụ hành chính công"]
    assert plan.targets.get(code="2").kind == "qualitative"


def test_sub_tasks_hang_under_their_parent(commune):
    plan = _create(commune)
    parent = plan.tasks.get(code="I.1")
    assert sorted(parent.children.values_list("code", flat=True)) == ["I.1.1", "I.1.2"]


def test_units_named_by_a_remembered_alias_are_assigned(commune):
    from theodoi.units.services import unit_alias_remember

    standing = unit_of(commune, "Phòng Văn hóa - Xã hội")
    unit_alias_remember(commune=commune, spelling="Phòng VH-XH", unit=standing)
    plan = _create(commune)
    task = plan.tasks.get(code="I.1.2")
    assert list(
        task.assignments.filter(role=AssignmentRole.LEAD).values_list("unit", flat=True)
    ) == [standing.pk]


def test_words_that_name_no_unit_are_kept_as_written(commune):
    plan = _create(commune)
    task = plan.tasks.get(code="I.1.1")
    assert task.support_other == ["Tổ dân phố số 5"]
    assert plan.tasks.get(code="I.1.2").support_other == ["Các cơ quan, đơn vị liên quan"]


def test_a_new_plan_for_the_same_year_replaces_the_active_one_which_stays_readable(commune):
    old = _create(commune)
    new = _create(commune, make_plan_json(number="60/KH-UBND"))
    old.refresh_from_db()
    assert old.status == PlanStatus.REPLACED
    assert list(new.replaces.all()) == [old]
    assert old.tasks.count() == 3


def test_a_plan_naming_the_plan_it_replaces_replaces_it_even_in_another_year(commune):
    old = _create(commune, make_plan_json(number="34/KH-UBND", year=2025))
    _create(commune, make_plan_json(number="60/KH-UBND", replaces=["34/KH-UBND"]))
    old.refresh_from_db()
    assert old.status == PlanStatus.REPLACED


def test_plans_of_another_commune_are_never_replaced(commune, other_commune):
    theirs = _create(other_commune)
    _create(commune)
    theirs.refresh_from_db()
    assert theirs.status == PlanStatus.ACTIVE


def test_activating_a_draft_leaves_one_active_plan_per_year(commune):
    first = _create(commune)
    draft = _create(commune, make_plan_json(number="61/KH-UBND"), activate=False)
    assert draft.status == PlanStatus.DRAFT
    plan_activate(plan=draft)
    assert list(Plan.objects.active().of_commune(commune)) == [draft]
    first.refresh_from_db()
    assert first.status == PlanStatus.REPLACED
