"""Who may do what, and where: a user's role in one commune (or a province)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from theodoi.units.models import Commune, Province, Unit

from .roles import Role

__all__ = [
    "Account",
    "CommuneSettings",
    "Membership",
    "Role",
]


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("người dùng"),
    )
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("xã/phường"),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("tỉnh"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("đơn vị"),
    )

    class Meta:
        verbose_name = _("vai trò của người dùng")
        verbose_name_plural = _("vai trò của người dùng")
        constraints = [
            # A province officer works at province level; everyone else inside one commune.
            models.CheckConstraint(
                condition=(
                    Q(role="province_officer", province__isnull=False, commune__isnull=True)
                    | (~Q(role="province_officer") & Q(commune__isnull=False))
                ),
                name="membership_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "commune", "unit"], name="membership_unique"
            ),
        ]

    def __str__(self) -> str:
        where = self.commune or self.province
        return f"{self.user} — {self.get_role_display()} — {where}"


class Account(models.Model):
    """What theodoi keeps about a user beyond Django's ``User``.

    ``commune`` is the one commune the user works in (null for province officers and system
    administrators): every commune role of the user must be in it (``membership_add``).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account",
        verbose_name=_("người dùng"),
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("xã/phường"),
    )
    # Set when an administrator hands out a temporary password; cleared by the user's change.
    must_change_password = models.BooleanField(_("phải đổi mật khẩu"), default=False)

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")

    def __str__(self) -> str:
        return str(self.user)


class CommuneSettings(models.Model):
    """A commune's own switches that belong to no plan (kept here: units.Commune is shared)."""

    commune = models.OneToOneField(
        Commune,
        on_delete=models.CASCADE,
        related_name="account_settings",
        verbose_name=_("xã/phường"),
    )
    # The public page shows aggregate progress only: no evidence, no person's name.
    public_page = models.BooleanField(_("bật trang công khai"), default=False)

    class Meta:
        verbose_name = _("cài đặt của xã/phường")
        verbose_name_plural = _("cài đặt của xã/phường")

    def __str__(self) -> str:
        return str(self.commune)
