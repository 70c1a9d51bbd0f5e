"""What waits for the standing office's review: the review queue and the inbox both read these."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from theodoi.tracking.models import ReportState, ReviewStatus, TargetValue
from theodoi.units.models import Commune

from .models import Evidence


def evidence_awaiting_review(commune: Commune) -> QuerySet[Evidence]:
    """Evidence not yet reviewed whose report or target value has reached the office."""
    return (
        Evidence.objects.pending()
        .filter(commune=commune)
        .filter(Q(report__state=ReportState.SENT) | Q(target_value__state=ReportState.SENT))
        .order_by("uploaded_at")
    )


def values_awaiting_review(commune: Commune) -> QuerySet[TargetValue]:
    """Target values sent to the office and not yet accepted or refused."""
    return TargetValue.objects.filter(
        commune=commune, state=ReportState.SENT, review=ReviewStatus.PENDING
    ).order_by("sent_at")
