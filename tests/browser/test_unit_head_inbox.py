"""The unit head on a phone: the home page says a report waits for them, one tap opens it,
they confirm it, and home says nothing waits any more. No page is wider than the phone."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from theodoi.accounts.models import Role
from theodoi.evidence.services import evidence_add_file
from theodoi.tracking.models import ReportState, TaskStatus
from theodoi.tracking.services import report_submit

from ..evidence.factories import pdf_bytes
from ..factories import PASSWORD, make_user, unit_of
from ..tracking_factories import make_active_plan, make_report, task_of
from .signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
TODAY = dt.date(2026, 7, 10)


@pytest.fixture(autouse=True)
def _frozen_day(monkeypatch):  # type: ignore[no-untyped-def]
    # The live server runs in this process: its pages see the same day as the test.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def _page_fits(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def test_unit_head_sees_the_report_waiting_confirms_it_from_the_inbox(
    browser, live_server, commune, police
):
    plan = make_active_plan(commune)
    assert plan.requires_head_confirmation
    unit = unit_of(commune, "Công an phường")
    head = make_user("truong-congan", role=Role.UNIT_HEAD, commune=commune, unit=unit)
    # The staff reports I.1.1 done, with its minutes, and sends it to the head.
    report = make_report(
        task_of(plan, "I.1.1"), unit, police, month=7, status=TaskStatus.COMPLETED, percent=100,
        done="Đã số hóa 3.200 hồ sơ hộ tịch",
    )  # fmt: skip
    data = pdf_bytes()
    evidence_add_file(
        report=report, unit=unit, user=police, filename="bien-ban.pdf",
        fileobj=io.BytesIO(data), size=len(data),
    )  # fmt: skip
    report.refresh_from_db()
    report_submit(report=report, user=police, version=report.version)

    context, page = sign_in(browser, live_server, head.username, PASSWORD, viewport=PHONE)

    # Home: the inbox comes first and says what waits; the bell has the notice.
    row = page.locator("#inbox [data-queue=reports_to_confirm]")
    assert row.inner_text().split("\n")[0].strip() == "1 báo cáo chờ xác nhận"
    assert row.locator(".badge").inner_text() == "1"
    assert page.locator("#nav-notifications .badge").inner_text().startswith("1")
    _page_fits(page)
    page.screenshot(path="/tmp/inbox-1-home.png", full_page=True)

    # One tap: the confirm queue with that report.
    row.click()
    page.wait_for_selector("h1:has-text('Báo cáo chờ lãnh đạo đơn vị xác nhận')")
    assert page.locator(".report").count() == 1
    assert "Đã số hóa 3.200 hồ sơ hộ tịch" in page.inner_text(".report")
    _page_fits(page)
    page.screenshot(path="/tmp/inbox-2-confirm-queue.png", full_page=True)
    page.get_by_role("button", name="Xác nhận và gửi").click()
    page.wait_for_selector("text=Đã xác nhận và gửi báo cáo I.1.1")
    assert page.locator(".report").count() == 0
    _page_fits(page)
    page.screenshot(path="/tmp/inbox-3-confirmed.png", full_page=True)
    report.refresh_from_db()
    assert report.state == ReportState.SENT

    # Back home: nothing waits for confirmation any more.
    page.goto(f"{live_server.url}/")
    assert page.locator("#inbox [data-queue=reports_to_confirm]").count() == 0
    _page_fits(page)
    page.screenshot(path="/tmp/inbox-4-home-after.png", full_page=True)
    context.close()
