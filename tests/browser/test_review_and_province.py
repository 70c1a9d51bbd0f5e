"""The office reviews evidence with the file shown on the page (390 px phone), and the
province officer reads, searches, sorts and downloads the page of a 100-commune province."""

from __future__ import annotations

import io
import os
import tempfile

import pytest
from bench.generate import generate_province
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from theodoi.tracking.models import ReviewStatus

from ..evidence.factories import sent_completion
from ..factories import PASSWORD, unit_of
from ..tracking_factories import make_active_plan
from .signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}
SHOTS = os.environ.get("THEODOI_SHOTS") or tempfile.mkdtemp(prefix="theodoi-shots-")


def _login(browser, live_server, user, viewport):  # type: ignore[no-untyped-def]
    return sign_in(browser, live_server, user.username, PASSWORD, viewport=viewport)


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), "#2e7d32").save(buffer, format="JPEG")
    return buffer.getvalue()


def test_the_office_sees_the_photo_on_the_review_page_and_accepts_it(
    browser, live_server, commune, police, office
):
    plan = make_active_plan(commune)
    evidence = sent_completion(plan, unit_of(commune, "Công an phường"), police, data=_photo())
    context, page = _login(browser, live_server, office, PHONE)
    page.goto(f"{live_server.url}{reverse('review_queue', args=[commune.public_id])}")
    thumb = page.locator("img.evidence-thumb")
    thumb.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const i = document.querySelector('img.evidence-thumb');"
        " return i && i.complete && i.naturalWidth === 640; }"
    )
    assert page.evaluate("document.documentElement.scrollWidth <= 390")
    _shot(page, "5-office-review-photo")
    page.get_by_role("button", name="Đạt", exact=True).click()
    page.wait_for_function("() => !document.querySelector('.review-row input[value=accepted]')")
    evidence.refresh_from_db()
    assert evidence.review == ReviewStatus.ACCEPTED
    context.close()


def test_the_province_officer_searches_sorts_follows_and_downloads(browser, live_server):
    generated = generate_province(
        communes=100, tasks=3, targets=1, today=timezone.localdate(), code="tn", name="Thử"
    )
    officer = generated.officer
    officer.set_password(PASSWORD)
    officer.save()
    context, page = _login(browser, live_server, officer, DESK)
    assert page.locator(".province-line").count() == 1
    page.get_by_role("link", name="So sánh các xã, phường").click()
    page.wait_for_selector("#ranking-table")
    assert page.locator("tr.commune-row").count() == 25
    assert "trong 100" in page.inner_text("#ranking-count")
    _shot(page, "6-province-page")

    # Search by a name typed without diacritics.
    wanted = generated.plans[7].commune
    page.fill("#q", wanted.name.split()[-1])
    page.get_by_role("button", name="Xem").click()
    page.wait_for_selector(f"tr.commune-row[data-commune='{wanted.code}']")
    _shot(page, "7-province-search")

    # Sort by name, then every link of the ranking opens a page.
    page.goto(f"{live_server.url}{reverse('province_dashboard', args=['tn'])}?sort=name")
    # The line reads "xã Thử Nghiệm 001": sorted by the name, whatever the kind.
    names = [t.split(" ", 1)[1] for t in page.locator("tr.commune-row th").all_inner_texts()]
    assert names == sorted(names, key=str.casefold)
    hrefs = set(page.eval_on_selector_all("#ranking a[href]", "els => els.map(e => e.href)"))
    assert len(hrefs) > 25
    for href in sorted(hrefs):
        assert page.request.get(href).status == 200, href

    # The province reports download from the page.
    for label, suffix in (("Excel", ".xlsx"), ("Word", ".docx")):
        with page.expect_download() as download:
            page.get_by_role("link", name=label).click()
        assert download.value.suggested_filename.endswith(suffix)
    context.close()
