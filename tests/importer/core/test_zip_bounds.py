"""A DOCX/XLSX that inflates far beyond its size (a zip bomb) is refused before it is parsed:
quickly, in bounded memory, with one Vietnamese sentence; a directory that lies about the
sizes does not get past the streamed inflation either."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile

import pytest

from theodoi.importer.core.errors import ImportFileError
from theodoi.importer.core.readers import read_bytes

from .builders import docx_with

INFLATED = 190 * 1024 * 1024
_PARAGRAPH = "<w:p><w:r><w:t>Chuyển đổi số</w:t></w:r></w:p>".encode()


def _bomb() -> bytes:
    """A real DOCX whose word/document.xml inflates to about 190 MB."""
    plain = zipfile.ZipFile(io.BytesIO(docx_with(lambda d: d.add_paragraph("Kế hoạch"))))
    out = io.BytesIO()
    chunk = _PARAGRAPH * (1024 * 1024 // len(_PARAGRAPH))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in plain.infolist():
            if info.filename == "word/document.xml":
                with archive.open("word/document.xml", "w", force_zip64=False) as entry:
                    entry.write(b'<?xml version="1.0"?><w:document><w:body>')
                    for _ in range(INFLATED // len(chunk)):
                        entry.write(chunk)
            else:
                archive.writestr(info, plain.read(info))
    return out.getvalue()


def _claim_small(data: bytes, name: str) -> bytes:
    """Rewrite the entry's uncompressed size in its local and central headers to 2 KB."""
    patched = bytearray(data)
    encoded = name.encode()
    # (signature, offset of the uncompressed size, of the name's length, of the name)
    headers = ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46))
    for signature, size_at, length_at, name_at in headers:
        start = 0
        while (at := patched.find(signature, start)) >= 0:
            start = at + 4
            length = struct.unpack_from("<H", patched, at + length_at)[0]
            if patched[at + name_at : at + name_at + length] == encoded:
                struct.pack_into("<I", patched, at + size_at, 2048)
    return bytes(patched)


@pytest.fixture(scope="module")
def honest_bomb() -> bytes:
    return _bomb()


@pytest.fixture(scope="module")
def lying_bomb(honest_bomb: bytes) -> bytes:
    """The same DOCX whose zip directory (central and local headers) claims 2 KB."""
    return _claim_small(honest_bomb, "word/document.xml")


def _refusal_cost(data: bytes) -> tuple[str, float, int]:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ImportFileError) as refused:
            read_bytes(data, "ke-hoach.docx")
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return str(refused.value), seconds, peak


def test_a_600_kb_docx_inflating_to_190_mb_is_refused_quickly_in_little_memory(
    honest_bomb: bytes,
) -> None:
    assert 500 * 1024 < len(honest_bomb) < 700 * 1024
    message, seconds, peak = _refusal_cost(honest_bomb)
    assert "giải nén ra lớn bất thường" in message
    assert seconds < 3
    assert peak < 100 * 1024 * 1024


def test_a_zip_directory_that_lies_about_the_size_is_stopped_by_the_streamed_inflation(
    lying_bomb: bytes,
) -> None:
    message, seconds, peak = _refusal_cost(lying_bomb)
    # zipfile stops at the declared size, so the checksum of what it read does not match.
    assert "bị hỏng" in message
    assert seconds < 3
    assert peak < 100 * 1024 * 1024


def test_an_archive_of_thousands_of_entries_is_refused_from_its_directory() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        for index in range(2500):
            archive.writestr(f"word/media/{index}.txt", "")
    with pytest.raises(ImportFileError, match="giải nén ra lớn bất thường"):
        read_bytes(out.getvalue(), "ke-hoach.docx")


def test_the_refusal_peak_memory_is_measured_as_resident_growth_too(honest_bomb: bytes) -> None:
    resource = pytest.importorskip("resource")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ImportFileError):
        read_bytes(honest_bomb, "ke-hoach.docx")
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 100 * 1024
