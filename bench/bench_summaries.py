"""The summaries' costs: rebuilding them, reading the province and national figures, and
what they add to a report sent to the standing office.

Run: ``uv run python -m bench.bench_summaries [--provinces P] [--communes N] [--tasks T]
[--database-url URL]``. Without a URL it works on a throw-away SQLite database in a temporary
directory; with one it drops and recreates that PostgreSQL database (never point it at real
data). It builds P provinces of N communes, each with a plan of T tasks and a year of
monthly reports (``bench.generate``), rebuilds the summaries, times
``commune_figures``/``province_figures`` (median of ``--repeat``), and sends ``--sends``
progress reports through ``report_submit`` with the summary call and with it replaced by a
no-op: Django CPU per send and queries.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any


def _setup(data_dir: str, database_url: str | None, *, reuse: bool = False) -> None:
    os.environ["THEODOI_DATA_DIR"] = data_dir
    os.environ.pop("THEODOI_PRODUCTION", None)
    os.environ["THEODOI_DEBUG"] = "false"
    if database_url:
        from bench.bench_serve import _recreate

        if not reuse:
            _recreate(database_url)
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "theodoi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _median(call: Callable[[], Any], repeat: int) -> tuple[float, float, int]:
    """Median (CPU s, wall s) of ``repeat`` calls, and the queries of one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cpu, wall = [], []
    for _ in range(repeat):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        call()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    with CaptureQueriesContext(connection) as captured:
        call()
    return statistics.median(cpu), statistics.median(wall), len(captured.captured_queries)


def _run(args: argparse.Namespace) -> int:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    import theodoi.tracking.services as tracking_services
    from bench.generate import generate_province
    from theodoi.accounts.models import Membership, Role
    from theodoi.plans.models import AssignmentRole, Plan, TaskAssignment
    from theodoi.summaries.services import summary_rebuild
    from theodoi.tracking.models import Period
    from theodoi.tracking.services import ReportInput, report_save, report_submit

    today = timezone.localdate()
    if args.reuse:
        return _read(args, today)
    start = time.perf_counter()
    provinces = [
        generate_province(
            communes=args.communes,
            tasks=args.tasks,
            targets=15,
            today=today,
            seed=p,
            code=f"tinh-{p:02d}",
            name=f"Tỉnh {p:02d}",
            summaries=False,
        )
        for p in range(args.provinces)
    ]
    plans = list(Plan.objects.order_by("pk"))
    print(f"generated {len(plans)} plans in {time.perf_counter() - start:.1f} s")
    start, start_cpu = time.perf_counter(), time.process_time()
    for plan in plans:
        summary_rebuild(plan)
    print(
        f"rebuild: {time.perf_counter() - start:.1f} s wall, "
        f"{(time.process_time() - start_cpu) * 1000 / len(plans):.1f} ms CPU per plan"
    )
    _read(args, today)

    # Sends: a police officer's drafts on the first commune's leaf tasks, latest period.
    commune = provinces[0].communes[0]
    plan = Plan.objects.get(commune=commune)
    plan.requires_head_confirmation = False
    plan.save(update_fields=["requires_head_confirmation"])
    period = Period.objects.filter(plan=plan, kind="month", starts_on__lte=today).last()
    assert period is not None
    leads = list(
        TaskAssignment.objects.filter(task__plan=plan, role=AssignmentRole.LEAD)
        .exclude(task__children__isnull=False)
        .select_related("task", "unit")
        .order_by("pk")
    )
    _clear(plan, period)
    user = User.objects.create_user(username="bench-sender")
    results = {}
    original = tracking_services.summary_report_sent
    for label, hook in (("without summary", lambda report: None), ("with summary", original)):
        tracking_services.summary_report_sent = hook  # type: ignore[assignment]
        cpu_ms, counts = [], []
        for assignment in leads[: args.sends]:
            Membership.objects.get_or_create(
                user=user, role=Role.UNIT_STAFF, commune=commune, unit=assignment.unit
            )
            report = report_save(
                task=assignment.task, period=period, unit=assignment.unit, user=user,
                data=ReportInput(status="in_progress", percent=40),
            )  # fmt: skip
            start_cpu = time.process_time()
            with CaptureQueriesContext(connection) as captured:
                report_submit(report=report, user=user, version=report.version)
            cpu_ms.append((time.process_time() - start_cpu) * 1000)
            counts.append(len(captured.captured_queries))
        _clear(plan, period)
        summary_rebuild(plan)
        results[label] = (statistics.median(cpu_ms), statistics.median(counts))
    tracking_services.summary_report_sent = original
    for label, (cpu_ms_median, count) in results.items():
        print(f"report_submit {label}: {cpu_ms_median:.2f} ms CPU, {count:.0f} queries")
    return 0


def _read(args: argparse.Namespace, today: Any) -> int:
    """The province's and the nation's figures: median times and queries."""
    import tracemalloc

    from theodoi.summaries.queries import commune_figures, province_figures
    from theodoi.units.models import Commune, Province

    province = Province.objects.order_by("pk").first()
    assert province is not None
    communes = Commune.objects.filter(province=province).count()
    cpu, wall, queries = _median(
        lambda: commune_figures(province, year=today.year, today=today), args.repeat
    )
    print(
        f"commune_figures ({communes} communes): {wall * 1000:.0f} ms wall, "
        f"{cpu * 1000:.0f} ms CPU, {queries} queries"
    )
    cpu, wall, queries = _median(
        lambda: province_figures(year=today.year, today=today), args.repeat
    )
    tracemalloc.start()
    province_figures(year=today.year, today=today)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(
        f"province_figures ({Commune.objects.count()} communes): {wall * 1000:.0f} ms wall, "
        f"{cpu * 1000:.0f} ms CPU, {queries} queries, {peak / 1e6:.1f} MB peak"
    )
    return 0


def _clear(plan: Any, period: Any) -> None:
    """The period's reports (and their evidence) gone, so each send is a first one."""
    from theodoi.evidence.models import Evidence
    from theodoi.tracking.models import ProgressReport

    Evidence.objects.filter(report__task__plan=plan, report__period=period).delete()
    ProgressReport.objects.filter(task__plan=plan, period=period).delete()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.bench_summaries")
    parser.add_argument("--provinces", type=int, default=1)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=25)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sends", type=int, default=10)
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--reuse", action="store_true", help="read the figures of the database as it is"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="theodoi-bench-") as data_dir:
        _setup(data_dir, args.database_url, reuse=args.reuse)
        return _run(args)


if __name__ == "__main__":
    sys.exit(main())
