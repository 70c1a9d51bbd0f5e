from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from theodoi.importer.core.values import parse_number, parse_value, split_targets


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("98,9", 98.9),
        ("21.195", 21195),
        ("1.000.000", 1000000),
        ("02", 2),
        ("0,5", 0.5),
        ("124,92", 124.92),
        ("4.5", 4.5),
        ("100", 100),
        ("abc", None),
    ],
)
def test_parse_number_reads_vietnamese_decimals_and_thousands(
    text: str, number: float | None
) -> None:
    assert parse_number(text) == number
    if number is not None:
        assert isinstance(parse_number(text), int) == float(number).is_integer()


@pytest.mark.parametrize(
    ("text", "unit_column", "comparator", "value", "measure_unit"),
    [
        (">95", "%", ">", 95, "%"),
        ("100", "%", ">=", 100, "%"),
        ("≥80", "%", ">=", 80, "%"),
        ("≥90", "%", ">=", 90, "%"),
        (">70", "%", ">", 70, "%"),
        ("02", "IoT", ">=", 2, "IoT"),
        ("90", "%", ">=", 90, "%"),
        ("> 82%", None, ">", 82, "%"),
        (">= 50%", None, ">=", 50, "%"),
        ("$\\geq 80\\%$", None, ">=", 80, "%"),
        ("trên 90%", None, ">", 90, "%"),
        ("hơn 600", "lượt", ">", 600, "lượt"),
        ("đạt 95%", None, ">=", 95, "%"),
        ("đạt từ 3%", None, ">=", 3, "%"),
        ("từ 40% trở lên", None, ">=", 40, "%"),
        ("tối thiểu 80%", None, ">=", 80, "%"),
        ("ít nhất 01 cuộc thi", None, ">=", 1, "cuộc thi"),
        ("không dưới 70%", None, ">=", 70, "%"),
        ("không quá 5%", None, "<=", 5, "%"),
        ("tối đa 3 ngày", "ngày", "<=", 3, "ngày"),
        ("≤ 3", "ngày", "<=", 3, "ngày"),
        ("dưới 2%", None, "<", 2, "%"),
        ("< 10", "%", "<", 10, "%"),
        ("100%", None, ">=", 100, "%"),
        ("98,9%", None, ">=", 98.9, "%"),
        ("21.195", "người", ">=", 21195, "người"),
        ("5 lớp", None, ">=", 5, "lớp"),
        ("3 cuộc thi", None, ">=", 3, "cuộc thi"),
        ("02 IoT", None, ">=", 2, "IoT"),
        ("90", None, ">=", 90, None),
        ("Trong năm 2026 tổ chức ít nhất 01 cuộc thi", None, ">=", 1, "cuộc thi"),
        ("Tối thiểu 01 mô hình Digital Twin được ứng dụng hiệu quả.", None, ">=", 1, "mô hình"),
        ("84 nền tảng số dùng chung quốc gia được sử dụng", None, ">=", 84, "nền tảng"),
        ("Giảm 70% tài liệu giấy", None, ">=", 70, "%"),
        ("100% TTHC được rà soát, đề xuất", None, ">=", 100, "%"),
        (
            "100% cơ quan, đơn vị trong hệ thống chính trị tổ chức học tập, quán triệt, "
            "thực hiện Nghị quyết số 57",
            None,
            ">=",
            100,
            "%",
        ),
        ("≥ 1 Gbps", None, ">=", 1, "Gbps"),
        ("100", "Tỷ lệ (%)", ">=", 100, "%"),
    ],
)
def test_parse_value_reads_comparator_number_and_unit(
    text: str, unit_column: str | None, comparator: str, value: float, measure_unit: str | None
) -> None:
    parsed = parse_value(text, unit_column)
    assert parsed["kind"] == "quantitative"
    assert parsed["comparator"] == comparator
    assert parsed["value"] == value
    assert type(parsed["value"]) is type(value)
    assert parsed["measure_unit"] == measure_unit


def test_value_text_keeps_the_documents_words_cleaned() -> None:
    assert parse_value("  $\\geq 80\\%$ ")["value_text"] == "≥ 80%"
    assert parse_value(">95", "%")["value_text"] == ">95"


@pytest.mark.parametrize(
    ("text", "rank"),
    [
        ("trong nhóm 10 đơn vị dẫn đầu", 10),
        ("thuộc nhóm 20 xã, phường đứng đầu", 20),
        ("nhóm 20 xã, phường đứng đầu", 20),
        ("Top 20", 20),
        ("top 10 tỉnh", 10),
        ("Nằm trong top 5 đơn vị dẫn đầu", 5),
        ("Trong 10 đơn vị dẫn đầu", 10),
        ("xếp thứ 3 trở lên", 3),
    ],
)
def test_rank_value_is_at_most_n(text: str, rank: int) -> None:
    parsed = parse_value(text)
    assert parsed["kind"] == "rank"
    assert parsed["comparator"] == "<="
    assert parsed["value"] == rank


@pytest.mark.parametrize("text", ["Hoàn thành", "Có", "Đạt", "x", "Theo hướng dẫn của tỉnh"])
def test_value_without_a_number_is_qualitative(text: str) -> None:
    parsed = parse_value(text)
    assert parsed["kind"] == "qualitative"
    assert parsed["comparator"] is None
    assert parsed["value"] is None
    assert parsed["value_text"] == text


@pytest.mark.parametrize("text", ["", None, "   "])
def test_empty_value_cell_is_qualitative_without_text(text: str | None) -> None:
    parsed = parse_value(text)
    assert parsed["kind"] == "qualitative"
    assert parsed["value_text"] is None


@pytest.mark.parametrize(
    ("year", "comparator", "value"),
    [(2026, ">=", 80), (2030, ">=", 100), (None, ">=", 80), (2028, ">=", 80)],
)
def test_multi_horizon_cell_gives_the_plan_years_value(
    year: int | None, comparator: str, value: int
) -> None:
    parsed = parse_value("2026: ≥80%; 2030: 100%", year=year)
    assert (parsed["comparator"], parsed["value"], parsed["measure_unit"]) == (
        comparator,
        value,
        "%",
    )
    assert parsed["value_text"] == "2026: ≥80%; 2030: 100%"


def test_multi_horizon_cell_with_year_words() -> None:
    parsed = parse_value("Năm 2025: 60%; Năm 2026: > 70%", year=2026)
    assert (parsed["comparator"], parsed["value"]) == (">", 70)


# --- prose -------------------------------------------------------------------------------


def _brief(targets: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(t["name"], t["kind"], t["comparator"], t["value"], t["measure_unit"]) for t in targets]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "- Tỷ lệ người dân, doanh nghiệp đánh giá hài lòng khi sử dụng dịch vụ công trực "
            "tuyến đạt trên 90%.",
            [
                (
                    "Tỷ lệ người dân, doanh nghiệp đánh giá hài lòng khi sử dụng dịch vụ công "
                    "trực tuyến",
                    "quantitative",
                    ">",
                    90,
                    "%",
                )
            ],
        ),
        (
            "- 100% văn bản điều hành (trừ văn bản mật theo quy định) được ban hành và thực "
            "hiện ký số đúng quy định.",
            [
                (
                    "100% văn bản điều hành (trừ văn bản mật theo quy định) được ban hành và "
                    "thực hiện ký số đúng quy định",
                    "quantitative",
                    ">=",
                    100,
                    "%",
                )
            ],
        ),
        (
            "- 95% dân số trưởng thành có điện thoại thông minh.",
            [("95% dân số trưởng thành có điện thoại thông minh", "quantitative", ">=", 95, "%")],
        ),
        (
            "- Mạng 4G/5G phủ sóng tại 100% khu dân cư.",
            [("Mạng 4G/5G phủ sóng tại 100% khu dân cư", "quantitative", ">=", 100, "%")],
        ),
        (
            "- Tỷ lệ doanh nghiệp nhỏ và vừa ứng dụng công nghệ thông tin, chuyển đổi số trong "
            "sản xuất, kinh doanh đạt trên 80%.",
            [
                (
                    "Tỷ lệ doanh nghiệp nhỏ và vừa ứng dụng công nghệ thông tin, chuyển đổi số "
                    "trong sản xuất, kinh doanh",
                    "quantitative",
                    ">",
                    80,
                    "%",
                )
            ],
        ),
        (
            "(1) Tỷ lệ phủ sóng 5G trên địa bàn đạt từ 60% dân số trở lên.",
            [("Tỷ lệ phủ sóng 5G trên địa bàn", "quantitative", ">=", 60, "%")],
        ),
        (
            "(2) Tỷ lệ hộ gia đình có khả năng truy cập băng rộng cố định với tốc độ 01 Gbps "
            "đạt từ 70% trở lên.",
            [
                (
                    "Tỷ lệ hộ gia đình có khả năng truy cập băng rộng cố định với tốc độ 01 Gbps",
                    "quantitative",
                    ">=",
                    70,
                    "%",
                )
            ],
        ),
        (
            "(1) Tỷ lệ chi ngân sách phường chi cho khoa học, công nghệ, đổi mới sáng tạo và "
            "chuyển đổi số đạt từ 3%.",
            [
                (
                    "Tỷ lệ chi ngân sách phường chi cho khoa học, công nghệ, đổi mới sáng tạo và "
                    "chuyển đổi số",
                    "quantitative",
                    ">=",
                    3,
                    "%",
                )
            ],
        ),
        (
            "(2) Tỷ lệ cán bộ, công chức cấp xã, phường được bồi dưỡng kỹ năng số căn bản 100%.",
            [
                (
                    "Tỷ lệ cán bộ, công chức cấp xã, phường được bồi dưỡng kỹ năng số căn bản",
                    "quantitative",
                    ">=",
                    100,
                    "%",
                )
            ],
        ),
        (
            "(4) Tỷ lệ giao dịch hành chính thuộc diện “phi tiếp xúc”: 100%.",
            [
                (
                    "Tỷ lệ giao dịch hành chính thuộc diện “phi tiếp xúc”",
                    "quantitative",
                    ">=",
                    100,
                    "%",
                )
            ],
        ),
        (
            "(13) Tỷ lệ nhiệm vụ được theo dõi, quản lý, giám sát của các cơ quan hành chính "
            "thực hiện trên môi trường điện tử 100%.",
            [
                (
                    "Tỷ lệ nhiệm vụ được theo dõi, quản lý, giám sát của các cơ quan hành chính "
                    "thực hiện trên môi trường điện tử",
                    "quantitative",
                    ">=",
                    100,
                    "%",
                )
            ],
        ),
        (
            "(22) Dân số từ 15 tuổi trở lên có tài khoản giao dịch tại ngân hàng hoặc các tổ "
            "chức được phép khác  $\\geq 95\\%$ .",
            [
                (
                    "Dân số từ 15 tuổi trở lên có tài khoản giao dịch tại ngân hàng hoặc các tổ "
                    "chức được phép khác",
                    "quantitative",
                    ">=",
                    95,
                    "%",
                )
            ],
        ),
        (
            "(1) Doanh nghiệp có hoạt động đổi mới sáng tạo trong tổng số doanh nghiệp từ 40% "
            "trở lên",
            [
                (
                    "Doanh nghiệp có hoạt động đổi mới sáng tạo trong tổng số doanh nghiệp",
                    "quantitative",
                    ">=",
                    40,
                    "%",
                )
            ],
        ),
        (
            "(1) Xếp hạng chỉ số chuyển đổi số cấp xã/phường: trong nhóm 10 đơn vị dẫn đầu.",
            [("Xếp hạng chỉ số chuyển đổi số cấp xã/phường", "rank", "<=", 10, None)],
        ),
        (
            "(16) Tỷ lệ cơ sở dữ liệu được số hóa & liên thông  $\\geq 60\\%$ ; tỷ lệ kết nối, "
            "chia sẻ đồng bộ cơ sở dữ liệu quốc gia, cơ sở dữ liệu các ngành  $80\\%$ .",
            [
                ("Tỷ lệ cơ sở dữ liệu được số hóa & liên thông", "quantitative", ">=", 60, "%"),
                (
                    "Tỷ lệ kết nối, chia sẻ đồng bộ cơ sở dữ liệu quốc gia, cơ sở dữ liệu các "
                    "ngành",
                    "quantitative",
                    ">=",
                    80,
                    "%",
                ),
            ],
        ),
        (
            "- Tỷ lệ dân số trưởng thành có điện thoại thông minh đạt 90%; tỷ lệ hộ gia đình "
            "có điện thoại thông minh đạt 97%.",
            [
                (
                    "Tỷ lệ dân số trưởng thành có điện thoại thông minh",
                    "quantitative",
                    ">=",
                    90,
                    "%",
                ),
                ("Tỷ lệ hộ gia đình có điện thoại thông minh", "quantitative", ">=", 97, "%"),
            ],
        ),
    ],
)
def test_split_targets_reads_name_and_value_of_each_target(
    text: str, expected: list[tuple[Any, ...]]
) -> None:
    assert _brief(split_targets(text)) == expected


def test_paragraph_of_targets_separated_by_semicolons_gives_one_target_each() -> None:
    text = (
        "Tỷ lệ phủ sóng 5G trên địa bàn phường đạt trên 95%; tỷ lệ người sử dụng có khả năng "
        "truy cập băng rộng cố định với tốc độ trên 01 Gbps đạt 100%; 100% cán bộ, công chức, "
        "viên chức phường có máy tính đáp ứng cấu hình tối thiểu và có chữ ký số cá nhân để "
        "giải quyết công việc trên môi trường điện tử; tỷ lệ dân số trưởng thành có chữ ký số "
        "hoặc chữ ký điện tử đạt trên 70%; mỗi người dân trung bình có 02 kết nối IoT."
    )
    assert _brief(split_targets(text)) == [
        ("Tỷ lệ phủ sóng 5G trên địa bàn phường", "quantitative", ">", 95, "%"),
        (
            "Tỷ lệ người sử dụng có khả năng truy cập băng rộng cố định với tốc độ trên 01 Gbps",
            "quantitative",
            ">=",
            100,
            "%",
        ),
        (
            "100% cán bộ, công chức, viên chức phường có máy tính đáp ứng cấu hình tối thiểu và "
            "có chữ ký số cá nhân để giải quyết công việc trên môi trường điện tử",
            "quantitative",
            ">=",
            100,
            "%",
        ),
        (
            "Tỷ lệ dân số trưởng thành có chữ ký số hoặc chữ ký điện tử",
            "quantitative",
            ">",
            70,
            "%",
        ),
        ("Mỗi người dân trung bình có 02 kết nối IoT", "quantitative", ">=", 2, "kết nối IoT"),
    ]


def test_rank_then_percent_targets_in_one_paragraph() -> None:
    text = (
        "Phấn đấu xếp hạng chỉ số Chuyển đổi số cấp xã thuộc nhóm 20 xã, phường đứng đầu. "
        "100% thủ tục hành chính được tiếp nhận, giải quyết phi địa giới hành chính trong phạm "
        "vi cấp tỉnh; tỷ lệ khai thác, sử dụng lại thông tin đạt tối thiểu 80%; tiếp tục đẩy "
        "mạnh ứng dụng thương mại điện tử; 100% tỷ lệ cấp kết quả giải quyết thủ tục hành "
        "chính điện tử."
    )
    targets = split_targets(text)
    assert _brief(targets) == [
        ("Phấn đấu xếp hạng chỉ số Chuyển đổi số cấp xã", "rank", "<=", 20, None),
        (
            "100% thủ tục hành chính được tiếp nhận, giải quyết phi địa giới hành chính trong "
            "phạm vi cấp tỉnh",
            "quantitative",
            ">=",
            100,
            "%",
        ),
        ("Tỷ lệ khai thác, sử dụng lại thông tin", "quantitative", ">=", 80, "%"),
        (
            "Tỷ lệ cấp kết quả giải quyết thủ tục hành chính điện tử",
            "quantitative",
            ">=",
            100,
            "%",
        ),
    ]
    assert [t["value_text"] for t in targets] == [
        "thuộc nhóm 20 xã, phường đứng đầu",
        "100%",
        "tối thiểu 80%",
        "100%",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Thời gian xử lý hồ sơ không quá 3 ngày làm việc",
            ("Thời gian xử lý hồ sơ", "quantitative", "<=", 3, "ngày làm việc"),
        ),
        ("Tỷ lệ hài lòng (trên 90%).", ("Tỷ lệ hài lòng", "quantitative", ">", 90, "%")),
        ("Tỷ lệ văn bản ký số đạt 98,5%", ("Tỷ lệ văn bản ký số", "quantitative", ">=", 98.5, "%")),
        (
            "Tổ chức ít nhất 02 cuộc thi về chuyển đổi số trong năm 2026.",
            (
                "Tổ chức ít nhất 02 cuộc thi về chuyển đổi số trong năm 2026",
                "quantitative",
                ">=",
                2,
                "cuộc thi",
            ),
        ),
        (
            "Chỉ số DTI cấp xã nằm trong top 10 của tỉnh",
            ("Chỉ số DTI cấp xã nằm trong top 10 của tỉnh", "rank", "<=", 10, None),
        ),
        (
            "a) Tỷ lệ người dân dùng VNeID ≥ 80%;",
            ("Tỷ lệ người dân dùng VNeID", "quantitative", ">=", 80, "%"),
        ),
    ],
)
def test_other_spellings_of_a_target(text: str, expected: tuple[Any, ...]) -> None:
    assert _brief(split_targets(text)) == [expected]


def test_two_targets_joined_by_a_comma_are_two_targets() -> None:
    text = "Tỷ lệ hộ gia đình có Internet đạt 90%, tỷ lệ người dân có tài khoản VNeID đạt 85%"
    assert _brief(split_targets(text)) == [
        ("Tỷ lệ hộ gia đình có Internet", "quantitative", ">=", 90, "%"),
        ("Tỷ lệ người dân có tài khoản VNeID", "quantitative", ">=", 85, "%"),
    ]


def test_two_targets_joined_by_va_are_two_targets() -> None:
    text = "100% trường học có kết nối Internet và 90% trạm y tế có hồ sơ sức khỏe điện tử"
    assert _brief(split_targets(text)) == [
        ("100% trường học có kết nối Internet", "quantitative", ">=", 100, "%"),
        ("90% trạm y tế có hồ sơ sức khỏe điện tử", "quantitative", ">=", 90, "%"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "- Đẩy mạnh ứng dụng Trí tuệ nhân tạo (AI) trong hỗ trợ xử lý công việc, khai thác dữ "
        "liệu và phục vụ người dân.",
        "(2) Có sáng kiến trong khu vực công được công nhận.",
        "(20) Đảng ủy, UBND phường sử dụng phần mềm quản trị điều hành do tỉnh cung cấp.",
        "Triển khai thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 năm 2026",
        "Xây dựng kế hoạch phát triển hạ tầng số của phường giai đoạn 2026 - 2030",
        "Phủ sóng 4G/5G và cáp quang tốc độ 01 Gbps đến các tổ dân phố",
        "Thực hiện Đề án 06 (1) trên mô hình Chợ 4.0 năm 2026",
    ],
)
def test_statement_without_a_measurable_value_is_one_qualitative_target(text: str) -> None:
    targets = split_targets(text)
    assert len(targets) == 1
    assert targets[0]["kind"] == "qualitative"
    assert targets[0]["comparator"] is None
    assert targets[0]["value"] is None
    assert targets[0]["name"][0].isupper()
    assert not targets[0]["name"].endswith(".")
    assert not targets[0]["name"].startswith(("-", "("))


def test_qualitative_clauses_beside_measured_ones_can_be_kept() -> None:
    text = "Bảo đảm an toàn, an ninh không gian mạng; 100% hệ thống thông tin được giám sát"
    assert [t["kind"] for t in split_targets(text)] == ["quantitative"]
    kept = split_targets(text, keep_qualitative=True)
    assert [(t["name"], t["kind"]) for t in kept] == [
        ("Bảo đảm an toàn, an ninh không gian mạng", "qualitative"),
        ("100% hệ thống thông tin được giám sát", "quantitative"),
    ]


@pytest.mark.parametrize("text", ["", None, "   "])
def test_empty_statement_gives_no_target(text: str | None) -> None:
    assert split_targets(text) == []


def test_unaccented_prose_is_read_too() -> None:
    targets = split_targets("Ty le ho gia dinh co Internet dat tren 80%")
    assert _brief(targets) == [("Ty le ho gia dinh co Internet", "quantitative", ">", 80, "%")]


@given(st.text(max_size=160))
def test_any_text_gives_well_formed_values(text: str) -> None:
    parsed = parse_value(text)
    assert parsed["kind"] in {"quantitative", "rank", "qualitative"}
    assert (parsed["value"] is None) == (parsed["kind"] == "qualitative")
    assert parsed["comparator"] in {None, ">=", ">", "<=", "<"}
    for target in split_targets(text):
        assert target["name"] is not None
        assert (target["value"] is None) == (target["kind"] == "qualitative")
