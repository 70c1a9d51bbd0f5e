"""The Phước Bình plan: a Party plan whose task annex has general tasks and sub-tasks, HTML
fragments, bold group rows, a header repeated on every page and rows cut by page breaks."""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import Any

import pytest

from tests.importer.core.builders import docx_from_text, pdf_from_text
from theodoi.importer.core.fiveclear import FIVE_CLEAR
from theodoi.importer.core.parse import parse_bytes, parse_document, parse_file
from theodoi.importer.core.readers.text import read_text
from theodoi.importer.core.units import UnitMatcher, canonical_unit_names

from ...conftest import PLANS_DIR

PLAN = PLANS_DIR / "phuocbinh-2026.txt"


@cache
def _plan() -> dict[str, Any]:
    return parse_file(PLAN)


def _tasks() -> list[dict[str, Any]]:
    return _plan()["tasks"]


def _task(code: str) -> dict[str, Any]:
    return next(t for t in _tasks() if t["code"] == code)


def _children(code: str) -> list[str]:
    return [t["code"] for t in _tasks() if t["parent"] == code]


def test_twenty_two_general_tasks_in_six_groups():
    general = [t for t in _tasks() if t["parent"] is None]
    groups = Counter(t["group"] for t in general)

    assert len(general) == 22
    assert list(groups.values()) == [3, 5, 1, 4, 7, 2]
    assert next(iter(groups)) == "Nâng cao nhận thức, đột phá về đổi mới tư duy"


def test_general_tasks_with_several_sub_tasks_are_parents():
    assert _children("V.1") == [f"V.1.{n}" for n in range(1, 7)]
    assert _children("V.2") == [f"V.2.{n}" for n in range(1, 6)]
    assert _children("V.7") == ["V.7.1", "V.7.2"]
    parents = {t["parent"] for t in _tasks() if t["parent"]}
    assert parents == {"V.1", "V.2", "V.7"}


def test_general_task_with_a_single_sub_task_is_one_task():
    task = _task("II.3")

    assert task["name"] == "Ban hành Quy chế bảo vệ dữ liệu cá nhân, thông tin quan trọng"
    assert task["output"] == "Quy chế được ban hành"
    assert task["lead"] == ["Công an phường"]


def test_unnumbered_general_task_gets_a_code_in_its_group():
    task = _task("III.1")

    assert task["name"].startswith("Triển khai mạng viễn thông vệ tinh")
    assert (
        task["group"]
        == "Hoàn thiện hạ tầng cho khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"
    )


def test_sub_task_reads_like_the_contract_example():
    task = _task("V.1.2")

    assert task == {
        "code": "V.1.2",
        "parent": "V.1",
        "group": (
            "Đẩy mạnh chuyển đổi số, ứng dụng khoa học, công nghệ, đổi mới sáng tạo trong hoạt "
            "động của các cơ quan trong hệ thống chính trị"
        ),
        "name": "Triển khai Hệ thống thông tin lĩnh vực Tuyên giáo, Dân vận",
        "output": "Hệ thống thông tin lĩnh vực Tuyên giáo, Dân vận",
        "kpi": "Hệ thống được đưa vào khai thác, vận hành",
        "lead": ["Ban Xây dựng Đảng"],
        "support": ["Các cơ quan, đơn vị"],
        "deadline": {
            "text": "Phân kỳ năm 2026 theo Quyết định số 204-QĐ/TW",
            "kind": "date",
            "due": "2026-12-31",
            "recurrence": None,
        },
        "note": "Theo hướng dẫn của tỉnh",
        "missing": [],
        "line": 246,
    }


def test_unnumbered_second_sub_task_is_numbered_after_the_first():
    task = _task("V.7.2")

    assert task["name"] == "Tham mưu triển khai công dân số"
    assert task["deadline"]["due"] == "2026-06-30"


def test_every_task_that_does_the_work_has_a_known_lead_unit():
    matcher = UnitMatcher(commune_kind="phường")
    canonical = set(canonical_unit_names("phường"))
    leaves = [t for t in _tasks() if t["code"] not in {"V.1", "V.2", "V.7"}]

    for task in leaves:
        assert task["lead"], task["code"]
        assert all(matcher.is_known(unit) for unit in task["lead"]), task["code"]
    # Only V.6 names a generic phrase ("Các cơ quan đơn vị") as its lead; it is kept as written.
    generic = {t["code"] for t in leaves if not set(t["lead"]) <= canonical}
    assert generic == {"V.6"}
    assert _task("IV.4")["lead"] == ["Công an phường"]  # written "CA phường"
    assert _task("V.2.5")["lead"] == ["Văn phòng Đảng ủy"]  # written "VPĐU"


def test_parent_tasks_leave_lead_and_deadline_to_their_sub_tasks():
    parent = _task("V.1")

    assert parent["lead"] == [] and parent["output"] is None
    assert parent["deadline"]["kind"] == "unspecified"
    assert parent["missing"] == []  # its six sub-tasks are all clear


def test_parent_lacks_what_its_sub_tasks_lack():
    assert _task("V.2.4")["missing"] == ["output"]
    assert _task("V.2")["missing"] == ["output"]


def test_repeated_header_rows_are_not_tasks():
    assert not any(t["name"].startswith("(1)") or "Mã Nhiệm vụ" in t["name"] for t in _tasks())


def test_rows_cut_by_a_page_break_are_joined_to_the_row_above():
    assert _task("II.1")["name"].endswith("đổi mới sáng tạo và chuyển đổi số tỉnh")
    assert _task("II.1")["kpi"] == "100% các mục tiêu, nhiệm vụ được hoàn thành"
    assert _task("V.2.1")["output"] == (
        "- Hệ thống phần mềm được vận hành. - Hệ thống Local AI. - Hạ tầng được nâng cấp."
    )
    assert _task("V.2.1")["kpi"].endswith("làm giàu cho Local AI.")
    assert _task("V.2.3")["output"].endswith("hồ sơ cán bộ, công chức được cập nhật trên phần mềm")


def test_html_fragments_in_cells_are_cleaned():
    task = _task("I.1")

    assert task["output"] == "Văn bản chỉ đạo/Báo cáo kết quả triển khai"
    assert "<" not in task["name"] and task["deadline"]["kind"] == "recurring"


def test_the_unnamed_last_column_is_the_note():
    assert _task("II.3")["note"] == "Theo hướng dẫn của tỉnh"
    assert _task("VI.1")["note"] is None


def test_deadlines_of_the_annex():
    assert _task("II.4")["deadline"]["due"] == "2026-02-28"  # "Tháng 02/2026"
    assert _task("V.2.4")["deadline"]["due"] == "2026-03-31"  # "Quý 1/2026"
    assert _task("IV.1")["deadline"]["kind"] == "recurring"  # "Thường xuyên"


def test_a_commune_using_six_clear_checks_the_kpi_too():
    doc = read_text(PLAN.read_text(encoding="utf-8"))

    plan = parse_document(doc, required=(*FIVE_CLEAR, "kpi"))

    by_code = {t["code"]: t for t in plan["tasks"]}
    assert by_code["I.3"]["missing"] == ["kpi"]
    assert by_code["I.1"]["missing"] == []


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_the_same_plan_as_docx_or_pdf_gives_the_same_tasks(kind: str):
    text = PLAN.read_text(encoding="utf-8")
    data = docx_from_text(text) if kind == "docx" else pdf_from_text(text)

    other = parse_bytes(data, f"phuocbinh.{kind}")

    def without_line(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in t.items() if k != "line"} for t in tasks]

    assert without_line(other["tasks"]) == without_line(_tasks())
