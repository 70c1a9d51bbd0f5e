from __future__ import annotations

import datetime as dt

import pytest

from theodoi.plans.models import Cadence
from theodoi.tracking.models import Period
from theodoi.tracking.periods import current_period, periods_ensure

from ..tracking_factories import make_active_plan

pytestmark = pytest.mark.django_db


def test_an_activated_plan_has_twelve_monthly_periods_due_after_their_cut_off(commune):
    plan = make_active_plan(commune)
    periods = list(plan.periods.order_by("starts_on"))
    assert [p.label for p in periods[:2]] == ["Tháng 1/2026", "Tháng 2/2026"]
    assert len(periods) == 12
    february = periods[1]
    assert (february.starts_on, february.ends_on) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert february.due_on == dt.date(2026, 3, 5)


def test_ensuring_periods_twice_creates_nothing_new(commune):
    plan = make_active_plan(commune)
    periods_ensure(plan=plan)
    assert Period.objects.filter(plan=plan).count() == 12


def test_a_quarterly_plan_reports_by_quarter(commune):
    plan = make_active_plan(commune)
    plan.cadence = Cadence.QUARTERLY
    plan.save()
    quarters = periods_ensure(plan=plan)
    assert [q.label for q in quarters] == [
        "Quý I/2026",
        "Quý II/2026",
        "Quý III/2026",
        "Quý IV/2026",
    ]
    assert quarters[1].ends_on == dt.date(2026, 6, 30)


def test_weekly_periods_cover_every_day_of_the_year_once(commune):
    plan = make_active_plan(commune)
    plan.cadence = Cadence.WEEKLY
    plan.save()
    weeks = periods_ensure(plan=plan)
    assert weeks[0].starts_on == dt.date(2026, 1, 1)
    assert weeks[-1].ends_on == dt.date(2026, 12, 31)
    days = sum((w.ends_on - w.starts_on).days + 1 for w in weeks)
    assert days == 365


def test_the_current_period_is_the_month_of_today(commune):
    plan = make_active_plan(commune)
    assert current_period(plan, dt.date(2026, 3, 18)).label == "Tháng 3/2026"
    assert current_period(plan, dt.date(2025, 12, 1)).label == "Tháng 1/2026"
    assert current_period(plan, dt.date(2027, 2, 1)).label == "Tháng 12/2026"
