"""Competing readings of a task table: both are built, the more plausible is kept, and a close
call is a warning (parse.parse_document, tasks.read_tasks, plausibility)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from theodoi.importer.core.parse import parse_document
from theodoi.importer.core.plausibility import plausibility
from theodoi.importer.core.readers.text import read_text
from theodoi.importer.core.tasks import read_tasks
from theodoi.importer.core.units import UnitMatcher

HEADER = "TT\tTên nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện"


def _plan(*rows: str) -> str:
    opening = ["KẾ HOẠCH", "Chuyển đổi số phường Thử Nghiệm năm 2026", "DANH MỤC NHIỆM VỤ"]
    return "\n".join([*opening, HEADER, *rows])


def _task(number: str, name: str) -> str:
    return f"{number}\t{name}\tCông an phường\t\tQuý II/2026"


def _bare(number: str, name: str) -> str:
    return f"{number}\t{name}\t\t\t"


def _reading_warnings(plan: dict[str, Any]) -> list[str]:
    return [w for w in plan["warnings"] if w.startswith("Cách đọc bảng nhiệm vụ")]


def test_bare_numbered_rows_most_of_their_level_are_read_as_groups_when_clearly_more_plausible():
    text = _plan(
        _bare("1", "Nâng cao nhận thức số"),
        _task("1.1", "Tuyên truyền về chuyển đổi số"),
        _task("1.2", "Tập huấn kỹ năng số"),
        _bare("2", "Phát triển hạ tầng số"),
        _task("2.1", "Lắp đặt camera an ninh"),
        _task("2.2", "Phủ sóng wifi công cộng"),
        _task("3", "Số hóa hồ sơ hộ tịch"),
    )
    plan = parse_document(read_text(text))
    tasks = {t["code"]: t for t in plan["tasks"]}
    assert list(tasks) == ["1.1", "1.2", "2.1", "2.2", "3"]
    assert tasks["1.2"]["group"] == "Nâng cao nhận thức số"
    assert tasks["2.1"]["parent"] is None
    assert _reading_warnings(plan) == []


def test_a_bare_row_whose_group_reading_would_repeat_codes_stays_a_parent_task_with_a_warning():
    text = _plan(
        "I\tChính quyền số\t\t\t",
        _bare("1", "Xây dựng chính quyền số"),
        _task("1.1", "Tuyên truyền về chuyển đổi số"),
        _task("1.2", "Tập huấn kỹ năng số"),
        _task("2", "Số hóa hồ sơ hộ tịch"),
        "II\tXã hội số\t\t\t",
        _task("1", "Lắp đặt camera an ninh"),
        _task("2", "Phủ sóng wifi công cộng"),
    )
    plan = parse_document(read_text(text))
    assert [(t["code"], t["parent"]) for t in plan["tasks"][:4]] == [
        ("I.1", None),
        ("I.1.1", "I.1"),
        ("I.1.2", "I.1"),
        ("I.2", None),
    ]
    (warning,) = _reading_warnings(plan)
    assert "dòng đánh số 1 " in warning
    assert "Đã đọc là nhiệm vụ cha" in warning


def test_a_close_call_between_groups_and_parent_tasks_warns_naming_the_rows_and_the_reading():
    rows = [_bare("1", "Nâng cao nhận thức số")]
    rows += [_task(f"1.{i}", f"Việc số {i} về nhận thức") for i in range(1, 21)]
    rows += [_bare("2", "Phát triển hạ tầng số")]
    rows += [_task(f"2.{i}", f"Việc số {i} về hạ tầng") for i in range(1, 21)]
    rows += [_task("3", "Số hóa hồ sơ hộ tịch")]
    plan = parse_document(read_text(_plan(*rows)))
    assert len(plan["tasks"]) == 41
    (warning,) = _reading_warnings(plan)
    assert "các dòng đánh số 1, 2" in warning
    assert "Đã đọc là tiêu đề nhóm nhiệm vụ" in warning


def test_bare_rows_that_are_all_of_their_level_or_a_minority_of_it_are_not_a_close_call():
    matcher = UnitMatcher(commune_kind="phường")
    all_headings = _plan(
        _bare("1", "Nâng cao nhận thức số"),
        _task("1.1", "Tuyên truyền về chuyển đổi số"),
        _bare("2", "Phát triển hạ tầng số"),
        _task("2.1", "Lắp đặt camera an ninh"),
    )
    minority = _plan(
        _bare("1", "Xây dựng chính quyền số"),
        _task("1.1", "Tuyên truyền về chuyển đổi số"),
        _task("1.2", "Tập huấn kỹ năng số"),
        _task("2", "Số hóa hồ sơ hộ tịch"),
        _task("3", "Lắp đặt camera an ninh"),
    )
    for text in (all_headings, minority):
        assert read_tasks(read_text(text), year=2026, matcher=matcher).close_calls == {}
    assert [t["code"] for t in parse_document(read_text(minority))["tasks"]][:3] == [
        "1",
        "1.1",
        "1.2",
    ]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 3)), min_size=1, max_size=5))
def test_the_reading_kept_is_never_less_plausible_than_the_other(shape: list[tuple[bool, int]]):
    rows = []
    for number, (bare, children) in enumerate(shape, start=1):
        name = f"Nhóm việc thứ {number}"
        rows.append(_bare(str(number), name) if bare else _task(str(number), name))
        rows += [
            _task(f"{number}.{i}", f"Việc {i} của nhóm {number}") for i in range(1, children + 1)
        ]
    doc = read_text(_plan(*rows))
    matcher = UnitMatcher(commune_kind="phường")
    readings = [
        read_tasks(doc, year=2026, matcher=matcher, other_readings=others)
        for others in (frozenset(), frozenset({"numbered_groups"}))
    ]
    kept = [t["code"] for t in parse_document(doc)["tasks"]]
    best = max(plausibility(r.tasks) for r in readings)
    matching = [r for r in readings if [t["code"] for t in r.tasks] == kept]
    assert matching, "the plan kept is one of the two readings"
    assert max(plausibility(r.tasks) for r in matching) == best
