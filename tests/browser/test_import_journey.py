"""The standing office imports a plan in a real browser, on a desktop and on a phone."""

from __future__ import annotations

import pytest

from theodoi.plans.models import Plan, PlanStatus

from ..factories import PASSWORD
from ..importer.test_views import SMALL_PLAN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_office_imports_corrects_and_confirms_a_plan(
    browser, live_server, office, commune, tmp_path, width
):
    plan_file = tmp_path / "ke-hoach.txt"
    plan_file.write_text(SMALL_PLAN, encoding="utf-8")
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
    page = context.new_page()

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", office.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.click("text=Nhập kế hoạch")
    page.set_input_files("input[type=file]", str(plan_file))
    page.click("text=Đọc và xem trước")

    # The task without an output is flagged; fill it in place (HTMX, no reload).
    row = page.locator("#tasks-1")
    assert "rõ kết quả" in row.inner_text()
    row.get_by_role("link", name="Sửa").click()
    page.fill("#tasks-1 textarea[name=output]", "Danh sách học viên được tập huấn")
    page.click("#tasks-1 button[type=submit]")
    page.wait_for_selector("#tasks-1 >> text=Danh sách học viên được tập huấn")
    assert "rõ kết quả" not in page.locator("#tasks-1").inner_text()

    # An unrecognised unit must be decided before the plan can be created.
    assert page.locator("text=Xác nhận và tạo kế hoạch").is_disabled()
    page.select_option("#units select[name=unit]", "keep")
    with page.expect_navigation():
        page.click("#units button[type=submit]")
    page.click("text=Xác nhận và tạo kế hoạch")

    page.wait_for_selector("text=Đã tạo kế hoạch")
    assert "Danh sách học viên được tập huấn" in page.content()
    plan = Plan.objects.get(commune=commune)
    assert plan.status == PlanStatus.ACTIVE
    assert plan.tasks.get(name="Tập huấn kỹ năng số").output == "Danh sách học viên được tập huấn"
    # Nothing on the page is wider than the screen, phones included.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    context.close()
