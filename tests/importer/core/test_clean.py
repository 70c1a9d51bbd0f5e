from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from theodoi.importer.core.clean import clean_text, fold, is_bold_markup, is_footnote_line


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<b>I. Nâng cao nhận thức</b>", "I. Nâng cao nhận thức"),
        ("<p>Văn phòng Đảng ủy</p>", "Văn phòng Đảng ủy"),
        (
            '<ul style="list-style-type: none"> <li>- Hệ thống phần mềm được vận hành.</li> '
            "<li>- Hệ thống Local AI.</li> </ul>",
            "- Hệ thống phần mềm được vận hành. - Hệ thống Local AI.",
        ),
        ("**1.3. Phát triển Khoa học:** Triển khai AI", "1.3. Phát triển Khoa học: Triển khai AI"),
        ("### **c) Khoa học, công nghệ**", "c) Khoa học, công nghệ"),
        ("(*qua Phòng Văn hóa - Xã hội*)", "(qua Phòng Văn hóa - Xã hội)"),
        ("__Kế hoạch__", "Kế hoạch"),
        (
            "Tỷ lệ giao dịch không dùng tiền mặt  $\\geq 80\\%$ .",
            "Tỷ lệ giao dịch không dùng tiền mặt ≥ 80%.",
        ),
        ("định danh số  $100\\%$ .", "định danh số 100%."),
        ("$\\leq 5$ ngày", "≤ 5 ngày"),
        ("đạt 80\\% trở lên", "đạt 80% trở lên"),
        ("$\\ge 60 \\%$", "≥ 60%"),
        ("theo phương án đã được phê duyệt¹.", "theo phương án đã được phê duyệt."),
        ("diện tích 20 m²", "diện tích 20 m²"),
        ("Văn\u00a0phòng\u200b Đảng ủy", "Văn phòng Đảng ủy"),
        ("  Các doanh nghiệp viễn\n\nthông  ", "Các doanh nghiệp viễn thông"),
        ("Phòng VH&amp;XH", "Phòng VH&XH"),
        ("**T/M BAN THƯỜNG VỤ  \nBÍ THƯ**", "T/M BAN THƯỜNG VỤ BÍ THƯ"),
        ("", ""),
        (None, ""),
    ],
)
def test_clean_text_leaves_only_the_words_a_reader_sees(raw: str | None, expected: str) -> None:
    assert clean_text(raw) == expected


def test_decomposed_diacritics_become_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Phường Quyết Thắng")
    cleaned = clean_text(decomposed)
    assert cleaned == "Phường Quyết Thắng"
    assert unicodedata.is_normalized("NFC", cleaned)


def test_a_tone_mark_separated_from_its_vowel_by_markup_is_composed() -> None:
    # "ệ" written as "ê" + combining dot below, as some PDF converters emit it.
    assert clean_text("Nghi\u00ea\u0323p") == "Nghiệp"


@pytest.mark.parametrize(
    ("raw", "bold"),
    [
        ("<b>I. Nâng cao nhận thức, đột phá về đổi mới tư duy</b>", True),
        ("<b>(1) Mã</b>\t<b>(2) Tiểu</b>", True),
        ("**T/M BAN THƯỜNG VỤ  \nBÍ THƯ**", True),
        ("## **IV- TỔ CHỨC THỰC HIỆN**", True),
        ("## 2. Yêu cầu", True),
        ("<strong>PHỤ LỤC</strong>", True),
        ("**1.1.** Tiếp tục nêu cao tinh thần trách nhiệm", False),
        ("**1.3. Phát triển Khoa học, Công nghệ:** Triển khai Ứng dụng AI", False),
        ("<p>Văn phòng Đảng ủy</p>", False),
        ("Kế hoạch", False),
        ("", False),
        (None, False),
    ],
)
def test_is_bold_markup_only_when_every_word_is_bold(raw: str | None, bold: bool) -> None:
    assert is_bold_markup(raw) is bold


@pytest.mark.parametrize(
    ("raw", "footnote"),
    [
        ("¹ Theo Quyết định số 1695/QĐ-CAT-PA05 ngày 31/10/2025", True),
        ("- Triển khai bảo đảm an toàn thông tin theo phương án đã được phê duyệt¹.", False),
        ("", False),
    ],
)
def test_footnote_lines_are_told_apart_from_body_text(raw: str, footnote: bool) -> None:
    assert is_footnote_line(raw) is footnote


def test_fold_drops_diacritics_and_keeps_positions() -> None:
    text = "Quý IV/2026 Đảng ủy Hằng tuần"
    folded = fold(text)
    assert folded == "quy iv/2026 dang uy hang tuan"
    assert len(folded) == len(text)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_cleaning_is_idempotent_and_gives_nfc(raw: str) -> None:
    cleaned = clean_text(raw)
    assert clean_text(cleaned) == cleaned
    assert unicodedata.is_normalized("NFC", cleaned)
    assert cleaned == cleaned.strip()
