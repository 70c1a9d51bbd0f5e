from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from theodoi.importer.core.plausibility import checks, plausibility

DATE = {"text": "Quý II", "kind": "date", "due": "2026-06-30", "recurrence": None}
NONE = {"text": "", "kind": "unspecified", "due": None, "recurrence": None}


def _task(
    code: str,
    name: str = "Triển khai ký số",
    *,
    parent: str | None = None,
    lead: tuple[str, ...] = ("Công an phường",),
    deadline: dict[str, Any] = DATE,
) -> dict[str, Any]:
    return {"code": code, "parent": parent, "name": name, "lead": list(lead), "deadline": deadline}


def test_a_plan_whose_tasks_all_carry_lead_deadline_and_ordered_codes_scores_one():
    tasks = [_task("I.1"), _task("I.2"), _task("II.1"), _task("II.10")]
    assert plausibility(tasks) == 1.0


def test_tasks_without_a_lead_or_a_deadline_lower_the_score():
    full = [_task("1"), _task("2")]
    half = [_task("1"), _task("2", lead=())]
    none = [_task("1", deadline=NONE), _task("2", lead=())]
    assert plausibility(full) > plausibility(half) > plausibility(none)
    assert checks(half)["lead_deadline"] == 0.5


def test_a_parent_task_no_one_leads_counts_as_a_task_without_a_lead():
    tasks = [_task("1", lead=(), deadline=NONE), _task("1.1", parent="1"), _task("1.2", parent="1")]
    assert checks(tasks)["lead_deadline"] == 2 / 3


def test_a_code_suffixed_to_tell_a_repeat_apart_counts_as_a_repeat():
    assert checks([_task("1"), _task("2"), _task("1-2")])["unique_codes"] == 2 / 3


def test_repeated_codes_and_codes_going_backwards_are_counted():
    found = checks([_task("1"), _task("2"), _task("1"), _task("3")])
    assert found["unique_codes"] == 0.75
    assert found["monotone_codes"] == 2 / 3


def test_roman_numerals_and_letters_are_compared_by_value():
    tasks = [_task("IV.1"), _task("V.1"), _task("IX.1"), _task("X.1.a"), _task("X.1.b")]
    assert checks(tasks)["monotone_codes"] == 1.0


def test_one_word_and_empty_names_lower_the_score():
    found = checks([_task("1", "Nhận"), _task("2", ""), _task("3", "Số hóa hồ sơ")])
    assert found["names"] == 1 / 3


def test_measurable_targets_without_a_value_lower_the_score_and_qualitative_ones_do_not():
    targets = [
        {"kind": "quantitative", "value": 90},
        {"kind": "rank", "value": None},
        {"kind": "qualitative", "value": None},
    ]
    assert checks([], targets) == {"target_values": 0.5}


def test_an_empty_plan_scores_zero():
    assert plausibility([], []) == 0.0


@given(st.lists(st.sampled_from(["1", "2", "I.1", "II.3", "T4", "1.2-2", "a"]), max_size=12))
def test_the_score_is_a_share_between_zero_and_one(codes: list[str]):
    score = plausibility([_task(code) for code in codes])
    assert 0.0 <= score <= 1.0
