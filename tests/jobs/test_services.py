"""Jobs run once, say how far they are, keep their file, and fail with a sentence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from theodoi.jobs.models import Job, JobState
from theodoi.jobs.services import job_run, job_start, jobs_fail_stale, jobs_prune

from .kinds import RUNS, SEEN_PROGRESS

pytestmark = pytest.mark.django_db


def test_a_job_runs_at_once_and_keeps_its_file_and_result(office, commune):
    job = job_start(
        kind="test_count",
        owner=office,
        commune=commune,
        params={"text": "xin chào", "lines": 2, "name": "loi-chao.txt"},
    )
    assert job.state == JobState.DONE
    assert (job.done, job.total) == (2, 2)
    assert job.result == {"lines": 2}
    assert job.result_name == "loi-chao.txt"
    with job.result_file.open("rb") as handle:
        assert handle.read() == "xin chào".encode()
    assert job.finished_at is not None and job.error == ""


def test_progress_is_written_to_the_row_while_the_job_runs(office):
    SEEN_PROGRESS.clear()
    job_start(kind="test_count", owner=office, commune=None, params={"text": "p", "lines": 3})
    seen = list(SEEN_PROGRESS)
    assert seen == [
        (1, 3, "Đang đếm dòng 1/3"),
        (2, 3, "Đang đếm dòng 2/3"),
        (3, 3, "Đang đếm dòng 3/3"),
    ]


def test_a_job_that_cannot_be_done_fails_with_its_own_sentence(office):
    job = job_start(kind="test_refuse", owner=office, commune=None, params={})
    assert job.state == JobState.FAILED
    assert job.error == "Tệp nguồn đã bị xóa nên không tạo được bản in."


def test_an_unexpected_error_fails_the_job_with_a_vietnamese_sentence_not_a_traceback(office):
    job = job_start(kind="test_crash", owner=office, commune=None, params={})
    assert job.state == JobState.FAILED
    assert job.error.startswith("Công việc gặp lỗi ngoài dự kiến")
    assert "ZeroDivisionError" not in job.error


def test_a_job_whose_task_cannot_be_queued_is_failed_not_lost(office, monkeypatch):
    class DownQueue:
        def enqueue(self, *args: object) -> None:
            raise RuntimeError("queue down")

    monkeypatch.setattr("theodoi.jobs.tasks.run_job", DownQueue())
    job = job_start(kind="test_count", owner=office, commune=None, params={})
    assert Job.objects.get(pk=job.pk).state == JobState.FAILED
    assert "hàng đợi" in job.error


def test_a_job_delivered_twice_runs_once(office, monkeypatch):
    class SilentQueue:
        def enqueue(self, *args: object) -> None:
            return None

    monkeypatch.setattr("theodoi.jobs.tasks.run_job", SilentQueue())
    job = job_start(kind="test_count", owner=office, commune=None, params={"text": "một lần"})
    assert job.state == JobState.QUEUED
    job_run(job_id=job.pk)
    job_run(job_id=job.pk)
    assert RUNS["một lần"] == 1
    assert Job.objects.get(pk=job.pk).state == JobState.DONE


def test_the_same_key_gives_back_the_same_job_without_running_it_again(office):
    params = {"text": "cùng nội dung"}
    first = job_start(kind="test_count", owner=office, commune=None, params=params, dedupe_key="k1")
    again = job_start(kind="test_count", owner=office, commune=None, params=params, dedupe_key="k1")
    assert again.pk == first.pk
    assert RUNS["cùng nội dung"] == 1


def test_another_person_asking_for_the_same_work_gets_its_file_without_a_second_run(office, leader):
    params = {"text": "chung", "name": "chung.txt"}
    first = job_start(kind="test_count", owner=office, commune=None, params=params, dedupe_key="k")
    theirs = job_start(kind="test_count", owner=leader, commune=None, params=params, dedupe_key="k")
    assert theirs.pk != first.pk and theirs.owner == leader
    assert theirs.state == JobState.DONE
    assert theirs.result_file.name == first.result_file.name
    assert RUNS["chung"] == 1


def test_a_failed_job_is_tried_again_when_asked_again(office, monkeypatch):
    failed = job_start(kind="test_refuse", owner=office, commune=None, params={}, dedupe_key="r")
    again = job_start(kind="test_refuse", owner=office, commune=None, params={}, dedupe_key="r")
    assert again.pk != failed.pk


def test_an_unknown_kind_is_refused_at_once(office):
    with pytest.raises(LookupError):
        job_start(kind="khong-co", owner=office, commune=None, params={})
    assert not Job.objects.exists()


@pytest.fixture(autouse=True)
def _fresh_counts():  # type: ignore[no-untyped-def]
    RUNS.clear()


def test_a_job_whose_worker_died_is_ended_with_a_sentence_and_can_be_asked_again(office):
    now = timezone.now()
    dead = Job.objects.create(
        kind="test_count",
        owner=office,
        state=JobState.RUNNING,
        started_at=now - dt.timedelta(hours=2),
        heartbeat_at=now - dt.timedelta(minutes=31),
        dedupe_key="k",
    )
    alive = Job.objects.create(
        kind="test_count",
        owner=office,
        state=JobState.RUNNING,
        started_at=now - dt.timedelta(hours=2),
        heartbeat_at=now - dt.timedelta(minutes=5),
    )
    assert jobs_fail_stale(now=now) == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.state == JobState.FAILED
    assert "gián đoạn" in dead.error
    assert alive.state == JobState.RUNNING
    again = job_start(
        kind="test_count", owner=office, commune=None, params={"text": "x"}, dedupe_key="k"
    )
    assert again.pk != dead.pk and again.state == JobState.DONE


def test_a_running_job_beats_at_every_step():
    # The claim and each progress call write the heartbeat that tells a live job from a dead one.
    SEEN_PROGRESS.clear()
    job = Job.objects.create(kind="test_count", params={"text": "p", "lines": 2})
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.heartbeat_at is not None and job.heartbeat_at >= job.started_at


def _finished(job: Job, days_ago: int) -> None:
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - dt.timedelta(days=days_ago))


def test_old_jobs_and_their_files_are_pruned_and_recent_ones_kept(office, settings):
    settings.THEODOI_JOB_KEEP_DAYS = 30
    old = job_start(kind="test_count", owner=office, commune=None, params={"text": "cũ"})
    recent = job_start(kind="test_count", owner=office, commune=None, params={"text": "mới"})
    _finished(old, 31)
    _finished(recent, 29)
    old_name, recent_name = old.result_file.name, recent.result_file.name
    storage = old.result_file.storage

    pruned = jobs_prune()

    assert (pruned.jobs, pruned.files) == (1, 1)
    assert not Job.objects.filter(pk=old.pk).exists()
    assert not storage.exists(old_name)
    assert Job.objects.filter(pk=recent.pk).exists() and storage.exists(recent_name)


def test_a_file_shared_with_a_newer_job_outlives_the_old_job(office, leader, settings):
    settings.THEODOI_JOB_KEEP_DAYS = 30
    params = {"text": "chung"}
    first = job_start(kind="test_count", owner=office, commune=None, params=params, dedupe_key="k")
    second = job_start(kind="test_count", owner=leader, commune=None, params=params, dedupe_key="k")
    assert second.result_file.name == first.result_file.name
    _finished(first, 40)

    assert jobs_prune().files == 0
    second.refresh_from_db()
    with second.result_file.open("rb") as handle:
        assert handle.read() == b"chung"


def test_an_unfinished_job_is_never_pruned(office, settings):
    settings.THEODOI_JOB_KEEP_DAYS = 30
    job = Job.objects.create(kind="test_count", owner=office, state=JobState.QUEUED)
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(days=90))
    assert jobs_prune().jobs == 0
    assert Job.objects.filter(pk=job.pk).exists()


def test_the_nightly_check_with_clean_prunes_old_jobs(office, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.THEODOI_JOB_KEEP_DAYS = 30
    job = job_start(kind="test_count", owner=office, commune=None, params={"text": "x"})
    _finished(job, 31)
    out = StringIO()
    call_command("check", "--clean", stdout=out)
    assert "Đã xóa 1 công việc nền cũ" in out.getvalue()
    assert not Job.objects.filter(pk=job.pk).exists()
