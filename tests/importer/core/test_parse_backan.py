"""The Bắc Kạn plan: a targets annex, then a task annex with quarters and a row split by a
page break."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from tests.importer.core.builders import docx_from_text, pdf_from_text
from theodoi.importer.core.parse import parse_bytes, parse_file

from ...conftest import PLANS_DIR

PLAN = PLANS_DIR / "backan-2026.txt"
QUARTER_END = {"I": "2026-03-31", "II": "2026-06-30", "III": "2026-09-30", "IV": "2026-12-31"}


@cache
def _plan() -> dict[str, Any]:
    return parse_file(PLAN)


def _task(code: str) -> dict[str, Any]:
    return next(t for t in _plan()["tasks"] if t["code"] == code)


def test_thirteen_tasks_numbered_as_in_the_annex():
    assert [t["code"] for t in _plan()["tasks"]] == [str(n) for n in range(1, 14)]
    assert all(t["group"] is None and t["parent"] is None for t in _plan()["tasks"])


def test_quarter_deadlines_fall_on_the_last_day_of_that_quarter():
    for task in _plan()["tasks"]:
        quarter = task["deadline"]["text"].removeprefix("Quý ")
        assert task["deadline"]["kind"] == "date"
        assert task["deadline"]["due"] == QUARTER_END[quarter], task["code"]


def test_support_unit_split_over_two_lines_is_one_unit():
    task = _task("7")

    assert task["support"] == ["Các doanh nghiệp viễn thông"]
    assert task["deadline"]["due"] == "2026-12-31"
    assert task["name"] == "Phối hợp, phát triển hạ tầng viễn thông (hạ tầng số 5G, cáp quang Gbps)"


def test_task_naming_two_lead_units_has_both():
    assert _task("11")["lead"] == ["Phòng Văn hóa - Xã hội", "Phòng Kinh tế, Hạ tầng và Đô thị"]


def test_the_row_after_the_split_row_keeps_its_own_place():
    lines = PLAN.read_text(encoding="utf-8").splitlines()

    assert _task("7")["line"] == 343
    assert lines[_task("8")["line"] - 1].startswith("8\tTổ chức tập huấn")


def test_targets_annex_rows_are_not_tasks_nor_results():
    plan = _plan()

    assert not any("phủ sóng 5G trên dân số" in t["name"] for t in plan["tasks"])
    assert plan["results"] == []


def test_prose_under_nhiem_vu_va_giai_phap_is_not_read_when_the_annex_exists():
    assert not any(
        t["name"].startswith("Ủy ban nhân dân phường ban hành") for t in _plan()["tasks"]
    )


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_the_same_plan_as_docx_or_pdf_gives_the_same_tasks(kind: str):
    text = PLAN.read_text(encoding="utf-8")
    data = docx_from_text(text) if kind == "docx" else pdf_from_text(text)

    other = parse_bytes(data, f"backan.{kind}")

    def without_line(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in t.items() if k != "line"} for t in tasks]

    assert without_line(other["tasks"]) == without_line(_plan()["tasks"])
