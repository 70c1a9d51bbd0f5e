"""Starting and running jobs.

``job_start`` writes the row and enqueues one django-tasks task in the same transaction (the
database backend keeps the queue in the same database, so a job and its task are committed
together or not at all). ``job_run`` is what the task does: claim the row (queued → running,
a conditional UPDATE, so a job runs once even if its task were delivered twice), call the
kind's function, store the outcome. Any failure ends as ``failed`` with a Vietnamese sentence.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from theodoi.units.models import Commune

from .models import Job, JobState
from .registry import JobFailed, Progress, kind_function

logger = logging.getLogger(__name__)


def job_start(
    *,
    kind: str,
    owner: User | None,
    commune: Commune | None,
    params: dict[str, Any],
    dedupe_key: str | None = None,
) -> Job:
    """A job for this work: a new one, queued, or (same ``dedupe_key``) the one already there."""
    kind_function(kind)  # an unknown kind is a programming error: fail here, not in the worker
    if dedupe_key:
        mine = (
            Job.objects.filter(kind=kind, dedupe_key=dedupe_key, owner=owner)
            .exclude(state=JobState.FAILED)
            .first()
        )
        if mine is not None:
            return mine
        earlier = Job.objects.filter(kind=kind, dedupe_key=dedupe_key, state=JobState.DONE).first()
        if earlier is not None:
            # Someone else already did this very work: the result is shared, not redone.
            now = timezone.now()
            return Job.objects.create(
                kind=kind,
                owner=owner,
                commune=commune,
                params=params,
                dedupe_key=dedupe_key,
                state=JobState.DONE,
                done=earlier.done,
                total=earlier.total,
                message=earlier.message,
                result=earlier.result,
                result_file=earlier.result_file.name or None,
                result_name=earlier.result_name,
                started_at=now,
                finished_at=now,
            )
    job = Job.objects.create(
        kind=kind,
        owner=owner,
        commune=commune,
        params=params,
        dedupe_key=dedupe_key or "",
        message=_("Đang chờ đến lượt…"),
    )
    from .tasks import run_job

    try:
        run_job.enqueue(job.pk)
    except Exception:
        logger.exception("job %s could not be enqueued", job.public_id)
        _fail(job, _("Không đưa được công việc vào hàng đợi. Hãy thử lại sau ít phút."))
    job.refresh_from_db()
    return job


def job_run(*, job_id: int) -> None:
    """Run one job (called by the task, in the worker or inline in tests)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=now, heartbeat_at=now
    )
    if not claimed:
        return  # gone, or already run: a job runs once
    job = Job.objects.get(pk=job_id)
    try:
        outcome = kind_function(job.kind)(job, Progress(job))
    except JobFailed as exc:
        _fail(job, exc.message)
        return
    except Exception:
        logger.exception("job %s (%s) failed", job.public_id, job.kind)
        _fail(
            job,
            _(
                "Công việc gặp lỗi ngoài dự kiến (đã ghi vào nhật ký hệ thống). "
                "Hãy thử lại sau ít phút."
            ),
        )
        return
    try:
        name = outcome.file_name or f"{job.kind}.bin"
        if outcome.content is not None:
            job.result_file.save(name, ContentFile(outcome.content), save=False)
            job.result_name = name
        elif outcome.file is not None:
            with outcome.file as handle:
                handle.seek(0)
                job.result_file.save(name, File(handle), save=False)
            job.result_name = name
        job.result = outcome.result
        job.state = JobState.DONE
        job.done = max(job.done, job.total)
        job.finished_at = timezone.now()
        job.save()
    except Exception:
        logger.exception("job %s (%s): its result could not be stored", job.public_id, job.kind)
        _fail(job, _("Không lưu được kết quả của công việc. Hãy thử lại sau ít phút."))


def jobs_fail_stale(*, now: dt.datetime | None = None) -> int:
    """End the jobs whose worker died mid-way (killed, machine restarted): running, and no
    sign of life for ``THEODOI_JOB_STALE_MINUTES``. Their owner sees why and may ask again;
    without this they would show "đang chạy" for ever. Returns how many were ended."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=settings.THEODOI_JOB_STALE_MINUTES)
    return Job.objects.filter(state=JobState.RUNNING, heartbeat_at__lt=cutoff).update(
        state=JobState.FAILED,
        error=_("Công việc bị gián đoạn giữa chừng (máy chủ chạy nền đã dừng). Hãy thử lại."),
        finished_at=now,
    )


@dataclass(frozen=True)
class Pruned:
    jobs: int
    files: int


def jobs_prune(*, now: dt.datetime | None = None) -> Pruned:
    """Remove the jobs finished more than ``THEODOI_JOB_KEEP_DAYS`` ago with their files, and
    the task queue's own rows of that age: every PDF or ZIP asked for would otherwise stay on
    disk for ever. A file shared by a newer job (same work asked again, see ``job_start``)
    stays with that job. Nothing unfinished is touched."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.THEODOI_JOB_KEEP_DAYS)
    old = Job.objects.filter(state__in=[JobState.DONE, JobState.FAILED], finished_at__lt=cutoff)
    names: set[str] = {name for name in old.values_list("result_file", flat=True) if name}
    count = old.delete()[1].get(Job._meta.label, 0)
    kept = set(Job.objects.filter(result_file__in=names).values_list("result_file", flat=True))
    files = 0
    for name in sorted(names - kept):
        if default_storage.exists(name):
            default_storage.delete(name)
            files += 1
    DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return Pruned(jobs=count, files=files)


def _fail(job: Job, message: str) -> None:
    Job.objects.filter(pk=job.pk).update(
        state=JobState.FAILED, error=str(message), finished_at=timezone.now()
    )
