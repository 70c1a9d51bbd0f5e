"""The reports' background jobs: the PDF (cached by the DOCX's content) and the evidence ZIP."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from theodoi.jobs.models import Job, JobState
from theodoi.reports.pdf import docx_content_sha256

from ..tracking_factories import make_active_plan
from .helpers import make_season

pytestmark = pytest.mark.django_db

QUERY = "?kind=month&number=3"


@pytest.fixture
def conversions(settings, monkeypatch):  # type: ignore[no-untyped-def]
    """LibreOffice stood in for by a counter: the tests see how often it would have run."""
    settings.THEODOI_SOFFICE = "sh"  # any program on the PATH makes the PDF link appear
    runs: list[bytes] = []

    def convert(data: bytes) -> bytes:
        runs.append(data)
        return b"%PDF-1.7 bao cao"

    monkeypatch.setattr("theodoi.reports.job_kinds.docx_to_pdf", convert)
    return runs


def test_a_second_download_of_the_same_report_reuses_the_first_pdf(
    client, office, commune, conversions
):
    plan = make_active_plan(commune)
    client.force_login(office)
    url = reverse("report_pdf", args=[plan.public_id]) + QUERY
    first = client.get(url)
    assert first.status_code == 200
    assert b"".join(first.streaming_content) == b"%PDF-1.7 bao cao"
    assert first["Content-Disposition"].endswith('.pdf"')
    time.sleep(1.1)  # a DOCX saved a second later differs in its ZIP timestamps, not content
    second = client.get(url)
    assert b"".join(second.streaming_content) == b"%PDF-1.7 bao cao"
    assert len(conversions) == 1
    assert Job.objects.filter(kind="report_pdf", state=JobState.DONE).count() == 1


def test_with_htmx_the_button_becomes_the_jobs_progress_and_download_link(
    client, office, commune, conversions
):
    plan = make_active_plan(commune)
    client.force_login(office)
    page = client.get(reverse("report_page", args=[plan.public_id])).content.decode()
    assert 'hx-disabled-elt="this"' in page
    response = client.get(
        reverse("report_pdf", args=[plan.public_id]) + QUERY, headers={"HX-Request": "true"}
    )
    job = Job.objects.get(kind="report_pdf")
    html = response.content.decode()
    assert reverse("job_download", args=[job.public_id]) in html
    assert "<html" not in html


def test_a_failed_conversion_shows_libreoffices_sentence(client, office, commune, settings):
    settings.THEODOI_SOFFICE = "false"  # found on the PATH, converts nothing
    plan = make_active_plan(commune)
    client.force_login(office)
    response = client.get(reverse("report_pdf", args=[plan.public_id]) + QUERY)
    page = client.get(response.url).content.decode()
    assert "LibreOffice không chuyển được báo cáo sang PDF" in page


def test_the_content_hash_ignores_when_the_docx_was_saved_but_not_what_it_says():
    import io
    import zipfile

    from docx import Document

    def saved(text: str) -> bytes:
        document = Document()
        document.add_paragraph(text)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()

    def saved_later(data: bytes) -> bytes:
        # The same document saved at another time: only the entries' timestamps differ
        # (set here rather than waited for: zip times have a two-second grain).
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                info.date_time = (2031, 1, 2, 3, 4, 6)
                dst.writestr(info, src.read(info.filename))
        return out.getvalue()

    one = saved("Báo cáo tháng 3")
    again = saved_later(one)
    assert one != again
    assert docx_content_sha256(one) == docx_content_sha256(again)
    assert docx_content_sha256(saved("Báo cáo tháng 4")) != docx_content_sha256(one)


def test_the_evidence_zip_is_built_once_and_says_how_many_files_it_packed(
    client, office, leader, commune
):
    season = make_season(commune)
    url = reverse("report_evidence_zip", args=[season.plan.public_id]) + "?kind=half&number=1"
    client.force_login(office)
    first = client.get(url)
    assert first["Content-Type"] == "application/zip"
    job = Job.objects.get(kind="evidence_zip")
    assert (job.state, job.done, job.total, job.result) == (JobState.DONE, 1, 1, {"files": 1})
    client.force_login(leader)
    second = client.get(url)
    assert b"".join(second.streaming_content) == b"".join(first.streaming_content)
    built = Job.objects.filter(kind="evidence_zip").values_list("result_file", flat=True)
    assert len(set(built)) == 1  # the leader got the office's archive, not a second build
