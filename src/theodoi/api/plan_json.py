"""A tracked plan as Plan JSON (``theodoi.plan/1``), and a Plan JSON put in force.

Export writes what the plan holds now (tasks added since the import included); import goes
through the importer's own preview and confirm path (``importer.services``), so a plan
arriving by the API is checked and created exactly as one uploaded in the UI.

Unit names the commune does not know are the one decision the preview asks a person to
make. Over the API the caller decides up front: ``unknown_units="refuse"`` (the default)
refuses the whole plan and lists the names, so nothing is half-imported;
``unknown_units="keep"`` keeps each such name as written (the task then has no lead unit
in the system, and its "rõ người" shows as missing on the plan's page), exactly as the
preview's "giữ nguyên tên như văn bản"; ``unit_map`` maps a spelling to one of the
commune's units and, as in the preview, is remembered for later imports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from theodoi.importer import services as importer
from theodoi.importer.core.fiveclear import FIVE_CLEAR
from theodoi.importer.core.parse import SCHEMA, fill_missing
from theodoi.importer.models import PlanImport
from theodoi.plans.models import Plan
from theodoi.plans.queries import plan_targets, plan_tasks
from theodoi.units.models import Commune, Unit

from .errors import ApiRefusal


def _number(value: Decimal | None) -> int | float | None:
    """A decimal as a JSON number, as the contract writes them (90, not "90.0000")."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def _or_none(text: str) -> str | None:
    return text or None


def plan_export_json(plan: Plan) -> dict[str, Any]:
    """The plan as Plan JSON: importing it again gives the same targets and tasks."""
    commune = plan.commune
    targets = plan_targets(plan)
    tasks = plan_tasks(plan)
    codes = {t.pk: t.code for t in tasks}
    return {
        "schema": SCHEMA,
        "plan": {
            "title": _or_none(plan.title),
            "number": _or_none(plan.number),
            "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
            "place": _or_none(plan.place),
            "issuer": _or_none(plan.issuer),
            "commune": commune.name,
            "commune_kind": commune.kind,
            "province": commune.province.name,
            "year": plan.year,
            "signer": {"name": _or_none(plan.signer_name), "title": _or_none(plan.signer_title)}
            if plan.signer_name or plan.signer_title
            else None,
            "replaces": list(plan.replaces_numbers),
            "basis": list(plan.basis),
        },
        "targets": [
            {
                "code": t.code,
                "group": _or_none(t.group),
                "name": t.name,
                "measure_unit": _or_none(t.measure_unit),
                "kind": t.kind,
                "comparator": _or_none(t.comparator),
                "value": _number(t.value),
                "value_text": _or_none(t.value_text),
                "upper_level": {
                    "comparator": _or_none(t.upper_comparator),
                    "value": _number(t.upper_value),
                    "value_text": _or_none(t.upper_value_text),
                }
                if t.upper_value is not None or t.upper_value_text
                else None,
                "owner": [u.name for u in t.owners.all()] + list(t.owners_other),
                "line": t.source_line,
            }
            for t in targets
        ],
        "tasks": [
            {
                "code": t.code,
                "parent": codes.get(t.parent_id) if t.parent_id else None,
                "group": _or_none(t.group),
                "name": t.name,
                "output": _or_none(t.output),
                "kpi": _or_none(t.kpi),
                "lead": [u.name for u in t.leads] + list(t.lead_other),  # type: ignore[attr-defined]
                "support": [u.name for u in t.supports] + list(t.support_other),  # type: ignore[attr-defined]
                "deadline": {
                    "text": _or_none(t.deadline_text),
                    "kind": t.deadline_kind,
                    "due": t.due_on.isoformat() if t.due_on else None,
                    "recurrence": _or_none(t.recurrence),
                },
                "note": _or_none(t.note),
                "missing": list(t.missing),
                "line": t.source_line,
            }
            for t in tasks
        ],
        "results": list(plan.previous_results),
        "warnings": [],
    }


def _rematch(plan_json: dict[str, Any], commune: Commune) -> None:
    """Read unit names with the commune's remembered spellings, as an upload does."""
    matcher = importer.matcher_for(commune)

    def canonical(names: list[str]) -> list[str]:
        result: list[str] = []
        for name in names:
            found = matcher.match(name) or name
            if found not in result:
                result.append(found)
        return result

    for task in plan_json["tasks"]:
        task["lead"] = canonical(task.get("lead") or [])
        task["support"] = canonical(task.get("support") or [])
    for target in plan_json["targets"]:
        target["owner"] = canonical(target.get("owner") or [])


@transaction.atomic
def plan_import_json(
    *,
    commune: Commune,
    user: User,
    plan_json: Mapping[str, Any],
    unknown_units: str = "refuse",
    unit_map: Mapping[str, Unit] | None = None,
    source_name: str = "ke-hoach.json",
    confirm_checks: bool = False,
) -> tuple[Plan, list[Plan], list[str]]:
    """Put a (validated) Plan JSON in force for ``commune``, through the importer's preview
    and confirm; returns the plan, the plans it replaced and the names kept as written.

    Refused with ``ApiRefusal`` (nothing saved) when a unit name is unknown and
    ``unknown_units`` is "refuse", or when confirming needs a second look (another commune,
    no number or date, an active plan with reports replaced: ``importer.plan_import_checks``)
    and ``confirm_checks`` is not set."""
    data = json.loads(json.dumps(plan_json, ensure_ascii=False, default=_jsonable))
    _rematch(data, commune)
    # "5 rõ" is derived from the rows, never taken on trust from the caller.
    fill_missing(data["tasks"], FIVE_CLEAR)
    unit_map = dict(unit_map or {})
    if any(unit.commune_id != commune.pk for unit in unit_map.values()):
        raise ApiRefusal(400, "refused", _("Đơn vị được chọn không thuộc xã/phường này."))
    raw = json.dumps(data, ensure_ascii=False, indent=2).encode()
    plan_import = PlanImport(
        commune=commune,
        uploaded_by=user,
        source_name=source_name[:255],
        source_sha256=hashlib.sha256(raw).hexdigest(),
        plan_json=data,
        unit_decisions={spelling: str(unit.public_id) for spelling, unit in unit_map.items()},
    )
    # Decided before anything is stored: a refused plan leaves no file and no preview.
    unknown = [u.spelling for u in importer.plan_import_unknown_units(plan_import)]
    if unknown and unknown_units != "keep":
        raise ApiRefusal(
            400,
            "unknown_units",
            _(
                "Có %(n)d tên đơn vị không khớp đơn vị nào của xã/phường: %(names)s. Hãy gửi "
                'unit_map (tên → mã đơn vị), hoặc unknown_units="keep" để giữ nguyên tên.'
            )
            % {"n": len(unknown), "names": "; ".join(unknown)},
            unknown_units=unknown,
        )
    checks = importer.plan_import_checks(plan_import)
    if checks and not confirm_checks:
        raise ApiRefusal(
            409,
            "confirmation_needed",
            _("Cần xác nhận lại trước khi nhập: %(checks)s Gửi lại với confirm_checks=true.")
            % {"checks": " ".join(checks)},
            checks=checks,
        )
    plan_import.unit_decisions = {}
    plan_import.source.save("ke-hoach.json", ContentFile(raw), save=False)
    plan_import.save()
    # The preview's own actions, so that a mapped spelling is remembered as in the UI.
    decisions: list[tuple[str, Unit | None]] = [*unit_map.items()]
    decisions += [(spelling, None) for spelling in unknown]
    for spelling, unit in decisions:
        plan_import = importer.plan_import_map_unit(
            plan_import=plan_import, spelling=spelling, unit=unit, version=plan_import.version
        )
    plan = importer.plan_import_confirm(
        plan_import=plan_import,
        user=user,
        version=plan_import.version,
        acknowledged=confirm_checks,
    )
    return plan, list(plan.replaces.all()), unknown
