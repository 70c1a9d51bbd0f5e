from __future__ import annotations

from typing import Any

import pytest

from theodoi.importer.core.fiveclear import FIVE_CLEAR, missing_clear, required_from_labels

DATED = {"text": "Quý I/2026", "kind": "date", "due": "2026-03-31", "recurrence": None}
UNSPECIFIED = {
    "text": "Theo hướng dẫn của tỉnh",
    "kind": "unspecified",
    "due": None,
    "recurrence": None,
}


def _task(**changes: Any) -> dict[str, Any]:
    task: dict[str, Any] = {
        "name": "Triển khai Hệ thống thông tin lĩnh vực Nội chính",
        "output": "Hệ thống thông tin lĩnh vực Nội chính",
        "kpi": None,
        "lead": ["Ban Xây dựng Đảng"],
        "support": [],
        "deadline": DATED,
    }
    task.update(changes)
    return task


def test_task_with_name_lead_output_and_date_is_clear():
    assert missing_clear(_task()) == []


def test_missing_parts_are_listed_in_the_five_clear_order():
    task = _task(name="", lead=[], output=None, deadline=UNSPECIFIED)

    assert missing_clear(task) == ["name", "lead", "output", "deadline"]
    assert list(FIVE_CLEAR) == ["name", "lead", "output", "deadline"]


def test_unspecified_deadline_counts_as_missing_time():
    assert missing_clear(_task(deadline=UNSPECIFIED)) == ["deadline"]


def test_recurring_deadline_is_a_clear_time():
    recurring = {
        "text": "Thường xuyên",
        "kind": "recurring",
        "due": "2026-12-31",
        "recurrence": "continuous",
    }

    assert missing_clear(_task(deadline=recurring)) == []


def test_blank_output_and_blank_lead_names_count_as_missing():
    assert missing_clear(_task(output="  ", lead=[""])) == ["lead", "output"]


def test_six_clear_communes_can_require_more_parts():
    assert missing_clear(_task(), (*FIVE_CLEAR, "kpi")) == ["kpi"]
    assert missing_clear(_task(kpi="100% đơn vị"), (*FIVE_CLEAR, "kpi")) == []


def test_a_part_required_twice_is_reported_once():
    assert missing_clear(_task(lead=[]), ("name", "lead", "lead")) == ["lead"]


def test_commune_labels_map_to_task_parts():
    labels = ["Rõ việc", "rõ người", "Rõ trách nhiệm", "RÕ KẾT QUẢ", "rõ thời gian", "rõ gì đó"]

    assert required_from_labels(labels) == ("name", "lead", "output", "deadline")


@pytest.mark.parametrize(
    "phrase",
    [
        "Các cơ quan, đơn vị",
        "các đơn vị liên quan",
        "Các cơ quan, đơn vị, tổ chức, cá nhân có liên quan",
        "Các phòng, ban có liên quan",
    ],
)
def test_a_lead_that_only_says_the_bodies_concerned_is_a_gap_in_rõ_người(phrase: str) -> None:
    assert missing_clear(_task(lead=[phrase])) == ["lead"]


def test_a_generic_phrase_beside_a_named_unit_leaves_the_lead_clear() -> None:
    assert missing_clear(_task(lead=["Các cơ quan, đơn vị", "Công an phường"])) == []


@pytest.mark.parametrize(
    "group", ["Các trường học", "Các tổ dân phố", "Các doanh nghiệp viễn thông"]
)
def test_a_named_group_of_bodies_still_leads(group: str) -> None:
    assert missing_clear(_task(lead=[group])) == []
