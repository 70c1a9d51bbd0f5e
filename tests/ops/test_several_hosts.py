"""Several machines, one result: two `theodoi serve` and two `theodoi worker` processes on one
PostgreSQL database and one S3 bucket, under a bounded load spread over both servers."""

from __future__ import annotations

import contextlib
import http.client
import json
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.sessions.models import Session
from django.db import connection

from theodoi.accounts.models import Role
from theodoi.api.services import api_token_create
from theodoi.evidence.models import Evidence
from theodoi.jobs.models import Job, JobState
from theodoi.tracking.models import ProgressReport

from ..evidence.factories import pdf_bytes
from ..factories import PASSWORD, make_commune, make_province, make_user, unit_of
from ..runtime.live import Client
from ..runtime.test_worker import FAKE_SOFFICE
from ..tracking_factories import make_active_plan, period_of, task_of
from .conftest import new_bucket, port, s3_environment, wait_until_up
from .servers import production_environment, running, servers_database_url
from .test_object_storage import objects_in

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the set-up under test is PostgreSQL shared by several hosts (CI runs it there)",
)

COMMUNES, MONTHS, PDF_MONTHS = 3, 12, 4
DEADLINE_SECONDS = 90


def api(client: Client, method: str, path: str, token: str, body: Any = None) -> Any:
    """One API call through ``client``'s server; (status, JSON)."""
    headers = {"Authorization": f"Bearer {token}", "X-Forwarded-Proto": "https"}
    data, content_type = None, ""
    if isinstance(body, bytes):
        boundary = uuid.uuid4().hex
        data = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="bien-ban.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
            + body
            + f"\r\n--{boundary}--\r\n".encode()
        )
        content_type = f"multipart/form-data; boundary={boundary}"
    elif body is not None:
        data, content_type = json.dumps(body).encode(), "application/json"

    conn = http.client.HTTPConnection("127.0.0.1", client.port, timeout=30)
    try:
        if content_type:
            headers["Content-Type"] = content_type
        conn.request(method, f"/api/v1{path}", body=data, headers=headers)
        answer = conn.getresponse()
        raw = answer.read()
        return answer.status, json.loads(raw) if raw.startswith(b"{") else raw
    finally:
        conn.close()


def seed() -> list[dict[str, Any]]:
    """Communes, each with its plan, a Công an officer (API token) and its standing office."""
    province = make_province()
    communes = []
    for index in range(COMMUNES):
        commune = make_commune(f"Thử Nghiệm {index}", "phường", province)
        plan = make_active_plan(commune)
        staff = make_user(
            f"congan-{index}", role=Role.UNIT_STAFF, commune=commune,
            unit=unit_of(commune, "Công an phường"),
        )  # fmt: skip
        office = make_user(
            f"vanphong-{index}", role=Role.STANDING_OFFICE, commune=commune,
            unit=unit_of(commune, "Phòng Văn hóa - Xã hội"),
        )  # fmt: skip
        # The servers know production's hashers only (the suite's MD5 is not among them).
        office.password = PBKDF2PasswordHasher().encode(PASSWORD, "ops-salt", iterations=1000)
        office.save(update_fields=["password"])
        _token, raw = api_token_create(user=staff, name="tải thử")
        communes.append(
            {
                "index": index,
                "plan": str(plan.public_id),
                "task": str(task_of(plan, "I.1.1").public_id),
                "periods": [str(period_of(plan, m).public_id) for m in range(1, MONTHS + 1)],
                "token": raw,
            }
        )
    return communes


def report_month(servers: list[Client], commune: dict[str, Any], month: int) -> list[int]:
    """Save a report on one server, read it back and attach evidence on the other."""
    token = commune["token"]
    first, second = servers[month % 2], servers[(month + 1) % 2]
    path = f"/tasks/{commune['task']}/reports/{commune['periods'][month - 1]}"
    body = {"status": "in_progress", "percent": month * 5, "done": f"Tháng {month}"}
    saved_status, saved = api(first, "PUT", path, token, body)
    assert saved_status == 200, saved
    read_status, read = api(second, "GET", f"/reports/{saved['id']}", token)
    assert read_status == 200 and read["percent"] == month * 5
    evidence = pdf_bytes(f"xã {commune['index']} tháng {month}")
    filed_status, _ = api(first, "POST", f"/reports/{saved['id']}/evidence/file", token, evidence)
    listed_status, _ = api(second, "GET", f"/tasks/{commune['task']}/reports", token)
    return [saved_status, read_status, filed_status, listed_status]


def ask_for_pdfs(servers: list[Client], commune: dict[str, Any]) -> list[int]:
    """The office signs in on one server and asks for monthly PDFs on both (one session)."""
    office = Client(servers[0].port)
    office.sign_in(f"vanphong-{commune['index']}", PASSWORD)
    statuses = []
    for month in range(1, PDF_MONTHS + 1):
        for server in servers:
            office.port = server.port  # the same session cookie, on the other host
            url = f"/plans/{commune['plan']}/report/pdf/?kind=month&number={month}"
            statuses.append(office.get(url).status)
    return statuses


@pytest.mark.django_db(transaction=True)
def test_two_servers_and_two_workers_on_one_database_and_bucket_lose_nothing(
    shared_data_dir, world_readable_tmp, s3_endpoint
):
    communes = seed()
    runs = world_readable_tmp / "soffice-runs.log"
    soffice = world_readable_tmp / "soffice"
    soffice.write_text(FAKE_SOFFICE.replace("{log}", str(runs)))
    soffice.chmod(0o755)
    bucket = new_bucket(s3_endpoint)
    env = production_environment(
        shared_data_dir, servers_database_url(world_readable_tmp), THEODOI_SOFFICE=str(soffice),
        **s3_environment(s3_endpoint, bucket),
    )  # fmt: skip
    ports = [port(4), port(5)]
    with contextlib.ExitStack() as stack:
        # The first server collects the static files into the shared directory; then the rest.
        first, *others = [[*THEODOI, "serve", "--port", str(number)] for number in ports]
        others += [[*THEODOI, "worker", "--interval", "0.2"]] * 2
        ready = f"http://127.0.0.1:{ports[0]}/healthz"
        log = world_readable_tmp / "process-0.log"
        processes = [stack.enter_context(running(first, env=env, log=log, ready_url=ready))]
        for n, command in enumerate(others, start=1):
            log = world_readable_tmp / f"process-{n}.log"
            process = stack.enter_context(running(command, env=env, log=log))
            processes.append(process)
            if n == 1:
                try:
                    wait_until_up(f"http://127.0.0.1:{ports[1]}/healthz", process, seconds=90)
                except RuntimeError as exc:
                    raise RuntimeError(log.read_text()[-3000:]) from exc
        servers = [Client(number) for number in ports]

        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=8) as pool:
            writes = [
                pool.submit(report_month, servers, commune, month)
                for commune in communes
                for month in range(1, MONTHS + 1)
            ]
            pdfs = [pool.submit(ask_for_pdfs, servers, commune) for commune in communes]
            statuses = [s for f in writes for s in f.result(timeout=DEADLINE_SECONDS)]
            pdf_statuses = [s for f in pdfs for s in f.result(timeout=DEADLINE_SECONDS)]
        assert set(statuses) <= {200, 201}, statuses
        assert set(pdf_statuses) <= {200, 302}, pdf_statuses
        assert len(statuses) + len(pdf_statuses) == COMMUNES * (MONTHS * 4 + PDF_MONTHS * 2)

        while Job.objects.exclude(state__in=[JobState.DONE, JobState.FAILED]).exists():
            assert time.monotonic() - started < DEADLINE_SECONDS, "jobs did not finish in time"
            time.sleep(0.3)

        # One failed sign-in on each server: one counter, in the database.
        for server in servers:
            stranger = Client(server.port)
            stranger.get("/login/")
            failed = stranger.post("/login/", {"username": "congan-0", "password": "sai"})
            assert failed.status == 200 and "không đúng" in failed.text
        for process in processes:  # all stop at once; leaving the block waits for each
            process.terminate()

    # Nothing lost: every report, every evidence file (in the bucket, bytes intact).
    assert ProgressReport.objects.count() == COMMUNES * MONTHS
    assert sorted(ProgressReport.objects.values_list("percent", flat=True)) == sorted(
        month * 5 for _ in range(COMMUNES) for month in range(1, MONTHS + 1)
    )
    names = set(Evidence.objects.values_list("file", flat=True))
    assert len(names) == COMMUNES * MONTHS
    assert names <= set(objects_in(s3_endpoint, bucket))
    # Each job ran once: as many LibreOffice runs as jobs, every job done.
    jobs = Job.objects.all()
    assert jobs.count() >= COMMUNES * PDF_MONTHS
    assert {job.state for job in jobs} == {JobState.DONE}
    assert len(runs.read_text().splitlines()) == jobs.count()
    # The hosts keep no state of their own: sessions and lock-out counters are rows here.
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert Session.objects.count() >= COMMUNES
    attempts = AccessAttempt.objects.filter(username="congan-0")
    assert sum(attempts.values_list("failures_since_start", flat=True)) == 2


THEODOI = [sys.executable, "-m", "theodoi"]
