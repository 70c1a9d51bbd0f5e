"""Reading a province's scorecard from its workbook (XLSX), every problem found at once.

The sheet is laid out as provinces lay theirs out: a few lines of title ("Tên bộ chỉ số: …",
"Năm: 2026") above one heading row, then one row per criterion, with group headings either as
rows of their own ("I | Chính quyền số", no scoring) or named in a column of each criterion's
row. Columns are found by their headings, in any order, in the spellings of ``COLUMNS``;
other columns are ignored. Nothing is written here: ``read_scorecard`` returns the data or
raises ``WorkbookError`` with the whole list of problems, each naming its row, in Vietnamese.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from . import scoring

# field → (the heading written by this app, other spellings met in provinces' sheets).
# Sheets are Vietnamese whatever language the reader's screen is in: never translated.
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "group_code": ("Nhóm", ("mã nhóm", "tt nhóm")),
    "group_name": ("Tên nhóm", ("nhóm tiêu chí", "nhóm chỉ số")),
    "code": ("Mã tiêu chí", ("mã số", "mã", "stt", "tt")),
    "name": ("Tên tiêu chí", ("tiêu chí", "nội dung tiêu chí", "nội dung")),
    "max_points": ("Điểm tối đa", ("điểm chuẩn", "điểm tối đa (điểm)")),
    "kind": ("Cách chấm", ("cách tính điểm", "phương pháp chấm", "cách tính")),
    "bands": ("Các mức điểm", ("mức điểm", "thang điểm")),
    "points_each": ("Điểm mỗi lần", ("điểm mỗi lượt", "điểm cho mỗi lần")),
    "evidence_required": (
        "Yêu cầu minh chứng",
        ("minh chứng bắt buộc", "bắt buộc minh chứng", "minh chứng"),
    ),
    "source": ("Nguồn số liệu", ("nguồn dữ liệu", "nguồn")),
    "verifier": (
        "Đơn vị thẩm định",
        ("cơ quan thẩm định", "đơn vị đánh giá", "cơ quan đánh giá"),
    ),
    "measure_unit": ("Đơn vị tính", ("đvt",)),
    "guidance": ("Hướng dẫn chấm", ("hướng dẫn", "ghi chú", "cách xác định")),
}
REQUIRED = ("code", "name", "max_points", "kind")

# How each scoring kind is written in a sheet (the first spelling is the one written).
KIND_WORDS: dict[str, tuple[str, ...]] = {
    scoring.RATIO: ("Tỷ lệ", "tỉ lệ", "ratio"),
    scoring.BANDS: ("Theo mức", "mức", "bands"),
    scoring.YES_NO: ("Có/Không", "có / không", "có - không", "đạt/không đạt", "yes/no", "yes_no"),
    scoring.BONUS: ("Điểm thưởng", "thưởng", "điểm cộng", "bonus"),
    scoring.DEDUCTION: ("Điểm trừ", "trừ", "deduction"),
}
YES_WORDS = {"có", "x", "yes", "bắt buộc", "1", "true", "đạt"}
NO_WORDS = {"không", "", "no", "0", "false", "không bắt buộc", "-"}
MANUAL_WORD = "Nhập tay"

MAX_ROWS = 2000
HEADER_SEARCH_ROWS = 25
_ROMAN = re.compile(r"^[IVXLC]+\.?$")
_YEAR = re.compile(r"\b(20\d\d)\b")


def normalise(text: object) -> str:
    """Lower case, no diacritics, single spaces, no trailing colon: how headings compare."""
    raw = unicodedata.normalize("NFD", str(text or "").replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in raw if unicodedata.category(ch) != "Mn")
    return " ".join(plain.lower().replace("\n", " ").split()).rstrip(" :")


def _spellings() -> dict[str, str]:
    found: dict[str, str] = {}
    for key, (label, others) in COLUMNS.items():
        for spelling in (label, *others):
            found.setdefault(normalise(spelling), key)
    return found


def kind_of(text: str) -> str | None:
    wanted = normalise(text)
    for kind, words in KIND_WORDS.items():
        if wanted in {normalise(w) for w in words}:
            return kind
    return None


def kind_word(kind: str) -> str:
    return KIND_WORDS[kind][0]


@dataclass(frozen=True)
class Problem:
    row: int | None  # the sheet's row number, as Excel shows it
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return _("Dòng %(row)d: %(message)s") % {"row": self.row, "message": self.message}


class WorkbookError(Exception):
    """The workbook cannot become a scorecard; ``problems`` lists every reason found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class GroupData:
    code: str
    name: str


@dataclass
class CriterionData:
    group_code: str
    code: str
    name: str
    max_points: Decimal
    kind: str
    bands: tuple[scoring.Band, ...] = ()
    points_each: Decimal | None = None
    evidence_required: bool = True
    source: str = ""
    verifier: str = ""
    measure_unit: str = ""
    guidance: str = ""
    row: int | None = None

    @property
    def rule(self) -> scoring.Rule:
        return scoring.Rule(
            kind=self.kind,
            max_points=self.max_points,
            bands=self.bands,
            points_each=self.points_each,
        )


@dataclass
class ScorecardData:
    name: str
    year: int | None
    groups: list[GroupData] = field(default_factory=list)
    criteria: list[CriterionData] = field(default_factory=list)
    columns: list[tuple[str, str]] = field(default_factory=list)  # (field, heading as written)


# --- the rules a criterion must follow (also checked when it is edited on screen) ------------


def criterion_problems(data: CriterionData) -> list[str]:
    """What is wrong with one criterion, one Vietnamese sentence each."""
    problems: list[str] = []
    if not data.code:
        problems.append(_("thiếu mã tiêu chí."))
    if not data.name:
        problems.append(_("thiếu tên tiêu chí."))
    rule_messages = {
        "kind": _("cách chấm không hợp lệ."),
        "max_points": _("điểm tối đa phải lớn hơn 0."),
        "bands_missing": _(
            "tiêu chí chấm theo mức cần các mức điểm, ví dụ “4: 20; 3: 15; 2: 10; 1: 5”."
        ),
        "band_above_max": _("có mức điểm lớn hơn điểm tối đa (hoặc nhỏ hơn 0)."),
        "band_repeated": _("hai mức điểm có cùng ngưỡng."),
        "points_each": _("điểm mỗi lần phải lớn hơn 0."),
    }
    problems.extend(rule_messages[code] for code in scoring.rule_problems(data.rule))
    if data.kind != scoring.BANDS and data.bands:
        problems.append(_("chỉ tiêu chí chấm theo mức mới có các mức điểm."))
    try:
        source = scoring.parse_source(data.source)
    except ValueError:
        problems.append(
            _(
                "nguồn số liệu “%(source)s” không hợp lệ: để trống (nhập tay), hoặc ghi "
                "target:<mã chỉ tiêu>, plan_on_time_share, reports_on_time_share."
            )
            % {"source": data.source}
        )
    else:
        if not source.manual and data.kind in (scoring.BONUS, scoring.DEDUCTION):
            problems.append(_("điểm thưởng và điểm trừ được nhập tay, không lấy từ hệ thống."))
    return problems


# --- reading cells ---------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _number(value: object) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        return Decimal(str(value))
    return scoring.parse_number(_text(value))


def _bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    word = _text(value).lower()
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise ValueError(value)


def _load_rows(data: bytes) -> list[list[tuple[int, list[object]]]]:
    """Every sheet's non-empty rows (row number, cells), or a WorkbookError."""
    import openpyxl

    if not data.startswith(b"PK\x03\x04"):
        raise WorkbookError(
            [Problem(None, _("Tệp không phải là bảng tính Excel (.xlsx). Hãy lưu lại dạng .xlsx."))]
        )
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise WorkbookError(
            [Problem(None, _("Không mở được bảng tính: tệp bị hỏng hoặc không phải .xlsx."))]
        ) from None
    sheets = []
    try:
        for sheet in book.worksheets:
            rows = []
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > MAX_ROWS:
                    break
                if any(_text(c) for c in cells):
                    rows.append((number, list(cells)))
            sheets.append(rows)
    finally:
        book.close()
    return sheets


def _header(cells: list[object]) -> dict[str, int]:
    spellings = _spellings()
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = spellings.get(normalise(cell))
        if key is not None and key not in found:
            found[key] = index
    return found


def _metadata(rows: list[tuple[int, list[object]]]) -> tuple[str, int | None, str]:
    """Name and year from "Tên bộ chỉ số: …" and "Năm: …" lines, and the title line."""
    name = ""
    year: int | None = None
    title = ""
    for _row, cells in rows:
        texts = [_text(c) for c in cells if _text(c)]
        if not texts:
            continue
        label, _colon, rest = texts[0].partition(":")
        key = normalise(label)
        value = rest.strip() or (texts[1] if len(texts) > 1 else "")
        if key in {"ten bo chi so", "ten"} and value:
            name = value
        elif key in {"nam", "nam danh gia", "nam ap dung"} and value:
            match = _YEAR.search(value)
            year = int(match.group(1)) if match else None
        elif not title:
            title = texts[0]
    if year is None and title and (match := _YEAR.search(title)):
        year = int(match.group(1))
    return name, year, title


def read_scorecard(data: bytes) -> ScorecardData:
    """The scorecard in ``data`` (an XLSX), or ``WorkbookError`` listing every problem."""
    sheets = _load_rows(data)
    for rows in sheets:
        for position, (_row_number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
            header = _header(cells)
            if all(key in header for key in REQUIRED):
                name, year, title = _metadata(rows[:position])
                columns = [(key, _text(cells[index])) for key, index in header.items()]
                columns.sort(key=lambda item: header[item[0]])
                result = ScorecardData(name=name or title, year=year, columns=columns)
                _read_body(rows[position + 1 :], header, result)
                return result
    required = ", ".join(COLUMNS[key][0] for key in REQUIRED)
    raise WorkbookError(
        [
            Problem(
                None,
                _(
                    "Không tìm thấy dòng tiêu đề của bảng tiêu chí. Bảng cần có các cột: "
                    "%(columns)s (và cột Nhóm hoặc các dòng tiêu đề nhóm)."
                )
                % {"columns": required},
            )
        ]
    )


def _read_body(
    rows: list[tuple[int, list[object]]], header: dict[str, int], result: ScorecardData
) -> None:
    problems: list[Problem] = []
    groups: dict[str, GroupData] = {}
    group_rows: dict[str, int] = {}
    current: GroupData | None = None
    codes: dict[str, int] = {}

    def cell(cells: list[object], key: str) -> object:
        index = header.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    def group_for(code: str, name: str, row: int) -> GroupData:
        key = code or name
        group = groups.get(key)
        if group is None:
            group = GroupData(code=code or f"N{len(groups) + 1}", name=name or code)
            groups[key] = group
            group_rows[group.code] = row
            result.groups.append(group)
        elif name and not group.name:
            group.name = name
        return group

    for row, cells in rows:
        code = _text(cell(cells, "code"))
        name = _text(cell(cells, "name"))
        kind_text = _text(cell(cells, "kind"))
        max_text = _text(cell(cells, "max_points"))
        group_code = _text(cell(cells, "group_code"))
        group_name = _text(cell(cells, "group_name"))
        if not kind_text and (not code or _ROMAN.match(code)):
            # A group heading: "I | Chính quyền số" (its points, if any, are a subtotal).
            heading_code = group_code or code.rstrip(".")
            heading_name = group_name or name
            if heading_code or heading_name:
                current = group_for(heading_code, heading_name, row)
            continue
        if group_code or group_name:
            current = group_for(group_code, group_name, row)
        row_problems: list[str] = []
        kind = kind_of(kind_text)
        if kind is None:
            kinds = ", ".join(words[0] for words in KIND_WORDS.values())
            row_problems.append(
                _("cách chấm “%(kind)s” không rõ; ghi một trong: %(kinds)s.")
                % {"kind": kind_text, "kinds": kinds}
                if kind_text
                else _("thiếu cách chấm; ghi một trong: %(kinds)s.") % {"kinds": kinds}
            )
        max_points = Decimal(0)
        max_ok = True
        try:
            max_points = _number(cell(cells, "max_points"))
        except ValueError:
            max_ok = False
            row_problems.append(
                _("điểm tối đa “%(value)s” không phải là số.") % {"value": max_text}
                if max_text
                else _("thiếu điểm tối đa.")
            )
        bands: tuple[scoring.Band, ...] = ()
        bands_raw = _text(cell(cells, "bands"))
        if bands_raw:
            try:
                bands = scoring.parse_bands(bands_raw)
            except ValueError as exc:
                row_problems.append(
                    _("không đọc được mức điểm “%(item)s”; ghi dạng “ngưỡng: điểm”, ví dụ “4: 20”.")
                    % {"item": exc.args[0]}
                )
        points_each = None
        points_raw = _text(cell(cells, "points_each"))
        if points_raw:
            try:
                points_each = _number(cell(cells, "points_each"))
            except ValueError:
                row_problems.append(
                    _("điểm mỗi lần “%(value)s” không phải là số.") % {"value": points_raw}
                )
        evidence_required = True
        if "evidence_required" in header:
            try:
                evidence_required = _bool(cell(cells, "evidence_required"))
            except ValueError:
                row_problems.append(
                    _("cột yêu cầu minh chứng ghi “%(value)s”; hãy ghi Có hoặc Không.")
                    % {"value": _text(cell(cells, "evidence_required"))}
                )
        source = _text(cell(cells, "source"))
        if normalise(source) == normalise(MANUAL_WORD):
            source = ""
        if current is None:
            row_problems.append(
                _(
                    "tiêu chí không thuộc nhóm nào: ghi cột Nhóm, "
                    "hoặc thêm dòng tiêu đề nhóm ở trên."
                )
            )
        if code and code in codes:
            row_problems.append(
                _("mã tiêu chí “%(code)s” trùng với dòng %(other)d.")
                % {"code": code, "other": codes[code]}
            )
        elif code:
            codes[code] = row
        criterion = CriterionData(
            group_code=current.code if current else "",
            code=code,
            name=name,
            max_points=max_points,
            kind=kind or "",
            bands=bands,
            points_each=points_each,
            evidence_required=evidence_required,
            source=source,
            verifier=_text(cell(cells, "verifier")),
            measure_unit=_text(cell(cells, "measure_unit")),
            guidance=str(cell(cells, "guidance") or "").strip(),
            row=row,
        )
        if kind is not None and max_ok:
            row_problems.extend(criterion_problems(criterion))
        elif not name:
            row_problems.append(_("thiếu tên tiêu chí."))
        problems.extend(Problem(row, _capital(p)) for p in row_problems)
        result.criteria.append(criterion)

    used = {c.group_code for c in result.criteria}
    for group in result.groups:
        if group.code not in used:
            problems.append(
                Problem(
                    group_rows.get(group.code),
                    _("Nhóm “%(name)s” không có tiêu chí nào.") % {"name": group.name},
                )
            )
    if not result.criteria and not problems:
        problems.append(Problem(None, _("Bảng tính không có tiêu chí nào dưới dòng tiêu đề.")))
    if problems:
        raise WorkbookError(problems)


def _capital(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]
