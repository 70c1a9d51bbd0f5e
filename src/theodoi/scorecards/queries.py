"""Reading assessments: each criterion's figure and score, group and overall totals, the
province's ranking, and what a commune most needs to gain points.

Scores are computed here, from the figures stored and the system's live data, every time:
nothing computed is stored, so a change in the plan's data shows at once.

The *final* score of a criterion is the province's appraised score once it has appraised it,
else the commune's own score; the ranking orders communes by their final totals.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from theodoi.lib.numbers import vn_number
from theodoi.units.models import Province

from . import scoring
from .models import (
    Assessment,
    AssessmentEntry,
    Criterion,
    CriterionEvidence,
    CriterionGroup,
    EntryStatus,
    Scorecard,
    ScorecardStatus,
    ScoringKind,
)
from .sources import SystemFigure, system_figures

NEEDS_SHOWN = 5


def points_text(points: Decimal | None) -> str:
    """ "12,5", "−3" — or "—" for a criterion not scored yet."""
    if points is None:
        return "—"
    return f"−{vn_number(-points)}" if points < 0 else vn_number(points)


@dataclass
class EntryLine:
    entry: AssessmentEntry
    criterion: Criterion
    system: SystemFigure | None
    evidence: list[CriterionEvidence]

    @property
    def figure(self) -> scoring.Figure:
        return self.system.figure if self.system is not None else self.entry.figure

    @property
    def self_score(self) -> Decimal | None:
        return scoring.score(self.criterion.rule, self.figure)

    @property
    def appraised(self) -> Decimal | None:
        return self.entry.appraised_score

    @property
    def final(self) -> Decimal | None:
        return self.appraised if self.appraised is not None else self.self_score

    @property
    def gap(self) -> Decimal | None:
        """Appraised minus self-score: negative when the province gave fewer points."""
        if self.appraised is None:
            return None
        return scoring.rounded(self.appraised - (self.self_score or Decimal(0)))

    @property
    def room(self) -> Decimal:
        return scoring.room(self.criterion.rule, self.final)

    @property
    def evidence_missing(self) -> bool:
        """Points claimed on a criterion that requires evidence, and none attached."""
        claimed = self.self_score is not None and self.self_score != 0
        return self.criterion.evidence_required and claimed and not self.evidence

    @property
    def figure_text(self) -> str:
        if self.system is not None:
            return self.system.text
        return figure_text(self.criterion, self.entry.figure)

    @property
    def status_css(self) -> str:
        return {
            EntryStatus.DONE: "text-bg-success",
            EntryStatus.NEEDS_EVIDENCE: "text-bg-warning",
            EntryStatus.IN_PROGRESS: "text-bg-info",
        }.get(EntryStatus(self.entry.status), "text-bg-secondary")


def figure_text(criterion: Criterion, figure: scoring.Figure) -> str:
    """A figure as the commune entered it: "3 cuộc họp", "12 / 15 (80%)", "Có"."""
    unit = f" {criterion.measure_unit}" if criterion.measure_unit else ""
    if criterion.kind == ScoringKind.YES_NO:
        return {True: _("Có"), False: _("Không")}.get(figure.yes, "—")  # type: ignore[arg-type]
    if criterion.kind == ScoringKind.RATIO:
        part = scoring.share(figure)
        if part is None:
            return "—"
        percent = vn_number(scoring.rounded(part * 100))
        if figure.numerator is not None and figure.denominator is not None:
            return f"{vn_number(figure.numerator)} / {vn_number(figure.denominator)} ({percent}%)"
        return f"{percent}%"
    if figure.value is None:
        return "—"
    return f"{vn_number(figure.value)}{unit}"


@dataclass
class GroupResult:
    group: CriterionGroup
    lines: list[EntryLine]

    @property
    def max_points(self) -> Decimal:
        return scoring.total(
            line.criterion.max_points for line in self.lines if line.criterion.counts_in_max
        )

    @property
    def self_total(self) -> Decimal:
        return scoring.total(line.self_score for line in self.lines)

    @property
    def final_total(self) -> Decimal:
        return scoring.total(line.final for line in self.lines)

    @property
    def appraised_count(self) -> int:
        return sum(1 for line in self.lines if line.appraised is not None)

    @property
    def gap(self) -> Decimal:
        return scoring.rounded(self.final_total - self.self_total)


@dataclass
class AssessmentCard:
    assessment: Assessment
    groups: list[GroupResult]
    rank: int = 0
    ranked_among: int = 0

    @property
    def lines(self) -> list[EntryLine]:
        return [line for group in self.groups for line in group.lines]

    @property
    def max_total(self) -> Decimal:
        return scoring.total(group.max_points for group in self.groups)

    @property
    def bonus_max(self) -> Decimal:
        return scoring.total(
            line.criterion.max_points
            for line in self.lines
            if line.criterion.kind == ScoringKind.BONUS
        )

    @property
    def self_total(self) -> Decimal:
        return scoring.total(line.self_score for line in self.lines)

    @property
    def final_total(self) -> Decimal:
        return scoring.total(line.final for line in self.lines)

    @property
    def appraised_count(self) -> int:
        return sum(1 for line in self.lines if line.appraised is not None)

    @property
    def gap(self) -> Decimal:
        return scoring.rounded(self.final_total - self.self_total)

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        counts: dict[str, int] = defaultdict(int)
        for line in self.lines:
            counts[line.entry.status] += 1
        return [(value, str(label), counts[value]) for value, label in EntryStatus.choices]

    def needs(self, limit: int = NEEDS_SHOWN) -> list[EntryLine]:
        """The criteria with the most points still to gain, most first."""
        gaining = [line for line in self.lines if line.room > 0]
        gaining.sort(key=lambda line: (-line.room, line.criterion.position))
        return gaining[:limit]


# --- reading ---------------------------------------------------------------------------------


def _with_evidence(queryset: QuerySet[AssessmentEntry]) -> QuerySet[AssessmentEntry]:
    return queryset.select_related("criterion__group", "responsible_unit").prefetch_related(
        Prefetch(
            "evidence",
            queryset=CriterionEvidence.objects.current().order_by("uploaded_at"),
            to_attr="current_evidence",
        )
    )


def _entries(assessment_ids: Iterable[int]) -> list[AssessmentEntry]:
    return list(
        _with_evidence(
            AssessmentEntry.objects.filter(assessment_id__in=list(assessment_ids))
        ).order_by("criterion__group__position", "criterion__position")
    )


def _card(
    assessment: Assessment, entries: Sequence[AssessmentEntry], *, today: dt.date
) -> AssessmentCard:
    criteria = [entry.criterion for entry in entries]
    figures = system_figures(
        assessment.commune, criteria, year=assessment.scorecard.year, today=today
    )
    groups: dict[int, GroupResult] = {}
    for entry in entries:
        criterion = entry.criterion
        line = EntryLine(
            entry=entry,
            criterion=criterion,
            system=figures.get(criterion.pk),
            evidence=list(getattr(entry, "current_evidence", [])),
        )
        group = groups.setdefault(criterion.group_id, GroupResult(group=criterion.group, lines=[]))
        group.lines.append(line)
    ordered = sorted(groups.values(), key=lambda g: g.group.position)
    return AssessmentCard(assessment=assessment, groups=ordered)


def assessment_card(assessment: Assessment, *, today: dt.date) -> AssessmentCard:
    """One commune's assessment with every score computed."""
    return _card(assessment, _entries([assessment.pk]), today=today)


def entry_line(entry: AssessmentEntry, *, today: dt.date) -> EntryLine:
    """One criterion of an assessment, scored (for its own page and the services' checks)."""
    fresh = _with_evidence(
        AssessmentEntry.objects.filter(pk=entry.pk).select_related(
            "assessment__scorecard", "assessment__commune__province"
        )
    ).get()
    assessment = fresh.assessment
    figures = system_figures(
        assessment.commune, [fresh.criterion], year=assessment.scorecard.year, today=today
    )
    return EntryLine(
        entry=fresh,
        criterion=fresh.criterion,
        system=figures.get(fresh.criterion_id),
        evidence=list(getattr(fresh, "current_evidence", [])),
    )


@dataclass
class Ranking:
    scorecard: Scorecard
    cards: list[AssessmentCard] = field(default_factory=list)
    groups: list[CriterionGroup] = field(default_factory=list)


def scorecard_ranking(scorecard: Scorecard, *, today: dt.date) -> Ranking:
    """Every commune's assessment of ``scorecard``, ranked by final total (ties share a rank,
    then by name)."""
    assessments = list(
        Assessment.objects.filter(scorecard=scorecard).select_related(
            "commune__province", "scorecard"
        )
    )
    entries = _entries(a.pk for a in assessments)
    by_assessment: dict[int, list[AssessmentEntry]] = defaultdict(list)
    for entry in entries:
        by_assessment[entry.assessment_id].append(entry)
    cards = [_card(a, by_assessment[a.pk], today=today) for a in assessments]
    ranks = scoring.competition_ranks([(card.assessment.pk, card.final_total) for card in cards])
    for card in cards:
        card.rank = ranks[card.assessment.pk]
        card.ranked_among = len(cards)
    cards.sort(key=lambda card: (card.rank, card.assessment.commune.name))
    groups = list(scorecard.groups.order_by("position"))
    return Ranking(scorecard=scorecard, cards=cards, groups=groups)


def rank_of(assessment: Assessment, *, today: dt.date) -> AssessmentCard | None:
    """The commune's card as ranked among its province's communes."""
    ranking = scorecard_ranking(assessment.scorecard, today=today)
    return next((c for c in ranking.cards if c.assessment.pk == assessment.pk), None)


def group_cell(card: AssessmentCard, group: CriterionGroup) -> GroupResult | None:
    return next((g for g in card.groups if g.group.pk == group.pk), None)


# --- the province's appraisal queue -------------------------------------------------------


def entries_to_appraise(province: Province) -> list[AssessmentEntry]:
    """Criteria a commune of ``province`` marked done, in a scorecard in force, that the
    province has not appraised since (never, or before the commune's last change)."""
    return list(
        AssessmentEntry.objects.filter(
            assessment__scorecard__province=province,
            assessment__scorecard__status=ScorecardStatus.PUBLISHED,
            status=EntryStatus.DONE,
        )
        .filter(Q(appraised_at__isnull=True) | Q(updated_at__gt=F("appraised_at")))
        .select_related("commune", "criterion")
        .order_by("updated_at", "pk")
    )
