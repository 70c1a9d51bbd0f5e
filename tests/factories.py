"""Small factories for tests: each makes one thing with sensible defaults."""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile

from theodoi.accounts.models import Membership, Role
from theodoi.importer.models import PlanImport
from theodoi.units.models import Commune, Province, Unit
from theodoi.units.services import commune_create

PASSWORD = "mat-khau-thu-nghiem-2026"


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def make_province(name: str = "Lâm Viên", code: str | None = None) -> Province:
    province, _ = Province.objects.get_or_create(
        code=code or "p-" + _digest(name), defaults={"name": name}
    )
    return province


def make_commune(
    name: str = "Hòa Phong", kind: str = "phường", province: Province | None = None
) -> Commune:
    province = province or make_province()
    code = "c-" + _digest(f"{kind} {name} {province.pk}")
    return commune_create(province=province, name=name, kind=kind, code=code)


def unit_of(commune: Commune, name: str) -> Unit:
    return Unit.objects.get(commune=commune, name=name)


def make_user(
    username: str,
    *,
    role: str | None = None,
    commune: Commune | None = None,
    unit: Unit | None = None,
    province: Province | None = None,
    superuser: bool = False,
) -> AbstractBaseUser:
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    if superuser:
        user.is_superuser = user.is_staff = True
        user.save()
    if role:
        Membership.objects.create(
            user=user,
            role=role,
            commune=None if role == Role.PROVINCE_OFFICER else commune,
            province=province if role == Role.PROVINCE_OFFICER else None,
            unit=unit,
        )
    return user


BASE_PLAN: dict[str, Any] = {
    "schema": "theodoi.plan/1",
    "plan": {
        "title": "Kế hoạch Chuyển đổi số phường Hòa Phong năm 2026",
        "number": "45/KH-UBND",
        "issued_on": "2026-01-15",
        "place": "Hòa Phong",
        "issuer": "UBND phường Hòa Phong",
        "commune": "Hòa Phong",
        "commune_kind": "phường",
        "province": "Lâm Viên",
        "year": 2026,
        "signer": {"name": "Đỗ Văn An", "title": "Phó Chủ tịch"},
        "replaces": [],
        "basis": ["Nghị quyết số 57-NQ/TW ngày 22/12/2024"],
    },
    "targets": [
        {
            "code": "1",
            "group": "Chính quyền số",
            "name": "Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến",
            "measure_unit": "%",
            "kind": "quantitative",
            "comparator": ">=",
            "value": 90,
            "value_text": "≥ 90%",
            "upper_level": {"comparator": ">=", "value": 85, "value_text": "≥ 85%"},
            "owner": ["Trung tâm Phục vụ hành chính công"],
            "line": 40,
        },
        {
            "code": "2",
            "group": "Xã hội số",
            "name": "Đẩy mạnh ứng dụng trí tuệ nhân tạo",
            "measure_unit": None,
            "kind": "qualitative",
            "comparator": None,
            "value": None,
            "value_text": None,
            "upper_level": None,
            "owner": ["Phòng Văn hóa - Xã hội"],
            "line": 41,
        },
    ],
    "tasks": [
        {
            "code": "I.1",
            "parent": None,
            "group": "Chính quyền số",
            "name": "Số hóa hồ sơ thủ tục hành chính",
            "output": None,
            "kpi": None,
            "lead": ["Trung tâm Phục vụ hành chính công"],
            "support": ["Phòng Văn hóa - Xã hội"],
            "deadline": {
                "text": "Trong năm 2026",
                "kind": "date",
                "due": "2026-12-31",
                "recurrence": None,
            },
            "note": None,
            "missing": ["output"],
            "line": 60,
        },
        {
            "code": "I.1.1",
            "parent": "I.1",
            "group": "Chính quyền số",
            "name": "Số hóa hồ sơ lĩnh vực hộ tịch",
            "output": "Kho dữ liệu hộ tịch điện tử",
            "kpi": None,
            "lead": ["Công an phường"],
            "support": ["Tổ dân phố số 5"],
            "deadline": {"text": "Quý II", "kind": "date", "due": "2026-06-30", "recurrence": None},
            "note": None,
            "missing": [],
            "line": 61,
        },
        {
            "code": "I.1.2",
            "parent": "I.1",
            "group": "Chính quyền số",
            "name": "Tuyên truyền dịch vụ công trực tuyến",
            "output": "Tin bài trên trang thông tin điện tử",
            "kpi": None,
            "lead": ["Phòng VH-XH"],
            "support": ["Các cơ quan, đơn vị liên quan"],
            "deadline": {
                "text": "Thường xuyên",
                "kind": "recurring",
                "due": "2026-12-31",
                "recurrence": "continuous",
            },
            "note": None,
            "missing": [],
            "line": 62,
        },
    ],
    "results": [],
    "warnings": [],
}


def make_plan_json(**plan_overrides: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE_PLAN)
    data["plan"].update(plan_overrides)
    return data


def make_plan_import(
    commune: Commune, plan_json: dict[str, Any] | None = None, user: AbstractBaseUser | None = None
) -> PlanImport:
    """A preview as the upload would leave it, without going through the parser."""
    raw = b"plan text"
    plan_import = PlanImport(
        commune=commune,
        uploaded_by=user,
        source_name="ke-hoach.txt",
        source_sha256=hashlib.sha256(raw).hexdigest(),
        plan_json=plan_json or make_plan_json(),
    )
    plan_import.source.save("ke-hoach.txt", ContentFile(raw), save=False)
    plan_import.save()
    return plan_import
