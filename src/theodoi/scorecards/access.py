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

from django.contrib.auth.models import User
from django.http import Http404

from theodoi.accounts.access import AnyUser, communes_visible_q
from theodoi.accounts.models import Membership, Role
from theodoi.tracking.access import is_office, user_units
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
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    assert isinstance(user, User)
    return Membership.objects.filter(
        user=user, role=Role.PROVINCE_OFFICER, province=province
    ).exists()


def provinces_for_user(user: AnyUser) -> list[Province]:
    """The provinces whose scorecards ``user`` manages."""
    if not user.is_authenticated:
        return []
    if getattr(user, "is_superuser", False):
        return list(Province.objects.order_by("name"))
    assert isinstance(user, User)
    return list(
        Province.objects.filter(
            memberships__user=user, memberships__role=Role.PROVINCE_OFFICER
        ).distinct()
    )


def get_province_for_user(user: AnyUser, code: str) -> Province:
    province = Province.objects.filter(code=code).first()
    if province is None or not is_province_officer(user, province):
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
    assessment = (
        Assessment.objects.filter(communes_visible_q(user), public_id=public_id)
        .select_related("scorecard__province", "commune__province")
        .first()
    )
    if assessment is None:
        raise Http404
    return assessment


def get_entry_for_user(user: AnyUser, public_id: uuid.UUID) -> AssessmentEntry:
    entry = (
        AssessmentEntry.objects.filter(communes_visible_q(user), public_id=public_id)
        .select_related(
            "assessment__scorecard__province",
            "assessment__commune__province",
            "criterion__group",
            "commune__province",
            "responsible_unit",
        )
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def get_evidence_for_user(user: AnyUser, public_id: uuid.UUID) -> CriterionEvidence:
    evidence = (
        CriterionEvidence.objects.filter(communes_visible_q(user), public_id=public_id)
        .select_related(
            "entry__assessment__scorecard", "entry__criterion", "entry__responsible_unit"
        )
        .select_related("commune__province")
        .first()
    )
    if evidence is None:
        raise Http404
    return evidence


def is_open(scorecard: Scorecard) -> bool:
    """Assessments are filled and appraised only against the scorecard in force."""
    return scorecard.status == ScorecardStatus.PUBLISHED


def may_organise(user: AnyUser, commune: Commune) -> bool:
    """Set who answers for each criterion, by when; explain gaps: the standing office."""
    return is_office(user, commune)


def may_fill(user: AnyUser, entry: AssessmentEntry) -> bool:
    """Enter the figure, evidence and status of one criterion."""
    if is_office(user, entry.commune):
        return True
    unit_id = entry.responsible_unit_id
    return unit_id is not None and any(u.pk == unit_id for u in user_units(user, entry.commune))


def may_appraise(user: AnyUser, commune: Commune) -> bool:
    return is_province_officer(user, commune.province)
