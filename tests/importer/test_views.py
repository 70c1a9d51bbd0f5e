from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from theodoi.importer.models import ImportStatus, PlanImport
from theodoi.plans.models import Plan, PlanStatus

from ..factories import PASSWORD, make_plan_import

pytestmark = pytest.mark.django_db

SMALL_PLAN = """ỦY BAN NHÂN DÂN PHƯỜNG HÒA PHONG
Số: 12/KH-UBND
Hòa Phong, ngày 05 tháng 02 năm 2026

KẾ HOẠCH
Chuyển đổi số phường Hòa Phong năm 2026

DANH MỤC NHIỆM VỤ
TT\tTên nhiệm vụ\tSản phẩm đầu ra\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện
I\tChính quyền số\t\t\t\t
1\tSố hóa hồ sơ hộ tịch\tKho dữ liệu hộ tịch\tCông an phường\tPhòng VHXH\tQuý II/2026
2\tTập huấn kỹ năng số\t\tPhòng Văn hóa - Xã hội\tTổ dân phố số 5\tThường xuyên
"""


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)


def _upload(client, commune, name="ke-hoach.txt", data=None):
    data = SMALL_PLAN.encode() if data is None else data
    url = reverse("import_upload", args=[commune.public_id])
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def test_office_uploads_a_plan_and_sees_its_tasks_in_the_preview(client, office, commune):
    _login(client, office)
    response = _upload(client, commune)
    plan_import = PlanImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("import_preview", args=[plan_import.public_id])
    page = client.get(response["Location"]).content.decode()
    assert "Số hóa hồ sơ hộ tịch" in page
    assert "Tập huấn kỹ năng số" in page
    assert "rõ kết quả" in page  # task 2 has no output
    assert 'class="unknown-unit">Tổ dân phố số 5' in page


def test_the_preview_writes_days_as_people_do_never_iso(client, office, commune):
    _login(client, office)
    response = _upload(client, commune)
    page = client.get(response["Location"]).content.decode()
    plan_import = PlanImport.objects.get()
    dues = [t["deadline"]["due"] for t in plan_import.plan_json["tasks"] if t["deadline"]["due"]]
    assert dues
    for due in dues:
        year, month, day = due.split("-")
        assert f"{day}/{month}/{year}" in page
    assert re.search(r"\b20\d\d-\d\d-\d\d\b", page) is None


def test_a_picture_renamed_docx_is_refused_with_a_message_and_nothing_saved(
    client, office, commune
):
    _login(client, office)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
    response = _upload(client, commune, name="ke-hoach.docx", data=png)
    assert response.status_code == 400
    assert "alert-danger" in response.content.decode()
    assert not PlanImport.objects.exists()


def test_an_empty_file_is_refused(client, office, commune):
    _login(client, office)
    response = _upload(client, commune, data=b"")
    assert response.status_code == 400
    assert not PlanImport.objects.exists()


def test_a_file_over_the_limit_is_refused_before_it_is_read(client, office, commune, settings):
    settings.THEODOI_PLAN_MAX_BYTES = 1000
    _login(client, office)
    response = _upload(client, commune, data=b"x" * 5000)
    assert response.status_code == 400
    assert "Tệp quá lớn" in response.content.decode()
    assert not PlanImport.objects.exists()


@pytest.mark.parametrize("who", ["police", "leader", "other_office", "province_officer"])
def test_only_the_communes_plan_managers_can_import(client, commune, who, request):
    _login(client, request.getfixturevalue(who))
    assert client.get(reverse("import_upload", args=[commune.public_id])).status_code == 404
    assert _upload(client, commune).status_code == 404
    plan_import = make_plan_import(commune)
    assert client.get(reverse("import_preview", args=[plan_import.public_id])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, commune):
    response = client.get(reverse("import_upload", args=[commune.public_id]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_editing_a_row_by_plain_form_post_redirects_back_to_it(client, office, commune):
    _login(client, office)
    plan_import = make_plan_import(commune)
    response = client.post(
        reverse("import_edit", args=[plan_import.public_id]),
        {"section": "tasks", "index": "0", "version": plan_import.version,
         "name": "Số hóa toàn bộ hồ sơ", "output": "Kho dữ liệu"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"].endswith("#tasks-0")
    plan_import.refresh_from_db()
    assert plan_import.plan_json["tasks"][0]["name"] == "Số hóa toàn bộ hồ sơ"


def test_editing_with_htmx_returns_the_updated_row_and_the_new_version(client, office, commune):
    _login(client, office)
    plan_import = make_plan_import(commune)
    response = client.post(
        reverse("import_edit", args=[plan_import.public_id]),
        {"section": "tasks", "index": "0", "version": plan_import.version, "output": "Kho dữ liệu"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="tasks-0"' in body
    assert "Kho dữ liệu" in body
    assert f'data-version="{plan_import.version + 1}"' in body
    assert "<html" not in body


def test_a_stale_save_is_refused_and_the_typed_text_stays_on_screen(client, office, commune):
    _login(client, office)
    plan_import = make_plan_import(commune)
    old_version = plan_import.version
    client.post(
        reverse("import_edit", args=[plan_import.public_id]),
        {"section": "tasks", "index": "0", "version": old_version, "name": "Bản của chị Thu"},
    )
    response = client.post(
        reverse("import_edit", args=[plan_import.public_id]),
        {"section": "tasks", "index": "0", "version": old_version, "name": "Bản của anh Bảo"},
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "vừa được người khác sửa" in body
    assert "Bản của anh Bảo" in body
    plan_import.refresh_from_db()
    assert plan_import.plan_json["tasks"][0]["name"] == "Bản của chị Thu"


def test_confirming_after_deciding_units_creates_the_active_plan(client, office, commune):
    _login(client, office)
    plan_import = make_plan_import(commune)
    client.post(
        reverse("import_map_unit", args=[plan_import.public_id]),
        {"spelling": "Tổ dân phố số 5", "unit": "keep", "version": plan_import.version},
    )
    plan_import.refresh_from_db()
    response = client.post(
        reverse("import_confirm", args=[plan_import.public_id]), {"version": plan_import.version}
    )
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("plan_detail", args=[plan.public_id])
    assert plan.status == PlanStatus.ACTIVE
    page = client.get(response["Location"]).content.decode()
    assert "Số hóa hồ sơ lĩnh vực hộ tịch" in page


def test_confirm_with_undecided_units_keeps_the_preview(client, office, commune):
    _login(client, office)
    plan_import = make_plan_import(commune)
    response = client.post(
        reverse("import_confirm", args=[plan_import.public_id]),
        {"version": plan_import.version},
        follow=True,
    )
    assert "chưa xác định" in response.content.decode()
    assert not Plan.objects.exists()


def test_discarding_saves_no_plan(client, office, commune):
    _login(client, office)
    plan_import = make_plan_import(commune)
    client.post(
        reverse("import_discard", args=[plan_import.public_id]), {"version": plan_import.version}
    )
    plan_import.refresh_from_db()
    assert plan_import.status == ImportStatus.DISCARDED
    assert not Plan.objects.exists()
