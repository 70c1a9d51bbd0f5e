"""Table tidying shared by every reader's tables. (Owner: tasks helper.)

Readers are faithful: a PDF table keeps its page-break debris. ``tidy_table`` removes it the
same way whatever the source format:

- the header row is found (one of the first rows, made of header words);
- header rows repeated on later pages are dropped;
- a row split across a page break (a following row with no number of its own whose cells
  continue the row above) is merged into the row above, cell by cell.

Also here: ``fold`` (diacritics-free, case-free text for matching headings and header words),
the numbering patterns plans use ("I.", "1.", "1.2"), and ``is_results_table``, which tells a
previous year's results table from this year's targets or tasks table (the targets parser
should skip what it accepts).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .document import Row, Table

_ROMAN = r"(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
# "I", "II.", "IV" alone in a cell.
ROMAN_CELL = re.compile(rf"^({_ROMAN})\s*[.\-–)/:]?$")
# "I. Chính quyền số", "II- NHIỆM VỤ", "III) ...": a Roman numeral then a separator.
ROMAN_PREFIX = re.compile(rf"^({_ROMAN})\s*[.\-–)/:]\s*(\S.*)$", re.DOTALL)
# "1", "1.", "1.2", "2.2." alone in a cell.
NUMBER_CELL = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)\s*[.)]?$")
# "1. Chỉ đạo", "1.1 Triển khai", "2.2. Triển khai", "3) ..."; never "100% ..." or "05 lớp".
NUMBER_PREFIX = re.compile(
    r"^(?:(\d{1,3}(?:\.\d{1,3})+)\.?\s*|(\d{1,3})\s*[.)]\s*)(?=[^\d\s.,/%])(.*)$", re.DOTALL
)
# "A", "B." alone in a cell: a group's letter.
UPPER_LETTER_CELL = re.compile(r"^([A-HK-UW-Z])\s*[.)]?$")
# "a)", "b.", "đ)" alone or as a prefix.
LETTER_PREFIX = re.compile(r"^([a-zđ])\s*[).]\s*(.*)$", re.DOTALL)

# Words that header rows are made of.
_HEADER_WORDS = (
    "tt",
    "stt",
    "so tt",
    "ma ",
    "nhiem vu",
    "noi dung",
    "cong viec",
    "chi tieu",
    "chu tri",
    "phoi hop",
    "thoi gian",
    "thoi han",
    "tien do",
    "don vi",
    "co quan",
    "ket qua",
    "ghi chu",
    "san pham",
    "kpi",
    "danh gia",
    "gia tri",
    "muc tieu",
    "ke hoach",
    "hoan thanh",
    "thuc hien",
)
_HEADER_WORD = re.compile(r"\b(" + "|".join(w.strip() for w in _HEADER_WORDS) + r")\b")


def fold(text: str) -> str:
    """Lower-case, diacritics-free, single-spaced text: headings match whatever the spelling."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def header_text(cell: str) -> str:
    """A header cell folded, without its "(1)" column number and "(Rõ việc)" asides."""
    folded = fold(cell)
    bare = re.sub(r"\([^)]*\)", " ", folded)
    bare = " ".join(bare.split())
    return bare or folded


def is_header_cell(cell: str) -> bool:
    """True for a short column heading ("Nhiệm vụ", "Tên chỉ tiêu"), not a sentence."""
    text = header_text(cell.strip())
    return bool(text) and len(text) <= 60 and bool(_HEADER_WORD.search(text))


def is_header_row(cells: Sequence[str]) -> bool:
    """True when the row is made of header words ("TT", "Tên nhiệm vụ", "Cơ quan chủ trì"...)."""
    raw = [c.strip() for c in cells if c.strip()]
    if len(raw) < 2 or any(starts_numbered(c) for c in raw):
        return False
    # Header cells are short; a long sentence is a data row that happens to say "nhiệm vụ".
    hits = sum(1 for c in raw if is_header_cell(c))
    return hits >= 2 and hits * 2 >= len(raw)


_SUB_HEADER_WORD = re.compile(
    r"^(\(?\d{1,2}\)?|20\d\d|nam 20\d\d|bat dau|ket thuc|tu ngay|den ngay|tu|den|"
    r"chu tri|phoi hop|so luong|ty le|ke hoach|thuc hien)$"
)


def is_sub_header_row(cells: Sequence[str]) -> bool:
    """The second storey of a header: short words under the header's cells ("Bắt đầu",
    "Kết thúc", "Chủ trì", "2026", "(1)"), and no data row's number in front."""
    filled = [c.strip() for c in cells if c.strip()]
    if not filled or any(starts_numbered(c) for c in filled):
        return False
    folded = [header_text(c) for c in filled]
    return all(
        len(c) <= 30 and bool(_SUB_HEADER_WORD.match(c) or _HEADER_WORD.search(c)) for c in folded
    )


@dataclass(frozen=True)
class TidyTable:
    """A table without page-break debris; ``rows`` are the body rows."""

    header: tuple[str, ...] | None
    rows: tuple[Row, ...]
    width: int
    line: int
    # Body rows merged into the row above them (their source lines), for warnings and tests.
    merged_lines: tuple[int, ...] = ()
    # Repeated header rows dropped (their source lines).
    dropped_lines: tuple[int, ...] = ()


def tidy_table(
    table: Table,
    *,
    anchor_columns: Sequence[int] = (),
    number_columns: Sequence[int] = (0,),
    list_columns: Sequence[int] = (),
) -> TidyTable:
    """Find the header, drop its repeats, merge rows split across page breaks.

    ``number_columns`` are the columns where a new row shows its number ("1", "I.", "1.2 ...").
    ``anchor_columns`` are the cells every real row fills (a task's lead and deadline, a
    target's value). A row with no number continues the row above when every filled cell
    starts in lower case (a sentence cut in the middle), or when it comes after a page break
    (a gap in the source lines, or a repeated header) and fills no anchor cell.
    ``list_columns`` hold lists of names (lead and support units): there a continued cell that
    starts in capitals is the next name of the list, not the rest of the last one.
    """
    width = max((len(r.cells) for r in table.rows), default=0)
    rows = [_pad(r, width) for r in table.rows]
    header_index = next((i for i, r in enumerate(rows[:3]) if is_header_row(r.cells)), None)
    header = rows[header_index].cells if header_index is not None else None
    body_source = rows[header_index + 1 :] if header_index is not None else rows
    if header is not None and body_source and is_sub_header_row(body_source[0].cells):
        # A two-storey header ("Thời gian" over "Bắt đầu | Kết thúc"): one header of both.
        header = tuple(
            f"{top} {below}".strip() if below.strip() else top
            for top, below in zip(header, body_source[0].cells, strict=False)
        )
        body_source = body_source[1:]
    header_key = _row_key(header) if header else None

    body: list[Row] = []
    merged: list[int] = []
    dropped: list[int] = []
    last_line = rows[header_index].line if header_index is not None else 0
    header_repeated = False
    for row in body_source:
        # A page break shows as a gap in the source lines or as a repeated header.
        after_break = (
            header_repeated or row.page_break_before or (last_line > 0 and row.line - last_line > 1)
        )
        last_line = row.line
        if not any(c.strip() for c in row.cells):
            continue
        if header is not None and (
            _is_repeat_of_header(row.cells, header_key or ()) or _is_part_of_header(row, header)
        ):
            dropped.append(row.line)
            header_repeated = True
            continue
        header_repeated = False
        if body and _continues(row, anchor_columns, number_columns, after_break):
            body[-1] = _merge(body[-1], row, list_columns)
            merged.append(row.line)
            continue
        body.append(row)
    return TidyTable(
        header=header,
        rows=tuple(body),
        width=width,
        line=table.line,
        merged_lines=tuple(merged),
        dropped_lines=tuple(dropped),
    )


def _pad(row: Row, width: int) -> Row:
    if len(row.cells) == width:
        return row
    return Row(cells=tuple(row.cells) + ("",) * (width - len(row.cells)), line=row.line)


def _row_key(cells: Sequence[str]) -> tuple[str, ...]:
    return tuple(header_text(c) for c in cells)


def _is_repeat_of_header(cells: Sequence[str], header_key: tuple[str, ...]) -> bool:
    key = _row_key(cells)
    pairs = [(a, b) for a, b in zip(key, header_key, strict=False) if a or b]
    if not pairs:
        return False
    same = sum(1 for a, b in pairs if a == b)
    # A repeat may lose a cell or two to the page layout; most cells must still match.
    return same * 4 >= len(pairs) * 3 and is_header_row(cells)


def _is_part_of_header(row: Row, header: Sequence[str]) -> bool:
    """A copy of the header row cut by a page break: above the break, each of its cells is
    the start of the header's cell; below it (under the header the next page repeats), each
    is the end of one (a cell that fitted above the break is whole). Two cells at least, and
    no cell that is not the header's."""
    pairs = [(fold(c), fold(h)) for c, h in zip(row.cells, header, strict=False) if c.strip()]
    if len(pairs) < 2:
        return False
    return all(whole.startswith(cell) for cell, whole in pairs) or all(
        whole.endswith(cell) for cell, whole in pairs
    )


def _continues(
    row: Row, anchors: Sequence[int], number_columns: Sequence[int], after_break: bool
) -> bool:
    filled = [(i, c.strip()) for i, c in enumerate(row.cells) if c.strip()]
    if not filled:
        return False
    for i in number_columns:
        if i < len(row.cells) and starts_numbered(row.cells[i].strip()):
            return False
    if _starts_lower(filled[0][1]):
        return True  # a sentence cut in the middle: its first cell goes on in lower case
    # A row starting in capitals continues the one above only across a page break, and only
    # when it fills none of the cells every row fills; otherwise it is a heading or a new row.
    if not anchors or not after_break:
        return False
    return all(i >= len(row.cells) or not row.cells[i].strip() for i in anchors)


def starts_numbered(text: str) -> bool:
    """True for "1", "1.2 ...", "I. ...", "a) ...": the start of a new numbered item."""
    if not text:
        return False
    return bool(
        NUMBER_CELL.match(text)
        or NUMBER_PREFIX.match(text)
        or ROMAN_CELL.match(text)
        or ROMAN_PREFIX.match(text)
        or LETTER_PREFIX.match(text)
        or UPPER_LETTER_CELL.match(text)
    )


def _starts_lower(text: str) -> bool:
    for char in text:
        if char.isalpha():
            return char.islower()
        if char.isdigit():
            return False
    return False


def _merge(above: Row, below: Row, list_columns: Sequence[int] = ()) -> Row:
    cells = tuple(
        _joined(a, b, index in list_columns)
        for index, (a, b) in enumerate(zip(above.cells, below.cells, strict=False))
    )
    return Row(cells=cells, line=above.line, page=above.page, info=above.info)


def fill_merged_down(rows: Sequence[Row], columns: Sequence[int]) -> tuple[Row, ...]:
    """Rows with the text of a cell merged down over them (a lead unit or a deadline drawn
    once for several tasks) repeated in each ``columns`` cell it covers: the merged cell
    applies to every row it spans. A header cell merged down over the header's second storey
    ("Lộ trình" beside "Chủ trì | Phối hợp") is the header's, not the row's below."""
    out: list[Row] = []
    for row in rows:
        if (
            out
            and any(row.cell(i).merged_up and not row.cells[i].strip() for i in columns)
            and not is_header_row(out[-1].cells)
        ):
            above = out[-1].cells
            cells = tuple(
                above[i] if i in columns and row.cell(i).merged_up and not c.strip() else c
                for i, c in enumerate(row.cells)
            )
            row = Row(cells=cells, line=row.line, page=row.page, info=row.info)
        out.append(row)
    return tuple(out)


def _joined(above: str, below: str, is_list: bool) -> str:
    if not (above and below):
        return above or below
    # A name cut after "và" or "-" ("Văn phòng HĐND và" / "UBND phường") goes on below.
    if is_list and not _starts_lower(below) and not re.search(r"(\bvà|[-&–,;])\s*$", above):
        return f"{above}; {below}".strip()
    return f"{above} {below}".strip()


# --- previous year's results ------------------------------------------------------------

_RESULT_HEADER = re.compile(
    r"^(ket qua(?! (can dat|du kien|dau ra))|danh gia|muc do hoan thanh|"
    r"((da|chua|khong) )?hoan thanh|tinh trang|thuc hien(?! nhiem vu)|(da|chua|dang) thuc hien)"
)
_RESULT_CONTEXT = re.compile(
    r"ket qua thuc hien|tinh hinh thuc hien|danh gia (ket qua|tinh hinh|viec thuc hien)|"
    r"ket qua dat duoc|ket qua trien khai"
)


def is_results_table(
    header: Sequence[str] | None, context: Sequence[str], year: int | None
) -> bool:
    """True for a previous year's results table ("Kết quả thực hiện năm 2025").

    The header must hold an evaluation column ("Kết quả", "Đánh giá", "Hoàn thành", "Tình
    trạng"...) and the header or the headings just above the table (``context``) must speak of
    results ("kết quả thực hiện") or of a year before the plan's ("năm 2025"). A targets table
    whose value column is headed "Kết quả" has neither, and stays a targets table.
    """
    if not header:
        return False
    folded = [header_text(c) for c in header if c.strip()]
    evaluation = any(_RESULT_HEADER.match(c) and "chu tri" not in c for c in folded)
    if not evaluation:
        return False
    # "Đã hoàn thành" / "Chưa hoàn thành" columns only ever report on work already done.
    if any(re.match(r"(da|chua|dang) (hoan thanh|thuc hien)\b", c) for c in folded):
        return True
    texts = folded + [fold(t) for t in context]
    if any(_RESULT_CONTEXT.search(t) for t in texts):
        return True
    if year is None:
        return False
    years = [int(y) for t in folded for y in re.findall(r"\b(20\d\d)\b", t)]
    years += [int(y) for t in context for y in re.findall(r"\bnam (20\d\d)\b", fold(t))]
    return any(y < year for y in years)
