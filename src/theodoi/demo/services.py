"""The demo: a fictional province whose communes run their plans in theodoi.

The sample plan goes through the same importer a standing office uses.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from theodoi.accounts.models import Membership, Role
from theodoi.importer.core.parse import parse_bytes
from theodoi.importer.services import (
    plan_import_confirm,
    plan_import_map_unit,
    plan_import_start,
    plan_import_unknown_units,
)
from theodoi.plans.indicators import indicators_load, indicators_match
from theodoi.plans.models import Plan
from theodoi.plans.services import UnitResolver, plan_create_from_json
from theodoi.scorecards.demo import scorecards_demo_load
from theodoi.summaries.services import summary_rebuild
from theodoi.tracking.periods import current_period
from theodoi.tracking.services import ReportInput, report_save, report_submit
from theodoi.units.models import Commune, Province, Unit
from theodoi.units.services import commune_create

from .activity import Cast, plan_activity_load
from .models import DemoDatabase

SAMPLE_PLAN = Path(__file__).with_name("sample-plan.docx")
DEMO_PASSWORD = "theodoi-demo-2026"

# Other communes of the demo province, so the province view has neighbours to compare.
NEIGHBOURS = [("Tân Hòa", "xã"), ("Bình Minh", "phường"), ("Suối Mây", "xã")]


def demo_database_refusal() -> str | None:
    """Why `theodoi demo` must not touch this database, or None when it is its own.

    The demo's own database is one it created (it holds the DemoDatabase row) or one with
    nobody in it yet; a database with people and no such row is a real installation.
    """
    if settings.PRODUCTION:
        return "Bản trình diễn không chạy khi THEODOI_PRODUCTION=true: đây là máy chủ thật."
    tables = set(connection.introspection.table_names())
    if DemoDatabase._meta.db_table in tables and DemoDatabase.objects.exists():
        return None
    people = get_user_model()
    if people._meta.db_table in tables and people.objects.exists():
        # A demo database made before the marker existed: its administrator still has the
        # published demo password (which no real installation may keep).
        admin = people.objects.filter(username="admin").first()
        if admin is not None and admin.check_password(DEMO_PASSWORD):
            return None
        return (
            "Cơ sở dữ liệu này không phải cơ sở dữ liệu trình diễn (đã có người dùng thật): "
            "bản trình diễn không ghi dữ liệu mẫu vào đó; hãy bỏ DATABASE_URL hoặc đặt "
            "THEODOI_DATA_DIR sang một thư mục khác."
        )
    return None


def demo_database_mark() -> None:
    """Mark the (migrated) database as the demo's own."""
    if not DemoDatabase.objects.exists():
        DemoDatabase.objects.create()


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

    indicators_load()
    logins = _users(province, commune)
    office = get_user_model().objects.get(username="vanphong")
    today = timezone.localdate()
    if not Plan.objects.of_commune(commune).exists():
        plan_import = plan_import_start(
            commune=commune, user=office, filename=SAMPLE_PLAN.name, data=data
        )
        for unknown in plan_import_unknown_units(plan_import):
            plan_import = plan_import_map_unit(
                plan_import=plan_import,
                spelling=unknown.spelling,
                unit=None,
                version=plan_import.version,
            )
        # The demo's own sample: nothing in it needs a second look.
        plan = plan_import_confirm(
            plan_import=plan_import, user=office, version=plan_import.version, acknowledged=True
        )
        _in_force_since_january(plan)
        plan_activity_load(plan=plan, cast=_cast(commune, office), today=today, seed=1)
        _awaiting_head(plan, commune)
    plan_json = plan_import_json(data)
    for seed, (name, kind) in enumerate(NEIGHBOURS, start=2):
        neighbour = _commune(province, name, kind)
        if Plan.objects.of_commune(neighbour).exists():
            continue
        neighbour_office = _neighbour_office(neighbour)
        plan = plan_create_from_json(
            commune=neighbour,
            plan_json=_renamed(plan_json, commune.name, neighbour.name, seed),
            resolver=UnitResolver.for_commune(neighbour),
            created_by=neighbour_office,
            source_name=SAMPLE_PLAN.name,
        )
        _in_force_since_january(plan)
        indicators_match(plan=plan)
        plan_activity_load(
            plan=plan, cast=_cast(neighbour, neighbour_office), today=today, seed=seed
        )
    scorecards_demo_load(province)
    # The activity was back-dated after its services ran: derive the summaries again.
    for plan in Plan.objects.filter(commune__province=province):
        summary_rebuild(plan)
    return logins


def plan_import_json(data: bytes) -> dict[str, Any]:
    return parse_bytes(data, SAMPLE_PLAN.name)


def _renamed(plan_json: dict[str, Any], old: str, new: str, seed: int) -> dict[str, Any]:
    """The sample plan as a neighbouring commune would have issued it."""
    text = json.dumps(plan_json, ensure_ascii=False).replace(old, new)
    renamed: dict[str, Any] = json.loads(text)
    renamed["plan"]["number"] = f"{30 + seed * 7}/KH-UBND"
    return renamed


def _in_force_since_january(plan: Plan) -> None:
    # The demo's plans were adopted early in the year; history starts in January.
    start = timezone.make_aware(dt.datetime(plan.year, 1, 2, 8))
    Plan.objects.filter(pk=plan.pk).update(activated_at=start)
    plan.refresh_from_db()


def _cast(commune: Commune, office: User) -> Cast:
    """A head for each unit of the commune: their reports go straight to the office."""
    User = get_user_model()
    heads = {}
    for unit in Unit.objects.of_commune(commune):
        username = f"truong.{slugify(_ascii(unit.name))}"[:150]
        if commune.code != _main_code(commune):
            username = f"{username}.{commune.code}"[:150]
        head, created = User.objects.get_or_create(
            username=username, defaults={"first_name": f"Lãnh đạo {unit.name}"}
        )
        if created:
            head.set_password(DEMO_PASSWORD)
            head.save()
            Membership.objects.create(user=head, role=Role.UNIT_HEAD, commune=commune, unit=unit)
        heads[unit.pk] = head
    return Cast(office=office, heads=heads)


def _main_code(commune: Commune) -> str:
    main = Membership.objects.filter(user__username="vanphong").values_list(
        "commune__code", flat=True
    )
    return main.first() or ""


def _neighbour_office(commune: Commune) -> User:
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=f"vanphong.{commune.code}"[:150],
        defaults={"first_name": f"Văn phòng {commune}"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.create(user=user, role=Role.STANDING_OFFICE, commune=commune)
    return user


def _awaiting_head(plan: Plan, commune: Commune) -> None:
    """This month, Công an's staff has sent a report that waits for the unit head."""
    staff = get_user_model().objects.get(username="congan")
    police = Unit.objects.filter(commune=commune, name__startswith="Công an").first()
    period = current_period(plan, timezone.localdate())
    task = plan.tasks.filter(
        assignments__unit=police, assignments__role="lead", children__isnull=True
    ).first()
    if not (police and period and task) or task.reports.filter(period=period).exists():
        return
    report = report_save(
        task=task, period=period, unit=police, user=staff,
        data=ReportInput(status="in_progress", percent=70, done="Đã rà soát dữ liệu tháng này."),
    )  # fmt: skip
    report_submit(report=report, user=staff, version=report.version)


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
        ("quantri", "Hoàng Văn Khánh", Role.COMMUNE_ADMIN, commune, None),
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
