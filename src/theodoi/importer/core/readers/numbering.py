"""Word's automatic list numbering rendered as the label a person sees ("1.", "II.", "2.3.", "a)").

A paragraph with ``w:numPr`` (directly or through its style) shows a label drawn by Word from
``word/numbering.xml``: the ``w:num`` it names points at an ``w:abstractNum`` whose levels say
the format (decimal, upperRoman, lowerLetter...), the text pattern (``%1.%2.``), the start
value, and which level restarts the count. A ``w:num`` may override a level's start
(``w:lvlOverride/w:startOverride``) or a level's whole definition; lists that share an
abstractNum without an override continue one count, as in Word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docx.oxml.ns import qn
from lxml import etree

_W_VAL = qn("w:val")
_LEVEL_REF = re.compile(r"%([1-9])")
# Symbol-font bullets use private-use code points; they are all drawn as a bullet.
_BULLET_LABEL = "-"


@dataclass(frozen=True)
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    # The level whose increment restarts this one (w:lvlRestart, 1-based; 0 = never); None =
    # any shallower level (Word's default).
    restart: int | None = None
    legal: bool = False  # w:isLgl: every number of the label drawn as decimal


@dataclass
class _Num:
    abstract: str
    overrides: dict[int, Level] = field(default_factory=dict)
    start_overrides: dict[int, int] = field(default_factory=dict)
    used: bool = False


class Numbering:
    """The numbering definitions of one document and the running counts of its lists."""

    def __init__(self, numbering_element: etree._Element | None) -> None:
        self._abstracts: dict[str, dict[int, Level]] = {}
        self._nums: dict[str, _Num] = {}
        # abstractNum id -> the current value of each level (None: not started yet)
        self._counts: dict[str, dict[int, int]] = {}
        if numbering_element is None:
            return
        for abstract in numbering_element.iterchildren(qn("w:abstractNum")):
            levels = {}
            for lvl in abstract.iterchildren(qn("w:lvl")):
                ilvl = _int(lvl.get(qn("w:ilvl")), 0)
                levels[ilvl] = _level(lvl)
            self._abstracts[abstract.get(qn("w:abstractNumId"), "")] = levels
        for num in numbering_element.iterchildren(qn("w:num")):
            abstract_id = _child_val(num, "w:abstractNumId") or ""
            entry = _Num(abstract=abstract_id)
            for override in num.iterchildren(qn("w:lvlOverride")):
                ilvl = _int(override.get(qn("w:ilvl")), 0)
                start = _child_val(override, "w:startOverride")
                if start is not None:
                    entry.start_overrides[ilvl] = _int(start, 1)
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    entry.overrides[ilvl] = _level(lvl)
            self._nums[num.get(qn("w:numId"), "")] = entry

    def label(self, num_id: str, ilvl: int) -> str | None:
        """Advance the list ``num_id`` at level ``ilvl`` and return the label drawn; None for
        numId 0 (numbering switched off) or an unknown list."""
        num = self._nums.get(num_id)
        if num is None or num_id == "0":
            return None
        levels = {**self._abstracts.get(num.abstract, {}), **num.overrides}
        # A list with its own start overrides is a list of its own (restarted numbering).
        key = f"num:{num_id}" if num.start_overrides or num.overrides else num.abstract
        counts = self._counts.setdefault(key, {})
        if not num.used:
            num.used = True
            for overridden in num.start_overrides:
                counts.pop(overridden, None)
        level = levels.get(ilvl, Level())
        counts[ilvl] = (
            counts[ilvl] + 1 if ilvl in counts else num.start_overrides.get(ilvl, level.start)
        )
        for deeper in [k for k in counts if k > ilvl]:
            restart = levels.get(deeper, Level()).restart
            if restart is None or (restart != 0 and restart - 1 >= ilvl):
                del counts[deeper]
        if level.fmt == "none":
            return None
        if level.fmt == "bullet":
            return _BULLET_LABEL

        def number(match: re.Match[str]) -> str:
            ref = int(match.group(1)) - 1
            ref_level = levels.get(ref, Level())
            value = counts.get(ref, num.start_overrides.get(ref, ref_level.start))
            fmt = "decimal" if level.legal and ref != ilvl else ref_level.fmt
            return format_number(value, fmt)

        text = _LEVEL_REF.sub(number, level.text).strip()
        return text or None


def _level(lvl: etree._Element) -> Level:
    restart = _child_val(lvl, "w:lvlRestart")
    return Level(
        fmt=_child_val(lvl, "w:numFmt") or "decimal",
        text=_child_val(lvl, "w:lvlText") or "",
        start=_int(_child_val(lvl, "w:start"), 1),
        restart=_int(restart, 0) if restart is not None else None,
        legal=lvl.find(qn("w:isLgl")) is not None,
    )


def format_number(value: int, fmt: str) -> str:
    """``value`` drawn in Word's number format ``fmt``."""
    if fmt in ("upperRoman", "lowerRoman"):
        roman = to_roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        # Word repeats the letter past z: a..z, aa..zz.
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1) if value > 0 else ""
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def to_roman(value: int) -> str:
    if value <= 0:
        return str(value)
    out = []
    for number, numeral in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while value >= number:
            out.append(numeral)
            value -= number
    return "".join(out)


def _child_val(element: etree._Element, tag: str) -> str | None:
    child = element.find(qn(tag))
    return child.get(_W_VAL) if child is not None else None


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default
