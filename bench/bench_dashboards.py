"""Time the commune and province dashboards on a generated province.

Run: ``uv run python -m bench.bench_dashboards [--communes N] [--repeat R]``. It works on a
throw-away SQLite database in a temporary directory (never your own data): migrate, build a
province of N communes (default 100) with a full year of monthly reports (``bench.generate``),
then request the pages through Django's test client as a logged-in user — the commune
dashboard as a commune's standing office, the province dashboard as the province officer.

Figures are printed as ratios within this one run (each page's median time ÷ the 1 s
budget, each page ÷ the commune page), since absolute times on shared machines are noisy;
CPU time is shown beside wall time because on a busy machine most wall time is waiting for
a core. The query counts are exact.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

BUDGET_SECONDS = 1.0


def _setup(data_dir: str) -> None:
    # Before Django reads its settings: a fresh data directory, its default SQLite file.
    os.environ["THEODOI_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("THEODOI_PRODUCTION", None)
    os.environ["THEODOI_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "theodoi.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host, e-mail kept in memory
    call_command("migrate", verbosity=0)


def _measure(fetch: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median (CPU seconds, wall seconds) of ``repeat`` calls.

    CPU time (this process: Python and the embedded SQLite) is what the page costs; wall
    time also counts waiting for a core, which on a busy shared machine can be most of it.
    """
    cpu, wall = [], []
    for _ in range(repeat):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        fetch()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    return statistics.median(cpu), statistics.median(wall)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.bench_dashboards")
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="theodoi-bench-") as data_dir:
        _setup(data_dir)
        return _run(args.communes, args.repeat)


def _run(communes: int, repeat: int) -> int:
    import datetime as dt

    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from bench.generate import generate_province
    from theodoi.evidence.models import Evidence
    from theodoi.plans.models import Target, Task
    from theodoi.tracking.models import ProgressReport, TargetValue

    today = timezone.localdate()
    # Last year's plans: every month of the year has its reports, and all periods are closed.
    year = today.year - 1
    start = time.perf_counter()
    generated = generate_province(communes=communes, year=year, today=dt.date(year, 12, 31))
    built = time.perf_counter() - start
    print(f"Province of N = {communes} communes, plans of {year} (a full year of monthly reports)")
    print(
        f"  rows: {Task.objects.count()} tasks, {Target.objects.count()} targets, "
        f"{ProgressReport.objects.count()} progress reports, "
        f"{TargetValue.objects.count()} target values, {Evidence.objects.count()} evidence"
    )
    print(f"  built in {built / BUDGET_SECONDS:.2f} × the 1 s budget")

    pages: list[tuple[str, Client, str]] = []
    officer = Client()
    officer.force_login(generated.officer)
    province_url = reverse("province_dashboard", args=[generated.province.code])
    plan = generated.plans[len(generated.plans) // 2]
    office = Client()
    office.force_login(generated.offices[plan.commune_id])
    try:
        pages.append(
            ("commune dashboard", office, reverse("commune_dashboard", args=[plan.public_id]))
        )
        pages.append(("commune task list", office, reverse("task_list", args=[plan.public_id])))
    except NoReverseMatch:
        print("  (the commune dashboard is not wired yet: skipped)")
    pages.append(("province dashboard", officer, province_url))
    pages.append(
        ("province + 1 indicator", officer, province_url + "?indicator=tthc-xu-ly-truc-tuyen")
    )

    results = []
    for label, client, url in pages:
        response = client.get(url)  # warm: templates compiled, session read once
        if response.status_code != 200:
            print(f"  {label}: HTTP {response.status_code} at {url}", file=sys.stderr)
            return 1
        # Django empties the query log as each request starts: count from an empty log.
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        count = len(queries)  # now: the captured list is read from the log, emptied later
        cpu, wall = _measure(lambda client=client, url=url: client.get(url), repeat)
        results.append((label, count, cpu, wall))

    commune_cpu = next((c for label, _q, c, _w in results if label == "commune dashboard"), None)
    print()
    print(f"Median of {repeat} requests per page; load average now {os.getloadavg()[0]:.1f}.")
    print(f"{'page':<26}{'queries':>8}{'CPU ÷ 1 s':>11}{'CPU ÷ commune':>15}{'wall ÷ 1 s':>12}")
    for label, queries, cpu, wall in results:
        ratio = f"{cpu / commune_cpu:.1f}" if commune_cpu else "—"
        print(
            f"{label:<26}{queries:>8}{cpu / BUDGET_SECONDS:>11.3f}{ratio:>15}"
            f"{wall / BUDGET_SECONDS:>12.3f}"
        )
    province_cpu = next(c for label, _q, c, _w in results if label == "province dashboard")
    print()
    print(f"province page CPU per commune: {province_cpu / communes * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
