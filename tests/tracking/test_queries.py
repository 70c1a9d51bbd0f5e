"""The tracking pages' reads: numbers as Vietnamese write them, history in words, a unit's work."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from theodoi.audit.models import AuditEntry
from theodoi.lib.numbers import vn_number
from theodoi.tracking.forms import parse_vn_decimal
from theodoi.tracking.queries import audit_changes, unit_work

from ..factories import unit_of
from ..tracking_factories import make_active_plan, make_report, task_of


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1.245", "1245"),
        ("12.345.678", "12345678"),
        ("98,5", "98.5"),
        ("1.245,5", "1245.5"),
        ("98.5", "98.5"),  # a phone keyboard's decimal point
        ("0.245", "0.245"),
        ("1,245.5", "1245.5"),
        (" 84 % ", "84"),
        ("-3", "-3"),
    ],
)
def test_numbers_are_read_as_vietnamese_write_them(typed, number):
    assert parse_vn_decimal(typed) == Decimal(number)


@pytest.mark.parametrize("typed", ["", "abc", "1.2.3", "9x", "1,2,3.4.5"])
def test_what_is_not_a_number_is_refused(typed):
    with pytest.raises(ValueError):
        parse_vn_decimal(typed)


@pytest.mark.parametrize(
    ("number", "written"),
    [
        (Decimal("1245.0000"), "1.245"),
        (Decimal("84.0100"), "84,01"),
        (Decimal("1000"), "1.000"),
        (Decimal("0.5"), "0,5"),
        (None, ""),
    ],
)
def test_numbers_are_written_back_the_same_way(number, written):
    assert vn_number(number) == written
    if number is not None:
        assert parse_vn_decimal(written) == number


def test_a_history_entry_lists_what_changed_in_words():
    entry = AuditEntry(
        summary="Cập nhật báo cáo",
        before={"status": "in_progress", "percent": 40, "done": "A", "state": "draft"},
        after={"status": "completed", "percent": 100, "done": "A", "state": "draft"},
    )
    changes = [(c.label, c.before, c.after) for c in audit_changes(entry)]
    assert changes == [
        ("Tình trạng", "Đang thực hiện", "Hoàn thành"),
        ("Tỷ lệ hoàn thành", "40%", "100%"),
    ]


def test_a_first_entry_shows_the_values_set_and_skips_the_empty_ones():
    entry = AuditEntry(
        summary="Điều chỉnh thời hạn",
        before=None,
        after={"due_on": "2026-09-30", "lead": ["Công an phường"], "support": [], "reason": ""},
    )
    changes = [(c.label, c.before, c.after) for c in audit_changes(entry)]
    assert changes == [("Thời hạn", None, "30/09/2026"), ("Chủ trì", None, "Công an phường")]


@pytest.mark.django_db
def test_a_units_work_puts_this_periods_missing_reports_first(commune, police):
    plan = make_active_plan(commune)
    police_unit = unit_of(commune, "Công an phường")
    today = dt.date(2026, 3, 10)
    work = unit_work(commune, units=[police_unit], reporters=[police_unit], today=today)
    [row] = work.tasks
    assert (row.task.code, row.role, row.due_now, row.can_report) == ("I.1.1", "lead", True, True)
    assert row.period is not None and row.period.label == "Tháng 3/2026"
    make_report(task_of(plan, "I.1.1"), police_unit, police, month=3)
    [row] = unit_work(commune, units=[police_unit], reporters=[police_unit], today=today).tasks
    assert (row.report_state_label, row.due_now) == ("Đang soạn", True)


@pytest.mark.django_db
def test_the_whole_communes_work_cannot_be_reported_by_a_reader(commune):
    make_active_plan(commune)
    work = unit_work(commune, units=None, today=dt.date(2026, 3, 10))
    assert {r.task.code for r in work.tasks} == {"I.1", "I.1.1", "I.1.2"}
    assert not any(r.can_report for r in work.tasks)
    parent = next(r for r in work.tasks if r.task.code == "I.1")
    assert parent.is_leaf is False and parent.due_now is False
