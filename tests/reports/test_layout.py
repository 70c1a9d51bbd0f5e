"""The document building blocks, read back through python-docx as Word would read them."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from theodoi.reports import layout


def reopened(doc):  # type: ignore[no-untyped-def]
    return Document(io.BytesIO(layout.to_bytes(doc)))


def test_a_run_keeps_its_bold_italic_underline_and_size():
    doc = layout.new_document("Thử")
    paragraph = layout.body(doc)
    layout.add_run(paragraph, "đậm", bold=True)
    layout.add_run(paragraph, "nghiêng", italic=True)
    layout.add_run(paragraph, "gạch chân", underline=True, size=12)
    layout.add_run(paragraph, "thường")
    runs = reopened(doc).paragraphs[-1].runs
    assert [r.text for r in runs] == ["đậm", "nghiêng", "gạch chân", "thường"]
    assert [bool(r.bold) for r in runs] == [True, False, False, False]
    assert [bool(r.italic) for r in runs] == [False, True, False, False]
    assert [bool(r.underline) for r in runs] == [False, False, True, False]
    # The body size comes from the style; only a different size is written on the run.
    assert [r.font.size for r in runs] == [None, None, Pt(12), None]


def test_line_breaks_and_tabs_in_a_text_stay_breaks_and_tabs():
    doc = layout.new_document("Thử")
    layout.body(doc, "Dòng một\nDòng hai\tcột\r\nDòng ba  ")
    paragraph = reopened(doc).paragraphs[-1]
    assert paragraph.text == "Dòng một\nDòng hai\tcột\nDòng ba  "
    assert len(paragraph._p.findall(".//" + qn("w:br"))) == 2


def test_body_paragraphs_come_before_the_section_settings_in_order():
    doc = layout.new_document("Thử")
    for text in ("Một", "Hai", "Ba"):
        layout.body(doc, text)
    opened = reopened(doc)
    body = opened.element.body
    assert body[-1].tag == qn("w:sectPr")  # Word reads the page settings from the last child
    assert [p.text for p in opened.paragraphs[-3:]] == ["Một", "Hai", "Ba"]
    assert {p.style.name for p in opened.paragraphs[-3:]} == {layout.BODY_STYLE}


def test_each_new_document_is_its_own_whatever_the_one_before_held():
    first = layout.new_document("Báo cáo tháng 1")
    layout.body(first, "Chỉ trong báo cáo tháng 1")
    second = reopened(layout.new_document("Báo cáo tháng 2"))
    assert second.core_properties.title == "Báo cáo tháng 2"
    assert "Chỉ trong báo cáo tháng 1" not in [p.text for p in second.paragraphs]
    assert reopened(first).core_properties.title == "Báo cáo tháng 1"
    # The styled blank still carries the page number in its header and Vietnamese language.
    assert second.core_properties.language == "vi-VN"
    assert "PAGE" in second.sections[0].header._element.xml
