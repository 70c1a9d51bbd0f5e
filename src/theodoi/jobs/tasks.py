"""The one django-tasks task: it runs a Job by id (the work itself is the job's kind)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: int) -> None:
    from .services import job_run

    job_run(job_id=job_id)
