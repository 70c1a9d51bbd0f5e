"""In-app notifications: what a person is told (evidence rejected, a direction, ...)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from theodoi.units.models import Commune


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    # None for what concerns a whole province (a province officer's digest).
    commune = models.ForeignKey(
        Commune,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("xã/phường"),
        null=True,
        blank=True,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("người nhận"),
    )
    text = models.CharField(_("nội dung"), max_length=500)
    url = models.CharField(_("đường dẫn"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    # What the notice is about ("confirm:<report>:<version>"): a person is told of one item
    # entering their queue once, however often the trigger runs. Empty for other notices.
    key = models.CharField(_("mã việc"), max_length=200, blank=True, default="")

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=~models.Q(key=""),
                name="notification_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return self.text


class WarningAck(models.Model):
    """Someone acknowledged a warning (it stays derived; the acknowledgement is recorded)."""

    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="+", verbose_name=_("xã/phường")
    )
    key = models.CharField(_("mã cảnh báo"), max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("ghi nhận cảnh báo")
        verbose_name_plural = _("ghi nhận cảnh báo")
        constraints = [models.UniqueConstraint(fields=["commune", "key"], name="warning_ack_once")]

    def __str__(self) -> str:
        return self.key


class DigestItem(models.Model):
    """A warning already told to a person, so that `theodoi notify` never sends it twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("mã cảnh báo"), max_length=200)
    sent_at = models.DateTimeField(_("đã gửi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("cảnh báo đã gửi")
        verbose_name_plural = _("cảnh báo đã gửi")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="digest_item_once")]

    def __str__(self) -> str:
        return self.key


class WarningSeen(models.Model):
    """A warning shown to a person on the warnings list: what a leader's inbox counts as
    new is a warning of today not yet shown to them (warnings are derived and have no date
    of their own, so "since the last visit" is "not among what the visits showed")."""

    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="+", verbose_name=_("xã/phường")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("mã cảnh báo"), max_length=200)
    seen_at = models.DateTimeField(_("đã xem lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("cảnh báo đã xem")
        verbose_name_plural = _("cảnh báo đã xem")
        constraints = [
            models.UniqueConstraint(fields=["user", "commune", "key"], name="warning_seen_once")
        ]

    def __str__(self) -> str:
        return self.key
