"""The whole journey in a real browser, on a desktop and on a 390 px phone.

The commune admin imports the plan and creates a unit user; the unit reports completion with a
PDF; the standing office rejects it; the warning reaches the leader's dashboard; the unit sends
a signed copy, which is accepted; the quarterly report downloads as Word.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document

from theodoi.accounts.models import Role
from theodoi.evidence.models import Evidence
from theodoi.plans.models import Plan
from theodoi.tracking.models import ReviewStatus

from ..factories import PASSWORD, make_user
from ..importer.test_views import SMALL_PLAN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Cong-an-Hoa-Phong-2026"


def _pdf(title: str) -> dict[str, object]:
    body = f"%PDF-1.4\n% {title}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
    return {"name": f"{title}.pdf", "mimeType": "application/pdf", "buffer": body.encode()}


def _sign_in(browser, live_server, viewport, username, password):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=viewport, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    return context, page


def _fits(page) -> bool:  # type: ignore[no-untyped-def]
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_from_the_signed_plan_to_the_quarterly_report(
    browser, live_server, commune, office, leader, tmp_path, width
):
    viewport = {"width": width, "height": 900}
    admin = make_user("quantri", role=Role.COMMUNE_ADMIN, commune=commune)
    plan_file = tmp_path / "ke-hoach.txt"
    plan_file.write_text(SMALL_PLAN, encoding="utf-8")

    # 1. The commune admin imports the plan.
    admin_ctx, page = _sign_in(browser, live_server, viewport, admin.username, PASSWORD)
    page.click("main >> text=Nhập kế hoạch")
    page.set_input_files("input[type=file]", str(plan_file))
    page.click("text=Đọc và xem trước")
    page.select_option("#units select[name=unit]", "keep")
    page.click("#units button[type=submit]")
    page.click("text=Xác nhận và tạo kế hoạch")
    page.wait_for_selector("text=Đã tạo kế hoạch")
    plan = Plan.objects.get(commune=commune)
    # This commune lets unit staff send reports straight to the office (a plan setting).
    plan.requires_head_confirmation = False
    plan.save()
    task = plan.tasks.get(name="Số hóa hồ sơ hộ tịch")

    # 2. ... and creates an account for a Công an phường officer.
    page.goto(f"{live_server.url}{reverse('person_create', args=[commune.public_id])}")
    page.fill("#id_full_name", "Lê Quốc Bảo")
    page.fill("#id_username", "bao.congan")
    page.select_option("select[name=role]", Role.UNIT_STAFF.value)
    page.select_option("select[name=unit]", label="Công an phường")
    page.click("text=Tạo tài khoản")
    temporary = page.inner_text("#one-time-password").strip()
    assert _fits(page)
    admin_ctx.close()

    # 3. The officer signs in, must change the temporary password, then reports completion.
    staff_ctx, staff = _sign_in(browser, live_server, viewport, "bao.congan", temporary)
    staff.fill("#id_old_password", temporary)
    staff.fill("#id_new_password1", NEW_PASSWORD)
    staff.fill("#id_new_password2", NEW_PASSWORD)
    staff.click("text=Đổi mật khẩu >> nth=-1")
    task_url = f"{live_server.url}{reverse('task_detail', args=[task.public_id])}"
    staff.goto(f"{live_server.url}{reverse('report_edit', args=[task.public_id])}")
    staff.check("input[name=status][value=completed]")
    staff.fill("input[name=percent]", "100")
    staff.fill("textarea[name=done]", "Đã số hóa 3.200 hồ sơ hộ tịch")
    staff.get_by_role("button", name="Gửi", exact=True).click()
    staff.wait_for_selector("#report-error")  # completion without evidence is refused
    staff.set_input_files("#evidence input[type=file]", files=[_pdf("bien-ban")])
    staff.get_by_role("button", name="Nộp minh chứng").click()
    staff.wait_for_selector("#evidence >> text=bien-ban.pdf")
    staff.get_by_role("button", name="Gửi", exact=True).click()
    staff.wait_for_selector("text=Đã gửi báo cáo đến cơ quan thường trực")
    assert _fits(staff)

    # 4. The standing office rejects the evidence.
    office_ctx, desk = _sign_in(browser, live_server, viewport, office.username, PASSWORD)
    desk.goto(f"{live_server.url}{reverse('review_queue', args=[commune.public_id])}")
    row = desk.locator(".review-row", has_text="bien-ban.pdf")
    row.locator("input[name=note]").fill("Biên bản chưa có chữ ký, đóng dấu")
    row.get_by_role("button", name="Không đạt").click()
    desk.wait_for_selector(".review-row >> text=Biên bản chưa có chữ ký, đóng dấu")
    assert Evidence.objects.get().review == ReviewStatus.REJECTED

    # 5. The warning appears on the leader's dashboard.
    lead_ctx, boss = _sign_in(browser, live_server, viewport, leader.username, PASSWORD)
    boss.goto(f"{live_server.url}{reverse('commune_dashboard', args=[plan.public_id])}")
    assert "minh chứng hoàn thành không đạt" in boss.content()
    assert _fits(boss)
    lead_ctx.close()

    # 6. The officer sends a signed copy; the office accepts it.
    staff.goto(task_url)
    staff.set_input_files("#reports input[type=file]", files=[_pdf("bien-ban-da-ky")])
    staff.locator("#reports").get_by_role("button", name="Nộp minh chứng").click()
    staff.wait_for_selector("#reports >> text=bien-ban-da-ky.pdf")
    desk.goto(f"{live_server.url}{reverse('review_queue', args=[commune.public_id])}")
    desk.locator(".review-row", has_text="bien-ban-da-ky.pdf").get_by_role(
        "button", name="Đạt", exact=True
    ).click()
    desk.wait_for_function(
        "() => !document.querySelector('.review-row form input[value=accepted]')"
    )
    staff.goto(task_url)
    assert staff.inner_text("#task-state").startswith("Hoàn thành")
    staff_ctx.close()

    # 7. The quarterly report downloads as an editable Word document.
    desk.goto(
        f"{live_server.url}{reverse('report_page', args=[plan.public_id])}?kind=quarter&number=2"
    )
    assert _fits(desk)
    with desk.expect_download() as download:
        desk.click("text=Tải bản Word (DOCX)")
    path = download.value.path()
    assert download.value.suggested_filename.endswith(".docx")
    document = Document(io.BytesIO(Path(path).read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(cell.text for t in document.tables for row in t.rows for cell in row.cells)
    assert "BÁO CÁO" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    office_ctx.close()
