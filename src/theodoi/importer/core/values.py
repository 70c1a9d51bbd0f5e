"""Target values: comparators, numbers, ranks, qualitative targets. (Owner: rules helper.)

Rules ("Comparators" in docs/contracts/plan-json.md):

- "≥", ">=", "từ X (trở lên)", "tối thiểu", "ít nhất", "không dưới" -> ``>=``; ">", "trên",
  "hơn", "vượt" -> ``>``; "≤", "không quá", "tối đa", "X trở xuống" -> ``<=``; "<", "dưới",
  "thấp hơn" -> ``<``; a bare value ("100%", "đạt 95%", "02") -> ``>=``.
- "top 20", "trong nhóm 10 đơn vị dẫn đầu", "thuộc nhóm 20 xã, phường đứng đầu" -> kind
  ``rank``, ``<=`` N.
- Numbers are Vietnamese: a comma is the decimal mark ("98,9"), a dot followed by groups of
  three digits separates thousands ("21.195"); "02" is 2. A value is an int when integral.
- What is not a target value: years and periods ("năm 2026", "2026 - 2030"), dates, document
  numbers ("57-NQ/TW"), enumerators ("(1)"), network generations and speeds ("5G", "4G/5G",
  "01 Gbps"), ages ("từ 15 tuổi trở lên"), levels ("cấp độ 1,2"), versions ("Chợ 4.0").
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from .clean import clean_text, fold

_NUM = r"\d+(?:[.,]\d+)*"

# Comparator words, longest first so "không dưới" is not read as "dưới".
_COMPARATOR_WORDS: tuple[tuple[str, str], ...] = (
    ("không vượt quá", "<="),
    ("không quá", "<="),
    ("không cao hơn", "<="),
    ("không lớn hơn", "<="),
    ("không nhiều hơn", "<="),
    ("không dưới", ">="),
    ("không thấp hơn", ">="),
    ("không ít hơn", ">="),
    ("tối thiểu là", ">="),
    ("tối thiểu", ">="),
    ("ít nhất là", ">="),
    ("ít nhất", ">="),
    ("tối đa là", "<="),
    ("tối đa", "<="),
    ("cao hơn", ">"),
    ("lớn hơn", ">"),
    ("nhiều hơn", ">"),
    ("vượt trên", ">"),
    ("vượt", ">"),
    ("trên", ">"),
    ("hơn", ">"),
    ("thấp hơn", "<"),
    ("nhỏ hơn", "<"),
    ("ít hơn", "<"),
    ("dưới", "<"),
    ("từ", ">="),
)
_SYMBOLS = {
    "≥": ">=",
    ">=": ">=",
    "=>": ">=",
    "≤": "<=",
    "<=": "<=",
    "=<": "<=",
    ">": ">",
    "<": "<",
}
_CMP = (
    r"(?:≥|>=|=>|≤|<=|=<|>|<|\b(?:"
    + "|".join(r"\s+".join(fold(word).split()) for word, _ in _COMPARATOR_WORDS)
    + r")\b)"
)
# Words that introduce a value without changing its comparator ("đạt 95%", "là 02", ": 100%").
_LEAD = (
    r"(?:[:]\s*)?"
    r"(?:\b(?:phan\s+dau\s+)?(?:dat|la|bang|chiem|o\s+muc|dat\s+muc|dat\s+ty\s+le)\b\s*)?"
)
_VALUE = re.compile(
    rf"(?P<lead>{_LEAD})(?P<cmp>{_CMP})?\s*(?P<num>(?<![\w.,/]){_NUM})(?![.,]?\d)"
    r"(?P<pct>\s*(?:%|phan\s+tram\b))?"
)
_AT_LEAST_AFTER = re.compile(r"\s*(?:[^\W\d]+\s+){0,3}?tro\s+len\b")
_AT_MOST_AFTER = re.compile(r"\s*(?:[^\W\d]+\s+){0,3}?tro\s+xuong\b")

_RANK = re.compile(
    r"(?P<lead>(?:[:]\s*)?(?:\bdat\b\s*)?)"
    r"(?P<words>(?:\b(?:nam|thuoc|trong|vao|lot|o)\b\s*)*)"
    r"(?:\btop\s*-?\s*(?P<top>\d+)\b(?:\s+(?:[^\W\d]+\s*,?\s*){0,4}?(?:dan|dung)\s+dau\b)?"
    r"|\bnhom\s+(?P<group>\d+)\b[^.;:]{0,60}?\b(?:dan\s+dau|dung\s+dau|cao\s+nhat|tot\s+nhat)\b"
    r"|\b(?P<lead_n>\d+)\s+(?:don\s+vi|xa|phuong|dia\s+phuong|tinh)\b[^.;:]{0,40}?"
    r"\b(?:dan\s+dau|dung\s+dau)\b"
    r"|\bxep\s+(?:hang\s+)?thu\s+(?P<place>\d+)\b(?:\s+tro\s+len)?)"
)

# Count units met after a number in prose (folded, longest first).
_COUNT_UNITS = sorted(
    (
        "cuoc thi",
        "cuoc",
        "lop hoc",
        "lop",
        "mo hinh",
        "nen tang",
        "he thong",
        "don vi",
        "luot nguoi",
        "luot",
        "nguoi",
        "ho gia dinh",
        "ho kinh doanh",
        "ho",
        "doanh nghiep",
        "hop tac xa",
        "hoi nghi",
        "hoi thao",
        "buoi",
        "lan",
        "bai viet",
        "tin bai",
        "bai",
        "san pham",
        "diem",
        "truong hoc",
        "truong",
        "xa",
        "phuong",
        "thon",
        "to dan pho",
        "to",
        "co so du lieu",
        "co so",
        "ho so",
        "thu tuc",
        "van ban",
        "dich vu",
        "tai khoan",
        "ket noi iot",
        "ket noi",
        "iot",
        "thiet bi",
        "camera",
        "may tinh",
        "may",
        "bo",
        "cai",
        "chiec",
        "km",
        "ty dong",
        "trieu dong",
        "ung dung",
        "phan mem",
        "sang kien",
        "de tai",
        "chuong trinh",
        "ke hoach",
        "de an",
        "du an",
        "nhiem vu",
        "trang",
        "kenh",
        "tram bts",
        "tram",
        "can bo",
        "hoc vien",
        "thanh vien",
        "hoc sinh",
        "giao vien",
        "dang vien",
        "cong chuc",
        "video",
        "clip",
        "phong su",
        "gian hang",
        "csdl",
        "lop tap huan",
        "khoa dao tao",
        "khoa",
        "dot",
        "chuyen de",
        "cau lac bo",
        "ngay lam viec",
        "ngay",
        "gio",
        "phut",
    ),
    key=len,
    reverse=True,
)
_COUNT_UNIT = re.compile(r"\s*(" + "|".join(re.escape(u) for u in _COUNT_UNITS) + r")\b")
# A number followed by these is a technical figure or a qualifier, never the target's value.
_NOT_A_VALUE_AFTER = re.compile(
    r"\s*(?:g\b|g\s*/|gbps|mbps|kbps|gb\s*/\s*s|mb\s*/\s*s|ghz|mhz|tuoi\b)|[-/][a-z]|\s*/\s*\d"
    r"|\s*\)"
)
# Words after which a number is a label, not a value ("số 57", "năm 2026", "Quý 1", "lớp 6").
# Matched on the original text, written with diacritics or wholly without: folded, "hồ sơ"
# would read as "hồ số" and "Quyết Thắng" as "quyết tháng".
_LABEL_WORDS = (
    "số", "năm", "giai đoạn", "đề án", "cấp độ", "thứ", "quý", "tháng", "ngày", "lớp",
    "phiên bản", "mức độ", "nghị quyết", "quyết định", "nghị định", "thông tư", "chỉ thị",
    "kế hoạch", "công văn", "điều", "khoản", "chương", "phụ lục", "mục", "tuần",
)  # fmt: skip
_NOT_A_VALUE_BEFORE = re.compile(
    r"(?:(?<!dân )(?<!dan )\b(?:"
    + "|".join(
        re.escape(w).replace(r"\ ", r"\s+") + "|" + re.escape(fold(w)).replace(r"\ ", r"\s+")
        for w in _LABEL_WORDS
    )
    + r")\s*:?|\(|\d\s*/)\s*$",
    re.IGNORECASE,
)
_YEAR_LIKE = re.compile(r"^(?:19|20)\d{2}$")


@dataclass
class _Value:
    start: int  # where the value's words start (comparator included, "đạt" excluded)
    lead_start: int  # where the lead-in words ("đạt", ":") start
    end: int
    kind: str  # "quantitative" | "rank"
    comparator: str
    value: int | float
    unit: str | None
    percent: bool
    introduced: bool  # a lead-in word or comparator introduces it
    weak: bool = False  # a technical figure, used only when nothing else is found


def parse_number(text: str) -> int | float | None:
    """A Vietnamese number ("98,9" -> 98.9, "21.195" -> 21195, "02" -> 2) or None."""
    text = text.strip()
    if not re.fullmatch(_NUM, text):
        return None
    if "," in text:
        integer, _, decimals = text.rpartition(",")
        integer = integer.replace(".", "").replace(",", "")
        number: float = float(f"{integer}.{decimals}")
    else:
        groups = text.split(".")
        if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]):
            number = float("".join(groups))
        else:
            number = float(text)
    return int(number) if number.is_integer() else number


def _comparator(word: str | None) -> str | None:
    """The comparator a word or symbol stands for; None when the word only looks like one.

    Matching runs on folded text, so "tử" (of "điện tử") or "đuôi" fold like "từ" and "dưới":
    the original spelling must be the comparator's, or carry no diacritics at all.
    """
    if not word:
        return ">="
    word = " ".join(word.split())
    if word in _SYMBOLS:
        return _SYMBOLS[word]
    lowered = word.lower()
    for phrase, comparator in _COMPARATOR_WORDS:
        if lowered in (phrase, fold(phrase)):
            return comparator
    return None


def _find_values(text: str, *, lenient: bool) -> list[_Value]:
    """The value expressions of ``text`` (cleaned), in order.

    ``lenient`` (a table's value cell) accepts any number; prose accepts a percentage, a rank,
    or a number followed by a count unit or introduced by "đạt"/a comparator.
    """
    folded = fold(text)
    found: list[_Value] = []
    taken: list[tuple[int, int]] = []
    for m in _RANK.finditer(folded):
        number = m.group("top") or m.group("group") or m.group("lead_n") or m.group("place")
        if number is None:
            continue
        start = m.start() + len(m.group("lead"))
        found.append(
            _Value(start, m.start(), m.end(), "rank", "<=", int(number), None, False, True)
        )
        taken.append((m.start(), m.end()))
    for m in _VALUE.finditer(folded):
        if any(a <= m.start("num") < b for a, b in taken):
            continue
        value = _value_from_match(text, folded, m, lenient=lenient)
        if value is not None:
            found.append(value)
    return sorted(found, key=lambda v: v.start)


def _value_from_match(text: str, folded: str, m: re.Match[str], *, lenient: bool) -> _Value | None:
    number = parse_number(m.group("num"))
    if number is None:
        return None
    num_start, end = m.start("num"), m.end()
    percent = bool(m.group("pct"))
    after = folded[end:]
    if not percent and (
        _NOT_A_VALUE_BEFORE.search(text[: m.start()])
        or _NOT_A_VALUE_BEFORE.search(text[:num_start])
    ):
        return None
    weak = False
    if not percent and _NOT_A_VALUE_AFTER.match(after):
        if not lenient or re.match(r"[-/][a-z]|\s*/\s*\d|\s*\)", after):
            weak = bool(re.match(r"\s*(?:gbps|mbps|kbps|gb\s*/\s*s|mb\s*/\s*s)", after))
            if not weak:
                return None
        weak = weak or not lenient
    cmp_text = text[m.start("cmp") : m.end("cmp")] if m.group("cmp") else None
    comparator = _comparator(cmp_text)
    lead_start = m.start()
    if comparator is None:
        # Not a comparator after all ("điện tử 100%"): the value starts at the number.
        comparator, cmp_text = ">=", None
        lead_start = num_start
    introduced = bool(cmp_text) or bool(m.group("lead").strip(" :"))
    tail = _AT_LEAST_AFTER.match(after) or _AT_MOST_AFTER.match(after)
    if tail and not re.search(r"\btuoi\b", tail.group(0)):
        comparator = ">=" if "len" in tail.group(0)[-4:] else "<="
        introduced = True
        end += tail.end()
    unit: str | None = "%" if percent else None
    if not percent:
        unit_match = _COUNT_UNIT.match(after)
        if unit_match and not tail:
            unit = text[end + unit_match.start(1) : end + unit_match.end(1)]
            end += unit_match.end()
        elif not lenient and not introduced:
            return None
        if _YEAR_LIKE.match(m.group("num")) and unit is None and not lenient:
            return None
        # In prose, a number with no unit must end its clause ("... đạt 3."), else it is
        # some other figure of the sentence.
        if not lenient and unit is None and not weak and not re.match(r"\s*(?:[.;,)]|$)", after):
            return None
    start = m.start("cmp") if cmp_text else num_start
    return _Value(
        start, lead_start, end, "quantitative", comparator, number, unit, percent, introduced, weak
    )


def _horizon(text: str, year: int | None) -> str:
    """The part of a multi-horizon cell ("2026: ≥80%; 2030: 100%") for ``year``."""
    parts = list(
        re.finditer(r"(?:^|(?<=[;,\n]))\s*(?:năm|nam|Năm)?\s*((?:19|20)\d{2})\s*[:：]", text)
    )
    if not parts:
        return text
    chosen = parts[0]
    for part in parts:
        if year is not None and int(part.group(1)) == year:
            chosen = part
    following = [p.start() for p in parts if p.start() > chosen.start()]
    return text[chosen.end() : following[0] if following else len(text)]


def _qualitative(value_text: str | None, measure_unit: str | None) -> dict[str, Any]:
    return {
        "kind": "qualitative",
        "comparator": None,
        "value": None,
        "measure_unit": measure_unit,
        "value_text": value_text,
    }


def parse_value(
    text: str | None, measure_unit: str | None = None, *, year: int | None = None
) -> dict[str, Any]:
    """A value cell (">95", "≥80", "02", "trên 90%", "nhóm 20 ... dẫn đầu") ->
    ``{"kind", "comparator", "value", "measure_unit", "value_text"}``.

    ``measure_unit`` is the table's "Đơn vị tính" cell, used when the value cell names none.
    ``year`` picks the plan year's figure from a cell giving several horizons
    ("2026: ≥80%; 2030: 100%"); ``value_text`` keeps the whole cell.
    """
    value_text = clean_text(text) or None
    unit_given = clean_text(measure_unit) or None
    if unit_given and fold(unit_given) in {"%", "ty le %", "ty le (%)", "phan tram"}:
        unit_given = "%"
    if not value_text:
        return _qualitative(None, unit_given)
    part = _horizon(value_text, year)
    values = _find_values(part, lenient=True)
    if not values:
        return _qualitative(value_text, unit_given)
    strong = [v for v in values if not v.weak] or values
    chosen = next((v for v in strong if v.kind == "rank"), strong[0])
    unit = chosen.unit
    if chosen.kind == "quantitative" and not chosen.percent:
        rest = part[chosen.end :].strip(" .;,")
        if unit is None and unit_given:
            unit = unit_given
        elif unit is None and rest and len(rest.split()) <= 3 and not re.search(r"\d", rest):
            unit = rest
    return {
        "kind": chosen.kind,
        "comparator": chosen.comparator,
        "value": chosen.value,
        "measure_unit": unit,
        "value_text": value_text,
    }


# --- prose -----------------------------------------------------------------------------

_BULLET = re.compile(
    r"^\s*(?:[-+•–—*]\s*|\(\s*(?:\d{1,3}|[a-zđ]|[ivx]{1,4})\s*\)\s*|(?:\d{1,3}|[a-zđ])\)\s*"
    r"|\d+(?:\.\d+)*\.\s+)+",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"\s*;\s*|(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ0-9“\"(])")


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _tidy_name(text: str) -> str:
    text = _BULLET.sub("", text).strip()
    text = re.sub(r"[\s:;,.\-–—]+$", "", text).strip()
    return _capitalise(text)


def _clauses(text: str) -> list[str]:
    return [c for c in (c.strip() for c in _CLAUSE_BREAK.split(text)) if c]


def _split_between_values(clause: str) -> list[str]:
    """Cut a clause holding two values where the second target starts.

    "Tỷ lệ A đạt 90%, tỷ lệ B đạt 80%" and "100% A và 100% B" hold two targets; the cut is
    the last ", " or " và " before the second value whose right side starts the new target
    (with "tỷ lệ"/"số" or with the value itself).
    """
    values = [v for v in _find_values(clause, lenient=False) if not v.weak]
    folded = fold(clause)
    cuts: list[int] = []
    for first, second in itertools.pairwise(values):
        between = list(re.finditer(r",\s+|\s+va\s+", folded[first.end : second.lead_start + 1]))
        for sep in reversed(between):
            right = first.end + sep.end()
            starts_target = re.match(r"(?:ty\s+le|so\s+luong|so)\b", folded[right:])
            if right >= second.lead_start or starts_target:
                cuts.append(first.end + sep.start())
                break
    if not cuts:
        return [clause]
    pieces, last = [], 0
    for cut in cuts:
        pieces.append(clause[last:cut])
        last = cut
    pieces.append(clause[last:])
    return [re.sub(r"^\s*(?:,|và)\s*", "", p).strip() for p in pieces if p.strip(" ,")]


def _target_from_clause(clause: str) -> dict[str, Any] | None:
    text = _BULLET.sub("", clause).strip()
    text = re.sub(r"[\s.;]+$", "", text)
    values = _find_values(text, lenient=False)
    strong = [v for v in values if not v.weak]
    if not strong:
        return None
    chosen = next((v for v in strong if v.kind == "rank"), None)
    if chosen is None:
        percents = [v for v in strong if v.percent]
        pool = percents or [v for v in strong if v.introduced] or strong
        trailing = [v for v in pool if not text[v.end :].strip(" .;,:)")]
        chosen = trailing[-1] if trailing else pool[0]
    before = text[: chosen.lead_start]
    after = text[chosen.end :].strip(" .;,")
    if after == ")" and before.rstrip().endswith("("):
        # "Tỷ lệ hài lòng (trên 90%)": the value in closing brackets.
        before, after = before.rstrip()[:-1], ""
    if not after and before.strip() and (chosen.percent or chosen.introduced):
        name = before
    elif chosen.start == 0 and re.match(r"\s*(?:ty\s+le)\b", fold(after)):
        name = after
    else:
        name = text
    return {
        "name": _tidy_name(name),
        "kind": chosen.kind,
        "comparator": chosen.comparator,
        "value": chosen.value,
        "measure_unit": chosen.unit,
        "value_text": text[chosen.start : chosen.end].strip(),
    }


def split_targets(text: str | None, *, keep_qualitative: bool = False) -> list[dict[str, Any]]:
    """A prose statement -> one dict per measurable target it holds
    (``{"name", "kind", "comparator", "value", "measure_unit", "value_text"}``);
    a statement with no measurable value gives one qualitative target.

    Clauses are cut at ";" and at sentence ends, and a clause holding two values is cut
    between them. Clauses without a value are dropped when others have one, unless
    ``keep_qualitative`` asks to keep them as qualitative targets.
    """
    cleaned = clean_text(text)
    if not cleaned:
        return []
    targets: list[dict[str, Any]] = []
    for clause in _clauses(cleaned):
        for piece in _split_between_values(clause):
            target = _target_from_clause(piece)
            if target is not None:
                targets.append(target)
            elif keep_qualitative and _tidy_name(piece):
                targets.append({"name": _tidy_name(piece), **_qualitative(None, None)})
    if not any(t["kind"] != "qualitative" for t in targets):
        return [{"name": _tidy_name(cleaned), **_qualitative(None, None)}]
    return targets
