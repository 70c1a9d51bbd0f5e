"""Scoring rules, checked by hand at every band's edge (scorecards.scoring: no Django)."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest

from theodoi.scorecards import scoring
from theodoi.scorecards.scoring import Figure, Rule

D = Decimal
MEETINGS = Rule(
    kind=scoring.BANDS,
    max_points=D(20),
    bands=scoring.parse_bands("4: 20; 3: 15; 2: 10; 1: 5"),
)
ON_TIME = Rule(
    kind=scoring.BANDS,
    max_points=D(10),
    bands=scoring.parse_bands("100: 10; 90: 8; 80: 6; 70: 4; 0: 0"),
)


def test_the_scoring_module_imports_nothing_from_django():
    source = Path(scoring.__file__).read_text(encoding="utf-8")
    modules = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert not [m for m in modules if m and m.startswith(("django", "theodoi"))]


@pytest.mark.parametrize(
    ("meetings", "points"),
    [(6, "20"), (4, "20"), (3, "15"), (2, "10"), (1, "5"), (0, "0")],
)
def test_meetings_held_score_by_band(meetings, points):
    assert scoring.score(MEETINGS, Figure(value=D(meetings))) == D(points)


@pytest.mark.parametrize(
    ("percent", "points"),
    [
        ("100", "10"),
        ("99.99", "8"),
        ("90", "8"),
        ("89.99", "6"),
        ("80", "6"),
        ("79.99", "4"),
        ("70", "4"),
        ("69.99", "0"),
        ("0", "0"),
    ],
)
def test_share_of_tasks_on_time_scores_by_band_with_inclusive_lower_bounds(percent, points):
    assert scoring.score(ON_TIME, Figure(value=D(percent))) == D(points)


def test_a_share_given_as_numerator_and_denominator_is_read_as_a_ratio():
    ratio = Rule(kind=scoring.RATIO, max_points=D(10))
    assert scoring.score(ratio, Figure(numerator=D(3), denominator=D(4))) == D("7.50")
    assert scoring.score(ratio, Figure(numerator=D(2), denominator=D(3))) == D("6.67")
    assert scoring.score(ratio, Figure(value=D(85))) == D("8.50")  # 85 %


def test_a_ratio_is_capped_at_its_maximum_and_never_below_zero():
    ratio = Rule(kind=scoring.RATIO, max_points=D(10))
    assert scoring.score(ratio, Figure(numerator=D(12), denominator=D(10))) == D(10)
    assert scoring.score(ratio, Figure(value=D(130))) == D(10)
    assert scoring.score(ratio, Figure(numerator=D(0), denominator=D(5))) == D(0)


def test_a_ratio_over_a_zero_denominator_is_not_scored():
    ratio = Rule(kind=scoring.RATIO, max_points=D(10))
    assert scoring.score(ratio, Figure(numerator=D(1), denominator=D(0))) is None


def test_yes_earns_the_maximum_and_no_earns_nothing():
    yes_no = Rule(kind=scoring.YES_NO, max_points=D(5))
    assert scoring.score(yes_no, Figure(yes=True)) == D(5)
    assert scoring.score(yes_no, Figure(yes=False)) == D(0)
    assert scoring.score(yes_no, Figure()) is None


@pytest.mark.parametrize(("models", "points"), [(0, "0"), (1, "5"), (2, "10"), (3, "10")])
def test_a_bonus_adds_points_each_up_to_its_maximum(models, points):
    bonus = Rule(kind=scoring.BONUS, max_points=D(10), points_each=D(5))
    assert scoring.score(bonus, Figure(value=D(models))) == D(points)


def test_a_bonus_without_points_each_takes_the_points_entered_up_to_its_maximum():
    bonus = Rule(kind=scoring.BONUS, max_points=D(10))
    assert scoring.score(bonus, Figure(value=D(7))) == D(7)
    assert scoring.score(bonus, Figure(value=D(15))) == D(10)


@pytest.mark.parametrize(("incidents", "points"), [(0, "0"), (1, "-2"), (4, "-8"), (9, "-10")])
def test_a_deduction_subtracts_points_each_down_to_minus_its_maximum(incidents, points):
    deduction = Rule(kind=scoring.DEDUCTION, max_points=D(10), points_each=D(2))
    assert scoring.score(deduction, Figure(value=D(incidents))) == D(points)


def test_nothing_entered_is_not_scored_and_counts_zero_in_a_total():
    assert scoring.score(MEETINGS, Figure()) is None
    assert scoring.total([D(20), None, D("7.5"), D(-2)]) == D("25.50")


def test_points_still_to_gain_are_up_to_the_maximum_or_back_to_zero_for_a_deduction():
    deduction = Rule(kind=scoring.DEDUCTION, max_points=D(10), points_each=D(2))
    assert scoring.room(MEETINGS, D(15)) == D(5)
    assert scoring.room(MEETINGS, None) == D(20)
    assert scoring.room(deduction, D(-4)) == D(4)
    assert scoring.room(deduction, D(0)) == D(0)


def test_bands_are_read_in_several_spellings_and_written_back_the_short_way():
    assert scoring.parse_bands("1 → 5\n4 -> 20; 3=15; 2: 10") == (
        (D(4), D(20)),
        (D(3), D(15)),
        (D(2), D(10)),
        (D(1), D(5)),
    )
    assert scoring.bands_text(scoring.parse_bands("92,5: 8; 100%: 10")) == "100: 10; 92,5: 8"
    with pytest.raises(ValueError, match="bốn"):
        scoring.parse_bands("4: 20; bốn: 20")


def test_a_rule_with_a_band_above_its_maximum_is_refused():
    rule = Rule(kind=scoring.BANDS, max_points=D(10), bands=((D(4), D(20)),))
    assert scoring.rule_problems(rule) == ["band_above_max"]
    assert scoring.rule_problems(Rule(kind=scoring.BANDS, max_points=D(10))) == ["bands_missing"]
    assert scoring.rule_problems(Rule(kind="stars", max_points=D(10))) == ["kind"]
    assert scoring.rule_problems(MEETINGS) == []


def test_data_sources_are_read_and_anything_else_refused():
    assert scoring.parse_source("").manual
    assert scoring.parse_source("Nhập tay").manual
    assert scoring.parse_source("target:4") == scoring.Source(scoring.TARGET, "4")
    assert scoring.parse_source(" target: tthc-xu-ly-truc-tuyen ").code == "tthc-xu-ly-truc-tuyen"
    assert scoring.parse_source("plan_on_time_share").kind == scoring.PLAN_ON_TIME_SHARE
    assert str(scoring.parse_source("reports_on_time_share")) == "reports_on_time_share"
    for wrong in ("target:", "chỉ tiêu 4", "plan_share"):
        with pytest.raises(ValueError):
            scoring.parse_source(wrong)


def test_equal_totals_share_a_rank_and_the_next_rank_is_skipped():
    ranks = scoring.competition_ranks([("a", D(80)), ("b", D(95)), ("c", D(80)), ("d", D(60))])
    assert ranks == {"b": 1, "a": 2, "c": 2, "d": 4}
