"""Reading a Word plan: document order, merged cells, bold, line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx.document import Document as WordDocument
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Pt

from theodoi.importer.core.document import Document, Paragraph, Row, Table
from theodoi.importer.core.readers import read_bytes
from theodoi.importer.core.readers.text import read_text

from .builders import (
    add_soft_break,
    docx_from_text,
    docx_with,
    plan_paths,
    ruled_table,
    set_grid_before,
)

PLANS = plan_paths()


def read(data: bytes) -> Document:
    return read_bytes(data, "ke-hoach.docx")


def tables(doc: Document) -> list[Table]:
    return [block for block in doc.blocks if isinstance(block, Table)]


def test_paragraphs_and_tables_keep_their_document_order() -> None:
    def build(word: WordDocument) -> None:
        word.add_paragraph("Phụ lục I")
        ruled_table(word, 1, 2).rows[0].cells[0].text = "TT"
        word.add_paragraph("Phụ lục II")
        ruled_table(word, 1, 2).rows[0].cells[0].text = "STT"
        word.add_paragraph("Nơi nhận:")

    doc = read(docx_with(build))
    kinds = [
        block.text if isinstance(block, Paragraph) else block.rows[0].cells[0]
        for block in doc.blocks
    ]
    assert kinds == ["Phụ lục I", "TT", "Phụ lục II", "STT", "Nơi nhận:"]


def test_horizontally_merged_group_row_reads_like_the_text_plans_group_row() -> None:
    def build(word: WordDocument) -> None:
        table = ruled_table(word, 2, 5)
        group = table.rows[0].cells
        group[0].text = "I"
        group[1].merge(group[4]).text = "Chính quyền số"
        for cell, text in zip(
            table.rows[1].cells, ["1", "Số hóa", "VP", "CA", "Quý I"], strict=True
        ):
            cell.text = text

    (table,) = tables(read(docx_with(build)))
    assert table.rows[0].cells == ("I", "Chính quyền số", "", "", "")
    assert table.rows[1].cells == ("1", "Số hóa", "VP", "CA", "Quý I")


def test_vertically_merged_general_task_appears_once_and_blank_below() -> None:
    def build(word: WordDocument) -> None:
        table = ruled_table(word, 2, 3)
        table.cell(0, 0).merge(table.cell(1, 0)).text = "1. Triển khai hệ thống thông tin"
        table.cell(0, 1).text = "1.1 Hệ thống Nội chính"
        table.cell(1, 1).text = "1.2 Hệ thống Tuyên giáo"

    (table,) = tables(read(docx_with(build)))
    assert [row.cells[:2] for row in table.rows] == [
        ("1. Triển khai hệ thống thông tin", "1.1 Hệ thống Nội chính"),
        ("", "1.2 Hệ thống Tuyên giáo"),
    ]


def test_row_starting_late_in_the_grid_keeps_its_cells_in_their_columns() -> None:
    def build(word: WordDocument) -> None:
        table = ruled_table(word, 1, 2)
        table.rows[0].cells[1]._tc.getparent().remove(table.rows[0].cells[1]._tc)
        table.rows[0].cells[0].text = "Quý II"
        set_grid_before(table.rows[0], 1)

    (table,) = tables(read(docx_with(build)))
    assert table.rows[0].cells == ("", "Quý II")


def test_borderless_header_table_reads_as_the_paragraphs_of_its_columns() -> None:
    def build(word: WordDocument) -> None:
        header = word.add_table(rows=1, cols=2)  # no style: Word's layout table, no borders
        left, right = header.rows[0].cells
        left.text = "ỦY BAN NHÂN DÂN"
        left.add_paragraph().add_run("PHƯỜNG HÒA PHONG").bold = True
        left.add_paragraph("Số: 45/KH-UBND")
        right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold = True
        right.add_paragraph("Độc lập - Tự do - Hạnh phúc")
        right.add_paragraph("Hòa Phong, ngày 15 tháng 01 năm 2026")
        word.add_paragraph("KẾ HOẠCH")

    assert read(docx_with(build)).blocks == (
        Paragraph(text="ỦY BAN NHÂN DÂN", line=1),
        Paragraph(text="PHƯỜNG HÒA PHONG", line=2, bold=True),
        Paragraph(text="Số: 45/KH-UBND", line=3),
        Paragraph(text="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", line=4, bold=True),
        Paragraph(text="Độc lập - Tự do - Hạnh phúc", line=5),
        Paragraph(text="Hòa Phong, ngày 15 tháng 01 năm 2026", line=6),
        Paragraph(text="KẾ HOẠCH", line=7),
    )


def test_borderless_table_of_many_rows_stays_a_table() -> None:
    def build(word: WordDocument) -> None:
        table = word.add_table(rows=6, cols=3)
        for number, row in enumerate(table.rows, 1):
            row.cells[0].text = str(number)
            row.cells[1].text = f"Nhiệm vụ {number}"

    (table,) = tables(read(docx_with(build)))
    assert len(table.rows) == 6


def test_small_table_with_its_own_borders_stays_a_table() -> None:
    def build(word: WordDocument) -> None:
        table = word.add_table(rows=2, cols=2)
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            line = OxmlElement(f"w:{edge}")
            line.set(qn("w:val"), "single")
            line.set(qn("w:sz"), "4")
            borders.append(line)
        table._tbl.tblPr.append(borders)
        table.cell(0, 0).text = "TT"
        table.cell(0, 1).text = "Nhiệm vụ"

    (table,) = tables(read(docx_with(build)))
    assert table.rows[0].cells == ("TT", "Nhiệm vụ")


def test_paragraphs_of_a_cell_are_joined_into_one_cleaned_string() -> None:
    def build(word: WordDocument) -> None:
        cell = ruled_table(word, 1, 2).rows[0].cells[1]
        cell.text = "Phòng Văn hóa - Xã hội;"
        cell.add_paragraph("  Công an   phường")

    (table,) = tables(read(docx_with(build)))
    assert table.rows[0].cells == ("", "Phòng Văn hóa - Xã hội; Công an phường")


def test_nested_table_is_flattened_into_its_cell() -> None:
    def build(word: WordDocument) -> None:
        cell = ruled_table(word, 1, 2).rows[0].cells[1]
        cell.text = "Chỉ tiêu:"
        inner = cell.add_table(rows=2, cols=2)
        inner.cell(0, 0).text = "5G"
        inner.cell(0, 1).text = "> 95%"
        inner.cell(1, 0).text = "VNeID"
        inner.cell(1, 1).text = "100%"

    (table,) = tables(read(docx_with(build)))
    assert table.rows[0].cells == ("", "Chỉ tiêu: 5G > 95% VNeID 100%")


def test_paragraph_is_bold_only_when_all_its_runs_are_bold() -> None:
    def build(word: WordDocument) -> None:
        whole = word.add_paragraph()
        whole.add_run("I. MỤC ĐÍCH, ").bold = True
        whole.add_run("YÊU CẦU").bold = True
        part = word.add_paragraph()
        part.add_run("Lưu ý: ").bold = True
        part.add_run("thực hiện trước Quý II.")

    bold = [block.bold for block in read(docx_with(build)).blocks if isinstance(block, Paragraph)]
    assert bold == [True, False]


def test_heading_bold_by_its_style_counts_as_bold() -> None:
    def build(word: WordDocument) -> None:
        word.add_heading("II. NHIỆM VỤ, GIẢI PHÁP", level=2)
        word.add_paragraph("Nội dung thường.")

    blocks = read(docx_with(build)).blocks
    assert [(b.text, b.bold) for b in blocks if isinstance(b, Paragraph)] == [
        ("II. NHIỆM VỤ, GIẢI PHÁP", True),
        ("Nội dung thường.", False),
    ]


def test_run_bold_by_its_character_style_counts_as_bold() -> None:
    def build(word: WordDocument) -> None:
        word.add_paragraph().add_run("Nơi nhận:", style="Strong")

    assert read(docx_with(build)).blocks == (Paragraph(text="Nơi nhận:", line=1, bold=True),)


def test_bold_switched_off_in_a_run_of_a_bold_style_is_not_bold() -> None:
    def build(word: WordDocument) -> None:
        heading = word.add_heading("", level=1)
        heading.add_run("Tiêu đề ").bold = None
        heading.add_run("thường").bold = False

    (paragraph,) = read(docx_with(build)).blocks
    assert isinstance(paragraph, Paragraph)
    assert paragraph.bold is False


def test_line_numbers_count_empty_paragraphs_and_table_rows() -> None:
    def build(word: WordDocument) -> None:
        word.add_paragraph("KẾ HOẠCH")  # 1
        word.add_paragraph("")  # 2
        table = ruled_table(word, 3, 2)  # 3, 4 (empty row), 5
        table.cell(0, 0).text = "TT"
        table.cell(2, 0).text = "1"
        word.add_paragraph("Nơi nhận:")  # 6

    doc = read(docx_with(build))
    assert doc.blocks == (
        Paragraph(text="KẾ HOẠCH", line=1),
        Table(rows=(Row(cells=("TT", ""), line=3), Row(cells=("1", ""), line=5))),
        Paragraph(text="Nơi nhận:", line=6),
    )


def test_soft_line_break_splits_a_paragraph_into_lines() -> None:
    def build(word: WordDocument) -> None:
        signer = word.add_paragraph()
        signer.add_run("KT. CHỦ TỊCH").bold = True
        add_soft_break(signer)
        signer.add_run("PHÓ CHỦ TỊCH").bold = True
        word.add_paragraph("Nguyễn Văn An")

    assert read(docx_with(build)).blocks == (
        Paragraph(text="KT. CHỦ TỊCH", line=1, bold=True),
        Paragraph(text="PHÓ CHỦ TỊCH", line=2, bold=True),
        Paragraph(text="Nguyễn Văn An", line=3),
    )


def test_headers_and_footers_are_not_read() -> None:
    def build(word: WordDocument) -> None:
        section = word.sections[0]
        section.header.paragraphs[0].text = "ỦY BAN NHÂN DÂN PHƯỜNG - bản dự thảo"
        section.footer.paragraphs[0].text = "Trang 1"
        word.add_paragraph("KẾ HOẠCH")

    assert read(docx_with(build)).blocks == (Paragraph(text="KẾ HOẠCH", line=1),)


def test_text_box_is_not_read_and_a_warning_says_so() -> None:
    text_box = (
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
        "<w:p><w:r><w:t>Dự thảo</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )

    def build(word: WordDocument) -> None:
        paragraph = word.add_paragraph("KẾ HOẠCH")
        paragraph._p.append(parse_xml(text_box))

    doc = read(docx_with(build))
    assert doc.blocks == (Paragraph(text="KẾ HOẠCH", line=1),)
    assert any("text box" in warning for warning in doc.warnings)


def test_run_text_is_cleaned_and_composed() -> None:
    def build(word: WordDocument) -> None:
        paragraph = word.add_paragraph()
        paragraph.add_run("Tỷ lệ  ").font.size = Pt(13)
        paragraph.add_run("ke\u0302\u0301t no\u0302\u0301i\u00a0\u00a0đạt 100%")

    (paragraph,) = read(docx_with(build)).blocks
    assert isinstance(paragraph, Paragraph)
    assert paragraph.text == "Tỷ lệ kết nối đạt 100%"


@pytest.mark.parametrize("plan", PLANS, ids=[p.stem for p in PLANS])
def test_docx_built_from_a_text_plan_numbers_paragraphs_and_rows_like_the_text(
    plan: Path,
) -> None:
    text = plan.read_text(encoding="utf-8")
    assert _flat(read(docx_from_text(text))) == _flat(read_text(text))


def _flat(doc: Document) -> list[tuple[int, object, bool]]:
    """Paragraphs and rows in order with their line numbers; tables' borders ignored (a DOCX
    needs a paragraph between two tables where the text only has a blank line)."""
    out: list[tuple[int, object, bool]] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            out.append((block.line, block.text, block.bold))
            continue
        for row in block.rows:
            cells = list(row.cells)
            while cells and not cells[-1]:
                cells.pop()
            out.append((row.line, tuple(cells), False))
    return out
