"""The standing office's pages: reassign a task, move its deadline, add a task (phát sinh)."""

from __future__ import annotations

import re
import uuid

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, path, reverse

from theodoi import urls as root_urls
from theodoi.audit.models import AuditEntry
from theodoi.plans.models import AssignmentRole, Task
from theodoi.tracking.services import task_change_deadline, task_reassign

from ..factories import unit_of
from ..tracking_factories import day, make_active_plan, task_of


def _task_page_stand_in(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    return HttpResponse("task page")


def _task_page_exists() -> bool:
    try:
        reverse("task_detail", args=[uuid.uuid4()])
    except NoReverseMatch:
        return False
    return True


# The task page belongs to another part of the work; until it is wired, a stand-in at its
# address lets these pages redirect and link to it. Once it exists this changes nothing.
urlpatterns = (
    root_urls.urlpatterns
    if _task_page_exists()
    else [
        *root_urls.urlpatterns,
        path("tasks/<uuid:task_id>/", _task_page_stand_in, name="task_detail"),
    ]
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

STALE = "vừa được người khác cập nhật"


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    return make_active_plan(commune)


@pytest.fixture
def task(plan):  # type: ignore[no-untyped-def]
    """I.1.1 "Số hóa hồ sơ lĩnh vực hộ tịch": lead Công an phường, due 30/06/2026."""
    return task_of(plan, "I.1.1")


def _task_path(task: Task) -> str:
    return f"/tasks/{task.public_id}/"


def _input(html: str, name: str, value: object) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="{value}"[^>]*>', html)
    assert found, f"no {name} input for {value}"
    return found.group(0)


def _checked(html: str, name: str, unit) -> bool:  # type: ignore[no-untyped-def]
    return " checked" in _input(html, name, unit.public_id)


def _hidden_version(html: str) -> int:
    found = re.search(r'<input type="hidden" name="version" value="(\d+)"', html)
    assert found
    return int(found.group(1))


def _units(task: Task, role: str) -> list[str]:
    return sorted(a.unit.name for a in task.assignments.filter(role=role).select_related("unit"))


def _pages(plan, task) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "reassign": reverse("task_reassign", args=[task.public_id]),
        "deadline": reverse("task_deadline", args=[task.public_id]),
        "add": reverse("task_add", args=[plan.public_id]),
    }


# --- who may open the pages ----------------------------------------------------------------


@pytest.mark.parametrize("page", ["reassign", "deadline", "add"])
def test_the_standing_office_opens_each_page(client, office, plan, task, page):
    client.force_login(office)
    response = client.get(_pages(plan, task)[page])
    assert response.status_code == 200
    assert 'name="lead"' in response.content.decode() or page == "deadline"


@pytest.mark.parametrize("page", ["reassign", "deadline", "add"])
@pytest.mark.parametrize("who", ["police", "leader", "province_officer"])
def test_people_who_can_read_the_task_but_not_change_it_are_told_so(
    client, plan, task, page, who, request
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(_pages(plan, task)[page])
    assert response.status_code == 403
    text = response.content.decode()
    assert "Chỉ cơ quan thường trực" in text
    assert "phường Hòa Phong" in text


@pytest.mark.parametrize("page", ["reassign", "deadline", "add"])
def test_another_communes_office_is_told_the_page_does_not_exist(
    client, other_office, plan, task, page
):
    client.force_login(other_office)
    response = client.get(_pages(plan, task)[page])
    assert response.status_code == 404
    assert "Số hóa hồ sơ" not in response.content.decode()


@pytest.mark.parametrize("page", ["reassign", "deadline", "add"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, plan, task, page):
    url = _pages(plan, task)[page]
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_unit_member_posting_a_reassignment_changes_nothing(client, commune, police, task):
    client.force_login(police)
    clinic = unit_of(commune, "Trạm Y tế phường")
    response = client.post(
        reverse("task_reassign", args=[task.public_id]),
        {"lead": [clinic.public_id], "version": task.version},
    )
    assert response.status_code == 403
    assert _units(task, AssignmentRole.LEAD) == ["Công an phường"]


# --- reassign --------------------------------------------------------------------------------


def test_the_reassign_form_starts_from_the_current_assignment(client, commune, office, plan):
    task = task_of(plan, "I.1")  # lead TT PVHCC, support Phòng Văn hóa - Xã hội
    client.force_login(office)
    html = client.get(reverse("task_reassign", args=[task.public_id])).content.decode()
    assert _checked(html, "lead", unit_of(commune, "Trung tâm Phục vụ hành chính công"))
    assert _checked(html, "support", unit_of(commune, "Phòng Văn hóa - Xã hội"))
    assert not _checked(html, "lead", unit_of(commune, "Công an phường"))
    assert _hidden_version(html) == task.version


def test_the_office_gives_a_task_to_other_units_and_lands_on_the_task_page(
    client, commune, office, task
):
    client.force_login(office)
    clinic = unit_of(commune, "Trạm Y tế phường")
    culture = unit_of(commune, "Phòng Văn hóa - Xã hội")
    response = client.post(
        reverse("task_reassign", args=[task.public_id]),
        {"lead": [clinic.public_id], "support": [culture.public_id], "version": task.version},
    )
    assert response.status_code == 302
    assert response["Location"] == _task_path(task)
    assert _units(task, AssignmentRole.LEAD) == ["Trạm Y tế phường"]
    assert _units(task, AssignmentRole.SUPPORT) == ["Phòng Văn hóa - Xã hội"]
    entry = AuditEntry.objects.get(task=task, action="task.reassign")
    assert entry.actor == office
    assert entry.before["lead"] == ["Công an phường"]
    assert entry.after["lead"] == ["Trạm Y tế phường"]
    assert entry.after["support"] == ["Phòng Văn hóa - Xã hội"]


def test_a_reassignment_from_an_outdated_form_keeps_the_choices_and_overwrites_nothing(
    client, commune, office, leader, task
):
    client.force_login(office)
    url = reverse("task_reassign", args=[task.public_id])
    seen = _hidden_version(client.get(url).content.decode())
    # Meanwhile a colleague gives the task to the Trung tâm Dịch vụ tổng hợp.
    services_unit = unit_of(commune, "Trung tâm Dịch vụ tổng hợp")
    task_reassign(task=task, lead=[services_unit], support=[], actor=office, version=seen)
    clinic = unit_of(commune, "Trạm Y tế phường")
    school = unit_of(commune, "Các trường học")

    response = client.post(
        url, {"lead": [clinic.public_id], "support": [school.public_id], "version": seen}
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert STALE in html
    assert _checked(html, "lead", clinic)
    assert _checked(html, "support", school)
    assert not _checked(html, "lead", services_unit)
    # The colleague's change is shown beside the typed choices, and was not overwritten.
    assert "Trung tâm Dịch vụ tổng hợp" in html.split('id="current-lead"')[1].split("</dd>")[0]
    assert _units(task, AssignmentRole.LEAD) == ["Trung tâm Dịch vụ tổng hợp"]
    assert AuditEntry.objects.filter(task=task, action="task.reassign").count() == 1
    # After comparing, saving the same choices again goes through.
    again = client.post(
        url,
        {
            "lead": [clinic.public_id],
            "support": [school.public_id],
            "version": _hidden_version(html),
        },
    )
    assert again.status_code == 302
    assert _units(task, AssignmentRole.LEAD) == ["Trạm Y tế phường"]


def test_a_unit_of_another_commune_cannot_be_given_the_task(client, office, other_commune, task):
    client.force_login(office)
    foreign = unit_of(other_commune, "Công an xã")
    response = client.post(
        reverse("task_reassign", args=[task.public_id]),
        {"lead": [foreign.public_id], "version": task.version},
    )
    assert response.status_code == 400
    assert "không thuộc xã/phường này" in response.content.decode()
    assert _units(task, AssignmentRole.LEAD) == ["Công an phường"]
    assert not AuditEntry.objects.filter(task=task, action="task.reassign").exists()


def test_a_task_cannot_be_left_without_a_lead_unit(client, commune, office, task):
    client.force_login(office)
    culture = unit_of(commune, "Phòng Văn hóa - Xã hội")
    response = client.post(
        reverse("task_reassign", args=[task.public_id]),
        {"support": [culture.public_id], "version": task.version},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "ít nhất một cơ quan chủ trì" in html
    assert _checked(html, "support", culture)
    assert _units(task, AssignmentRole.LEAD) == ["Công an phường"]


def test_a_unit_cannot_both_lead_and_support_the_same_task(client, commune, office, task):
    client.force_login(office)
    clinic = unit_of(commune, "Trạm Y tế phường")
    response = client.post(
        reverse("task_reassign", args=[task.public_id]),
        {"lead": [clinic.public_id], "support": [clinic.public_id], "version": task.version},
    )
    assert response.status_code == 400
    assert "đã là cơ quan chủ trì" in response.content.decode()
    assert _units(task, AssignmentRole.LEAD) == ["Công an phường"]


# --- deadline --------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["30/09/2026", "2026-09-30"])
def test_the_office_moves_a_deadline_and_the_reason_is_kept_in_the_history(
    client, office, task, typed
):
    client.force_login(office)
    response = client.post(
        reverse("task_deadline", args=[task.public_id]),
        {"due_on": typed, "reason": "Chờ hướng dẫn của Bộ Công an", "version": task.version},
    )
    assert response.status_code == 302
    assert response["Location"] == _task_path(task)
    task.refresh_from_db()
    assert task.due_on == day(9, 30)
    entry = AuditEntry.objects.get(task=task, action="task.deadline")
    assert entry.actor == office
    assert "Chờ hướng dẫn của Bộ Công an" in entry.summary
    assert entry.before["due_on"] == "2026-06-30"
    assert entry.after["due_on"] == "2026-09-30"
    assert entry.after["reason"] == "Chờ hướng dẫn của Bộ Công an"


def test_the_deadline_form_offers_a_date_picker_with_the_current_deadline(client, office, task):
    client.force_login(office)
    html = client.get(reverse("task_deadline", args=[task.public_id])).content.decode()
    assert 'type="date"' in _input(html, "due_on", "2026-06-30")
    assert "30/06/2026" in html


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_deadline_cannot_be_moved_without_a_reason(client, office, task, reason):
    client.force_login(office)
    response = client.post(
        reverse("task_deadline", args=[task.public_id]),
        {"due_on": "30/09/2026", "reason": reason, "version": task.version},
    )
    assert response.status_code == 400
    assert "Hãy ghi lý do điều chỉnh thời hạn" in response.content.decode()
    task.refresh_from_db()
    assert task.due_on == day(6, 30)
    assert not AuditEntry.objects.filter(task=task, action="task.deadline").exists()


def test_an_impossible_date_is_refused_with_the_expected_format(client, office, task):
    client.force_login(office)
    response = client.post(
        reverse("task_deadline", args=[task.public_id]),
        {"due_on": "31/02/2026", "reason": "Lùi hạn", "version": task.version},
    )
    assert response.status_code == 400
    assert "ngày/tháng/năm" in response.content.decode()
    task.refresh_from_db()
    assert task.due_on == day(6, 30)


def test_a_deadline_change_from_an_outdated_form_keeps_the_typed_text_and_overwrites_nothing(
    client, office, task
):
    client.force_login(office)
    url = reverse("task_deadline", args=[task.public_id])
    seen = _hidden_version(client.get(url).content.decode())
    task_change_deadline(
        task=task, due_on=day(8, 31), reason="Theo chỉ đạo của Chủ tịch", actor=office, version=seen
    )

    response = client.post(
        url, {"due_on": "15/10/2026", "reason": "Chờ kinh phí bổ sung", "version": seen}
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert STALE in html
    assert "Chờ kinh phí bổ sung" in html
    assert _input(html, "due_on", "2026-10-15")
    assert "31/08/2026" in html  # the colleague's deadline, shown for comparison
    task.refresh_from_db()
    assert task.due_on == day(8, 31)
    assert AuditEntry.objects.filter(task=task, action="task.deadline").count() == 1


# --- add a task (phát sinh) ---------------------------------------------------------------


def _add(client, plan, **fields):  # type: ignore[no-untyped-def]
    return client.post(reverse("task_add", args=[plan.public_id]), fields)


def test_the_office_adds_a_task_that_gets_a_ps_code_and_shows_in_the_plan(
    client, commune, office, plan
):
    client.force_login(office)
    clinic = unit_of(commune, "Trạm Y tế phường")
    response = _add(
        client,
        plan,
        name="Triển khai sổ sức khỏe điện tử",
        group="Chính quyền số",
        lead=[clinic.public_id],
        support=[unit_of(commune, "Công an phường").public_id],
        due_on="30/11/2026",
        output="100% người dân có sổ sức khỏe điện tử",
    )
    task = plan.tasks.get(name="Triển khai sổ sức khỏe điện tử")
    assert response.status_code == 302
    assert response["Location"] == _task_path(task)
    assert (task.code, task.origin, task.group) == ("PS.1", "added", "Chính quyền số")
    assert task.due_on == day(11, 30)
    assert _units(task, AssignmentRole.LEAD) == ["Trạm Y tế phường"]
    assert _units(task, AssignmentRole.SUPPORT) == ["Công an phường"]
    page = client.get(reverse("plan_detail", args=[plan.public_id])).content.decode()
    assert "PS.1" in page
    assert "Triển khai sổ sức khỏe điện tử" in page
    entry = AuditEntry.objects.get(task=task, action="task.add")
    assert entry.actor == office
    assert entry.after["lead"] == ["Trạm Y tế phường"]
    assert entry.after["due_on"] == "2026-11-30"


def test_added_tasks_are_numbered_one_after_another(client, commune, office, plan):
    client.force_login(office)
    lead = [unit_of(commune, "Công an phường").public_id]
    _add(client, plan, name="Nhiệm vụ thứ nhất", lead=lead)
    _add(client, plan, name="Nhiệm vụ thứ hai", lead=lead)
    codes = dict(plan.tasks.filter(origin="added").values_list("name", "code"))
    assert codes == {"Nhiệm vụ thứ nhất": "PS.1", "Nhiệm vụ thứ hai": "PS.2"}


def test_the_add_form_offers_the_plans_groups_and_only_top_level_parents(client, office, plan):
    client.force_login(office)
    html = client.get(reverse("task_add", args=[plan.public_id])).content.decode()
    assert '<option value="Chính quyền số">' in html
    assert f'value="{task_of(plan, "I.1").public_id}"' in html
    assert f'value="{task_of(plan, "I.1.1").public_id}"' not in html


def test_a_task_can_open_a_new_group(client, commune, office, plan):
    client.force_login(office)
    _add(
        client,
        plan,
        name="Xây dựng bản đồ số du lịch",
        group="Chính quyền số",
        new_group="Kinh tế số",
        lead=[unit_of(commune, "Phòng Kinh tế, Hạ tầng và Đô thị").public_id],
    )
    assert plan.tasks.get(code="PS.1").group == "Kinh tế số"


def test_a_sub_task_joins_its_parent_and_its_group(client, commune, office, plan):
    client.force_login(office)
    parent = task_of(plan, "I.1")
    _add(
        client,
        plan,
        name="Số hóa hồ sơ đất đai",
        parent=parent.public_id,
        new_group="Nhóm khác",
        lead=[unit_of(commune, "Phòng Kinh tế, Hạ tầng và Đô thị").public_id],
    )
    child = plan.tasks.get(code="PS.1")
    assert child.parent == parent
    assert child.group == parent.group


def test_a_task_of_another_plan_cannot_be_chosen_as_parent(
    client, commune, office, other_commune, plan
):
    other_task = task_of(make_active_plan(other_commune), "I.1")
    client.force_login(office)
    response = _add(
        client,
        plan,
        name="Nhiệm vụ lạc",
        parent=other_task.public_id,
        lead=[unit_of(commune, "Công an phường").public_id],
    )
    assert response.status_code == 400
    assert "Nhiệm vụ cha không thuộc kế hoạch này" in response.content.decode()
    assert not plan.tasks.filter(origin="added").exists()


def test_an_added_task_needs_a_name_and_a_lead_and_keeps_what_was_typed(
    client, commune, office, plan
):
    client.force_login(office)
    response = _add(client, plan, name="", output="Báo cáo tổng hợp", due_on="01/12/2026")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hãy nhập tên nhiệm vụ" in html
    assert "ít nhất một cơ quan chủ trì" in html
    assert "Báo cáo tổng hợp" in html
    assert not plan.tasks.filter(origin="added").exists()


def test_a_unit_of_another_commune_cannot_lead_an_added_task(client, office, other_commune, plan):
    client.force_login(office)
    response = _add(
        client, plan, name="Nhiệm vụ mới", lead=[unit_of(other_commune, "Công an xã").public_id]
    )
    assert response.status_code == 400
    assert not plan.tasks.filter(origin="added").exists()
