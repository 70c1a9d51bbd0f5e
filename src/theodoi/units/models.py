"""Province → Commune → Unit: who a plan's tasks are assigned to."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên tỉnh/thành phố"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("tỉnh/thành phố")
        verbose_name_plural = _("tỉnh/thành phố")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommuneKind(models.TextChoices):
    XA = "xã", _("xã")
    PHUONG = "phường", _("phường")
    DAC_KHU = "đặc khu", _("đặc khu")


class CommuneQuerySet(models.QuerySet["Commune"]):
    def in_province(self, province: Province) -> CommuneQuerySet:
        return self.filter(province=province)


class Commune(models.Model):
    # Opaque in URLs: sequential ids would let one commune guess another's.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("tỉnh")
    )
    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    kind = models.CharField(_("loại"), max_length=10, choices=CommuneKind.choices)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = _("xã/phường")
        verbose_name_plural = _("xã/phường")
        ordering = ["province__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "kind", "name"], name="commune_unique_name_in_province"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


class UnitQuerySet(models.QuerySet["Unit"]):
    def of_commune(self, commune: Commune) -> UnitQuerySet:
        return self.filter(commune=commune)

    def active(self) -> UnitQuerySet:
        return self.filter(is_active=True)


class Unit(models.Model):
    """A unit of the commune's apparatus, stored once under its canonical name."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="units", verbose_name=_("xã/phường")
    )
    name = models.CharField(_("tên chuẩn"), max_length=200)
    is_standing_office = models.BooleanField(_("cơ quan thường trực"), default=False)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="unit_unique_name_in_commune")
        ]

    def __str__(self) -> str:
        return self.name


class UnitAlias(models.Model):
    """A spelling met in a plan, remembered so the next import recognises it."""

    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="unit_aliases", verbose_name=_("xã/phường")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("đơn vị")
    )
    spelling = models.CharField(_("cách viết"), max_length=300)

    class Meta:
        verbose_name = _("tên gọi khác của đơn vị")
        verbose_name_plural = _("tên gọi khác của đơn vị")
        ordering = ["spelling"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "spelling"], name="unit_alias_unique_spelling_in_commune"
            )
        ]

    def __str__(self) -> str:
        return f"{self.spelling} → {self.unit.name}"
