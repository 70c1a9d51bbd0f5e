"""Plans in layouts the real ones do not have come in right, in every format the tests build.

The per-plan tests name each miss; the share test is the figure the issue asks for (at least
98% of fields right over all synthetic plans and formats).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from theodoi.importer.core.parse import parse_bytes

from .builders import docx_from_text, docx_with, pdf_from_text, xlsx_from_rows
from .synthetic import expected_of, score, synthetic_plans

PLANS = synthetic_plans()
BUILDERS = {"txt": lambda text: text.encode("utf-8"), "docx": docx_from_text, "pdf": pdf_from_text}


@cache
def parsed(plan: Path, fmt: str) -> dict[str, Any]:
    data = BUILDERS[fmt](plan.read_text(encoding="utf-8"))
    return parse_bytes(data, f"ke-hoach.{fmt}")


@pytest.mark.parametrize("fmt", ["txt", "docx"])
@pytest.mark.parametrize("plan", PLANS, ids=[p.stem for p in PLANS])
def test_every_expected_fact_of_a_synthetic_plan_is_read(plan: Path, fmt: str) -> None:
    result = score(parsed(plan, fmt), expected_of(plan))

    assert list(result.misses) == []


# A DOCX as Word users make them: the STT column numbered by Word's automatic list numbering
# (running on through the groups), group rows merged across the table, a lead unit merged down
# over the two tasks it leads.
WORD_ROWS = (
    ("TT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian thực hiện"),
    ("I", "Chính quyền số"),
    (
        None,
        "Triển khai phòng họp không giấy",
        "Văn phòng HĐND và UBND",
        "Công an phường",
        "Quý II/2026",
    ),
    (None, "Gửi báo cáo qua Hệ thống thông tin báo cáo", "", "Các cơ quan, đơn vị", "Thường xuyên"),
    ("II", "Xã hội số"),
    (
        None,
        "Hướng dẫn người dân cài đặt VNeID",
        "Công an phường",
        "Tổ công nghệ số cộng đồng",
        "Quý I/2026",
    ),
    (None, "Tập huấn kỹ năng số cho người cao tuổi", "Phòng Văn hóa - Xã hội", "", "Tháng 10/2026"),
)
WORD_EXPECTED: dict[str, Any] = {
    "plan": {"year": 2026, "commune": "Hòa Phong", "commune_kind": "phường"},
    "tasks": [
        {
            "code": "1",
            "group": "Chính quyền số",
            "lead": ["Văn phòng HĐND và UBND"],
            "support": ["Công an phường"],
            "due": "2026-06-30",
            "name": "Triển khai phòng họp không giấy",
        },
        {
            "code": "2",
            "group": "Chính quyền số",
            "lead": ["Văn phòng HĐND và UBND"],
            "support": ["Các cơ quan, đơn vị"],
            "due": "2026-12-31",
            "name": "Gửi báo cáo qua Hệ thống thông tin báo cáo",
        },
        {
            "code": "3",
            "group": "Xã hội số",
            "lead": ["Công an phường"],
            "support": ["Tổ công nghệ số cộng đồng"],
            "due": "2026-03-31",
            "name": "Hướng dẫn người dân cài đặt VNeID",
        },
        {
            "code": "4",
            "group": "Xã hội số",
            "lead": ["Phòng Văn hóa - Xã hội"],
            "support": [],
            "due": "2026-10-31",
            "name": "Tập huấn kỹ năng số cho người cao tuổi",
        },
    ],
}


def _word_layout(document: Any) -> None:
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Chuyển đổi số phường Hòa Phong năm 2026")
    table = document.add_table(rows=len(WORD_ROWS), cols=5)
    table.style = "Table Grid"
    for row, values in zip(table.rows, WORD_ROWS, strict=True):
        if values[0] is None:
            row.cells[0].paragraphs[0].style = document.styles["List Number"]
        else:
            row.cells[0].text = values[0]
        for cell, value in zip(row.cells[1:], values[1:], strict=False):
            cell.text = value or ""
        if len(values) == 2:
            row.cells[1].merge(row.cells[4])
    table.cell(2, 2).merge(table.cell(3, 2))


@cache
def word_plan() -> dict[str, Any]:
    return parse_bytes(docx_with(_word_layout), "ke-hoach.docx")


def test_word_numbering_merged_group_rows_and_a_lead_merged_down_are_read():
    result = score(word_plan(), WORD_EXPECTED)

    assert list(result.misses) == []


# A task list kept in Excel: title rows over a two-storey header ("Phân công" over "Chủ trì |
# Phối hợp"), Roman group rows, numbers as numbers.
SHEET_ROWS: tuple[tuple[object, ...], ...] = (
    ("ỦY BAN NHÂN DÂN XÃ MINH TIẾN",),
    ("DANH MỤC NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2026",),
    ("(Kèm theo Kế hoạch số 30/KH-UBND ngày 10/02/2026 của UBND xã)",),
    (),
    ("STT", "Nhiệm vụ", "Phân công", None, "Thời gian"),
    (None, None, "Chủ trì", "Phối hợp", None),
    ("I", "Hạ tầng số"),
    (1, "Lắp đặt Wi-Fi miễn phí tại nhà văn hóa", "Phòng Kinh tế", "Các thôn", "Quý II/2026"),
    (2, "Nâng cấp đường truyền số liệu chuyên dùng", "Văn phòng HĐND và UBND", None, "Quý III"),
    ("II", "Chính quyền số"),
    (3, "Số hóa hồ sơ một cửa", "Trung tâm Phục vụ hành chính công", None, "Thường xuyên"),
)
SHEET_EXPECTED: dict[str, Any] = {
    "plan": {"year": 2026, "commune": "Minh Tiến", "commune_kind": "xã"},
    "targets": [],
    "tasks": [
        {
            "code": "1",
            "group": "Hạ tầng số",
            "name": "Lắp đặt Wi-Fi miễn phí tại nhà văn hóa",
            "lead": ["Phòng Kinh tế"],
            "support": ["Các thôn"],
            "due": "2026-06-30",
        },
        {
            "code": "2",
            "group": "Hạ tầng số",
            "name": "Nâng cấp đường truyền số liệu chuyên dùng",
            "lead": ["Văn phòng HĐND và UBND"],
            "support": [],
            "due": "2026-09-30",
        },
        {
            "code": "3",
            "group": "Chính quyền số",
            "name": "Số hóa hồ sơ một cửa",
            "lead": ["Trung tâm Phục vụ hành chính công"],
            "support": [],
            "due": "2026-12-31",
        },
    ],
}


@cache
def sheet_plan() -> dict[str, Any]:
    return parse_bytes(xlsx_from_rows(SHEET_ROWS), "danh-muc.xlsx")


def test_excel_task_list_under_title_rows_and_a_two_storey_header_is_read():
    result = score(sheet_plan(), SHEET_EXPECTED)

    assert list(result.misses) == []


def test_at_least_98_percent_of_fields_are_right_over_all_synthetic_plans_and_formats() -> None:
    right = total = 0
    for plan in PLANS:
        for fmt in BUILDERS:
            result = score(parsed(plan, fmt), expected_of(plan))
            right += result.right
            total += result.total
    for built, expected in ((word_plan(), WORD_EXPECTED), (sheet_plan(), SHEET_EXPECTED)):
        result = score(built, expected)
        right, total = right + result.right, total + result.total

    assert right / total >= 0.98, f"{right}/{total} = {right / total:.1%}"
