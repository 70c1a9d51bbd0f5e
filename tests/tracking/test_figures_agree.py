"""Every surface gives the same figures for the same plan, as of the same day.

Generated plans (``bench.generate``: random reports, percentages, evidence decisions and
sending dates), a random report of the year under a random period regime: the commune
dashboard's tiles, the task list's filter counts, the reporting window, the report (its page
data, its DOCX and its XLSX read back from the files), the API's figures, the province row
of that commune and the public page all say the same thing as of the report's cut-off.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass

import pytest
from bench.generate import generate_province
from django.db import transaction
from docx import Document
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from theodoi.alerts.rules import Kind, plan_warnings
from theodoi.api.figures import plan_figures as api_figures
from theodoi.dashboards.province import province_overview
from theodoi.dashboards.public import plan_figures as public_figures
from theodoi.dashboards.queries import (
    TargetBucket,
    TaskFilter,
    WindowState,
    filter_lines,
    plan_task_lines,
    reporting_window,
    status_row,
    target_counts,
    target_lines,
)
from theodoi.plans.models import Plan, ReportRegime
from theodoi.reports.data import build_report
from theodoi.reports.data import figures as report_figures
from theodoi.reports.docx import report_docx
from theodoi.reports.ranges import NUMBERS, ReportKind, plan_range
from theodoi.reports.xlsx import report_xlsx

pytestmark = pytest.mark.django_db(transaction=False)

YEAR = 2026


@dataclass(frozen=True)
class Figures:
    """What every surface shows: leaf tasks, done, late; targets, met."""

    tasks: int
    done: int
    late: int
    targets: int
    met: int


def _docx_figures(data: bytes) -> Figures:
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    tasks = re.search(
        r"Kế hoạch có (\d+) nhiệm vụ\. Đến ngày [\d/]+: đã hoàn thành (\d+) nhiệm vụ.*?"
        r"trễ hạn, chưa hoàn thành (\d+) nhiệm vụ",
        text,
    )
    targets = re.search(r"Về chỉ tiêu: (\d+) chỉ tiêu, trong đó (\d+) chỉ tiêu đạt", text)
    assert tasks and targets, text[:2000]
    total, done, late = (int(g) for g in tasks.groups())
    return Figures(total, done, late, int(targets.group(1)), int(targets.group(2)))


def _xlsx_figures(data: bytes, late_notes: set[str]) -> Figures:
    book = load_workbook(io.BytesIO(data), read_only=True)
    task_sheet, target_sheet = book.worksheets[1], book.worksheets[2]
    tasks = [r for r in task_sheet.iter_rows(min_row=2, values_only=True) if r[3] != "Có"]
    targets = list(target_sheet.iter_rows(min_row=2, values_only=True))
    return Figures(
        tasks=len(tasks),
        done=sum(1 for r in tasks if r[9] == "Hoàn thành"),
        late=sum(1 for r in tasks if r[9] != "Hoàn thành" and (r[10] or "") in late_notes),
        targets=len(targets),
        met=sum(1 for r in targets if r[10] == "Đạt"),
    )


def surfaces(plan: Plan, kind: str, number: int, looked_on: dt.date) -> dict[str, Figures]:
    """Each surface's figures for ``plan`` as of the cut-off of report ``kind`` ``number``,
    looked at on ``looked_on`` (on or after the cut-off)."""
    rng = plan_range(plan, kind, number)
    as_of = rng.end
    found: dict[str, Figures] = {}

    lines = plan_task_lines(plan, today=as_of).lines
    row = status_row("", {}, lines)
    tcounts = {key: n for key, _l, _c, n in target_counts(target_lines(plan, today=as_of))}
    found["dashboard tiles"] = Figures(
        row.total, row.counts["done"], row.counts["late"], sum(tcounts.values()),
        tcounts[TargetBucket.MET],
    )  # fmt: skip
    found["task list filters"] = Figures(
        len(filter_lines(lines, TaskFilter())),
        len(filter_lines(lines, TaskFilter(status="done"))),
        len(filter_lines(lines, TaskFilter(status="late"))),
        found["dashboard tiles"].targets,
        found["dashboard tiles"].met,
    )

    report = build_report(plan, rng, today=looked_on)
    page = report_figures(report)
    found["report page"] = Figures(
        page["tasks"], page["done"], page["late"], page["targets"], page["targets_met"]
    )
    found["DOCX"] = _docx_figures(report_docx(report))
    late_notes = {"Đang thực hiện trễ hạn", "Chưa triển khai (trễ hạn)"}
    found["XLSX"] = _xlsx_figures(report_xlsx(report), late_notes)

    api = api_figures(plan, today=as_of)
    by_status = {s["status"]: s["count"] for s in api["tasks"]["by_status"]}
    found["API"] = Figures(
        api["tasks"]["total"], by_status["done"], by_status["late"],
        api["targets"]["total"], api["targets"]["met"],
    )  # fmt: skip

    overview = province_overview(plan.commune.province, year=plan.year, today=as_of)
    prow = next(r for r in overview.rows if r.plan == plan)
    found["province row"] = Figures(
        prow.tasks_total, prow.tasks_done, prow.tasks_late, prow.targets_total, prow.targets_met
    )

    public = public_figures(plan, today=as_of).total
    found["public page"] = Figures(
        public.tasks_total, public.tasks_done, found["dashboard tiles"].late,
        public.targets_total, public.targets_met,
    )  # fmt: skip
    return found


def window_and_warnings(plan: Plan, as_of: dt.date) -> tuple[set[object], set[object]]:
    """(task, unit) pairs the reporting window of the last closed period shows as not sent,
    and those the missing-report warnings name for that period."""
    data = plan_task_lines(plan, today=as_of)
    if not data.closed:
        return set(), set()
    period = data.closed[-1]
    window = reporting_window(data, period)
    unsent = {
        (t.line.task.pk, u.unit.pk)
        for u in window.units
        for t in u.tasks
        if t.state != WindowState.SENT and not t.supporting
    }
    warned = {
        (w.task.pk, uid)
        for w in plan_warnings(plan, today=as_of)
        if w.kind == Kind.REPORT_MISSING and w.task is not None and period in w.periods
        for uid in w.unit_ids
    }
    return unsent, warned


report_choice = st.sampled_from(
    [(k, n) for k in (ReportKind.MONTH, ReportKind.QUARTER, ReportKind.HALF) for n in NUMBERS[k]]
)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)
@given(
    seed=st.integers(0, 10_000),
    regime=st.sampled_from([ReportRegime.ND09, ReportRegime.CALENDAR]),
    report=report_choice,
    later=st.integers(0, 45),
)
def test_every_surface_gives_the_same_figures_as_of_a_reports_cut_off(
    seed: int, regime: str, report: tuple[str, int], later: int
) -> None:
    with transaction.atomic():
        generated = generate_province(
            communes=1, tasks=8, targets=5, year=YEAR, today=dt.date(YEAR, 12, 20), seed=seed
        )
        plan = generated.plans[0]
        plan.report_regime = regime
        plan.save(update_fields=["report_regime"])
        kind, number = report
        rng = plan_range(plan, kind, number)
        found = surfaces(plan, kind, number, rng.end + dt.timedelta(days=later))
        unsent, warned = window_and_warnings(plan, rng.end)
        transaction.set_rollback(True)
    expected = found["report page"]
    differing = {name: figures for name, figures in found.items() if figures != expected}
    assert differing == {}, f"report page says {expected}"
    assert unsent == warned
