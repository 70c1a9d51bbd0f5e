"""An import in progress: the uploaded document and the Plan JSON the office corrects."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from theodoi.plans.models import Plan
from theodoi.units.models import Commune


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Đang xem trước")
    CONFIRMED = "confirmed", _("Đã tạo kế hoạch")
    DISCARDED = "discarded", _("Đã hủy")


def _source_path(instance: PlanImport, filename: str) -> str:
    return f"plan-sources/{instance.commune.code}/{instance.public_id}/{filename}"


class PlanImport(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="plan_imports", verbose_name=_("xã/phường")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người tải lên"),
    )
    created_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    # The original document is kept: the plan can always be traced back to what was signed.
    source = models.FileField(_("tệp kế hoạch"), upload_to=_source_path, max_length=300)
    source_name = models.CharField(_("tên tệp"), max_length=255)
    source_sha256 = models.CharField(_("SHA-256"), max_length=64)
    plan_json = models.JSONField(_("dữ liệu kế hoạch"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    # Bumped on every edit: a save made from an older screen is refused, never overwrites.
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    # Spellings the office decided about: spelling -> unit public id, or "" to keep as text.
    unit_decisions = models.JSONField(_("quyết định về tên đơn vị"), default=dict, blank=True)
    plan = models.OneToOneField(
        Plan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_import",
        verbose_name=_("kế hoạch đã tạo"),
    )

    class Meta:
        verbose_name = _("lượt nhập kế hoạch")
        verbose_name_plural = _("lượt nhập kế hoạch")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.get_status_display()})"
