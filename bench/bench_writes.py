"""Django CPU and queries per frequent write, in this process on PostgreSQL, before and after.

Run: ``uv run python -m bench.bench_writes --before REV [--database-url URL] [--saves N]``.
It drops and recreates the database named in the URL (and the same name suffixed
``_before``: never point it at real data), builds a small province (``bench.generate``),
then, with Django's test client (no server, no network), times N saves of each kind:

- a progress report saved by the API (``PUT /api/v1/tasks/…/reports/…``, the same report);
- a progress report saved from the web form (a new report each time, then redirected);
- a target value saved by the API.

CPU is this process's (``time.process_time``): Django, the driver, no PostgreSQL server time.
With ``--before REV`` the same measures run first on the source of commit REV (extracted with
``git archive``, in a child process) and the figures are printed as ratios. The issue's goal
(issue 15): under 10 ms of Django CPU per progress report save. Throughput through
``theodoi serve`` is ``bench.bench_serve``'s.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_CPU_MS = 10.0


def _count_queries(call: Callable[[], int]) -> int:
    from django.db import connection

    queries: list[str] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if "SAVEPOINT" not in sql:
            queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert call() in (200, 302)
    return len(queries)


def _cpu_ms(calls: list[Callable[[], int]]) -> float:
    start = time.process_time()
    for call in calls:
        status = call()
        assert status in (200, 302), status
    return (time.process_time() - start) * 1000 / len(calls)


def measure(database_url: str, saves: int) -> dict[str, dict[str, float]]:
    from bench.bench_serve import start_django

    start_django(database_url, prefix="theodoi-bench-writes-")
    from django.contrib.auth.models import User
    from django.test import Client
    from django.urls import reverse

    from bench.bench_serve import _seed
    from theodoi.accounts.models import Membership
    from theodoi.plans.models import Target

    writers, _readers = _seed(2)
    job = writers[0]
    pairs = list(job["pairs"])  # type: ignore[call-overload]
    api = Client()
    headers = {"Authorization": f"Bearer {job['token']}"}
    # writers[0]'s officer: the first one _seed made.
    user = User.objects.filter(username__startswith="bench-").order_by("pk").first()
    assert user is not None
    membership = Membership.objects.get(user=user)
    web = Client()
    web.force_login(user)
    task, period = pairs[0]

    # Every update names the version it was made from (a stale one is refused): each save
    # names the version the previous one answered with.
    versions: dict[str, int | None] = {}

    def _put(path: str, data: dict[str, object]) -> int:
        version = versions.get(path)
        body = json.dumps(data if version is None else {**data, "version": version})
        response = api.put(path, body, content_type="application/json", headers=headers)
        if response.status_code == 200:
            versions[path] = response.json().get("version")
        return response.status_code

    def api_save(n: int) -> Callable[[], int]:
        data = {"status": "in_progress", "percent": n % 100, "done": f"Lần {n}"}
        path = f"/api/v1/tasks/{task}/reports/{period}"
        return lambda: _put(path, data)

    def web_save(n: int) -> Callable[[], int]:
        web_task, web_period = pairs[1 + n % (len(pairs) - 1)]
        form = {"status": "in_progress", "percent": "40", "done": f"Lần {n}", "action": "save"}
        path = reverse("report_edit", args=[web_task]) + f"?period={web_period}"
        return lambda: web.post(path, {**form, "version": "0"}).status_code

    target = Target.objects.filter(plan__commune_id=membership.commune_id).first()
    assert target is not None
    target.owners.add(membership.unit)
    value_period = target.plan.periods.filter(kind="month").last()
    assert value_period is not None

    def value_save(n: int) -> Callable[[], int]:
        data = {"value": str(n), "note": f"Lần {n}"}
        path = f"/api/v1/targets/{target.public_id}/values/{value_period.public_id}"
        return lambda: _put(path, data)

    results: dict[str, dict[str, float]] = {}
    web_saves = min(saves, len(pairs) - 3)  # each a new report
    for label, make, count in (
        ("report save, API", api_save, saves),
        ("report save, web form", web_save, web_saves),
        ("target value save, API", value_save, saves),
    ):
        make(0)()  # warm: the first save creates, the next ones update
        queries = _count_queries(make(1))
        cpu = _cpu_ms([make(n) for n in range(2, count + 2)])
        results[label] = {"cpu_ms": cpu, "queries": queries}
    return results


def _before(rev: str, database_url: str, saves: int) -> dict[str, dict[str, float]]:
    """The same measures on the source of ``rev``, in a child process."""
    source = Path(tempfile.mkdtemp(prefix="theodoi-before-"))
    archive = subprocess.run(
        ["git", "archive", rev, "src"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    env = {**os.environ, "PYTHONPATH": str(source / "src")}
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_writes", "--json", "--saves", str(saves),
         "--database-url", database_url + "_before"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(out.splitlines()[-1])  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/theodoi_bench_writes"
    )
    parser.add_argument("--saves", type=int, default=100)
    parser.add_argument("--before", help="a commit to compare with (git rev)")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    before = _before(args.before, args.database_url, args.saves) if args.before else None
    after = measure(args.database_url, args.saves)
    if args.json:
        print(json.dumps(after))
        return 0
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'':<26}{'CPU ms':>8}{'÷10ms':>7}{'queries':>8}", end="")
    print(f"{'before ms':>10}{'queries':>8}{'CPU ÷':>7}{'queries ÷':>10}" if before else "")
    for label, now in after.items():
        line = f"{label:<26}{now['cpu_ms']:>8.2f}{now['cpu_ms'] / GOAL_CPU_MS:>7.2f}"
        line += f"{int(now['queries']):>8}"
        if before:
            was = before[label]
            line += f"{was['cpu_ms']:>10.2f}{int(was['queries']):>8}"
            line += f"{now['cpu_ms'] / was['cpu_ms']:>7.2f}{now['queries'] / was['queries']:>10.2f}"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
