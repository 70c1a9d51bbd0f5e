"""The report pages and downloads: who may open them, and what they answer."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from theodoi.reports.views import DOCX, XLSX

from ..tracking_factories import make_active_plan

pytestmark = pytest.mark.django_db

PAGES = [
    "report_page",
    "report_docx",
    "report_xlsx",
    "report_year_end_docx",
    "report_upper",
    "report_upper_rates",
    "report_evidence_zip",
    "plan_export_json",
    "plan_export_xlsx",
]


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    return make_active_plan(commune)


@pytest.fixture(autouse=True)
def _no_libreoffice(settings):  # type: ignore[no-untyped-def]
    settings.THEODOI_SOFFICE = "/khong/co/soffice"


def _get(client, user, name, plan, query=""):  # type: ignore[no-untyped-def]
    if user is not None:
        client.force_login(user)
    return client.get(reverse(name, args=[plan.public_id]) + query)


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("office", 200),
        ("leader", 200),
        ("province_officer", 200),
        ("police", 403),  # a unit reports on its tasks; the commune's report is not its own
        ("other_office", 404),  # another commune: nothing to see, not even that it exists
    ],
)
def test_the_office_and_leaders_draw_up_reports_another_commune_gets_a_404(
    client, request, plan, name, who, status
):
    user = request.getfixturevalue(who)
    response = _get(client, user, name, plan)
    assert response.status_code == status
    if status == 200 and response.streaming:
        # The ZIP is streamed: read it through, as a browser would.
        assert b"".join(response.streaming_content)  # type: ignore[arg-type]


def test_another_communes_pdf_is_a_404_too(client, other_office, plan):
    assert _get(client, other_office, "report_pdf", plan).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, plan, name):
    response = _get(client, None, name, plan)
    assert response.status_code == 302 and "/login/" in response.url


def test_the_page_defaults_to_the_latest_closed_period_and_shows_its_figures(
    client, office, plan, settings
):
    response = _get(client, office, "report_page", plan, "?kind=month")
    html = response.content.decode()
    assert response.context["rng"].end < response.context["report"].issued_on
    assert 'data-figure="tasks">2<' in html
    assert reverse("report_docx", args=[plan.public_id]) in html


def test_a_chosen_period_is_previewed_and_linked_for_download(client, office, plan):
    response = _get(client, office, "report_page", plan, "?kind=quarter&number=2")
    html = response.content.decode()
    assert "Kết quả thực hiện Kế hoạch số 45/KH-UBND quý II năm 2026" in html
    assert "Số liệu tính từ ngày 15/03/2026 đến ngày 14/06/2026" in html
    assert reverse("report_docx", args=[plan.public_id]) + "?kind=quarter&amp;number=2" in html


def test_with_htmx_changing_the_period_swaps_only_the_report_part(client, office, plan):
    client.force_login(office)
    response = client.get(
        reverse("report_page", args=[plan.public_id]) + "?kind=month&number=5",
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="report">')
    assert "<nav" not in html
    assert "tháng 5 năm 2026" in html


def test_a_period_that_does_not_exist_falls_back_to_the_default(client, office, plan):
    response = _get(client, office, "report_page", plan, "?kind=month&number=13")
    assert response.status_code == 200
    assert response.context["rng"].kind == "month"


def test_downloads_are_word_and_excel_files_named_after_the_period(client, office, plan):
    docx = _get(client, office, "report_docx", plan, "?kind=month&number=3")
    assert docx["Content-Type"] == DOCX
    assert 'filename="bao-cao-thang-3-nam-2026.docx"' in docx["Content-Disposition"]
    assert Document(io.BytesIO(docx.content)).paragraphs
    xlsx = _get(client, office, "report_xlsx", plan, "?kind=month&number=3")
    assert xlsx["Content-Type"] == XLSX
    assert "Phụ lục I - Nhiệm vụ" in load_workbook(io.BytesIO(xlsx.content)).sheetnames


def test_without_libreoffice_the_page_says_so_and_offers_no_pdf_link(client, office, plan):
    html = _get(client, office, "report_page", plan).content.decode()
    assert "Máy chủ chưa cài LibreOffice" in html
    assert reverse("report_pdf", args=[plan.public_id]) not in html
    response = _get(client, office, "report_pdf", plan, "?kind=month&number=3")
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "chưa cài LibreOffice nên chưa tạo được bản PDF" in page


def test_the_pdf_link_appears_where_libreoffice_is_installed(client, office, plan, settings):
    settings.THEODOI_SOFFICE = "sh"  # any program found on the PATH stands for soffice here
    html = _get(client, office, "report_page", plan).content.decode()
    assert reverse("report_pdf", args=[plan.public_id]) in html
