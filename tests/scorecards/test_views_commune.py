"""The commune's self-assessment pages and the province's appraisal on them; isolation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from theodoi.accounts.models import Role
from theodoi.scorecards.models import CriterionEvidence, EntryStatus
from theodoi.scorecards.services import EntryInput, entry_appraise, entry_save

from ..evidence.factories import EXE, heic_bytes, pdf_bytes
from ..factories import make_commune, make_province, make_user, unit_of
from ..tracking_factories import make_active_plan
from .helpers import assessment_of, entry_of, make_scorecard

pytestmark = pytest.mark.django_db
D = Decimal


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def scorecard(province, commune, other_commune):  # type: ignore[no-untyped-def]
    return make_scorecard(province)


@pytest.fixture
def assessment(scorecard, commune):  # type: ignore[no-untyped-def]
    return assessment_of(scorecard, commune)


def _url(name: str, obj) -> str:  # type: ignore[no-untyped-def]
    return reverse(name, args=[obj.public_id])


def _entry_form(**overrides: str) -> dict[str, str]:
    data = {"value": "", "status": EntryStatus.IN_PROGRESS, "note": "", "responsible_unit": "",
            "due_on": "", "version": "1"}  # fmt: skip
    data.update(overrides)
    return data


# --- isolation -------------------------------------------------------------------------------


def _assessment_pages(assessment):  # type: ignore[no-untyped-def]
    entry = entry_of(assessment, "A1")
    return [
        _url("assessment_detail", assessment),
        _url("assessment_results", assessment),
        _url("assessment_export_xlsx", assessment),
        _url("assessment_export_docx", assessment),
        _url("assessment_entry", entry),
    ]


@pytest.mark.parametrize("who", ["office", "leader", "police", "province_officer"])
def test_the_commune_and_its_province_read_the_assessment(request, who, assessment):
    client = _client(request.getfixturevalue(who))
    for url in _assessment_pages(assessment):
        assert client.get(url).status_code == 200, url


def test_another_commune_and_another_province_get_a_404(assessment, other_office):
    stranger = make_user("so-bx", role=Role.PROVINCE_OFFICER, province=make_province("Biển Xanh"))
    entry = entry_of(assessment, "A1")
    for user in (other_office, stranger):
        client = _client(user)
        for url in _assessment_pages(assessment):
            assert client.get(url).status_code == 404, url
        assert (
            client.post(_url("assessment_entry", entry), _entry_form(value="4")).status_code == 404
        )
        assert client.post(_url("entry_appraise", entry), {"points": "0"}).status_code == 404
        assert client.post(_url("entry_explain", entry), {"explanation": "x"}).status_code == 404
    entry.refresh_from_db()
    assert entry.value is None and entry.appraised_score is None


def test_the_commune_page_lists_its_own_assessment_only(scorecard, commune, office, other_office):
    page = _client(office).get(_url("commune_scorecards", commune)).content.decode()
    assert _url("assessment_detail", assessment_of(scorecard, commune)) in page
    assert _client(other_office).get(_url("commune_scorecards", commune)).status_code == 404


def test_a_commune_created_after_publication_starts_its_assessment(scorecard, province):
    late = make_commune("Suối Mây", "xã", province)
    office = make_user("vp-suoimay", role=Role.STANDING_OFFICE, commune=late)
    page = _client(office).get(_url("commune_scorecards", late)).content.decode()
    assert "Bắt đầu tự đánh giá" in page
    response = _client(office).post(
        reverse("assessment_start", args=[late.public_id, scorecard.public_id])
    )
    assert response["Location"] == _url("assessment_detail", assessment_of(scorecard, late))


# --- the self-assessment ---------------------------------------------------------------------


def test_the_office_fills_a_criterion_and_sees_its_score(assessment, office, commune):
    entry = entry_of(assessment, "A1")
    police_unit = unit_of(commune, "Công an phường")
    response = _client(office).post(
        _url("assessment_entry", entry),
        _entry_form(value="3", responsible_unit=str(police_unit.pk), due_on="2026-12-15"),
    )
    assert response.status_code == 302
    page = _client(office).get(_url("assessment_entry", entry)).content.decode()
    assert '<div class="fs-5 fw-bold" id="entry-self-score">15</div>' in page
    detail = _client(office).get(_url("assessment_detail", assessment)).content.decode()
    assert "Công an phường" in detail
    assert "15/12/2026" in detail


def test_the_unit_choice_starts_with_a_sentence_not_dashes(assessment, office):
    page = _client(office).get(_url("assessment_entry", entry_of(assessment, "A1")))
    text = page.content.decode()
    assert "— Chưa giao đơn vị —" in text
    assert "---------" not in text


def test_a_refused_save_keeps_what_was_typed_and_says_why(assessment, office):
    entry = entry_of(assessment, "A1")
    response = _client(office).post(
        _url("assessment_entry", entry), _entry_form(value="4", status=EntryStatus.DONE)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "yêu cầu minh chứng" in page
    assert 'value="4"' in page


def test_a_unit_without_responsibility_sees_no_form_and_cannot_post(assessment, police):
    entry = entry_of(assessment, "A1")
    page = _client(police).get(_url("assessment_entry", entry)).content.decode()
    assert 'id="entry-form"' not in page
    response = _client(police).post(_url("assessment_entry", entry), _entry_form(value="4"))
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.value is None


def test_the_status_filter_keeps_only_criteria_in_that_status(assessment, office):
    entry = entry_of(assessment, "A2")
    entry_save(entry=entry, user=office, data=EntryInput(yes=True), version=entry.version)
    url = _url("assessment_detail", assessment) + "?status=in_progress"
    page = _client(office).get(url).content.decode()
    assert page.count('class="entry-row"') == 1
    assert f'id="row-{entry.public_id}"' in page


# --- evidence --------------------------------------------------------------------------------


def test_evidence_is_uploaded_downloaded_in_the_province_and_withdrawn(
    assessment, office, province_officer, other_office
):
    entry = entry_of(assessment, "A1")
    data = pdf_bytes("Biên bản họp BCĐ")
    response = _client(office).post(
        _url("entry_evidence_add", entry),
        {"file": SimpleUploadedFile("bien-ban.pdf", data), "reference": ""},
    )
    assert response.status_code == 302
    evidence = CriterionEvidence.objects.get()
    download = _url("scorecard_evidence_download", evidence)
    got = _client(province_officer).get(download)
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == data  # type: ignore[attr-defined]
    assert _client(other_office).get(download).status_code == 404
    _client(office).post(_url("scorecard_evidence_withdraw", evidence))
    evidence.refresh_from_db()
    assert evidence.withdrawn_at is not None


def test_a_scorecard_file_downloads_like_any_evidence_sandboxed_under_its_real_extension(
    assessment, office, province_officer
):
    entry = entry_of(assessment, "A1")
    _client(office).post(
        _url("entry_evidence_add", entry),
        {"file": SimpleUploadedFile("bien-ban.docx", pdf_bytes("Thực ra là PDF")), "reference": ""},
    )
    evidence = CriterionEvidence.objects.get()
    got = _client(province_officer).get(_url("scorecard_evidence_download", evidence))
    assert got["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert got["X-Content-Type-Options"] == "nosniff"
    assert got["Cache-Control"] == "private, no-store"
    assert 'filename="bien-ban.pdf"' in got["Content-Disposition"]


def test_a_document_reference_stands_as_evidence_and_a_bad_one_is_explained(assessment, office):
    entry = entry_of(assessment, "A1")
    url = _url("entry_evidence_add", entry)
    bad = _client(office).post(url, {"reference": "biên bản"})
    assert bad.status_code == 400
    assert "Không đọc được số hiệu văn bản" in bad.content.decode()
    _client(office).post(url, {"reference": "12/TB-BCĐ - 20/03/2026: Thông báo kết luận"})
    page = _client(office).get(_url("assessment_entry", entry)).content.decode()
    assert "12/TB-BCĐ - 20/03/2026: Thông báo kết luận" in page


def test_the_figure_the_note_and_a_phone_photo_are_saved_in_one_submit(assessment, office):
    entry = entry_of(assessment, "A1")
    photo = SimpleUploadedFile("IMG_0007.HEIC", heic_bytes())
    response = _client(office).post(
        _url("assessment_entry", entry),
        {**_entry_form(value="3", note="Đã họp BCĐ quý I"), "files": [photo]},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.value, entry.note) == (D(3), "Đã họp BCĐ quý I")
    evidence = CriterionEvidence.objects.get()
    assert (evidence.original_name, evidence.content_type) == ("IMG_0007.jpg", "image/jpeg")


def test_a_refused_evidence_file_loses_neither_the_figure_nor_the_note(assessment, office):
    entry = entry_of(assessment, "A1")
    response = _client(office).post(
        _url("assessment_entry", entry),
        {
            **_entry_form(value="3", note="Ghi chú vừa gõ"),
            "files": [SimpleUploadedFile("anh.jpg", EXE)],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ghi chú vừa gõ" in page and 'value="3"' in page
    assert "chương trình máy tính" in page
    entry.refresh_from_db()
    assert entry.value is None and not CriterionEvidence.objects.exists()


# --- appraisal and explanation ---------------------------------------------------------------


def test_the_province_appraises_a_row_in_place_with_htmx(assessment, office, province_officer):
    entry = entry_of(assessment, "A1")
    entry_save(entry=entry, user=office, data=EntryInput(value=D(4)), version=1)
    detail = _client(province_officer).get(_url("assessment_detail", assessment)).content.decode()
    assert 'class="mt-1 appraise-form"' in detail
    response = _client(province_officer).post(
        _url("entry_appraise", entry),
        {"points": "15", "remark": "Một cuộc họp thiếu biên bản.", "version": "2"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    row = response.content.decode()
    assert row.lstrip().startswith(f'<tr id="row-{entry.public_id}"')
    assert '<span class="fw-semibold appraised-score">15</span>' in row
    assert "(−5)" in row


def test_a_refused_appraisal_comes_back_in_its_row_with_the_typed_points(
    assessment, office, province_officer
):
    entry = entry_of(assessment, "A1")
    entry_save(entry=entry, user=office, data=EntryInput(value=D(4)), version=1)
    response = _client(province_officer).post(
        _url("entry_appraise", entry), {"points": "12", "remark": "", "version": "2"},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    row = response.content.decode()
    assert "hãy ghi ý kiến thẩm định" in row
    assert 'value="12"' in row


def test_the_commune_sees_no_appraisal_form_and_cannot_appraise(assessment, office):
    entry = entry_of(assessment, "A2")
    detail = _client(office).get(_url("assessment_detail", assessment)).content.decode()
    assert "appraise-form" not in detail
    response = _client(office).post(_url("entry_appraise", entry), {"points": "5", "version": "1"})
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.appraised_score is None


def test_the_office_explains_a_gap_on_the_criterions_page(assessment, office, province_officer):
    entry = entry_of(assessment, "A1")
    entry = entry_save(entry=entry, user=office, data=EntryInput(value=D(4)), version=1)
    entry = entry_appraise(
        entry=entry, user=province_officer, points=D(15), remark="Thiếu biên bản.",
        version=entry.version,
    )  # fmt: skip
    response = _client(office).post(
        _url("entry_explain", entry),
        {"explanation": "Biên bản đang trình ký.", "version": str(entry.version)},
    )
    assert response.status_code == 302
    page = _client(province_officer).get(_url("assessment_entry", entry)).content.decode()
    assert "Biên bản đang trình ký." in page
    assert "Thiếu biên bản." in page


# --- results ---------------------------------------------------------------------------------


def test_the_results_show_groups_rank_and_what_to_improve_linked_to_the_plans_tasks(
    assessment, commune, office
):
    plan = make_active_plan(commune)
    task = plan.tasks.get(code="I.1.1")
    task.due_on = dt.date(2026, 1, 31)  # long due, never done
    task.save()
    entry = entry_of(assessment, "A1")
    entry_save(entry=entry, user=office, data=EntryInput(value=D(2)), version=1)
    page = _client(office).get(_url("assessment_results", assessment)).content.decode()
    assert 'id="group-results"' in page
    assert "Xếp thứ 1/2" in page
    needs = page[page.index('id="needs"') :]
    # The on-time share counts I.1.1 (due, not done) and links to it.
    assert reverse("task_detail", args=[task.public_id]) in needs
    assert "còn thiếu 10/20 điểm" in needs
