"""Test helpers for the tracking rules: evidence rows made directly, reviews set directly."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils import timezone

from theodoi.evidence.models import Evidence, EvidenceKind
from theodoi.tracking.models import ProgressReport, ReportState, ReviewStatus, TargetValue


def document_evidence(
    *,
    user: User,
    report: ProgressReport | None = None,
    target_value: TargetValue | None = None,
    review: str = ReviewStatus.PENDING,
) -> Evidence:
    owner = report or target_value
    assert owner is not None
    return Evidence.objects.create(
        commune_id=owner.commune_id,
        unit=owner.unit,
        report=report,
        target_value=target_value,
        task=report.task if report else None,
        target=target_value.target if target_value else None,
        kind=EvidenceKind.DOCUMENT,
        doc_number="466/PVHXH",
        doc_date=timezone.localdate(),
        doc_summary="V/v triển khai",
        uploaded_by=user,
        review=review,
        review_note="" if review != ReviewStatus.REJECTED else "Thiếu chữ ký",
    )


def mark_sent(report: ProgressReport, *, when=None) -> ProgressReport:  # type: ignore[no-untyped-def]
    report.state = ReportState.SENT
    report.sent_at = when or timezone.now()
    report.save()
    return report
