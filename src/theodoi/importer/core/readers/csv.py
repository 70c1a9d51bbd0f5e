"""CSV -> Document: one Table of the file's non-empty rows.

The delimiter is sniffed among ",", ";" (Excel in a Vietnamese locale) and tab. ``line`` is
the line of the file where the row starts (a quoted cell may span several lines).
"""

from __future__ import annotations

import csv
import io
from collections import Counter

from .. import clean
from ..document import Document, Row, Table
from ..errors import ImportFileError
from .textdecode import decode_text

_DELIMITERS = ",;\t"


def read_csv(data: bytes) -> Document:
    text = decode_text(data)
    if text is None:
        raise ImportFileError(
            'Tệp CSV không phải văn bản đọc được: hãy xuất lại từ Excel bằng "CSV UTF-8" rồi '
            "tải lên lần nữa."
        )
    return read_csv_text(text)


def read_csv_text(text: str) -> Document:
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    rows: list[Row] = []
    start = 1
    try:
        for cells in reader:
            texts = tuple(clean.clean_text(cell) for cell in cells)
            if any(texts):
                rows.append(Row(cells=texts, line=start))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(
            f"Tệp CSV sai cấu trúc ở dòng {reader.line_num}: hãy mở tệp bằng Excel, lưu lại "
            "dạng CSV hoặc XLSX rồi tải lên lần nữa."
        ) from exc
    if not rows:
        raise ImportFileError("Tệp rỗng: không có nội dung để đọc. Hãy chọn lại tệp kế hoạch.")
    width = max(len(row.cells) for row in rows)
    table = Table(
        rows=tuple(
            Row(cells=row.cells + ("",) * (width - len(row.cells)), line=row.line) for row in rows
        )
    )
    return Document(blocks=(table,), source_format="csv")


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first rows most consistently into several cells.

    Counting cells per row (quotes respected) copes with commas inside the text of a
    semicolon-separated file, where ``csv.Sniffer`` often picks the comma."""
    sample = text[:16384]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    best, best_score = ",", (0.0, 0)
    for delimiter in _DELIMITERS:
        try:
            widths = [len(cells) for cells in csv.reader(io.StringIO(sample), delimiter=delimiter)]
        except csv.Error:
            continue
        widths = [width for width in widths if width > 0]
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        score = (count / len(widths), width) if width > 1 else (0.0, 0)
        if score > best_score:
            best, best_score = delimiter, score
    return best
