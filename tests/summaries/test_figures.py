"""The summaries give the live derivation's figures, for a commune and for a province."""

from __future__ import annotations

import datetime as dt

import pytest
from bench.generate import generate_province
from django.utils import timezone

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
