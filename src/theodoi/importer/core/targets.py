"""A plan's targets ("chỉ tiêu"): its targets table, else its prose. (Owner: targets helper.)

Where the targets come from:

- **A targets table** (usually an annex "Danh mục các mục tiêu cụ thể"): any table whose header
  names a target column ("Chỉ tiêu", "Tên chỉ tiêu", "Nội dung") and a value or unit column
  ("Kết quả", "Chỉ tiêu năm 2026", "Mục tiêu", "Đơn vị tính"...). Columns are found by their
  header words in any order; a value column no header word names is found by its cells
  (``_value_column``). A cell merged down over several rows belongs to each of them. A row
  whose number is a Roman numeral ("I | Phát triển hạ tầng") or that holds only a title sets
  the ``group`` of the rows below it. A table that reads as a task table (``tasks``) is not
  a targets table. When a plan has such a
  table, the table is the list: the prose that repeats it adds nothing.
- **The prose section** otherwise: the first heading that names targets ("Mục tiêu cụ thể",
  "Mục tiêu, chỉ tiêu", "Chỉ tiêu"...). Its numbered or bulleted paragraphs are targets; a
  sub-heading with paragraphs under it ("2.1. Kinh tế số") is their ``group``; sub-sections on
  general goals or requirements ("Mục tiêu chung", "Yêu cầu") are skipped. A statement holding
  several targets gives several (``values.split_targets``).

Codes: the document's own number with its brackets dropped ("(16)" -> "16", "1.5" -> "1.5").
Where numbers restart under each group, every code is prefixed with its group's number
("1.5.16"). A numbered item holding several targets gives "16a", "16b". Items the document
does not number get "T1", "T2"... by their position in the list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from . import values
from .document import Block, Document, Paragraph, Row, Table
from .outline import (
    UNMARKED_HEADING_RANK,
    Marker,
    heading_label,
    heading_rank,
    is_body_end,
    marker,
)
from .tables import fill_merged_down, fold, is_results_table, tidy_table
from .tasks import column_roles, is_task_header


class UnitSplitter(Protocol):
    """What ``extract_targets`` needs of ``units.UnitMatcher``."""

    def split(self, cell: str) -> list[str]: ...


# --- Headings of the prose targets section ------------------------------------------------------

_TARGET_WORDS = re.compile(r"\b(muc tieu|chi tieu)\b")
# A heading naming targets starts with the word ("MỤC TIÊU", "Các chỉ tiêu chủ yếu", "PHỤ LỤC I.
# DANH MỤC CHỈ TIÊU"), so a task "Xây dựng bộ chỉ tiêu ..." is not taken for one.
_TARGET_HEADING = re.compile(
    r"^(?:phu luc\s*\w*\s*[.:\-–—]?\s*)?"
    r"(?:(?:danh muc|bang|he thong|mot so|nhung|cac|nhom|ve)\s+)*(?:muc tieu|chi tieu)\b"
)
# Headings that name targets but are not the list: general goals, past results, tasks.
_NOT_TARGET_SECTION = re.compile(
    r"\b(chung|tong quat|tong the|ket qua|danh gia|tinh hinh|nhiem vu|giai phap)\b"
)
# Sub-sections inside a targets section whose paragraphs are not targets.
_SKIPPED_SUBSECTION = re.compile(
    r"\b(muc tieu chung|muc tieu tong quat|muc tieu tong the|yeu cau|muc dich|quan diem"
    r"|nhiem vu|giai phap|to chuc thuc hien|kinh phi)\b"
)
# Unmarked headings that close a targets section whatever their rank.
_CLOSING_HEADING = re.compile(r"^(nhiem vu|giai phap|to chuc thuc hien|kinh phi|danh muc|phu luc)")
# What is left of a heading that only says "targets" ("Mục tiêu, chỉ tiêu cụ thể năm 2026"):
# such a heading is not a group name.
_TARGET_ONLY_WORDS = re.compile(
    r"\b(muc tieu|chi tieu|cu the|chu yeu|chinh|nam \d{4}|den|cac|va|cua ke hoach|\d{4})\b"
)


def _heading_key(label: str) -> str:
    """The part of a heading that names it: before a colon ("Mục tiêu: Số liệu ...")."""
    return fold(label.split(":", 1)[0])


def _is_target_heading(label: str, year: int | None) -> bool:
    key = _heading_key(label)
    if not _TARGET_HEADING.match(key) or _NOT_TARGET_SECTION.search(key):
        return False
    # "Chỉ tiêu năm 2025" in a review of last year is not this plan's list.
    years = [int(y) for y in re.findall(r"\b(20\d\d)\b", key)]
    return not (year is not None and years and max(years) < year)


def _is_target_only_heading(label: str) -> bool:
    key = _heading_key(label)
    leftover = _TARGET_ONLY_WORDS.sub(" ", key)
    return bool(_TARGET_WORDS.search(key)) and not re.sub(r"[\W_]+", "", leftover)


def group_name(label: str) -> str:
    """A sub-heading as a group name: no number, no colon, no leading "Về" ("About")."""
    name = heading_label(label)
    name = re.sub(r"^(?:về|Về|VỀ)\s+", "", name)
    return name[:1].upper() + name[1:] if name else name


# --- Target drafts, before codes are assigned ---------------------------------------------------


@dataclass
class _Draft:
    number: str | None  # the item's own number, brackets dropped
    group_number: str | None  # the number of the heading or table section it sits under
    part: int  # 0 for the only target of an item; 1, 2... when an item holds several
    target: dict[str, Any] = field(default_factory=dict)


def extract_targets(
    doc: Document, *, year: int | None, matcher: UnitSplitter
) -> tuple[list[dict[str, Any]], list[str]]:
    """The plan's targets per docs/contracts/plan-json.md, and warnings in Vietnamese."""
    warnings: list[str] = []
    drafts = _drafts_from_tables(doc, year, matcher, warnings)
    if not drafts:
        drafts = _drafts_from_prose(doc, year)
    if not drafts:
        warnings.append(
            "Không tìm thấy chỉ tiêu nào (không có bảng chỉ tiêu hay mục “Mục tiêu cụ thể”); "
            "hãy kiểm tra lại tệp hoặc nhập chỉ tiêu bằng tay sau khi nhập kế hoạch."
        )
    return _with_codes(drafts), warnings


def _target(
    *,
    group: str | None,
    name: str,
    value: dict[str, Any],
    line: int,
    measure_unit: str | None = None,
    upper_level: dict[str, Any] | None = None,
    owner: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "code": None,
        "group": group,
        "name": name,
        "measure_unit": measure_unit if measure_unit is not None else value.get("measure_unit"),
        "kind": value.get("kind"),
        "comparator": value.get("comparator"),
        "value": value.get("value"),
        "value_text": value.get("value_text"),
        "upper_level": upper_level,
        "owner": owner or [],
        "line": line,
    }


def _with_codes(drafts: list[_Draft]) -> list[dict[str, Any]]:
    """Codes as numbered in the document, made unique; "T1", "T2"... for unnumbered items."""
    numbers = [(d.number, d.part) for d in drafts if d.number is not None and d.part <= 1]
    qualify = len(set(numbers)) < len(numbers)
    codes: list[str] = []
    for index, draft in enumerate(drafts, start=1):
        if draft.number is None:
            codes.append(f"T{index}")
            continue
        code = draft.number
        if qualify and draft.group_number:
            code = f"{draft.group_number}.{code}"
        if draft.part:
            code += (
                f".{draft.part}"
                if code[-1].isalpha()
                else "abcdefghijklmnopqrstuvwxyz"[(draft.part - 1) % 26]
            )
        codes.append(code)
    if len(set(codes)) < len(codes):
        # Numbering the parser could not make unique (e.g. "1." restarting under unnumbered
        # groups): positions are at least stable and distinct.
        codes = [f"T{i}" for i in range(1, len(drafts) + 1)]
    targets = []
    for draft, code in zip(drafts, codes, strict=True):
        targets.append({**draft.target, "code": code})
    return targets


# --- Targets tables ----------------------------------------------------------------------------


@dataclass
class _Columns:
    name: int
    code: int | None = None
    unit: int | None = None
    owner: int | None = None
    upper: int | None = None
    value: int | None = None
    # Other horizons: (column, label as written, year).
    horizons: list[tuple[int, str, int]] = field(default_factory=list)
    header: tuple[str, ...] = ()


_YEAR = re.compile(r"\b(20\d\d)\b")


def _column_role(header: str) -> str | None:
    key = fold(header)
    if not key:
        return None
    if re.search(r"\b(ghi chu|phoi hop|nguon|minh chung|thoi gian|thoi han)\b", key):
        return None
    if re.fullmatch(r"(s\.?\s?tt|tt|stt|so tt|so thu tu|ma|ma so|ma chi tieu|so)\.?", key):
        return "code"
    if re.search(r"\b(don vi tinh|dvt|don vi do)\b", key):
        return "unit"
    if re.search(r"\b(chu tri|theo doi|phu trach|co quan|don vi thuc hien|don vi)\b", key):
        return "owner"
    # On the original spelling: folded, "tỉnh" (province) and "tính" (count) are one word.
    if re.search(r"(?<!\w)(tỉnh|thành phố|tp|cấp trên|trung ương|quốc gia)(?!\w)", header, re.I):
        return "upper"
    if _YEAR.search(key):
        return "value"
    if re.search(r"\b(chi tieu|tieu chi|noi dung|ten)\b", key):
        return "name"
    if re.search(r"\b(ket qua|gia tri|muc tieu|ke hoach|chi so)\b", key):
        return "value"
    return None


def _header_columns(cells: Sequence[str], year: int | None) -> _Columns | None:
    """The columns of a targets table from its header row; None when it is not one."""
    filled = [c for c in cells if c.strip()]
    # Header cells are labels: short, and none of them a numbered item or a value.
    if len(filled) < 2 or any(len(c) > 80 or _starts_with_data(c) for c in filled):
        return None
    roles: dict[str, list[int]] = {}
    for i, cell in enumerate(cells):
        role = _column_role(cell)
        if role is not None:
            roles.setdefault(role, []).append(i)
    if any(re.search(r"\bnhiem vu\b", fold(c)) for c in cells) or is_task_header(
        column_roles(cells)
    ):
        return None  # a tasks table (tasks.py reads it)
    names = roles.get("name", [])
    value_cols = roles.get("value", [])
    if not names and len(value_cols) >= 2:
        # "TT | Mục tiêu | Mục tiêu năm 2026": the first target word column without a year names.
        plain = [i for i in value_cols if not _YEAR.search(cells[i])]
        if plain:
            names = [plain[0]]
            value_cols = [i for i in value_cols if i != plain[0]]
    if not names:
        return None
    name = names[0]
    # A second "Chỉ tiêu" column ("Chỉ tiêu của phường") holds values.
    value_cols = sorted(set(value_cols) | set(names[1:]))
    if not value_cols and "unit" not in roles:
        return None
    dated = [(i, int(_YEAR.findall(cells[i])[-1])) for i in value_cols if _YEAR.search(cells[i])]
    if (
        dated
        and year is not None
        and all(y < year for _, y in dated)
        and len(dated) == len(value_cols)
    ):
        return None  # last year's results, not this plan's targets
    cols = _Columns(name=name, header=tuple(cells))
    cols.code = roles.get("code", [None])[0]
    cols.unit = roles.get("unit", [None])[0]
    cols.owner = roles.get("owner", [None])[0]
    cols.upper = roles.get("upper", [None])[0]
    plan_year = [i for i, y in dated if y == year]
    undated = [i for i in value_cols if not _YEAR.search(cells[i])]
    future = sorted((y, i) for i, y in dated if year is None or y >= year)
    if plan_year:
        cols.value = plan_year[0]
    elif undated:
        cols.value = undated[0]
    elif future:
        cols.value = future[0][1]
    cols.horizons = [
        (i, cells[i], y) for i, y in dated if i != cols.value and (year is None or y >= year)
    ]
    return cols


def _starts_with_data(cell: str) -> bool:
    """A number or a numbered item ("1", "2. Tỷ lệ"), but not a year heading ("2026")."""
    return bool(re.match(r"^\s*\d", cell)) and not re.match(r"^\s*20\d\d\b", cell)


def _find_header(table: Table, year: int | None) -> tuple[int, _Columns] | None:
    """The header row among a table's first rows, with a second header row folded in."""
    for index, row in enumerate(table.rows[:3]):
        cols = _header_columns(row.cells, year)
        if cols is None:
            continue
        sub = table.rows[index + 1] if index + 1 < len(table.rows) else None
        if sub is not None and _is_sub_header(sub):
            merged = tuple(
                " ".join(p for p in (top, below) if p)
                for top, below in zip(
                    _pad(row.cells, len(sub.cells)), _pad(sub.cells, len(row.cells)), strict=True
                )
            )
            merged_cols = _header_columns(merged, year)
            if merged_cols is not None:
                return index + 1, merged_cols
        return index, cols
    return None


def _pad(cells: Sequence[str], n: int) -> tuple[str, ...]:
    return tuple(cells) + ("",) * (n - len(cells))


def _is_sub_header(row: Row) -> bool:
    """A second header row: "| | Năm 2026 | Năm 2030 |" — years or labels, no data."""
    filled = [c for c in row.cells if c.strip()]
    if not filled:
        return False
    return all(len(c) <= 40 for c in filled) and any(_YEAR.search(c) for c in filled)


def _same_header(a: Sequence[str], b: Sequence[str]) -> bool:
    fa = [fold(c) for c in a if c.strip()]
    fb = [fold(c) for c in b if c.strip()]
    return bool(fa) and fa == fb


# A group's number: a Roman numeral or a capital letter ("I", "II.", "A").
_GROUP_CELL = re.compile(r"^([IVXL]{1,6}|[A-H])\s*[.)]?$")
_GROUP_PREFIX = re.compile(r"^([IVXL]{1,6}|[A-H])\s*[.\-–)]\s+(.+)$")


def _cell(cells: Sequence[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def _group_row(cells: Sequence[str], cols: _Columns) -> tuple[str | None, str] | None:
    """(number, title) when the row is a group heading ("I | Phát triển hạ tầng | | |")."""
    filled = [(i, c.strip()) for i, c in enumerate(cells) if c.strip()]
    if not filled:
        return None
    code = _cell(cells, cols.code)
    data_cols = [cols.unit, cols.value, cols.owner, cols.upper] + [h[0] for h in cols.horizons]
    data = [_cell(cells, i) for i in data_cols if i is not None]
    if code and _GROUP_CELL.match(code):
        title = _cell(cells, cols.name) or next((c for i, c in filled if i != cols.code), "")
        return code.rstrip(".) "), title
    if len(filled) == 1 and not any(data):
        text = filled[0][1]
        m = _GROUP_PREFIX.match(text)
        if m:
            return m.group(1), m.group(2)
        if not code and not text[:1].islower():
            return None, text
    return None


def _code_cell(text: str) -> str | None:
    text = text.strip().strip("()").rstrip(".").strip()
    return text or None


def _table_blocks(doc: Document, year: int | None) -> Iterator[tuple[_Columns, list[Row]]]:
    """Each targets table with its body rows, tidied (``tables.tidy_table``): repeated headers
    dropped, rows split by a page break joined. A table continued in a following table (its
    header repeated, or no header and as many columns) goes on with the same rows, tidied as
    one table so that a row cut at the foot of a page takes in its rest at the top of the next.
    A previous year's results table (``tables.is_results_table``) is not a targets table."""
    # (columns, the header row's line, the raw rows of the table and its continuations)
    current: tuple[_Columns, int, list[Row]] | None = None
    context: list[str] = []

    def body(run: tuple[_Columns, int, list[Row]]) -> tuple[_Columns, list[Row]]:
        cols, header_line, rows = run
        found = _body_rows(Table(rows=tuple(rows)), cols, header_line)
        if cols.value is None:
            cols.value = _value_column(found, cols, year)
        return cols, found

    for block in doc.blocks:
        if isinstance(block, Paragraph):
            if block.text.strip():
                context = [*context[-2:], block.text]
                if current is not None:
                    yield body(current)
                    current = None
            continue
        found = _find_header(block, year)
        if found is not None:
            index, cols = found
            if is_results_table(cols.header, context, year):
                continue
            if current is not None and _same_header(current[0].header, cols.header):
                current[2].extend(block.rows)
                continue
            if current is not None:
                yield body(current)
            current = (cols, block.rows[index].line, list(block.rows))
        elif current is not None and _width(block) == len(current[0].header):
            current[2].extend(block.rows)
        elif current is not None:
            yield body(current)
            current = None
    if current is not None:
        yield body(current)


def _value_column(rows: Sequence[Row], cols: _Columns, year: int | None) -> int | None:
    """The value column read off its cells where no header word named it ("Phấn đấu đạt"):
    the first unnamed column most of whose cells hold a value ("≥ 85", "06", "trên 60%")."""
    named = {cols.name, cols.code, cols.unit, cols.owner, cols.upper}
    for index in range(len(cols.header)):
        if index in named:
            continue
        cells = [_cell(r.cells, index) for r in rows]
        cells = [c for c in cells if c]
        measured = [c for c in cells if values.parse_value(c, year=year).get("value") is not None]
        if cells and len(measured) * 3 >= len(cells) * 2:
            return index
    return None


def _body_rows(table: Table, cols: _Columns, header_line: int) -> list[Row]:
    number_columns = (cols.code,) if cols.code is not None else ()
    # A unit, owner or value cell merged down over several targets belongs to each of them.
    merged = [c for c in (cols.unit, cols.owner, cols.upper, cols.value) if c is not None]
    table = Table(rows=fill_merged_down(table.rows, merged), ruled=table.ruled)
    # A row without a number, value or unit after a page break is the rest of the row above.
    anchors = [c for c in (cols.value, cols.unit) if c is not None]
    tidy = tidy_table(table, number_columns=number_columns, anchor_columns=anchors)
    return [
        row
        for row in tidy.rows
        if row.line > header_line and not _same_header(row.cells, cols.header)
    ]


def _width(table: Table) -> int:
    return max((len(r.cells) for r in table.rows), default=0)


def _drafts_from_tables(
    doc: Document, year: int | None, matcher: UnitSplitter, warnings: list[str]
) -> list[_Draft]:
    drafts: list[_Draft] = []
    for cols, rows in _table_blocks(doc, year):
        drafts.extend(_drafts_from_rows(cols, rows, year, matcher, warnings))
        if cols.value is None:
            warnings.append(
                "Bảng chỉ tiêu không có cột giá trị; các chỉ tiêu được ghi là định tính, "
                "hãy bổ sung giá trị sau khi nhập."
            )
        elif (
            year is not None
            and _YEAR.search(cols.header[cols.value])
            and (str(year) not in cols.header[cols.value])
        ):
            warnings.append(
                f"Bảng chỉ tiêu không có cột cho năm {year}; đã lấy cột "
                f"“{cols.header[cols.value]}” làm giá trị, hãy kiểm tra lại các chỉ tiêu."
            )
    return drafts


def _drafts_from_rows(
    cols: _Columns, rows: list[Row], year: int | None, matcher: UnitSplitter, warnings: list[str]
) -> list[_Draft]:
    drafts: list[_Draft] = []
    group: str | None = None
    group_number: str | None = None
    for row in rows:
        cells = row.cells
        heading = _group_row(cells, cols)
        if heading is not None:
            group_number, title = heading
            group = group_name(title) or None
            continue
        name = _cell(cells, cols.name).rstrip(" .;,")
        if not name:
            continue
        unit = _cell(cells, cols.unit) or None
        raw_value = _cell(cells, cols.value)
        value = values.parse_value(raw_value, unit, year=year)
        if not raw_value:
            warnings.append(
                f"Chỉ tiêu “{name}” (dòng {row.line}) không có giá trị trong bảng; đã ghi là "
                "chỉ tiêu định tính, hãy bổ sung giá trị nếu có."
            )
        horizons = [(label, _cell(cells, i)) for i, label, _ in cols.horizons if _cell(cells, i)]
        if horizons:
            main = value.get("value_text") or ""
            extra = "; ".join(f"{_horizon_label(label)}: {text}" for label, text in horizons)
            value = {**value, "value_text": f"{main} ({extra})" if main else extra}
        upper_raw = _cell(cells, cols.upper)
        upper = None
        if upper_raw:
            parsed = values.parse_value(upper_raw, unit, year=year)
            upper = {k: parsed.get(k) for k in ("comparator", "value", "value_text")}
        owner_cell = _cell(cells, cols.owner)
        target = _target(
            group=group,
            name=name,
            value=value,
            line=row.line,
            measure_unit=unit or value.get("measure_unit"),
            upper_level=upper,
            owner=matcher.split(owner_cell) if owner_cell else [],
        )
        drafts.append(_Draft(_code_cell(_cell(cells, cols.code)), group_number, 0, target))
    return drafts


def _horizon_label(header: str) -> str:
    """The horizon a column names: "Chỉ tiêu năm 2030" -> "năm 2030"."""
    year = _YEAR.findall(header)[-1]
    return f"năm {year}"


# --- Prose targets -----------------------------------------------------------------------------


@dataclass
class _Node:
    par: Paragraph | None  # None for the section's root
    mark: Marker | None
    rank: int
    heading: bool  # can hold paragraphs under it (numbered section or unmarked heading)
    children: list[_Node] = field(default_factory=list)

    @property
    def text(self) -> str:
        if self.par is None:
            return ""
        return self.mark.rest if self.mark is not None else self.par.text


def _paragraphs(blocks: Sequence[Block]) -> list[tuple[int, Paragraph]]:
    return [(i, b) for i, b in enumerate(blocks) if isinstance(b, Paragraph) and b.text.strip()]


def _target_sections(doc: Document, year: int | None) -> Iterator[list[Paragraph]]:
    """The paragraphs under each heading that names targets, outermost first."""
    paras = _paragraphs(doc.blocks)
    pos = 0
    while pos < len(paras):
        _, par = paras[pos]
        rank = heading_rank(par)
        if rank is None or not _is_target_heading(heading_label(par.text), year):
            pos += 1
            continue
        body: list[Paragraph] = []
        end = pos + 1
        while end < len(paras):
            nxt = paras[end][1]
            if _closes_section(nxt, rank):
                break
            body.append(nxt)
            end += 1
        yield [par, *body]
        pos = end


def _closes_section(par: Paragraph, rank: int) -> bool:
    if is_body_end(par.text):
        return True
    nxt_rank = heading_rank(par)
    if nxt_rank is None:
        return False
    if nxt_rank == UNMARKED_HEADING_RANK and marker(par.text) is None:
        return bool(_CLOSING_HEADING.match(fold(par.text)))
    return nxt_rank <= rank


def _merge_continuations(paras: list[Paragraph]) -> list[Paragraph]:
    """Join a paragraph split by a page break: the second part starts in lower case."""
    out: list[Paragraph] = []
    for par in paras:
        text = par.text.strip()
        if out and text[:1].islower() and marker(text) is None:
            prev = out[-1]
            if not re.search(r"[.;:!?]$", prev.text.strip()):
                out[-1] = Paragraph(f"{prev.text.strip()} {text}", prev.line, prev.bold)
                continue
        out.append(par)
    return out


def _tree(paras: list[Paragraph]) -> _Node:
    root_par = paras[0]
    root = _Node(root_par, marker(root_par.text), heading_rank(root_par) or 0, True)
    stack = [root]
    for par in _merge_continuations(paras[1:]):
        mark = marker(par.text)
        rank = heading_rank(par)
        if rank is not None:
            node = _Node(par, mark, rank, True)
        elif mark is not None:
            node = _Node(par, mark, mark.rank, False)
        else:
            node = _Node(par, None, 1000, False)
            # A plain paragraph belongs to the nearest heading, never under a list item.
            while len(stack) > 1 and not stack[-1].heading:
                stack.pop()
            stack[-1].children.append(node)
            continue
        while len(stack) > 1 and stack[-1].rank >= node.rank:
            stack.pop()
        stack[-1].children.append(node)
        stack.append(node)
    return root


def _drafts_from_prose(doc: Document, year: int | None) -> list[_Draft]:
    for section in _target_sections(doc, year):
        drafts: list[_Draft] = []
        _walk(_tree(section), None, None, drafts)
        if drafts:
            return drafts
    return []


def _walk(node: _Node, group: str | None, group_number: str | None, out: list[_Draft]) -> None:
    siblings_are_groups = any(child.children for child in node.children)
    for child in node.children:
        label = heading_label(child.par.text) if child.par is not None else ""
        if child.heading and _SKIPPED_SUBSECTION.search(_heading_key(label)):
            continue
        number = child.mark.label if child.mark is not None and child.mark.numbered else None
        if child.children:
            if _is_target_only_heading(label):
                _walk(child, group, group_number, out)
            else:
                _walk(child, group_name(label), number or group_number, out)
            continue
        statement, item_group, item_group_number = child.text, group, group_number
        if child.heading and siblings_are_groups:
            # "1.3. Phát triển khoa học, công nghệ: Triển khai ứng dụng AI ...": a sub-heading
            # with its one target on the same line; its number is the target's code.
            head, sep, tail = child.text.partition(":")
            if sep and tail.strip() and len(head) <= 120 and not _is_bare_value(tail):
                statement, item_group, item_group_number = tail, group_name(head), None
        assert child.par is not None
        _add_statement(out, statement, item_group, item_group_number, number, child.par.line)


def _is_bare_value(text: str) -> bool:
    """After a colon, a value alone ("100%", "≥ 80%", "02 lớp") rather than a statement."""
    return bool(
        re.match(
            r"^\s*(?:[<>≥≤=]|tr[eê]n|t[oố]i thi[eể]u)?\s*[\d.,]+\s*\S{0,12}\s*\.?$", text, re.I
        )
    )


def _add_statement(
    out: list[_Draft],
    statement: str,
    group: str | None,
    group_number: str | None,
    number: str | None,
    line: int,
) -> None:
    statement = statement.strip()
    if not statement:
        return
    parts = values.split_targets(statement)
    for index, part in enumerate(parts, start=1):
        name = (part.get("name") or statement).strip()
        target = _target(group=group, name=name, value=part, line=line)
        out.append(_Draft(number, group_number, index if len(parts) > 1 else 0, target))
