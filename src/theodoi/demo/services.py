"""The demo: a fictional province whose communes run their plans in theodoi.

The sample plan goes through the same importer a standing office uses.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from theodoi.accounts.models import Membership, Role
from theodoi.importer.core.parse import parse_bytes
from theodoi.importer.services import (
    plan_import_confirm,
    plan_import_map_unit,
    plan_import_start,
    plan_import_unknown_units,
)
from theodoi.plans.models import Plan
from theodoi.units.models import Commune, Province, Unit
from theodoi.units.services import commune_create

SAMPLE_PLAN = Path(__file__).with_name("sample-plan.docx")
DEMO_PASSWORD = "theodoi-demo-2026"

# Other communes of the demo province, so the province view has neighbours to compare.
NEIGHBOURS = [("Tân Hòa", "xã"), ("Bình Minh", "phường"), ("Suối Mây", "xã")]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str


@transaction.atomic
def demo_load() -> list[DemoLogin]:
    """Create the demo province, communes, users and the imported sample plan (idempotent)."""
    data = SAMPLE_PLAN.read_bytes()
    meta = parse_bytes(data, SAMPLE_PLAN.name)["plan"]
    province_name = meta.get("province") or "Lâm Viên"
    province, _ = Province.objects.get_or_create(
        code=slugify(_ascii(province_name)), defaults={"name": province_name}
    )
    commune = _commune(province, meta.get("commune") or "Hòa Phong", meta.get("commune_kind"))
    for name, kind in NEIGHBOURS:
        _commune(province, name, kind)

    logins = _users(province, commune)
    if not Plan.objects.of_commune(commune).exists():
        admin = get_user_model().objects.get(username="vanphong")
        plan_import = plan_import_start(
            commune=commune, user=admin, filename=SAMPLE_PLAN.name, data=data
        )
        for unknown in plan_import_unknown_units(plan_import):
            plan_import = plan_import_map_unit(
                plan_import=plan_import,
                spelling=unknown.spelling,
                unit=None,
                version=plan_import.version,
            )
        plan_import_confirm(plan_import=plan_import, user=admin, version=plan_import.version)
    return logins


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))


def _commune(province: Province, name: str, kind: str | None) -> Commune:
    kind = kind or "xã"
    existing = Commune.objects.filter(province=province, name=name, kind=kind).first()
    if existing:
        return existing
    code = slugify(_ascii(f"{kind} {name} {province.name}"))
    return commune_create(province=province, name=name, kind=kind, code=code)


def _users(province: Province, commune: Commune) -> list[DemoLogin]:
    User = get_user_model()
    standing = Unit.objects.filter(commune=commune, name="Phòng Văn hóa - Xã hội").first()
    police = Unit.objects.filter(commune=commune, name__startswith="Công an").first()
    if standing and not standing.is_standing_office:
        standing.is_standing_office = True
        standing.save(update_fields=["is_standing_office"])
    people = [
        ("admin", "Quản trị hệ thống", None, None, None),
        ("vanphong", "Nguyễn Thị Thu", Role.STANDING_OFFICE, commune, standing),
        ("lanhdao", "Trần Văn Minh", Role.LEADER, commune, None),
        ("congan", "Lê Quốc Bảo", Role.UNIT_STAFF, commune, police),
        ("so.khcn", "Phạm Thu Hà", Role.PROVINCE_OFFICER, None, None),
    ]
    logins = []
    for username, full_name, role, where, unit in people:
        # Vietnamese names are written family name first; keep the full name in one field.
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": full_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_superuser = user.is_staff = username == "admin"
            user.save()
        if role is None:
            logins.append(DemoLogin(username, "Quản trị hệ thống"))
            continue
        Membership.objects.get_or_create(
            user=user,
            role=role,
            commune=where,
            unit=unit,
            province=province if role == Role.PROVINCE_OFFICER else None,
        )
        logins.append(DemoLogin(username, str(role.label)))
    return logins
