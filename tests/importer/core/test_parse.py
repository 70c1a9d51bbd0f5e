from __future__ import annotations

import json

import pytest

from theodoi.importer.core.errors import ImportFileError
from theodoi.importer.core.parse import dumps, fill_missing, parse_bytes, parse_document
from theodoi.importer.core.readers.text import read_text

DATED = {"text": "Quý I", "kind": "date", "due": "2026-03-31", "recurrence": None}
NONE = {"text": None, "kind": "unspecified", "due": None, "recurrence": None}

SMALL_PLAN = "\n".join(
    [
        "ỦY BAN NHÂN DÂN PHƯỜNG GIA VIÊN",
        "Số: 87/KH-UBND",
        "KẾ HOẠCH",
        "Chuyển đổi số phường Gia Viên năm 2026",
        "PHỤ LỤC 2",
        "DANH MỤC NHIỆM VỤ",
        "TT\tTên nhiệm vụ\tSản phẩm\tCơ quan chủ trì\tThời hạn",
        "1\tSố hóa hồ sơ\tKho dữ liệu\tTrung tâm PVHCC\tQuý I/2026",
        "2\tTập huấn kỹ năng số\t\tPhòng VHXH\tTheo chỉ đạo của Sở",
    ]
)


def _task(code: str, parent: str | None = None, **changes: object) -> dict[str, object]:
    task: dict[str, object] = {
        "code": code,
        "parent": parent,
        "name": "Việc",
        "output": "Sản phẩm",
        "lead": ["Công an phường"],
        "deadline": DATED,
        "missing": [],
    }
    task.update(changes)
    return task


def test_parse_fills_each_tasks_five_clear_gaps():
    plan = parse_document(read_text(SMALL_PLAN))

    assert [(t["code"], t["missing"]) for t in plan["tasks"]] == [
        ("1", []),
        ("2", ["output", "deadline"]),
    ]
    assert plan["tasks"][0]["lead"] == ["Trung tâm Phục vụ hành chính công"]


def test_parse_bytes_reads_a_text_file():
    plan = parse_bytes(SMALL_PLAN.encode("utf-8"), "kehoach.txt")

    assert plan["schema"] == "theodoi.plan/1"
    assert len(plan["tasks"]) == 2


def test_empty_file_is_refused_with_a_vietnamese_message():
    with pytest.raises(ImportFileError) as raised:
        parse_bytes(b"", "kehoach.txt")

    assert raised.value.message


def test_parent_lacks_what_any_of_its_children_lack():
    tasks = [
        _task("1", output=None, lead=[], deadline=NONE),
        _task("1.1", "1", output=None),
        _task("1.2", "1", deadline=NONE),
        _task("2", lead=[]),
    ]

    fill_missing(tasks, ("name", "lead", "output", "deadline"))

    assert [t["missing"] for t in tasks] == [
        ["output", "deadline"],
        ["output"],
        ["deadline"],
        ["lead"],
    ]


def test_parent_without_a_name_is_reported_even_when_its_children_are_clear():
    tasks = [_task("1", name=""), _task("1.1", "1")]

    fill_missing(tasks, ("name", "lead", "output", "deadline"))

    assert tasks[0]["missing"] == ["name"]


def test_dumps_prints_vietnamese_as_is_and_round_trips():
    plan = parse_document(read_text(SMALL_PLAN))

    text = dumps(plan)

    assert "Số hóa hồ sơ" in text
    assert "\\u" not in text
    assert json.loads(text) == plan


def test_plan_without_a_year_still_gets_deadlines_and_says_so():
    text = SMALL_PLAN.replace(" năm 2026", "").replace("/2026", "")

    plan = parse_document(read_text(text))

    assert plan["tasks"][0]["deadline"]["kind"] == "date"
    assert any("năm" in w for w in plan["warnings"])


def test_task_list_without_a_title_takes_its_year_from_the_deadlines():
    text = (
        "TT\tNội dung nhiệm vụ\tĐơn vị chủ trì\tThời hạn\n1\tSố hóa hồ sơ\tCA phường\tQuý II/2027\n"
    )

    plan = parse_document(read_text(text))

    assert plan["tasks"][0]["deadline"]["due"] == "2027-06-30"
    assert any("tạm lấy năm 2027" in w for w in plan["warnings"])
