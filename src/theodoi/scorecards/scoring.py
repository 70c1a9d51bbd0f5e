"""How a scorecard's criterion turns a figure into points: plain Python, no Django import.

Five kinds of criterion, as the provinces' own sets score them:

- ratio: numerator / denominator × maximum points, capped at the maximum (a share given as a
  percentage is read as value / 100);
- bands: the points of the highest band whose lower bound (inclusive) the value reaches,
  0 below every band — "4 cuộc họp → 20, 3 → 15, 2 → 10, 1 → 5";
- yes / no: the maximum or nothing;
- bonus: count × points each (or the points themselves), up to the maximum;
- deduction: the same, subtracted: its score is negative, down to minus the maximum.

Scores are ``Decimal`` rounded half up to two places, so every example can be checked by hand.
Nothing entered scores ``None`` ("chưa chấm"), which totals count as 0.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

RATIO = "ratio"
BANDS = "bands"
YES_NO = "yes_no"
BONUS = "bonus"
DEDUCTION = "deduction"
KINDS = (RATIO, BANDS, YES_NO, BONUS, DEDUCTION)
# Kinds whose maximum counts towards the scorecard's maximum (bonus and deduction do not).
BASE_KINDS = (RATIO, BANDS, YES_NO)

CENT = Decimal("0.01")
HUNDRED = Decimal(100)

Band = tuple[Decimal, Decimal]  # (lower bound inclusive, points)


@dataclass(frozen=True)
class Rule:
    kind: str
    max_points: Decimal
    bands: tuple[Band, ...] = ()
    points_each: Decimal | None = None  # bonus / deduction: points per counted occurrence


@dataclass(frozen=True)
class Figure:
    """What a commune reports (or the system finds) for one criterion."""

    value: Decimal | None = None  # bands: the measure; bonus / deduction: the count; ratio: a %
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    yes: bool | None = None

    @property
    def empty(self) -> bool:
        return (
            self.value is None
            and self.yes is None
            and (self.numerator is None or self.denominator is None)
        )


def rounded(number: Decimal) -> Decimal:
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


def share(figure: Figure) -> Decimal | None:
    """The figure as a share in [0, ∞): numerator / denominator, else value %."""
    if figure.numerator is not None and figure.denominator is not None:
        if figure.denominator <= 0:
            return None
        return figure.numerator / figure.denominator
    if figure.value is not None:
        return figure.value / HUNDRED
    return None


def band_points(bands: Iterable[Band], value: Decimal) -> Decimal:
    """The points of the highest band ``value`` reaches (lower bounds inclusive); else 0."""
    for lower, points in sorted(bands, key=lambda band: band[0], reverse=True):
        if value >= lower:
            return points
    return Decimal(0)


def score(rule: Rule, figure: Figure) -> Decimal | None:
    """The points ``figure`` earns under ``rule``; None when nothing was entered."""
    if rule.kind == RATIO:
        part = share(figure)
        if part is None:
            return None
        return rounded(min(max(part, Decimal(0)), Decimal(1)) * rule.max_points)
    if rule.kind == BANDS:
        if figure.value is None:
            return None
        return rounded(min(band_points(rule.bands, figure.value), rule.max_points))
    if rule.kind == YES_NO:
        if figure.yes is None:
            return None
        return rounded(rule.max_points) if figure.yes else Decimal("0.00")
    if rule.kind in (BONUS, DEDUCTION):
        if figure.value is None:
            return None
        count = max(figure.value, Decimal(0))
        points = count * rule.points_each if rule.points_each is not None else count
        capped = rounded(min(points, rule.max_points))
        return -capped if rule.kind == DEDUCTION and capped else capped
    raise ValueError(f"unknown scoring kind {rule.kind!r}")


def room(rule: Rule, points: Decimal | None) -> Decimal:
    """Points still to gain: up to the maximum, or (a deduction) back to zero."""
    earned = points if points is not None else Decimal(0)
    if rule.kind == DEDUCTION:
        return rounded(-earned)
    return rounded(max(rule.max_points - earned, Decimal(0)))


def rule_problems(rule: Rule) -> list[str]:
    """What makes ``rule`` unusable, as codes the caller words for its reader."""
    problems = []
    if rule.kind not in KINDS:
        return ["kind"]
    if rule.max_points <= 0:
        problems.append("max_points")
    if rule.kind == BANDS:
        if not rule.bands:
            problems.append("bands_missing")
        elif any(points > rule.max_points or points < 0 for _lower, points in rule.bands):
            problems.append("band_above_max")
        elif len({lower for lower, _points in rule.bands}) != len(rule.bands):
            problems.append("band_repeated")
    if rule.kind in (BONUS, DEDUCTION) and rule.points_each is not None and rule.points_each <= 0:
        problems.append("points_each")
    return problems


# --- writing rules down -------------------------------------------------------------------

_PAIR_SEPARATORS = re.compile(r"\s*(?:→|->|=>|=|:)\s*")
_ITEM_SEPARATORS = re.compile(r"[;\n]+")


def parse_number(text: str) -> Decimal:
    """ "92,5" or "92.5" → 92.5; a trailing "%" or "điểm" is ignored. Raises ValueError."""
    cleaned = text.strip().lower().removesuffix("điểm").strip().removesuffix("%").strip()
    cleaned = cleaned.replace("\u00a0", "").replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    return number


def parse_bands(text: str) -> tuple[Band, ...]:
    """ "4: 20; 3: 15; 2: 10; 1: 5" → ((4, 20), (3, 15), (2, 10), (1, 5)), highest first.

    Pairs are "lower bound: points" (also "→", "->", "="), separated by ";" or new lines.
    Raises ValueError naming the pair it could not read."""
    bands = []
    for item in _ITEM_SEPARATORS.split(text):
        if not item.strip():
            continue
        parts = _PAIR_SEPARATORS.split(item.strip())
        if len(parts) != 2:
            raise ValueError(item.strip())
        try:
            bands.append((parse_number(parts[0]), parse_number(parts[1])))
        except ValueError:
            raise ValueError(item.strip()) from None
    return tuple(sorted(bands, key=lambda band: band[0], reverse=True))


def number_text(number: Decimal) -> str:
    """Decimal("92.50") → "92,5": the short form a Vietnamese reader writes."""
    text = format(number.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def bands_text(bands: Iterable[Band]) -> str:
    """The inverse of ``parse_bands``: "4: 20; 3: 15; 2: 10; 1: 5"."""
    return "; ".join(f"{number_text(lower)}: {number_text(points)}" for lower, points in bands)


# --- where a criterion's figure comes from --------------------------------------------------

MANUAL = "manual"
TARGET = "target"
PLAN_ON_TIME_SHARE = "plan_on_time_share"
REPORTS_ON_TIME_SHARE = "reports_on_time_share"
SYSTEM_SOURCES = (PLAN_ON_TIME_SHARE, REPORTS_ON_TIME_SHARE)
_MANUAL_WORDS = {"", "manual", "nhập tay", "nhap tay", "thủ công", "tự nhập"}


@dataclass(frozen=True)
class Source:
    kind: str  # MANUAL, TARGET or one of SYSTEM_SOURCES
    code: str = ""  # TARGET: an indicator code, else a target code of the commune's plan

    @property
    def manual(self) -> bool:
        return self.kind == MANUAL

    def __str__(self) -> str:
        if self.kind == MANUAL:
            return ""
        return f"{TARGET}:{self.code}" if self.kind == TARGET else self.kind


def parse_source(text: str) -> Source:
    """ "" / "nhập tay" → manual; "target:<code>"; "plan_on_time_share";
    "reports_on_time_share". Raises ValueError otherwise."""
    cleaned = " ".join(text.split())
    if cleaned.lower() in _MANUAL_WORDS:
        return Source(MANUAL)
    if cleaned.lower() in SYSTEM_SOURCES:
        return Source(cleaned.lower())
    prefix, colon, code = cleaned.partition(":")
    if colon and prefix.strip().lower() == TARGET and code.strip() and " " not in code.strip():
        return Source(TARGET, code.strip())
    raise ValueError(text)


# --- totals and ranks ---------------------------------------------------------------------


def total(points: Iterable[Decimal | None]) -> Decimal:
    """A sum where a criterion not yet scored counts 0."""
    return rounded(sum((p for p in points if p is not None), Decimal(0)))


def competition_ranks(totals: Sequence[tuple[Hashable, Decimal]]) -> dict[Hashable, int]:
    """Highest total first; equal totals share a rank and the next rank is skipped
    ("1, 2, 2, 4")."""
    ordered = sorted(totals, key=lambda item: item[1], reverse=True)
    ranks: dict[Hashable, int] = {}
    previous: Decimal | None = None
    rank = 0
    for position, (key, value) in enumerate(ordered, start=1):
        if value != previous:
            rank = position
            previous = value
        ranks[key] = rank
    return ranks
