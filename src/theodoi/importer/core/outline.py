"""The document's outline: headings of any style as a section tree, each section classified by
what it holds. (Shared by metadata, targets and tasks.)

Headings are numbered ("PHẦN I", "A.", "II.", "2.", "2.1.", "a)") or unmarked (a short line in
capitals or in bold); their rank orders them into a tree whatever the numbering style.
``sections`` gives each heading with the paragraphs under it and a ``kind`` read from its title:
basis, aims, targets, tasks, solutions, organisation ("Tổ chức thực hiện"), funding, results
(a previous year's), annex. ``propose_leads`` reads the organisation section for tasks whose
table names no lead (contract, "Who leads, when no table says").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from .document import Block, Paragraph
from .tables import fold


@dataclass(frozen=True)
class Marker:
    """The numbering or bullet a paragraph starts with."""

    kind: str  # "part" | "upper_letter" | "roman" | "arabic" | "decimal" | "letter" | "paren"
    # | "bullet"
    label: str  # "II", "1", "1.5", "a", "16"; "" for bullets
    rank: int  # outline depth: lower is higher in the outline
    rest: str  # the paragraph's text after the marker

    @property
    def numbered(self) -> bool:
        return self.kind != "bullet"

    @property
    def headingish(self) -> bool:
        """Markers that number sections ("II.", "2.", "2.1.", "a)"), not list items."""
        return self.kind in {"part", "upper_letter", "roman", "arabic", "decimal", "letter"}


_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("part", re.compile(r"^(?:PHẦN|Phần|phần)\s+([IVXLC]+|\d{1,2})\b\s*[.:\-–—]?\s*(.*)$", re.S)),
    # "A. ĐÁNH GIÁ ...", "B- KẾ HOẠCH ...": capital letters other than Roman numerals.
    ("upper_letter", re.compile(r"^([A-HJKM-UW])\s*[.\-–—)]\s+(.*)$", re.S)),
    ("roman", re.compile(r"^([IVXL]{1,6})\s*[.\-–—:/)]\s*(.*)$", re.S)),
    # "1.1." / "2.1" / "1.1.2." — each part at most two digits, so "1.000 hộ" is not a heading.
    ("decimal", re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\.?(?![\d,])\s*(.*)$", re.S)),
    ("arabic", re.compile(r"^(\d{1,2})\s*[.\-–—](?![\d])\s*(.*)$", re.S)),
    ("letter", re.compile(r"^([a-zđ])\s*[).]\s+(.*)$", re.S)),
    ("paren", re.compile(r"^\(\s*(\d{1,3}|[a-zđ])\s*\)\s*(.*)$", re.S)),
    ("paren", re.compile(r"^(\d{1,3})\s*\)\s*(.*)$", re.S)),
    ("bullet", re.compile(r"^([-–—•●·►✓])\s*(.*)$", re.S)),
    ("sub_bullet", re.compile(r"^([+○◦▪■□])\s*(.*)$", re.S)),
)
_RANKS = {
    "part": 0,
    "upper_letter": 5,
    "roman": 10,
    "arabic": 20,
    "letter": 60,
    "paren": 70,
    "bullet": 80,
}
# Unmarked headings (all capitals, or a whole bold line) inside a section: a group level
# between numbered headings and list items.
UNMARKED_HEADING_RANK = 55


def marker(text: str) -> Marker | None:
    """The numbering or bullet at the start of ``text``, or None for a plain paragraph."""
    text = text.strip()
    for kind, pattern in _MARKERS:
        m = pattern.match(text)
        if not m:
            continue
        label, rest = m.group(1), m.group(2).strip()
        if kind == "bullet":
            return Marker("bullet", "", _RANKS["bullet"], rest)
        if kind == "sub_bullet":
            return Marker("bullet", "", _RANKS["bullet"] + 5, rest)
        if kind == "decimal":
            depth = label.count(".")
            return Marker(kind, label, _RANKS["arabic"] + 10 * depth, rest)
        return Marker(kind, label, _RANKS[kind], rest)
    return None


def is_caps_heading(text: str) -> bool:
    """A short line in capitals ("MỤC TIÊU", "PHỤ LỤC I")."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and len(text) <= 200 and all(ch.isupper() for ch in letters)


def heading_rank(par: Paragraph) -> int | None:
    """The outline rank of a heading paragraph, or None when it is not a heading.

    Numbered section markers ("II.", "2.", "2.1.", "a)") make headings when the paragraph is
    short; so do unmarked capital or bold short lines."""
    mk = marker(par.text)
    if mk is not None:
        if mk.headingish and len(mk.rest) <= 250:
            return mk.rank
        return None
    if par.outline_level is not None and len(par.text) <= 250:
        return _RANKS["roman"] + 10 * par.outline_level  # a Word heading without a number
    if len(par.text) <= 200 and (is_caps_heading(par.text) or par.bold):
        return UNMARKED_HEADING_RANK
    return None


def heading_label(text: str) -> str:
    """A heading's words without its number and trailing colon ("2.1. Kinh tế số:" -> ...)."""
    mk = marker(text)
    label = mk.rest if mk is not None else text
    return label.strip().rstrip(":：").strip()


# Paragraphs that end the plan's body: the list of recipients, the closing sentence, annexes.
_BODY_END = re.compile(r"^(noi nhan|tren day la|phu luc\b)")


def is_body_end(text: str) -> bool:
    return bool(_BODY_END.match(fold(text)))


# --- Sections by what they hold ----------------------------------------------------------------

_SECTION_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("annex", re.compile(r"^phu luc\b")),
    ("basis", re.compile(r"^(can cu|co so)\b")),
    ("organisation", re.compile(r"\bto chuc thuc hien\b|\btrach nhiem (thuc hien|cua)\b")),
    ("funding", re.compile(r"\b(kinh phi|nguon von|nguon luc tai chinh)\b")),
    ("results", re.compile(r"\b(ket qua (thuc hien|dat duoc)|danh gia|tinh hinh thuc hien)\b")),
    ("tasks", re.compile(r"\bnhiem vu\b")),
    ("solutions", re.compile(r"\bgiai phap\b")),
    ("targets", re.compile(r"\b(chi tieu|muc tieu cu the)\b")),
    ("aims", re.compile(r"\b(muc dich|yeu cau|muc tieu|quan diem)\b")),
)


def section_kind(title: str) -> str | None:
    """What a section holds, read from its heading's words; None when they do not say."""
    folded = fold(heading_label(title))
    for kind, pattern in _SECTION_KINDS:
        if pattern.search(folded):
            return kind
    return None


@dataclass
class Section:
    title: str
    rank: int
    # Its highest classified ancestor's kind, else its own.
    kind: str | None
    paragraphs: list[Paragraph] = field(default_factory=list)


def sections(blocks: Sequence[Block]) -> list[Section]:
    """Every heading of the body, in order, with the paragraphs that follow it up to the next
    heading; ``kind`` inherited down the tree of ranks."""
    out: list[Section] = []
    stack: list[Section] = []
    for block in blocks:
        if not isinstance(block, Paragraph):
            continue
        rank = heading_rank(block)
        if rank is None or (stack and _is_list_item(block, stack[-1])):
            if out:
                out[-1].paragraphs.append(block)
            continue
        while stack and stack[-1].rank >= rank:
            stack.pop()
        # A section is what its highest classified heading says: "1. Phòng X chủ trì các nhiệm
        # vụ ..." under "TỔ CHỨC THỰC HIỆN" is organisation, not tasks.
        inherited = next((s.kind for s in stack if s.kind), None)
        section = Section(title=block.text, rank=rank, kind=inherited or section_kind(block.text))
        out.append(section)
        stack.append(section)
    return out


def _is_list_item(par: Paragraph, current: Section) -> bool:
    """A long numbered sentence under a heading is a list item, not a sub-heading."""
    return len(par.text) > 160 and current.rank < UNMARKED_HEADING_RANK


# --- Leads from "Tổ chức thực hiện" ------------------------------------------------------------


class _Matcher(Protocol):
    def match(self, name: str | None) -> str | None: ...


# Where a unit's name ends in a sentence assigning it work.
_DUTY = re.compile(
    r"\s*(?::|\b(chủ trì|chịu trách nhiệm|có trách nhiệm|là cơ quan|tham mưu|theo dõi|"
    r"triển khai|hướng dẫn|thực hiện|phối hợp)\b)",
    re.IGNORECASE,
)


def assignments(blocks: Sequence[Block], matcher: _Matcher) -> list[tuple[str, str]]:
    """(canonical unit, what it is assigned) from the "Tổ chức thực hiện" section: a paragraph
    or a sub-heading naming a unit the matcher knows, then its duties."""
    out: list[tuple[str, str]] = []
    for section in sections(blocks):
        if section.kind != "organisation":
            continue
        title = heading_label(section.title)
        heading_unit = _unit_at_start(title, matcher) or matcher.match(title)
        if heading_unit is not None:
            out.append((heading_unit, title))  # "1. Phòng X chủ trì các nhiệm vụ về ..."
        for par in section.paragraphs:
            mk = marker(par.text)
            body = mk.rest if mk is not None else par.text
            unit = _unit_at_start(body, matcher) or heading_unit
            if unit is not None:
                out.append((unit, body))
    return out


def _unit_at_start(text: str, matcher: _Matcher) -> str | None:
    duty = _DUTY.search(text)
    if duty is None or duty.start() == 0:
        return None
    return matcher.match(text[: duty.start()].strip(" ,;-–"))


def propose_leads(
    tasks: list[dict[str, Any]], blocks: Sequence[Block], matcher: _Matcher
) -> list[str]:
    """Where no task names a lead, give each task the unit "Tổ chức thực hiện" assigns to its
    group of work (the group's name in the unit's duties); the warnings to show."""
    if not tasks or any(t["lead"] for t in tasks):
        return []
    duties = [(unit, fold(text)) for unit, text in assignments(blocks, matcher)]
    proposed: list[str] = []
    for task in tasks:
        area = fold(task.get("group") or "")
        if len(area) < 6:
            continue
        unit = next((u for u, text in duties if area in text), None)
        if unit is not None:
            task["lead"] = [unit]
            proposed.append(task["code"])
    if not proposed:
        return []
    return [
        f"Đơn vị chủ trì của {len(proposed)} nhiệm vụ ({', '.join(proposed)}) được lấy từ mục "
        "“Tổ chức thực hiện” vì bảng nhiệm vụ không ghi; hãy xác nhận lại trong bản xem trước."
    ]
