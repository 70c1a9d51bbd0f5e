"""The standing office's changes to tasks, at the service level: what is refused, what is kept."""

from __future__ import annotations

import pytest

from theodoi.audit.models import AuditEntry
from theodoi.plans.models import AssignmentRole, Task
from theodoi.tracking.services import (
    StaleEdit,
    TrackingError,
    task_add,
    task_change_deadline,
    task_reassign,
)

from ..factories import make_plan_json, unit_of
from ..tracking_factories import day, make_active_plan, task_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    return make_active_plan(commune)


def _units(task: Task, role: str) -> list[str]:
    return [a.unit.name for a in task.assignments.filter(role=role).select_related("unit")]


# --- reassign --------------------------------------------------------------------------------


def test_reassigning_replaces_lead_and_support_and_keeps_both_in_the_history(commune, office, plan):
    task = task_of(plan, "I.1")
    clinic, police = unit_of(commune, "Trạm Y tế phường"), unit_of(commune, "Công an phường")
    task_reassign(task=task, lead=[clinic], support=[police], actor=office, version=task.version)
    task.refresh_from_db()
    assert _units(task, AssignmentRole.LEAD) == ["Trạm Y tế phường"]
    assert _units(task, AssignmentRole.SUPPORT) == ["Công an phường"]
    assert task.version == 2
    entry = AuditEntry.objects.get(task=task, action="task.reassign")
    assert entry.before["lead"] == ["Trung tâm Phục vụ hành chính công"]
    assert entry.before["support"] == ["Phòng Văn hóa - Xã hội"]
    assert (entry.after["lead"], entry.after["support"]) == (
        ["Trạm Y tế phường"],
        ["Công an phường"],
    )


def test_a_task_imported_without_a_lead_is_no_longer_missing_one_once_reassigned(commune, office):
    data = make_plan_json()
    data["tasks"][0].update(lead=[], missing=["lead", "output"])
    task = task_of(make_active_plan(commune, data), "I.1")
    assert "lead" in task.missing
    clinic = unit_of(commune, "Trạm Y tế phường")
    task_reassign(task=task, lead=[clinic], support=[], actor=office, version=task.version)
    task.refresh_from_db()
    assert task.missing == ["output"]


def test_a_unit_named_as_both_lead_and_support_is_kept_as_lead_only(commune, office, plan):
    task = task_of(plan, "I.1.1")
    clinic = unit_of(commune, "Trạm Y tế phường")
    task_reassign(task=task, lead=[clinic], support=[clinic], actor=office, version=task.version)
    assert _units(task, AssignmentRole.LEAD) == ["Trạm Y tế phường"]
    assert _units(task, AssignmentRole.SUPPORT) == []


def test_reassigning_refuses_no_lead_a_foreign_unit_and_an_outdated_version(
    commune, other_commune, office, plan
):
    task = task_of(plan, "I.1.1")
    clinic = unit_of(commune, "Trạm Y tế phường")
    with pytest.raises(TrackingError, match="ít nhất một cơ quan chủ trì"):
        task_reassign(task=task, lead=[], support=[clinic], actor=office, version=task.version)
    with pytest.raises(TrackingError, match="không thuộc xã/phường này"):
        task_reassign(
            task=task,
            lead=[unit_of(other_commune, "Công an xã")],
            support=[],
            actor=office,
            version=task.version,
        )
    with pytest.raises(StaleEdit):
        task_reassign(task=task, lead=[clinic], support=[], actor=office, version=task.version + 1)
    assert _units(task, AssignmentRole.LEAD) == ["Công an phường"]
    assert not AuditEntry.objects.filter(task=task, action="task.reassign").exists()


# --- deadline --------------------------------------------------------------------------------


def test_moving_a_deadline_needs_a_reason_and_changes_nothing_without_one(office, plan):
    task = task_of(plan, "I.1.1")
    with pytest.raises(TrackingError, match="lý do"):
        task_change_deadline(task=task, due_on=day(9, 30), reason="  ", actor=office, version=1)
    task.refresh_from_db()
    assert (task.due_on, task.version) == (day(6, 30), 1)
    assert not AuditEntry.objects.filter(task=task).exists()


def test_a_moved_deadline_is_dated_and_no_longer_missing(commune, office):
    data = make_plan_json()
    data["tasks"][1].update(
        deadline={"text": "", "kind": "unspecified", "due": None, "recurrence": None},
        missing=["deadline"],
    )
    task = task_of(make_active_plan(commune, data), "I.1.1")
    task_change_deadline(
        task=task, due_on=day(10, 15), reason="Bổ sung thời hạn", actor=office, version=1
    )
    task.refresh_from_db()
    assert (task.deadline_kind, task.due_on, task.missing) == ("date", day(10, 15), [])
    assert task.deadline_text == "Điều chỉnh đến 15/10/2026"
    entry = AuditEntry.objects.get(task=task, action="task.deadline")
    assert (entry.before["due_on"], entry.after["due_on"]) == (None, "2026-10-15")
    assert entry.after["reason"] == "Bổ sung thời hạn"


def test_a_deadline_change_from_an_outdated_screen_is_refused(office, plan):
    task = task_of(plan, "I.1.1")
    task_change_deadline(task=task, due_on=day(8, 31), reason="Lần 1", actor=office, version=1)
    with pytest.raises(StaleEdit):
        task_change_deadline(task=task, due_on=day(9, 30), reason="Lần 2", actor=office, version=1)
    task.refresh_from_db()
    assert task.due_on == day(8, 31)


# --- add -----------------------------------------------------------------------------------


def _add(plan, office, **overrides):  # type: ignore[no-untyped-def]
    fields = {
        "name": "Nhiệm vụ phát sinh mới",
        "lead": [unit_of(plan.commune, "Công an phường")],
        "support": [],
        "due_on": None,
        "output": "",
        "group": "",
        "actor": office,
    }
    return task_add(plan=plan, **{**fields, **overrides})


def test_an_added_task_is_marked_as_added_and_lacks_what_was_not_given(office, plan):
    task = _add(plan, office)
    assert (task.code, task.origin, task.group) == ("PS.1", "added", "Nhiệm vụ phát sinh")
    assert task.deadline_kind == "unspecified"
    assert task.missing == ["output", "deadline"]
    assert task.position > task_of(plan, "I.1.2").position
    assert AuditEntry.objects.get(task=task, action="task.add").after["lead"] == ["Công an phường"]


def test_the_ps_number_skips_a_code_already_taken(office, commune):
    data = make_plan_json()
    data["tasks"][2]["code"] = "PS.1"  # a plan that already numbers a task this way
    plan = make_active_plan(commune, data)
    assert _add(plan, office).code == "PS.2"
    assert _add(plan, office, name="Thứ hai").code == "PS.3"


def test_a_sub_task_takes_its_parents_group_when_none_is_given(office, plan):
    parent = task_of(plan, "I.1")
    child = _add(plan, office, parent=parent, due_on=day(12, 1), output="Báo cáo")
    assert (child.parent, child.group, child.missing) == (parent, "Chính quyền số", [])


def test_adding_refuses_a_foreign_unit_a_foreign_parent_and_an_empty_name(
    commune, other_commune, office, plan
):
    other_plan = make_active_plan(other_commune)
    with pytest.raises(TrackingError, match="không thuộc xã/phường này"):
        _add(plan, office, lead=[unit_of(other_commune, "Công an xã")])
    with pytest.raises(TrackingError, match="Nhiệm vụ cha không thuộc"):
        _add(plan, office, parent=task_of(other_plan, "I.1"))
    with pytest.raises(TrackingError, match="tên nhiệm vụ"):
        _add(plan, office, name="   ")
    with pytest.raises(TrackingError, match="ít nhất một cơ quan chủ trì"):
        _add(plan, office, lead=[])
    assert not plan.tasks.filter(origin="added").exists()
