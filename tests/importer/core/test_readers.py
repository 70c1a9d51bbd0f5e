"""Sniffing the real type of an upload, and refusing what is not a readable plan."""

from __future__ import annotations

import builtins
import io
import pathlib
import unicodedata
import zipfile
from pathlib import Path

import pytest
from fpdf import FPDF
from hypothesis import given, settings
from hypothesis import strategies as st

from theodoi.importer.core.document import Paragraph, Table
from theodoi.importer.core.errors import ImportFileError
from theodoi.importer.core.readers import DEFAULT_MAX_BYTES, read_bytes, read_file

from .builders import docx_from_text, new_pdf, pdf_from_text, xlsx_from_rows

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64)
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)
PLAN_TEXT = "KẾ HOẠCH\nChuyển đổi số phường Hòa Phong năm 2026\nTT\tNhiệm vụ\n1\tSố hóa hồ sơ\n"


def windows_1258(text: str) -> bytes:
    """Text as Vietnamese Windows saves it: letters with ^, ˘ or horn precomposed, the tone
    marks as combining characters after them."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones))
        out.append(base + "".join(p for p in parts if p in tones))
    return "".join(out).encode("cp1258")


def refusal(data: bytes, filename: str, **kwargs: int) -> str:
    with pytest.raises(ImportFileError) as caught:
        read_bytes(data, filename, **kwargs)
    message = caught.value.message
    # Every refusal tells the user what to do next, in Vietnamese.
    assert "hãy" in message.lower()
    return message


def first_paragraph(data: bytes, filename: str) -> str:
    block = read_bytes(data, filename).blocks[0]
    assert isinstance(block, Paragraph)
    return block.text


# --- sniffing ---------------------------------------------------------------------------


def test_docx_is_read_as_docx_even_when_named_pdf() -> None:
    doc = read_bytes(docx_from_text(PLAN_TEXT), "ke-hoach.pdf")
    assert doc.source_format == "docx"
    assert isinstance(doc.blocks[2], Table)


def test_pdf_is_read_as_pdf_even_when_named_docx() -> None:
    doc = read_bytes(pdf_from_text(PLAN_TEXT), "ke-hoach.docx")
    assert doc.source_format == "pdf"
    assert doc.blocks[0] == Paragraph(text="KẾ HOẠCH", line=1)


def test_xlsx_is_read_as_a_spreadsheet() -> None:
    doc = read_bytes(xlsx_from_rows([["TT", "Nhiệm vụ"], [1, "Số hóa hồ sơ"]]), "nv.xlsx")
    assert doc.source_format == "xlsx"
    assert isinstance(doc.blocks[0], Table)
    assert doc.blocks[0].rows[1].cells == ("1", "Số hóa hồ sơ")


@pytest.mark.parametrize(
    ("filename", "source_format"),
    [("ke-hoach.txt", "txt"), ("ke-hoach.md", "md"), ("ke-hoach", "txt"), ("nv.csv", "csv")],
)
def test_plain_text_flavour_comes_from_the_file_name(filename: str, source_format: str) -> None:
    assert read_bytes(PLAN_TEXT.encode(), filename).source_format == source_format


@pytest.mark.parametrize(
    "encoded",
    [
        PLAN_TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + PLAN_TEXT.encode("utf-8"),
        PLAN_TEXT.encode("utf-16"),
        PLAN_TEXT.encode("utf-16-le"),
        windows_1258(PLAN_TEXT),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom", "utf-16-le-no-bom", "cp1258"],
)
def test_text_in_any_usual_vietnamese_encoding_reads_the_same(encoded: bytes) -> None:
    assert first_paragraph(encoded, "ke-hoach.txt") == "KẾ HOẠCH"
    assert (
        read_bytes(encoded, "ke-hoach.txt").blocks[2]
        == read_bytes(PLAN_TEXT.encode(), "ke-hoach.txt").blocks[2]
    )


def test_read_file_reads_a_plan_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "ke-hoach.docx"
    path.write_bytes(docx_from_text(PLAN_TEXT))
    assert read_file(path).source_format == "docx"


# --- refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize("filename", ["ke-hoach.docx", "ke-hoach.txt", "ke-hoach.pdf"])
def test_empty_file_is_refused_as_empty(filename: str) -> None:
    assert "rỗng" in refusal(b"", filename)


def test_text_file_of_blank_lines_is_refused_as_empty() -> None:
    assert "rỗng" in refusal(b" \n\n\t \n", "ke-hoach.txt")


def test_empty_file_on_disk_is_refused_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "ke-hoach.docx"
    path.touch()
    with pytest.raises(ImportFileError, match="rỗng"):
        read_file(path)


def test_upload_larger_than_the_limit_is_refused_with_both_sizes() -> None:
    message = refusal(b"a" * 3 * 1024 * 1024, "ke-hoach.txt", max_bytes=2 * 1024 * 1024)
    assert "quá lớn" in message
    assert "3 MB" in message
    assert "2 MB" in message


def test_200_mb_file_on_disk_is_refused_without_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ke-hoach.pdf"
    with path.open("wb") as sparse:
        sparse.truncate(200 * 1024 * 1024)

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the oversized file was opened for reading")

    monkeypatch.setattr(pathlib.Path, "read_bytes", no_reading)
    monkeypatch.setattr(pathlib.Path, "open", no_reading)
    monkeypatch.setattr(builtins, "open", no_reading)
    with pytest.raises(ImportFileError) as caught:
        read_file(path)
    assert "quá lớn" in caught.value.message
    assert "200 MB" in caught.value.message
    assert f"{DEFAULT_MAX_BYTES // (1024 * 1024)} MB" in caught.value.message


def test_missing_file_on_disk_is_refused_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match=r"khong-co\.docx"):
        read_file(tmp_path / "khong-co.docx")


@pytest.mark.parametrize(
    ("data", "filename", "kind"),
    [
        (PNG, "ke-hoach.docx", "PNG"),
        (JPEG, "ke-hoach.pdf", "JPEG"),
        (b"GIF89a" + bytes(40), "a.txt", "GIF"),
    ],
)
def test_picture_is_refused_as_a_picture_whatever_its_name(
    data: bytes, filename: str, kind: str
) -> None:
    message = refusal(data, filename)
    assert f"ảnh {kind}" in message
    assert "không nhận dạng chữ" in message


def test_random_bytes_named_pdf_are_refused_as_not_a_pdf() -> None:
    message = refusal(bytes(range(256)) * 8, "ke-hoach.pdf")
    assert ".pdf" in message
    assert "không phải tài liệu PDF" in message


def test_text_renamed_docx_is_refused_as_not_a_word_document() -> None:
    message = refusal(PLAN_TEXT.encode(), "ke-hoach.docx")
    assert "không phải tài liệu Word" in message


def test_unknown_binary_is_refused_as_not_a_plan() -> None:
    assert "không phải văn bản kế hoạch" in refusal(bytes(range(256)) * 8, "du-lieu.bin")


def test_program_file_is_refused_as_not_a_plan() -> None:
    assert "chương trình máy tính" in refusal(b"MZ\x90\x00" + bytes(200), "ke-hoach.exe")


def test_truncated_docx_is_refused_as_corrupt() -> None:
    data = docx_from_text(PLAN_TEXT)
    message = refusal(data[: len(data) // 2], "ke-hoach.docx")
    assert "Word bị hỏng" in message


def test_docx_with_broken_xml_is_refused_as_corrupt() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("word/document.xml", "<w:document><w:body>")
    assert "Word bị hỏng" in refusal(out.getvalue(), "ke-hoach.docx")


def test_zip_without_a_document_named_docx_is_refused_as_corrupt() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("anh/trang1.png", PNG)
    assert "Word bị hỏng" in refusal(out.getvalue(), "ke-hoach.docx")


def test_plain_zip_archive_is_refused_as_not_a_plan() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("ke-hoach.txt", PLAN_TEXT)
    assert "ZIP" in refusal(out.getvalue(), "ho-so.zip")


def test_opendocument_file_is_refused_with_the_format_to_save_as() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    message = refusal(out.getvalue(), "ke-hoach.odt")
    assert "OpenDocument" in message
    assert ".docx" in message


def test_truncated_xlsx_is_refused_as_a_corrupt_excel_file() -> None:
    data = xlsx_from_rows([["TT", "Nhiệm vụ"], [1, "Số hóa hồ sơ"]])
    assert "Excel bị hỏng" in refusal(data[: len(data) // 2], "nv.xlsx")


def test_legacy_doc_is_refused_with_advice_to_save_as_docx() -> None:
    message = refusal(OLE2, "ke-hoach.doc")
    assert "(.doc)" in message
    assert "lưu lại dạng .docx" in message


def test_legacy_xls_is_refused_with_advice_to_save_as_xlsx() -> None:
    message = refusal(OLE2, "nhiem-vu.xls")
    assert "(.xls)" in message
    assert "lưu lại dạng .xlsx" in message


def test_password_protected_word_file_is_refused_as_protected() -> None:
    protected = OLE2 + "EncryptedPackage".encode("utf-16-le") + bytes(64)
    assert "mật khẩu" in refusal(protected, "ke-hoach.docx")


def test_rtf_is_refused_with_advice_to_save_as_docx() -> None:
    assert ".docx" in refusal(b"{\\rtf1\\ansi K\\'ea ho\\'e1ch}", "ke-hoach.rtf")


def test_pdf_with_no_text_layer_is_refused_as_scanned() -> None:
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.rect(20, 20, 170, 250)  # a scan is pictures and lines, never characters
    message = refusal(bytes(pdf.output()), "ke-hoach-scan.pdf")
    assert "không có lớp chữ" in message
    assert "DOCX" in message


def test_pdf_protected_by_a_password_is_refused_as_protected() -> None:
    pdf = new_pdf()
    pdf.set_encryption(owner_password="chu-so-huu", user_password="mat-khau")
    pdf.cell(text="Kế hoạch chuyển đổi số")
    assert "mật khẩu" in refusal(bytes(pdf.output()), "ke-hoach.pdf")


def test_pdf_with_only_an_owner_password_opens_and_is_read() -> None:
    pdf = new_pdf()
    pdf.set_encryption(owner_password="chu-so-huu")
    pdf.cell(text="Kế hoạch chuyển đổi số")
    assert first_paragraph(bytes(pdf.output()), "ke-hoach.pdf") == "Kế hoạch chuyển đổi số"


def test_pdf_with_a_broken_body_is_refused_as_corrupt() -> None:
    message = refusal(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage", "ke-hoach.pdf")
    assert "PDF bị hỏng" in message


def test_text_quoting_a_pdf_header_is_still_read_as_text() -> None:
    text = "“%PDF-1.7” mở đầu mọi tệp PDF\n"
    assert first_paragraph(text.encode(), "ghi-chu.txt") == "“%PDF-1.7” mở đầu mọi tệp PDF"


_SIGNATURES = [b"", b"%PDF-1.7\n", b"PK\x03\x04", OLE2[:8], b"\x89PNG\r\n\x1a\n", b"\xef\xbb\xbf"]


@settings(max_examples=150, deadline=None)
@given(
    head=st.sampled_from(_SIGNATURES),
    body=st.binary(max_size=600),
    filename=st.sampled_from(["kh.pdf", "kh.docx", "kh.xlsx", "kh.csv", "kh.txt", "kh.doc", "kh"]),
)
def test_any_bytes_give_a_document_or_a_vietnamese_refusal_never_a_crash(
    head: bytes, body: bytes, filename: str
) -> None:
    try:
        doc = read_bytes(head + body, filename)
    except ImportFileError as refused:
        assert "hãy" in refused.message.lower()
    else:
        assert doc.source_format in {"txt", "md", "csv", "pdf", "docx", "xlsx"}
