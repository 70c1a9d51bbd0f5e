"""The read side of issue 15 on PostgreSQL: each page against hand-written SQL for the same
counts, the national roll-up, and write throughput — ratios from one run.

Run: ``uv run python -m bench.bench_rollups [--database-url URL] [--communes 100]
[--national-communes 3321] [--repeat 9] [--writes]``. It drops and recreates the database
named in the URL (and the same name suffixed ``_national`` / ``_writes``: never point it
at real data), builds a province of N communes (40 tasks and 25 targets per plan, a year of
monthly reports: ``bench.generate``), then times, interleaved run by run, each page through
Django's test client and ``bench.handwritten``'s SQL through a raw psycopg connection:

- the commune dashboard (as the commune's standing office);
- the commune's year report as DOCX (the same);
- the province dashboard (as the province officer);
- the province report as DOCX (the worker's job body: figures + document).

A page's time is its wall time: this process's CPU (Python, the driver) plus the time its
queries spent in PostgreSQL (measured around each query). Printed: medians, the ratio to
the SQL's median, and the query count of one request. The national roll-up is measured on
a country of ``--national-communes`` communes in 34 provinces (``bench.national``): the
national page if it exists, else every province's overview one after the other (what the
national figures cost without it), with its peak of traced Python memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/rollups_bench"


@dataclass
class Timing:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    db: list[float] = field(default_factory=list)

    def median(self, attr: str) -> float:
        return statistics.median(getattr(self, attr)) if getattr(self, attr) else 0.0


def _setup(database_url: str) -> None:
    from bench.bench_serve import start_django

    start_django(database_url, prefix="theodoi-bench-rollups-")


def _switch(database_url: str) -> None:
    """Point Django's connection at another (fresh, migrated) database."""
    from urllib.parse import urlsplit

    from django.core.management import call_command
    from django.db import connection

    from bench.bench_serve import _recreate

    _recreate(database_url)
    connection.close()
    connection.settings_dict["NAME"] = urlsplit(database_url).path.lstrip("/")
    call_command("migrate", verbosity=0)


def _drop(database_url: str) -> None:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(database_url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


class _DbClock:
    """Time spent inside the database driver, per query (a page's PostgreSQL time)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.queries += 1


def _page_run(fetch: Callable[[], Any], timing: Timing) -> int:
    from django.db import connection

    clock = _DbClock()
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    with connection.execute_wrapper(clock):
        fetch()
    timing.cpu.append(time.process_time() - start_cpu)
    timing.wall.append(time.perf_counter() - start_wall)
    timing.db.append(clock.seconds)
    return clock.queries


def _sql_run(run: Callable[[], Any], timing: Timing) -> None:
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    run()
    timing.cpu.append(time.process_time() - start_cpu)
    timing.wall.append(time.perf_counter() - start_wall)


def _ok(response: Any) -> Any:
    assert response.status_code == 200, response.status_code
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.bench_rollups")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=40)
    parser.add_argument("--targets", type=int, default=25)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--national-communes", type=int, default=3321, help="0: skip")
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--writes", action="store_true", help="also run bench.bench_writes")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    args = parser.parse_args(argv)
    _setup(args.database_url)
    try:
        _province_pages(args)
        if args.national_communes:
            _national(args)
    finally:
        from django.db import connection

        connection.close()
        if not args.keep:
            _drop(args.database_url)
            _drop(args.database_url + "_national")
    if args.writes:
        _writes(args.database_url + "_writes")
    return 0


def _province_pages(args: argparse.Namespace) -> None:
    import psycopg
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from bench.generate import generate_province
    from bench.handwritten import counts
    from theodoi.dashboards.queries import plan_figures
    from theodoi.plans.models import Plan
    from theodoi.reports.data import build_report
    from theodoi.reports.province import build_province_report, province_docx
    from theodoi.reports.ranges import ReportKind, plan_range
    from theodoi.tracking.models import ProgressReport, TargetValue

    today = timezone.localdate()
    year = today.year - 1  # a whole year of reports, every period closed
    start = time.perf_counter()
    generated = generate_province(
        communes=args.communes,
        tasks=args.tasks,
        targets=args.targets,
        year=year,
        today=dt.date(year, 12, 31),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    plan = generated.plans[len(generated.plans) // 2]
    print(
        f"Province of {args.communes} communes, plans of {year}: "
        f"{plan.tasks.count()} tasks and {plan.targets.count()} targets per plan, "
        f"{ProgressReport.objects.count()} reports, {TargetValue.objects.count()} values "
        f"(built in {time.perf_counter() - start:.0f} s)"
    )
    office, officer = Client(), Client()
    office.force_login(generated.offices[plan.commune_id])
    officer.force_login(generated.officer)
    dashboard_url = reverse("commune_dashboard", args=[plan.public_id])
    docx_url = reverse("report_docx", args=[plan.public_id]) + "?kind=year&number=1"
    province_url = reverse("province_dashboard", args=[generated.province.code])
    plan_ids = list(
        Plan.objects.active()
        .filter(commune__province=generated.province, year=year)
        .values_list("pk", flat=True)
    )

    def province_report() -> bytes:
        report = build_province_report(generated.province, year=year, today=today)
        return province_docx(report)

    def dashboard_figures() -> object:
        """What the commune dashboard computes before it renders: its figures alone."""
        return plan_figures(plan, today=today)

    year_range = plan_range(plan, ReportKind.YEAR, 1)
    raw = psycopg.connect(args.database_url.replace("postgres://", "postgresql://"))
    cursor = raw.cursor()
    rows: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
        (
            "commune dashboard",
            lambda: _ok(office.get(dashboard_url)),
            lambda: counts(cursor, [plan.pk], today=today),
        ),
        (
            "  its figures (no HTML)",
            dashboard_figures,
            lambda: counts(cursor, [plan.pk], today=today),
        ),
        (
            "  year report figures (no DOCX)",
            lambda: build_report(plan, year_range, today=today),
            lambda: counts(cursor, [plan.pk], today=dt.date(year, 12, 31)),
        ),
        (
            "commune year report DOCX",
            lambda: _ok(office.get(docx_url)),
            lambda: counts(cursor, [plan.pk], today=dt.date(year, 12, 31)),
        ),
        (
            f"province dashboard ({args.communes})",
            lambda: _ok(officer.get(province_url)),
            lambda: counts(cursor, plan_ids, today=today),
        ),
        (
            f"province report DOCX ({args.communes})",
            province_report,
            lambda: counts(cursor, plan_ids, today=today),
        ),
    ]
    print(f"\nMedian of {args.repeat} interleaved runs; load average {os.getloadavg()[0]:.1f}")
    print(f"{'':<30}{'wall s':>8}{'CPU s':>8}{'PG s':>8}{'SQL s':>8}{'÷ SQL':>7}{'queries':>9}")
    for label, page, sql in rows:
        page()  # warm: templates compiled, sessions read
        sql()
        page_t, sql_t = Timing(), Timing()
        queries = 0
        for _ in range(args.repeat):
            queries = _page_run(page, page_t)
            _sql_run(sql, sql_t)
        wall, sql_wall = page_t.median("wall"), sql_t.median("wall")
        print(
            f"{label:<30}{wall:>8.3f}{page_t.median('cpu'):>8.3f}{page_t.median('db'):>8.3f}"
            f"{sql_wall:>8.3f}{wall / sql_wall:>7.1f}{queries:>9}"
        )
    raw.close()


def _national(args: argparse.Namespace) -> None:
    import psycopg
    from django.test import Client
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from bench.handwritten import counts
    from bench.national import generate_nation
    from theodoi.dashboards.province import province_overview
    from theodoi.plans.models import Plan
    from theodoi.tracking.models import ProgressReport

    url = args.database_url + "_national"
    _switch(url)
    today = timezone.localdate()
    year = today.year - 1
    start = time.perf_counter()
    nation = generate_nation(
        communes=args.national_communes,
        provinces=args.provinces,
        tasks=args.tasks,
        targets=args.targets,
        year=year,
        today=dt.date(year, 12, 31),
    )
    plan_ids = list(Plan.objects.active().filter(year=year).values_list("pk", flat=True))
    print(
        f"\nCountry of {len(plan_ids)} communes in {len(nation.provinces)} provinces: "
        f"{ProgressReport.objects.count()} reports (built in {time.perf_counter() - start:.0f} s)"
    )
    try:
        national_url = reverse("national_dashboard")
    except NoReverseMatch:
        national_url = ""
    if national_url:
        from django.contrib.auth.models import User

        admin = User.objects.create_superuser("bench-admin", password=None)
        client = Client()
        client.force_login(admin)
        label = "national page"
        repeat = args.repeat

        def page() -> Any:
            return _ok(client.get(national_url + f"?year={year}"))
    else:
        label = "every province's overview"
        repeat = 1

        def page() -> Any:
            return [province_overview(p, year=year, today=today) for p in nation.provinces]

    raw = psycopg.connect(url.replace("postgres://", "postgresql://"))
    cursor = raw.cursor()

    def sql() -> Any:
        return counts(cursor, plan_ids, today=today, by="province")

    page()
    page_t, sql_t = Timing(), Timing()
    queries = 0
    for _ in range(repeat):
        queries = _page_run(page, page_t)
        _sql_run(sql, sql_t)
    tracemalloc.start()
    page()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    wall, sql_wall = page_t.median("wall"), sql_t.median("wall")
    print(
        f"{'':<30}{'wall s':>8}{'CPU s':>8}{'PG s':>8}{'SQL s':>8}{'÷ SQL':>7}{'queries':>9}"
        f"{'peak MB':>9}"
    )
    print(
        f"{label:<30}{wall:>8.3f}{page_t.median('cpu'):>8.3f}{page_t.median('db'):>8.3f}"
        f"{sql_wall:>8.3f}{wall / sql_wall:>7.1f}{queries:>9}{peak / 1e6:>9.1f}"
    )
    raw.close()


def _writes(url: str) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_writes", "--json", "--saves", "50",
         "--database-url", url],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    results = json.loads(out.splitlines()[-1])
    _drop(url)
    print(f"\n{'write':<30}{'CPU ms':>8}{'queries':>9}{'saves/s':>9}")
    for label, now in results.items():
        print(
            f"{label:<30}{now['cpu_ms']:>8.2f}{int(now['queries']):>9}{1000 / now['cpu_ms']:>9.0f}"
        )


if __name__ == "__main__":
    sys.exit(main())
