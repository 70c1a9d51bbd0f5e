from __future__ import annotations

from theodoi.importer.core.document import Paragraph, Table
from theodoi.importer.core.readers.text import read_text

from ...conftest import PLANS_DIR

PLANS = PLANS_DIR


def _tables(doc):
    return [b for b in doc.blocks if isinstance(b, Table)]


def _paragraphs(doc):
    return [b for b in doc.blocks if isinstance(b, Paragraph)]


def test_lines_with_a_tab_are_table_rows_and_other_lines_paragraphs():
    doc = read_text("KẾ HOẠCH\n\nTT\tTên nhiệm vụ\n1\tTuyên truyền\nTrên đây là Kế hoạch\n")

    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Table", "Paragraph"]
    table = _tables(doc)[0]
    assert [r.cells for r in table.rows] == [("TT", "Tên nhiệm vụ"), ("1", "Tuyên truyền")]


def test_line_numbers_are_one_based_source_lines():
    doc = read_text("\n\nKẾ HOẠCH\n\nTT\tTên\n1\tViệc\n")

    assert _paragraphs(doc)[0].line == 3
    assert [r.line for r in _tables(doc)[0].rows] == [5, 6]


def test_blank_lines_between_rows_do_not_split_the_table():
    doc = read_text("TT\tTên\tPhối hợp\n7\tPhát triển\tCác doanh nghiệp viễn\n\n\t\tthông\n")

    tables = _tables(doc)
    assert len(tables) == 1
    # The continuation row is kept as the source gave it: merging is the parser's job.
    assert tables[0].rows[-1].cells == ("", "", "thông")
    assert tables[0].rows[-1].line == 4


def test_a_text_line_between_rows_ends_the_table():
    doc = read_text("TT\tTên\n1\tA\nPhụ lục 2\nTT\tTên\n1\tB\n")

    assert len(_tables(doc)) == 2


def test_cells_are_cleaned_of_markup():
    doc = read_text("<b>I. Chính quyền số</b>\t\t\n1\t<p>Văn phòng  Đảng ủy</p>\t\n")

    rows = _tables(doc)[0].rows
    assert rows[0].cells == ("I. Chính quyền số", "", "")
    assert rows[1].cells == ("1", "Văn phòng Đảng ủy", "")


def test_bold_paragraph_is_marked_bold():
    doc = read_text("**1.4. Phát triển hệ sinh thái đổi mới sáng tạo:**\nVăn bản thường\n")

    first, second = _paragraphs(doc)
    assert first.bold and first.text == "1.4. Phát triển hệ sinh thái đổi mới sáng tạo:"
    assert not second.bold


def test_markdown_heading_loses_its_marks_and_counts_as_bold():
    doc = read_text("## II- NHIỆM VỤ TRỌNG TÂM NĂM 2026\n")

    (paragraph,) = _paragraphs(doc)
    assert paragraph.text == "II- NHIỆM VỤ TRỌNG TÂM NĂM 2026"
    assert paragraph.bold


def test_html_fragments_become_paragraphs_of_their_own_text():
    doc = read_text('<p>Mở đầu</p>\n<ul style="x"><li>- Một</li><li>- Hai</li></ul>\n')

    assert [(p.text, p.line) for p in _paragraphs(doc)] == [
        ("Mở đầu", 1),
        ("- Một", 2),
        ("- Hai", 2),
    ]


def test_markdown_pipe_table_is_a_table_without_its_separator_line():
    doc = read_text("| TT | Tên nhiệm vụ |\n|---|:---:|\n| 1 | Tuyên truyền |\n")

    (table,) = _tables(doc)
    assert [r.cells for r in table.rows] == [("TT", "Tên nhiệm vụ"), ("1", "Tuyên truyền")]
    assert [r.line for r in table.rows] == [1, 3]


def test_text_is_nfc():
    decomposed = "Tha\u0306ng"  # "Thăng" with a combining breve
    doc = read_text(decomposed + "\n")

    assert _paragraphs(doc)[0].text == "Thăng"


def test_backan_task_annex_is_one_table_with_its_split_row_kept_apart():
    doc = read_text((PLANS / "backan-2026.txt").read_text(encoding="utf-8"))

    annex = next(t for t in _tables(doc) if t.line == 336)
    assert len(annex.rows) == 15  # header, 13 tasks, one continuation line
    continuation = next(r for r in annex.rows if r.line == 345)
    assert continuation.cells[3] == "thông"


def test_source_format_is_kept():
    assert read_text("x", source_format="md").source_format == "md"
