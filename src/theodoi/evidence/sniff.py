"""What an evidence file really is, read from its bytes; the browser's name and type are ignored.

A file named ``bao-cao.pdf`` whose bytes start with ``MZ`` is a Windows program, and is refused
as one. Only the formats a commune's proof comes in are recognised (PDF, Word and Excel old and
new, JPEG, PNG, a phone camera's HEIC); everything else (programs, scripts, web pages and SVG
images that can carry scripts, archives, macro-enabled Office files) is refused with a sentence
naming what it really is.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import IO, NamedTuple

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# How many bytes decide the type (the ZIP-based formats also read the archive's directory).
HEAD_BYTES = 1024


class Sniffed(NamedTuple):
    key: str  # the type's key in settings.THEODOI_EVIDENCE_TYPES
    content_type: str
    extension: str  # canonical, with its dot: the stored file's suffix


@dataclass(frozen=True)
class FileType:
    sniffed: Sniffed
    label: str | Promise  # Vietnamese name shown in messages


PDF = Sniffed("pdf", "application/pdf", ".pdf")
DOCX = Sniffed(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".docx",
)
XLSX = Sniffed("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
JPEG = Sniffed("jpg", "image/jpeg", ".jpg")
PNG = Sniffed("png", "image/png", ".png")
DOC = Sniffed("doc", "application/msword", ".doc")
XLS = Sniffed("xls", "application/vnd.ms-excel", ".xls")
# A phone camera's photo; stored converted to JPEG (``services.evidence_file_check``).
HEIC = Sniffed("heic", "image/heic", ".heic")

KNOWN_TYPES: dict[str, FileType] = {
    "pdf": FileType(PDF, gettext_lazy("PDF")),
    "docx": FileType(DOCX, gettext_lazy("Word (.docx)")),
    "xlsx": FileType(XLSX, gettext_lazy("Excel (.xlsx)")),
    "jpg": FileType(JPEG, gettext_lazy("ảnh JPG")),
    "png": FileType(PNG, gettext_lazy("ảnh PNG")),
    "doc": FileType(DOC, gettext_lazy("Word đời cũ (.doc)")),
    "xls": FileType(XLS, gettext_lazy("Excel đời cũ (.xls)")),
    "heic": FileType(HEIC, gettext_lazy("ảnh HEIC của điện thoại")),
}

# What a browser shows safely in place (reviewers see them on the page); Office files are
# only downloaded.
VIEWABLE_TYPES = frozenset({PDF.content_type, JPEG.content_type, PNG.content_type})

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# ISO base media "ftyp" brands of HEIF still images (iPhone photos are "heic").
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
_PROGRAMS = (
    b"MZ",  # Windows .exe / .dll
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce",  # macOS (Mach-O, 32/64 bit, both byte orders, universal)
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",  # a script for a Unix shell or interpreter
)
_OTHER_BINARIES: tuple[tuple[bytes, str | Promise], ...] = (
    (b"Rar!", gettext_lazy("một tệp nén RAR")),
    (b"7z\xbc\xaf\x27\x1c", gettext_lazy("một tệp nén 7z")),
    (b"\x1f\x8b", gettext_lazy("một tệp nén gzip")),
    (b"GIF8", gettext_lazy("một ảnh GIF")),
    (b"BM", gettext_lazy("một ảnh BMP")),
    (b"II*\x00", gettext_lazy("một ảnh TIFF")),
    (b"MM\x00*", gettext_lazy("một ảnh TIFF")),
)


class UnrecognisedFile(Exception):
    """The bytes are not one of the known evidence formats; ``what`` names what they are."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def allowed_types() -> list[FileType]:
    """The types this installation accepts (settings.THEODOI_EVIDENCE_TYPES), in its order."""
    keys = [k.strip().lower() for k in settings.THEODOI_EVIDENCE_TYPES]
    unknown = [k for k in keys if k not in KNOWN_TYPES]
    if unknown:
        # A typo in the configuration must not silently narrow or widen what is accepted.
        raise ImproperlyConfigured(
            f"THEODOI_EVIDENCE_TYPES: unknown type(s) {', '.join(unknown)}; "
            f"known: {', '.join(KNOWN_TYPES)}"
        )
    return [KNOWN_TYPES[k] for k in dict.fromkeys(keys)]


def allowed_labels() -> str:
    """ "PDF, Word (.docx), ảnh JPG": the accepted types as a user reads them."""
    return ", ".join(str(t.label) for t in allowed_types())


def accept_attribute() -> str:
    """The file input's ``accept`` list (a hint to the phone's picker, never trusted)."""
    extensions = []
    for file_type in allowed_types():
        extensions.append(file_type.sniffed.extension)
        if file_type.sniffed.key == "jpg":
            extensions.append(".jpeg")
        if file_type.sniffed.key == "heic":
            extensions.append(".heif")
    return ",".join(extensions)


def sniff(fileobj: IO[bytes]) -> Sniffed:
    """The file's real type. ``fileobj`` must be seekable; it is left at position 0.

    Raises ``UnrecognisedFile`` for anything but the ``KNOWN_TYPES``."""
    fileobj.seek(0)
    head = fileobj.read(HEAD_BYTES)
    fileobj.seek(0)
    try:
        return _sniff(head, fileobj)
    finally:
        fileobj.seek(0)


def sniff_bytes(data: bytes) -> Sniffed:
    return sniff(io.BytesIO(data))


def _sniff(head: bytes, fileobj: IO[bytes]) -> Sniffed:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(_JPEG_MAGIC):
        return JPEG
    if head.startswith(_PNG_MAGIC):
        return PNG
    if head.startswith(_ZIP_MAGIC):
        return _sniff_zip(fileobj)
    if head.startswith(_OLE2_MAGIC):
        return _sniff_ole2(fileobj)
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return HEIC
    if any(head.startswith(magic) for magic in _PROGRAMS):
        raise UnrecognisedFile(_("một chương trình máy tính hoặc tập lệnh"))
    for magic, what in _OTHER_BINARIES:
        if head.startswith(magic):
            raise UnrecognisedFile(str(what))
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<") or b"<svg" in text or b"<html" in text or b"<script" in text:
        # Opened in a browser, HTML and SVG run scripts: never accepted as evidence.
        raise UnrecognisedFile(_("một trang web (HTML/SVG)"))
    raise UnrecognisedFile(_("một loại tệp không xác định được"))


def _ole2_names(*names: str) -> list[bytes]:
    # Directory entries of a compound file name their streams in UTF-16LE.
    return [name.encode("utf-16-le") for name in names]


_OLE2_MACROS = _ole2_names("_VBA_PROJECT", "Macros")
_OLE2_WORD = _ole2_names("WordDocument")
_OLE2_EXCEL = _ole2_names("Workbook", "Book")


def _sniff_ole2(fileobj: IO[bytes]) -> Sniffed:
    """A Word 97-2003 or Excel 97-2003 file, told apart by the streams its directory names.

    The caller has already bounded the size (``THEODOI_EVIDENCE_MAX_BYTES``)."""
    fileobj.seek(0)
    data = fileobj.read()
    if any(name in data for name in _OLE2_MACROS):
        raise UnrecognisedFile(_("một tài liệu Office có chứa macro"))
    if any(name in data for name in _OLE2_WORD):
        return DOC
    if any(name in data for name in _OLE2_EXCEL):
        return XLS
    raise UnrecognisedFile(_("một tệp Office đời cũ không phải Word hay Excel"))


def _sniff_zip(fileobj: IO[bytes]) -> Sniffed:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnrecognisedFile(_("một tệp nén bị hỏng")) from None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        # .docm/.xlsm saved under a .docx name: macros are programs.
        raise UnrecognisedFile(_("một tài liệu Office có chứa macro"))
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    raise UnrecognisedFile(_("một tệp nén ZIP"))
