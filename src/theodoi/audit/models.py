"""An append-only trail of every change: who, when, what before, what after."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from theodoi.units.models import Commune


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def about_task(self, task_id: int) -> AuditQuerySet:
        return self.filter(task_id=task_id)

    def update(self, **kwargs: Any) -> int:
        raise TypeError("audit entries cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("audit entries cannot be deleted")


class AuditEntry(models.Model):
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("xã/phường"),
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    action = models.CharField(_("hành động"), max_length=60)
    summary = models.CharField(_("nội dung"), max_length=500)
    object_type = models.CharField(_("loại đối tượng"), max_length=60)
    object_id = models.CharField(_("mã đối tượng"), max_length=64)
    # Denormalised so a task's history is one indexed query.
    task = models.ForeignKey(
        "plans.Task",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("nhiệm vụ"),
    )
    target = models.ForeignKey(
        "plans.Target",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("chỉ tiêu"),
    )
    before = models.JSONField(_("trước"), null=True, blank=True)
    after = models.JSONField(_("sau"), null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("mục nhật ký")
        verbose_name_plural = _("nhật ký thay đổi")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.summary}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Append-only: an entry is written once and never rewritten.
        if self.pk is not None:
            raise TypeError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("audit entries cannot be deleted")


class RefusalTally(models.Model):
    """Refused accesses of one user in one minute: one audit entry records the first, this
    row counts them all. Probing another commune's pages cannot grow the audit trail by more
    than one entry per user and minute; the count still shows how hard someone tried."""

    # "anonymous" or the user's id: one key, so that the uniqueness also holds without a user.
    actor_key = models.CharField(_("người bị từ chối"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người dùng"),
    )
    minute = models.DateTimeField(_("phút"))
    count = models.PositiveIntegerField(_("số lần"), default=1)
    last_what = models.CharField(_("lần gần nhất"), max_length=300)

    class Meta:
        verbose_name = _("lượt từ chối truy cập")
        verbose_name_plural = _("lượt từ chối truy cập (theo phút)")
        ordering = ["-minute"]
        constraints = [
            models.UniqueConstraint(fields=["actor_key", "minute"], name="refusal_one_per_minute")
        ]

    def __str__(self) -> str:
        return f"{self.minute:%d/%m/%Y %H:%M} {self.actor_key} × {self.count}"
