"""The reports' background work: PDF conversion of a report's DOCX."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from theodoi.jobs.models import Job
from theodoi.jobs.registry import JobFailed, JobOutcome, Progress, job_kind

from .pdf import PDF_JOB, PdfUnavailable, docx_to_pdf


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
