"""Kinds of job for the tests: they count their runs, so a test can see work done twice."""

from __future__ import annotations

from collections import Counter

from theodoi.jobs.models import Job
from theodoi.jobs.registry import JobFailed, JobOutcome, Progress, job_kind

RUNS: Counter[str] = Counter()
SEEN_PROGRESS: list[tuple[int, int, str]] = []  # what the row said at each step


@job_kind("test_count")
def count_job(job: Job, progress: Progress) -> JobOutcome:
    RUNS[job.params.get("text", "")] += 1
    lines = job.params.get("lines", 3)
    for n in range(1, lines + 1):
        progress(n, lines, f"Đang đếm dòng {n}/{lines}")
        # What the polling page reads: the row itself, as committed by the progress write.
        row = Job.objects.get(pk=job.pk)
        SEEN_PROGRESS.append((row.done, row.total, row.message))
    text = job.params.get("text", "")
    return JobOutcome(
        result={"lines": lines}, content=text.encode(), file_name=job.params.get("name", "a.txt")
    )


@job_kind("test_refuse")
def refuse_job(job: Job, progress: Progress) -> JobOutcome:
    raise JobFailed("Tệp nguồn đã bị xóa nên không tạo được bản in.")


@job_kind("test_crash")
def crash_job(job: Job, progress: Progress) -> JobOutcome:
    raise ZeroDivisionError("boom")
