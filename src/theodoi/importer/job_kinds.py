"""The importer's background work: reading an uploaded PDF (a scan: seconds a page by OCR)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.urls import reverse

from theodoi.importer.core.errors import ImportFileError
from theodoi.jobs.models import Job
from theodoi.jobs.registry import JobFailed, JobOutcome, Progress, job_kind

from .services import READ_PLAN, plan_import_start


@job_kind(READ_PLAN)
def read_plan_job(job: Job, progress: Progress) -> JobOutcome:
    """Read the kept upload in a bounded child process; the preview opens when it is done.
    A refusal fails the job with the reader's sentence; the uploaded file stays stored."""
    assert job.commune is not None
    with default_storage.open(job.params["path"], "rb") as handle:
        data = handle.read()
    try:
        plan_import = plan_import_start(
            commune=job.commune,
            user=job.owner,
            filename=job.params["filename"],
            data=data,
            progress=progress,
            bounded=True,
        )
    except ImportFileError as exc:
        raise JobFailed(exc.message) from exc
    return JobOutcome(
        result={
            "import": str(plan_import.public_id),
            "redirect": reverse("import_preview", args=[plan_import.public_id]),
        }
    )
