"""What the readers keep for structure: Word's automatic numbering as the label a person sees,
merged cells across and down, bold, page breaks, outline levels, header columns; the same
fields from XLSX and from a text's own signs."""

from __future__ import annotations

import io

import openpyxl
import pytest
from docx.document import Document as WordDocument
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

from theodoi.importer.core.document import Document, Paragraph, Table
from theodoi.importer.core.readers import read_bytes
from theodoi.importer.core.readers.numbering import format_number
from theodoi.importer.core.readers.text import read_text

from .builders import docx_with, ruled_table


def read(data: bytes, name: str = "ke-hoach.docx") -> Document:
    return read_bytes(data, name)


def paragraphs(doc: Document) -> list[Paragraph]:
    return [block for block in doc.blocks if isinstance(block, Paragraph)]


def tables(doc: Document) -> list[Table]:
    return [block for block in doc.blocks if isinstance(block, Table)]


def add_list(word: WordDocument, levels: list[tuple[str, str]], *, list_id: int) -> None:
    """An abstractNum of (numFmt, lvlText) levels and a num ``list_id`` using it."""
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    numbering = word.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{list_id}">{lvls}</w:abstractNum>'
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    add_num(word, list_id, abstract=list_id)


def add_num(word: WordDocument, num_id: int, *, abstract: int, restart: int | None = None) -> None:
    override = (
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{restart}"/></w:lvlOverride>'
        if restart is not None
        else ""
    )
    word.part.numbering_part.element.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>'
            f"{override}</w:num>"
        )
    )


def numbered(paragraph: object, num_id: int, level: int = 0) -> None:
    p_pr = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    p_pr.append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/>'
            "</w:numPr>"
        )
    )


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (4, "upperRoman", "IV"),
        (14, "lowerRoman", "xiv"),
        (2, "lowerLetter", "b"),
        (27, "upperLetter", "AA"),
        (7, "decimalZero", "07"),
        (12, "decimal", "12"),
    ],
)
def test_word_number_formats_are_drawn_as_word_draws_them(value: int, fmt: str, shown: str) -> None:
    assert format_number(value, fmt) == shown


def test_automatic_numbering_is_read_as_the_label_a_person_sees() -> None:
    def build(word: WordDocument) -> None:
        add_list(
            word,
            [
                ("upperRoman", "%1."),
                ("decimal", "%2."),
                ("decimal", "%2.%3."),
                ("lowerLetter", "%4)"),
            ],
            list_id=7,
        )
        for text, level in [
            ("MỤC TIÊU", 0),
            ("Chính quyền số", 1),
            ("Số hóa hồ sơ", 2),
            ("Ký số văn bản", 2),
            ("Kinh tế số", 1),
            ("Chợ 4.0", 2),
            ("Thanh toán số", 3),
            ("NHIỆM VỤ", 0),
            ("Xã hội số", 1),
        ]:
            numbered(word.add_paragraph(text), 7, level)

    texts = [p.text for p in paragraphs(read(docx_with(build)))]
    assert texts == [
        "I. MỤC TIÊU",
        "1. Chính quyền số",
        "1.1. Số hóa hồ sơ",
        "1.2. Ký số văn bản",
        "2. Kinh tế số",
        "2.1. Chợ 4.0",
        "a) Thanh toán số",
        "II. NHIỆM VỤ",
        "1. Xã hội số",
    ]


def test_a_list_restarted_by_a_start_override_counts_again_and_a_shared_list_runs_on() -> None:
    def build(word: WordDocument) -> None:
        add_list(word, [("decimal", "%1.")], list_id=3)
        add_num(word, 4, abstract=3)  # the same list, no override: numbering runs on
        add_num(word, 5, abstract=3, restart=1)  # "Restart at 1"
        add_num(word, 6, abstract=3, restart=10)  # "Set numbering value: 10"
        for text, num_id in [("a", 3), ("b", 3), ("c", 4), ("d", 5), ("e", 5), ("f", 6)]:
            numbered(word.add_paragraph(f"Việc {text}"), num_id)

    labels = [p.label for p in paragraphs(read(docx_with(build)))]
    assert labels == ["1.", "2.", "3.", "1.", "2.", "10."]


def test_a_numbered_table_cell_shows_its_number_and_a_bullet_reads_as_a_dash() -> None:
    def build(word: WordDocument) -> None:
        add_list(word, [("decimal", "%1")], list_id=8)
        add_list(word, [("bullet", "\uf0b7")], list_id=9)
        table = ruled_table(word, 3, 2)
        table.cell(0, 0).text, table.cell(0, 1).text = "TT", "Nhiệm vụ"
        for row, task in ((1, "Số hóa hồ sơ"), (2, "Ký số")):
            numbered(table.cell(row, 0).paragraphs[0], 8)
            table.cell(row, 1).text = task
        numbered(word.add_paragraph("Tuyên truyền"), 9)

    doc = read(docx_with(build))
    (table,) = tables(doc)
    assert [row.cells for row in table.rows] == [
        ("TT", "Nhiệm vụ"),
        ("1", "Số hóa hồ sơ"),
        ("2", "Ký số"),
    ]
    assert table.rows[2].cell(0).label == "2"
    assert paragraphs(doc)[-1].text == "- Tuyên truyền"


def test_merged_cells_say_how_far_they_span_across_and_down() -> None:
    def build(word: WordDocument) -> None:
        table = ruled_table(word, 4, 4)
        for column, text in enumerate(["TT", "Nhiệm vụ", "Chủ trì", "Thời gian"]):
            table.cell(0, column).text = text
        table.cell(1, 0).text = "I"
        table.cell(1, 1).merge(table.cell(1, 3)).text = "Chính quyền số"
        table.cell(2, 2).merge(table.cell(3, 2)).text = "Văn phòng"
        for row, task in ((2, "Số hóa"), (3, "Ký số")):
            table.cell(row, 0).text = str(row - 1)
            table.cell(row, 1).text = task
            table.cell(row, 3).text = "Quý I"

    (table,) = tables(read(docx_with(build)))
    group, first, second = table.rows[1:]
    assert group.cells == ("I", "Chính quyền số", "", "")
    assert [group.cell(i).across for i in range(4)] == [1, 3, 0, 0]
    assert first.cells[2] == "Văn phòng" and first.cell(2).down == 2
    assert second.cells[2] == "" and second.cell(2).merged_up
    assert not first.cell(2).merged_up


def test_page_breaks_are_known_to_the_paragraph_or_row_after_them() -> None:
    def build(word: WordDocument) -> None:
        word.add_paragraph("Trang một")
        word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        word.add_paragraph("Trang hai")
        ending = word.add_paragraph("Cuối trang hai")
        ending.add_run().add_break(WD_BREAK.PAGE)
        table = ruled_table(word, 2, 2)
        table.cell(0, 0).text, table.cell(0, 1).text = "TT", "Nhiệm vụ"
        table.cell(1, 0).text, table.cell(1, 1).text = "1", "Số hóa"
        rendered = table.cell(1, 1).paragraphs[0]._p
        rendered.insert(1, parse_xml(f"<w:r {nsdecls('w')}><w:lastRenderedPageBreak/></w:r>"))

    doc = read(docx_with(build))
    one, two, end = paragraphs(doc)
    (table,) = tables(doc)
    assert (one.page, one.page_break_before) == (1, False)
    assert (two.page, two.page_break_before) == (2, True)
    assert (end.page, end.page_break_before) == (2, False)
    assert [(row.page, row.page_break_before) for row in table.rows] == [(3, True), (4, True)]
    assert doc.pages == 4


def test_headings_keep_their_outline_level_and_style_and_bold_rows_are_marked() -> None:
    def build(word: WordDocument) -> None:
        word.add_paragraph("NHIỆM VỤ", style="Heading 1")
        word.add_paragraph("Chính quyền số", style="Heading 2")
        custom = word.add_paragraph("Phụ lục")
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), "0")
        custom._p.get_or_add_pPr().append(outline)
        word.add_paragraph("Nội dung")
        table = ruled_table(word, 2, 2)
        table.cell(0, 0).paragraphs[0].add_run("TT").bold = True
        table.cell(0, 1).paragraphs[0].add_run("Nhiệm vụ").bold = True
        table.cell(1, 0).text, table.cell(1, 1).text = "1", "Số hóa"

    doc = read(docx_with(build))
    heading, sub, annex, body = paragraphs(doc)
    assert (heading.outline_level, heading.style, heading.bold) == (0, "Heading 1", True)
    assert (sub.outline_level, sub.style) == (1, "Heading 2")
    assert annex.outline_level == 0
    assert body.outline_level is None
    header, row = tables(doc)[0].rows
    assert header.bold and header.cell(1).bold
    assert not row.bold


def test_a_two_sided_header_is_read_column_by_column() -> None:
    def build(word: WordDocument) -> None:
        layout = word.add_table(rows=1, cols=2)
        layout.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nPHƯỜNG HÒA PHONG"
        layout.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        word.add_paragraph("KẾ HOẠCH")

    found = [(p.text, p.column) for p in paragraphs(read(docx_with(build)))]
    assert found == [
        ("ỦY BAN NHÂN DÂN", 1),
        ("PHƯỜNG HÒA PHONG", 1),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 2),
        ("KẾ HOẠCH", 0),
    ]


def _xlsx(build: object) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    build(sheet)  # type: ignore[operator]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_spreadsheet_reads_its_title_rows_as_paragraphs_and_its_merges_as_spans() -> None:
    def build(sheet: object) -> None:
        rows = [
            ["DANH MỤC NHIỆM VỤ NĂM 2026"],
            ["(Kèm theo Kế hoạch số 12/KH-UBND)"],
            ["TT", "Nhiệm vụ", "Cơ quan thực hiện", None, "Thời gian"],
            [None, None, "Chủ trì", "Phối hợp", None],
            ["I", "Chính quyền số"],
            [1, "Số hóa hồ sơ", "Văn phòng", "Công an xã", "Quý I"],
            [2, "Ký số", None, "Công an xã", "Quý II"],
        ]
        for values in rows:
            sheet.append(values)  # type: ignore[attr-defined]
        sheet["A1"].font = openpyxl.styles.Font(bold=True)  # type: ignore[index]
        for merged in ("A1:E1", "A2:E2", "C3:D3", "A3:A4", "B3:B4", "E3:E4", "B5:E5", "C6:C7"):
            sheet.merge_cells(merged)  # type: ignore[attr-defined]

    doc = read(_xlsx(build), "nv.xlsx")
    title, note = paragraphs(doc)
    assert (title.text, title.line, title.bold) == ("DANH MỤC NHIỆM VỤ NĂM 2026", 1, True)
    assert note.text == "(Kèm theo Kế hoạch số 12/KH-UBND)"
    (table,) = tables(doc)
    header, sub, group, first, second = table.rows
    assert header.cells == ("TT", "Nhiệm vụ", "Cơ quan thực hiện", "", "Thời gian")
    assert header.cell(2).across == 2 and header.cell(0).down == 2
    assert sub.cell(0).merged_up and sub.cells[2:4] == ("Chủ trì", "Phối hợp")
    assert group.cell(1).across == 4
    assert first.cell(2).down == 2 and second.cell(2).merged_up and second.cells[2] == ""


def test_a_texts_gaps_repeated_headers_bold_and_heading_marks_fill_the_same_fields() -> None:
    doc = read_text(
        "## II. NHIỆM VỤ\n"
        "<b>TT</b>\t<b>Nhiệm vụ</b>\n"
        "1\tSố hóa hồ sơ\n"
        "\n"
        "<b>TT</b>\t<b>Nhiệm vụ</b>\n"
        "2\tKý số\n"
        "\n"
        "3\tDữ liệu\n"
    )
    (heading,) = paragraphs(doc)
    assert (heading.text, heading.bold, heading.outline_level) == ("II. NHIỆM VỤ", True, 1)
    rows = tables(doc)[0].rows
    assert [row.header for row in rows] == [True, False, True, False, False]
    assert [row.page_break_before for row in rows] == [False, False, True, False, True]
    assert rows[0].bold and rows[0].cell(1).bold and not rows[1].bold
