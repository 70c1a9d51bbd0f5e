"""The reports' background work: PDF conversion of a report's DOCX, the evidence ZIP, the
province-wide report (DOCX) and ranking (XLSX)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from theodoi.evidence.models import Evidence
from theodoi.jobs.models import Job
from theodoi.jobs.registry import JobFailed, JobOutcome, Progress, job_kind
from theodoi.units.models import Province

from .exports import evidence_zip_stream
from .pdf import PDF_JOB, PdfUnavailable, docx_to_pdf
from .province import build_province_report, province_docx, province_xlsx

EVIDENCE_ZIP_JOB = "evidence_zip"
PROVINCE_DOCX_JOB = "province_docx"
PROVINCE_XLSX_JOB = "province_xlsx"


@job_kind(PDF_JOB)
def report_pdf_job(job: Job, progress: Progress) -> JobOutcome:
    progress(0, 1, _("Đang chuyển báo cáo sang PDF (LibreOffice)…"))
    with default_storage.open(job.params["docx"], "rb") as handle:
        docx = handle.read()
    try:
        pdf = docx_to_pdf(docx)
    except PdfUnavailable as error:
        raise JobFailed(error.message) from None
    progress(1, 1, _("Đã tạo xong bản PDF."))
    return JobOutcome(content=pdf, file_name=str(job.params.get("file_name") or "bao-cao.pdf"))


@job_kind(EVIDENCE_ZIP_JOB)
def evidence_zip_job(job: Job, progress: Progress) -> JobOutcome:
    """The upper-level package's ZIP of accepted evidence, written to a temporary file."""
    ids: list[int] = list(job.params.get("evidence", []))
    order = {pk: n for n, pk in enumerate(ids)}
    items = sorted(
        Evidence.objects.filter(pk__in=ids).select_related("task", "target", "unit"),
        key=lambda e: order[e.pk],
    )
    total = len(items)

    def told(done: int) -> None:
        progress(
            done, total, _("Đang nén minh chứng %(n)d/%(total)d…") % {"n": done, "total": total}
        )

    told(0)
    # Handed over open: job_run stores it from its start, then closes it.
    archive = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        for chunk in evidence_zip_stream(items, on_file=told):
            archive.write(chunk)
    except BaseException:
        archive.close()
        raise
    return JobOutcome(
        result={"files": total},
        file=archive,
        file_name=str(job.params.get("file_name") or "minh-chung.zip"),
    )


def _province_export(job: Job, progress: Progress, render: Callable[..., bytes]) -> JobOutcome:
    # The view checked the officer's right to the province; the job only reads it.
    province = Province.objects.get(code=job.params["province"])
    progress(0, 2, _("Đang tổng hợp số liệu các xã, phường…"))
    report = build_province_report(
        province, year=int(job.params["year"]), today=timezone.localdate()
    )
    progress(1, 2, _("Đang tạo tệp…"))
    return JobOutcome(content=render(report), file_name=str(job.params["file_name"]))


@job_kind(PROVINCE_DOCX_JOB)
def province_docx_job(job: Job, progress: Progress) -> JobOutcome:
    return _province_export(job, progress, province_docx)


@job_kind(PROVINCE_XLSX_JOB)
def province_xlsx_job(job: Job, progress: Progress) -> JobOutcome:
    return _province_export(job, progress, province_xlsx)
