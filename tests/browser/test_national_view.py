"""The province officer on a 390 px phone compares the province with the rest of the
country: neither the page nor the table scrolls sideways (the table becomes a list), and the
officer's own province opens its dashboard."""

from __future__ import annotations

import pytest
from bench.generate import generate_province
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from ..factories import PASSWORD
from .test_review_and_province import PHONE, _login, _shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_province_officer_compares_the_province_with_the_rest_on_a_phone(browser, live_server):
    today = timezone.localdate()
    home = generate_province(
        communes=3, tasks=10, targets=4, today=today, code="tn", name="Tỉnh Nam"
    )
    generate_province(communes=2, tasks=10, targets=4, today=today, code="tb", name="Tỉnh Bắc")
    home.officer.set_password(PASSWORD)
    home.officer.save()
    context, page = _login(browser, live_server, home.officer, PHONE)
    page.goto(f"{live_server.url}{reverse('province_dashboard', args=['tn'])}")
    page.click("#national-link")
    page.wait_for_selector("#national-table")
    assert page.locator(".province-row").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth <= 390")
    table = page.locator("#national-table")
    assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
    _shot(page, "8-national-phone")
    assert page.locator(".province-row[data-province=tb] a").count() == 0
    page.click(".province-row[data-province=tn] a")
    page.wait_for_selector("#ranking-table")
    assert "Tỉnh Nam" in page.content()
    context.close()


def test_a_system_administrators_longer_top_bar_wraps_on_a_phone(browser, live_server):
    """The administrator's bar holds the most links (people, administration): on a 390 px
    phone they wrap onto a second line rather than push the page sideways."""
    generate_province(communes=1, tasks=4, targets=2, today=timezone.localdate(), code="tn")
    admin = User.objects.create_superuser("quantri-thu", password=PASSWORD)
    context, page = _login(browser, live_server, admin, PHONE)
    page.goto(f"{live_server.url}{reverse('national_dashboard')}")
    page.wait_for_selector("#national-table")
    assert page.evaluate("document.documentElement.scrollWidth <= 390")
    assert page.get_by_role("button", name="Đăng xuất").is_visible()
    _shot(page, "8-national-phone-administrator")
    context.close()
