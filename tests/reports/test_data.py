"""The report's figures are the tracking rules' figures, read at the report's cut-off."""

from __future__ import annotations

import pytest

from theodoi.dashboards.queries import plan_task_lines, target_lines
from theodoi.plans.models import ReportRegime
from theodoi.reports.data import build_report, figures
from theodoi.reports.ranges import ReportKind, plan_range
from theodoi.tracking.status import target_states, task_states

from .helpers import d, make_season

pytestmark = pytest.mark.django_db


@pytest.fixture
def season(commune):  # type: ignore[no-untyped-def]
    return make_season(commune)


def _month(season, number):  # type: ignore[no-untyped-def]
    plan = season.plan
    return build_report(plan, plan_range(plan, ReportKind.MONTH, number), today=d(12, 1))


def _state_of(report, code):  # type: ignore[no-untyped-def]
    return next(r for r in report.rows if r.task.code == code)


@pytest.mark.parametrize("month", [3, 4, 5, 6, 12])
def test_every_figure_equals_the_tracking_rules_at_the_cut_off(season, month):
    report = _month(season, month)
    cut_off = report.rng.end
    tasks = list(season.plan.tasks.all())
    states = task_states(tasks, today=cut_off)
    for row in report.rows:
        assert row.state == states[row.task.pk]
    tstates = target_states(list(season.plan.targets.all()), as_of=cut_off)
    for row in report.targets:
        assert row.state == tstates[row.target.pk]
    leaves = [t for t in tasks if not t.children.exists()]
    counted = figures(report)
    assert counted["tasks"] == len(leaves)
    assert counted["done"] == sum(1 for t in leaves if states[t.pk].done)
    assert counted["late"] == sum(1 for t in leaves if states[t.pk].late and not states[t.pk].done)
    assert counted["targets_met"] == sum(1 for s in tstates.values() if s.met)


def test_what_was_sent_after_the_cut_off_about_a_later_period_does_not_count(season):
    # April's ND09 report runs 15/03–14/04: March's reports count (their period is over),
    # April's completion (sent 05/05) does not.
    april = _month(season, 4)
    assert _state_of(april, "I.1.1").state.percent == 60
    assert _state_of(april, "I.1.1").evaluation == "Đang thực hiện"
    target = april.targets[0]
    assert (target.result, target.evaluation) == ("85 %", "Chưa đạt, chậm tiến độ")
    # May's (15/04–14/05): April's completion is in; May's value (sent 03/06) is not.
    may = _month(season, 5)
    assert _state_of(may, "I.1.1").evaluation == "Hoàn thành"
    assert may.targets[0].result == "85 %"
    june = _month(season, 6)
    assert (june.targets[0].result, june.targets[0].evaluation) == ("92 %", "Đạt")


def test_a_report_drawn_on_the_cut_off_day_counts_as_the_dashboard_does(season):
    plan = season.plan
    today = d(6, 14)
    report = build_report(plan, plan_range(plan, ReportKind.MONTH, 6), today=today)
    lines = plan_task_lines(plan, today=today).lines
    counted = figures(report)
    assert counted["tasks"] == len(lines)
    assert counted["done"] == sum(1 for line in lines if line.bucket == "done")
    assert counted["late"] == sum(1 for line in lines if line.bucket == "late")
    dashboard_targets = target_lines(plan, today=today)
    assert [t.state.value for t in report.targets] == [t.state.value for t in dashboard_targets]
    assert counted["targets_met"] == sum(1 for t in dashboard_targets if t.state.met)


def test_an_open_period_is_read_up_to_today(season):
    report = build_report(season.plan, plan_range(season.plan, ReportKind.MONTH, 6), today=d(5, 20))
    assert report.as_of == d(5, 20)
    assert report.rng.end == d(6, 14)


def test_difficulties_and_proposals_are_gathered_with_their_unit(season):
    # Calendar March: the reports about March, whatever day they were sent.
    plan = season.plan
    plan.report_regime = ReportRegime.CALENDAR
    plan.save()
    report = _month(season, 3)
    assert [(r.unit, r.task_code, r.text) for r in report.difficulties] == [
        ("Công an phường", "I.1.1", "Thiếu máy quét tài liệu"),
        ("Phòng Văn hóa - Xã hội", "I.1.2", "Thiếu kinh phí in tờ rơi"),
    ]
    assert [(r.unit, r.text) for r in report.proposals] == [
        ("Công an phường", "Đề nghị cấp bổ sung 01 máy quét")
    ]
    # April's calendar report is about April only: March's difficulties are not repeated.
    assert _month(season, 4).difficulties == []


def test_general_tasks_are_listed_but_only_leaf_tasks_are_counted(season):
    report = _month(season, 6)
    assert [r.task.code for r in report.rows] == ["I.1", "I.1.1", "I.1.2"]
    assert [r.task.code for r in report.leaves] == ["I.1.1", "I.1.2"]
    assert figures(report)["tasks"] == 2
