from __future__ import annotations

import io

import pytest
from django.core.exceptions import ImproperlyConfigured

from theodoi.evidence.sniff import (
    UnrecognisedFile,
    accept_attribute,
    allowed_labels,
    allowed_types,
    sniff,
    sniff_bytes,
)

from .factories import (
    ELF,
    EXE,
    HTML,
    JPEG,
    PNG,
    SCRIPT,
    SVG,
    docm_bytes,
    docx_bytes,
    heic_bytes,
    ole2_bytes,
    pdf_bytes,
    xlsx_bytes,
)


@pytest.mark.parametrize(
    ("data", "key", "content_type", "extension"),
    [
        (pdf_bytes(), "pdf", "application/pdf", ".pdf"),
        (
            docx_bytes(),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".docx",
        ),
        (
            xlsx_bytes(),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".xlsx",
        ),
        (JPEG, "jpg", "image/jpeg", ".jpg"),
        (PNG, "png", "image/png", ".png"),
    ],
)
def test_each_accepted_format_is_recognised_from_its_bytes(data, key, content_type, extension):
    assert sniff_bytes(data) == (key, content_type, extension)


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (EXE, "chương trình"),
        (ELF, "chương trình"),
        (SCRIPT, "tập lệnh"),
        (HTML, "trang web"),
        (SVG, "trang web"),
        (b"\xef\xbb\xbf  <html><body>hi</body></html>", "trang web"),
        (docm_bytes(), "macro"),
        (b"PK\x03\x04" + b"\x00" * 40, "hỏng"),
        (b"GIF89a\x01\x00\x01\x00", "GIF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "Office đời cũ"),
        (b"just some text that claims to be a pdf", "không xác định"),
    ],
)
def test_anything_else_is_refused_naming_what_it_really_is(data, what):
    with pytest.raises(UnrecognisedFile) as caught:
        sniff_bytes(data)
    assert what in caught.value.what


def test_a_zip_that_is_neither_word_nor_excel_is_refused():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("virus.exe", EXE)
    with pytest.raises(UnrecognisedFile, match="ZIP"):
        sniff_bytes(buffer.getvalue())


def test_a_pdf_header_hidden_after_other_bytes_does_not_make_a_pdf():
    with pytest.raises(UnrecognisedFile):
        sniff_bytes(HTML + pdf_bytes())


def test_sniffing_leaves_the_file_ready_to_be_read_from_the_start():
    handle = io.BytesIO(docx_bytes())
    handle.seek(7)
    sniff(handle)
    assert handle.tell() == 0


def test_the_accepted_types_follow_the_settings(settings):
    settings.THEODOI_EVIDENCE_TYPES = ["pdf", "png"]
    assert [t.sniffed.key for t in allowed_types()] == ["pdf", "png"]
    assert allowed_labels() == "PDF, ảnh PNG"
    assert accept_attribute() == ".pdf,.png"


def test_the_phone_picker_is_offered_jpeg_under_both_spellings():
    assert ".jpg,.jpeg" in accept_attribute()


def test_a_typo_in_the_accepted_types_fails_loudly(settings):
    settings.THEODOI_EVIDENCE_TYPES = ["pdf", "exe"]
    with pytest.raises(ImproperlyConfigured, match="exe"):
        allowed_types()


@pytest.mark.parametrize(
    ("streams", "key"),
    [(("WordDocument", "1Table"), "doc"), (("Workbook",), "xls"), (("Book",), "xls")],
)
def test_word_and_excel_97_files_are_recognised_from_their_streams(streams, key):
    assert sniff_bytes(ole2_bytes(*streams)).key == key


def test_an_old_office_file_with_macros_is_refused_as_one():
    with pytest.raises(UnrecognisedFile, match="macro"):
        sniff_bytes(ole2_bytes("WordDocument", "Macros"))


def test_an_iphone_heic_photo_is_recognised():
    assert sniff_bytes(heic_bytes()).key == "heic"


def test_the_phone_picker_is_offered_heic_doc_and_xls():
    accept = accept_attribute().split(",")
    assert {".heic", ".heif", ".doc", ".xls"} <= set(accept)
