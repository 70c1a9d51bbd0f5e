"""Evidence (minh chứng): files or signed-document references proving a result."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from theodoi.plans.models import Target, Task
from theodoi.tracking.models import ProgressReport, ReviewStatus, TargetValue
from theodoi.units.models import Commune, Unit


class EvidenceKind(models.TextChoices):
    FILE = "file", _("Tệp")
    DOCUMENT = "document", _("Văn bản (số/ký hiệu - ngày - trích yếu)")


class EvidenceQuerySet(models.QuerySet["Evidence"]):
    def current(self) -> EvidenceQuerySet:
        """Not withdrawn by its unit."""
        return self.filter(withdrawn_at__isnull=True)

    def accepted(self) -> EvidenceQuerySet:
        return self.current().filter(review=ReviewStatus.ACCEPTED)

    def pending(self) -> EvidenceQuerySet:
        return self.current().filter(review=ReviewStatus.PENDING)

    def rejected(self) -> EvidenceQuerySet:
        return self.current().filter(review=ReviewStatus.REJECTED)


class StoredEvidence(models.Model):
    """What every evidence is, whatever it proves (a task, a target, a scorecard criterion):
    a file (sniffed, hashed, stored under a fresh name) or a signed-document reference,
    submitted by someone, never deleted but possibly withdrawn. One definition, so that the
    evidence app's checks, downloads and ``theodoi check`` serve every kind alike."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã/phường")
    )
    kind = models.CharField(_("loại"), max_length=10, choices=EvidenceKind.choices)
    file = models.FileField(_("tệp"), max_length=300, blank=True)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    content_type = models.CharField(_("loại tệp (theo nội dung)"), max_length=100, blank=True)
    doc_number = models.CharField(_("số/ký hiệu"), max_length=100, blank=True)
    doc_date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    doc_summary = models.CharField(_("trích yếu"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("ngày nộp"), auto_now_add=True)
    # Never deleted: withdrawn, which is recorded; the file is kept.
    withdrawn_at = models.DateTimeField(_("ngày rút"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        if self.kind == EvidenceKind.DOCUMENT:
            return (
                f"{self.doc_number} - {self.doc_date:%d/%m/%Y}: {self.doc_summary}"
                if self.doc_date
                else self.doc_number
            )
        return self.original_name


class Evidence(StoredEvidence):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("đơn vị nộp")
    )
    # Exactly one of report / target_value: what the evidence proves.
    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("báo cáo tiến độ"),
    )
    target_value = models.ForeignKey(
        TargetValue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("giá trị chỉ tiêu"),
    )
    # Denormalised from report / target_value for one-query listings.
    task = models.ForeignKey(
        Task, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    target = models.ForeignKey(
        Target, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    review = models.CharField(
        _("thẩm định"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    review_note = models.TextField(_("lý do / ý kiến thẩm định"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # A review names the version it was made on: two reviewers at once, one decision.
    version = models.PositiveIntegerField(default=1)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(report__isnull=False) & Q(target_value__isnull=True))
                | (Q(report__isnull=True) & Q(target_value__isnull=False)),
                name="evidence_proves_one_thing",
            ),
            models.CheckConstraint(
                condition=(Q(kind="file") & ~Q(file="") & ~Q(sha256=""))
                | (Q(kind="document") & ~Q(doc_number="")),
                name="evidence_file_or_document_complete",
            ),
            models.CheckConstraint(
                condition=~Q(review="rejected") | ~Q(review_note=""),
                name="evidence_rejection_has_reason",
            ),
        ]
