"""The summaries give the live derivation's figures, for a commune and for a province."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from bench.generate import generate_province
from django.utils import timezone

from theodoi.plans.models import Comparator, Plan, Target, TargetKind
from theodoi.summaries.queries import commune_figures
from theodoi.summaries.services import summary_rebuild

from .live import live_commune_figures

pytestmark = pytest.mark.django_db


def test_a_rebuilt_summary_gives_the_live_figures_today_and_later() -> None:
    today = timezone.localdate()
    generated = generate_province(communes=3, tasks=10, targets=6, today=today, seed=7)
    for plan in generated.plans:
        summary_rebuild(plan)
    for later in (0, 1, 20, 40, 200):
        day = today + dt.timedelta(days=later)
        stored = commune_figures(generated.province, year=today.year, today=day)
        live = live_commune_figures(generated.communes, year=today.year, today=day)
        assert stored == live, day


def test_targets_on_track_early_in_a_plans_time_are_counted_as_the_judgement_says() -> None:
    today = timezone.localdate()
    generated = generate_province(communes=3, tasks=6, targets=8, today=today, seed=11)
    # Issued today, its quantities made counts to reach by year end (far from met): time
    # has asked for nothing yet, so they are on track today and behind soon after.
    plans = [p.pk for p in generated.plans]
    Plan.objects.filter(pk__in=plans).update(issued_on=today)
    Target.objects.filter(plan__in=plans, kind=TargetKind.QUANTITATIVE).update(
        measure_unit="hồ sơ", comparator=Comparator.GTE, value=Decimal(10**9)
    )
    for plan in generated.plans:
        summary_rebuild(plan)
    on_track = behind = 0
    for later in (0, 1, 5, 60):
        day = today + dt.timedelta(days=later)
        stored = commune_figures(generated.province, year=today.year, today=day)
        assert stored == live_commune_figures(generated.communes, year=today.year, today=day)
        on_track += sum(f.targets_on_track for f in stored.values())
        behind += sum(f.targets_behind for f in stored.values())
    assert on_track > 0
    assert behind > 0
