from __future__ import annotations

from theodoi.importer.core.document import Document, Paragraph, Row, Table
from theodoi.importer.core.layout import lift_title_rows


def _table(*rows: tuple[str, ...]) -> Table:
    return Table(rows=tuple(Row(cells=r, line=i) for i, r in enumerate(rows, start=1)))


def test_title_rows_above_a_sheets_header_become_paragraphs():
    doc = Document(
        blocks=(
            _table(
                ("DANH MỤC NHIỆM VỤ NĂM 2026", "", ""),
                ("TT", "Tên nhiệm vụ", "Cơ quan chủ trì"),
                ("1", "Việc A", "Công an phường"),
            ),
        ),
        source_format="xlsx",
    )

    paragraph, table = lift_title_rows(doc).blocks

    assert paragraph == Paragraph(text="DANH MỤC NHIỆM VỤ NĂM 2026", line=1)
    assert isinstance(table, Table)
    assert [r.cells[0] for r in table.rows] == ["TT", "1"]


def test_a_table_whose_first_rows_hold_data_is_left_whole():
    table = _table(
        ("Ghi chú riêng", "", ""),
        ("1", "Việc A", "Công an phường"),
        ("TT", "Tên nhiệm vụ", "Cơ quan chủ trì"),
    )
    doc = Document(blocks=(table,), source_format="docx")

    assert lift_title_rows(doc) == doc
