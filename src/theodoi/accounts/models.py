"""Who may do what, and where: a user's role in one commune (or a province)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from theodoi.units.models import Commune, Province, Unit


class Role(models.TextChoices):
    PROVINCE_OFFICER = "province_officer", _("Cán bộ Sở (cấp tỉnh)")
    COMMUNE_ADMIN = "commune_admin", _("Quản trị xã/phường")
    STANDING_OFFICE = "standing_office", _("Cơ quan thường trực")
    LEADER = "leader", _("Lãnh đạo / Ban Chỉ đạo")
    UNIT_HEAD = "unit_head", _("Lãnh đạo đơn vị")
    UNIT_STAFF = "unit_staff", _("Cán bộ đơn vị")
    SUPERVISOR = "supervisor", _("Giám sát (MTTQ)")


# Roles that may import a plan and correct it before it becomes active.
PLAN_MANAGERS = frozenset({Role.COMMUNE_ADMIN, Role.STANDING_OFFICE})


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
