"""The year-end evaluation drafts Part I of next year's plan from the year's data."""

from __future__ import annotations

import io

import pytest
from docx import Document

from theodoi.reports.yearend import year_end_docx, year_end_report

from .helpers import d, make_season

pytestmark = pytest.mark.django_db


def test_the_year_end_evaluation_lists_targets_tasks_and_the_years_difficulties(commune):
    season = make_season(commune)
    report = year_end_report(season.plan, today=d(12, 31))
    doc = Document(io.BytesIO(year_end_docx(report)))
    text = "\n".join(p.text for p in doc.paragraphs)
    # A state document names its type, then what it is about; no bare "PHẦN I".
    assert "BÁO CÁO\nĐánh giá kết quả thực hiện năm 2026" in text
    assert "PHẦN I" not in text
    assert "Năm 2026 có 2 chỉ tiêu; đạt 1 chỉ tiêu" in text
    table = next(t for t in doc.tables if t.cell(0, 3).text == "Kết quả cuối năm")
    assert [c.text for c in table.rows[1].cells][2:] == ["≥ 90%", "92 %", "Đạt"]
    assert [c.text for c in table.rows[2].cells][4] == "Không có số liệu"
    assert "Tổng số 2 nhiệm vụ; hoàn thành 1 nhiệm vụ, chưa hoàn thành 1 nhiệm vụ." in text
    assert "- Đã hoàn thành: I.1.1. Số hóa hồ sơ lĩnh vực hộ tịch (Công an phường)." in text
    assert "- Chưa hoàn thành: I.1.2. Tuyên truyền dịch vụ công trực tuyến" in text
    # Difficulties from the whole year, each with its unit.
    assert "- Công an phường (nhiệm vụ I.1.1): Thiếu máy quét tài liệu" in text
    assert "- Phòng Văn hóa - Xã hội (nhiệm vụ I.1.2): Thiếu kinh phí in tờ rơi" in text


def test_before_year_end_an_unmet_target_is_not_yet_failed(commune):
    season = make_season(commune)
    report = year_end_report(season.plan, today=d(4, 20))
    doc = Document(io.BytesIO(year_end_docx(report)))
    table = next(t for t in doc.tables if t.cell(0, 3).text == "Kết quả cuối năm")
    assert [c.text for c in table.rows[1].cells][3:] == ["85 %", "Chưa đạt"]
