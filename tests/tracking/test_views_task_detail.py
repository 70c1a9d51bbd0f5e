"""A task's page: its state, reports, evidence, leaders' directions and history."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from theodoi.tracking.models import Direction, ReviewStatus
from theodoi.tracking.services import direction_add

from ..factories import PASSWORD, unit_of
from ..tracking_factories import make_active_plan, make_report, task_of
from .helpers import document_evidence, mark_sent

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    return make_active_plan(commune)


@pytest.fixture
def police_unit(commune):  # type: ignore[no-untyped-def]
    return unit_of(commune, "Công an phường")


def _login(client, user):  # type: ignore[no-untyped-def]
    client.login(username=user.username, password=PASSWORD)
    return client


def _page(client, task) -> str:  # type: ignore[no-untyped-def]
    response = client.get(reverse("task_detail", args=[task.public_id]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("who", ["office", "police", "leader", "province_officer"])
def test_everyone_of_the_commune_and_its_province_reads_the_task(client, plan, who, request):
    _login(client, request.getfixturevalue(who))
    page = _page(client, task_of(plan, "I.1.1"))
    assert "Số hóa hồ sơ lĩnh vực hộ tịch" in page
    assert "Kho dữ liệu hộ tịch điện tử" in page  # the output
    assert "Công an phường" in page  # the lead unit
    assert "30/06/2026" in page


def test_another_communes_user_gets_not_found(client, plan, other_office):
    _login(client, other_office)
    response = client.get(reverse("task_detail", args=[task_of(plan, "I.1.1").public_id]))
    assert response.status_code == 404


def test_the_lead_unit_gets_a_report_button_the_office_does_not(client, plan, police, office):
    task = task_of(plan, "I.1.1")
    report_url = reverse("report_edit", args=[task.public_id])
    assert report_url in _page(_login(client, police), task)
    client.logout()
    assert report_url not in _page(_login(client, office), task)


def test_reports_show_their_narrative_state_and_evidence(client, plan, police, police_unit, office):
    task = task_of(plan, "I.1.1")
    report = make_report(
        task, police_unit, police, month=3, status="completed", percent=100,
        done="Đã số hóa toàn bộ sổ hộ tịch", difficulties="Sổ cũ bị mờ", proposals="Thêm máy quét",
    )  # fmt: skip
    document_evidence(user=police, report=report)
    mark_sent(report)
    page = _page(_login(client, office), task)
    for text in ("Tháng 3/2026", "Đã số hóa toàn bộ sổ hộ tịch", "Sổ cũ bị mờ", "Thêm máy quét"):
        assert text in page
    assert "466/PVHXH" in page  # the evidence, through the evidence list
    assert "Hoàn thành, chờ thẩm định minh chứng" in page
    # The office reviews it right there.
    assert reverse("evidence_review", args=[report.evidence.get().public_id]) in page


def test_a_parent_task_shows_its_rolled_up_progress_and_links_its_children(
    client, plan, police, police_unit, office
):
    report = make_report(
        task_of(plan, "I.1.1"), police_unit, police, status="completed", percent=100
    )
    document_evidence(user=police, report=report, review=ReviewStatus.ACCEPTED)
    mark_sent(report)
    page = _page(_login(client, office), task_of(plan, "I.1"))
    assert 'id="task-percent">50%' in page  # one of two equally weighted children done
    assert "Nhiệm vụ con" in page
    for code in ("I.1.1", "I.1.2"):
        assert reverse("task_detail", args=[task_of(plan, code).public_id]) in page
    assert "Hoàn thành" in page


def test_a_leader_adds_a_direction_that_the_lead_unit_acknowledges(client, plan, leader, police):
    task = task_of(plan, "I.1.1")
    _login(client, leader)
    response = client.post(
        reverse("direction_add", args=[task.public_id]),
        {"text": "Đẩy nhanh tiến độ, hoàn thành trước 30/6"},
    )
    assert response.status_code == 302
    assert "Đẩy nhanh tiến độ" in _page(client, task)
    client.logout()

    # The lead unit sees it highlighted until it acknowledges it.
    page = _page(_login(client, police), task)
    assert "direction-unacknowledged" in page
    direction = Direction.objects.get()
    client.post(reverse("direction_acknowledge", args=[direction.public_id]))
    page = _page(client, task)
    assert "direction-unacknowledged" not in page
    assert "Đã tiếp nhận (congan" in page
    direction.refresh_from_db()
    assert direction.acknowledged_by == police


def test_with_htmx_a_new_direction_answers_with_the_directions_only(client, plan, leader):
    task = task_of(plan, "I.1.1")
    _login(client, leader)
    response = client.post(
        reverse("direction_add", args=[task.public_id]),
        {"text": "Báo cáo kết quả trong tuần"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="directions"')
    assert "Báo cáo kết quả trong tuần" in page


def test_an_empty_direction_is_refused(client, plan, leader):
    _login(client, leader)
    response = client.post(reverse("direction_add", args=[task_of(plan, "I.1.1").public_id]), {})
    assert response.status_code == 400
    assert not Direction.objects.exists()


@pytest.mark.parametrize("who", ["police", "office"])
def test_only_leaders_give_directions(client, plan, who, request):
    _login(client, request.getfixturevalue(who))
    response = client.post(
        reverse("direction_add", args=[task_of(plan, "I.1.1").public_id]), {"text": "Chỉ đạo"}
    )
    assert response.status_code == 403
    assert not Direction.objects.exists()


def test_only_the_lead_unit_acknowledges_a_direction(client, plan, leader, office, other_office):
    direction = direction_add(task=task_of(plan, "I.1.1"), author=leader, text="Khẩn trương")
    url = reverse("direction_acknowledge", args=[direction.public_id])
    assert _login(client, office).post(url).status_code == 403
    client.logout()
    assert _login(client, other_office).post(url).status_code == 404
    direction.refresh_from_db()
    assert direction.acknowledged_at is None


def test_the_history_says_who_changed_what_from_what_to_what(client, plan, police, police_unit):
    task = task_of(plan, "I.1.1")
    make_report(task, police_unit, police, percent=40, done="Bắt đầu số hóa")
    make_report(task, police_unit, police, percent=60, done="Đã số hóa 60%")
    page = _page(_login(client, police), task)
    history = page[page.index('id="history"') :]
    assert "congan" in history
    assert "Cập nhật báo cáo Tháng 3/2026 của Công an phường" in history
    assert "Tỷ lệ hoàn thành:</span> <del" in history
    assert '<del class="cell-text">40%</del> → <span class="cell-text">60%</span>' in history
    assert "Đang thực hiện" in history  # coded values in words


def test_the_office_gets_links_to_its_task_tools(client, plan, office, police):
    task = task_of(plan, "I.1.1")
    reassign = reverse("task_reassign", args=[task.public_id])
    assert reassign in _page(_login(client, office), task)
    client.logout()
    assert reassign not in _page(_login(client, police), task)


def _queries_for(client, task) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        _page(client, task)
    return len(queries)


def test_the_page_does_not_query_more_as_reports_pile_up(
    client, plan, police, police_unit, office, leader, django_assert_max_num_queries
):
    task = task_of(plan, "I.1.1")
    _login(client, office)
    first = make_report(task, police_unit, police, month=1)
    document_evidence(user=police, report=first)
    _page(client, task)  # warm the session
    few = _queries_for(client, task)
    for month in range(2, 12):
        report = make_report(task, police_unit, police, month=month, done=f"Tháng {month}")
        document_evidence(user=police, report=report)
        document_evidence(user=police, report=report, review=ReviewStatus.REJECTED)
        direction_add(task=task, author=leader, text=f"Ý kiến {month}")
    assert _queries_for(client, task) == few
    with django_assert_max_num_queries(25):
        _page(client, task)


# -- reports folded by period ------------------------------------------------------------------


def test_reports_are_folded_by_period_with_the_latest_open_and_each_earlier_one_line(
    client, plan, police, police_unit
):
    task = task_of(plan, "I.1.1")
    mark_sent(make_report(task, police_unit, police, month=3, percent=30, done="Tháng ba"))
    mark_sent(make_report(task, police_unit, police, month=4, percent=45, done="Tháng tư"))
    make_report(task, police_unit, police, month=5, percent=60, done="Tháng năm")
    page = _page(_login(client, police), task)
    section = page[page.index('id="reports"') : page.index('id="history"')]
    folds = section.split('<details class="report-period')[1:]
    assert len(folds) == 3
    # Newest first: May is open, April and March are folded, each summed up in one line.
    assert folds[0].split(">", 1)[0].endswith(" open")
    assert all(" open>" not in fold.split("</summary>")[0] for fold in folds[1:])
    may, april, march = (fold.split("</summary>")[0] for fold in folds)
    assert "Tháng 5/2026" in may and "60%" in may and "Đang soạn" in may
    assert "Tháng 4/2026" in april and "45%" in april and "Đang thực hiện" in april
    assert "Đã gửi cơ quan thường trực" in april
    assert "Tháng 3/2026" in march and "30%" in march
    # The reports themselves are all on the page, inside their period's fold.
    assert "Tháng ba" in folds[2] and "Tháng tư" in folds[1] and "Tháng năm" in folds[0]
