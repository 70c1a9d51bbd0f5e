"""Safety of the import: confirming asks again when it would surprise, previews left open are
listed, a replaced plan can be put back, and the API keeps the same rules."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from theodoi.audit.models import AuditEntry
from theodoi.importer import services
from theodoi.importer.models import ImportStatus, PlanImport
from theodoi.plans.models import Plan, PlanStatus

from ..factories import PASSWORD, make_plan_import, make_plan_json, unit_of
from ..tracking_factories import make_active_plan, make_report, task_of
from .test_views import SMALL_PLAN

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)


def _ready(commune, plan_json=None):
    """A preview whose unknown unit names are all decided (kept as written)."""
    plan_import = make_plan_import(commune, plan_json)
    for unknown in services.plan_import_unknown_units(plan_import):
        plan_import = services.plan_import_map_unit(
            plan_import=plan_import,
            spelling=unknown.spelling,
            unit=None,
            version=plan_import.version,
        )
    return plan_import


def _confirm(client, plan_import, **extra):
    plan_import.refresh_from_db()
    return client.post(
        reverse("import_confirm", args=[plan_import.public_id]),
        {"version": plan_import.version, **extra},
    )


def _old_plan_with_a_report(commune, police):
    old = make_active_plan(commune, make_plan_json(number="01/KH-UBND"))
    make_report(task_of(old, "I.1.1"), unit_of(commune, "Công an phường"), police)
    return old


def test_a_clean_plan_is_confirmed_without_a_second_question(client, office, commune):
    _login(client, office)
    plan_import = _ready(commune)
    response = _confirm(client, plan_import)
    assert response.status_code == 302
    assert Plan.objects.get(commune=commune).status == PlanStatus.ACTIVE


def test_confirming_another_communes_plan_asks_again_naming_both(client, office, commune):
    _login(client, office)
    plan_import = _ready(commune, make_plan_json(commune="Tân Hòa", issuer="UBND xã Tân Hòa"))
    response = _confirm(client, plan_import)
    assert response.status_code == 409
    text = response.content.decode()
    assert "Tân Hòa" in text and "Hòa Phong" in text
    assert "Tôi đã hiểu, vẫn tạo kế hoạch" in text
    assert not Plan.objects.exists()
    plan_import.refresh_from_db()
    assert plan_import.status == ImportStatus.PREVIEW


def test_confirming_again_after_reading_the_question_creates_the_plan(client, office, commune):
    _login(client, office)
    plan_import = _ready(commune, make_plan_json(commune="Tân Hòa"))
    response = _confirm(client, plan_import, acknowledged="1")
    assert response.status_code == 302
    assert Plan.objects.filter(commune=commune, status=PlanStatus.ACTIVE).count() == 1


def test_a_plan_without_number_or_date_asks_again_saying_so(client, office, commune):
    _login(client, office)
    plan_import = _ready(commune, make_plan_json(number=None, issued_on=None))
    text = _confirm(client, plan_import).content.decode()
    assert "chưa có số, ký hiệu" in text
    assert "chưa có ngày ban hành" in text


def test_the_preview_shows_the_questions_before_confirming(client, office, commune):
    _login(client, office)
    plan_import = _ready(commune, make_plan_json(number=None))
    response = client.get(reverse("import_preview", args=[plan_import.public_id]))
    assert "chưa có số, ký hiệu" in response.content.decode()


def test_replacing_a_plan_with_reports_says_how_many_reports_stay_with_it(
    client, office, police, commune
):
    old = _old_plan_with_a_report(commune, police)
    _login(client, office)
    plan_import = _ready(commune)
    response = _confirm(client, plan_import)
    assert response.status_code == 409
    text = response.content.decode()
    assert "01/KH-UBND" in text
    assert "1 báo cáo và 0 minh chứng" in text
    old.refresh_from_db()
    assert old.status == PlanStatus.ACTIVE


def test_replacing_a_plan_without_reports_asks_nothing(commune):
    make_active_plan(commune, make_plan_json(number="01/KH-UBND"))
    assert services.plan_import_checks(_ready(commune)) == []


def test_unconfirmed_previews_are_listed_on_the_import_page_to_resume_or_discard(
    client, office, commune, other_commune
):
    mine = _ready(commune)
    _ready(other_commune)
    confirmed = _ready(commune)
    confirmed.status = ImportStatus.CONFIRMED
    confirmed.save()
    _login(client, office)
    page = client.get(reverse("import_upload", args=[commune.public_id])).content.decode()
    assert reverse("import_preview", args=[mine.public_id]) in page
    assert page.count(reverse("import_discard", args=[mine.public_id])) == 1
    assert reverse("import_preview", args=[confirmed.public_id]) not in page
    response = client.post(
        reverse("import_discard", args=[mine.public_id]),
        {"version": mine.version, "next": "upload"},
    )
    assert response.url == reverse("import_upload", args=[commune.public_id])
    mine.refresh_from_db()
    assert mine.status == ImportStatus.DISCARDED


def test_the_office_puts_a_replaced_plan_back_in_force_with_its_reason(
    client, office, police, commune
):
    old = _old_plan_with_a_report(commune, police)
    services.plan_import_confirm(
        plan_import=(p := _ready(commune)), user=office, version=p.version, acknowledged=True
    )
    new = Plan.objects.get(commune=commune, status=PlanStatus.ACTIVE)
    _login(client, office)
    client.post(
        reverse("plan_reactivate", args=[old.public_id]),
        {"reason": "Nhập nhầm bản dự thảo"},
    )
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, new.status) == (PlanStatus.ACTIVE, PlanStatus.REPLACED)
    entry = AuditEntry.objects.get(action="plan.reactivate")
    assert "Nhập nhầm bản dự thảo" in entry.summary


def test_a_replaced_plan_is_not_put_back_without_a_reason(client, office, commune):
    old = make_active_plan(commune, make_plan_json(number="01/KH-UBND"))
    services.plan_import_confirm(plan_import=(p := _ready(commune)), user=office, version=p.version)
    _login(client, office)
    response = client.post(
        reverse("plan_reactivate", args=[old.public_id]), {"reason": " "}, follow=True
    )
    assert "Hãy ghi lý do" in response.content.decode()
    old.refresh_from_db()
    assert old.status == PlanStatus.REPLACED


def test_a_unit_user_cannot_put_a_replaced_plan_back(client, office, police, commune):
    old = make_active_plan(commune, make_plan_json(number="01/KH-UBND"))
    services.plan_import_confirm(plan_import=(p := _ready(commune)), user=office, version=p.version)
    _login(client, police)
    response = client.post(reverse("plan_reactivate", args=[old.public_id]), {"reason": "x"})
    assert response.status_code == 404
    old.refresh_from_db()
    assert old.status == PlanStatus.REPLACED


def test_a_task_led_only_by_the_bodies_concerned_shows_a_gap_in_the_preview(
    client, office, commune
):
    _login(client, office)
    plan_text = SMALL_PLAN.replace(
        "Số hóa hồ sơ hộ tịch\tKho dữ liệu hộ tịch\tCông an phường",
        "Số hóa hồ sơ hộ tịch\tKho dữ liệu hộ tịch\tCác cơ quan, đơn vị",
    )
    url = reverse("import_upload", args=[commune.public_id])
    response = client.post(
        url, {"file": SimpleUploadedFile("ke-hoach.txt", plan_text.encode())}, follow=True
    )
    assert "rõ người, rõ trách nhiệm" in response.content.decode()
    plan_import = PlanImport.objects.get(commune=commune)
    task = next(t for t in plan_import.plan_json["tasks"] if t["name"] == "Số hóa hồ sơ hộ tịch")
    assert task["missing"] == ["lead"]
    assert not [
        u for u in services.plan_import_unknown_units(plan_import) if "Các cơ quan" in u.spelling
    ]
