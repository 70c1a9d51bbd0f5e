"""The periodic report in Word: Nghị định 30/2020/NĐ-CP's layout, and the figures' source."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from theodoi.reports.data import build_report
from theodoi.reports.docx import report_docx
from theodoi.reports.ranges import ReportKind, plan_range
from theodoi.reports.text import vn_date
from theodoi.tracking.status import task_states
from theodoi.units.models import Unit

from ..factories import make_plan_json
from ..tracking_factories import make_active_plan
from .helpers import d, make_season

pytestmark = pytest.mark.django_db

ISSUED = dt.date(2026, 2, 5)
WORDS = {"Hoàn thành", "Đang thực hiện", "Chưa thực hiện"}


def _mm(length: int | None) -> float:
    assert length is not None
    return length / Mm(1)


def _open(plan, *, month=6, issued_on=ISSUED):  # type: ignore[no-untyped-def]
    report = build_report(
        plan, plan_range(plan, ReportKind.MONTH, month), today=d(12, 1), issued_on=issued_on
    )
    return report, Document(io.BytesIO(report_docx(report)))


@pytest.fixture
def season(commune):  # type: ignore[no-untyped-def]
    return make_season(commune)


@pytest.fixture
def opened(season):  # type: ignore[no-untyped-def]
    return _open(season.plan)


def _texts(cell):  # type: ignore[no-untyped-def]
    return [p.text for p in cell.paragraphs if p.text]


def _runs(paragraph):  # type: ignore[no-untyped-def]
    return [r for r in paragraph.runs if r.text.strip()]


def _paragraph(doc, text):  # type: ignore[no-untyped-def]
    return next(p for p in doc.paragraphs if p.text == text)


def test_every_page_is_a4_with_margins_within_the_decrees_ranges(opened):
    _report, doc = opened
    assert len(doc.sections) == 2  # the report, then the landscape annexes
    for section in doc.sections:
        size = sorted([_mm(section.page_width), _mm(section.page_height)])
        assert size == pytest.approx([210, 297], abs=0.5)
        assert 20 <= round(_mm(section.top_margin)) <= 25
        assert 20 <= round(_mm(section.bottom_margin)) <= 25
        assert 30 <= round(_mm(section.left_margin)) <= 35
        assert 15 <= round(_mm(section.right_margin)) <= 20
    assert _mm(doc.sections[0].page_width) < _mm(doc.sections[0].page_height)  # portrait


def test_the_text_is_times_new_roman_and_no_run_asks_for_another_font(opened):
    _report, doc = opened
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {
        "Times New Roman"
    }
    body = doc.element.body
    assert {f.get(qn("w:ascii")) for f in body.iter(qn("w:rFonts"))} <= {None, "Times New Roman"}


def test_the_heading_has_the_issuing_body_left_and_the_quoc_hieu_block_right(opened):
    _report, doc = opened
    head = doc.tables[0]
    left, right = head.cell(0, 0), head.cell(0, 1)
    assert _texts(left) == ["ỦY BAN NHÂN DÂN", "PHƯỜNG HÒA PHONG"]
    assert all(r.bold for p in left.paragraphs for r in _runs(p))
    assert _texts(right) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    national, motto = right.paragraphs[0], right.paragraphs[1]
    assert all(r.bold and Pt(12) <= r.font.size <= Pt(13) for r in _runs(national))
    assert all(r.bold and Pt(13) <= r.font.size <= Pt(14) for r in _runs(motto))
    # A rule (paragraph border) under the body's name and under the Tiêu ngữ.
    for cell in (left, right):
        assert cell._tc.xpath(".//w:pBdr/w:bottom")
    number = head.cell(1, 0).paragraphs[0]
    assert number.text == "Số: .../BC-UBND"
    place = head.cell(1, 1).paragraphs[0]
    assert place.text == "Hòa Phong, ngày 05 tháng 02 năm 2026"
    assert all(r.italic for r in _runs(place))


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),
        (dt.date(2026, 1, 31), "ngày 31 tháng 01 năm 2026"),
        (dt.date(2026, 3, 9), "ngày 09 tháng 3 năm 2026"),  # months from March: no zero
        (dt.date(2026, 12, 15), "ngày 15 tháng 12 năm 2026"),
    ],
)
def test_dates_have_leading_zeros_for_days_below_10_and_months_below_3(day, text):
    assert vn_date(day) == text


def test_the_title_and_summary_are_centred_in_bold(opened):
    _report, doc = opened
    title = _paragraph(doc, "BÁO CÁO")
    summary = _paragraph(doc, "Kết quả thực hiện Kế hoạch số 45/KH-UBND tháng 6 năm 2026")
    for paragraph in (title, summary):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(r.bold for r in _runs(paragraph))


def test_the_body_is_justified_14_pt_with_the_first_line_indented(opened):
    _report, doc = opened
    intro = next(p for p in doc.paragraphs if p.text.startswith("Thực hiện Kế hoạch số 45/KH-UBND"))
    # Through a paragraph style of its own, so the office restyles the body at once.
    style = intro.style
    assert style.name == "Nội dung văn bản"
    assert style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert 10 <= round(_mm(style.paragraph_format.first_line_indent)) <= 13
    assert style.paragraph_format.space_after == Pt(6)
    assert all(
        (r.font.size or style.font.size or doc.styles["Normal"].font.size) == Pt(14)
        for r in _runs(intro)
    )
    assert "(thời gian chốt số liệu theo Nghị định số 09/2019/NĐ-CP)" in "\n".join(
        p.text for p in doc.paragraphs
    )


def test_page_numbers_are_a_centred_field_in_the_header_from_page_two(opened):
    _report, doc = opened
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    header = section.header
    instructions = [i.text.strip() for i in header._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    assert header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    first = section.first_page_header
    assert not first.is_linked_to_previous
    assert not list(first._element.iter(qn("w:instrText")))
    # The annexes are numbered on every page, through the same header.
    assert not doc.sections[1].different_first_page_header_footer
    assert doc.sections[1].header.is_linked_to_previous


def test_the_signature_and_the_recipients_follow_the_decree(season, commune):
    Unit.objects.filter(commune=commune, name="Phòng Văn hóa - Xã hội").update(
        is_standing_office=True
    )
    _report, doc = _open(season.plan)
    block = next(t for t in doc.tables if t.cell(0, 0).paragraphs[0].text == "Nơi nhận:")
    recipients = block.cell(0, 0).paragraphs
    heading = recipients[0]
    assert all(r.bold and r.italic and r.font.size == Pt(12) for r in _runs(heading))
    lines = [p for p in recipients[1:] if p.text]
    assert all(r.font.size == Pt(11) for p in lines for r in _runs(p))
    assert lines[-1].text.startswith("- Lưu: VT")
    assert lines[-1].text == "- Lưu: VT, VHXH."  # the standing office's short name
    # BASE_PLAN's signer is a Phó Chủ tịch: signs "KT. CHỦ TỊCH".
    assert _texts(block.cell(0, 1)) == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đỗ Văn An"]


def test_the_annexes_write_evaluations_in_words_and_match_the_task_states(opened, season):
    report, doc = opened
    annex = next(
        t for t in doc.tables if t.cell(0, 0).text == "TT" and t.cell(0, 1).text == "Nhiệm vụ"
    )
    rows = {r.cells[0].text: r for r in annex.rows[1:] if r.cells[0].text != r.cells[-1].text}
    states = task_states(list(season.plan.tasks.all()), today=report.as_of)
    for task in season.plan.tasks.all():
        cells = [c.text for c in rows[task.code].cells]
        assert cells[1] == task.name
        assert cells[4] == str(states[task.pk].percent)
        assert cells[5] in WORDS
    assert [c.text for c in rows["I.1.1"].cells][5] == "Hoàn thành"
    assert [c.text for c in rows["I.1.2"].cells][5] == "Đang thực hiện"
    every_cell = "".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert not re.search("[✓✔✗✘●○×]", every_cell)


def test_targets_show_value_target_and_upper_target_side_by_side(opened):
    _report, doc = opened
    table = next(t for t in doc.tables if t.cell(0, 2).text == "Kết quả thực hiện")
    assert [c.text for c in table.rows[0].cells][2:5] == [
        "Kết quả thực hiện",
        "Chỉ tiêu của phường Hòa Phong",
        "Chỉ tiêu cấp trên",
    ]
    assert [c.text for c in table.rows[1].cells][2:] == ["92 %", "≥ 90%", "≥ 85%", "Đạt"]
    assert [c.text for c in table.rows[2].cells][2:] == ["—", "—", "—", "Chưa có số liệu"]


def test_the_body_counts_and_names_what_the_annex_lists(opened):
    _report, doc = opened
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Kế hoạch có 2 nhiệm vụ." in text
    assert "đã hoàn thành 1 nhiệm vụ (đạt 50%)" in text
    assert "- Đã hoàn thành: I.1.1. Số hóa hồ sơ lĩnh vực hộ tịch (Công an phường)." in text
    assert "Về chỉ tiêu: 2 chỉ tiêu, trong đó 1 chỉ tiêu đạt" in text


def test_it_is_plain_editable_word_without_pictures(opened):
    _report, doc = opened
    assert len(doc.inline_shapes) == 0
    xml = doc.element.xml
    assert "<w:drawing" not in xml and "<w:pict" not in xml


def test_a_party_plan_gets_the_partys_layout(commune):
    plan = make_active_plan(
        commune,
        make_plan_json(
            number="09-KH/ĐU",
            issuer="Ban Thường vụ Đảng ủy phường Hòa Phong",
            signer={"name": "Lê Thị Bình", "title": "Bí thư"},
        ),
    )
    _report, doc = _open(plan)
    head = doc.tables[0]
    assert _texts(head.cell(0, 1)) == ["ĐẢNG CỘNG SẢN VIỆT NAM"]
    assert _texts(head.cell(0, 0)) == ["ĐẢNG BỘ TỈNH LÂM VIÊN", "ĐẢNG ỦY PHƯỜNG HÒA PHONG", "*"]
    number = head.cell(1, 0).paragraphs[0].text
    assert number.startswith("Số ") and number.endswith("-BC/ĐU") and ":" not in number
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in doc.element.xml
    signature = next(t for t in doc.tables if t.cell(0, 0).paragraphs[0].text == "Nơi nhận:")
    assert _texts(signature.cell(0, 1)) == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Lê Thị Bình"]


def test_control_characters_pasted_into_a_report_do_not_break_the_document(season):
    task = season.plan.tasks.get(code="I.1.1")
    task.name = "Số hóa\x0b hồ sơ\x01 hộ tịch"
    task.save()
    _report, doc = _open(season.plan)
    annex = next(t for t in doc.tables if t.cell(0, 1).text == "Nhiệm vụ")
    assert "Số hóa hồ sơ hộ tịch" in [r.cells[1].text for r in annex.rows]
