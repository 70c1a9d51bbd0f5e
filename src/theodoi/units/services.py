"""Writes on communes and units that do more than one thing."""

from __future__ import annotations

from django.db import transaction

from theodoi.importer.core.units import canonical_unit_names

from .models import Commune, CommuneKind, Province, Unit, UnitAlias


@transaction.atomic
def commune_create(*, province: Province, name: str, kind: str, code: str) -> Commune:
    """A commune with the canonical units of its kind, ready for a plan's tasks."""
    commune = Commune.objects.create(province=province, name=name, kind=kind, code=code)
    names = canonical_unit_names(kind if kind != CommuneKind.DAC_KHU else "xã")
    Unit.objects.bulk_create(Unit(commune=commune, name=unit_name) for unit_name in names)
    return commune


def unit_alias_remember(*, commune: Commune, spelling: str, unit: Unit) -> UnitAlias:
    """Remember that ``spelling`` names ``unit`` in this commune (the latest choice wins)."""
    if unit.commune_id != commune.pk:
        raise ValueError("unit belongs to another commune")
    alias, _created = UnitAlias.objects.update_or_create(
        commune=commune, spelling=spelling.strip(), defaults={"unit": unit}
    )
    return alias


def unit_aliases_of(commune: Commune) -> dict[str, str]:
    """The commune's remembered spellings, as the importer's matcher takes them."""
    return dict(UnitAlias.objects.filter(commune=commune).values_list("spelling", "unit__name"))
