"""A plan's metadata: title, number, date, issuer, commune, province, year, signer, basis."""

from __future__ import annotations

from typing import Any

import pytest

from theodoi.importer.core.document import Document, Paragraph, Row, Table
from theodoi.importer.core.metadata import extract_metadata, plan_year
from theodoi.importer.core.readers.text import read_text

from ...conftest import PLANS_DIR

PLANS = PLANS_DIR


def metadata_of(text: str) -> dict[str, Any]:
    return extract_metadata(read_text(text))


@pytest.fixture(scope="module")
def plans() -> dict[str, dict[str, Any]]:
    return {
        name: metadata_of((PLANS / f"{name}-2026.txt").read_text(encoding="utf-8"))
        for name in ("quyetthang", "backan", "phuocbinh")
    }


# --- The three real plans ----------------------------------------------------------------------


def test_quyetthang_without_a_header_takes_its_issuer_from_the_opening_sentence(plans):
    plan = plans["quyetthang"]
    assert plan["title"] == "Kế hoạch Chuyển đổi số phường Quyết Thắng năm 2026"
    assert plan["issuer"] == "UBND phường Quyết Thắng"
    assert (plan["commune"], plan["commune_kind"]) == ("Quyết Thắng", "phường")
    assert plan["province"] == "Thái Nguyên"
    assert plan["year"] == 2026
    assert (plan["number"], plan["issued_on"], plan["place"]) == (None, None, None)


def test_quyetthang_is_signed_by_its_chairman(plans):
    assert plans["quyetthang"]["signer"] == {"name": "Mai Hải Trung", "title": "Chủ tịch"}


def test_quyetthang_basis_lists_each_cited_document_once_in_order(plans):
    basis = plans["quyetthang"]["basis"]
    assert basis[:3] == [
        "Công văn số 5511/BKHCN-CĐSQG ngày 10/10/2025",
        "Công văn số 3366/SKHCN-CĐSQG ngày 21/10/2025",
        "Nghị quyết số 57-NQ/TW ngày 22/12/2024",
    ]
    assert "Quyết định số 749/QĐ-TTg ngày 03/6/2020" in basis
    assert basis[-1] == "Kế hoạch số 34/KH-UBND ngày 29/8/2025"
    # "5511/BKH-CN-CĐSQG" in the CĂN CỨ section is the same letter spelled differently.
    assert len(basis) == len({b.split(" ngày")[0].split("/")[0] for b in basis}) == 10


def test_backan_blank_number_and_blank_day_are_null_but_place_and_year_are_read(plans):
    plan = plans["backan"]
    assert plan["number"] is None
    assert plan["issued_on"] is None
    assert plan["place"] == "Bắc Kạn"
    assert plan["year"] == 2026
    assert plan["issuer"] == "UBND phường Bắc Kạn"
    assert plan["province"] == "Thái Nguyên"


def test_backan_deputy_signs_for_the_chairman(plans):
    assert plans["backan"]["signer"] == {"name": "Phan Đình Huy", "title": "Phó Chủ tịch"}


def test_backan_title_keeps_the_subtitle_and_the_year_is_not_the_horizon(plans):
    title = plans["backan"]["title"]
    assert title.startswith("Kế hoạch Triển khai thực hiện Đề án số 22-ĐA/TU")
    assert title.endswith("giai đoạn 2026 - 2030” năm 2026")


def test_phuocbinh_is_a_party_plan_of_the_standing_committee(plans):
    plan = plans["phuocbinh"]
    # Its header holds only "Số KH/ĐU": the number is blank; the issuer is named in the text.
    assert plan["number"] is None
    assert plan["issuer"] == "Ban Thường vụ Đảng ủy phường Phước Bình"
    assert (plan["commune"], plan["commune_kind"], plan["province"]) == (
        "Phước Bình",
        "phường",
        "Đồng Nai",
    )
    assert plan["signer"] == {"name": "Huyền Thị Thùy Trang", "title": "Bí thư"}
    assert plan["year"] == 2026


def test_phuocbinh_basis_writes_long_dates_as_numbers(plans):
    assert plans["phuocbinh"]["basis"] == [
        "Nghị quyết số 57-NQ/TW ngày 22/12/2024",
        "Kế hoạch số 469-KH/TU ngày 16/5/2025",
        "Kế hoạch số 03-KH/BCĐ ngày 16/01/2026",
        "Kế hoạch số 09-KH/ĐU ngày 15/9/2025",
    ]


def test_metadata_keys_follow_the_contract(plans):
    assert list(plans["backan"]) == [
        "title",
        "number",
        "issued_on",
        "place",
        "issuer",
        "commune",
        "commune_kind",
        "province",
        "year",
        "signer",
        "replaces",
        "basis",
    ]


# --- Headers of other plans --------------------------------------------------------------------


STATE_PLAN = """\
ỦY BAN NHÂN DÂN
PHƯỜNG GIA VIÊN
Số: 87/KH-UBND
Gia Viên, ngày 27 tháng 3 năm 2026
KẾ HOẠCH
Chuyển đổi số phường Gia Viên năm 2026 và định hướng đến năm 2030
Căn cứ Luật Giao dịch điện tử; Nghị quyết 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị;
I. MỤC TIÊU
Kế hoạch này thay thế Kế hoạch số 34/KH-UBND ngày 10/01/2026 của UBND phường Gia Viên.
Nơi nhận:
- Như trên;
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
(Đã ký)
Chu Thanh Lương
"""


def test_state_header_gives_number_date_place_and_issuer():
    plan = metadata_of(STATE_PLAN)
    assert plan["number"] == "87/KH-UBND"
    assert plan["issued_on"] == "2026-03-27"
    assert plan["place"] == "Gia Viên"
    assert plan["issuer"] == "UBND phường Gia Viên"
    assert (plan["commune"], plan["commune_kind"]) == ("Gia Viên", "phường")
    assert plan["province"] is None


def test_plan_year_is_the_titles_year_not_its_horizon():
    assert metadata_of(STATE_PLAN)["year"] == 2026


def test_replaced_plan_number_is_read_from_the_thay_the_sentence():
    assert metadata_of(STATE_PLAN)["replaces"] == ["34/KH-UBND"]


def test_signer_skips_the_signed_remark():
    assert metadata_of(STATE_PLAN)["signer"] == {"name": "Chu Thanh Lương", "title": "Phó Chủ tịch"}


def test_opening_citation_without_the_word_so_is_a_basis():
    assert metadata_of(STATE_PLAN)["basis"] == ["Nghị quyết số 57-NQ/TW ngày 22/12/2024"]


PARTY_PLAN = """\
ĐẢNG BỘ TỈNH ĐỒNG NAI
ĐẢNG ỦY PHƯỜNG PHƯỚC BÌNH
*
Số 09-KH/ĐU
Phước Bình, ngày 15 tháng 9 năm 2025
KẾ HOẠCH
hành động thực hiện Nghị quyết 57-NQ/TW năm 2026
Nơi nhận:
- Các chi bộ,
T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ
Nguyễn Văn An
"""


def test_party_style_number_has_no_colon_and_a_dash():
    assert metadata_of(PARTY_PLAN)["number"] == "09-KH/ĐU"


def test_party_header_signed_for_the_standing_committee_names_it_as_issuer():
    plan = metadata_of(PARTY_PLAN)
    assert plan["issuer"] == "Ban Thường vụ Đảng ủy phường Phước Bình"
    assert plan["province"] == "Đồng Nai"
    assert plan["signer"] == {"name": "Nguyễn Văn An", "title": "Phó Bí thư"}
    assert plan["issued_on"] == "2025-09-15"


def test_blank_day_in_the_date_line_gives_no_date_but_keeps_the_place():
    plan = metadata_of("Số: /KH-UBND\nTân Phú, ngày    tháng 4 năm 2026\nKẾ HOẠCH\nChuyển đổi số\n")
    assert (plan["number"], plan["issued_on"], plan["place"]) == (None, None, "Tân Phú")
    assert plan["issuer"] == "UBND"  # from the symbol "KH-UBND" alone


def test_header_laid_out_as_a_docx_table_with_a_one_line_signature():
    doc = Document(
        blocks=(
            Table(
                rows=(
                    Row(("ỦY BAN NHÂN DÂN XÃ TÂN AN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), 1),
                    Row(("Số: 12/KH-UBND", "Tân An, ngày 05 tháng 02 năm 2026"), 2),
                )
            ),
            Paragraph("KẾ HOẠCH", 3, bold=True),
            Paragraph("Chuyển đổi số xã Tân An năm 2026", 4, bold=True),
            Paragraph(
                "Thực hiện Kế hoạch số 15/KH-UBND ngày 10/01/2026 của UBND tỉnh Tây Ninh,", 5
            ),
            Table(
                rows=(
                    Row(("Nơi nhận: - Như trên;", "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH Lê Văn Bình"), 6),
                )
            ),
        ),
        source_format="docx",
    )
    plan = extract_metadata(doc)
    assert plan["number"] == "12/KH-UBND"
    assert plan["issued_on"] == "2026-02-05"
    assert plan["issuer"] == "UBND xã Tân An"
    assert (plan["commune"], plan["commune_kind"], plan["province"]) == ("Tân An", "xã", "Tây Ninh")
    assert plan["title"] == "Kế hoạch Chuyển đổi số xã Tân An năm 2026"
    assert plan["signer"] == {"name": "Lê Văn Bình", "title": "Chủ tịch"}
    assert plan["basis"] == ["Kế hoạch số 15/KH-UBND ngày 10/01/2026"]


def test_basis_section_ends_at_the_next_heading():
    text = (
        "KẾ HOẠCH\nChuyển đổi số xã Hòa Bình năm 2026\n"
        "I. CĂN CỨ XÂY DỰNG KẾ HOẠCH\n"
        "- Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ;\n"
        "- Nghị định số 47/2024/NĐ-CP ngày 09/5/2024 của Chính phủ;\n"
        "II. MỤC TIÊU\n"
        "- Triển khai Thông tư số 01/2026/TT-BKHCN.\n"
    )
    assert metadata_of(text)["basis"] == [
        "Quyết định số 749/QĐ-TTg ngày 03/6/2020",
        "Nghị định số 47/2024/NĐ-CP ngày 09/5/2024",
    ]


def test_city_under_central_government_is_the_province():
    text = (
        "KẾ HOẠCH\nChuyển đổi số phường Gia Viên năm 2026\n"
        "Thực hiện chỉ đạo của UBND thành phố Hải Phòng.\n"
    )
    assert metadata_of(text)["province"] == "Hải Phòng"


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("Kế hoạch Chuyển đổi số phường X năm 2026", 2026),
        ("Kế hoạch thực hiện Nghị quyết ngày 22 tháng 12 năm 2024 trên địa bàn năm 2026", 2026),
        ("Kế hoạch chuyển đổi số năm 2026, định hướng đến năm 2030", 2026),
        ("Kế hoạch chuyển đổi số giai đoạn 2026 - 2030", None),
        (None, None),
    ],
)
def test_plan_year_comes_from_the_title(title, year):
    assert plan_year(title) == year


def test_year_is_read_from_a_subtitle_that_starts_with_thuc_hien():
    plan = extract_metadata(
        read_text(
            "ĐẢNG ỦY XÃ TÂN CƯƠNG\nSố 12-KH/ĐU\nKẾ HOẠCH\n"
            "Thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị, năm 2026\n\n"
            "Căn cứ Nghị quyết số 57-NQ/TW, Ban Thường vụ ban hành Kế hoạch như sau:\n"
        )
    )

    assert plan["year"] == 2026
    assert plan["title"] == "Kế hoạch Thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị, năm 2026"


def test_commune_in_a_capital_title_does_not_take_the_year_with_it():
    plan = extract_metadata(read_text("KẾ HOẠCH\nCHUYỂN ĐỔI SỐ XÃ TÂN CƯƠNG NĂM 2026\n"))

    assert (plan["commune_kind"], plan["commune"], plan["year"]) == ("xã", "Tân Cương", 2026)


def test_header_columns_interleaved_by_a_pdf_still_give_issuer_number_and_date():
    plan = extract_metadata(
        read_text(
            "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "XÃ AN PHÚ Độc lập - Tự do - Hạnh phúc\n"
            "Số: 17/KH-UBND An Phú, ngày 20 tháng 01 năm 2026\n"
            "KẾ HOẠCH\nChuyển đổi số năm 2026\n"
        )
    )

    assert plan["issuer"] == "UBND xã An Phú"
    assert (plan["commune"], plan["number"], plan["issued_on"]) == (
        "An Phú",
        "17/KH-UBND",
        "2026-01-20",
    )
