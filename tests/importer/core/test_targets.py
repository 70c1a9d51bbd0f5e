"""Targets ("chỉ tiêu") from a plan: its targets table, else its prose section."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from theodoi.importer.core.document import Document, Paragraph, Row, Table
from theodoi.importer.core.readers.text import read_text
from theodoi.importer.core.targets import extract_targets
from theodoi.importer.core.units import UnitMatcher

from ...conftest import PLANS_DIR

PLANS = PLANS_DIR


def targets_of(text: str, year: int = 2026) -> tuple[list[dict[str, Any]], list[str]]:
    return extract_targets(read_text(text), year=year, matcher=UnitMatcher(commune_kind="phường"))


@pytest.fixture(scope="module")
def plan_targets() -> dict[str, list[dict[str, Any]]]:
    found = {}
    for name in ("quyetthang", "backan", "phuocbinh"):
        targets, warnings = targets_of((PLANS / f"{name}-2026.txt").read_text(encoding="utf-8"))
        assert warnings == []
        found[name] = targets
    return found


def by_code(targets: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {t["code"]: t for t in targets}


# --- Quyết Thắng: prose bullets under "2. Mục tiêu, chỉ tiêu cụ thể" ---------------------------


def test_quyetthang_has_thirteen_targets_ten_of_them_quantitative(plan_targets):
    targets = plan_targets["quyetthang"]
    assert len(targets) == 13
    assert Counter(t["kind"] for t in targets) == {"quantitative": 10, "qualitative": 3}


def test_quyetthang_targets_sit_under_their_numbered_sub_headings(plan_targets):
    groups = [t["group"] for t in plan_targets["quyetthang"]]
    assert groups == (
        ["Tiếp tục thực hiện phát triển chính quyền số nâng cao hiệu quả, hiệu lực hoạt động"] * 5
        + ["Kinh tế số"] * 3
        + ["Xã hội số"] * 5
    )


def test_unnumbered_bullets_get_generated_codes_and_their_own_lines(plan_targets):
    targets = plan_targets["quyetthang"]
    assert [t["code"] for t in targets] == [f"T{i}" for i in range(1, 14)]
    first = targets[0]
    assert first["line"] == 134
    assert (first["comparator"], first["value"], first["measure_unit"]) == (">", 90, "%")


def test_quyetthang_general_goal_is_not_a_target(plan_targets):
    names = " ".join(t["name"] for t in plan_targets["quyetthang"])
    assert "3 trụ cột" not in names


# --- Bắc Kạn: the annex table is the list ------------------------------------------------------


def test_backan_annex_gives_21_targets_in_four_groups(plan_targets):
    targets = plan_targets["backan"]
    assert [t["code"] for t in targets] == [str(i) for i in range(1, 22)]
    counts = Counter(t["group"] for t in targets)
    assert list(counts.items()) == [
        ("Phát triển hạ tầng", 5),
        ("Phát triển nguồn lực", 3),
        ("Phát triển chuyển đổi số", 11),
        ("An toàn, an ninh mạng", 2),
    ]


def test_backan_prose_that_repeats_the_annex_adds_nothing(plan_targets):
    # The prose of "2. Mục tiêu cụ thể" (lines 41-67) says the same as the annex (lines 302+).
    assert all(t["line"] >= 302 for t in plan_targets["backan"])


def test_backan_values_units_comparators_and_owners_come_from_their_columns(plan_targets):
    targets = by_code(plan_targets["backan"])
    iot = targets["5"]
    assert (iot["kind"], iot["comparator"], iot["value"], iot["measure_unit"]) == (
        "quantitative",
        ">=",
        2,
        "IoT",
    )
    coverage = targets["1"]
    assert (coverage["comparator"], coverage["value"], coverage["measure_unit"]) == (">", 95, "%")
    assert coverage["owner"] == ["Phòng Văn hóa - Xã hội"]
    assert (targets["15"]["comparator"], targets["15"]["value"]) == (">=", 80)
    assert targets["19"]["owner"] == ["Công an phường"]
    assert targets["3"]["owner"] == ["Các cơ quan, đơn vị"]
    assert all(t["upper_level"] is None for t in targets.values())


def test_backan_row_after_the_repeated_header_keeps_its_group_and_line(plan_targets):
    tenth = by_code(plan_targets["backan"])["10"]
    assert tenth["group"] == "Phát triển chuyển đổi số"
    assert tenth["line"] == 317
    assert tenth["name"] == "Giao dịch hành chính thuộc diện “phi tiếp xúc”"


# --- Phước Bình: numbered prose "(1)..." under "1.1."... ---------------------------------------


def test_phuocbinh_has_36_targets_of_which_3_qualitative(plan_targets):
    targets = plan_targets["phuocbinh"]
    assert len(targets) == 36
    qualitative = [t["code"] for t in targets if t["kind"] == "qualitative"]
    assert qualitative == ["1.3", "1.4.2", "1.5.20"]


def test_phuocbinh_item_holding_two_targets_gives_two(plan_targets):
    targets = by_code(plan_targets["phuocbinh"])
    first, second = targets["1.5.16a"], targets["1.5.16b"]
    assert (first["comparator"], first["value"]) == (">=", 60)
    assert (second["comparator"], second["value"]) == (">=", 80)
    assert first["line"] == second["line"] == 81


def test_phuocbinh_top_ten_is_a_rank_target(plan_targets):
    rank = by_code(plan_targets["phuocbinh"])["1.5.1"]
    assert (rank["kind"], rank["comparator"], rank["value"]) == ("rank", "<=", 10)
    assert rank["group"] == "Phát triển chuyển đổi số"


def test_numbers_restarting_under_each_group_are_prefixed_with_the_group_number(plan_targets):
    codes = [t["code"] for t in plan_targets["phuocbinh"]]
    assert codes[:3] == ["1.1.1", "1.1.2", "1.2.1"]
    assert len(set(codes)) == len(codes)


def test_sub_heading_with_its_target_on_the_same_line_names_the_group(plan_targets):
    science = by_code(plan_targets["phuocbinh"])["1.3"]
    assert science["group"] == "Phát triển Khoa học, Công nghệ"
    assert science["name"].startswith("Triển khai Ứng dụng AI")


def test_phuocbinh_requirements_are_not_targets(plan_targets):
    assert all(t["line"] < 101 for t in plan_targets["phuocbinh"])


# --- Targets tables of other layouts -----------------------------------------------------------


UPPER_LEVEL_TABLE = """\
II. MỤC TIÊU
1. Tỷ lệ hồ sơ trực tuyến đạt 70%.
PHỤ LỤC I. CHỈ TIÊU CHUYỂN ĐỔI SỐ NĂM 2026
STT\tTên chỉ tiêu\tĐVT\tChỉ tiêu của thành phố\tChỉ tiêu năm 2026\tĐơn vị chủ trì\tGhi chú
A\tChính quyền số\t\t\t\t\t
1\tTỷ lệ người dân có tài khoản định danh điện tử (VNeID)\t%\t≥ 82%\t> 82%\tCông an phường\t
2\tTỷ lệ hồ sơ xử lý trực tuyến\t%\t90\t95\tPhòng VH-XH; Trung tâm PVHCC\t
"""


def test_table_with_an_upper_level_column_keeps_both_targets():
    targets, warnings = targets_of(UPPER_LEVEL_TABLE)
    assert warnings == []
    first, second = targets
    assert (first["comparator"], first["value"]) == (">", 82)
    assert first["upper_level"]["comparator"] == ">="
    assert first["upper_level"]["value"] == 82
    assert first["group"] == "Chính quyền số"
    assert second["owner"] == ["Phòng Văn hóa - Xã hội", "Trung tâm Phục vụ hành chính công"]
    assert second["upper_level"]["value"] == 90


HORIZONS_TABLE = """\
TT\tChỉ tiêu\tĐơn vị tính\tNăm 2026\tNăm 2030\tNăm 2045\tCơ quan theo dõi
1\tTỷ lệ dân số trưởng thành có chữ ký số\t%\t≥ 50\t80\t100\tCông an phường
"""


def test_several_horizons_give_the_plan_years_value_and_keep_the_others_in_text():
    (target,), _ = targets_of(HORIZONS_TABLE)
    assert (target["comparator"], target["value"]) == (">=", 50)
    assert "năm 2030: 80" in target["value_text"]
    assert "năm 2045: 100" in target["value_text"]


def test_a_table_without_the_plan_years_column_says_which_column_it_used():
    (target,), warnings = targets_of(HORIZONS_TABLE, year=2027)
    assert target["value"] == 80
    assert warnings and "2027" in warnings[0]


def test_bare_year_column_headers_are_horizons():
    text = "STT\tNội dung chỉ tiêu\tĐơn vị tính\t2026\t2030\n1\tSố mô hình chợ 4.0\tchợ\t02\t05\n"
    (target,), warnings = targets_of(text)
    assert warnings == []
    assert (target["value"], target["measure_unit"]) == (2, "chợ")
    assert target["upper_level"] is None
    assert "năm 2030: 05" in target["value_text"]


def test_table_row_split_by_a_page_break_is_one_target():
    text = (
        "TT\tChỉ tiêu\tĐơn vị tính\tKết quả\tCơ quan chủ trì\n"
        "1\tTỷ lệ hộ gia đình có cáp quang\t%\t80\tPhòng Văn hóa - Xã hội\n"
        "\n"
        "\tbăng rộng tốc độ cao\t\t\t\n"
        "2\tSố lớp tập huấn kỹ năng số\tlớp\t05\tPhòng Văn hóa - Xã hội\n"
    )
    targets, _ = targets_of(text)
    assert [t["name"] for t in targets] == [
        "Tỷ lệ hộ gia đình có cáp quang băng rộng tốc độ cao",
        "Số lớp tập huấn kỹ năng số",
    ]
    assert (targets[1]["value"], targets[1]["measure_unit"]) == (5, "lớp")


def test_a_group_title_merged_across_the_row_sets_the_group():
    doc = Document(
        blocks=(
            Table(
                rows=(
                    Row(("TT", "Chỉ tiêu", "ĐVT", "Mục tiêu", "Đơn vị thực hiện"), 10),
                    Row(("II. Kinh tế số", "", "", "", ""), 11),
                    Row(
                        ("1", "Doanh nghiệp dùng hóa đơn điện tử", "%", "100", "Phòng Kinh tế"), 12
                    ),
                )
            ),
        ),
        source_format="docx",
    )
    (target,), _ = extract_targets(doc, year=2026, matcher=UnitMatcher(commune_kind="xã"))
    assert target["group"] == "Kinh tế số"
    assert target["code"] == "1"
    assert target["owner"] == ["Phòng Kinh tế"]


def test_last_years_results_table_is_not_the_targets_list():
    text = (
        "I. KẾT QUẢ THỰC HIỆN NĂM 2025\n"
        "TT\tChỉ tiêu\tKết quả thực hiện năm 2025\tĐánh giá\n"
        "1\tTỷ lệ hồ sơ trực tuyến\t85%\tHoàn thành\n"
        "II. MỤC TIÊU NĂM 2026\n"
        "- Tỷ lệ hồ sơ trực tuyến đạt 95%.\n"
    )
    (target,), _ = targets_of(text)
    assert target["value"] == 95
    assert target["line"] == 5


def test_a_tasks_table_is_not_a_targets_table():
    text = (
        "TT\tTên nhiệm vụ\tCơ quan chủ trì\tThời gian thực hiện\n"
        "1\tTriển khai 100% hồ sơ trực tuyến\tPhòng Văn hóa - Xã hội\tQuý I\n"
    )
    targets, warnings = targets_of(text)
    assert targets == []
    assert "Không tìm thấy chỉ tiêu" in warnings[0]


# --- Prose of other layouts --------------------------------------------------------------------


def test_prose_bullet_with_two_targets_gives_two():
    text = (
        "II. MỤC TIÊU CỤ THỂ\n"
        "- Tỷ lệ hồ sơ trực tuyến đạt 90%; tỷ lệ thanh toán trực tuyến đạt trên 50%.\n"
    )
    targets, _ = targets_of(text)
    assert [(t["comparator"], t["value"]) for t in targets] == [(">=", 90), (">", 50)]
    assert [t["code"] for t in targets] == ["T1", "T2"]
    assert [t["line"] for t in targets] == [2, 2]


def test_letter_groups_and_plus_bullets_without_diacritics_in_the_heading():
    text = (
        "2. Muc tieu cu the\n"
        "a) Chính quyền số:\n"
        "+ 100% văn bản được ký số.\n"
        "+ Tỷ lệ hồ sơ trực tuyến đạt 95%.\n"
        "b) Xã hội số:\n"
        "+ 90% hộ gia đình có cáp quang.\n"
        "3. Nhiệm vụ\n"
        "+ Tuyên truyền 100% tổ dân phố.\n"
    )
    targets, _ = targets_of(text)
    assert [(t["group"], t["value"]) for t in targets] == [
        ("Chính quyền số", 100),
        ("Chính quyền số", 95),
        ("Xã hội số", 90),
    ]


def test_numbered_targets_keep_their_numbers_as_codes():
    text = (
        "III. CHỈ TIÊU NĂM 2026\n"
        "1) Tỷ lệ người dân có chữ ký số đạt 50%.\n"
        "2) Có ít nhất 01 mô hình chợ 4.0.\n"
        "3) Đẩy mạnh ứng dụng trí tuệ nhân tạo.\n"
        "IV. NHIỆM VỤ\n"
    )
    targets, _ = targets_of(text)
    assert [t["code"] for t in targets] == ["1", "2", "3"]
    assert [t["kind"] for t in targets] == ["quantitative", "quantitative", "qualitative"]
    assert targets[1]["value"] == 1


def test_general_goals_and_requirements_under_the_goals_heading_are_skipped():
    text = (
        "I. MỤC TIÊU, YÊU CẦU\n"
        "1. Mục tiêu chung\n"
        "Phấn đấu 100% người dân được hưởng lợi từ chuyển đổi số.\n"
        "2. Mục tiêu cụ thể\n"
        "- Tỷ lệ hồ sơ trực tuyến đạt 95%.\n"
        "3. Yêu cầu\n"
        "- Bảo đảm 100% nhiệm vụ rõ người, rõ việc.\n"
    )
    (target,), _ = targets_of(text)
    assert target["value"] == 95
    assert target["group"] is None


def test_a_statement_cut_by_a_page_break_is_one_target():
    text = (
        "2. Mục tiêu cụ thể\n"
        "- Tỷ lệ hộ gia đình có truy cập Internet băng rộng\n"
        "\n"
        "cáp quang đạt 85%.\n"
        "- 100% tổ dân phố có Tổ công nghệ số cộng đồng.\n"
    )
    targets, _ = targets_of(text)
    assert len(targets) == 2
    assert targets[0]["value"] == 85
    assert "cáp quang" in targets[0]["name"]


def test_a_task_that_mentions_targets_is_not_the_targets_section():
    text = (
        "III. NHIỆM VỤ VÀ GIẢI PHÁP\n"
        "1. Rà soát bộ chỉ tiêu chuyển đổi số của phường\n"
        "- Hoàn thành 100% trong quý I.\n"
    )
    targets, warnings = targets_of(text)
    assert targets == []
    assert warnings


def test_a_plan_without_targets_says_so_in_vietnamese():
    targets, warnings = targets_of(
        "KẾ HOẠCH\nChuyển đổi số năm 2026\nI. NHIỆM VỤ\n- Tuyên truyền.\n"
    )
    assert targets == []
    assert warnings == [
        "Không tìm thấy chỉ tiêu nào (không có bảng chỉ tiêu hay mục “Mục tiêu cụ thể”); "
        "hãy kiểm tra lại tệp hoặc nhập chỉ tiêu bằng tay sau khi nhập kế hoạch."
    ]


def test_targets_from_a_document_built_by_hand_need_no_reader():
    doc = Document(
        blocks=(
            Paragraph("II. MỤC TIÊU", 1, bold=True),
            Paragraph("- Tỷ lệ thanh toán không dùng tiền mặt đạt tối thiểu 80%.", 2),
        ),
        source_format="docx",
    )
    (target,), _ = extract_targets(doc, year=2026, matcher=UnitMatcher(commune_kind="xã"))
    assert (target["comparator"], target["value"], target["measure_unit"]) == (">=", 80, "%")
