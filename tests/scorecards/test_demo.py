"""The demo's scorecard: the sample published for the province, every commune assessed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from theodoi.demo.services import demo_load
from theodoi.scorecards import queries
from theodoi.scorecards.demo import scorecards_demo_load
from theodoi.scorecards.models import Assessment, EntryStatus, Scorecard, ScorecardStatus
from theodoi.units.models import Province

from .helpers import assessment_of

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = dt.date(2026, 11, 23)


def _scores(assessment: Assessment) -> dict[str, Decimal | None]:
    card = queries.assessment_card(assessment, today=TODAY)
    return {line.criterion.code: line.self_score for line in card.lines}


def test_the_sample_is_published_and_each_commune_assessed_once(
    province, commune, other_commune, office, other_office, province_officer
):
    scorecard = scorecards_demo_load(province)
    assert scorecard.status == ScorecardStatus.PUBLISHED
    assert scorecard.criteria.count() == 13
    first = assessment_of(scorecard, commune)  # "Hòa Phong" comes first by name
    scores = _scores(first)
    assert scores["1.1"] == D(5)
    assert scores["1.2"] == D(20)  # 4 meetings
    assert scores["3.2"] == D(10)  # 12 classes
    assert scores["4.1"] == D(10)  # 3 systems of 3
    assert scores["5.1"] == D(5)  # one model recognised
    assert scores["5.2"] == D(0)
    meetings = first.entries.get(criterion__code="1.2")
    assert meetings.status == EntryStatus.DONE
    assert meetings.evidence.count() == 1
    assert meetings.appraised_score == D(15)
    assert meetings.explanation
    second = _scores(assessment_of(scorecard, other_commune))
    assert (second["1.2"], second["5.2"], second["5.3"]) == (D(15), D(-2), D(-1))

    again = scorecards_demo_load(province)
    assert again.pk == scorecard.pk
    assert Scorecard.objects.count() == 1
    assert Assessment.objects.count() == 2


def test_the_demo_province_gets_figures_from_its_plans(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    demo_load()
    province = Province.objects.get()
    scorecard = scorecards_demo_load(province)
    ranking = queries.scorecard_ranking(scorecard, today=TODAY)
    assert len(ranking.cards) == 4
    hoa_phong = next(c for c in ranking.cards if c.assessment.commune.name == "Hòa Phong")
    system = {line.criterion.code: line for line in hoa_phong.lines if line.system is not None}
    assert set(system) == {"2.1", "2.2", "2.3", "2.4", "3.1"}
    assert all(line.system and line.system.text for line in system.values())
    assert system["2.2"].self_score is not None  # the plan's on-time share
    assert system["2.3"].self_score is not None  # its reports' on-time share
    assert hoa_phong.appraised_count == 2  # group I
    assert hoa_phong.gap == D(-5)  # a meeting without minutes
    assert [c.rank for c in ranking.cards] == sorted(c.rank for c in ranking.cards)
