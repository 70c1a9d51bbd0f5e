"""Bytes of a plain-text file -> str, guessing the encoding a Vietnamese office would use."""

from __future__ import annotations

import codecs
import unicodedata

# Share of control characters above which "text" is really a binary file.
_MAX_CONTROL_SHARE = 0.01
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\x1a")


def decode_text(data: bytes) -> str | None:
    """Decode UTF-8 (with or without BOM), UTF-16 (BOM or evident) or Windows-1258.

    Returns NFC text, or None when the bytes are not text in any of these encodings."""
    text = _decode(data)
    if text is None or _looks_binary(text):
        return None
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _decode(data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        return _try(data[len(codecs.BOM_UTF8) :], "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _try(data, "utf-16")
    utf16 = _evident_utf16(data)
    if utf16 is not None:
        return _try(data, utf16)
    if b"\x00" in data:
        return None
    return _try(data, "utf-8") or _try(data, "cp1258")


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _evident_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as NULs in every other byte of its ASCII characters."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2 or len(data) % 2:
        return None
    even_nuls = sample[0 : pairs * 2 : 2].count(0)
    odd_nuls = sample[1 : pairs * 2 : 2].count(0)
    if odd_nuls > pairs * 0.2 and even_nuls == 0:
        return "utf-16-le"
    if even_nuls > pairs * 0.2 and odd_nuls == 0:
        return "utf-16-be"
    return None


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    controls = sum(
        1 for char in text if unicodedata.category(char) == "Cc" and char not in _ALLOWED_CONTROLS
    )
    return controls > len(text) * _MAX_CONTROL_SHARE or "\x00" in text
