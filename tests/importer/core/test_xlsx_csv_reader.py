"""Reading task and target lists kept in a spreadsheet (XLSX) or exported as CSV."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest

from theodoi.importer.core.document import Document, Row, Table
from theodoi.importer.core.errors import ImportFileError
from theodoi.importer.core.readers import read_bytes

from .builders import xlsx_from_rows

HEADER = ["TT", "Nhiệm vụ", "Chủ trì", "Thời gian"]


def only_table(doc: Document) -> Table:
    (table,) = doc.blocks
    assert isinstance(table, Table)
    return table


def cells(doc: Document) -> list[tuple[str, ...]]:
    return [row.cells for block in doc.blocks if isinstance(block, Table) for row in block.rows]


# --- XLSX -------------------------------------------------------------------------------


def test_numbers_read_as_the_user_sees_them() -> None:
    data = xlsx_from_rows(
        [["Chỉ tiêu", "Giá trị"], ["Phủ sóng 5G", 95.0], ["Kết nối IoT", 2], ["Tỷ lệ", 0.955]],
    )
    assert cells(read_bytes(data, "ct.xlsx"))[1:] == [
        ("Phủ sóng 5G", "95"),
        ("Kết nối IoT", "2"),
        ("Tỷ lệ", "0.955"),
    ]


def test_percentage_and_fixed_decimal_cells_keep_their_format() -> None:
    data = xlsx_from_rows(
        [["Chỉ tiêu", "Giá trị"], ["Hồ sơ số hóa", 0.8], ["Tốc độ (Mbps)", 124.9]],
        number_formats={"B2": "0%", "B3": "0.00"},
    )
    assert cells(read_bytes(data, "ct.xlsx"))[1:] == [
        ("Hồ sơ số hóa", "80%"),
        ("Tốc độ (Mbps)", "124.90"),
    ]


def test_dates_read_as_day_month_year() -> None:
    data = xlsx_from_rows(
        [
            HEADER,
            [1, "Số hóa hồ sơ", "Văn phòng", date(2026, 3, 31)],
            [2, "Họp giao ban", "Văn phòng", datetime(2026, 6, 30, 14, 30)],
        ]
    )
    assert [row[3] for row in cells(read_bytes(data, "nv.xlsx"))[1:]] == [
        "31/03/2026",
        "30/06/2026 14:30",
    ]


def test_empty_rows_are_skipped_and_lines_are_excel_row_numbers() -> None:
    data = xlsx_from_rows([HEADER, [None] * 4, [1, "Số hóa hồ sơ", "Văn phòng", "Quý I"]])
    table = only_table(read_bytes(data, "nv.xlsx"))
    assert [row.line for row in table.rows] == [1, 3]


def test_every_row_is_as_wide_as_the_table_without_trailing_empty_columns() -> None:
    data = xlsx_from_rows(
        [["TT", "Nhiệm vụ", None, None], ["I", "Kinh tế số"], [1, "Chợ 4.0", "Phòng Kinh tế"]]
    )
    assert cells(read_bytes(data, "nv.xlsx")) == [
        ("TT", "Nhiệm vụ", ""),
        ("I", "Kinh tế số", ""),
        ("1", "Chợ 4.0", "Phòng Kinh tế"),
    ]


def test_each_non_empty_sheet_is_one_table_numbered_after_the_previous_sheet() -> None:
    data = xlsx_from_rows(
        [HEADER, [1, "Số hóa hồ sơ", "Văn phòng", "Quý I"]],
        sheets={"Trống": [], "Chỉ tiêu": [["Chỉ tiêu", "Giá trị"], ["Phủ sóng 5G", ">95%"]]},
    )
    doc = read_bytes(data, "ke-hoach.xlsx")
    assert [[row.line for row in table.rows] for table in doc.blocks] == [[1, 2], [3, 4]]
    assert cells(doc)[3] == ("Phủ sóng 5G", ">95%")


def test_hidden_sheet_is_not_read() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    hidden = workbook.create_sheet("Danh mục")
    hidden.append(["Phòng Văn hóa - Xã hội"])
    hidden.sheet_state = "hidden"
    out = io.BytesIO()
    workbook.save(out)
    assert cells(read_bytes(out.getvalue(), "nv.xlsx")) == [tuple(HEADER)]


def test_merged_cells_show_their_text_once() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(["I", "Chính quyền số", None, None])
    sheet.merge_cells("B2:D2")
    out = io.BytesIO()
    workbook.save(out)
    assert cells(read_bytes(out.getvalue(), "nv.xlsx"))[1] == ("I", "Chính quyền số", "", "")


def test_cell_text_is_cleaned() -> None:
    data = xlsx_from_rows([["Nhiệm vụ"], ["  Triển khai\n phần mềm\u00a0 quản lý  "]])
    assert cells(read_bytes(data, "nv.xlsx"))[1] == ("Triển khai phần mềm quản lý",)


def test_workbook_without_data_is_refused() -> None:
    with pytest.raises(ImportFileError, match="không có dữ liệu"):
        read_bytes(xlsx_from_rows([]), "nv.xlsx")


# --- CSV --------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiter_is_sniffed(delimiter: str) -> None:
    text = delimiter.join(HEADER) + "\n" + delimiter.join(["1", "Số hóa", "Văn phòng", "Quý I"])
    assert cells(read_bytes(text.encode(), "nv.csv")) == [
        tuple(HEADER),
        ("1", "Số hóa", "Văn phòng", "Quý I"),
    ]


def test_semicolon_csv_with_commas_in_its_text_keeps_whole_cells() -> None:
    text = (
        "TT;Nhiệm vụ;Chủ trì\n"
        "1;Rà soát, nâng cấp, bảo đảm điều kiện tối thiểu;Văn phòng HĐND và UBND\n"
        "2;Tập huấn kỹ năng số;Phòng Văn hóa - Xã hội\n"
    )
    assert cells(read_bytes(text.encode(), "nv.csv"))[1] == (
        "1",
        "Rà soát, nâng cấp, bảo đảm điều kiện tối thiểu",
        "Văn phòng HĐND và UBND",
    )


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["utf-8", "utf-8-bom"])
def test_csv_in_utf8_with_or_without_bom_reads_the_same(bom: bytes) -> None:
    data = bom + "TT,Nhiệm vụ\n1,Chuyển đổi số\n".encode()
    assert cells(read_bytes(data, "nv.csv")) == [("TT", "Nhiệm vụ"), ("1", "Chuyển đổi số")]


def test_csv_row_line_is_where_the_row_starts_and_blank_lines_are_skipped() -> None:
    text = 'TT,Nhiệm vụ\n\n1,"Số hóa\nhồ sơ"\n2,Tập huấn\n'
    assert only_table(read_bytes(text.encode(), "nv.csv")).rows == (
        Row(cells=("TT", "Nhiệm vụ"), line=1),
        Row(cells=("1", "Số hóa hồ sơ"), line=3),
        Row(cells=("2", "Tập huấn"), line=5),
    )


def test_short_csv_rows_are_padded_to_the_table_width() -> None:
    text = "TT,Nhiệm vụ,Chủ trì\nI,Kinh tế số\n"
    assert cells(read_bytes(text.encode(), "nv.csv"))[1] == ("I", "Kinh tế số", "")


def test_csv_of_empty_lines_is_refused_as_empty() -> None:
    with pytest.raises(ImportFileError, match="rỗng"):
        read_bytes(b",,\n\n,,\n", "nv.csv")
