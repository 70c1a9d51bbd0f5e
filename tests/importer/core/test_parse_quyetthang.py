"""The Quyết Thắng plan: a task annex in five columns, split over pages, with Roman groups."""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import Any

import pytest

from tests.importer.core.builders import docx_from_text, pdf_from_text
from theodoi.importer.core.parse import SCHEMA, parse_bytes, parse_file

from ...conftest import PLANS_DIR

PLAN = PLANS_DIR / "quyetthang-2026.txt"


@cache
def _plan() -> dict[str, Any]:
    return parse_file(PLAN)


def _task(number: int) -> dict[str, Any]:
    return next(t for t in _plan()["tasks"] if t["code"] == str(number))


def test_plan_json_has_the_contract_keys_in_order():
    plan = _plan()

    assert list(plan) == ["schema", "plan", "targets", "tasks", "results", "warnings"]
    assert plan["schema"] == SCHEMA


def test_eleven_tasks_in_three_groups_of_five_two_and_four():
    groups = Counter(t["group"] for t in _plan()["tasks"])

    assert len(_plan()["tasks"]) == 11
    assert list(groups.items()) == [("Chính quyền số", 5), ("Kinh tế số", 2), ("Xã hội số", 4)]


def test_codes_are_the_printed_numbers_which_run_on_through_the_groups():
    codes = [t["code"] for t in _plan()["tasks"]]

    assert codes == [str(n) for n in range(1, 12)]
    assert all(t["parent"] is None for t in _plan()["tasks"])


def test_repeated_header_row_is_not_a_task():
    assert not any(t["name"] == "Tên nhiệm vụ" for t in _plan()["tasks"])


def test_three_tasks_recur_continuously():
    recurring = [t for t in _plan()["tasks"] if t["deadline"]["kind"] == "recurring"]

    assert [t["code"] for t in recurring] == ["1", "2", "3"]
    assert all(t["deadline"]["recurrence"] == "continuous" for t in recurring)
    assert all(t["deadline"]["text"] == "Thường xuyên" for t in recurring)


def test_deadlines_fall_at_the_end_of_the_month_quarter_or_year_named():
    assert _task(4)["deadline"]["due"] == "2026-01-31"
    assert _task(11)["deadline"]["due"] == "2026-03-31"
    others = [t for t in _plan()["tasks"] if t["code"] not in {"4", "11"}]
    assert {t["deadline"]["due"] for t in others} == {"2026-12-31"}


def test_lead_and_support_units_are_canonical():
    assert _task(2)["lead"] == ["Văn phòng HĐND và UBND"]
    assert _task(9)["lead"] == ["Phòng Văn hóa - Xã hội", "Tổ công nghệ số cộng đồng"]
    assert _task(10)["lead"] == ["Các trường học"]
    assert _task(5)["support"][0] == "Phòng Văn hóa - Xã hội"


def test_every_task_lacks_only_its_output_since_the_table_has_no_such_column():
    assert {tuple(t["missing"]) for t in _plan()["tasks"]} == {("output",)}


def test_task_line_is_its_row_in_the_source_text():
    lines = PLAN.read_text(encoding="utf-8").splitlines()
    task = _task(7)

    assert lines[task["line"] - 1].startswith("7\tHỗ trợ quảng bá")


def test_tasks_come_from_the_annex_only_and_the_previous_year_gives_no_results():
    lines = PLAN.read_text(encoding="utf-8").splitlines()
    annex = lines.index("PHỤ LỤC 2") + 1

    assert all(t["line"] > annex for t in _plan()["tasks"])
    assert _plan()["results"] == []


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_the_same_plan_as_docx_or_pdf_gives_the_same_tasks(kind: str):
    text = PLAN.read_text(encoding="utf-8")
    data = docx_from_text(text) if kind == "docx" else pdf_from_text(text)

    other = parse_bytes(data, f"quyetthang.{kind}")

    def without_line(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in t.items() if k != "line"} for t in tasks]

    assert without_line(other["tasks"]) == without_line(_plan()["tasks"])
