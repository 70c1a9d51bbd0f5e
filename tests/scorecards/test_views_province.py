"""The province's pages: import with a preview of errors, edit the draft, publish, rank."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from theodoi.accounts.models import Role
from theodoi.scorecards.models import Assessment, Scorecard, ScorecardStatus

from ..factories import make_commune, make_province, make_user
from .helpers import ROWS, make_scorecard, workbook_bytes

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _upload(data: bytes, name: str = "bo-chi-so.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def draft(province, province_officer):  # type: ignore[no-untyped-def]
    return make_scorecard(province, user=province_officer, publish=False)


@pytest.fixture
def published(province, commune, other_commune, province_officer):  # type: ignore[no-untyped-def]
    return make_scorecard(province, user=province_officer)


def _pages(province, scorecard):  # type: ignore[no-untyped-def]
    criterion = scorecard.criteria.first()
    return [
        reverse("province_scorecards", args=[province.code]),
        reverse("scorecard_import", args=[province.code]),
        reverse("scorecard_detail", args=[scorecard.public_id]),
        reverse("criterion_add", args=[scorecard.public_id]),
        reverse("criterion_edit", args=[criterion.public_id]),
    ]


# --- who may open them -----------------------------------------------------------------------


def test_the_province_officer_opens_every_page_of_the_draft(province, draft, province_officer):
    client = _client(province_officer)
    for url in _pages(province, draft):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["office", "leader", "police", "other_office"])
def test_commune_people_get_a_404_on_the_provinces_pages(request, who, province, draft):
    client = _client(request.getfixturevalue(who))
    for url in _pages(province, draft):
        assert client.get(url).status_code == 404, url


def test_an_officer_of_another_province_gets_a_404(province, draft, published):
    stranger = make_user("so-bx", role=Role.PROVINCE_OFFICER, province=make_province("Biển Xanh"))
    client = _client(stranger)
    for url in [*_pages(province, draft), reverse("scorecard_ranking", args=[published.public_id])]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("scorecard_publish", args=[draft.public_id])).status_code == 404
    draft.refresh_from_db()
    assert draft.status == ScorecardStatus.DRAFT


def test_an_anonymous_visitor_is_sent_to_log_in(province, draft):
    response = Client().get(reverse("province_scorecards", args=[province.code]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_menu_entry_takes_each_person_to_their_scorecards(
    province, commune, province_officer, office
):
    start = reverse("scorecards_start")
    response = _client(province_officer).get(start)
    assert response["Location"] == reverse("province_scorecards", args=[province.code])
    response = _client(office).get(start)
    assert response["Location"] == reverse("commune_scorecards", args=[commune.public_id])


# --- import ----------------------------------------------------------------------------------


def test_a_good_workbook_becomes_a_draft_shown_for_checking(province, province_officer):
    response = _client(province_officer).post(
        reverse("scorecard_import", args=[province.code]), {"file": _upload(workbook_bytes())}
    )
    scorecard = Scorecard.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("scorecard_detail", args=[scorecard.public_id])
    page = _client(province_officer).get(response["Location"]).content.decode()
    assert "Bản nháp" in page
    assert page.count('class="criterion-row"') == len(ROWS)
    assert "4: 20; 3: 15; 2: 10; 1: 5" in page


def test_where_each_figure_comes_from_is_said_in_words_not_codes(draft, province_officer):
    page = _client(province_officer).get(reverse("scorecard_detail", args=[draft.public_id]))
    text = page.content.decode()
    sources = [c.source for c in draft.criteria.all() if c.source]
    assert sources
    for code in sources:
        assert code not in text
    assert "Tỷ lệ nhiệm vụ hoàn thành đúng hạn" in text
    assert "Chỉ tiêu 1 của kế hoạch" in text


def test_a_workbook_with_errors_is_previewed_in_vietnamese_and_nothing_is_written(
    province, province_officer
):
    rows = [*ROWS, ["C", "", "C9", "Trừ", 10, "Điểm phạt", "", "", "Không", "", ""]]
    response = _client(province_officer).post(
        reverse("scorecard_import", args=[province.code]), {"file": _upload(workbook_bytes(rows))}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="import-problems"' in page
    assert "Cách chấm “Điểm phạt” không rõ" in page
    assert "chưa có gì được ghi" in page
    assert not Scorecard.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused_with_a_sentence(province, province_officer):
    response = _client(province_officer).post(
        reverse("scorecard_import", args=[province.code]),
        {"file": _upload(b"%PDF-1.7 ...", "bo-chi-so.pdf")},
    )
    assert response.status_code == 400
    assert "Tệp không phải là bảng tính Excel" in response.content.decode()


def test_the_sample_workbook_can_be_downloaded(province_officer):
    response = _client(province_officer).get(reverse("scorecard_sample"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")  # type: ignore[attr-defined]


# --- editing the draft -----------------------------------------------------------------------


def _criterion_form(**overrides: str) -> dict[str, str]:
    data = {
        "group_code": "A", "group_name": "", "code": "A1", "name": "Số cuộc họp BCĐ",
        "measure_unit": "cuộc họp", "max_points": "16", "kind": "bands",
        "bands": "4: 16; 2: 8", "points_each": "", "evidence_required": "on", "source": "",
        "verifier": "Sở KH&CN", "guidance": "",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_a_criterion_of_the_draft_is_edited_on_screen(draft, province_officer):
    criterion = draft.criteria.get(code="A1")
    url = reverse("criterion_edit", args=[criterion.public_id])
    page = _client(province_officer).get(url).content.decode()
    assert 'value="4: 20; 3: 15; 2: 10; 1: 5"' in page
    response = _client(province_officer).post(url, _criterion_form())
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.max_points == 16
    assert criterion.measure_unit == "cuộc họp"


def test_an_invalid_criterion_is_shown_again_with_the_reason(draft, province_officer):
    criterion = draft.criteria.get(code="A1")
    response = _client(province_officer).post(
        reverse("criterion_edit", args=[criterion.public_id]),
        _criterion_form(bands="4: 30"),
    )
    assert response.status_code == 400
    assert "Có mức điểm lớn hơn điểm tối đa" in response.content.decode()
    criterion.refresh_from_db()
    assert criterion.max_points == 20


def test_a_criterion_is_added_and_deleted_in_the_draft(draft, province_officer):
    client = _client(province_officer)
    response = client.post(
        reverse("criterion_add", args=[draft.public_id]),
        _criterion_form(code="D1", group_code="D", group_name="Nhóm mới", kind="yes_no",
                        bands="", max_points="3"),
    )  # fmt: skip
    assert response.status_code == 302
    added = draft.criteria.get(code="D1")
    assert added.group.name == "Nhóm mới"
    client.post(reverse("criterion_delete", args=[added.public_id]))
    assert not draft.criteria.filter(code="D1").exists()


def test_a_published_scorecards_criteria_have_no_edit_page(published, province_officer):
    criterion = published.criteria.first()
    client = _client(province_officer)
    assert client.get(reverse("criterion_edit", args=[criterion.public_id])).status_code == 404
    assert client.get(reverse("criterion_add", args=[published.public_id])).status_code == 404
    page = client.get(reverse("scorecard_detail", args=[published.public_id])).content.decode()
    assert "Sửa</a>" not in page


# --- publishing and the ranking --------------------------------------------------------------


def test_publishing_opens_the_ranking_with_every_commune_of_the_province(
    province, commune, other_commune, draft, province_officer
):
    elsewhere = make_commune("Hải An", "phường", make_province("Biển Xanh"))
    response = _client(province_officer).post(reverse("scorecard_publish", args=[draft.public_id]))
    assert response["Location"] == reverse("scorecard_ranking", args=[draft.public_id])
    assert Assessment.objects.filter(scorecard=draft).count() == 2
    page = _client(province_officer).get(response["Location"]).content.decode()
    assert page.count('class="ranking-row"') == 2
    assert "Hòa Phong" in page and "Tân Hòa" in page
    assert elsewhere.name not in page


def test_an_officer_reading_the_english_pages_imports_a_vietnamese_workbook(
    province, province_officer
):
    client = _client(province_officer)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("scorecard_import", args=[province.code]), {"file": _upload(workbook_bytes())}
    )
    assert response.status_code == 302
    assert Scorecard.objects.get().criteria.count() == len(ROWS)
