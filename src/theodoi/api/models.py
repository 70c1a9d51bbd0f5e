"""API tokens: how another system (the province's operations centre, a script) signs in.

A token acts for the user who created it, with exactly that user's permissions. Only its
SHA-256 is stored: whoever reads the database cannot use the tokens it finds there.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("người dùng"),
    )
    name = models.CharField(_("tên gợi nhớ"), max_length=100)
    # The first characters of the token, shown in the list so a user can tell tokens apart.
    prefix = models.CharField(_("đầu mã"), max_length=12)
    # SHA-256 of the whole token: tokens are long random strings, so a fast hash is enough.
    digest = models.CharField(_("mã băm"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("lần dùng gần nhất"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ngày thu hồi"), null=True, blank=True)
    # A keyed digest of the user's password hash when the token was made (``credential_stamp``):
    # a password changed by any path (our pages, the admin site, a command) ends the token.
    credential = models.CharField(max_length=64, default="", editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
