"""Exports: the filled scorecard in the province's columns (XLSX) and a Word summary."""

from __future__ import annotations

import io
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from theodoi.scorecards.services import (
    EntryInput,
    entry_appraise,
    entry_evidence_add_document,
    entry_explain,
    entry_save,
)

from .helpers import HEADINGS, assessment_of, entry_of, make_scorecard

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def assessment(province, commune, other_commune, office, province_officer):  # type: ignore[no-untyped-def]
    assessment = assessment_of(make_scorecard(province), commune)
    entry = entry_of(assessment, "A1")
    entry_evidence_add_document(
        entry=entry, user=office, reference="12/TB-BCĐ - 20/03/2026: Thông báo kết luận"
    )
    entry = entry_save(entry=entry, user=office, data=EntryInput(value=D(4)), version=1)
    entry = entry_appraise(
        entry=entry, user=province_officer, points=D(15), remark="Một cuộc họp thiếu biên bản.",
        version=entry.version,
    )  # fmt: skip
    entry_explain(entry=entry, user=office, text="Biên bản đang trình ký.", version=None)
    bonus = entry_of(assessment, "C1")
    entry_save(entry=bonus, user=office, data=EntryInput(value=D(1)), version=1)
    return assessment


def _get(user, name, assessment):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client.get(reverse(name, args=[assessment.public_id]))


def test_the_filled_scorecard_keeps_the_provinces_columns_then_adds_the_results(assessment, office):
    response = _get(office, "assessment_export_xlsx", assessment)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header_index = next(i for i, row in enumerate(rows) if row[0] == "Nhóm")
    header = rows[header_index]
    assert header[: len(HEADINGS)] == HEADINGS  # as the province wrote them, in its order
    assert header[len(HEADINGS) :] == [
        "Giá trị tự đánh giá", "Điểm tự chấm", "Minh chứng", "Đơn vị chịu trách nhiệm",
        "Hạn hoàn thành", "Tình trạng", "Điểm thẩm định", "Ý kiến thẩm định",
        "Chênh lệch (thẩm định − tự chấm)", "Giải trình của xã/phường",
    ]  # fmt: skip
    by_code = {row[2]: dict(zip(header, row, strict=True)) for row in rows[header_index + 1 :]}
    meetings = by_code["A1"]
    assert meetings["Điểm tối đa"] == 20
    assert meetings["Các mức điểm"] == "4: 20; 3: 15; 2: 10; 1: 5"
    assert meetings["Điểm tự chấm"] == 20
    assert meetings["Điểm thẩm định"] == 15
    assert meetings["Chênh lệch (thẩm định − tự chấm)"] == -5
    assert meetings["Minh chứng"] == "12/TB-BCĐ - 20/03/2026: Thông báo kết luận"
    assert meetings["Giải trình của xã/phường"] == "Biên bản đang trình ký."
    assert by_code["C1"]["Điểm tự chấm"] == 5
    assert by_code["B1"]["Nguồn số liệu"] == "target:1"
    total = next(row for row in rows if "Tổng cộng" in row)
    assert 25 in total and 20 in total  # self 20 + 5; final 15 + 5


def test_the_word_summary_gives_totals_groups_gaps_and_what_to_improve(assessment, office):
    response = _get(office, "assessment_export_docx", assessment)
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "phường Hòa Phong — năm 2026" in text
    assert "Tổng điểm tự chấm: 25/65 điểm; điểm sau thẩm định: 20 điểm" in text
    assert "Xếp hạng trong tỉnh: thứ 1/2 xã, phường." in text
    assert "3. Tiêu chí cần ưu tiên để tăng điểm" in text
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]
    groups, gaps = tables[0], tables[1]
    assert groups[1] == ["A. Chỉ đạo", "25", "20", "15", "−5"]
    assert gaps[1] == [
        "A1. Số cuộc họp Ban Chỉ đạo", "20", "15", "Một cuộc họp thiếu biên bản.",
        "Biên bản đang trình ký.",
    ]  # fmt: skip


def test_the_exports_stay_in_vietnamese_for_a_reader_of_the_english_pages(assessment, office):
    client = Client()
    client.force_login(office)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("assessment_detail", args=[assessment.public_id]))
    assert '<html lang="en">' in page.content.decode()  # the page follows the reader ...
    summary = client.get(reverse("assessment_export_docx", args=[assessment.public_id]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(summary.content)).paragraphs)
    assert "BÁO CÁO TÓM TẮT" in text  # ... the documents go to the province as filed
    sheet = client.get(reverse("assessment_export_xlsx", args=[assessment.public_id]))
    headings = {
        c
        for row in openpyxl.load_workbook(io.BytesIO(sheet.content)).active.iter_rows(
            values_only=True
        )
        for c in row
    }
    assert "Điểm tự chấm" in headings
