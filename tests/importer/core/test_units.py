from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from theodoi.importer.core.units import UnitMatcher, canonical_unit_names, unit_key

PHUONG = UnitMatcher("phường")
XA = UnitMatcher("xã")
NO_KIND = UnitMatcher()


def test_canonical_names_fill_the_commune_kind() -> None:
    names = canonical_unit_names("phường")
    assert "Ủy ban nhân dân phường" in names
    assert "Công an phường" in names
    assert "Ủy ban MTTQ Việt Nam phường" in names
    assert "Văn phòng HĐND và UBND" in names
    assert not any("{kind}" in name for name in names)


def test_a_commune_lists_only_the_economic_room_of_its_kind() -> None:
    assert "Phòng Kinh tế" in canonical_unit_names("xã")
    assert "Phòng Kinh tế, Hạ tầng và Đô thị" not in canonical_unit_names("xã")
    assert "Phòng Kinh tế, Hạ tầng và Đô thị" in canonical_unit_names("phường")
    assert "Phòng Kinh tế" not in canonical_unit_names("phường")


def test_party_bodies_are_canonical_units() -> None:
    names = canonical_unit_names("phường")
    for body in ("Văn phòng Đảng ủy", "Ban Xây dựng Đảng", "Đảng ủy phường"):
        assert body in names


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("UBND phường", "Ủy ban nhân dân phường"),
        ("Ủy ban nhân dân phường", "Ủy ban nhân dân phường"),
        ("UBND", "Ủy ban nhân dân phường"),
        ("Văn phòng HĐND&UBND", "Văn phòng HĐND và UBND"),
        ("Văn phòng HĐND&UBND phường", "Văn phòng HĐND và UBND"),
        ("VP HĐND-UBND", "Văn phòng HĐND và UBND"),
        ("VP.HĐND-UBND", "Văn phòng HĐND và UBND"),
        ("Văn phòng Hội đồng nhân dân và Ủy ban nhân dân", "Văn phòng HĐND và UBND"),
        ("Phòng VHXH", "Phòng Văn hóa - Xã hội"),
        ("Phòng VH-XH", "Phòng Văn hóa - Xã hội"),
        ("Phòng VH&XH", "Phòng Văn hóa - Xã hội"),
        ("Phòng VHXXH", "Phòng Văn hóa - Xã hội"),
        ("VHXX", "Phòng Văn hóa - Xã hội"),
        ("Phòng Văn hóa và xã hội", "Phòng Văn hóa - Xã hội"),
        ("Phòng văn hóa - xã hội", "Phòng Văn hóa - Xã hội"),
        ("Phòng Văn hoá – Xã hội phường", "Phòng Văn hóa - Xã hội"),
        ("PHÒNG VĂN HÓA - XÃ HỘI", "Phòng Văn hóa - Xã hội"),
        ("Phong Van hoa - Xa hoi", "Phòng Văn hóa - Xã hội"),
        ("Phòng KTHT&ĐT", "Phòng Kinh tế, Hạ tầng và Đô thị"),
        ("Phòng Kinh tế, hạ tầng, đô thị", "Phòng Kinh tế, Hạ tầng và Đô thị"),
        ("Phòng Kinh tế, Hạ tầng và Đô thị phường", "Phòng Kinh tế, Hạ tầng và Đô thị"),
        ("TT PV HCC", "Trung tâm Phục vụ hành chính công"),
        ("TT PVHCC", "Trung tâm Phục vụ hành chính công"),
        ("Trung tâm PVHCC", "Trung tâm Phục vụ hành chính công"),
        ("Trung tâm phục vụ HCC", "Trung tâm Phục vụ hành chính công"),
        ("Trung tâm hành chính công", "Trung tâm Phục vụ hành chính công"),
        ("Trung tâm phục vụ Dịch vụ công", "Trung tâm Phục vụ hành chính công"),
        ("Trung tâm Phục vụ hành chính công phường", "Trung tâm Phục vụ hành chính công"),
        ("TT DVTH", "Trung tâm Dịch vụ tổng hợp"),
        ("CA phường", "Công an phường"),
        ("Công an phường", "Công an phường"),
        ("Công an phường Quyết Thắng", "Công an phường"),
        ("Ban Chỉ huy Quân sự", "Ban Chỉ huy Quân sự phường"),
        ("BCH Quân sự", "Ban Chỉ huy Quân sự phường"),
        ("Trạm Y tế", "Trạm Y tế phường"),
        ("Các Trạm Y tế", "Trạm Y tế phường"),
        ("Trạm Y tế phường", "Trạm Y tế phường"),
        ("VPĐU", "Văn phòng Đảng ủy"),
        ("Văn phòng đảng ủy", "Văn phòng Đảng ủy"),
        ("Ban xây dựng Đảng", "Ban Xây dựng Đảng"),
        ("Ban Xây dựng đảng", "Ban Xây dựng Đảng"),
        ("UBMTTQ", "Ủy ban MTTQ Việt Nam phường"),
        ("UBMTTQVN phường", "Ủy ban MTTQ Việt Nam phường"),
        ("UBMTTQV N phường", "Ủy ban MTTQ Việt Nam phường"),
        ("MTTQVN phường", "Ủy ban MTTQ Việt Nam phường"),
        ("Ủy ban MTTQ phường", "Ủy ban MTTQ Việt Nam phường"),
        ("Ủy ban Mặt trận Tổ quốc Việt Nam phường", "Ủy ban MTTQ Việt Nam phường"),
        ("Ban Chỉ đạo", "Ban Chỉ đạo chuyển đổi số phường"),
        ("BCĐ", "Ban Chỉ đạo chuyển đổi số phường"),
        ("Tổ CNS cộng đồng", "Tổ công nghệ số cộng đồng"),
        ("Tổ Công nghệ số Cộng đồng", "Tổ công nghệ số cộng đồng"),
        ("Các trường học trên địa bàn phường", "Các trường học"),
        ("Các trường học trên địa bàn", "Các trường học"),
        ("Đảng ủy phường Phước Bình", "Đảng ủy phường"),
        ("UBKT Đảng ủy", "Ủy ban Kiểm tra Đảng ủy"),
        ("<p>Văn phòng Đảng ủy</p>", "Văn phòng Đảng ủy"),
        ("- Công an phường;", "Công an phường"),
        ("Trung tâm phục vụ hành chinh công", "Trung tâm Phục vụ hành chính công"),
        ("Phòng VH&XH tổng hợp kết quả báo cáo LĐ UBND", "Phòng Văn hóa - Xã hội"),
        ("CÔNG AN PHƯỜNG", "Công an phường"),
        ("Uỷ ban nhân dân phường", "Ủy ban nhân dân phường"),
        ("Phòng Văn hóa - Xã hộ", "Phòng Văn hóa - Xã hội"),
        ("Chủ tịch UBND phường", "Ủy ban nhân dân phường"),
        ("Trưởng Công an phường", "Công an phường"),
        ("Bí thư Đảng ủy", "Đảng ủy phường"),
        ("UBND phường (Phòng VHXH)", "Ủy ban nhân dân phường"),
        (
            "Ban Chỉ đạo về phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số và "
            "Đề án 06 phường Quyết Thắng",
            "Ban Chỉ đạo chuyển đổi số phường",
        ),
    ],
)
def test_spelling_of_a_unit_matches_its_canonical_name(spelling: str, canonical: str) -> None:
    assert PHUONG.match(spelling) == canonical
    assert PHUONG.is_known(spelling)


@pytest.mark.parametrize(
    "spelling",
    [
        "Công an tỉnh",
        "Văn phòng UBND tỉnh",
        "UBND thành phố",
        "Hội Liên hiệp Phụ nữ",
        "Đoàn Thanh niên",
        "Phòng Tài chính",
        "UBND xã Tân An",
        "UBND các xã, phường",
        "Ban Chỉ đạo 35",
        "Ban Chỉ đạo phòng chống thiên tai",
        "",
        None,
    ],
)
def test_unknown_or_other_level_body_is_not_matched(spelling: str | None) -> None:
    assert PHUONG.match(spelling) is None


@pytest.mark.parametrize(
    ("spelling", "xa", "phuong", "no_kind"),
    [
        ("Phòng Kinh tế", "Phòng Kinh tế", "Phòng Kinh tế, Hạ tầng và Đô thị", "Phòng Kinh tế"),
        (
            "Phòng KTHT&ĐT",
            "Phòng Kinh tế",
            "Phòng Kinh tế, Hạ tầng và Đô thị",
            "Phòng Kinh tế, Hạ tầng và Đô thị",
        ),
        ("Công an xã", "Công an xã", "Công an phường", "Công an xã"),
        ("Công an phường", "Công an xã", "Công an phường", "Công an phường"),
        ("Công an", "Công an xã", "Công an phường", "Công an"),
        ("UBND", "Ủy ban nhân dân xã", "Ủy ban nhân dân phường", "Ủy ban nhân dân"),
        ("Trạm Y tế xã", "Trạm Y tế xã", "Trạm Y tế phường", "Trạm Y tế xã"),
    ],
)
def test_the_commune_kind_names_kind_dependent_units(
    spelling: str, xa: str, phuong: str, no_kind: str
) -> None:
    assert XA.match(spelling) == xa
    assert PHUONG.match(spelling) == phuong
    assert NO_KIND.match(spelling) == no_kind


@pytest.mark.parametrize(
    ("cell", "units"),
    [
        # quyetthang-2026, Phụ lục 2
        ("Phòng Văn hóa - Xã hội", ["Phòng Văn hóa - Xã hội"]),
        ("Văn phòng HĐND&UBND phường", ["Văn phòng HĐND và UBND"]),
        ("Trung tâm Phục vụ hành chính công phường", ["Trung tâm Phục vụ hành chính công"]),
        ("Phòng Kinh tế, Hạ tầng và Đô thị", ["Phòng Kinh tế, Hạ tầng và Đô thị"]),
        (
            "Phòng Văn hóa - Xã hội; Tổ công nghệ số cộng đồng",
            ["Phòng Văn hóa - Xã hội", "Tổ công nghệ số cộng đồng"],
        ),
        ("Các trường học trên địa bàn phường", ["Các trường học"]),
        (
            "Các cơ quan, đơn vị, tổ chức, cá nhân có liên quan",
            ["Các cơ quan, đơn vị, tổ chức, cá nhân có liên quan"],
        ),
        (
            "Phòng Văn hóa - Xã hội và các cơ quan, đơn vị, tổ chức, cá nhân có liên quan",
            ["Phòng Văn hóa - Xã hội", "Các cơ quan, đơn vị, tổ chức, cá nhân có liên quan"],
        ),
        (
            "Phòng Văn hóa - Xã hội, Tổ công nghệ số cộng đồng, các hộ sản xuất, kinh doanh, "
            "hợp tác xã",
            [
                "Phòng Văn hóa - Xã hội",
                "Tổ công nghệ số cộng đồng",
                "Các hộ sản xuất, kinh doanh, hợp tác xã",
            ],
        ),
        (
            "Các tổ dân phố, các cơ quan, đơn vị, tổ chức, cá nhân có liên quan",
            ["Các tổ dân phố", "Các cơ quan, đơn vị, tổ chức, cá nhân có liên quan"],
        ),
        # backan-2026, Phụ lục I and II
        ("Văn phòng HĐND và UBND", ["Văn phòng HĐND và UBND"]),
        (
            "Phòng Văn hóa - Xã hội; Phòng Kinh tế, Hạ tầng và Đô thị",
            ["Phòng Văn hóa - Xã hội", "Phòng Kinh tế, Hạ tầng và Đô thị"],
        ),
        ("Các cơ quan, đơn vị liên quan", ["Các cơ quan, đơn vị liên quan"]),
        ("Các doanh nghiệp viễn\nthông", ["Các doanh nghiệp viễn thông"]),
        ("Các trường học trên địa bàn", ["Các trường học"]),
        ("Trạm Y tế phường", ["Trạm Y tế phường"]),
        # phuocbinh-2026 (a Party plan), Phụ lục
        ("<p>Văn phòng Đảng ủy</p>", ["Văn phòng Đảng ủy"]),
        ("Văn phòng đảng ủy", ["Văn phòng Đảng ủy"]),
        ("VPĐU", ["Văn phòng Đảng ủy"]),
        ("Ban xây dựng Đảng", ["Ban Xây dựng Đảng"]),
        ("Ban Xây dựng đảng", ["Ban Xây dựng Đảng"]),
        ("UBND phường", ["Ủy ban nhân dân phường"]),
        ("CA phường", ["Công an phường"]),
        ("Ủy ban MTTQ phường", ["Ủy ban MTTQ Việt Nam phường"]),
        ("Ban Chỉ huy Quân sự", ["Ban Chỉ huy Quân sự phường"]),
        ("Các cơ quan đơn vị", ["Các cơ quan, đơn vị"]),
        ("<p>Các cơ quan, đơn vị.</p>", ["Các cơ quan, đơn vị"]),
        ("Các cơ quan, đơn vị,", ["Các cơ quan, đơn vị"]),
        (
            "UBMTTQV N phường, Văn phòng đảng ủy",
            ["Ủy ban MTTQ Việt Nam phường", "Văn phòng Đảng ủy"],
        ),
        ("MTTQVN phường, Văn phòng đảng ủy", ["Ủy ban MTTQ Việt Nam phường", "Văn phòng Đảng ủy"]),
        ("Các cơ quan đảng, UBMTTQ", ["Các cơ quan đảng", "Ủy ban MTTQ Việt Nam phường"]),
        (
            "Các cơ quan đảng, UBND, UBMTTQ",
            ["Các cơ quan đảng", "Ủy ban nhân dân phường", "Ủy ban MTTQ Việt Nam phường"],
        ),
        (
            "Phòng Kinh tế, hạ tầng, đô thị; Các cơ quan, đơn vị",
            ["Phòng Kinh tế, Hạ tầng và Đô thị", "Các cơ quan, đơn vị"],
        ),
        ("Phòng VHXXH; Các cơ quan, đơn vị", ["Phòng Văn hóa - Xã hội", "Các cơ quan, đơn vị"]),
        ("VP.HĐND-UBND", ["Văn phòng HĐND và UBND"]),
        # units.md and the brief
        ("Phòng VH&XH tổng hợp kết quả báo cáo LĐ UBND", ["Phòng Văn hóa - Xã hội"]),
        ("Các phòng, ban có liên quan", ["Các phòng, ban có liên quan"]),
        ("Sở KH và CN", ["Sở KH và CN"]),
        ("Sở Khoa học và Công nghệ", ["Sở Khoa học và Công nghệ"]),
        # other layouts
        ("Công an phường và Trạm Y tế", ["Công an phường", "Trạm Y tế phường"]),
        ("Công an phường\nTrạm Y tế phường", ["Công an phường", "Trạm Y tế phường"]),
        (
            "- Phòng VHXH\n- TT PVHCC",
            ["Phòng Văn hóa - Xã hội", "Trung tâm Phục vụ hành chính công"],
        ),
        ("Phòng VHXH, Công an phường", ["Phòng Văn hóa - Xã hội", "Công an phường"]),
        ("Phòng VHXH; Phòng VHXH", ["Phòng Văn hóa - Xã hội"]),
        ("Hội Liên hiệp Phụ nữ, Đoàn Thanh niên", ["Hội Liên hiệp Phụ nữ", "Đoàn Thanh niên"]),
        ("Công an tỉnh", ["Công an tỉnh"]),
        ("Viettel, VNPT", ["Viettel", "VNPT"]),
        (
            "Các doanh nghiệp viễn thông (Viettel, VNPT)",
            ["Các doanh nghiệp viễn thông (Viettel, VNPT)"],
        ),
        (
            "Các cơ quan, đơn vị; UBMTTQ và các đoàn thể",
            ["Các cơ quan, đơn vị", "Ủy ban MTTQ Việt Nam phường", "Các đoàn thể"],
        ),
        ("", []),
        (None, []),
        (" ; ", []),
    ],
)
def test_split_gives_each_unit_a_cell_names(cell: str | None, units: list[str]) -> None:
    assert PHUONG.split(cell) == units


def test_every_lead_unit_of_the_party_plan_is_canonical() -> None:
    leads = [
        "Văn phòng Đảng ủy",
        "Ban Xây dựng Đảng",
        "UBND phường",
        "Công an phường",
        "Văn phòng đảng ủy",
        "Ban Chỉ huy Quân sự",
        "Ban xây dựng Đảng",
        "Ủy ban MTTQ phường",
        "CA phường",
        "Ban Xây dựng đảng",
        "VPĐU",
    ]
    canonical = set(canonical_unit_names("phường"))
    for lead in leads:
        assert set(PHUONG.split(lead)) <= canonical, lead


@pytest.mark.parametrize(
    ("name", "known"),
    [
        ("Phòng Văn hóa - Xã hội", True),
        ("Các cơ quan, đơn vị", True),
        ("Các doanh nghiệp viễn thông", True),
        ("Sở KH và CN", True),
        ("Hội Liên hiệp Phụ nữ", False),
        ("Phòng Tài chính", False),
        ("", False),
    ],
)
def test_is_known_for_canonical_names_and_generic_phrases(name: str, known: bool) -> None:
    assert PHUONG.is_known(name) is known


def test_remembered_aliases_win_over_built_in_spellings() -> None:
    matcher = UnitMatcher(
        "xã", aliases={"Bộ phận TN&TKQ": "Trung tâm Phục vụ hành chính công", "VHXH": "Phòng X"}
    )
    assert matcher.match("Bộ phận TN&TKQ") == "Trung tâm Phục vụ hành chính công"
    assert matcher.match("bộ phận TN & TKQ") == "Trung tâm Phục vụ hành chính công"
    assert matcher.match("VHXH") == "Phòng X"
    assert matcher.split("Bộ phận TN&TKQ; Công an xã") == [
        "Trung tâm Phục vụ hành chính công",
        "Công an xã",
    ]


def test_unit_key_ignores_case_diacritics_punctuation_and_abbreviations() -> None:
    assert unit_key("VP.HĐND-UBND") == unit_key("Văn phòng HĐND và UBND")
    assert unit_key("Phòng VH&XH") == unit_key("phong van hoa - xa hoi")


@given(st.text(max_size=120))
def test_split_never_fails_and_gives_clean_names(cell: str) -> None:
    for name in PHUONG.split(cell):
        assert name
        assert name == name.strip()
