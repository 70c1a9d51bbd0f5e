"""Format detection and the readers that turn a file into a Document. (Owner: readers helper.)

The real type is sniffed from the bytes; the file name only tells plain-text flavours apart
(.md, .csv, .txt) and lets a refusal name what the user thought they uploaded. Every failure,
whatever library raised it, reaches the caller as one ``ImportFileError`` in Vietnamese.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePath

from ..document import Document
from ..errors import ImportFileError

# Plans are a few MB at most; a larger upload is refused before it is read.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# A DOCX/XLSX is a zip. Its directory is checked before anything is inflated, then every entry
# is inflated as a stream against a hard cap, so a directory that lies stops there too. A real
# plan inflates to a few MB (Word XML compresses about 10:1; images barely compress).
MAX_UNZIPPED_BYTES = 64 * 1024 * 1024
# Beyond this ratio (once past a few MB) the archive is a zip bomb, not a document.
MAX_ZIP_RATIO = 100
_RATIO_FLOOR_BYTES = 8 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000
_CHUNK = 256 * 1024

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_IMAGES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
_OTHER_BINARIES: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "chương trình máy tính"),
    (b"\x7fELF", "chương trình máy tính"),
    (b"Rar!", "tệp nén RAR"),
    (b"7z\xbc\xaf\x27\x1c", "tệp nén 7z"),
    (b"\x1f\x8b", "tệp nén gzip"),
    (b"ID3", "tệp âm thanh"),
    (b"OggS", "tệp âm thanh"),
)
_TEXT_SUFFIXES = {"txt": "txt", "text": "txt", "md": "md", "markdown": "md", "csv": "csv"}
_NAMED_FORMATS = {
    "pdf": "PDF",
    "docx": "Word (.docx)",
    "xlsx": "Excel (.xlsx)",
    "doc": "Word (.doc)",
    "xls": "Excel (.xls)",
    "odt": "OpenDocument",
    "ods": "OpenDocument",
}


def read_bytes(
    data: bytes,
    filename: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[int, int, str], None] | None = None,
) -> Document:
    """Sniff the real type from the bytes (never trust the name alone) and read it.

    A PDF without a text layer is read by OCR (``ocr.py``), calling ``progress(done, total,
    message)`` per page. Raises ``errors.ImportFileError`` with one Vietnamese sentence for an
    empty, oversized, corrupt or mislabelled file, or a scan where OCR is not installed."""
    if len(data) == 0:
        raise ImportFileError(_EMPTY)
    if len(data) > max_bytes:
        raise ImportFileError(_too_large(len(data), max_bytes))
    try:
        return _dispatch(data, filename, progress)
    except ImportFileError:
        raise
    except Exception as exc:  # a reader bug or a library surprise: never leak it to the user
        raise ImportFileError(
            "Không đọc được tệp này do nội dung có cấu trúc bất thường: hãy mở tệp, lưu lại "
            "dưới dạng DOCX hoặc PDF rồi tải lên lần nữa."
        ) from exc


def read_file(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read a file from disk; its size is checked on disk before a byte of it is read."""
    file_path = Path(path)
    try:
        size = file_path.stat().st_size
    except OSError as exc:
        raise ImportFileError(
            f"Không mở được tệp {file_path.name}: hãy kiểm tra đường dẫn và quyền đọc tệp."
        ) from exc
    if size == 0:
        raise ImportFileError(_EMPTY)
    if size > max_bytes:
        raise ImportFileError(_too_large(size, max_bytes))
    try:
        data = file_path.read_bytes()
    except OSError as exc:
        raise ImportFileError(
            f"Không đọc được tệp {file_path.name}: hãy kiểm tra quyền đọc tệp rồi thử lại."
        ) from exc
    return read_bytes(data, file_path.name, max_bytes=max_bytes)


_EMPTY = "Tệp rỗng: không có nội dung để đọc. Hãy chọn lại tệp kế hoạch."


def _too_large(size: int, max_bytes: int) -> str:
    return (
        f"Tệp quá lớn ({_megabytes(size)}, giới hạn là {_megabytes(max_bytes)}): hãy tải lên "
        "bản DOCX hoặc PDF của kế hoạch, không kèm ảnh quét."
    )


def _megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{-(-size // 1024)} KB"
    text = f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")
    return f"{text.replace('.', ',')} MB"


def _suffix(filename: str) -> str:
    return PurePath(filename).suffix.lower().lstrip(".")


def _dispatch(
    data: bytes, filename: str, progress: Callable[[int, int, str], None] | None = None
) -> Document:
    suffix = _suffix(filename)
    # Readers accept junk before the PDF header; a text merely quoting it is not a PDF.
    pdf_at = data.find(b"%PDF-", 0, 1024)
    if pdf_at == 0 or (pdf_at > 0 and suffix == "pdf"):
        from .pdf import _SCANNED, read_pdf

        try:
            return read_pdf(data)
        except ImportFileError as exc:
            if exc.message != _SCANNED:
                raise
        from .ocr import read_scanned_pdf

        return read_scanned_pdf(data, progress=progress)
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _read_zip(data, suffix)
    if data.startswith(_OLE2):
        raise ImportFileError(_ole2_message(data, suffix))
    for magic, kind in _IMAGES:
        if data.startswith(magic):
            raise ImportFileError(
                f"Tệp là ảnh {kind} chứ không phải văn bản (hệ thống không nhận dạng chữ từ "
                "ảnh): hãy tải lên bản DOCX hoặc PDF có lớp chữ của kế hoạch."
            )
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        raise ImportFileError(
            "Tệp là ảnh WEBP chứ không phải văn bản (hệ thống không nhận dạng chữ từ ảnh): hãy "
            "tải lên bản DOCX hoặc PDF có lớp chữ của kế hoạch."
        )
    if data.startswith(b"{\\rtf"):
        raise ImportFileError(
            "Tệp RTF chưa được hỗ trợ: hãy mở tệp bằng Word, chọn Lưu thành (Save As) dạng "
            ".docx rồi tải lên lại."
        )
    for magic, kind in _OTHER_BINARIES:
        if data.startswith(magic):
            raise ImportFileError(_not_a_plan(kind))
    if suffix in _NAMED_FORMATS:
        # A text or unknown binary under a document's name: renamed, truncated or corrupt.
        raise ImportFileError(_mislabelled(suffix))
    from .textdecode import decode_text

    text = decode_text(data)
    if text is None:
        raise ImportFileError(_not_a_plan("tệp nhị phân không rõ loại"))
    if not text.strip():
        raise ImportFileError(_EMPTY)
    fmt = _TEXT_SUFFIXES.get(suffix, "txt")
    if fmt == "csv":
        from .csv import read_csv_text

        return read_csv_text(text)
    from .text import read_text

    return read_text(text, fmt)


def _read_zip(data: bytes, suffix: str) -> Document:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportFileError(_corrupt_zip(suffix)) from exc
    names = {info.filename for info in infos}
    declared = sum(info.file_size for info in infos)
    if (
        len(infos) > MAX_ZIP_ENTRIES
        or declared > MAX_UNZIPPED_BYTES
        or (declared > _RATIO_FLOOR_BYTES and declared > MAX_ZIP_RATIO * len(data))
    ):
        raise ImportFileError(_ZIP_BOMB)
    reader: Callable[[bytes], Document]
    if "word/document.xml" in names:
        from .docx import read_docx

        reader = read_docx
        kind = "docx"
    elif "xl/workbook.xml" in names:
        from .xlsx import read_xlsx

        reader = read_xlsx
        kind = "xlsx"
    elif "mimetype" in names or "content.xml" in names:
        raise ImportFileError(
            "Tệp OpenDocument (LibreOffice) chưa được hỗ trợ: hãy lưu lại dưới dạng .docx hoặc "
            ".xlsx rồi tải lên lần nữa."
        )
    elif suffix in ("docx", "xlsx"):
        raise ImportFileError(_corrupt_zip(suffix))
    else:
        raise ImportFileError(_not_a_plan("tệp nén ZIP"))
    _inflate_bounded(archive, infos, kind)
    return reader(data)


_ZIP_BOMB = (
    "Tệp giải nén ra lớn bất thường so với một kế hoạch (có thể là tệp nén độc hại) nên không "
    "được đọc: hãy mở tài liệu gốc, lưu lại không kèm ảnh và tệp nhúng rồi tải lên lần nữa."
)


def _inflate_bounded(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], kind: str) -> None:
    """Inflate every entry as a stream, chunk by chunk, against the hard cap; each entry's
    checksum is verified on the way (zipfile stops at the declared size and checks the CRC, so
    an entry that inflates beyond what the directory says is refused as corrupt)."""
    total = 0
    for info in infos:
        try:
            with archive.open(info) as entry:
                while chunk := entry.read(_CHUNK):
                    total += len(chunk)
                    if total > MAX_UNZIPPED_BYTES:
                        raise ImportFileError(_ZIP_BOMB)
        except ImportFileError:
            raise
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            raise ImportFileError(_corrupt_zip(kind)) from exc


def _ole2_message(data: bytes, suffix: str) -> str:
    if _ENCRYPTED_PACKAGE in data or suffix in ("docx", "xlsx"):
        return (
            "Tệp Word/Excel được đặt mật khẩu nên không đọc được: hãy gỡ mật khẩu (hoặc lưu một "
            "bản không mật khẩu) rồi tải lên lại."
        )
    if suffix in ("xls", "xlt"):
        return (
            "Tệp Excel định dạng cũ (.xls) chưa được hỗ trợ: hãy mở bằng Excel, lưu lại dạng "
            ".xlsx rồi tải lên lần nữa."
        )
    return (
        "Tệp Word định dạng cũ (.doc) chưa được hỗ trợ: hãy mở bằng Word, lưu lại dạng .docx "
        "rồi tải lên lần nữa."
    )


def _corrupt_zip(suffix: str) -> str:
    kind = "Excel" if suffix in ("xlsx", "xls") else "Word"
    return (
        f"Tệp {kind} bị hỏng hoặc tải lên chưa trọn vẹn nên không mở được: hãy mở tệp bằng "
        f"{kind}, lưu lại rồi tải lên lần nữa."
    )


def _mislabelled(suffix: str) -> str:
    kind = _NAMED_FORMATS[suffix]
    return (
        f"Tệp mang đuôi .{suffix} nhưng nội dung không phải tài liệu {kind} (có thể bị đổi tên "
        "hoặc bị hỏng): hãy mở tệp gốc, lưu lại đúng định dạng rồi tải lên lần nữa."
    )


def _not_a_plan(kind: str) -> str:
    return (
        f"Tệp này là {kind}, không phải văn bản kế hoạch: hãy tải lên kế hoạch dạng DOCX, PDF, "
        "XLSX, CSV hoặc TXT."
    )
