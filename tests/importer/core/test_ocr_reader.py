"""Reading a scanned PDF by OCR: paragraphs, ruled tables, progress, and the refusals.

Each test scans one small page (``scans.scanned_pdf``): OCR takes seconds a page.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from theodoi.importer.core.document import Document, Paragraph, Table
from theodoi.importer.core.errors import ImportFileError
from theodoi.importer.core.readers import ocr, read_bytes

from .builders import new_pdf, write_pdf_paragraph, write_pdf_table
from .scans import scanned_pdf

ROWS = [
    ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian hoàn thành"],
    ["I", "Chính quyền số", "", ""],
    ["1", "Số hóa hồ sơ thủ tục hành chính", "Văn phòng HĐND và UBND", "Quý II/2026"],
    ["2", "Tập huấn kỹ năng số cho cán bộ", "Phòng Văn hóa - Xã hội", "Thường xuyên"],
    ["II", "Kinh tế số", "", ""],
    ["3", "Hỗ trợ hộ kinh doanh bán hàng trên sàn", "Phòng Kinh tế", "Tháng 6/2026"],
]


@cache
def scan_of_one_page() -> bytes:
    pdf = new_pdf()
    write_pdf_paragraph(pdf, "KẾ HOẠCH", align="C")
    write_pdf_paragraph(pdf, "Chuyển đổi số phường Hòa Phong năm 2026", align="C")
    write_pdf_paragraph(
        pdf,
        "Ủy ban nhân dân phường ban hành kế hoạch chuyển đổi số năm 2026 với các nhiệm vụ "
        "trọng tâm sau đây, giao các phòng, ban chủ trì thực hiện và báo cáo kết quả hằng quý.",
    )
    write_pdf_table(pdf, ROWS)
    return scanned_pdf(bytes(pdf.output()))


@cache
def read_scan() -> tuple[Document, tuple[tuple[int, int, str], ...]]:
    calls: list[tuple[int, int, str]] = []
    doc = read_bytes(
        scan_of_one_page(), "ke-hoach-scan.pdf", progress=lambda *call: calls.append(call)
    )
    return doc, tuple(calls)


def test_a_scanned_page_is_read_into_its_paragraphs() -> None:
    doc, _ = read_scan()
    texts = [block.text for block in doc.blocks if isinstance(block, Paragraph)]
    assert texts[:2] == ["KẾ HOẠCH", "Chuyển đổi số phường Hòa Phong năm 2026"]
    assert texts[2].startswith("Ủy ban nhân dân phường ban hành kế hoạch chuyển đổi số")
    assert texts[2].endswith("báo cáo kết quả hằng quý.")


def test_a_ruled_table_on_a_scan_keeps_its_rows_and_columns() -> None:
    doc, _ = read_scan()
    tables = [block for block in doc.blocks if isinstance(block, Table)]
    assert len(tables) == 1
    assert [list(row.cells) for row in tables[0].rows] == ROWS


def test_reading_a_scan_reports_progress_page_by_page() -> None:
    _, calls = read_scan()
    assert calls[0] == (0, 1, "đang đọc trang 1/1")
    assert calls[-1][:2] == (1, 1)


def test_a_plan_read_from_a_scan_warns_that_it_must_be_checked() -> None:
    doc, _ = read_scan()
    assert any("OCR" in warning for warning in doc.warnings)


def test_a_scan_without_tesseract_is_refused_naming_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(ocr, "TESSERACT", str(tmp_path / "khong-co-tesseract"))
    with pytest.raises(ImportFileError) as caught:
        read_bytes(scan_of_one_page(), "ke-hoach-scan.pdf")
    assert "tesseract-ocr" in caught.value.message
    assert "tesseract-ocr-vie" in caught.value.message
    assert "DOCX" in caught.value.message


def test_a_scan_where_tesseract_lacks_vietnamese_is_refused_naming_the_data_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = tmp_path / "tesseract"
    fake.write_text('#!/bin/sh\necho "List of available languages (2):"\necho eng\necho osd\n')
    fake.chmod(0o755)
    monkeypatch.setattr(ocr, "TESSERACT", str(fake))
    assert not ocr.ocr_available(str(fake))
    with pytest.raises(ImportFileError) as caught:
        read_bytes(scan_of_one_page(), "ke-hoach-scan.pdf")
    assert "tesseract-ocr-vie" in caught.value.message


def test_tesseract_with_vietnamese_is_found_where_it_is_installed() -> None:
    assert ocr.ocr_available()
