"""The tracking loop on a phone: a unit reports completion with evidence, the office rejects
it, the unit sends new evidence, the office accepts it, and the task counts as done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from theodoi.evidence.models import Evidence
from theodoi.tracking.models import ReportState, ReviewStatus

from ..factories import PASSWORD
from ..tracking_factories import make_active_plan, task_of
from .signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _pdf(title: str) -> dict[str, object]:
    body = f"%PDF-1.4\n% {title}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
    return {"name": f"{title}.pdf", "mimeType": "application/pdf", "buffer": body.encode()}


def _login(browser, live_server, user, refused: list[str]):  # type: ignore[no-untyped-def]
    return sign_in(browser, live_server, user.username, PASSWORD, viewport=PHONE, refused=refused)


def _fits_the_screen(page) -> bool:  # type: ignore[no-untyped-def]
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_police_report_completion_from_a_phone_and_the_office_reviews_the_evidence(
    browser, live_server, commune, police, office
):
    plan = make_active_plan(commune)
    plan.requires_head_confirmation = False  # the head's step has its own tests
    plan.save()
    task = task_of(plan, "I.1.1")
    task_url = f"{live_server.url}{reverse('task_detail', args=[task.public_id])}"
    queue_url = f"{live_server.url}{reverse('review_queue', args=[commune.public_id])}"

    # The police staff opens "Nhiệm vụ của đơn vị" and reports I.1.1 as completed.
    refused: list[str] = []
    staff_context, staff = _login(browser, live_server, police, refused)
    staff.click(".navbar >> text=Nhiệm vụ")
    staff.wait_for_selector("h1:has-text('Nhiệm vụ của đơn vị')")
    assert _fits_the_screen(staff)
    staff.locator(f"#task-{task.public_id}").get_by_role("link", name="Báo cáo").click()
    staff.check("input[name=status][value=completed]")
    staff.fill("input[name=percent]", "100")
    staff.fill("textarea[name=done]", "Đã số hóa toàn bộ 3.200 hồ sơ hộ tịch")
    staff.get_by_role("button", name="Gửi", exact=True).click()

    # Refused without evidence; the draft is kept and the upload is right there.
    staff.wait_for_selector("#report-error")
    assert "cần ít nhất một minh chứng" in staff.inner_text("#report-error")
    assert _fits_the_screen(staff)
    staff.set_input_files("#evidence input[type=file]", files=[_pdf("bien-ban-nghiem-thu")])
    staff.get_by_role("button", name="Nộp minh chứng").click()
    staff.wait_for_selector("#evidence >> text=bien-ban-nghiem-thu.pdf")
    staff.get_by_role("button", name="Gửi", exact=True).click()
    staff.wait_for_selector("text=Đã gửi báo cáo đến cơ quan thường trực")
    assert "Hoàn thành, chờ thẩm định minh chứng" in staff.inner_text("#task-state")
    report = task.reports.get()
    assert report.state == ReportState.SENT

    # The office rejects the file with a reason in its review queue.
    office_context, desk = _login(browser, live_server, office, refused)
    desk.goto(queue_url)
    row = desk.locator(".review-row", has_text="bien-ban-nghiem-thu.pdf")
    row.locator("input[name=note]").fill("Biên bản chưa có chữ ký, đóng dấu")
    row.get_by_role("button", name="Không đạt").click()
    desk.wait_for_selector(".review-row >> text=Biên bản chưa có chữ ký, đóng dấu")
    assert _fits_the_screen(desk)
    assert Evidence.objects.get().review == ReviewStatus.REJECTED

    # The staff sees the rejection on the task page and uploads a signed copy there.
    staff.goto(task_url)
    assert staff.inner_text("#task-state") == "Minh chứng không đạt, chưa hoàn thành"
    assert "Biên bản chưa có chữ ký, đóng dấu" in staff.inner_text("#reports")
    assert _fits_the_screen(staff)
    staff.set_input_files("#reports input[type=file]", files=[_pdf("bien-ban-da-ky")])
    staff.locator("#reports").get_by_role("button", name="Nộp minh chứng").click()
    staff.wait_for_selector("#reports >> text=bien-ban-da-ky.pdf")

    # The office accepts the new file.
    desk.goto(queue_url)
    row = desk.locator(".review-row", has_text="bien-ban-da-ky.pdf")
    row.get_by_role("button", name="Đạt", exact=True).click()
    desk.wait_for_function(
        "() => !document.querySelector('.review-row form input[value=accepted]')"
    )
    assert Evidence.objects.get(original_name="bien-ban-da-ky.pdf").review == ReviewStatus.ACCEPTED

    # The task is done, on time or late depending on today against its 30/06/2026 deadline.
    staff.goto(task_url)
    late = timezone.localdate() > dt.date(2026, 6, 30)
    expected = "Hoàn thành trễ hạn" if late else "Hoàn thành đúng hạn"
    assert staff.inner_text("#task-state") == expected
    assert staff.inner_text("#task-percent") == "100%"
    assert _fits_the_screen(staff)
    assert refused == []  # nothing on these pages needed an inline style or script
    staff_context.close()
    office_context.close()
