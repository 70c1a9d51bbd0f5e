"""Report submissions and the commune dashboard through `theodoi serve` on PostgreSQL.

Run: ``uv run python -m bench.bench_serve [--database-url URL] [--seconds S]``. It drops and
recreates the database named in the URL (default ``postgres://postgres@127.0.0.1:5432/
theodoi_bench``: never point it at real data), migrates, builds a province (``bench.generate``)
whose plans have reports for January only, gives one unit officer per commune an API token,
then starts ``theodoi serve`` in production mode on 127.0.0.1 and measures, each for S seconds:

1. sustained report submissions: ``--writers`` threads (default 16) each saving draft reports
   (``PUT /api/v1/tasks/…/reports/…``, February onwards) on its own communes' tasks;
2. the commune dashboard under 20 concurrent readers (signed-in standing offices).

The goal (issue 12): at least 300 reports/s with p95 under 100 ms on one 2-core machine. The
load generator runs on the same machine and takes part of its cores; figures are printed as
ratios to the goal. Last, a profile of one save (in this process, same code path): where the
time goes, and its query count.
"""

from __future__ import annotations

import argparse
import cProfile
import http.client
import io
import json
import os
import pstats
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

GOAL_RATE = 300.0
GOAL_P95 = 0.100
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Load:
    latencies: list[float] = field(default_factory=list)
    errors: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, status: int, ok: bool) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if not ok:
                self.errors[status] = self.errors.get(status, 0) + 1


def _recreate(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')


def start_django(database_url: str, *, prefix: str) -> None:
    """Django in this process on a fresh, migrated ``database_url`` (dropped and made again:
    never point it at real data), a throw-away data directory, the test client's host."""
    os.environ.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="theodoi.settings",
        THEODOI_PRODUCTION="false",
        THEODOI_DEBUG="false",
        THEODOI_DATA_DIR=tempfile.mkdtemp(prefix=prefix),
        THEODOI_REQUEST_LOG_LEVEL="WARNING",
    )
    _recreate(database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)


def _seed(communes: int) -> tuple[list[dict[str, object]], list[tuple[str, str]]]:
    """Per commune: an officer's token and the (task, period) pairs it may report on; and
    (dashboard path, session cookie) per commune office."""
    import datetime as dt

    from django.contrib.auth.models import User
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from bench.generate import generate_province
    from theodoi.accounts.models import Membership, Role
    from theodoi.api.services import api_token_create
    from theodoi.plans.models import AssignmentRole, TaskAssignment

    year = timezone.localdate().year
    generated = generate_province(communes=communes, year=year, today=dt.date(year, 1, 31))
    writers: list[dict[str, object]] = []
    readers: list[tuple[str, str]] = []
    for plan in generated.plans:
        leads = TaskAssignment.objects.filter(
            task__plan=plan, role=AssignmentRole.LEAD, task__children__isnull=True
        ).select_related("task", "unit")
        first = leads.first()
        assert first is not None
        unit = first.unit
        user = User.objects.create_user(username=f"bench-{plan.commune.code}-{unit.pk}")
        Membership.objects.create(user=user, role=Role.UNIT_STAFF, commune=plan.commune, unit=unit)
        _token, raw = api_token_create(user=user, name="bench")
        periods = [str(p.public_id) for p in plan.periods.filter(kind="month", number__gte=2)]
        tasks = [str(a.task.public_id) for a in leads if a.unit_id == unit.pk]
        writers.append({"token": raw, "pairs": [(t, p) for t in tasks for p in periods]})
        office = Client()
        office.force_login(generated.offices[plan.commune_id])
        readers.append(
            (
                reverse("commune_dashboard", args=[plan.public_id]),
                office.cookies["sessionid"].value,
            )
        )
    return writers, readers


def _request(
    conn: http.client.HTTPConnection, method: str, path: str, headers: dict[str, str],
    body: bytes | None = None,
) -> tuple[int, bytes]:  # fmt: skip
    conn.request(method, path, body=body, headers=headers)
    answer = conn.getresponse()
    return answer.status, answer.read()


def _writer(port: int, job: dict[str, object], until: float, load: Load) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {
        "Authorization": f"Bearer {job['token']}",
        "Content-Type": "application/json",
        "X-Forwarded-Proto": "https",
    }
    pairs = list(job["pairs"])  # type: ignore[call-overload]
    # Every update names the version it was made from: each save names the one the previous
    # save of the same report answered with (a writer owns its reports: no 409 expected).
    versions: dict[str, int] = {}
    n = 0
    while time.monotonic() < until:
        task, period = pairs[n % len(pairs)]
        n += 1
        path = f"/api/v1/tasks/{task}/reports/{period}"
        data: dict[str, object] = {
            "status": "in_progress",
            "percent": n % 100,
            "done": f"Lần lưu {n}",
        }
        if path in versions:
            data["version"] = versions[path]
        start = time.perf_counter()
        status, answer = _request(conn, "PUT", path, headers, json.dumps(data).encode())
        load.add(time.perf_counter() - start, status, status == 200)
        if status == 200:
            versions[path] = json.loads(answer)["version"]
    conn.close()


def _reader(port: int, path: str, cookie: str, until: float, load: Load) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": f"sessionid={cookie}", "X-Forwarded-Proto": "https"}
    while time.monotonic() < until:
        start = time.perf_counter()
        status, _ = _request(conn, "GET", path, headers)
        load.add(time.perf_counter() - start, status, status == 200)
    conn.close()


def _run_threads(
    targets: list[tuple[object, ...]], function: object, seconds: float
) -> tuple[Load, float]:
    load = Load()
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=function, args=(*args, until, load))  # type: ignore[arg-type]
        for args in targets
    ]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return load, time.monotonic() - start


def _cpu_seconds(pids: set[int]) -> float:
    """User + system CPU of these processes so far (Linux ``/proc``; 0 where unreadable)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def _processes(server: int) -> dict[str, set[int]]:
    """The gunicorn master and its workers; the PostgreSQL server's processes."""
    parents: dict[int, int] = {}
    names: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            head, tail = (entry / "stat").read_text().rsplit(")", 1)
        except OSError:
            continue
        names[int(entry.name)] = head.split("(", 1)[1]
        parents[int(entry.name)] = int(tail.split()[1])
    serving = {server} | {pid for pid, parent in parents.items() if parent == server}
    return {
        "theodoi serve": serving,
        "PostgreSQL": {pid for pid, name in names.items() if name.startswith("postgres")},
        "load generator": {os.getpid()},
    }


class CpuShare:
    """Where a phase's CPU went: each side's seconds, per request, and of what the machine
    had (cores × seconds). Processes started during the phase (a PostgreSQL backend for a
    new connection) count from their start."""

    def __init__(self, server: int) -> None:
        self.server = server
        self.before = {name: _cpu_seconds(pids) for name, pids in _processes(server).items()}

    def report(self, requests: int, elapsed: float) -> None:
        after = {name: _cpu_seconds(pids) for name, pids in _processes(self.server).items()}
        available = (os.cpu_count() or 1) * elapsed
        parts = []
        for name, seconds in after.items():
            used = max(0.0, seconds - self.before.get(name, 0.0))
            per = used * 1000 / max(requests, 1)
            parts.append(f"{name} {per:.1f} ms ({used / available:.0%})")
        print(f"{'':<4}CPU per request: " + ", ".join(parts))


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def _report(label: str, load: Load, elapsed: float) -> None:
    rate = len(load.latencies) / elapsed
    p50 = statistics.median(load.latencies)
    p95 = _p95(load.latencies)
    print(
        f"{label:<34}{len(load.latencies):>7}{rate:>9.1f}/s {rate / GOAL_RATE:>6.2f}×"
        f"{p50 * 1000:>9.1f} ms{p95 * 1000:>9.1f} ms {p95 / GOAL_P95:>5.2f}×  errors {load.errors}"
    )


def _profile_one_save(writer: dict[str, object]) -> None:
    from django.db import connection
    from django.test import Client

    client = Client()
    task, period = writer["pairs"][-1]  # type: ignore[index]
    headers = {"Authorization": f"Bearer {writer['token']}"}
    path = f"/api/v1/tasks/{task}/reports/{period}"

    from theodoi.tracking.models import ProgressReport

    # The version the next save names: the report's as the writers above left it, then the
    # last answer's.
    version = list(
        ProgressReport.objects.filter(task__public_id=task, period__public_id=period).values_list(
            "version", flat=True
        )[:1]
    )

    def save(n: int) -> int:
        data: dict[str, object] = {"status": "in_progress", "percent": n, "done": f"Hồ sơ {n}"}
        if version:
            data["version"] = version[-1]
        answer = client.put(
            path, json.dumps(data), content_type="application/json", headers=headers
        )
        if answer.status_code == 200:
            version.append(answer.json()["version"])
        return answer.status_code

    assert save(1) == 200  # warm
    queries: list[str] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    # A wrapper, not CaptureQueriesContext: Django empties the query log as a request starts.
    with connection.execute_wrapper(record):
        assert save(2) == 200
    profile = cProfile.Profile()
    profile.enable()
    for n in range(3, 23):
        save(n)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(
        r"theodoi|django/(db|core/handlers|template|middleware)|ninja|psycopg", 18
    )
    print(f"\nOne save in this process: {len(queries)} queries:")
    for sql in queries:
        print(f"  {sql[:110]}")
    print("\nProfile of 20 saves (cumulative, top entries):")
    print("\n".join(out.getvalue().splitlines()[:45]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/theodoi_bench"
    )
    parser.add_argument("--communes", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--port", type=int, default=18260)
    args = parser.parse_args(argv)

    data_dir = tempfile.mkdtemp(prefix="theodoi-bench-")
    secret = secrets.token_urlsafe(48)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("THEODOI_", "DATABASE_URL", "DJANGO_"))
    }
    env.update(
        THEODOI_PRODUCTION="true",
        THEODOI_SECRET_KEY=secret,
        THEODOI_ALLOWED_HOSTS="127.0.0.1,testserver",
        THEODOI_DATA_DIR=data_dir,
        DATABASE_URL=args.database_url,
        THEODOI_REQUEST_LOG_LEVEL="WARNING",
    )
    # The server's shape, when the caller sets it (else the production defaults).
    env.update({k: v for k, v in os.environ.items() if k.startswith("THEODOI_WEB_")})
    # This process writes the data and signs the sessions: same database, same secret.
    os.environ.update(env)
    os.environ["THEODOI_PRODUCTION"] = "false"
    os.environ["DJANGO_SETTINGS_MODULE"] = "theodoi.settings"
    _recreate(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    writers, readers = _seed(args.communes)
    print(f"{args.communes} communes seeded in {time.perf_counter() - start:.1f} s")
    from django.db import connections

    connections.close_all()

    log = Path(data_dir) / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "theodoi", "serve", "--port", str(args.port)],
            env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=5)
                    if _request(conn, "GET", "/healthz", {})[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    print(log.read_text()[-3000:], file=sys.stderr)
                    return 1
                time.sleep(0.3)
            from django.conf import settings

            print(
                f"theodoi serve: {settings.THEODOI_WEB_WORKERS} workers × "
                f"{settings.THEODOI_WEB_THREADS} threads; {os.cpu_count()} cores; "
                f"load average before: {os.getloadavg()[0]:.1f}"
            )
            print(f"{'':<34}{'count':>7}{'rate':>11}{'÷300':>7}{'p50':>12}{'p95':>12}{'÷100ms':>7}")
            spread = [writers[i % len(writers)] for i in range(args.writers)]
            share = CpuShare(server.pid)
            load, elapsed = _run_threads(
                [(args.port, job) for job in spread], _writer, args.seconds
            )
            _report(f"report saves ({args.writers} clients)", load, elapsed)
            share.report(len(load.latencies), elapsed)
            pages = [readers[i % len(readers)] for i in range(args.readers)]
            share = CpuShare(server.pid)
            load, elapsed = _run_threads(
                [(args.port, path, cookie) for path, cookie in pages], _reader, args.seconds
            )
            _report(f"commune dashboard ({args.readers} readers)", load, elapsed)
            share.report(len(load.latencies), elapsed)
            print(f"load average after: {os.getloadavg()[0]:.1f}")
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    _profile_one_save(writers[0])
    shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
