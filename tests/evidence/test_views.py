from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from theodoi.alerts.models import Notification
from theodoi.evidence.models import Evidence
from theodoi.evidence.services import evidence_review, evidence_withdraw
from theodoi.tracking.models import ReviewStatus
from theodoi.tracking.services import ValueInput, target_value_save, target_value_submit

from ..factories import unit_of
from ..tracking_factories import make_active_plan, make_report, period_of, target_of, task_of
from .factories import EXE, PNG, add_file, pdf_bytes, sent_completion, staff_of

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    return make_active_plan(commune)


@pytest.fixture
def police_unit(commune):  # type: ignore[no-untyped-def]
    return unit_of(commune, "Công an phường")


@pytest.fixture
def report(plan, police, police_unit):  # type: ignore[no-untyped-def]
    return make_report(task_of(plan, "I.1.1"), police_unit, police)


@pytest.fixture
def sent(plan, police, police_unit):  # type: ignore[no-untyped-def]
    """A completion of I.1.1, sent with one pending file."""
    return sent_completion(plan, police_unit, police)


def upload(client, report, data, name="bien-ban.pdf", **fields):  # type: ignore[no-untyped-def]
    """A plain (non-HTMX) upload form post."""
    return client.post(
        reverse("evidence_upload"),
        {"report": str(report.public_id), "file": SimpleUploadedFile(name, data), **fields},
    )


# --- upload --------------------------------------------------------------------------------


def test_a_unit_uploads_evidence_and_returns_to_its_page(client, report, police):
    client.force_login(police)
    response = upload(client, report, pdf_bytes(), next="/trang-nhiem-vu/")
    assert response.status_code == 302 and response.url == "/trang-nhiem-vu/"
    evidence = Evidence.objects.get()
    assert (evidence.original_name, evidence.uploaded_by) == ("bien-ban.pdf", police)


def test_with_htmx_the_upload_answers_with_the_refreshed_evidence_list(client, report, police):
    client.force_login(police)
    response = client.post(
        reverse("evidence_upload"),
        {"report": str(report.public_id), "file": SimpleUploadedFile("anh.png", PNG)},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="evidence-{report.public_id}"' in html
    evidence = Evidence.objects.get()
    assert reverse("evidence_download", args=[evidence.public_id]) in html
    assert "Chờ thẩm định" in html
    assert "/media/" not in html  # never a public media URL


def test_an_executable_named_pdf_is_refused_with_a_clear_message(client, report, police):
    client.force_login(police)
    response = client.post(
        reverse("evidence_upload"),
        {"report": str(report.public_id), "file": SimpleUploadedFile("bao-cao.pdf", EXE)},
        **HTMX,
    )
    html = response.content.decode()
    assert "thực chất là một chương trình máy tính" in html
    assert not Evidence.objects.exists()


def test_an_oversized_upload_is_refused(client, report, police, settings):
    settings.THEODOI_EVIDENCE_MAX_BYTES = 1024
    client.force_login(police)
    response = upload(client, report, pdf_bytes("x" * 4000), next="/")
    assert response.status_code == 302
    page = client.get(response.url).content.decode()  # the refusal is shown on the next page
    assert "Tệp quá lớn (4 KB, tối đa 1 KB)" in page
    assert not Evidence.objects.exists()


def test_an_empty_upload_is_refused_with_the_services_words(client, report, police):
    client.force_login(police)
    response = client.post(
        reverse("evidence_upload"),
        {"report": str(report.public_id), "file": SimpleUploadedFile("trong.pdf", b"")},
        **HTMX,
    )
    assert "Tệp rỗng" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_document_reference_can_be_posted_instead_of_a_file(client, report, police):
    client.force_login(police)
    response = client.post(
        reverse("evidence_upload"),
        {"report": str(report.public_id), "reference": "466/PVHXH ngày 15/3/2026 V/v triển khai"},
        **HTMX,
    )
    assert "466/PVHXH - 15/03/2026: V/v triển khai" in response.content.decode()


def test_an_unreadable_reference_is_kept_on_screen_with_the_expected_form(client, report, police):
    client.force_login(police)
    response = client.post(
        reverse("evidence_upload"),
        {"report": str(report.public_id), "reference": "công văn tháng trước"},
        **HTMX,
    )
    html = response.content.decode()
    assert "466/PVHXH - 15/03/2026: V/v" in html
    assert 'value="công văn tháng trước"' in html


def test_another_unit_of_the_commune_cannot_upload_on_the_report(client, report, commune):
    other = staff_of(commune, "Phòng Văn hóa - Xã hội", "vhxh")
    client.force_login(other)
    response = client.post(
        reverse("evidence_upload"),
        {"report": str(report.public_id), "file": SimpleUploadedFile("a.pdf", pdf_bytes())},
        **HTMX,
    )
    assert "Chỉ cán bộ của Công an phường" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_user_of_another_commune_cannot_upload_on_the_report(client, report, other_office):
    client.force_login(other_office)
    response = upload(client, report, pdf_bytes())
    assert response.status_code == 404
    assert not Evidence.objects.exists()


def test_the_upload_form_offers_only_the_accepted_types(client, report, police, settings):
    settings.THEODOI_EVIDENCE_TYPES = ["pdf", "jpg"]
    client.force_login(police)
    html = client.post(
        reverse("evidence_upload"), {"report": str(report.public_id)}, **HTMX
    ).content.decode()
    assert 'accept=".pdf,.jpg,.jpeg"' in html
    assert "Hãy chọn tệp minh chứng" in html


def test_the_reference_field_is_hidden_when_the_plan_refuses_references(
    client, plan, report, police
):
    plan.allow_document_evidence = False
    plan.save(update_fields=["allow_document_evidence"])
    client.force_login(police)
    html = client.post(
        reverse("evidence_upload"), {"report": str(report.public_id)}, **HTMX
    ).content.decode()
    assert 'name="file"' in html and 'name="reference"' not in html


# --- download ------------------------------------------------------------------------------


def test_the_download_is_an_attachment_with_the_original_name(client, report, police, leader):
    data = pdf_bytes()
    evidence = add_file(police, report=report, data=data, name="Biên bản.pdf")
    client.force_login(leader)  # anyone who may read the commune
    response = client.get(reverse("evidence_download", args=[evidence.public_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Bi%C3%AAn%20b%E1%BA%A3n.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_named_for_another_type_downloads_under_its_real_extension(client, report, police):
    evidence = add_file(police, report=report, data=PNG, name="anh-chup.pdf")
    client.force_login(police)
    response = client.get(reverse("evidence_download", args=[evidence.public_id]))
    assert response["Content-Type"] == "image/png"
    assert 'filename="anh-chup.png"' in response["Content-Disposition"]


def test_the_office_still_downloads_a_withdrawn_file(client, report, police, office):
    evidence = add_file(police, report=report)
    evidence_withdraw(evidence=evidence, user=police)
    client.force_login(office)
    response = client.get(reverse("evidence_download", args=[evidence.public_id]))
    assert response.status_code == 200


def test_a_missing_file_is_a_404_not_a_crash(client, report, police):
    from django.core.files.storage import default_storage

    evidence = add_file(police, report=report)
    default_storage.delete(evidence.file.name)
    client.force_login(police)
    assert client.get(reverse("evidence_download", args=[evidence.public_id])).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, report, police):
    evidence = add_file(police, report=report)
    response = client.get(reverse("evidence_download", args=[evidence.public_id]))
    assert response.status_code == 302 and "/login/" in response.url


@pytest.mark.parametrize(
    ("name", "method", "data"),
    [
        ("evidence_download", "get", {}),
        ("evidence_withdraw", "post", {}),
        ("evidence_review", "post", {"decision": "accepted"}),
    ],
)
def test_a_user_of_another_commune_gets_404_for_every_evidence_url(
    client, sent, other_office, name, method, data
):
    client.force_login(other_office)
    url = reverse(name, args=[sent.public_id])
    response = getattr(client, method)(url, data)
    assert response.status_code == 404
    sent.refresh_from_db()
    assert (sent.review, sent.withdrawn_at) == (ReviewStatus.PENDING, None)


def test_a_user_of_another_commune_gets_404_for_the_review_queue(client, commune, other_office):
    client.force_login(other_office)
    assert client.get(reverse("review_queue", args=[commune.public_id])).status_code == 404


def test_a_unit_user_gets_404_for_the_review_queue(client, commune, police):
    client.force_login(police)
    assert client.get(reverse("review_queue", args=[commune.public_id])).status_code == 404


# --- withdraw ------------------------------------------------------------------------------


def test_the_unit_withdraws_its_evidence_with_a_plain_post(client, report, police):
    evidence = add_file(police, report=report)
    client.force_login(police)
    response = client.post(
        reverse("evidence_withdraw", args=[evidence.public_id]), {"next": "/nv/"}
    )
    assert response.status_code == 302 and response.url == "/nv/"
    evidence.refresh_from_db()
    assert evidence.withdrawn_at is not None


def test_a_withdrawn_evidence_shows_as_such_without_buttons(client, report, police):
    evidence = add_file(police, report=report)
    client.force_login(police)
    html = client.post(
        reverse("evidence_withdraw", args=[evidence.public_id]), **HTMX
    ).content.decode()
    assert "Đã rút" in html
    assert reverse("evidence_withdraw", args=[evidence.public_id]) not in html


def test_an_unsafe_next_is_ignored(client, report, police):
    evidence = add_file(police, report=report)
    client.force_login(police)
    response = client.post(
        reverse("evidence_withdraw", args=[evidence.public_id]),
        {"next": "https://evil.example/"},
    )
    assert "evil.example" not in response.url


# --- review and the queue ------------------------------------------------------------------


def test_the_queue_shows_pending_evidence_of_its_own_commune_only(
    client, commune, other_commune, sent, office, police, police_unit, other_office
):
    other_plan = make_active_plan(other_commune)
    other_police = staff_of(other_commune, "Công an xã", "congan-tanhoa")
    foreign = sent_completion(other_plan, unit_of(other_commune, "Công an xã"), other_police)
    draft = make_report(task_of(sent.report.task.plan, "I.1.1"), police_unit, police, month=4)
    unsent = add_file(police, report=draft, data=pdf_bytes("chưa gửi"))

    client.force_login(office)
    html = client.get(reverse("review_queue", args=[commune.public_id])).content.decode()
    assert f"review-evidence-{sent.public_id}" in html
    assert f"review-evidence-{foreign.public_id}" not in html
    assert f"review-evidence-{unsent.public_id}" not in html

    client.force_login(other_office)
    html = client.get(reverse("review_queue", args=[other_commune.public_id])).content.decode()
    assert f"review-evidence-{foreign.public_id}" in html
    assert f"review-evidence-{sent.public_id}" not in html


def test_reviewed_evidence_leaves_the_queue(client, commune, sent, office):
    evidence_review(
        evidence=sent, reviewer=office, decision="accepted", note="", version=sent.version
    )
    client.force_login(office)
    html = client.get(reverse("review_queue", args=[commune.public_id])).content.decode()
    assert f"review-evidence-{sent.public_id}" not in html
    assert "Không có minh chứng nào chờ thẩm định" in html


def test_rejecting_from_the_queue_swaps_the_row_and_tells_the_unit(client, sent, office, police):
    client.force_login(office)
    response = client.post(
        reverse("evidence_review", args=[sent.public_id]),
        {"version": sent.version, "decision": "rejected", "note": "Ảnh chụp mờ, không đọc được"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET=f"review-evidence-{sent.public_id}",
    )
    html = response.content.decode()
    assert html.strip().startswith(
        f'<div class="card mb-2 review-row" id="review-evidence-{sent.public_id}"'
    )
    assert "Không đạt" in html and "Ảnh chụp mờ" in html
    assert 'name="decision"' not in html  # reviewed: no more buttons
    assert "Ảnh chụp mờ" in Notification.objects.get(user=police).text


def test_a_rejection_without_reason_keeps_the_row_with_the_message(client, sent, office):
    client.force_login(office)
    response = client.post(
        reverse("evidence_review", args=[sent.public_id]),
        {"version": sent.version, "decision": "rejected", "note": ""},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET=f"review-evidence-{sent.public_id}",
    )
    html = response.content.decode()
    assert "Hãy ghi lý do" in html and 'name="decision"' in html
    sent.refresh_from_db()
    assert sent.review == ReviewStatus.PENDING


def test_a_review_from_an_outdated_screen_shows_the_decision_that_won_and_keeps_the_note(
    client, sent, office
):
    seen = sent.version
    evidence_review(evidence=sent, reviewer=office, decision="accepted", note="", version=seen)
    client.force_login(office)
    response = client.post(
        reverse("evidence_review", args=[sent.public_id]),
        {"decision": "rejected", "note": "Ảnh chụp mờ", "version": seen},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "vừa được người khác cập nhật" in page
    assert 'value="Ảnh chụp mờ"' in page  # the typed reason is still in its box
    assert "Đạt" in page
    sent.refresh_from_db()
    assert sent.review == ReviewStatus.ACCEPTED


def test_a_stale_review_in_the_evidence_list_keeps_the_typed_reason(client, sent, office):
    seen = sent.version
    evidence_review(evidence=sent, reviewer=office, decision="accepted", note="", version=seen)
    client.force_login(office)
    response = client.post(
        reverse("evidence_review", args=[sent.public_id]),
        {"decision": "rejected", "note": "Thiếu trang 2", "version": seen},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "vừa được người khác cập nhật" in html
    assert ">Thiếu trang 2</textarea>" in html
    sent.refresh_from_db()
    assert sent.review == ReviewStatus.ACCEPTED


def test_a_review_naming_no_version_is_refused_and_changes_nothing(client, sent, office):
    client.force_login(office)
    response = client.post(
        reverse("evidence_review", args=[sent.public_id]), {"decision": "accepted"}
    )
    assert response.status_code == 409
    assert "phiên bản" in response.content.decode()
    sent.refresh_from_db()
    assert sent.review == ReviewStatus.PENDING


def test_accepting_with_a_plain_post_returns_to_the_queue(client, commune, sent, office):
    client.force_login(office)
    response = client.post(
        reverse("evidence_review", args=[sent.public_id]),
        {"version": sent.version, "decision": "accepted"},
    )
    assert response.status_code == 302
    assert response.url == reverse("review_queue", args=[commune.public_id])
    sent.refresh_from_db()
    assert sent.review == ReviewStatus.ACCEPTED


def test_a_unit_user_cannot_review_its_own_evidence(client, sent, police):
    client.force_login(police)
    response = client.post(
        reverse("evidence_review", args=[sent.public_id]),
        {"version": sent.version, "decision": "accepted"},
        **HTMX,
    )
    assert "Chỉ cơ quan thường trực" in response.content.decode()
    sent.refresh_from_db()
    assert sent.review == ReviewStatus.PENDING


def test_the_office_sees_review_buttons_in_the_evidence_list(client, sent, office):
    client.force_login(office)
    html = client.post(
        reverse("evidence_review", args=[sent.public_id]),
        {"version": sent.version, "decision": "bogus"},
        **HTMX,
    ).content.decode()
    assert "Hãy chọn Đạt hoặc Không đạt" in html
    assert reverse("evidence_review", args=[sent.public_id]) in html
    assert 'name="file"' not in html  # the office is not the unit: no upload form


# --- target values in the queue ------------------------------------------------------------


@pytest.fixture
def pvhcc_staff(commune):  # type: ignore[no-untyped-def]
    return staff_of(commune, "Trung tâm Phục vụ hành chính công", "pvhcc")


def _sent_value(plan, staff, value):  # type: ignore[no-untyped-def]
    unit = staff.memberships.get().unit
    tv = target_value_save(
        target=target_of(plan, "1"), period=period_of(plan, 3), unit=unit, user=staff,
        data=ValueInput(value=Decimal(value)),
    )  # fmt: skip
    if value >= 90:
        add_file(staff, target_value=tv)
    return target_value_submit(target_value=tv, user=staff, version=tv.version)


def test_the_queue_lists_sent_target_values_and_accepts_them(
    client, commune, plan, office, pvhcc_staff
):
    value = _sent_value(plan, pvhcc_staff, 70)
    client.force_login(office)
    html = client.get(reverse("review_queue", args=[commune.public_id])).content.decode()
    assert f"review-value-{value.public_id}" in html
    response = client.post(
        reverse("target_value_review", args=[value.public_id]),
        {"decision": "accepted", "value_version": value.version},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET=f"review-value-{value.public_id}",
    )
    assert "Đã thẩm định giá trị chỉ tiêu 1: Đạt" in response.content.decode()
    value.refresh_from_db()
    assert value.review == ReviewStatus.ACCEPTED


def test_a_meeting_value_waits_for_accepted_evidence(client, plan, office, pvhcc_staff):
    value = _sent_value(plan, pvhcc_staff, 95)
    client.force_login(office)
    url = reverse("target_value_review", args=[value.public_id])
    html = client.post(
        url, {"decision": "accepted", "value_version": value.version}, **HTMX
    ).content.decode()
    assert "minh chứng đạt" in html
    evidence = value.evidence.get()
    client.post(
        reverse("evidence_review", args=[evidence.public_id]),
        {"version": evidence.version, "decision": "accepted"},
    )
    response = client.post(url, {"decision": "accepted", "value_version": value.version})
    assert response.status_code == 302
    value.refresh_from_db()
    assert value.review == ReviewStatus.ACCEPTED


def test_a_value_review_from_an_outdated_screen_is_refused(client, plan, office, pvhcc_staff):
    value = _sent_value(plan, pvhcc_staff, 70)
    client.force_login(office)
    html = client.post(
        reverse("target_value_review", args=[value.public_id]),
        {"decision": "rejected", "note": "Sai số", "value_version": value.version - 1},
        **HTMX,
    ).content.decode()
    assert "vừa được người khác cập nhật" in html
    assert 'value="Sai số"' in html  # the typed reason stays on screen


def test_only_the_office_reviews_target_values(client, plan, pvhcc_staff, other_office):
    value = _sent_value(plan, pvhcc_staff, 70)
    client.force_login(pvhcc_staff)
    url = reverse("target_value_review", args=[value.public_id])
    html = client.post(
        url, {"decision": "accepted", "value_version": value.version}, **HTMX
    ).content.decode()
    assert "Chỉ cơ quan thường trực" in html
    client.force_login(other_office)
    assert client.post(url, {"decision": "accepted"}).status_code == 404
    value.refresh_from_db()
    assert value.review == ReviewStatus.PENDING


def test_the_queue_costs_the_same_queries_however_many_items_wait(
    client, commune, sent, office, police
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(office)
    url = reverse("review_queue", args=[commune.public_id])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(4):
        add_file(police, report=sent.report, data=pdf_bytes(f"thêm {n}"))
    with CaptureQueriesContext(connection) as five:
        html = client.get(url).content.decode()
    assert html.count('class="card mb-2 review-row"') == 5
    assert len(five) == len(one)


def test_a_document_reference_has_nothing_to_download(client, report, police):
    from .factories import add_document

    evidence = add_document(police, report=report)
    client.force_login(police)
    assert client.get(reverse("evidence_download", args=[evidence.public_id])).status_code == 404
