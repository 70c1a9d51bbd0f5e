from __future__ import annotations

from theodoi.importer.core.document import Row, Table
from theodoi.importer.core.tables import (
    fold,
    is_header_row,
    is_results_table,
    starts_numbered,
    tidy_table,
)


def _table(*lines: tuple[str, ...]) -> Table:
    return Table(rows=tuple(Row(cells=cells, line=i) for i, cells in enumerate(lines, start=1)))


HEADER = ("TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Thời gian thực hiện")


def test_fold_drops_diacritics_and_case():
    assert fold("DANH MỤC NHIỆM VỤ  Đột phá") == "danh muc nhiem vu dot pha"


def test_header_row_is_made_of_header_words():
    assert is_header_row(HEADER)
    assert is_header_row(("(1) Mã Nhiệm vụ Tổng quát", "(5) Đơn vị Chủ trì (Rõ người)"))
    assert not is_header_row(("1", "Tuyên truyền về chuyển đổi số", "Phòng Văn hóa - Xã hội", ""))


def test_header_repeated_on_a_new_page_is_dropped():
    tidy = tidy_table(
        _table(HEADER, ("1", "Việc A", "Công an phường", "Quý I"), HEADER, ("2", "Việc B", "", ""))
    )

    assert tidy.header == HEADER
    assert [r.cells[1] for r in tidy.rows] == ["Việc A", "Việc B"]
    assert tidy.dropped_lines == (3,)


def test_row_split_by_a_page_break_is_merged_into_the_row_above():
    tidy = tidy_table(
        _table(
            HEADER,
            ("7", "Phát triển hạ tầng viễn", "Phòng Văn hóa - Xã hội", "Quý IV"),
            ("", "thông", "", ""),
        )
    )

    assert [r.cells for r in tidy.rows] == [
        ("7", "Phát triển hạ tầng viễn thông", "Phòng Văn hóa - Xã hội", "Quý IV")
    ]
    assert tidy.rows[0].line == 2
    assert tidy.merged_lines == (3,)


def test_row_without_number_but_with_its_own_lead_is_a_new_row():
    tidy = tidy_table(
        _table(
            HEADER,
            ("1", "Việc A", "Công an phường", "Quý I"),
            ("", "Tham mưu triển khai công dân số", "Công an phường", "Quý II"),
        ),
        anchor_columns=(2, 3),
    )

    assert len(tidy.rows) == 2


def test_capitalised_continuation_after_a_page_break_is_merged_when_it_fills_no_anchor():
    header = (*HEADER, "Sản phẩm")
    tidy = tidy_table(
        Table(
            rows=(
                Row(cells=header, line=1),
                Row(cells=("1", "Việc A", "Công an phường", "Quý I", "- Hệ thống chạy."), line=2),
                Row(cells=header, line=4),
                Row(cells=("", "", "", "", "- Hạ tầng được nâng cấp."), line=5),
            )
        ),
        anchor_columns=(2, 3),
    )

    assert [r.cells[4] for r in tidy.rows] == ["- Hệ thống chạy. - Hạ tầng được nâng cấp."]


def test_capitalised_title_only_row_without_a_page_break_is_a_row_of_its_own():
    tidy = tidy_table(
        _table(HEADER, ("1", "Việc A", "Công an phường", "Quý I"), ("Nhóm hạ tầng", "", "", "")),
        anchor_columns=(2, 3),
    )

    assert [r.cells[0] for r in tidy.rows] == ["1", "Nhóm hạ tầng"]


def test_numbered_row_is_never_a_continuation():
    tidy = tidy_table(
        _table(HEADER, ("1", "Việc A", "", ""), ("2", "việc b viết thường", "", "")),
        anchor_columns=(2, 3),
    )

    assert len(tidy.rows) == 2


def test_second_storey_of_a_header_joins_the_header():
    tidy = tidy_table(
        _table(
            ("TT", "Nhiệm vụ", "Thời gian", ""),
            ("", "", "Bắt đầu", "Kết thúc"),
            ("1", "Việc A", "Quý I", "Quý II"),
        )
    )

    assert tidy.header == ("TT", "Nhiệm vụ", "Thời gian Bắt đầu", "Kết thúc")
    assert [r.cells[0] for r in tidy.rows] == ["1"]


def test_short_rows_are_padded_to_the_table_width():
    tidy = tidy_table(_table(HEADER, ("I", "Chính quyền số")))

    assert tidy.rows[0].cells == ("I", "Chính quyền số", "", "")


def test_starts_numbered_knows_the_numberings_plans_use():
    for text in ("1", "1.", "1.2 Triển khai", "2.2. Triển khai", "IV. Nhân lực", "a) Kết quả"):
        assert starts_numbered(text), text
    for text in ("100% Tổ công nghệ số", "05 lớp tập huấn", "Công an phường", "thông"):
        assert not starts_numbered(text), text


def test_previous_year_results_table_is_recognised_by_its_heading():
    header = ("TT", "Nhiệm vụ", "Kết quả thực hiện", "Đánh giá")

    assert is_results_table(header, ["KẾT QUẢ THỰC HIỆN NĂM 2025"], 2026)
    assert is_results_table(("TT", "Nhiệm vụ", "Hoàn thành năm 2025"), [], 2026)


def test_targets_table_with_a_result_column_is_not_a_results_table():
    header = ("TT", "Chỉ tiêu", "Đơn vị tính", "Kết quả", "Cơ quan chủ trì theo dõi, đánh giá")
    context = ["Phụ lục I", "DANH MỤC CÁC MỤC TIÊU CỤ THỂ", "(Kèm theo Kế hoạch ngày /11/2025)"]

    assert not is_results_table(header, context, 2026)


def test_task_table_is_not_a_results_table():
    assert not is_results_table(HEADER, ["DANH MỤC NHIỆM VỤ NĂM 2026"], 2026)
