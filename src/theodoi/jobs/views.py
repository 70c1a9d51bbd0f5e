"""A job's progress (page, or HTMX partial polled every second) and its file."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render

from theodoi.lib.http import AppRequest

from .models import Job, JobState


def get_job_for_user(request: AppRequest, public_id: uuid.UUID) -> Job:
    """The job, or 404 unless the user asked for it (or is a superuser): never a 403."""
    job = Job.objects.filter(public_id=public_id).first()
    user = request.user
    if job is None or not (user.is_superuser or (job.owner_id and job.owner_id == user.pk)):
        raise Http404
    return job


def redirect_target(job: Job) -> str | None:
    """Where a finished job sends the user instead of a download link (its result's "url")."""
    if job.state == JobState.DONE and isinstance(job.result, dict):
        url = job.result.get("redirect")
        return url if isinstance(url, str) and url.startswith("/") else None
    return None


def job_response(
    request: AppRequest, job: Job, *, file_name: str | None = None
) -> HttpResponseBase:
    """What a page answers once it started (or found) a job.

    HTMX: the progress partial, swapped in where the button was. A plain request: the file at
    once when the job is already done (a second download of the same work), else the job's
    page, which a reload refreshes.
    """
    if request.htmx:
        return render(request, "jobs/_progress.html", {"job": job})
    if job.state == JobState.DONE and job.result_file:
        return _file(job, file_name)
    return redirect("job", job.public_id)


def _file(job: Job, file_name: str | None = None) -> FileResponse:
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=file_name or job.result_name or "ket-qua",
    )


@login_required
def job_status(request: AppRequest, job_id: uuid.UUID) -> HttpResponse:
    job = get_job_for_user(request, job_id)
    target = redirect_target(job)
    if request.htmx:
        response = render(request, "jobs/_progress.html", {"job": job})
        if target:
            response["HX-Redirect"] = target
        return response
    if target:
        return redirect(target)
    return render(request, "jobs/job.html", {"job": job})


@login_required
def job_download(request: AppRequest, job_id: uuid.UUID) -> FileResponse:
    job = get_job_for_user(request, job_id)
    if job.state != JobState.DONE or not job.result_file:
        raise Http404
    return _file(job)
