"""PDF with a text layer -> Document.

Per page, ruled tables (``page.find_tables()``) become Tables; the words outside them are
grouped into visual lines, and the lines into paragraphs, in reading order (top to bottom;
a line broken by a wide gap, such as the two columns of a plan's header, gives one line per
column). The two-sided header at the top of the first page (issuer on the left, national
motto and place-and-date on the right) is read column by column, each paragraph knowing
its column; every block knows its page and whether a page break came right before it.

A line starts a new paragraph when:

- it opens a page or follows a table;
- the vertical gap before it is larger than the document's usual line spacing;
- its size or boldness differs from the line before, or it sits in another column;
- the line before was not wrapped: the first word of this line would have fitted in the room
  left on it (for centred lines such as a title: within the width the lines take);
- the line before was wrapped, yet this one starts with a list marker ("- ", "• ", "1. ",
  "2.1. ", "II. ", "a) ") and a capital letter, or is indented and starts in capitals.

A paragraph runs on over a page break when the page's last line was wrapped; a page number
above or below the text is dropped. Wrapped lines are joined with a space. A table continuing
on the next page is simply another Table; the parser merges it. ``line`` is the ordinal of
the paragraph or table row in reading order; a table's first row printed again at the top of
the next page is marked as a header row. A PDF without any text (a scan) is refused: OCR is
not done.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from .. import clean
from ..document import Block, Document, Paragraph, Row, Table
from ..errors import ImportFileError

_CORRUPT = (
    "Tệp PDF bị hỏng hoặc tải lên chưa trọn vẹn nên không mở được: hãy xuất lại PDF từ tài "
    "liệu gốc (hoặc dùng bản DOCX) rồi tải lên lần nữa."
)
_ENCRYPTED = (
    "Tệp PDF được đặt mật khẩu nên không đọc được: hãy gỡ mật khẩu hoặc tải lên bản DOCX "
    "gốc của kế hoạch."
)
_SCANNED = (
    "Tệp PDF không có lớp chữ (có thể là bản scan/ảnh chụp), hệ thống không nhận dạng chữ "
    "từ ảnh: hãy tải lên PDF xuất trực tiếp từ Word (có chữ chọn được) hoặc bản DOCX gốc."
)

_LIST_MARKER = re.compile(
    r"^(?:[-–—•·+*▪◦]\s+|\d{1,2}(?:\.\d{1,2})*[.)]\s+|[IVXLC]{1,6}[.)\-]\s+|[a-zđ][.)]\s+)"
)
_PAGE_NUMBER = re.compile(
    r"^(?:[-–]\s*)?(?:Trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*[-–])?$", re.I
)
_MAX_PAGES = 500
# A gap wider than this share of the font size separates two words when a PDF has no space
# glyphs (pdfplumber's fixed 3 pt would glue the words of small table text together).
_WORD_GAP = 0.15


@dataclass
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass
class _Line:
    words: list[_Word] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def top(self) -> float:
        return min(word.top for word in self.words)

    @property
    def bottom(self) -> float:
        return max(word.bottom for word in self.words)

    @property
    def size(self) -> float:
        return Counter(round(word.size) for word in self.words).most_common(1)[0][0]

    @property
    def bold(self) -> bool:
        return all(word.bold for word in self.words)

    @property
    def text(self) -> str:
        parts: list[str] = []
        for previous, word in zip([None, *self.words], self.words, strict=False):
            # Words split only by a change of font (bold inside a word) stay glued.
            glued = previous is not None and word.x0 - previous.x1 < word.size * 0.1
            parts.append(word.text if glued or previous is None else " " + word.text)
        return "".join(parts)


@dataclass
class _FoundTable:
    top: float
    rows: list[list[str]]
    ruled: bool = True


@dataclass
class _PageContent:
    tables: list[_FoundTable]
    lines: list[_Line]
    has_text: bool
    has_images: bool


def read_pdf(data: bytes) -> Document:
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            page_count = len(pdf.pages)
            pages = []
            for page in pdf.pages[:_MAX_PAGES]:
                pages.append(_page_content(page))
                page.close()  # drop the page's parsed objects: a long plan stays small
    except Exception as exc:
        raise ImportFileError(_ENCRYPTED if _is_password_error(exc) else _CORRUPT) from exc
    if not any(page.has_text for page in pages):
        raise ImportFileError(_SCANNED)
    warnings = _warnings(pages, page_count)
    return Document(
        blocks=tuple(_blocks(pages)),
        source_format="pdf",
        warnings=tuple(warnings),
        pages=len(pages),
    )


def _is_password_error(exc: BaseException) -> bool:
    """pdfplumber wraps pdfminer's errors; look through the wrapping for a password one."""
    seen: list[BaseException] = [exc, *(a for a in exc.args if isinstance(a, BaseException))]
    if exc.__cause__ is not None:
        seen.append(exc.__cause__)
    return any(isinstance(e, PDFPasswordIncorrect | PDFEncryptionError) for e in seen)


def _warnings(pages: Sequence[_PageContent], page_count: int) -> list[str]:
    warnings: list[str] = []
    scanned = [str(n) for n, page in enumerate(pages, 1) if page.has_images and not page.has_text]
    if scanned:
        warnings.append(
            f"Trang {', '.join(scanned)} của tệp PDF chỉ có ảnh (bản scan) nên không được đọc: "
            "hãy kiểm tra các trang này trong bản gốc."
        )
    if page_count > _MAX_PAGES:
        warnings.append(
            f"Tệp PDF có {page_count} trang, chỉ {_MAX_PAGES} trang đầu được đọc: hãy tách phần "
            "kế hoạch ra tệp riêng."
        )
    return warnings


def _page_content(page: Any) -> _PageContent:
    # Some producers fake bold by printing every glyph twice: one copy is enough.
    page = page.dedupe_chars()
    found = page.find_tables()
    boxes = [table.bbox for table in found]
    tables = [
        _FoundTable(table.bbox[1], _table_rows(table.extract(x_tolerance_ratio=_WORD_GAP)))
        for table in found
    ]
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    words = outside.extract_words(
        extra_attrs=["fontname", "size"], keep_blank_chars=False, x_tolerance_ratio=_WORD_GAP
    )
    lines = _visual_lines(
        [
            _Word(
                text=word["text"],
                x0=word["x0"],
                x1=word["x1"],
                top=word["top"],
                bottom=word["bottom"],
                size=float(word["size"]),
                bold=_is_bold_font(word["fontname"]),
            )
            for word in words
            if word["text"].strip()
        ]
    )
    unruled, lines = _unruled_tables(lines)
    tables = sorted([*tables, *unruled], key=lambda table: table.top)
    has_text = any(char["text"].strip() for char in page.chars)
    return _PageContent(tables=tables, lines=lines, has_text=has_text, has_images=bool(page.images))


# Words further apart than this many font sizes sit in different columns of a table.
_COLUMN_GAP = 1.5


def _unruled_tables(lines: list[_Line]) -> tuple[list[_FoundTable], list[_Line]]:
    """Tables drawn without ruling lines, found by the alignment of their words: a run of
    visual rows split into cells by wide gaps, at least three of them in three or more cells,
    whose cells start at the same few x positions. A row with an empty first cell right under
    the row before (no more than a line's spacing below) is the rest of that row's wrapped
    cells. Returns the tables and the lines left outside them."""
    rows = _visual_rows(lines)
    tables: list[_FoundTable] = []
    used: set[int] = set()
    start = 0
    while start < len(rows):
        end = start
        while end < len(rows) and (
            len(_segments(rows[end])) >= 2 or (end > start and _wraps_on(rows[end - 1], rows[end]))
        ):
            end += 1
        region = rows[start:end]
        found = _aligned_table(region) if end - start >= 3 else None
        if found is not None:
            tables.append(found)
            used.update(id(line) for row in region for line in row)
        start = max(end, start + 1)
    return tables, [line for line in lines if id(line) not in used]


def _wraps_on(above: list[_Line], row: list[_Line]) -> bool:
    """A lone line right under a table row, away from its first column: a wrapped cell."""
    line = row[0]
    return (
        len(row) == 1
        and line.x0 > min(ln.x0 for ln in above) + 2 * line.size
        and line.top - max(ln.top for ln in above) <= line.size * 1.6
    )


def _visual_rows(lines: list[_Line]) -> list[list[_Line]]:
    rows: list[list[_Line]] = []
    for line in sorted(lines, key=lambda ln: (ln.top, ln.x0)):
        if rows and abs(rows[-1][0].top - line.top) < line.size / 2:
            rows[-1].append(line)
        else:
            rows.append([line])
    return rows


def _segments(row: list[_Line]) -> list[_Line]:
    """The row's words split at gaps wide enough to part two table columns."""
    words = sorted((word for line in row for word in line.words), key=lambda w: w.x0)
    segments: list[_Line] = []
    for word in words:
        if segments and word.x0 - segments[-1].x1 <= _COLUMN_GAP * max(word.size, 1):
            segments[-1].words.append(word)
        else:
            segments.append(_Line(words=[word]))
    return segments


def _aligned_table(region: list[list[_Line]]) -> _FoundTable | None:
    split = [_segments(row) for row in region]
    wide = [segments for segments in split if len(segments) >= 3]
    if len(wide) < 3:
        return None
    size = max(segment.size for segments in wide for segment in segments)
    starts: list[list[float]] = []
    for x0 in sorted(segment.x0 for segments in wide for segment in segments):
        if starts and x0 - starts[-1][-1] <= size:
            starts[-1].append(x0)
        else:
            starts.append([x0])
    # A column start is one that most wide rows share.
    columns = [min(group) for group in starts if len(group) >= len(wide) / 2]
    if len(columns) < 3:
        return None
    table: list[list[str]] = []
    previous_top: float | None = None
    for segments in split:
        cells = [""] * len(columns)
        for segment in segments:
            index = max((i for i, x in enumerate(columns) if x <= segment.x0 + size), default=-1)
            if index < 0:
                return None  # a row starting left of the table: not a table
            cells[index] = f"{cells[index]} {segment.text}".strip()
        top = segments[0].top
        wrapped = previous_top is not None and top - previous_top <= segments[0].size * 1.6
        if table and not cells[0] and wrapped:
            table[-1] = [f"{a} {b}".strip() for a, b in zip(table[-1], cells, strict=True)]
        else:
            table.append(cells)
        previous_top = top
    rows = [[clean.clean_text(cell) for cell in cells] for cells in table]
    return _FoundTable(region[0][0].top, rows, ruled=False)


def _inside(obj: dict[str, Any], boxes: Sequence[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _is_bold_font(fontname: str) -> bool:
    name = fontname.split("+", 1)[-1].lower()
    return any(mark in name for mark in ("bold", "black", "heavy", "semibold", ",b"))


def _table_rows(extracted: list[list[str | None]]) -> list[list[str]]:
    # A merged cell comes back once, its covered grid cells as None: those read as "".
    return [[clean.clean_text(_unwrapped(cell or "")) for cell in row] for row in extracted]


# A line of a narrow cell wrapped right after a hyphen or slash that joins two words
# ("57-" / "NQ/TW", "kế hoạch/" / "Đề án"): the words stay joined.
_WRAPPED_AT_JOINER = re.compile(r"(?<=\S[-/])\n(?=\S)")


def _unwrapped(text: str) -> str:
    return _WRAPPED_AT_JOINER.sub("", text)


def _visual_lines(words: list[_Word]) -> list[_Line]:
    """Words grouped into lines by vertical overlap, split at gaps wider than a column gap."""
    rows: list[list[_Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        centre = (word.top + word.bottom) / 2
        for row in reversed(rows[-3:]):
            if min(w.top for w in row) <= centre <= max(w.bottom for w in row):
                row.append(word)
                break
        else:
            rows.append([word])
    lines: list[_Line] = []
    for row in rows:
        row.sort(key=lambda w: w.x0)
        line = _Line()
        for word in row:
            if line.words and word.x0 - line.words[-1].x1 > 3 * max(word.size, 1):
                lines.append(line)
                line = _Line()
            line.words.append(word)
        lines.append(line)
    lines.sort(key=lambda line: (round(line.top), line.x0))
    return lines


class _Layout:
    """What the document's text looks like: margins and usual line spacing."""

    def __init__(self, pages: Sequence[_PageContent]) -> None:
        lines = [line for page in pages for line in page.lines]
        self.left = _mode([round(line.x0) for line in lines], default=0.0)
        self.right = _percentile([line.x1 for line in lines], 0.95)
        self.pitch: dict[float, float] = {}
        for size in {line.size for line in lines}:
            pairs = [
                (a, b, _half(b.top - a.top))
                for page in pages
                for a, b in zip(page.lines, page.lines[1:], strict=False)
                if a.size == b.size == size and 0 < b.top - a.top < 3 * size
            ]
            # The spacing of wrapped lines (after a full line) is the paragraph's own spacing;
            # in a document of one-line paragraphs only the smallest spacing is that close.
            wrapped = [pitch for a, b, pitch in pairs if self.is_full(a, b)]
            self.pitch[size] = _mode(wrapped, default=0.0) or min(
                (pitch for _, _, pitch in pairs), default=size * 1.2
            )

    def is_full(self, line: _Line, following: _Line | None = None) -> bool:
        """True when ``line`` was wrapped: it reaches the right margin, or the first word of
        the line after it would not have fitted in the room left."""
        if line.x1 >= self.right - line.size:
            return True
        if following is None:
            return False
        first = following.words[0]
        return line.x1 + line.size * 0.3 + (first.x1 - first.x0) > self.right

    def is_centred(self, line: _Line) -> bool:
        left_slack = line.x0 - self.left
        right_slack = self.right - line.x1
        return left_slack > line.size * 2 and abs(left_slack - right_slack) < line.size * 2

    def is_indented(self, line: _Line, previous: _Line) -> bool:
        return line.x0 > previous.x0 + line.size * 0.8


def _half(value: float) -> float:
    return round(value * 2) / 2


def _mode(values: Sequence[float], *, default: float) -> float:
    if not values:
        return default
    return float(Counter(values).most_common(1)[0][0])


def _percentile(values: Sequence[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * share), len(ordered) - 1)]


def _starts_paragraph(line: _Line, previous: _Line, layout: _Layout, *, new_page: bool) -> bool:
    if not new_page:
        pitch = line.top - previous.top
        usual = layout.pitch.get(previous.size, previous.size * 1.2)
        if pitch > usual * 1.3 + 0.5 or pitch < 0:
            return True
    if abs(line.size - previous.size) >= 1 or line.bold != previous.bold:
        return True
    if not _overlap(line, previous):
        return True  # another column (the two sides of a plan's header)
    text = line.text
    if layout.is_centred(previous) and layout.is_centred(line):
        return new_page or not _wrapped_centred(previous, line)
    if not layout.is_full(previous, line):
        return True
    marker = _LIST_MARKER.match(text)
    if marker and text[marker.end() : marker.end() + 1].isupper():
        return True
    return layout.is_indented(line, previous) and (bool(marker) or text[:1].isupper())


def _wrapped_centred(previous: _Line, line: _Line) -> bool:
    """A centred title wraps like any text: the line before is full, so the next line's first
    word would not have fitted on it within the width the lines take."""
    first = line.words[0]
    needed = previous.x1 - previous.x0 + previous.size * 0.3 + first.x1 - first.x0
    return needed > line.x1 - line.x0


def _overlap(line: _Line, other: _Line) -> bool:
    shared = min(line.x1, other.x1) - max(line.x0, other.x0)
    return shared > 0.5 * min(line.x1 - line.x0, other.x1 - other.x0)


def _blocks(pages: Sequence[_PageContent]) -> Iterator[Block]:
    """Paragraphs and tables in reading order; a paragraph may run on over a page break.

    Each block knows its page; the first paragraph or row of a page after the first knows a
    page break came before it (a paragraph running on over the break keeps its first page)."""
    layout = _Layout(pages)
    ordinal = 0
    paragraph: list[_Line] = []
    start = (1, False)  # the page the paragraph being collected starts on, after a break?
    columns: dict[int, int] = {}
    last_first_row: tuple[str, ...] = ()
    for number, page in enumerate(pages, 1):
        items: list[tuple[float, int, int, _Line | _FoundTable]] = [
            (table.top, 0, 0, table) for table in page.tables
        ]
        lines = _without_page_numbers(page.lines)
        header = _header_columns(lines, layout) if number == 1 else {}
        columns.update(header)
        header_top = min((line.top for line in lines if id(line) in header), default=0.0)
        for order, line in enumerate(sorted(lines, key=lambda ln: header.get(id(ln), 3)), 1):
            if id(line) in header:
                # The header block is read column by column: the issuer's side, then the
                # national motto and the place-and-date.
                items.append((header_top, 1, order, line))
            else:
                items.append((line.top, 1, 0, line))
        items.sort(key=lambda item: (item[0], item[1], item[2]))
        new_page = True
        for _, _, _, item in items:
            broke = new_page and number > 1
            if isinstance(item, _Line):
                if paragraph and _starts_paragraph(item, paragraph[-1], layout, new_page=new_page):
                    ordinal += 1
                    yield from _paragraph(paragraph, ordinal, *start, columns)
                    paragraph = []
                if not paragraph:
                    start = (number, broke)
                paragraph.append(item)
                new_page = False
                continue
            new_page = False
            if paragraph:
                ordinal += 1
                yield from _paragraph(paragraph, ordinal, *start, columns)
                paragraph = []
            rows: list[Row] = []
            for cells in item.rows:
                ordinal += 1
                if any(cells):
                    rows.append(
                        Row(
                            cells=tuple(cells),
                            line=ordinal,
                            page=number,
                            page_break_before=broke and not rows,
                            # A table's first row printed again on the next page: its header.
                            header=not rows and broke and tuple(cells) == last_first_row,
                        )
                    )
            if rows:
                if not rows[0].header:
                    last_first_row = rows[0].cells
                yield Table(rows=tuple(rows), ruled=item.ruled)
    if paragraph:
        ordinal += 1
        yield from _paragraph(paragraph, ordinal, *start, columns)


def _header_columns(lines: Sequence[_Line], layout: _Layout) -> dict[int, int]:
    """id(line) -> 1 (left) or 2 (right) for the lines of a plan's two-sided header: the lines
    at the top of the first page that keep to one side of the gutter between the two sides
    and sit nearer that side's centre than the page's, up to the first line that does not
    (the title, centred on the page). Empty where no line at the top is split in two sides."""
    ordered = sorted(lines, key=lambda ln: (round(ln.top), ln.x0))
    pairs = [
        (left, right)
        for left, right in pairwise(ordered)
        if abs(left.top - right.top) < left.size / 2 and right.x0 > left.x1
    ]
    if not pairs:
        return {}
    left, right = pairs[0]
    gutter = (left.x1 + right.x0) / 2
    middle = (layout.left + layout.right) / 2
    centres = {1: (left.x0 + left.x1) / 2, 2: (right.x0 + right.x1) / 2}
    sides: dict[int, int] = {}
    for line in ordered:
        side = 1 if line.x1 <= gutter else 2 if line.x0 >= gutter else 0
        centre = (line.x0 + line.x1) / 2
        if not side or abs(centre - centres[side]) > abs(centre - middle):
            break
        sides[id(line)] = side
    return sides if {1, 2} <= set(sides.values()) else {}


def _without_page_numbers(lines: Sequence[_Line]) -> list[_Line]:
    """Drop a page number ("2", "- 2 -", "Trang 2/9") printed above or below the text."""
    kept = list(lines)
    for edge in (0, -1):
        if kept and _PAGE_NUMBER.match(kept[edge].text.strip()):
            kept.pop(edge)
    return kept


def _paragraph(
    lines: Sequence[_Line],
    ordinal: int,
    page: int,
    page_break_before: bool,
    columns: dict[int, int],
) -> Iterator[Paragraph]:
    text = clean.clean_text(" ".join(line.text for line in lines))
    if text:
        yield Paragraph(
            text=text,
            line=ordinal,
            bold=all(line.bold for line in lines),
            page=page,
            page_break_before=page_break_before,
            column=columns.get(id(lines[0]), 0),
        )
