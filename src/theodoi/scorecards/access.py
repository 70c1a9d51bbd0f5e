"""Who may see and do what with scorecards. Views fetch through these, never around them.

- A province's scorecards (import, edit while in draft, publish, ranking) belong to its
  province officers; anyone else gets a 404.
- An assessment is read by the commune's own people and by its province's officers
  (``accounts.access.communes_visible_q``); another commune or province gets a 404.
- The commune's standing office fills every criterion, sets who answers for it and by
  when, and explains gaps; a unit's people fill the criteria their unit answers for.
- The province's officers appraise.
"""

from __future__ import annotations

import uuid

from django.http import Http404

from theodoi.accounts.access import AnyUser
from theodoi.accounts.policy import Action, fetch, may, provinces_for
from theodoi.units.models import Commune, Province

from .models import (
    Assessment,
    AssessmentEntry,
    Criterion,
    CriterionEvidence,
    Scorecard,
    ScorecardStatus,
)


def is_province_officer(user: AnyUser, province: Province) -> bool:
    return may(user, Action.MANAGE_SCORECARD, province)


def provinces_for_user(user: AnyUser) -> list[Province]:
    """The provinces whose scorecards ``user`` manages."""
    return provinces_for(user, Action.MANAGE_SCORECARD)


def get_province_for_user(user: AnyUser, code: str) -> Province:
    province = Province.objects.filter(code=code).first()
    if province is None or not may(user, Action.MANAGE_SCORECARD, province):
        raise Http404
    return province


def get_scorecard_for_user(user: AnyUser, public_id: uuid.UUID) -> Scorecard:
    scorecard = Scorecard.objects.filter(public_id=public_id).select_related("province").first()
    if scorecard is None or not is_province_officer(user, scorecard.province):
        raise Http404
    return scorecard


def get_criterion_for_user(user: AnyUser, public_id: uuid.UUID) -> Criterion:
    criterion = (
        Criterion.objects.filter(public_id=public_id)
        .select_related("scorecard__province", "group")
        .first()
    )
    if criterion is None or not is_province_officer(user, criterion.scorecard.province):
        raise Http404
    return criterion


def get_assessment_for_user(user: AnyUser, public_id: uuid.UUID) -> Assessment:
    """An assessment of a commune the user may read; anything else is a 404."""
    assessments = Assessment.objects.select_related("scorecard__province", "commune__province")
    return fetch(user, assessments, public_id)


def get_entry_for_user(user: AnyUser, public_id: uuid.UUID) -> AssessmentEntry:
    entries = AssessmentEntry.objects.select_related(
        "assessment__scorecard__province",
        "assessment__commune__province",
        "criterion__group",
        "commune__province",
        "responsible_unit",
    )
    return fetch(user, entries, public_id)


def get_evidence_for_user(user: AnyUser, public_id: uuid.UUID) -> CriterionEvidence:
    evidences = CriterionEvidence.objects.select_related(
        "entry__assessment__scorecard", "entry__criterion", "entry__responsible_unit"
    )
    return fetch(user, evidences.select_related("commune__province"), public_id)


def is_open(scorecard: Scorecard) -> bool:
    """Assessments are filled and appraised only against the scorecard in force."""
    return scorecard.status == ScorecardStatus.PUBLISHED


def may_organise(user: AnyUser, commune: Commune) -> bool:
    """Set who answers for each criterion, by when; explain gaps: the standing office."""
    return may(user, Action.ORGANISE_ASSESSMENT, commune)


def may_fill(user: AnyUser, entry: AssessmentEntry) -> bool:
    """Enter the figure, evidence and status of one criterion."""
    return may(user, Action.SELF_ASSESS, entry)


def may_appraise(user: AnyUser, entry: AssessmentEntry | Commune) -> bool:
    """The province's officers, on an entry they did not fill in themselves."""
    return may(user, Action.APPRAISE, entry)
