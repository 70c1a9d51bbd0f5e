"""A unit's progress report form: save a draft, send it, keep typed text on a stale save."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from theodoi.accounts.models import Role
from theodoi.tracking.models import ProgressReport, ReportState, TaskStatus
from theodoi.tracking.periods import current_period

from ..factories import PASSWORD, make_plan_json, make_user, unit_of
from ..tracking_factories import make_active_plan, make_report, period_of, task_of
from .helpers import document_evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    return make_active_plan(commune)


@pytest.fixture
def police_unit(commune):  # type: ignore[no-untyped-def]
    return unit_of(commune, "Công an phường")


@pytest.fixture
def as_police(client, police):  # type: ignore[no-untyped-def]
    client.login(username=police.username, password=PASSWORD)
    return client


def _url(task, period=None) -> str:  # type: ignore[no-untyped-def]
    url = reverse("report_edit", args=[task.public_id])
    return f"{url}?period={period.public_id}" if period else url


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "status": "in_progress",
        "percent": "40",
        "done": "Đã số hóa 1.200 hồ sơ hộ tịch",
        "difficulties": "Thiếu máy quét",
        "proposals": "Bổ sung 01 máy quét",
        "pause_reason": "",
        "version": "0",
        "action": "save",
    }
    data.update(overrides)
    return data


def _now(plan):  # type: ignore[no-untyped-def]
    return current_period(plan, timezone.localdate())


def test_police_staff_opens_the_form_for_the_current_period(as_police, plan):
    response = as_police.get(_url(task_of(plan, "I.1.1")))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Số hóa hồ sơ lĩnh vực hộ tịch" in page
    assert _now(plan).label in page
    assert "Chưa báo cáo" in page
    for label in ("Chưa triển khai", "Đang thực hiện", "Hoàn thành", "Tạm dừng"):
        assert label in page
    assert 'name="version" value="0"' in page


def test_saving_a_draft_keeps_it_for_later_and_shows_the_evidence_upload(
    as_police, plan, police_unit
):
    task = task_of(plan, "I.1.1")
    response = as_police.post(_url(task, _now(plan)), _form())
    assert response.status_code == 302
    report = ProgressReport.objects.get(task=task, unit=police_unit, period=_now(plan))
    assert (report.state, report.percent, report.difficulties) == (
        ReportState.DRAFT, 40, "Thiếu máy quét",
    )  # fmt: skip
    page = as_police.get(response["Location"]).content.decode()
    assert "Đã lưu nháp" in page
    assert "Đã số hóa 1.200 hồ sơ hộ tịch" in page
    assert f'name="version" value="{report.version}"' in page


def test_sending_goes_to_the_unit_head_first(as_police, plan, police_unit):
    task = task_of(plan, "I.1.1")
    response = as_police.post(_url(task), _form(action="send"), follow=True)
    assert "chờ lãnh đạo đơn vị xác nhận" in response.content.decode()
    report = ProgressReport.objects.get(task=task, unit=police_unit)
    assert report.state == ReportState.AWAITING_HEAD


def test_a_plan_without_head_confirmation_sends_straight_to_the_office(
    as_police, plan, police_unit
):
    plan.requires_head_confirmation = False
    plan.save()
    task = task_of(plan, "I.1.1")
    response = as_police.post(_url(task), _form(action="send"))
    assert response["Location"] == reverse("task_detail", args=[task.public_id])
    report = ProgressReport.objects.get(task=task, unit=police_unit)
    assert report.state == ReportState.SENT
    assert report.sent_at is not None


def test_completion_without_evidence_is_refused_but_the_draft_is_kept(as_police, plan, police_unit):
    task = task_of(plan, "I.1.1")
    response = as_police.post(_url(task), _form(status="completed", percent="100", action="send"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Báo cáo hoàn thành cần ít nhất một minh chứng" in page
    assert "Bản nháp đã được lưu" in page
    report = ProgressReport.objects.get(task=task, unit=police_unit)
    assert (report.status, report.state) == (TaskStatus.COMPLETED, ReportState.DRAFT)
    # The page now offers the upload for the saved report, and the form has its version.
    assert f'name="version" value="{report.version}"' in page
    assert "Minh chứng" in page


def test_completion_with_evidence_is_sent(as_police, plan, police, police_unit):
    plan.requires_head_confirmation = False
    plan.save()
    task = task_of(plan, "I.1.1")
    report = make_report(task, police_unit, police, month=_now(plan).number)
    document_evidence(user=police, report=report)
    response = as_police.post(
        _url(task),
        _form(status="completed", percent="100", action="send", version=str(report.version)),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.state) == (TaskStatus.COMPLETED, ReportState.SENT)


def test_a_stale_save_keeps_the_typed_text_and_says_why(as_police, plan, police, police_unit):
    task = task_of(plan, "I.1.1")
    as_police.get(_url(task))  # the screen is loaded with no report yet (version 0) ...
    # ... and meanwhile a colleague of the unit saves one.
    theirs = make_report(
        task, police_unit, police, month=_now(plan).number, done="Bản của đồng nghiệp"
    )
    response = as_police.post(_url(task), _form(done="Nội dung tôi vừa gõ", version="0"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "vừa được người khác cập nhật" in page
    assert "Nội dung tôi vừa gõ" in page  # the user's text, to merge
    assert "Bản của đồng nghiệp" in page  # beside the saved one
    assert f'name="version" value="{theirs.version}"' in page
    theirs.refresh_from_db()
    assert theirs.done == "Bản của đồng nghiệp"
    # Saving again from that screen, after merging, goes through.
    retry = as_police.post(_url(task), _form(done="Bản đã gộp", version=str(theirs.version)))
    assert retry.status_code == 302
    theirs.refresh_from_db()
    assert theirs.done == "Bản đã gộp"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": "completed", "percent": "80"}, "phải là 100%"),
        ({"status": "paused", "pause_reason": ""}, "lý do tạm dừng"),
    ],
)
def test_an_inconsistent_report_is_refused_with_the_services_message(
    as_police, plan, fields, message
):
    response = as_police.post(_url(task_of(plan, "I.1.1")), _form(**fields))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_a_percent_out_of_range_is_refused_by_the_form(as_police, plan):
    response = as_police.post(_url(task_of(plan, "I.1.1")), _form(percent="150"))
    assert response.status_code == 400
    assert not ProgressReport.objects.exists()


def test_a_sent_report_is_shown_read_only_and_cannot_be_rewritten(
    as_police, plan, police, police_unit
):
    plan.requires_head_confirmation = False
    plan.save()
    task = task_of(plan, "I.1.1")
    as_police.post(_url(task), _form(action="send"))
    report = ProgressReport.objects.get(task=task)
    page = as_police.get(_url(task)).content.decode()
    assert 'id="report-form"' not in page
    assert "Đã gửi cơ quan thường trực" in page
    response = as_police.post(_url(task), _form(percent="90", version=str(report.version)))
    assert response.status_code == 400
    assert "không sửa được" in response.content.decode()


def test_police_cannot_report_on_another_units_task(as_police, plan):
    task = task_of(plan, "I.1.2")  # led by Phòng Văn hóa - Xã hội
    assert as_police.get(_url(task)).status_code == 404
    assert as_police.post(_url(task), _form()).status_code == 404
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("who", ["office", "leader", "other_office"])
def test_users_without_a_unit_on_the_task_get_not_found(client, plan, who, request):
    client.login(username=request.getfixturevalue(who).username, password=PASSWORD)
    assert client.get(_url(task_of(plan, "I.1.1"))).status_code == 404
    assert client.post(_url(task_of(plan, "I.1.1")), _form()).status_code == 404


def test_a_period_of_another_plan_is_not_found(as_police, plan, commune):
    other = make_active_plan(commune, make_plan_json(number="46/KH-UBND", year=2025))
    task = task_of(plan, "I.1.1")
    assert as_police.get(_url(task, period_of(other, 1))).status_code == 404
    assert as_police.get(_url(task) + "?period=not-a-uuid").status_code == 404


def test_an_earlier_period_can_be_reported(as_police, plan, police_unit):
    task = task_of(plan, "I.1.1")
    march = period_of(plan, 3)
    as_police.post(_url(task, march), _form())
    assert ProgressReport.objects.get(task=task).period == march


def test_a_general_task_sends_the_reporter_to_its_sub_tasks(client, plan, commune):
    pvhcc = unit_of(commune, "Trung tâm Phục vụ hành chính công")
    staff = make_user("pvhcc", role=Role.UNIT_STAFF, commune=commune, unit=pvhcc)
    client.login(username=staff.username, password=PASSWORD)
    task = task_of(plan, "I.1")
    response = client.get(_url(task), follow=True)
    assert response.redirect_chain[-1][0] == reverse("task_detail", args=[task.public_id])
    assert "hãy báo cáo từng nhiệm vụ con" in response.content.decode()


def test_the_unit_heads_own_report_goes_straight_to_the_office(client, plan, commune, police_unit):
    head = make_user("truong-ca", role=Role.UNIT_HEAD, commune=commune, unit=police_unit)
    client.login(username=head.username, password=PASSWORD)
    client.post(_url(task_of(plan, "I.1.1")), _form(action="send"))
    report = ProgressReport.objects.get()
    assert (report.state, report.confirmed_by) == (ReportState.SENT, head)
