"""The demo's sample plan (phường Hòa Phong, tỉnh Lâm Viên) reads as its reader sees it."""

from __future__ import annotations

import io
import zipfile
from functools import cache
from typing import Any

import docx
import pytest
from docx.shared import Pt

from theodoi.demo.build_sample_plan import SOURCE, TARGET, build
from theodoi.importer.core.parse import parse_bytes, parse_file
from theodoi.importer.core.units import UnitMatcher


@cache
def sample() -> dict[str, Any]:
    return parse_file(TARGET)


def task(code: str) -> dict[str, Any]:
    return next(t for t in sample()["tasks"] if t["code"] == code)


def test_plan_header_names_the_commune_number_date_and_signer() -> None:
    plan = sample()["plan"]
    assert plan["number"] == "45/KH-UBND"
    assert plan["issued_on"] == "2026-01-15"
    assert (plan["commune_kind"], plan["commune"], plan["province"]) == (
        "phường",
        "Hòa Phong",
        "Lâm Viên",
    )
    assert plan["year"] == 2026
    assert plan["signer"] == {"name": "Trần Thị Minh Hằng", "title": "Phó Chủ tịch"}
    assert len(plan["basis"]) == 2


def test_twelve_targets_in_four_groups_with_the_provinces_targets_beside_them() -> None:
    targets = sample()["targets"]
    assert len(targets) == 12
    assert list(dict.fromkeys(t["group"] for t in targets)) == [
        "Hạ tầng số",
        "Chính quyền số",
        "Kinh tế số",
        "Xã hội số",
    ]
    five_g = targets[0]
    assert (five_g["comparator"], five_g["value"], five_g["measure_unit"]) == (">", 95, "%")
    assert five_g["upper_level"] == {"comparator": ">=", "value": 90, "value_text": "≥ 90"}
    assert sum(1 for t in targets if t["upper_level"] is None) == 2  # the two count targets


def test_ranking_target_reads_as_a_rank_within_the_top_ten() -> None:
    ranking = next(t for t in sample()["targets"] if t["name"].startswith("Xếp hạng"))
    assert (ranking["kind"], ranking["comparator"], ranking["value"]) == ("rank", "<=", 10)
    assert ranking["upper_level"]["value"] == 20


def test_thirteen_tasks_in_four_groups_one_of_them_with_three_sub_tasks() -> None:
    tasks = sample()["tasks"]
    top = [t for t in tasks if t["parent"] is None]
    assert len(top) == 13
    assert len(tasks) == 16
    assert list(dict.fromkeys(t["group"] for t in tasks)) == [
        "Chính quyền số",
        "Kinh tế số",
        "Xã hội số",
        "Hạ tầng số và an toàn thông tin",
    ]
    children = [t for t in tasks if t["parent"] == "3"]
    assert [t["code"] for t in children] == ["3.1", "3.2", "3.3"]
    assert task("3")["name"] == "Triển khai các nền tảng số dùng chung của tỉnh tại phường"
    assert [t["deadline"]["due"] for t in children] == ["2026-06-30", "2026-09-30", "2026-12-31"]


def test_exactly_two_tasks_have_a_five_clear_gap() -> None:
    gaps = {t["code"]: t["missing"] for t in sample()["tasks"] if t["missing"]}
    assert gaps == {"7": ["output"], "11": ["deadline"]}
    assert task("11")["deadline"]["text"] == "Theo hướng dẫn của tỉnh"
    assert task("7")["output"] is None


def test_deadlines_mix_quarters_a_month_and_continuous_work() -> None:
    assert task("1")["deadline"]["due"] == "2026-03-31"  # Quý I
    assert task("2")["deadline"]["due"] == "2026-06-30"  # Tháng 6/2026
    continuous = task("4")["deadline"]
    assert (continuous["kind"], continuous["recurrence"]) == ("recurring", "continuous")


def test_lead_spelled_as_an_alias_is_read_as_the_canonical_unit() -> None:
    assert task("8")["lead"] == ["Phòng Văn hóa - Xã hội"]


def test_unknown_unit_is_kept_as_written_for_the_office_to_map() -> None:
    support = task("8")["support"]
    assert support == ["Tổ công nghệ số cộng đồng", "Tổ dân phố số 5"]
    assert not UnitMatcher(commune_kind="phường").is_known("Tổ dân phố số 5")


def test_docx_reads_exactly_like_its_text_source_line_numbers_included() -> None:
    assert sample() == parse_bytes(SOURCE.read_bytes(), SOURCE.name)


def test_docx_is_up_to_date_with_its_text_source() -> None:
    assert _document_xml(TARGET.read_bytes()) == _document_xml(
        build(SOURCE.read_text(encoding="utf-8"))
    ), "run: .venv/bin/python -m theodoi.demo.build_sample_plan"


def test_docx_is_a_real_a4_word_document_in_times_new_roman_13() -> None:
    word = docx.Document(str(TARGET))
    first = word.sections[0]
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)
    assert word.styles["Normal"].font.name == "Times New Roman"
    assert word.styles["Normal"].font.size == Pt(13)
    # Header and signature side by side in borderless tables; the two annexes ruled.
    assert [table.style.name for table in word.tables] == [
        "Normal Table",
        "Normal Table",
        "Table Grid",
        "Table Grid",
    ]
    assert word.tables[0].rows[0].cells[1].paragraphs[0].text.startswith("CỘNG HÒA")
    assert word.tables[1].rows[0].cells[1].paragraphs[-1].text == "Trần Thị Minh Hằng"
    title = next(p for p in word.paragraphs if p.text == "KẾ HOẠCH")
    assert all(run.bold for run in title.runs)


@pytest.mark.parametrize("group_row", [1, 9])
def test_group_rows_of_the_task_table_are_merged_across_the_row(group_row: int) -> None:
    tasks_table = docx.Document(str(TARGET)).tables[-1]
    cells = tasks_table.rows[group_row].cells
    assert cells[0].text in {"I", "II"}
    assert cells[1]._tc is cells[-1]._tc  # one cell spanning to the row's end


def _document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml")
