"""Unit staff on a 390 px phone: a report with a photo in one submit, and a report typed with
the connection gone that arrives, once, when the connection returns."""

from __future__ import annotations

import os
import tempfile

import pytest
from django.urls import reverse

from theodoi.evidence.models import Evidence
from theodoi.tracking.models import ProgressReport, ReportState

from ..evidence.factories import heic_bytes
from ..factories import PASSWORD
from ..tracking_factories import make_active_plan, task_of
from .signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("THEODOI_SHOTS") or tempfile.mkdtemp(prefix="theodoi-shots-")


def _phone(browser, live_server, user):  # type: ignore[no-untyped-def]
    return sign_in(browser, live_server, user.username, PASSWORD, viewport=PHONE)


def _narrow(page) -> bool:  # type: ignore[no-untyped-def]
    return bool(page.evaluate("document.documentElement.scrollWidth <= 390"))


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def report_url(live_server, commune):  # type: ignore[no-untyped-def]
    plan = make_active_plan(commune)
    plan.requires_head_confirmation = False
    plan.save()
    task = task_of(plan, "I.1.1")
    return f"{live_server.url}{reverse('report_edit', args=[task.public_id])}"


def test_a_phone_photo_goes_with_the_report_in_one_submit(browser, live_server, police, report_url):
    context, page = _phone(browser, live_server, police)
    page.goto(report_url)
    assert _narrow(page)
    _shot(page, "1-report-form")
    page.check("input[name=status][value=completed]")
    page.fill("input[name=percent]", "100")
    page.fill("textarea[name=done]", "Đã số hóa toàn bộ 3.200 hồ sơ hộ tịch")
    photo = {"name": "IMG_0042.HEIC", "mimeType": "image/heic", "buffer": heic_bytes()}
    page.set_input_files("#report-files", files=[photo])
    page.get_by_role("button", name="Gửi", exact=True).click()
    page.wait_for_selector("text=Đã gửi báo cáo đến cơ quan thường trực")
    assert _narrow(page)
    _shot(page, "2-report-sent")
    report = ProgressReport.objects.get()
    assert report.state == ReportState.SENT
    assert Evidence.objects.get(report=report).original_name == "IMG_0042.jpg"
    context.close()


def test_a_report_typed_offline_is_sent_once_when_the_connection_returns(
    browser, live_server, police, report_url
):
    context, page = _phone(browser, live_server, police)
    page.goto(report_url)
    context.set_offline(True)
    page.fill("input[name=percent]", "70")
    page.fill("textarea[name=done]", "Đã lắp 12 camera, còn 5 camera chờ nguồn điện")
    page.get_by_role("button", name="Gửi", exact=True).click()
    page.wait_for_selector("#offline-state[data-state=pending]")
    assert "Chưa gửi được — sẽ gửi khi có mạng" in page.inner_text("#offline-state")
    assert _narrow(page)
    _shot(page, "3-offline-pending")
    assert not ProgressReport.objects.exists()

    context.set_offline(False)
    page.wait_for_selector("text=Đã gửi báo cáo đến cơ quan thường trực")
    _shot(page, "4-back-online-sent")
    # Coming back to the form does not send it again.
    page.goto(report_url)
    page.wait_for_load_state("networkidle")
    report = ProgressReport.objects.get()
    assert (report.state, report.percent) == (ReportState.SENT, 70)
    assert page.evaluate("Object.keys(localStorage).length") == 0
    context.close()
