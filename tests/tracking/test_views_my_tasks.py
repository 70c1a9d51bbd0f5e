"""'Nhiệm vụ của đơn vị': a unit's tasks and targets, what is due this period first."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from theodoi.accounts.models import Role
from theodoi.tracking.models import ReviewStatus
from theodoi.tracking.periods import current_period

from ..factories import PASSWORD, make_plan_json, make_user, unit_of
from ..tracking_factories import make_active_plan, make_report, task_of
from .helpers import document_evidence, mark_sent

pytestmark = pytest.mark.django_db


def _police_task(code: str, name: str, due: str, **extra: Any) -> dict[str, Any]:
    return {
        "code": code, "parent": None, "group": "Chính quyền số", "name": name,
        "output": "Báo cáo kết quả", "kpi": None, "lead": ["Công an phường"], "support": [],
        "deadline": {"text": due, "kind": "date", "due": due, "recurrence": None},
        "note": None, "missing": [], "line": 70, **extra,
    }  # fmt: skip


def _plan_json(extra_tasks: list[dict[str, Any]]) -> dict[str, Any]:
    data = make_plan_json()
    data["tasks"] = copy.deepcopy(data["tasks"]) + extra_tasks
    return data


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    """Police leads I.1.1 (due 30/06), I.3 (due 31/03) and I.4 (due 31/12); supports I.5."""
    return make_active_plan(
        commune,
        _plan_json([
            _police_task("I.3", "Rà soát camera an ninh", "2026-03-31"),
            _police_task("I.4", "Tuyên truyền ứng dụng VNeID", "2026-12-31"),
            _police_task(
                "I.5", "Cài đặt chữ ký số", "2026-09-30",
                lead=["Trung tâm Phục vụ hành chính công"], support=["Công an phường"],
            ),
        ]),
    )  # fmt: skip


@pytest.fixture
def police_unit(commune):  # type: ignore[no-untyped-def]
    return unit_of(commune, "Công an phường")


def _login(client, user):  # type: ignore[no-untyped-def]
    client.login(username=user.username, password=PASSWORD)
    return client


def _get(client, commune, **params: str):  # type: ignore[no-untyped-def]
    return client.get(reverse("my_tasks", args=[commune.public_id]), params)


def _codes(page: str, plan) -> list[str]:  # type: ignore[no-untyped-def]
    """Task codes in the order the page lists them."""
    found = []
    for task in plan.tasks.all():
        marker = f'id="task-{task.public_id}"'
        if marker in page:
            found.append((page.index(marker), task.code))
    return [code for _pos, code in sorted(found)]


def _this_month(plan) -> int:  # type: ignore[no-untyped-def]
    return current_period(plan, timezone.localdate()).number


def test_police_staff_see_the_tasks_their_unit_leads_or_supports(client, commune, plan, police):
    page = _get(_login(client, police), commune).content.decode()
    assert _codes(page, plan) == ["I.3", "I.1.1", "I.5", "I.4"]
    assert "Phối hợp (Công an phường)" in page
    assert "Chủ trì (Công an phường)" in page
    assert "Chưa báo cáo" in page
    assert reverse("report_edit", args=[task_of(plan, "I.1.1").public_id]) in page
    assert current_period(plan, timezone.localdate()).label in page


def test_what_is_due_this_period_comes_first_then_by_due_date(
    client, commune, plan, police, police_unit
):
    sent = make_report(task_of(plan, "I.3"), police_unit, police, month=_this_month(plan))
    mark_sent(sent)
    make_report(task_of(plan, "I.4"), police_unit, police, month=_this_month(plan))  # a draft
    page = _get(_login(client, police), commune).content.decode()
    # I.3 has this period's report sent: it drops to the end, the others keep their due dates.
    assert _codes(page, plan) == ["I.1.1", "I.5", "I.4", "I.3"]
    row_of = {code: page[page.index(f'id="task-{task_of(plan, code).public_id}"') :][:3000]
              for code in ("I.3", "I.4")}  # fmt: skip
    assert "Đã gửi cơ quan thường trực" in row_of["I.3"]
    assert "Đang soạn" in row_of["I.4"]


def test_the_status_filter_is_a_shareable_link(client, commune, plan, police, police_unit):
    report = make_report(task_of(plan, "I.3"), police_unit, police, status="completed", percent=100)
    document_evidence(user=police, report=report, review=ReviewStatus.ACCEPTED)
    mark_sent(report)
    _login(client, police)
    done = _get(client, commune, status="done").content.decode()
    assert _codes(done, plan) == ["I.3"]
    assert 'value="done" selected' in done
    due = _get(client, commune, status="due").content.decode()
    assert "I.3" not in _codes(due, plan)
    assert _get(client, commune, status="made-up").status_code == 200


def test_the_office_sees_every_task_of_the_commune_and_filters_by_unit(
    client, commune, plan, office, police_unit
):
    _login(client, office)
    page = _get(client, commune).content.decode()
    assert set(_codes(page, plan)) == {"I.1", "I.1.1", "I.1.2", "I.3", "I.4", "I.5"}
    assert "Tổng hợp từ nhiệm vụ con" in page  # I.1 is reported through its children
    assert reverse("report_edit", args=[task_of(plan, "I.1.1").public_id]) not in page
    police_only = _get(client, commune, unit=str(police_unit.public_id)).content.decode()
    assert set(_codes(police_only, plan)) == {"I.1.1", "I.3", "I.4", "I.5"}
    assert reverse("review_queue", args=[commune.public_id]) in page


def test_a_leader_reads_the_whole_commune(client, commune, plan, leader):
    page = _get(_login(client, leader), commune).content.decode()
    assert len(_codes(page, plan)) == 6


def test_a_unit_of_another_commune_in_the_filter_is_not_found(
    client, commune, other_commune, plan, office
):
    stranger = unit_of(other_commune, "Công an xã")
    assert _get(_login(client, office), commune, unit=str(stranger.public_id)).status_code == 404


def test_another_communes_user_gets_not_found(client, commune, plan, other_office):
    assert _get(_login(client, other_office), commune).status_code == 404


def test_with_htmx_the_filter_answers_with_the_list_only(client, commune, plan, police):
    _login(client, police)
    response = client.get(
        reverse("my_tasks", args=[commune.public_id]), {"status": "due"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="task-list">')
    assert "<html" not in page


def test_a_unit_sees_the_targets_it_owns(client, commune, plan):
    pvhcc = unit_of(commune, "Trung tâm Phục vụ hành chính công")
    staff = make_user("pvhcc", role=Role.UNIT_STAFF, commune=commune, unit=pvhcc)
    page = _get(_login(client, staff), commune).content.decode()
    target = plan.targets.get(code="1")
    assert "Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến" in page
    assert reverse("target_value_edit", args=[target.public_id]) in page
    assert "Đẩy mạnh ứng dụng trí tuệ nhân tạo" not in page  # Phòng VH-XH's target


def test_a_unit_head_sees_how_many_reports_wait_for_confirmation(
    client, commune, plan, police, police_unit
):
    head = make_user("truong-ca", role=Role.UNIT_HEAD, commune=commune, unit=police_unit)
    report = make_report(task_of(plan, "I.1.1"), police_unit, police)
    report.state = "awaiting_head"
    report.save()
    page = _get(_login(client, head), commune).content.decode()
    assert reverse("report_confirm_queue", args=[commune.public_id]) in page
    assert 'Báo cáo chờ xác nhận <span class="badge text-bg-light">1</span>' in page


def test_the_navbar_link_leads_a_one_commune_user_to_their_list(client, commune, plan, police):
    response = _login(client, police).get(reverse("my_tasks_start"))
    assert response["Location"] == reverse("my_tasks", args=[commune.public_id])


def _queries_for(client, commune) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert _get(client, commune).status_code == 200
    return len(queries)


def test_the_list_keeps_its_query_budget_as_tasks_and_reports_grow(
    client, commune, police, police_unit, django_assert_max_num_queries
):
    many = [_police_task(f"II.{i}", f"Nhiệm vụ số {i}", "2026-12-31") for i in range(1, 41)]
    plan = make_active_plan(commune, _plan_json(many[:1]))
    mark_sent(make_report(task_of(plan, "II.1"), police_unit, police, month=_this_month(plan)))
    _login(client, police)
    _get(client, commune)  # the periods exist from here on
    few = _queries_for(client, commune)
    plan.status = "replaced"
    plan.save()
    plan = make_active_plan(commune, _plan_json(many))
    month = _this_month(plan)
    for i in range(1, 41):
        report = make_report(task_of(plan, f"II.{i}"), police_unit, police, month=month)
        if i % 2:
            mark_sent(report)
    _get(client, commune)
    assert _queries_for(client, commune) == few
    with django_assert_max_num_queries(30):
        response = _get(client, commune)
    assert len(_codes(response.content.decode(), plan)) == 41
