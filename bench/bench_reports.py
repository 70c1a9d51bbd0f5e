"""Time the periodic report of one commune with a year of data, and the province report.

Run: ``uv run python -m bench.bench_reports [--communes N] [--repeat R]``. It works on a
throw-away SQLite database in a temporary directory (never your own data): migrate, build a
province of N communes (default 100) with a full year of monthly reports (``bench.generate``),
then draw up:

- one commune's year report and December report: gathering the figures, the DOCX, the XLSX
  (the budget: under 1 s each);
- the province office's report on all N communes, DOCX and XLSX (the budget: under 10 s).

Figures are printed as ratios within this one run (each median time ÷ its budget), since
absolute times on shared machines are noisy; query counts are exact.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable

COMMUNE_BUDGET = 1.0
PROVINCE_BUDGET = 10.0


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

    call_command("migrate", verbosity=0)


def _measure(func: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds. SQLite runs in this process, so the CPU time
    includes the queries; on a busy shared machine it is the steadier of the two."""
    func()  # warm: translations loaded, the DOCX template read once
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        func()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.bench_reports")
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="theodoi-bench-") as data_dir:
        _setup(data_dir)
        return _run(args.communes, args.repeat)


def _run(communes: int, repeat: int) -> int:
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.generate import generate_province
    from theodoi.reports.data import build_report
    from theodoi.reports.docx import report_docx
    from theodoi.reports.province import build_province_report, province_docx, province_xlsx
    from theodoi.reports.ranges import ReportKind, plan_range
    from theodoi.reports.xlsx import report_xlsx
    from theodoi.tracking.models import ProgressReport, TargetValue

    year = dt.date.today().year - 1
    end = dt.date(year, 12, 31)
    generated = generate_province(communes=communes, year=year, today=end)
    plan = generated.plans[len(generated.plans) // 2]
    print(f"Province of N = {communes} communes, plans of {year} (a full year of monthly reports)")
    print(
        f"  one commune: {plan.tasks.count()} tasks, {plan.targets.count()} targets, "
        f"{ProgressReport.objects.filter(task__plan=plan).count()} progress reports, "
        f"{TargetValue.objects.filter(target__plan=plan).count()} target values"
    )

    Timing = tuple[float, float]
    rows: list[tuple[str, Timing, float, int]] = []

    def total(*timings: Timing) -> Timing:
        return sum(t[0] for t in timings), sum(t[1] for t in timings)

    for label, kind, number in (
        ("commune year report", ReportKind.YEAR, 1),
        ("commune December report", ReportKind.MONTH, 12),
    ):
        rng = plan_range(plan, kind, number)

        def gather(rng=rng):  # type: ignore[no-untyped-def]
            return build_report(plan, rng, today=end + dt.timedelta(days=30))

        report = gather()
        with CaptureQueriesContext(connection) as queries:
            gather()
        seconds = _measure(gather, repeat)
        rows.append((f"{label}: figures", seconds, COMMUNE_BUDGET, len(queries)))
        docx = _measure(lambda report=report: report_docx(report), repeat)
        rows.append((f"{label}: DOCX", docx, COMMUNE_BUDGET, 0))
        xlsx = _measure(lambda report=report: report_xlsx(report), repeat)
        rows.append((f"{label}: XLSX", xlsx, COMMUNE_BUDGET, 0))
        rows.append(
            (f"{label}: all three", total(seconds, docx, xlsx), COMMUNE_BUDGET, len(queries))
        )

    def province() -> object:
        return build_province_report(generated.province, year=year, today=end)

    with CaptureQueriesContext(connection) as queries:
        province_report = province()
    gathered = _measure(province, repeat)
    rows.append((f"province of {communes}: figures", gathered, PROVINCE_BUDGET, len(queries)))
    docx = _measure(lambda: province_docx(province_report), repeat)
    rows.append((f"province of {communes}: DOCX", docx, PROVINCE_BUDGET, 0))
    xlsx = _measure(lambda: province_xlsx(province_report), repeat)
    rows.append((f"province of {communes}: XLSX", xlsx, PROVINCE_BUDGET, 0))
    rows.append(
        (
            f"province of {communes}: all three",
            total(gathered, docx, xlsx),
            PROVINCE_BUDGET,
            len(queries),
        )
    )

    print(f"{'':<42}{'wall ÷ budget':>14}{'CPU ÷ budget':>14}{'budget':>8}{'queries':>9}")
    for label, (wall, cpu), budget, count in rows:
        print(
            f"{label:<42}{wall / budget:>14.3f}{cpu / budget:>14.3f}{budget:>7.0f}s{count or '':>9}"
        )
    over = [label for label, (_wall, cpu), budget, _count in rows if cpu > budget]
    print("over budget: " + (", ".join(over) if over else "none"))
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
