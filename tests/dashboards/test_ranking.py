"""The emulation ranking: rates turned into points by the rubric's bands, minus deductions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from theodoi.dashboards.models import DEFAULT_RUBRIC, RankingRubric
from theodoi.dashboards.queries import plan_task_lines
from theodoi.dashboards.ranking import (
    EVIDENCE_FIRST_TIME,
    ON_TIME_COMPLETION,
    REPORTS_ON_TIME,
    Source,
    rubric_for,
    rubric_from_rules,
    unit_ranking,
)
from theodoi.tracking.models import ReviewStatus, TargetValue, TaskStatus

from ..factories import unit_of
from ..tracking_factories import period_of, target_of, task_of
from .commune_helpers import TODAY, add_task, completed, evidence, plan_in_force, report

DEFAULT = rubric_from_rules(DEFAULT_RUBRIC)


# --- bands ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "points"),
    [
        (Fraction(1), 10),
        (Fraction(99, 100), 8),
        (Fraction(9, 10), 8),
        (Fraction(899, 1000), 6),
        (Fraction(8, 10), 6),
        (Fraction(7999, 10000), 4),
        (Fraction(7, 10), 4),
        (Fraction(69, 100), 0),
        (Fraction(0), 0),
    ],
)
def test_a_rate_earns_the_points_of_the_highest_band_it_reaches(rate, points):
    for criterion in (ON_TIME_COMPLETION, EVIDENCE_FIRST_TIME, REPORTS_ON_TIME):
        assert DEFAULT.points(criterion, rate) == points


def test_a_share_like_29_of_100_is_compared_exactly_not_as_a_float():
    rubric = rubric_from_rules({"reports_on_time": [[29, 5], [0, 1]]})
    # 0.29 * 100 is 28.999999999999996 in floating point.
    assert rubric.points(REPORTS_ON_TIME, Fraction(29, 100)) == 5


def test_with_nothing_to_measure_a_criterion_earns_the_top_band():
    assert DEFAULT.points(ON_TIME_COMPLETION, None) == 10


def test_bands_are_described_in_words():
    assert DEFAULT.band_texts(REPORTS_ON_TIME)[:2] == [
        "từ 100% → 10 điểm",
        "90% đến dưới 100% → 8 điểm",
    ]


def test_a_rubric_may_give_half_points_and_list_its_bands_in_any_order():
    rubric = rubric_from_rules({"on_time_completion": [[50, 2.5], [100, 7.5], [0, 0]]})
    assert rubric.points(ON_TIME_COMPLETION, Fraction(3, 4)) == Decimal("2.5")
    assert rubric.points(ON_TIME_COMPLETION, Fraction(1)) == Decimal("7.5")


def test_a_key_left_out_or_malformed_falls_back_to_the_default():
    rubric = rubric_from_rules(
        {"on_time_completion": "mười điểm", "late_report_deduction": -1, "reports_on_time": []}
    )
    assert rubric.points(ON_TIME_COMPLETION, Fraction(9, 10)) == 8
    assert rubric.points(REPORTS_ON_TIME, Fraction(9, 10)) == 8
    assert rubric.late_report_deduction == Decimal("0.5")


@pytest.mark.django_db
def test_the_communes_rubric_wins_over_the_provinces_which_wins_over_the_default(
    commune, other_commune, province
):
    assert rubric_for(commune).source == Source.DEFAULT
    RankingRubric.objects.create(province=province, rules={"late_report_deduction": 1})
    assert rubric_for(commune).source == Source.PROVINCE
    assert rubric_for(commune).late_report_deduction == 1
    RankingRubric.objects.create(commune=commune, rules={"late_report_deduction": 2})
    assert rubric_for(commune).late_report_deduction == 2
    assert rubric_for(other_commune).late_report_deduction == 1


# --- scores from the data ----------------------------------------------------------------------


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    return plan_in_force(commune)


@pytest.fixture
def police_unit(commune):  # type: ignore[no-untyped-def]
    return unit_of(commune, "Công an phường")


@pytest.fixture
def culture_unit(commune):  # type: ignore[no-untyped-def]
    return unit_of(commune, "Phòng Văn hóa - Xã hội")


def _scores(plan, **kwargs):  # type: ignore[no-untyped-def]
    data = plan_task_lines(plan, today=kwargs.pop("today", TODAY))
    rubric = kwargs.pop("rubric", DEFAULT)
    return {s.unit.name: s for s in unit_ranking(data, rubric, **kwargs)}


@pytest.mark.django_db
def test_on_time_completion_counts_tasks_due_or_done_by_the_cut_off(plan, police, police_unit):
    # I.1.1 is due 30/06 and not done (late). Of the others: one done on time, one done
    # after its due date, one not due yet (left out), one not due yet but already done.
    on_time = add_task(plan, "R.1", lead=police_unit, due=dt.date(2026, 5, 31))
    completed(on_time, police_unit, police, month=5, sent_on=dt.date(2026, 5, 30))
    late = add_task(plan, "R.2", lead=police_unit, due=dt.date(2026, 4, 30))
    completed(late, police_unit, police, month=5, sent_on=dt.date(2026, 5, 2))
    add_task(plan, "R.3", lead=police_unit, due=dt.date(2026, 9, 30))
    early = add_task(plan, "R.4", lead=police_unit, due=dt.date(2026, 9, 30))
    completed(early, police_unit, police, month=6, sent_on=dt.date(2026, 7, 2))
    score = _scores(plan)["Công an phường"]
    assert (score.completion.ratio.part, score.completion.ratio.whole) == (2, 4)
    assert score.completion.points == 0  # 50%


@pytest.mark.django_db
def test_evidence_counts_first_time_only_when_never_rejected(plan, police, police_unit, commune):
    first = add_task(plan, "R.1", lead=police_unit)
    completed(first, police_unit, police, month=5)
    second = add_task(plan, "R.2", lead=police_unit)
    rejected = report(second, police_unit, police, month=4, status=TaskStatus.COMPLETED)
    evidence(rejected, police, review=ReviewStatus.REJECTED, withdrawn=True)
    completed(second, police_unit, police, month=5)
    still_pending = add_task(plan, "R.3", lead=police_unit)
    sent = report(still_pending, police_unit, police, month=6, status=TaskStatus.COMPLETED)
    evidence(sent, police, review=ReviewStatus.PENDING)
    # A target value's evidence counts too, per value.
    centre = unit_of(commune, "Trung tâm Phục vụ hành chính công")
    target = target_of(plan, "1")
    target.owners.add(police_unit)
    value = TargetValue.objects.create(
        commune_id=plan.commune_id, target=target, period=period_of(plan, 6), unit=police_unit,
        value=95, state="sent", review="accepted", created_by=police,
    )  # fmt: skip
    evidence(value, police)
    score = _scores(plan)["Công an phường"]
    # R.1 and the target value accepted at once; R.2 rejected once; R.3 not yet reviewed.
    assert (score.evidence.ratio.part, score.evidence.ratio.whole) == (2, 3)
    assert score.evidence.points == 0
    assert centre.name not in _scores(plan)


@pytest.mark.django_db
def test_reports_on_time_and_the_deduction_for_late_and_missing_reports(plan, police, police_unit):
    # I.1.1 needs a report for each closed month, January to June: 6 reports.
    task = task_of(plan, "I.1.1")
    for month in (1, 2, 3):
        report(task, police_unit, police, month=month)  # on time
    report(task, police_unit, police, month=4, sent_on=dt.date(2026, 5, 6))  # due 05/05: late
    report(task, police_unit, police, month=5, state="draft")  # not sent: missing
    # June: nothing.
    score = _scores(plan)["Công an phường"]
    assert (score.reports.ratio.part, score.reports.ratio.whole) == (3, 6)
    assert (score.late, score.missing) == (1, 2)
    assert score.deduction == Decimal("1.5")
    # 0 (I.1.1 overdue) + 10 (no evidence reviewed) + 0 (50%) − 1.5
    assert score.total == Decimal("8.5")


@pytest.mark.django_db
def test_a_report_sent_on_its_due_date_is_on_time(plan, police, police_unit):
    task = task_of(plan, "I.1.1")
    for month in range(1, 7):
        period = period_of(plan, month)
        report(task, police_unit, police, month=month, sent_on=period.due_on)
    score = _scores(plan)["Công an phường"]
    assert score.reports.ratio.part == 6
    assert score.deduction == 0


@pytest.mark.django_db
def test_a_unit_with_everything_on_time_scores_thirty_and_ranks_first(
    plan, police, police_unit, culture_unit
):
    task = task_of(plan, "I.1.1")
    for month in range(1, 6):
        report(task, police_unit, police, month=month)
    completed(task, police_unit, police, month=6, sent_on=dt.date(2026, 6, 29))
    scores = _scores(plan)
    assert scores["Công an phường"].total == 30
    assert scores["Công an phường"].rank == 1
    # Văn hóa - Xã hội: nothing sent for I.1.2 in six months: 10 + 10 + 0 − 3.
    assert scores["Phòng Văn hóa - Xã hội"].total == 17
    assert scores["Phòng Văn hóa - Xã hội"].rank == 2


@pytest.mark.django_db
def test_equal_totals_share_a_rank(plan, police, police_unit, culture_unit, commune):
    centre = unit_of(commune, "Trung tâm Phục vụ hành chính công")
    add_task(plan, "R.1", lead=centre, due=None)
    scores = _scores(plan)
    # Văn hóa and Trung tâm: a recurring task each, never reported: 17 each.
    assert scores["Phòng Văn hóa - Xã hội"].rank == scores[centre.name].rank == 1
    assert scores["Công an phường"].rank == 3


@pytest.mark.django_db
def test_up_to_a_period_only_what_was_due_by_its_end_counts(plan, police, police_unit):
    task = task_of(plan, "I.1.1")
    report(task, police_unit, police, month=1)
    scores = _scores(plan, upto=period_of(plan, 2))
    score = scores["Công an phường"]
    # January and February closed: one on time, one missing. I.1.1 not due by 28/02.
    assert (score.reports.ratio.part, score.reports.ratio.whole) == (1, 2)
    assert score.completion.ratio.whole == 0
    assert score.total == Decimal("10") + 10 + 0 - Decimal("0.5")


@pytest.mark.django_db
def test_the_communes_own_deduction_is_applied(plan, police, police_unit, commune):
    RankingRubric.objects.create(commune=commune, rules={"late_report_deduction": 2})
    score = _scores(plan, rubric=rubric_for(commune))["Công an phường"]
    assert score.missing == 6
    assert score.deduction == 12
    assert score.total == 0 + 10 + 0 - 12
