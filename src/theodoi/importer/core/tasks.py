"""Tasks ("nhiệm vụ") and the previous year's results out of a Document. (Owner: tasks helper.)

Where tasks come from
    The plan's task table(s): a table whose header names the work ("Tên nhiệm vụ", "Nội dung
    nhiệm vụ", "Mã nhiệm vụ tổng quát"...) and its lead unit or deadline ("Cơ quan chủ trì",
    "Thời gian thực hiện"...). Columns are found by their header words, in any order and any
    subset. Only when a plan has no task table are tasks read from the numbered prose of its
    "NHIỆM VỤ ... GIẢI PHÁP" section (with a warning: such tasks name no lead or deadline).

Rows
    A group row (a Roman numeral, or a row whose only text is a heading) sets ``group`` for the
    tasks below it. Repeated header rows and rows split across page breaks are handled by
    ``tables.tidy_table``. A general task with several sub-tasks (a "Tiểu nhiệm vụ" column, or
    rows numbered "1.1", "1.2" under "1") becomes a parent with children; with a single
    sub-task it is one task.

Lines
    ``line`` is the ``Row.line`` of the row where the task starts (a text file's 1-based line;
    a DOCX/PDF's ordinal): for a row cut by a page break, its first part; for a general task
    with one sub-task, their shared row; for a parent, the general task's row; for a prose
    task, its paragraph's line.

Columns
    Each column's role comes from its header words (``column_roles``) and, where they say
    nothing, from what its cells hold (``roles_from_cells``: deadline phrases, unit names), in
    any order. A cell merged down over several rows belongs to each of them.

Group rows
    Decided over the whole table: a Roman or lettered row, a heading merged across the row, and
    numbered rows ("1 | Nhận thức số") that carry no lead, deadline or output while every row
    at their level is like them and has rows numbered under it (``_numbered_group_rows``). A
    bare numbered row among numbered tasks that carry their fields is a parent task.
    Where such rows are at least half of their level but not all, the call is close: the
    default reading keeps them parent tasks, the other reading (``"numbered_groups"`` in
    ``read_tasks``'s ``other_readings``) makes them group headings, and
    ``TaskReading.close_calls`` says so, for ``parse.parse_document`` to build both readings
    and keep the more plausible.

Codes (contract, "Structure rules")
    The printed number. Where plain numbers restart in each group (``numbering_restarts``) the
    group's numeral is put in front ("II.2"); where they run on, the bare number ("7"). A
    number that already carries its group's ("1.2" under group "1") stays as printed. A task
    without a number gets its position in its group; where the document numbers neither tasks
    nor groups, "T1", "T2"...; ``parent`` is the parent's code.

Results rows (``results``), from a table ``tables.is_results_table`` accepts::

    {
      "code": "3",                 # as numbered in the table, or null
      "group": "Chính quyền số",   # group row above it, or null
      "name": "Triển khai ...",    # the task or target the row reports on
      "lead": ["Công an phường"],  # canonical unit names, [] if no such column
      "planned": "100%",           # "Kế hoạch" / "Chỉ tiêu giao" column, or null
      "result": "Đạt 98%",         # "Kết quả (thực hiện)" / "Thực hiện năm 2025" column, or null
      "evaluation": "Hoàn thành",  # "Đánh giá" / "Mức độ hoàn thành" column, or null
      "status": "completed",       # "completed" | "in_progress" | "not_completed" | null
      "note": null,                # "Ghi chú" column, or null
      "line": 120                  # the row's line (Row.line)
    }

``status`` is read from the evaluation/result words ("Hoàn thành", "Đang thực hiện", "Chưa
hoàn thành") or from a tick ("x") in a column headed by such words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from .deadlines import parse_deadline
from .document import Document, Paragraph, Row, Table
from .tables import (
    LETTER_PREFIX,
    NUMBER_CELL,
    NUMBER_PREFIX,
    ROMAN_CELL,
    ROMAN_PREFIX,
    TidyTable,
    fill_merged_down,
    fold,
    header_text,
    is_header_row,
    is_results_table,
    tidy_table,
)


class Matcher(Protocol):
    def split(self, cell: str) -> list[str]: ...

    def is_known(self, name: str | None) -> bool: ...


FIELD_ROLES = ("output", "kpi", "lead", "support", "deadline", "note")

# A column ticked when a row's work is (not) done: "Hoàn thành", "Chưa hoàn thành"...
_STATUS_HEADER = re.compile(r"^((da|chua|khong) )?hoan thanh\b|^(da|chua|dang) thuc hien\b")

# Header words -> column role, most specific first (a "Thời gian thực hiện nhiệm vụ" column is
# a deadline, a "Cơ quan chủ trì theo dõi, đánh giá" column is a lead).
_ROLE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("code", re.compile(r"^(s?tt|so tt|so thu tu|ma|ma so|ma nv|so)\.?$")),
    (
        "deadline",
        re.compile(
            r"thoi gian|thoi han|tien do|han hoan thanh|moc thoi|thoi diem|lo trinh|"
            r"moc hoan thanh|^moc\b|^han\b|^hoan thanh$"
        ),
    ),
    ("support", re.compile(r"^(?!.*chu tri).*(phoi hop|tham muu)")),
    ("lead", re.compile(r"chu tri|don vi thuc hien|co quan thuc hien|chiu trach nhiem")),
    (
        "output",
        re.compile(r"san pham|dau ra|yeu cau ket qua|ket qua can dat|ket qua du kien"),
    ),
    ("kpi", re.compile(r"\bkpi\b|do luong|chi (so|tieu) danh gia")),
    ("unit", re.compile(r"^(don vi tinh|dvt)\b")),
    ("note", re.compile(r"ghi chu")),
    ("planned", re.compile(r"^(ke hoach|chi tieu giao|chi tieu ke hoach|muc tieu)")),
    ("status", _STATUS_HEADER),
    ("result", re.compile(r"^(ket qua|thuc hien|gia tri thuc hien)")),
    ("evaluation", re.compile(r"^(danh gia|muc do|tinh trang|xep loai)")),
    (
        "sub",
        re.compile(r"tieu nhiem vu|nhiem vu con|(nhiem vu|cong viec|hoat dong|noi dung) cu the"),
    ),
    ("name", re.compile(r"nhiem vu|cong viec|hoat dong|giai phap")),
    ("target", re.compile(r"chi tieu")),
    # "Nội dung", "Tên": the work only when no column speaks of targets (see column_roles).
    ("content", re.compile(r"^(noi dung|ten)\b")),
)


def column_roles(header: Sequence[str]) -> dict[str, int]:
    """Column index of each role the header names; the first column of a role wins.

    A "Nội dung" or "Tên" column is the task's name, unless the table measures targets (a
    "Chỉ tiêu" or "Đơn vị tính" column): then it is the target's name and the table holds no
    tasks.

    An unnamed column (often the "Ghi chú" column whose header was lost) is the note column
    when no other column is.
    """
    roles: dict[str, int] = {}
    for index, cell in enumerate(header):
        text = header_text(cell)
        if not text:
            continue
        for role, pattern in _ROLE_PATTERNS:
            if pattern.search(text):
                roles.setdefault(role, index)
                break
    # Of a start and an end column, the end is the deadline.
    ends = [
        i for i, c in enumerate(header) if re.search(r"ket thuc|hoan thanh|\bden\b", header_text(c))
    ]
    if (
        "deadline" in roles
        and ends
        and re.search(r"bat dau|\btu\b", header_text(header[roles["deadline"]]))
    ):
        roles["deadline"] = ends[0]
    content = roles.pop("content", None)
    if content is not None and "name" not in roles and not {"target", "unit"} & roles.keys():
        roles["name"] = content
    elif content is not None and "target" not in roles and "unit" in roles:
        roles["target"] = content
    if "note" not in roles and roles:
        # Wherever the columns run (``roles_from_cells`` gives it another role where its cells
        # hold units or deadlines).
        unnamed = [i for i, c in enumerate(header) if not c.strip()]
        if unnamed:
            roles["note"] = unnamed[0]
    return roles


def is_task_header(roles: dict[str, int]) -> bool:
    has_work = "name" in roles or "sub" in roles
    return has_work and ("lead" in roles or "deadline" in roles)


# --- extraction --------------------------------------------------------------------------


@dataclass
class _Item:
    number: str | None
    name: str
    fields: dict[str, str]
    line: int
    group: str | None
    group_code: str | None
    children: list[_Item] = field(default_factory=list)


@dataclass
class _State:
    year: int
    matcher: Matcher
    group: str | None = None
    group_code: str | None = None
    groups_seen: int = 0
    items: list[_Item] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    other_readings: frozenset[str] = frozenset()
    close_numbers: list[str] = field(default_factory=list)


# Each decision taken over a whole table that can be a close call, by name: what the default
# reading and the other reading make of the rows concerned (words of the preview's warning).
READINGS: dict[str, tuple[str, str]] = {
    "numbered_groups": ("nhiệm vụ cha", "tiêu đề nhóm nhiệm vụ"),
}


@dataclass
class TaskReading:
    """One reading of a document's tasks. ``close_calls`` holds, by decision (``READINGS``),
    the Vietnamese words naming the rows whose reading was a close call; empty where every
    decision was sure."""

    tasks: list[dict[str, Any]]
    results: list[dict[str, Any]]
    warnings: list[str]
    close_calls: dict[str, str]


def extract_tasks(
    doc: Document, *, year: int, matcher: Matcher
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """Return ``(tasks, results, warnings)`` of the default reading (``read_tasks``)."""
    reading = read_tasks(doc, year=year, matcher=matcher)
    return reading.tasks, reading.results, reading.warnings


def read_tasks(
    doc: Document,
    *,
    year: int,
    matcher: Matcher,
    other_readings: frozenset[str] = frozenset(),
) -> TaskReading:
    """The tasks, results and warnings of ``doc``; see the module docstring for the rules.

    ``other_readings`` names the decisions (``READINGS``) whose close calls are read the other
    way. Each task has the contract's keys in its order; ``missing`` is left empty for the
    caller (``parse.parse_document``) to fill with ``fiveclear.missing_clear``.
    """
    state = _State(year=year, matcher=matcher, other_readings=other_readings)
    results: list[dict[str, Any]] = []
    found_task_table = False
    for table, context in _tables_with_context(doc):
        tidy = _tidy_for_roles(table, matcher, year)
        if tidy is None:
            continue
        tidy_t, roles = tidy
        if is_results_table(tidy_t.header, context, year):
            results.extend(_results_rows(tidy_t, roles, matcher))
            continue
        if not is_task_header(roles):
            continue
        found_task_table = True
        _read_task_table(tidy_t, roles, state)

    tasks = _build_tasks(state) if found_task_table else _prose_tasks(doc, state)
    if not tasks:
        state.warnings.append(
            "Không tìm thấy danh mục nhiệm vụ trong kế hoạch; hãy kiểm tra tệp đã chọn hoặc "
            "nhập các nhiệm vụ bằng tay."
        )
    close_calls: dict[str, str] = {}
    if state.close_numbers:
        rows = "dòng" if len(state.close_numbers) == 1 else "các dòng"
        close_calls["numbered_groups"] = (
            f"{rows} đánh số {', '.join(state.close_numbers)} không ghi đơn vị chủ trì, thời "
            "hạn hay sản phẩm"
        )
    return TaskReading(tasks, results, state.warnings, close_calls)


def _tables_with_context(doc: Document) -> list[tuple[Table, list[str]]]:
    """Each table (a headerless table that continues the one before is joined to it) with the
    paragraphs between it and the previous table, nearest last."""
    out: list[tuple[Table, list[str]]] = []
    between: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            between.append(block.text)
            continue
        if out and _continues_previous(out[-1][0], block, between):
            previous, context = out[-1]
            out[-1] = (Table(rows=previous.rows + block.rows), context)
        else:
            out.append((block, between[-6:]))
        between = []
    return out


def _continues_previous(previous: Table, table: Table, between: list[str]) -> bool:
    """A table cut by a page break or footer: it has no header of its own or repeats the
    header of the table before, has the same width, and nothing like a heading (an annex
    title, a Roman heading) stands between them."""
    if not table.rows or not previous.rows:
        return False
    width = max(len(r.cells) for r in previous.rows)
    if abs(max(len(r.cells) for r in table.rows) - width) > 1:
        return False
    first = table.rows[0].cells
    if is_header_row(first):
        header = next((r.cells for r in previous.rows[:3] if is_header_row(r.cells)), None)
        if header is None or [header_text(c) for c in header if c.strip()] != [
            header_text(c) for c in first if c.strip()
        ]:
            return False
    if len(between) > 3:
        return False
    for text in between:
        folded = fold(text)
        if folded.startswith(("phu luc", "danh muc", "bieu")) or ROMAN_PREFIX.match(text):
            return False
    return True


def _tidy_for_roles(
    table: Table, matcher: Matcher, year: int
) -> tuple[TidyTable, dict[str, int]] | None:
    first = tidy_table(table)
    if first.header is None:
        return None
    roles = column_roles(first.header)
    if "name" in roles or "sub" in roles:
        roles = roles_from_cells(first.rows, roles, matcher, year)
    anchors = [roles[r] for r in ("lead", "deadline") if r in roles]
    # Where the table has a number column, a row's number is there only: a name cell
    # starting "4.0 - Chợ ..." on a new page goes on with the row above.
    numbers = (
        [roles["code"]]
        if "code" in roles
        else [roles[r] for r in ("name", "sub", "target") if r in roles] or [0]
    )
    lists = [roles[r] for r in ("lead", "support") if r in roles]
    # A unit or deadline cell merged down over several tasks belongs to each of them.
    filled = Table(rows=fill_merged_down(table.rows, [roles[r] for r in FIELD_ROLES if r in roles]))
    tidy = tidy_table(filled, anchor_columns=anchors, number_columns=numbers, list_columns=lists)
    return tidy, roles


def roles_from_cells(
    rows: Sequence[Row], roles: dict[str, int], matcher: Matcher, year: int
) -> dict[str, int]:
    """Roles for the columns whose header named none, read off what their cells hold.

    A column is the deadline when most of its cells are phrases the deadline parser reads as a
    date or a recurrence, and the lead (then the support) when most of its cells name units
    the unit matcher knows, whatever the column's place or header words."""
    roles = dict(roles)
    width = max((len(r.cells) for r in rows), default=0)
    named = set(roles.values()) - {roles.get("note")}
    for index in range(width):
        if index in named:
            continue
        cells = [r.cells[index].strip() for r in rows if index < len(r.cells)]
        cells = [c for c in cells if c]
        if len(cells) < 2:
            continue
        if "deadline" not in roles and _most(cells, lambda c: _reads_as_deadline(c, year)):
            roles["deadline"] = index
        elif _most(cells, lambda c: _names_units(c, matcher)):
            role = "lead" if "lead" not in roles else "support" if "support" not in roles else None
            if role is not None:
                roles[role] = index
        else:
            continue
        if roles.get("note") == index:
            del roles["note"]
    return roles


def _most(cells: Sequence[str], test: Any) -> bool:
    return sum(1 for c in cells if test(c)) * 3 >= len(cells) * 2


def _reads_as_deadline(cell: str, year: int) -> bool:
    return len(cell) <= 80 and parse_deadline(cell, year)["kind"] in {"date", "recurring"}


def _names_units(cell: str, matcher: Matcher) -> bool:
    names = matcher.split(cell)
    return bool(names) and len(cell) <= 200 and matcher.is_known(names[0])


# --- task tables -------------------------------------------------------------------------


def _cell(row: Row, roles: dict[str, int], role: str) -> str:
    index = roles.get(role)
    if index is None or index >= len(row.cells):
        return ""
    return row.cells[index].strip()


def _read_task_table(tidy: TidyTable, roles: dict[str, int], state: _State) -> None:
    layered = "sub" in roles and "name" in roles
    current: _Item | None = state.items[-1] if state.items else None
    numbered_groups: set[int] = set()
    if not layered:
        numbered_groups, close = _numbered_group_rows(
            tidy.rows, roles, lenient="numbered_groups" in state.other_readings
        )
        state.close_numbers += close
    for index, row in enumerate(tidy.rows):
        fields = {r: _cell(row, roles, r) for r in FIELD_ROLES}
        code = _cell(row, roles, "code")
        general = _cell(row, roles, "name") or ("" if layered else _cell(row, roles, "sub"))
        sub = _cell(row, roles, "sub") if layered else ""

        group = _group_of(row, roles, code, general, sub, fields)
        if index in numbered_groups:
            number, title = _split_number(code, _heading_text(row, roles, code))
            group = (number, _tidy_name(title))
        if group is not None:
            state.groups_seen += 1
            # An unnumbered group gets the Roman numeral of its place, so that task numbers
            # restarting in each group still give distinct codes.
            state.group_code = group[0] or _roman(state.groups_seen)
            state.group = group[1]
            current = None
            continue

        number, general = _split_number(code, general)
        if layered:
            sub_number, sub = _split_number("", sub)
            if general or number:
                current = _new_item(state, number, general, {}, row.line)
                if sub or any(fields.values()):
                    if sub or sub_number:
                        current.children.append(_child(state, sub_number, sub, fields, row))
                    else:
                        current.fields = fields
            elif current is not None:
                current.children.append(_child(state, sub_number, sub, fields, row))
            else:
                current = _new_item(state, sub_number, sub, fields, row.line)
            continue

        if current is not None and number and _is_sub_number(number, current.number):
            current.children.append(_child(state, number, general, fields, row))
        elif current is not None and re.fullmatch(r"[a-zđ][.)]?|[-+•]", code):
            # "a", "b" or a dash in the number column: a sub-task of the numbered row above.
            letter_number = code.rstrip(".)") if code[0].isalpha() else None
            current.children.append(_child(state, letter_number, general, fields, row))
        elif current is not None and not number and not code and LETTER_PREFIX.match(general):
            letter = LETTER_PREFIX.match(general)
            assert letter is not None
            current.children.append(_child(state, letter.group(1), letter.group(2), fields, row))
        else:
            current = _new_item(state, number, general, fields, row.line)


def _numbered_group_rows(
    rows: Sequence[Row], roles: dict[str, int], *, lenient: bool = False
) -> tuple[set[int], list[str]]:
    """Indexes of numbered rows that are group headings, decided over the whole table, and
    the printed numbers of the rows that were a close call.

    Between two group rows (or in a table without them), the rows numbered at the top level
    ("1", "2") are group headings when none of them carries a lead, a deadline or an output and
    each is followed by rows numbered under it ("1.1", "1.2"): "1 | Nhận thức số" over its
    tasks. A bare numbered row among numbered tasks that carry their fields is a parent task.
    Where rows like "1 | Nhận thức số" are at least half of their level but not all, they are
    a close call: group headings only when ``lenient``."""
    segments: list[list[tuple[int, str, bool]]] = [[]]
    for index, row in enumerate(rows):
        code = _cell(row, roles, "code")
        general = _heading_text(row, roles, code)
        fields = {r: _cell(row, roles, r) for r in FIELD_ROLES}
        if _group_of(row, roles, code, general, "", fields) is not None:
            segments.append([])
            continue
        number, _ = _split_number(code, general)
        if number:
            filled = any(v and v != general for v in fields.values())
            segments[-1].append((index, number, filled))
    found: set[int] = set()
    close: list[str] = []
    for segment in segments:
        top = [(i, n, filled) for i, n, filled in segment if n.isdigit()]
        numbers = [n for _, n, _ in segment]
        heading_like = [
            i for i, n, filled in top if not filled and any(m.startswith(n + ".") for m in numbers)
        ]
        if top and len(heading_like) == len(top):
            found.update(heading_like)
        elif heading_like and 2 * len(heading_like) >= len(top):
            close += [n for i, n, _ in top if i in heading_like]
            if lenient:
                found.update(heading_like)
    return found, close


def _heading_text(row: Row, roles: dict[str, int], code: str) -> str:
    """The row's name; where the name cell is empty and one other cell holds the only text
    beside the number, that text (a heading merged across the row from another column)."""
    name = _cell(row, roles, "name") or _cell(row, roles, "sub")
    if name:
        return name
    others = {c.strip() for c in row.cells if c.strip()} - {code}
    return next(iter(others)) if len(others) == 1 else ""


def _new_item(
    state: _State, number: str | None, name: str, fields: dict[str, str], line: int
) -> _Item:
    item = _Item(
        number=number,
        name=_tidy_name(name),
        fields=fields,
        line=line,
        group=state.group,
        group_code=state.group_code,
    )
    state.items.append(item)
    return item


def _child(state: _State, number: str | None, name: str, fields: dict[str, str], row: Row) -> _Item:
    return _Item(
        number=number,
        name=_tidy_name(name),
        fields=fields,
        line=row.line,
        group=state.group,
        group_code=state.group_code,
    )


def _group_of(
    row: Row,
    roles: dict[str, int],
    code: str,
    general: str,
    sub: str,
    fields: dict[str, str],
) -> tuple[str | None, str] | None:
    """(group code, group name) when the row is a group heading, else None.

    A heading cell merged across the row may come back repeated in every column; repeats of
    the heading are not taken for a lead or a deadline."""
    distinct = {c.strip() for c in row.cells if c.strip()}
    # A heading merged across the row lands in whichever column starts the merge.
    spanning = any(row.cell(i).across > 1 for i, c in enumerate(row.cells) if c.strip())
    others = distinct - {code}
    title = general or sub or (next(iter(others)) if len(others) == 1 else "")
    if code and title and distinct <= {code, title}:
        roman = ROMAN_CELL.match(code)
        if roman:
            return roman.group(1), title
        if re.fullmatch(r"[A-Z]\.?", code):
            return code.rstrip("."), title
    if len(distinct) != 1:
        return None
    (text,) = distinct
    if text not in {code, general, sub} and not spanning:
        return None  # a lone word in a lead or deadline column is not a heading
    prefixed = ROMAN_PREFIX.match(text)
    if prefixed:
        return prefixed.group(1), prefixed.group(2).strip()
    if NUMBER_CELL.match(text) or NUMBER_PREFIX.match(text) or LETTER_PREFIX.match(text):
        return None
    if _starts_lower(text):
        return None  # the tail of a sentence cut by a page break
    return None, text


def _roman(number: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in numerals:
        while number >= value:
            out += letters
            number -= value
    return out


def _split_number(code: str, text: str) -> tuple[str | None, str]:
    """The item's number (from its code cell, else from the start of its text) and its text."""
    code = code.strip()
    if code:
        match = NUMBER_CELL.match(code)
        if match:
            return match.group(1), text
        bare = code.rstrip(".)")
        return (bare if bare.isalnum() else None), text
    match = NUMBER_PREFIX.match(text)
    if match:
        return (match.group(1) or match.group(2)), match.group(3).strip()
    return None, text


def _is_sub_number(number: str, parent: str | None) -> bool:
    return parent is not None and number.startswith(parent + ".")


def _tidy_name(text: str) -> str:
    return text.strip().rstrip(";,:").strip()


# --- from items to tasks -----------------------------------------------------------------


def _build_tasks(state: _State) -> list[dict[str, Any]]:
    tasks: list[dict[str, Any]] = []
    used: set[str] = set()
    position: dict[str | None, int] = {}
    restarts = numbering_restarts([(item.group_code, item.number) for item in state.items])
    # Positions are counted in a group where there is one ("III.1"); where the document numbers
    # neither its tasks nor its groups, codes are generated (contract, "Codes").
    printed = any(item.number or item.group_code for item in state.items)
    for index, item in enumerate(state.items, start=1):
        position[item.group_code] = position.get(item.group_code, 0) + 1
        if item.number:
            code = _code(item.group_code, item.number, restarts)
        elif not printed:
            code = f"T{index}"  # the document numbers nothing: codes are generated (contract)
        else:
            code = _join(item.group_code, str(position[item.group_code]))
        code = _unique(code, used, state, item.line)
        if len(item.children) == 1:
            child = item.children[0]
            fields = {r: child.fields.get(r) or item.fields.get(r, "") for r in FIELD_ROLES}
            tasks.append(_task(state, code, None, item, _one_name(item.name, child.name), fields))
            continue
        tasks.append(_task(state, code, None, item, item.name, item.fields))
        for index, child in enumerate(item.children, start=1):
            last = _last_component(child.number, item.number) or str(index)
            child_code = _unique(f"{code}.{last}", used, state, child.line)
            tasks.append(_task(state, child_code, code, child, child.name, child.fields))
    for task in tasks:
        if not task["name"]:
            state.warnings.append(
                f"Nhiệm vụ {task['code']} (dòng {task['line']}) không có tên nhiệm vụ; hãy "
                "kiểm tra lại bảng nhiệm vụ trong tệp gốc."
            )
    return tasks


def numbering_restarts(numbers: Sequence[tuple[str | None, str | None]]) -> bool:
    """True when the plain numbers ("1", "2") start again in a later group; False where they
    run on through the document (contract, "Codes").

    ``numbers`` are (group code, printed number) in document order."""
    previous_group: str | None = None
    last = 0
    seen_group = False
    for group, number in numbers:
        if not number or not number.isdigit():
            continue
        value = int(number)
        if seen_group and group != previous_group and value <= last:
            return True
        seen_group, previous_group, last = True, group, value
    return False


def _code(group_code: str | None, number: str, restarts: bool) -> str:
    """The printed number, with its group's numeral in front only where numbering restarts
    per group and the number does not already carry it ("1.2" under group "1")."""
    if not restarts or not group_code or number.startswith(group_code + "."):
        return number
    return f"{group_code}.{number}"


def _join(group_code: str | None, number: str) -> str:
    return f"{group_code}.{number}" if group_code else number


def _last_component(number: str | None, parent: str | None) -> str | None:
    if not number:
        return None
    if parent and number.startswith(parent + "."):
        return number[len(parent) + 1 :]
    if "." in number:
        return number.rsplit(".", 1)[1]
    return number


def _unique(code: str, used: set[str], state: _State, line: int) -> str:
    if code not in used:
        used.add(code)
        return code
    suffix = 2
    while f"{code}-{suffix}" in used:
        suffix += 1
    state.warnings.append(
        f"Mã nhiệm vụ {code} (dòng {line}) bị trùng nên được đổi thành {code}-{suffix}; "
        "hãy kiểm tra lại cách đánh số trong bảng."
    )
    used.add(f"{code}-{suffix}")
    return f"{code}-{suffix}"


def _one_name(general: str, sub: str) -> str:
    """One task's name from a general task and its only sub-task: the general task's words,
    with the sub-task's when they say something the general task does not."""
    if not sub:
        return general
    if not general:
        return sub
    g, s = fold(general), fold(sub)
    if s in g:
        return general
    if g in s:
        return sub
    # A restatement in other words ("Ban hành Quy chế X" / "Xây dựng Quy chế X").
    general_words = set(re.findall(r"\w+", g))
    sub_words = re.findall(r"\w+", s)
    shared = sum(1 for w in sub_words if w in general_words)
    if sub_words and shared / len(sub_words) >= 0.75:
        return general
    return f"{general}: {sub}"


def _task(
    state: _State,
    code: str,
    parent: str | None,
    item: _Item,
    name: str,
    fields: dict[str, str],
) -> dict[str, Any]:
    lead = fields.get("lead", "")
    support = fields.get("support", "")
    return {
        "code": code,
        "parent": parent,
        "group": item.group,
        "name": name,
        "output": fields.get("output") or None,
        "kpi": fields.get("kpi") or None,
        "lead": state.matcher.split(lead) if lead else [],
        "support": state.matcher.split(support) if support else [],
        "deadline": parse_deadline(fields.get("deadline") or None, state.year),
        "note": fields.get("note") or None,
        "missing": [],
        "line": item.line,
    }


# --- results -------------------------------------------------------------------------------


def _results_rows(tidy: TidyTable, roles: dict[str, int], matcher: Matcher) -> list[dict[str, Any]]:
    assert tidy.header is not None
    header = tidy.header
    status_columns = [i for i, c in enumerate(header) if _STATUS_HEADER.match(header_text(c))]
    group: str | None = None
    rows: list[dict[str, Any]] = []
    for row in tidy.rows:
        code = _cell(row, roles, "code")
        name = _cell(row, roles, "name") or _cell(row, roles, "target") or _cell(row, roles, "sub")
        filled = {c.strip() for c in row.cells if c.strip()}
        roman = ROMAN_CELL.match(code) if code else None
        if roman or (len(filled) == 1 and ROMAN_PREFIX.match(next(iter(filled)))):
            heading = name or next(iter(filled))
            prefixed = ROMAN_PREFIX.match(heading)
            group = prefixed.group(2) if prefixed else heading
            continue
        number, name = _split_number(code, name)
        result = _cell(row, roles, "result") or None
        evaluation = _cell(row, roles, "evaluation") or None
        lead = _cell(row, roles, "lead")
        rows.append(
            {
                "code": number,
                "group": group,
                "name": _tidy_name(name),
                "lead": matcher.split(lead) if lead else [],
                "planned": _cell(row, roles, "planned") or None,
                "result": result,
                "evaluation": evaluation,
                "status": _status(row, header, status_columns, evaluation, result),
                "note": _cell(row, roles, "note") or None,
                "line": row.line,
            }
        )
    return rows


def _status(
    row: Row,
    header: Sequence[str],
    status_columns: list[int],
    evaluation: str | None,
    result: str | None,
) -> str | None:
    for index in status_columns:
        mark = row.cells[index].strip().casefold() if index < len(row.cells) else ""
        if mark in {"x", "v", "✓", "✔", "☑", "có", "co"}:
            return _status_of(header_text(header[index]))
    for text in (evaluation, result):
        if text:
            status = _status_of(fold(text))
            if status:
                return status
    return None


def _status_of(folded: str) -> str | None:
    if re.search(r"\b(chua|khong)\s+(hoan thanh|dat|thuc hien)", folded):
        return "not_completed"
    if re.search(r"\bdang\s+(thuc hien|trien khai)|\bcham tien do\b", folded):
        return "in_progress"
    if re.search(r"\bhoan thanh\b|^dat\b|\bda thuc hien\b|\bvuot\b", folded):
        return "completed"
    return None


# --- tasks from prose ----------------------------------------------------------------------

_TASK_SECTION = re.compile(r"nhiem vu|giai phap")
_NOT_TASK_SECTION = re.compile(r"ket qua|tinh hinh|danh gia|to chuc thuc hien|kinh phi")
_BULLET = re.compile(r"^[-+•–*]\s*(\S.*)$", re.DOTALL)


def _prose_tasks(doc: Document, state: _State) -> list[dict[str, Any]]:
    """Tasks from the numbered prose under "NHIỆM VỤ ... GIẢI PHÁP" when there is no table.

    In such a section "1. Heading" starts a group, "a) Heading" (bold, or followed by bullets)
    names a sub-group, and each "1.1. ...", bulleted or plain paragraph under a group is a task.
    A paragraph that goes on with a sentence cut by a page break joins the task before it."""
    paragraphs = [b for b in doc.blocks if isinstance(b, Paragraph)]
    items: list[_Item] = []
    titles: list[str] = []
    group_number: str | None = None
    group_name: str | None = None
    in_section = False
    count = 0
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.text.strip()
        if _is_section_heading(text):
            in_section = _is_task_section(text, state.year)
            if in_section:
                titles.append(text)
                group_number = group_name = None
            continue
        if not in_section:
            continue
        numbered = NUMBER_PREFIX.match(text)
        if numbered and numbered.group(2):  # "1. Heading"
            group_number, group_name = numbered.group(2), _tidy_name(numbered.group(3))
            count = 0
            continue
        lettered = LETTER_PREFIX.match(text)
        following = paragraphs[index + 1].text if index + 1 < len(paragraphs) else ""
        if lettered and (paragraph.bold or _BULLET.match(following)):
            group_name = _tidy_name(lettered.group(2))
            continue
        if items and not numbered and not lettered and _goes_on(items[-1].name, text):
            items[-1].name = f"{items[-1].name} {text}"
            continue
        bullet = _BULLET.match(text)
        if numbered:
            number: str | None = numbered.group(1)
            name = numbered.group(3)
        elif bullet:
            number, name = None, bullet.group(1)
        elif lettered and group_number is not None:
            number, name = None, lettered.group(2)
        elif group_number is not None:
            number, name = None, text
        else:
            continue  # an introduction before the first numbered heading
        count += 1
        code = number or (f"{group_number}.{count}" if group_number else str(len(items) + 1))
        items.append(
            _Item(
                number=code,
                name=_tidy_name(name),
                fields={},
                line=paragraph.line,
                group=group_name,
                group_code=None,
            )
        )
    if not items:
        return []
    sections = ", ".join(f"“{t}”" for t in dict.fromkeys(titles))
    state.warnings.append(
        f"Kế hoạch không có bảng danh mục nhiệm vụ nên {len(items)} nhiệm vụ được lấy từ mục "
        f"{sections}; hãy bổ sung đơn vị chủ trì, sản phẩm đầu ra và thời hạn cho từng nhiệm vụ."
    )
    state.items = items
    return _build_tasks(state)


def _is_section_heading(text: str) -> bool:
    return bool(ROMAN_PREFIX.match(text)) or fold(text).startswith(("phan ", "phu luc", "noi nhan"))


def _is_task_section(text: str, year: int) -> bool:
    folded = fold(text)
    return bool(
        ROMAN_PREFIX.match(text)
        and _TASK_SECTION.search(folded)
        and not _NOT_TASK_SECTION.search(folded)
        and not _mentions_earlier_year(folded, year)
    )


def _goes_on(previous: str, text: str) -> bool:
    """True when ``text`` continues ``previous``: it starts in lower case, or it starts with a
    number while ``previous`` stopped in mid-sentence ("... ngày" + "16 tháng 5 năm 2025")."""
    if _starts_lower(text):
        return True
    return text[:1].isdigit() and not previous.rstrip().endswith((".", ";", ":", "!", "?"))


def _mentions_earlier_year(folded: str, year: int) -> bool:
    return any(int(y) < year for y in re.findall(r"\b(20\d\d)\b", folded))


def _starts_lower(text: str) -> bool:
    for char in text:
        if char.isalpha():
            return char.islower()
        if char.isdigit():
            return False
    return False
