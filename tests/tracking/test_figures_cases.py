"""What a leader or the standing office saw disagree, each case as it was seen, now agreeing.

The rules live in ``tracking.status`` (states, judgement, buckets), ``alerts.rules``
(warnings) and ``lib.numbers`` (how numbers are written); every surface reads them.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from docx import Document

from theodoi.alerts.rules import Kind, plan_warnings
from theodoi.alerts.services import digest_collect
from theodoi.dashboards.queries import (
    WindowState,
    plan_task_lines,
    reporting_window,
    status_row,
    target_lines,
)
from theodoi.lib.numbers import vn_number
from theodoi.plans.models import (
    AssignmentRole,
    Comparator,
    Plan,
    ReportRegime,
    Target,
    TargetKind,
    TaskAssignment,
)
from theodoi.reports.data import build_report, figures
from theodoi.reports.docx import report_docx
from theodoi.reports.ranges import ReportKind, plan_range
from theodoi.reports.yearend import year_end_report
from theodoi.tracking.models import ReviewStatus, TaskStatus
from theodoi.tracking.status import Bucket, Judgement, expected_by, task_states

from ..evidence.factories import staff_of
from ..factories import unit_of
from ..reports.helpers import SERVICE, aware, d, sent_value
from ..tracking_factories import make_active_plan, make_report, period_of, task_of
from .helpers import document_evidence, mark_sent

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    """Hòa Phong's plan, in force since before its year began."""
    plan = make_active_plan(commune)
    plan.activated_at = timezone.make_aware(dt.datetime(2025, 12, 20))
    plan.report_regime = ReportRegime.CALENDAR
    plan.save()
    return plan


def _docx_text(plan: Plan, kind: str, number: int, today: dt.date) -> str:
    report = build_report(plan, plan_range(plan, kind, number), today=today)
    return "\n".join(p.text for p in Document(io.BytesIO(report_docx(report))).paragraphs)


def test_the_reports_warnings_section_says_the_value_at_its_cut_off_with_a_decimal_comma(
    plan, commune
):
    service = staff_of(commune, SERVICE, "ttpvhcc")
    sent_value(plan, "1", 3, "85.5", service, sent=d(4, 4))  # counts at 31/03 (March's)
    sent_value(plan, "1", 4, "89.9", service, sent=d(5, 4))  # entered after the cut-off
    text = _docx_text(plan, ReportKind.QUARTER, 1, d(7, 10))
    warnings = text[text.index("II. CẢNH BÁO") : text.index("III. KHÓ KHĂN")]
    assert "85,5 %" in warnings
    assert "89,9" not in warnings and "89.9" not in warnings and "85.5" not in text


def test_a_completion_sent_on_time_awaiting_review_is_pending_in_the_report_as_on_the_dashboard(
    plan, police
):
    police_unit = unit_of(plan.commune, "Công an phường")
    done = make_report(
        task_of(plan, "I.1.1"), police_unit, police, month=6, status="completed", percent=100
    )
    document_evidence(user=police, report=done)  # awaiting review
    mark_sent(done, when=aware(d(6, 28)))  # before its deadline, 30/06
    rng = plan_range(plan, ReportKind.MONTH, 7)
    report = figures(build_report(plan, rng, today=d(8, 10)))
    tiles = status_row("", {}, plan_task_lines(plan, today=rng.end).lines)
    assert report["late"] == tiles.counts[Bucket.LATE] == 0
    assert report["awaiting"] == tiles.counts[Bucket.PENDING] == 1


@pytest.mark.parametrize(("regime", "met"), [(ReportRegime.ND09, 0), (ReportRegime.CALENDAR, 1)])
def test_a_quarterly_report_and_the_dashboard_at_its_cut_off_count_september_alike(
    plan, commune, regime, met
):
    plan.report_regime = regime
    plan.save()
    service = staff_of(commune, SERVICE, "ttpvhcc")
    sent_value(plan, "1", 9, "95", service, sent=d(10, 3))
    rng = plan_range(plan, ReportKind.QUARTER, 3)  # NĐ 09: to 14/09; calendar: to 30/09
    report = figures(build_report(plan, rng, today=d(10, 20)))
    dashboard = [t for t in target_lines(plan, today=rng.end) if t.bucket == Judgement.MET]
    assert report["targets_met"] == len(dashboard) == met


def test_a_target_due_at_year_end_is_behind_not_failed_in_a_third_quarter_report(plan, commune):
    service = staff_of(commune, SERVICE, "ttpvhcc")
    sent_value(plan, "1", 8, "85", service, sent=d(9, 3))  # goal ≥ 90 %
    q3 = build_report(plan, plan_range(plan, ReportKind.QUARTER, 3), today=d(10, 20))
    row = next(t for t in q3.targets if t.target.code == "1")
    assert row.evaluation == "Chưa đạt, chậm tiến độ"
    after = year_end_report(plan, today=dt.date(2027, 1, 10))
    assert next(t for t in after.targets if t.target.code == "1").evaluation == "Không đạt"


def test_a_supporting_units_report_counts_as_its_own_and_leaves_the_leads_figure(
    plan, police, commune
):
    task = task_of(plan, "I.1.1")
    culture_unit = unit_of(commune, "Phòng Văn hóa - Xã hội")
    TaskAssignment.objects.create(task=task, unit=culture_unit, role=AssignmentRole.SUPPORT)
    culture = staff_of(commune, "Phòng Văn hóa - Xã hội", "vhxh")
    mark_sent(
        make_report(task_of(plan, "I.1.1"), unit_of(commune, "Công an phường"), police, percent=40),
        when=aware(d(4, 2)),
    )
    contribution = make_report(task, culture_unit, culture, percent=90)
    mark_sent(contribution, when=aware(d(4, 3)))
    assert contribution.is_contribution

    data = plan_task_lines(plan, today=d(4, 10))
    window = reporting_window(data, period_of(plan, 3))
    rows = {(u.unit.name, t.line.task.code): t for u in window.units for t in u.tasks}
    supporting = rows[("Phòng Văn hóa - Xã hội", "I.1.1")]
    assert supporting.supporting and supporting.state == WindowState.SENT
    assert task_states([task], today=d(4, 10))[task.pk].percent == 40  # the lead's figure


def test_five_missed_periods_are_one_warning_saying_five(plan):
    missing = [
        w
        for w in plan_warnings(plan, today=d(6, 10))
        if w.kind == Kind.REPORT_MISSING and w.task and w.task.code == "I.1.2"
    ]
    assert len(missing) == 1
    assert "5 kỳ chưa báo cáo" in missing[0].reason
    assert [p.label for p in missing[0].periods][-1] == "Tháng 5/2026"


def test_a_task_without_news_for_two_periods_is_not_shown_as_on_time(plan, commune):
    culture = staff_of(commune, "Phòng Văn hóa - Xã hội", "vhxh")
    report = make_report(
        task_of(plan, "I.1.2"), unit_of(commune, "Phòng Văn hóa - Xã hội"), culture, month=1
    )
    mark_sent(report, when=aware(d(2, 2)))
    line = next(x for x in plan_task_lines(plan, today=d(7, 10)).lines if x.task.code == "I.1.2")
    assert line.stale and line.state.status == TaskStatus.IN_PROGRESS
    assert "đúng hạn" not in line.label
    assert "Không cập nhật 2 kỳ" in line.label


def test_numbers_read_vietnamese_and_counts_stay_whole():
    assert vn_number(Decimal("1245.50")) == "1.245,5"
    assert vn_number(Decimal("1E+3")) == "1.000"
    assert vn_number(Decimal("-0.25")) == "-0,25"
    products = Target(
        kind=TargetKind.QUANTITATIVE,
        comparator=Comparator.GTE,
        value=Decimal(17),
        measure_unit="sản phẩm",
    )
    mid_year = expected_by(products, Plan(year=2026), dt.date(2026, 7, 2))
    assert mid_year == Decimal(9)  # not "8,5 sản phẩm"


def test_the_office_is_not_told_of_evidence_it_rejected_itself(plan, office, police):
    report = make_report(
        task_of(plan, "I.1.1"),
        unit_of(plan.commune, "Công an phường"),
        police,
        month=3,
        status="completed",
        percent=100,
    )
    document_evidence(user=police, report=report, review=ReviewStatus.REJECTED)
    mark_sent(report, when=aware(d(4, 2)))
    kinds = {
        digest.user.username: {w.kind for w in digest.warnings}
        for digest in digest_collect(today=d(4, 10))
    }
    assert Kind.EVIDENCE_REJECTED in kinds["congan"]
    assert Kind.EVIDENCE_REJECTED not in kinds["vanphong"]
