"""The province's catalogue of common indicators, and matching plans' targets to it.

Each commune words the same goal its own way ("Tỷ lệ phủ sóng 5G trên dân số", "Mạng 4G/5G
phủ sóng tại 100% khu dân cư"); linking each target to a catalogue indicator is what lets
the province compare communes on one indicator.

The catalogue ships as data (``data/indicators.json``) and is edited afterwards in the admin.
Matching is fuzzy (rapidfuzz) on normalised names and only fills a target whose indicator is
empty, so a link a person set by hand is never overwritten (unless ``force``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from rapidfuzz import fuzz

from theodoi.plans.models import Indicator, Plan, Target

CATALOGUE_PATH = Path(__file__).resolve().parent / "data" / "indicators.json"

# Chosen on the targets of the three real plans (tests/dashboards/test_indicators.py): every
# target that really is a catalogue indicator scores 77 or more, every unrelated one 68 or
# less (the closest: "100% cán bộ ... sử dụng thành thạo Hệ thống quản lý văn bản" against
# "làm chủ kỹ năng số"). 72 sits in that gap, a little nearer the unrelated side because a
# missed match costs a click in the admin while a wrong one silently skews a comparison.
MATCH_THRESHOLD = 72.0

# A folded comparison ("so hoa" = "số hóa" = "số hoá") merges words that differ only by
# their marks ("sở"/"số"), so it counts slightly less than the comparison with marks kept.
FOLDED_PENALTY = 3.0

# Words that carry no meaning of their own in a target's name: how the goal is phrased
# ("Tỷ lệ ...", "phấn đấu ... đạt ... trở lên") and grammatical glue. Matched as whole words
# after lower-casing; "phần đầu"/"phân đấu" are misprints of "phấn đấu" met in real plans.
FILLERS = (
    "tỷ lệ",
    "tỉ lệ",
    "phấn đấu",
    "phần đầu",
    "phân đấu",
    "trở lên",
    "bảo đảm",
    "đảm bảo",
    "ít nhất",
    "địa bàn",
    "đạt",
    "trên",
    "từ",
    "khoảng",
    "các",
    "của",
    "được",
    "và",
    "trong",
    "với",
    "cho",
    "tại",
    "phường",
    "xã",
    "có",
    "đến",
    "thuộc",
    "diện",
)

# A number standing alone (100, 01, 1.245, 95,5) — not one inside a word such as 5G or 4.0.
_NUMBER = re.compile(r"(?<!\w)\d+(?:[.,]\d+)*(?!\w)")
_NOT_WORD = re.compile(r"[^\w]+")


def normalise(text: str) -> str:
    """Lower-case words of a target's name, marks kept, numbers, % and fillers out."""
    text = unicodedata.normalize("NFC", text).lower()
    text = _NUMBER.sub(" ", text).replace("%", " ")
    text = _NOT_WORD.sub(" ", text).replace("_", " ")
    padded = " " + " ".join(text.split()) + " "
    for filler in FILLERS:
        while f" {filler} " in padded:
            padded = padded.replace(f" {filler} ", " ")
    return " ".join(padded.split())


def fold(text: str) -> str:
    """``text`` without Vietnamese marks: "số hóa" → "so hoa" (also "hoá" → "hoa")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def _similarity(a: str, b: str) -> float:
    # token_sort penalises extra words; token_set forgives a longer wording of the same
    # goal. Their mean ranks a paraphrase above a target that merely shares common words.
    return (fuzz.token_sort_ratio(a, b) + fuzz.token_set_ratio(a, b)) / 2


@dataclass(frozen=True)
class _Wording:
    kept: str
    folded: str

    @classmethod
    def of(cls, text: str) -> _Wording:
        kept = normalise(text)
        return cls(kept, fold(kept))

    def score(self, other: _Wording) -> float:
        if not self.kept or not other.kept:
            return 0.0
        return max(
            _similarity(self.kept, other.kept),
            _similarity(self.folded, other.folded) - FOLDED_PENALTY,
        )


class IndicatorMatcher:
    """Scores a target's name against each indicator's name and aliases (0–100)."""

    def __init__(self, indicators: Iterable[Indicator]) -> None:
        self.entries: list[tuple[Indicator, list[_Wording]]] = [
            (ind, [_Wording.of(w) for w in [ind.name, *ind.aliases] if w and w.strip()])
            for ind in indicators
        ]

    def score(self, name: str, indicator: Indicator) -> float:
        wording = _Wording.of(name)
        for ind, wordings in self.entries:
            if ind.pk == indicator.pk:
                return round(max((wording.score(w) for w in wordings), default=0.0), 1)
        return 0.0

    def best(self, name: str) -> tuple[Indicator | None, float]:
        """The closest indicator and its score; None when the catalogue is empty."""
        wording = _Wording.of(name)
        best: Indicator | None = None
        best_score = 0.0
        for ind, wordings in self.entries:
            score = max((wording.score(w) for w in wordings), default=0.0)
            if score > best_score:
                best, best_score = ind, score
        return best, round(best_score, 1)


# --- the catalogue --------------------------------------------------------------------------


def catalogue_entries(path: Path = CATALOGUE_PATH) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return list(data["indicators"])


@transaction.atomic
def indicators_load(*, path: Path = CATALOGUE_PATH) -> tuple[int, int]:
    """Create the catalogue's indicators that are missing; return (created, updated).

    Idempotent. An indicator already in the database keeps what was edited in the admin
    (name, group, unit); it only gains the file's aliases it lacks and fills empty fields.
    Indicators added in the admin and absent from the file are left alone.
    """
    existing = {ind.code: ind for ind in Indicator.objects.all()}
    created = updated = 0
    for entry in catalogue_entries(path):
        aliases = [a for a in entry.get("aliases") or [] if a]
        indicator = existing.get(entry["code"])
        if indicator is None:
            Indicator.objects.create(
                code=entry["code"],
                name=entry["name"],
                group=entry.get("group") or "",
                measure_unit=entry.get("measure_unit") or "",
                aliases=aliases,
            )
            created += 1
            continue
        changed = False
        known = {a.casefold() for a in indicator.aliases}
        new_aliases = [a for a in aliases if a.casefold() not in known]
        if new_aliases:
            indicator.aliases = [*indicator.aliases, *new_aliases]
            changed = True
        for field in ("group", "measure_unit"):
            if not getattr(indicator, field) and entry.get(field):
                setattr(indicator, field, entry[field])
                changed = True
        if changed:
            indicator.save()
            updated += 1
    return created, updated


# --- matching -------------------------------------------------------------------------------


@transaction.atomic
def indicators_match(
    *,
    plan: Plan,
    threshold: float = MATCH_THRESHOLD,
    force: bool = False,
    indicators: Sequence[Indicator] | None = None,
) -> list[tuple[Target, Indicator | None, float]]:
    """Link each target of ``plan`` to its catalogue indicator when the names are close.

    Only a target without an indicator is filled: one set by hand (or by an earlier run)
    stays as it is, and is returned with its score against that indicator. ``force``
    matches every target again, clearing links below ``threshold``. Returns, for each
    target in the plan's order, the indicator it now has and the score (0–100).
    """
    matcher = IndicatorMatcher(indicators if indicators is not None else Indicator.objects.all())
    targets = list(plan.targets.select_related("indicator").order_by("position"))
    results: list[tuple[Target, Indicator | None, float]] = []
    changed: list[Target] = []
    for target in targets:
        if target.indicator is not None and not force:
            results.append((target, target.indicator, matcher.score(target.name, target.indicator)))
            continue
        best, score = matcher.best(target.name)
        chosen = best if best is not None and score >= threshold else None
        if target.indicator_id != (chosen.pk if chosen else None):
            target.indicator = chosen
            changed.append(target)
        results.append((target, chosen, score))
    if changed:
        Target.objects.bulk_update(changed, ["indicator"])
    return results
