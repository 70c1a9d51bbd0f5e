"""PDF through LibreOffice, where it is installed; a clear message where it is not."""

from __future__ import annotations

import pytest

from theodoi.reports.data import build_report
from theodoi.reports.docx import report_docx
from theodoi.reports.pdf import PdfUnavailable, docx_to_pdf, pdf_available
from theodoi.reports.ranges import ReportKind, plan_range

from ..tracking_factories import make_active_plan
from .helpers import d

pytestmark = pytest.mark.django_db


@pytest.fixture
def docx_bytes(commune):  # type: ignore[no-untyped-def]
    plan = make_active_plan(commune)
    report = build_report(plan, plan_range(plan, ReportKind.QUARTER, 1), today=d(4, 1))
    return report_docx(report)


def test_without_libreoffice_the_conversion_says_so_in_vietnamese(settings, docx_bytes):
    settings.THEODOI_SOFFICE = "/khong/co/soffice"
    assert not pdf_available()
    with pytest.raises(PdfUnavailable) as error:
        docx_to_pdf(docx_bytes)
    assert "chưa cài LibreOffice" in error.value.message


def test_with_libreoffice_the_report_becomes_a_pdf(settings, docx_bytes):
    settings.THEODOI_SOFFICE = "soffice"
    if not pdf_available():
        pytest.skip("LibreOffice (soffice) is not installed on this machine")
    data = docx_to_pdf(docx_bytes)
    assert data.startswith(b"%PDF")
    assert b"/Type /Page" in data or b"/Type/Page" in data
