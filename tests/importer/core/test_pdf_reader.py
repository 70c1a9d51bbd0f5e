"""Reading a PDF plan: paragraphs rebuilt from visual lines, tables in reading order."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image

from theodoi.importer.core.document import Document, Paragraph, Table
from theodoi.importer.core.readers import read_bytes
from theodoi.importer.core.readers.text import read_text

from .builders import new_pdf, pdf_from_text, plan_paths, write_pdf_paragraph, write_pdf_table

PLANS = plan_paths()
LONG = (
    "Tổ chức triển khai đồng bộ, hiệu quả các mục tiêu, nhiệm vụ, giải pháp đề ra tại Đề án "
    "với phương châm hành động đột phá, lan tỏa kết quả; chuyển từ cách làm theo kế hoạch sang "
    "cách làm theo mục tiêu và sản phẩm, từ báo cáo tiến độ sang báo cáo hiệu quả trên địa bàn "
    "phường Hòa Phong."
)


def read(pdf: FPDF) -> Document:
    return read_bytes(bytes(pdf.output()), "ke-hoach.pdf")


def texts(doc: Document) -> list[str]:
    return [block.text for block in doc.blocks if isinstance(block, Paragraph)]


def test_lines_wrapped_by_the_layout_are_joined_into_one_paragraph() -> None:
    pdf = new_pdf()
    write_pdf_paragraph(pdf, LONG)
    write_pdf_paragraph(pdf, "II. MỤC TIÊU", bold=True)
    assert texts(read(pdf)) == [LONG, "II. MỤC TIÊU"]


def test_left_aligned_wrapped_lines_are_joined_too() -> None:
    pdf = new_pdf()
    write_pdf_paragraph(pdf, LONG, align="L")
    assert texts(read(pdf)) == [LONG]


def test_paragraphs_with_a_first_line_indent_and_no_spacing_are_told_apart() -> None:
    pdf = new_pdf()
    for text in (LONG, "Ủy ban nhân dân phường xây dựng Kế hoạch như sau:" + " tiếp" * 30):
        pdf.set_x(pdf.l_margin + 10)  # the first line indented, as Word's 1 cm indent
        pdf.multi_cell(0, 5.5, text, align="J", new_x="LMARGIN", new_y="NEXT")
    assert len(texts(read(pdf))) == 2
    assert texts(read(pdf))[0] == LONG


def test_words_placed_without_space_characters_are_still_separate_words() -> None:
    pdf = new_pdf()
    pdf.set_font("Serif", size=8)  # small text: a space is narrower than 3 pt
    x = pdf.l_margin
    sentence = "Phòng Văn hóa - Xã hội chủ trì"
    for word in sentence.split(" "):
        pdf.text(x, 40, word)  # each word placed on its own, as some producers do
        x += pdf.get_string_width(word) + pdf.get_string_width(" ")
    assert texts(read(pdf)) == [sentence]


def test_bullet_lines_without_spacing_are_separate_paragraphs() -> None:
    pdf = new_pdf()
    items = ["- Thường trực Đảng ủy;", "- Lãnh đạo UBND phường;", "- Lưu: VT, VHXH."]
    for text in items:
        pdf.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")
    assert texts(read(pdf)) == items


def test_numbered_item_after_a_full_line_starts_a_new_paragraph() -> None:
    pdf = new_pdf()
    pdf.multi_cell(0, 5.5, LONG, align="J", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 5.5, "1.2. Đẩy mạnh công tác tuyên truyền", new_x="LMARGIN", new_y="NEXT")
    assert texts(read(pdf)) == [LONG, "1.2. Đẩy mạnh công tác tuyên truyền"]


def test_centred_title_wrapped_over_two_lines_is_one_paragraph() -> None:
    pdf = new_pdf()
    title = (
        "Triển khai thực hiện Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công "
        "nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia năm 2026"
    )
    pdf.set_font("Serif", "B", 13)
    pdf.multi_cell(0, 6.5, "KẾ HOẠCH", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x((pdf.w - 140) / 2)
    pdf.multi_cell(140, 6.5, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    write_pdf_paragraph(pdf, LONG)
    assert texts(read(pdf)) == ["KẾ HOẠCH", title, LONG]


def test_two_column_header_is_read_column_by_column() -> None:
    pdf = new_pdf()
    rows = [
        ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("PHƯỜNG HÒA PHONG", "Độc lập - Tự do - Hạnh phúc"),
    ]
    for left, right in rows:
        pdf.cell(70, 6, left, align="C")
        pdf.cell(0, 6, right, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.cell(70, 6, "Số: 45/KH-UBND", align="C")
    pdf.cell(0, 6, "Hòa Phong, ngày 15 tháng 01 năm 2026", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    write_pdf_paragraph(pdf, "KẾ HOẠCH", bold=True, align="C")
    found = [(p.text, p.column) for p in read(pdf).blocks if isinstance(p, Paragraph)]
    assert found == [
        ("ỦY BAN NHÂN DÂN", 1),
        ("PHƯỜNG HÒA PHONG", 1),
        ("Số: 45/KH-UBND", 1),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 2),
        ("Độc lập - Tự do - Hạnh phúc", 2),
        ("Hòa Phong, ngày 15 tháng 01 năm 2026", 2),
        ("KẾ HOẠCH", 0),
    ]


def test_table_sits_between_the_paragraphs_around_it() -> None:
    pdf = new_pdf()
    write_pdf_paragraph(pdf, "Phụ lục II")
    write_pdf_table(
        pdf,
        [
            ["TT", "Nhiệm vụ", "Chủ trì", "Thời gian"],
            ["1", "Số hóa hồ sơ hành chính của phường", "Văn phòng HĐND và UBND", "Quý I"],
        ],
    )
    write_pdf_paragraph(pdf, "Nơi nhận:")
    doc = read(pdf)
    assert [type(block).__name__ for block in doc.blocks] == ["Paragraph", "Table", "Paragraph"]
    table = doc.blocks[1]
    assert isinstance(table, Table)
    assert table.rows[1].cells == (
        "1",
        "Số hóa hồ sơ hành chính của phường",
        "Văn phòng HĐND và UBND",
        "Quý I",
    )


def test_merged_group_row_reads_its_covered_cells_as_blank() -> None:
    pdf = new_pdf()
    write_pdf_table(pdf, [["TT", "Nhiệm vụ", "Chủ trì", "Thời gian"], ["I", "Kinh tế số", "", ""]])
    (table,) = read(pdf).blocks
    assert isinstance(table, Table)
    assert table.rows[1].cells == ("I", "Kinh tế số", "", "")


def test_line_numbers_are_ordinals_of_paragraphs_and_rows_in_reading_order() -> None:
    pdf = new_pdf()
    write_pdf_paragraph(pdf, "Phụ lục I")
    write_pdf_table(pdf, [["TT", "Chỉ tiêu"], ["1", "Tỷ lệ phủ sóng 5G"]])
    write_pdf_paragraph(pdf, "Phụ lục II")
    doc = read(pdf)
    table = doc.blocks[1]
    assert isinstance(table, Table)
    assert [doc.blocks[0].line, *(row.line for row in table.rows), doc.blocks[2].line] == [
        1,
        2,
        3,
        4,
    ]


def test_paragraph_running_over_a_page_break_stays_one_paragraph() -> None:
    pdf = new_pdf()
    pdf.set_y(pdf.h - pdf.b_margin - 12)  # room for two lines only
    write_pdf_paragraph(pdf, f"{LONG} {LONG}")
    write_pdf_paragraph(pdf, "Nơi nhận:")
    assert pdf.page == 2
    assert texts(read(pdf)) == [f"{LONG} {LONG}", "Nơi nhận:"]


def test_page_numbers_are_not_read_as_text() -> None:
    pdf = new_pdf()
    write_pdf_paragraph(pdf, "Trang đầu của kế hoạch.")
    for number in (1, 2):
        if number == 2:
            pdf.add_page()
            write_pdf_paragraph(pdf, "Trang sau của kế hoạch.")
        pdf.set_y(-15)
        pdf.cell(0, 5, str(number), align="C")
    assert texts(read(pdf)) == ["Trang đầu của kế hoạch.", "Trang sau của kế hoạch."]


def test_table_continued_on_the_next_page_is_another_table() -> None:
    pdf = new_pdf()
    rows = [["TT", "Nhiệm vụ"]] + [[str(n), f"Nhiệm vụ số {n} của phường"] for n in range(1, 70)]
    write_pdf_table(pdf, rows)
    found = [block for block in read(pdf).blocks if isinstance(block, Table)]
    assert len(found) == 2
    assert [row.cells for table in found for row in table.rows] == [tuple(r) for r in rows]


def test_bold_paragraph_is_marked_bold() -> None:
    pdf = new_pdf()
    write_pdf_paragraph(pdf, "III. TỔ CHỨC THỰC HIỆN", bold=True)
    write_pdf_paragraph(pdf, "Văn phòng HĐND và UBND phường theo dõi.")
    assert [(b.text, b.bold) for b in read(pdf).blocks if isinstance(b, Paragraph)] == [
        ("III. TỔ CHỨC THỰC HIỆN", True),
        ("Văn phòng HĐND và UBND phường theo dõi.", False),
    ]


def test_page_that_is_only_a_scan_is_reported_in_a_warning() -> None:
    pdf = new_pdf()
    write_pdf_paragraph(pdf, "Trang có chữ.")
    pdf.add_page()
    pdf.image(Image.new("RGB", (40, 40), "white"), x=20, y=20, w=100)
    doc = read(pdf)
    assert texts(doc) == ["Trang có chữ."]
    assert any("Trang 2" in warning and "scan" in warning for warning in doc.warnings)


@pytest.mark.parametrize("plan", PLANS, ids=[p.stem for p in PLANS])
@pytest.mark.parametrize("align", ["J", "L"])
def test_pdf_built_from_a_text_plan_gives_back_its_paragraphs_and_rows(
    plan: Path, align: str
) -> None:
    text = plan.read_text(encoding="utf-8")
    assert _flat(read_bytes(pdf_from_text(text, align=align), "x.pdf")) == _flat(read_text(text))


def _flat(doc: Document) -> list[object]:
    """Paragraph texts with boldness, and row cells, in order; where tables break is ignored
    (a page break cuts a PDF table)."""
    out: list[object] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            out.append((block.text, block.bold))
            continue
        for row in block.rows:
            cells = list(row.cells)
            while cells and not cells[-1]:
                cells.pop()
            out.append(tuple(cells))
    return out


def test_a_table_without_ruling_lines_is_found_by_the_alignment_of_its_words() -> None:
    pdf = new_pdf()
    write_pdf_paragraph(pdf, "DANH MỤC NHIỆM VỤ", bold=True, align="C")
    columns = (20, 32, 100, 150)
    rows = [
        ("TT", "Nhiệm vụ", "Chủ trì", "Thời gian"),
        ("1", "Số hóa hồ sơ hành chính", "Văn phòng", "Quý I"),
        ("2", "Ký số văn bản đi", "Văn phòng", "Quý II"),
        ("3", "Cấp tài khoản định danh", "Công an phường", "Năm 2026"),
    ]
    for cells in rows:
        top = pdf.get_y()
        for x, text in zip(columns, cells, strict=True):
            pdf.set_xy(x, top)
            pdf.cell(45, 6, text)
        pdf.set_y(top + 6)
        if cells[0] == "3":
            # The task's name wraps onto a second line in its own column.
            pdf.set_xy(columns[1], top + 5)
            pdf.cell(45, 6, "điện tử cho công dân")
            pdf.set_y(top + 11)
    pdf.ln(6)
    write_pdf_paragraph(pdf, "Các phòng, ban triển khai thực hiện.")
    doc = read(pdf)
    (table,) = [block for block in doc.blocks if isinstance(block, Table)]
    assert not table.ruled
    assert [row.cells for row in table.rows] == [
        rows[0],
        rows[1],
        rows[2],
        ("3", "Cấp tài khoản định danh điện tử cho công dân", "Công an phường", "Năm 2026"),
    ]
    assert texts(doc) == ["DANH MỤC NHIỆM VỤ", "Các phòng, ban triển khai thực hiện."]
