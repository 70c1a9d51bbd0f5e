from __future__ import annotations

from typing import Any

from theodoi.importer.core.document import Document, Paragraph, Row, Table
from theodoi.importer.core.readers.text import read_text
from theodoi.importer.core.tasks import column_roles, extract_tasks
from theodoi.importer.core.units import UnitMatcher

MATCHER = UnitMatcher(commune_kind="phường")
HEADER = "TT\tTên nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện"


def _rows(*rows: tuple[str, ...]) -> str:
    return "\n".join("\t".join(r) for r in rows)


def _extract(
    text: str, year: int = 2026
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    return extract_tasks(read_text(text), year=year, matcher=MATCHER)


def _by_code(tasks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {t["code"]: t for t in tasks}


def test_task_row_gives_name_units_and_deadline():
    text = "\n".join(
        [
            "DANH MỤC NHIỆM VỤ",
            HEADER,
            _rows(
                ("1", "Tuyên truyền về chuyển đổi số", "Phòng VHXH", "CA phường; VPĐU", "Quý II")
            ),
        ]
    )

    (task,), results, warnings = _extract(text)

    assert task["code"] == "1"
    assert task["parent"] is None
    assert task["name"] == "Tuyên truyền về chuyển đổi số"
    assert task["lead"] == ["Phòng Văn hóa - Xã hội"]
    assert task["support"] == ["Công an phường", "Văn phòng Đảng ủy"]
    assert task["deadline"]["due"] == "2026-06-30"
    assert task["line"] == 3
    assert results == [] and warnings == []


def test_task_keys_follow_the_contract_order():
    (task,), _, _ = _extract(HEADER + "\n" + _rows(("1", "Việc", "Công an phường", "", "Quý I")))

    assert list(task) == [
        "code",
        "parent",
        "group",
        "name",
        "output",
        "kpi",
        "lead",
        "support",
        "deadline",
        "note",
        "missing",
        "line",
    ]


def test_columns_are_found_by_header_words_in_any_order_and_subset():
    text = "\n".join(
        [
            "Thời hạn\tNội dung nhiệm vụ\tSTT\tĐơn vị chủ trì\tGhi chú\tKết quả đầu ra",
            _rows(
                ("Tháng 02/2026", "Xây dựng hệ thống", "4", "VPĐU", "Theo tỉnh", "Hệ thống chạy")
            ),
        ]
    )

    (task,), _, _ = _extract(text)

    assert task["code"] == "4"
    assert task["name"] == "Xây dựng hệ thống"
    assert task["lead"] == ["Văn phòng Đảng ủy"]
    assert task["output"] == "Hệ thống chạy"
    assert task["note"] == "Theo tỉnh"
    assert task["deadline"]["due"] == "2026-02-28"


def test_header_words_without_diacritics_or_in_capitals_are_recognised():
    roles = column_roles(["STT", "TEN NHIEM VU", "Co quan chu tri", "THỜI GIAN"])

    assert roles == {"code": 0, "name": 1, "lead": 2, "deadline": 3}


def test_two_storey_header_gives_the_end_column_as_deadline_and_splits_lead_from_support():
    text = "\n".join(
        [
            "TT\tNội dung nhiệm vụ\tCơ quan thực hiện\t\tThời gian\t",
            "\t\tChủ trì\tPhối hợp\tBắt đầu\tKết thúc",
            _rows(
                ("1", "Số hóa hồ sơ", "Công an phường", "VPĐU", "Tháng 01/2026", "Tháng 06/2026")
            ),
        ]
    )

    (task,), _, _ = _extract(text)

    assert task["lead"] == ["Công an phường"]
    assert task["support"] == ["Văn phòng Đảng ủy"]
    assert task["deadline"]["due"] == "2026-06-30"


def test_unnamed_last_column_with_text_is_the_note():
    roles = column_roles(["TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", ""])

    assert roles["note"] == 4


def test_roman_group_rows_set_the_group_and_numbers_running_on_stay_bare():
    text = "\n".join(
        [
            HEADER,
            _rows(
                ("I", "Chính quyền số", "", "", ""),
                ("1", "Việc A", "Công an phường", "", "Quý I"),
                ("2", "Việc B", "Công an phường", "", "Quý I"),
                ("II", "Kinh tế số", "", "", ""),
                ("3", "Việc C", "Công an phường", "", "Quý I"),
            ),
        ]
    )

    tasks, _, _ = _extract(text)

    assert [(t["code"], t["group"]) for t in tasks] == [
        ("1", "Chính quyền số"),
        ("2", "Chính quyền số"),
        ("3", "Kinh tế số"),
    ]


def test_heading_only_row_sets_the_group():
    text = "\n".join(
        [
            HEADER,
            _rows(
                ("<b>I. Nâng cao nhận thức</b>", "", "", "", ""),
                ("1", "Việc A", "Công an phường", "", "Quý I"),
                ("Nhóm nhiệm vụ hạ tầng", "", "", "", ""),
                ("2", "Việc B", "Công an phường", "", "Quý I"),
            ),
        ]
    )

    tasks, _, _ = _extract(text)

    assert [(t["code"], t["group"]) for t in tasks] == [
        ("1", "Nâng cao nhận thức"),
        ("2", "Nhóm nhiệm vụ hạ tầng"),
    ]


def test_row_split_across_a_page_break_is_one_task_and_repeated_header_is_not_a_task():
    text = "\n".join(
        [
            HEADER,
            _rows(
                (
                    "7",
                    "Phát triển hạ tầng viễn thông",
                    "Phòng VHXH",
                    "Các doanh nghiệp viễn",
                    "Quý IV",
                )
            ),
            "",
            _rows(("", "", "", "thông", "")),
            HEADER,
            _rows(("8", "Tập huấn kỹ năng số", "Phòng VHXH", "", "Quý III")),
        ]
    )

    tasks, _, _ = _extract(text)

    assert [t["code"] for t in tasks] == ["7", "8"]
    assert tasks[0]["support"] == ["Các doanh nghiệp viễn thông"]


def test_general_task_with_several_sub_tasks_is_a_parent_with_children():
    header = "Nhiệm vụ tổng quát\tTiểu nhiệm vụ\tSản phẩm đầu ra\tĐơn vị chủ trì\tThời hạn"
    text = "\n".join(
        [
            header,
            _rows(
                ("<b>V. Chuyển đổi số</b>", "", "", "", ""),
                (
                    "1. Tiếp nhận hệ thống",
                    "1.1 Triển khai Nội chính;",
                    "HT Nội chính",
                    "VPĐU",
                    "2026",
                ),
                ("", "1.2 Triển khai Tuyên giáo;", "HT Tuyên giáo", "Ban xây dựng Đảng", "2026"),
                (
                    "2. Làm sạch dữ liệu",
                    "Làm sạch dữ liệu dân cư",
                    "CSDL sạch",
                    "CA phường",
                    "Quý I",
                ),
                ("", "Tham mưu công dân số", "Nghị quyết", "CA phường", "Quý II"),
            ),
        ]
    )

    tasks, _, _ = _extract(text)
    by_code = _by_code(tasks)

    assert [t["code"] for t in tasks] == ["1", "1.1", "1.2", "2", "2.1", "2.2"]
    assert by_code["1"]["name"] == "Tiếp nhận hệ thống"
    assert by_code["1"]["lead"] == []  # the parent only groups; its children carry the work
    assert by_code["1.2"]["parent"] == "1"
    assert by_code["1.2"]["name"] == "Triển khai Tuyên giáo"
    assert by_code["1.2"]["lead"] == ["Ban Xây dựng Đảng"]
    assert by_code["2.2"]["name"] == "Tham mưu công dân số"
    assert by_code["2.2"]["deadline"]["due"] == "2026-06-30"


def test_general_task_with_one_sub_task_is_one_task():
    header = "Nhiệm vụ tổng quát\tTiểu nhiệm vụ\tSản phẩm đầu ra\tĐơn vị chủ trì\tThời hạn"
    text = "\n".join(
        [
            header,
            _rows(
                (
                    "1. Ban hành Quy chế bảo vệ dữ liệu",
                    "Xây dựng Quy chế bảo vệ dữ liệu",
                    "Quy chế",
                    "CA phường",
                    "Quý I",
                ),
                (
                    "2. Triển khai Đề án của tỉnh",
                    "Xây dựng Đề án của phường",
                    "Đề án",
                    "UBND phường",
                    "Quý I",
                ),
            ),
        ]
    )

    first, second = _extract(text)[0]

    assert (first["code"], first["parent"], first["output"]) == ("1", None, "Quy chế")
    assert first["name"] == "Ban hành Quy chế bảo vệ dữ liệu"
    # The sub-task says what the general task does not: both are kept.
    assert second["name"] == "Triển khai Đề án của tỉnh: Xây dựng Đề án của phường"
    assert second["lead"] == ["Ủy ban nhân dân phường"]


def test_numbered_sub_rows_under_a_numbered_row_are_children():
    text = "\n".join(
        [
            HEADER,
            _rows(
                ("1", "Hạ tầng số", "", "", ""),
                ("1.1", "Phủ sóng 5G", "Phòng VHXH", "", "Quý IV"),
                ("1.2", "Cáp quang", "Phòng VHXH", "", "Quý IV"),
                ("2", "Dữ liệu số", "Công an phường", "", "Quý I"),
            ),
        ]
    )

    tasks, _, _ = _extract(text)

    assert [(t["code"], t["parent"]) for t in tasks] == [
        ("1", None),
        ("1.1", "1"),
        ("1.2", "1"),
        ("2", None),
    ]


def test_codes_are_generated_where_the_document_numbers_nothing():
    header = "Nội dung công việc\tĐơn vị chủ trì\tThời hạn"
    text = "\n".join(
        [
            header,
            _rows(
                ("III. Hạ tầng", "", ""),
                ("Triển khai mạng vệ tinh", "UBND phường", "Quý IV/2026"),
                ("Triển khai cáp quang", "UBND phường", "Quý IV/2026"),
            ),
        ]
    )

    tasks, _, _ = _extract(text)

    assert [t["code"] for t in tasks] == ["III.1", "III.2"]


def test_duplicate_codes_are_made_unique_with_a_warning():
    text = "\n".join(
        [
            HEADER,
            _rows(
                ("1", "Việc A", "Công an phường", "", "Quý I"),
                ("1", "Việc B", "Công an phường", "", "Quý I"),
            ),
        ]
    )

    tasks, _, warnings = _extract(text)

    assert [t["code"] for t in tasks] == ["1", "1-2"]
    assert any("bị trùng" in w for w in warnings)


def test_task_row_without_a_name_is_kept_and_reported():
    text = HEADER + "\n" + _rows(("3", "", "Công an phường", "", "Quý I"))

    (task,), _, warnings = _extract(text)

    assert task["name"] == "" and task["lead"] == ["Công an phường"]
    assert any("không có tên nhiệm vụ" in w for w in warnings)


def test_task_table_in_markdown_pipes_is_read_like_a_tab_table():
    text = "\n".join(
        [
            "| TT | Tên nhiệm vụ | Cơ quan chủ trì | Thời hạn |",
            "|---|---|---|---|",
            "| 1 | Số hóa hồ sơ | Trung tâm PVHCC | Tháng 10/2026 |",
        ]
    )

    (task,), _, _ = _extract(text)

    assert task["lead"] == ["Trung tâm Phục vụ hành chính công"]
    assert task["deadline"]["due"] == "2026-10-31"


def test_previous_year_results_table_goes_to_results_never_to_tasks():
    text = "\n".join(
        [
            "Phụ lục 1",
            "KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2025",
            "TT\tNhiệm vụ\tCơ quan chủ trì\tKết quả thực hiện\tĐánh giá\tThời gian thực hiện",
            _rows(
                ("I", "Chính quyền số", "", "", "", ""),
                ("1", "Số hóa hồ sơ", "Công an phường", "Đạt 98%", "Hoàn thành", "Quý IV/2025"),
                ("2", "Tập huấn", "Phòng VHXH", "Mới tổ chức 1 lớp", "Chưa hoàn thành", "2025"),
            ),
            "Phụ lục 2",
            "DANH MỤC NHIỆM VỤ NĂM 2026",
            HEADER,
            _rows(("1", "Tuyên truyền", "Phòng VHXH", "", "Quý I")),
        ]
    )

    tasks, results, _ = _extract(text)

    assert [t["name"] for t in tasks] == ["Tuyên truyền"]
    assert results == [
        {
            "code": "1",
            "group": "Chính quyền số",
            "name": "Số hóa hồ sơ",
            "lead": ["Công an phường"],
            "planned": None,
            "result": "Đạt 98%",
            "evaluation": "Hoàn thành",
            "status": "completed",
            "note": None,
            "line": 5,
        },
        {
            "code": "2",
            "group": "Chính quyền số",
            "name": "Tập huấn",
            "lead": ["Phòng Văn hóa - Xã hội"],
            "planned": None,
            "result": "Mới tổ chức 1 lớp",
            "evaluation": "Chưa hoàn thành",
            "status": "not_completed",
            "note": None,
            "line": 6,
        },
    ]


def test_previous_year_targets_table_goes_to_results():
    text = "\n".join(
        [
            "TT\tChỉ tiêu\tĐVT\tKế hoạch 2025\tThực hiện 2025\tĐánh giá",
            _rows(("1", "Tỷ lệ hồ sơ trực tuyến", "%", "90", "92,5", "Vượt chỉ tiêu")),
        ]
    )

    tasks, (result,), _ = _extract(text)

    assert tasks == []
    assert (result["name"], result["planned"], result["result"]) == (
        "Tỷ lệ hồ sơ trực tuyến",
        "90",
        "92,5",
    )
    assert result["status"] == "completed"


def test_results_status_is_read_from_a_ticked_column():
    text = "\n".join(
        [
            "TT\tNội dung\tĐã hoàn thành\tĐang thực hiện\tChưa hoàn thành",
            _rows(("1", "Việc A", "", "x", ""), ("2", "Việc B", "X", "", "")),
        ]
    )

    tasks, results, _ = _extract(text)

    assert tasks == []
    assert [r["status"] for r in results] == ["in_progress", "completed"]


def test_targets_table_gives_no_tasks_and_no_results():
    text = "\n".join(
        [
            "Phụ lục I",
            "DANH MỤC CÁC MỤC TIÊU CỤ THỂ",
            "TT\tChỉ tiêu\tĐơn vị tính\tKết quả\tCơ quan chủ trì theo dõi, đánh giá",
            _rows(("1", "Tỷ lệ phủ sóng 5G", "%", ">95", "Phòng VHXH")),
        ]
    )

    tasks, results, warnings = _extract(text)

    assert tasks == [] and results == []
    assert any("Không tìm thấy danh mục nhiệm vụ" in w for w in warnings)


def test_content_column_of_a_targets_table_is_not_a_task_name():
    text = "\n".join(
        [
            "TT\tNội dung\tĐơn vị tính\tChỉ tiêu năm 2026\tCơ quan chủ trì\tThời gian",
            _rows(("1", "Tỷ lệ hồ sơ trực tuyến", "%", "≥ 90", "Trung tâm PVHCC", "2026")),
        ]
    )

    tasks, results, _ = _extract(text)

    assert tasks == [] and results == []


def test_content_column_is_the_task_name_in_a_plain_task_table():
    roles = column_roles(["STT", "Nội dung", "Chủ trì", "Phối hợp", "Thời gian hoàn thành"])

    assert roles == {"code": 0, "name": 1, "lead": 2, "support": 3, "deadline": 4}


def test_table_continued_after_a_page_footer_keeps_its_columns():
    doc = Document(
        blocks=(
            Paragraph(text="DANH MỤC NHIỆM VỤ", line=1),
            Table(
                rows=(
                    Row(cells=("TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"), line=2),
                    Row(cells=("1", "Phát triển hạ tầng viễn", "Phòng VHXH", "Quý IV"), line=3),
                )
            ),
            Paragraph(text="2", line=4),  # the page number
            Table(
                rows=(
                    Row(cells=("", "thông", "", ""), line=5),
                    Row(cells=("2", "Tập huấn", "Công an phường", "Quý I"), line=6),
                )
            ),
        ),
        source_format="pdf",
    )

    tasks, _, _ = extract_tasks(doc, year=2026, matcher=MATCHER)

    assert [(t["code"], t["name"]) for t in tasks] == [
        ("1", "Phát triển hạ tầng viễn thông"),
        ("2", "Tập huấn"),
    ]


def test_prose_tasks_are_read_only_when_the_plan_has_no_task_table():
    text = "\n".join(
        [
            "II. MỤC TIÊU",
            "1. Mục tiêu cụ thể",
            "- Tỷ lệ phủ sóng 5G đạt 95%.",
            "III. NHIỆM VỤ VÀ GIẢI PHÁP",
            "Trên cơ sở đó, xác định các nhiệm vụ sau:",
            "1. Hạ tầng số",
            "1.1. Phát triển hạ tầng viễn thông trên địa bàn phường theo kế hoạch của",
            "tỉnh.",
            "1.2. Rà soát máy tính cho công chức.",
            "2. Nhân lực số",
            "- Tập huấn kỹ năng số cho Tổ công nghệ số cộng đồng.",
            "IV. TỔ CHỨC THỰC HIỆN",
            "1. Phòng Văn hóa - Xã hội",
            "- Theo dõi, tổng hợp kết quả.",
        ]
    )

    tasks, _, warnings = _extract(text)

    assert [(t["code"], t["group"], t["name"]) for t in tasks] == [
        (
            "1.1",
            "Hạ tầng số",
            "Phát triển hạ tầng viễn thông trên địa bàn phường theo kế hoạch của tỉnh.",
        ),
        ("1.2", "Hạ tầng số", "Rà soát máy tính cho công chức."),
        ("2.1", "Nhân lực số", "Tập huấn kỹ năng số cho Tổ công nghệ số cộng đồng."),
    ]
    assert tasks[0]["lead"] == [] and tasks[0]["deadline"]["kind"] == "unspecified"
    assert any("không có bảng danh mục nhiệm vụ" in w for w in warnings)


def test_previous_year_section_is_not_a_source_of_prose_tasks():
    text = "\n".join(
        [
            "I. TÌNH HÌNH THỰC HIỆN CÁC NHIỆM VỤ NĂM 2025",
            "1. Chính quyền số",
            "- Đã triển khai phần mềm quản lý văn bản.",
        ]
    )

    tasks, _, _ = _extract(text)

    assert tasks == []


def test_prose_tasks_are_ignored_when_a_task_table_exists():
    text = "\n".join(
        [
            "III. NHIỆM VỤ VÀ GIẢI PHÁP",
            "1. Hạ tầng số",
            "- Phát triển hạ tầng viễn thông.",
            "Phụ lục 2",
            HEADER,
            _rows(("1", "Tuyên truyền", "Phòng VHXH", "", "Quý I")),
        ]
    )

    tasks, _, _ = _extract(text)

    assert [t["name"] for t in tasks] == ["Tuyên truyền"]


def test_numbers_restarting_in_each_group_get_the_group_numeral_in_front():
    text = "\n".join(
        [
            HEADER,
            _rows(
                ("I", "Chính quyền số", "", "", ""),
                ("1", "Việc A", "Công an phường", "", "Quý I"),
                ("2", "Việc B", "Công an phường", "", "Quý I"),
                ("II", "Kinh tế số", "", "", ""),
                ("1", "Việc C", "Công an phường", "", "Quý I"),
            ),
        ]
    )

    tasks, _, warnings = _extract(text)

    assert [t["code"] for t in tasks] == ["I.1", "I.2", "II.1"]
    assert warnings == []


def test_numbered_group_row_with_one_child_is_a_group_not_a_parent_task():
    header = "TT\tNhiệm vụ\tThời gian thực hiện\tCơ quan thực hiện\tCơ quan phối hợp"
    text = "\n".join(
        [
            header,
            _rows(
                ("1", "Nhận thức số", "", "", ""),
                ("1.1", "Tập huấn kỹ năng số", "Quý II/2026", "Phòng VHXH", ""),
                ("1.2", "Tuyên truyền định danh điện tử", "Thường xuyên", "CA phường", ""),
                ("2", "Chính quyền số", "", "", ""),
                ("2.1", "Số hóa hồ sơ thủ tục hành chính", "Tháng 9/2026", "CA phường", ""),
            ),
        ]
    )

    tasks, _, _ = _extract(text)

    assert [(t["code"], t["parent"], t["group"]) for t in tasks] == [
        ("1.1", None, "Nhận thức số"),
        ("1.2", None, "Nhận thức số"),
        ("2.1", None, "Chính quyền số"),
    ]
    assert tasks[2]["name"] == "Số hóa hồ sơ thủ tục hành chính"
    assert tasks[2]["deadline"]["due"] == "2026-09-30"


def test_bare_numbered_row_among_tasks_that_carry_their_fields_is_a_parent():
    text = "\n".join(
        [
            HEADER,
            _rows(
                ("1", "Việc A", "Công an phường", "", "Quý I"),
                ("2", "Triển khai các nền tảng số", "", "", ""),
                ("2.1", "Phòng họp không giấy", "Công an phường", "", "Quý II"),
                ("2.2", "Báo cáo định kỳ qua hệ thống", "Công an phường", "", "Quý III"),
            ),
        ]
    )

    tasks, _, _ = _extract(text)

    assert [(t["code"], t["parent"]) for t in tasks] == [
        ("1", None),
        ("2", None),
        ("2.1", "2"),
        ("2.2", "2"),
    ]


def test_columns_without_telling_headers_are_read_by_what_their_cells_hold():
    text = "\n".join(
        [
            "STT\tNội dung công việc\tĐơn vị\tCùng làm\tLịch",
            _rows(
                ("1", "Việc A", "Công an phường", "Phòng VHXH", "Quý I/2026"),
                ("2", "Việc B", "Phòng VHXH", "Công an phường", "Tháng 5/2026"),
                ("3", "Việc C", "Công an phường", "", "Thường xuyên"),
            ),
        ]
    )

    tasks, _, _ = _extract(text)

    assert [t["lead"] for t in tasks] == [
        ["Công an phường"],
        ["Phòng Văn hóa - Xã hội"],
        ["Công an phường"],
    ]
    assert tasks[0]["support"] == ["Phòng Văn hóa - Xã hội"]
    assert [t["deadline"]["due"] for t in tasks] == ["2026-03-31", "2026-05-31", "2026-12-31"]


def test_header_words_for_the_deadline_in_other_plans_are_read():
    for word in ("Lộ trình", "Mốc hoàn thành", "Thời gian hoàn thành"):
        roles = column_roles(["TT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", word])

        assert roles["deadline"] == 3, word


def test_unit_continued_after_a_page_break_is_the_next_unit_of_the_list():
    text = "\n".join(
        [
            HEADER,
            _rows(("1", "Hỗ trợ hộ kinh doanh mở gian hàng", "Phòng VHXH", "CA phường", "Quý I")),
            "",
            HEADER,
            _rows(("", "trên sàn thương mại điện tử", "", "Văn phòng Đảng ủy", "")),
        ]
    )

    (task,), _, _ = _extract(text)

    assert task["name"] == "Hỗ trợ hộ kinh doanh mở gian hàng trên sàn thương mại điện tử"
    assert task["support"] == ["Công an phường", "Văn phòng Đảng ủy"]


def test_a_table_that_numbers_nothing_gets_generated_codes():
    text = "\n".join(
        [
            "Nội dung công việc\tCơ quan thực hiện\tThời hạn",
            _rows(("Việc A", "Công an phường", "Quý I"), ("Việc B", "Phòng VHXH", "Quý II")),
        ]
    )

    tasks, _, _ = _extract(text)

    assert [t["code"] for t in tasks] == ["T1", "T2"]
