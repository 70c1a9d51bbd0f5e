from __future__ import annotations

from theodoi.importer.core.document import Paragraph
from theodoi.importer.core.outline import propose_leads, section_kind, sections
from theodoi.importer.core.readers.text import read_text
from theodoi.importer.core.units import UnitMatcher

MATCHER = UnitMatcher(commune_kind="xã")


def test_sections_are_classified_by_what_their_headings_say_whatever_the_numbering():
    kinds = {
        "PHẦN I. ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN NĂM 2025": "results",
        "A. CĂN CỨ XÂY DỰNG KẾ HOẠCH": "basis",
        "II. MỤC ĐÍCH, YÊU CẦU": "aims",
        "2. Chỉ tiêu cụ thể": "targets",
        "III. NHIỆM VỤ TRỌNG TÂM": "tasks",
        "c) Giải pháp": "solutions",
        "IV. TỔ CHỨC THỰC HIỆN": "organisation",
        "V. KINH PHÍ THỰC HIỆN": "funding",
        "PHỤ LỤC I": "annex",
    }

    assert {title: section_kind(title) for title in kinds} == kinds


def test_a_sub_heading_belongs_to_the_section_above_it():
    doc = read_text("IV. TỔ CHỨC THỰC HIỆN\n1. Phòng Kinh tế chủ trì các nhiệm vụ kinh tế số\n")

    assert [s.kind for s in sections(doc.blocks)] == ["organisation", "organisation"]


def test_leads_are_proposed_from_the_organisation_section_with_a_warning():
    doc = read_text(
        "III. TỔ CHỨC THỰC HIỆN\n"
        "1. Phòng Kinh tế: chủ trì các nhiệm vụ phát triển kinh tế số.\n"
        "2. Công an xã chủ trì các nhiệm vụ về dữ liệu dân cư.\n"
    )
    tasks = [
        {"code": "1", "group": "Kinh tế số", "lead": []},
        {"code": "2", "group": "Dữ liệu dân cư", "lead": []},
        {"code": "3", "group": "Xã hội số", "lead": []},
    ]

    warnings = propose_leads(tasks, doc.blocks, MATCHER)

    assert [t["lead"] for t in tasks] == [["Phòng Kinh tế"], ["Công an xã"], []]
    assert warnings and "Tổ chức thực hiện" in warnings[0] and "(1, 2)" in warnings[0]


def test_no_lead_is_proposed_where_the_table_names_leads():
    doc = read_text("III. TỔ CHỨC THỰC HIỆN\n1. Phòng Kinh tế chủ trì các nhiệm vụ kinh tế số.\n")
    tasks = [
        {"code": "1", "group": "Kinh tế số", "lead": ["Công an xã"]},
        {"code": "2", "group": "Kinh tế số", "lead": []},
    ]

    assert propose_leads(tasks, doc.blocks, MATCHER) == []
    assert tasks[1]["lead"] == []


def test_a_word_heading_without_a_number_opens_a_section():
    heading = Paragraph(text="Tổ chức thực hiện", line=1, outline_level=0)
    body = Paragraph(text="Phòng Kinh tế chủ trì các nhiệm vụ kinh tế số.", line=2)

    (section,) = sections([heading, body])

    assert section.kind == "organisation"
    assert section.paragraphs == [body]
