"""Communes, plans (Plan JSON import and export), their tasks, targets, periods, warnings and
dashboard figures."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from theodoi.accounts.access import (
    can_manage_plans,
    communes_visible_q,
    get_commune_for_user,
    visible_communes,
)
from theodoi.alerts.rules import plan_warnings
from theodoi.api import serialize
from theodoi.api.auth import request_user
from theodoi.api.errors import ApiRefusal, forbidden
from theodoi.api.figures import plan_figures
from theodoi.api.plan_json import plan_export_json, plan_import_json
from theodoi.api.schemas import PlanImportIn
from theodoi.plans.models import Plan
from theodoi.plans.queries import get_plan_for_user, plan_targets
from theodoi.tracking.queries import plan_task_states, report_periods
from theodoi.tracking.status import target_states
from theodoi.units.models import Commune, Unit

from .common import Json, responds

router = Router(tags=["Kế hoạch"])


@router.get("/communes", response=responds(), url_name="communes", summary="Xã/phường")
def communes(request: HttpRequest) -> Json:
    """The communes the user may read (a province officer: the province's), with whether
    the user may import plans there."""
    user = request_user(request)
    visible = visible_communes(user)
    query = Commune.objects.select_related("province")
    if visible is not None:
        query = query.filter(pk__in=[c.pk for c in visible])
    return {
        "items": [
            {**serialize.commune_dict(c), "can_manage_plans": can_manage_plans(user, c)}
            for c in query
        ]
    }


class PlanFilter(Schema):
    commune: uuid.UUID | None = Field(None, description="Chỉ kế hoạch của xã/phường này.")
    year: int | None = Field(None, ge=2000, le=2100)
    status: Literal["draft", "active", "replaced"] | None = None


@router.get("/plans", response=responds(), url_name="plans", summary="Danh sách kế hoạch")
def plans(request: HttpRequest, filters: Query[PlanFilter]) -> Json:
    user = request_user(request)
    query = Plan.objects.filter(communes_visible_q(user)).select_related("commune__province")
    if filters.commune is not None:
        query = query.filter(commune__public_id=filters.commune)
    if filters.year is not None:
        query = query.filter(year=filters.year)
    if filters.status is not None:
        query = query.filter(status=filters.status)
    return {"items": [serialize.plan_dict(p) for p in query]}


@router.get("/plans/{plan_id}", response=responds(), url_name="plan", summary="Một kế hoạch")
def plan(request: HttpRequest, plan_id: uuid.UUID) -> Json:
    found = get_plan_for_user(request_user(request), plan_id)
    return {
        **serialize.plan_dict(found),
        "targets_count": found.targets.count(),
        "tasks_count": found.tasks.count(),
        "replaces": [str(p.public_id) for p in found.replaces.all()],
        "replaced_by": [str(p.public_id) for p in found.replaced_by.all()],
    }


@router.get(
    "/plans/{plan_id}/export",
    response=responds(),
    url_name="plan_export",
    summary="Xuất kế hoạch (Plan JSON)",
)
def plan_export(request: HttpRequest, plan_id: uuid.UUID) -> Json:
    """The plan as Plan JSON (`theodoi.plan/1`): importing it again gives the same targets
    and tasks."""
    return plan_export_json(get_plan_for_user(request_user(request), plan_id))


@router.post(
    "/communes/{commune_id}/plans/import",
    response=responds(201),
    url_name="plan_import",
    summary="Nhập kế hoạch từ Plan JSON",
)
def plan_import(request: HttpRequest, commune_id: uuid.UUID, payload: PlanImportIn) -> Status[Json]:
    """Put a Plan JSON in force for the commune, through the same preview-and-confirm path
    as an upload in the UI: it replaces the commune's active plan of the same year (and any
    plan it names in `replaces`).

    Unit names the commune does not know: `unknown_units="refuse"` (default) refuses the
    plan and lists them (`unknown_units` in the error); `"keep"` keeps them as written;
    `unit_map` maps a name to a unit (remembered for later imports).

    Where the upload page would ask again before confirming (another commune's document, no
    number or date, an active plan with reports replaced), the import is refused (409,
    `checks`) unless `confirm_checks` is true."""
    user = request_user(request)
    commune = get_commune_for_user(user, commune_id)
    if not can_manage_plans(user, commune):
        raise forbidden(_("Chỉ quản trị xã/phường hoặc cơ quan thường trực mới nhập kế hoạch."))
    units = {u.public_id: u for u in Unit.objects.of_commune(commune)}
    unit_map: dict[str, Unit] = {}
    for spelling, unit_id in payload.unit_map.items():
        unit = units.get(unit_id)
        if unit is None:
            raise ApiRefusal(400, "refused", _("Đơn vị được chọn không thuộc xã/phường này."))
        unit_map[spelling] = unit
    created, replaced, kept = plan_import_json(
        commune=commune,
        user=user,
        plan_json=payload.plan_json.model_dump(by_alias=True),
        unknown_units=payload.unknown_units,
        unit_map=unit_map,
        source_name=payload.source_name,
        confirm_checks=payload.confirm_checks,
    )
    return Status(
        201,
        {
            **serialize.plan_dict(created),
            "targets_count": created.targets.count(),
            "tasks_count": created.tasks.count(),
            "replaces": [str(p.public_id) for p in replaced],
            "kept_as_written": kept,
        },
    )


@router.get(
    "/plans/{plan_id}/periods", response=responds(), url_name="plan_periods", summary="Kỳ báo cáo"
)
def plan_periods(request: HttpRequest, plan_id: uuid.UUID) -> Json:
    found = get_plan_for_user(request_user(request), plan_id)
    return {"items": [serialize.period_dict(p) for p in report_periods(found)]}


@router.get(
    "/plans/{plan_id}/tasks",
    response=responds(),
    url_name="plan_tasks",
    summary="Nhiệm vụ của kế hoạch (kèm tình trạng)",
)
def plan_tasks(request: HttpRequest, plan_id: uuid.UUID) -> Json:
    """Every task in document order, with its state derived from the reports, the evidence
    and the reviews (a parent's rolled up from its children)."""
    found = get_plan_for_user(request_user(request), plan_id)
    tasks, states = plan_task_states(found, today=timezone.localdate())
    ids = {t.pk: str(t.public_id) for t in tasks}
    return {"items": [serialize.task_dict(t, states[t.pk], ids) for t in tasks]}


@router.get(
    "/plans/{plan_id}/targets",
    response=responds(),
    url_name="plan_targets",
    summary="Chỉ tiêu của kế hoạch (kèm kết quả)",
)
def plan_targets_list(request: HttpRequest, plan_id: uuid.UUID) -> Json:
    """Every target with its counted figure: only values the standing office accepted
    count."""
    found = get_plan_for_user(request_user(request), plan_id)
    targets = plan_targets(found)
    states = target_states(targets)
    return {"items": [serialize.target_dict(t, states[t.pk]) for t in targets]}


@router.get(
    "/plans/{plan_id}/warnings",
    response=responds(),
    url_name="plan_warnings",
    summary="Cảnh báo của kế hoạch",
)
def warnings(request: HttpRequest, plan_id: uuid.UUID) -> Json:
    """Overdue, behind schedule, evidence rejected, report missing, due soon, target off
    track: most severe first, as on the dashboards."""
    found = get_plan_for_user(request_user(request), plan_id)
    units = {u.pk: u for u in Unit.objects.of_commune(found.commune)}
    items = plan_warnings(found, today=timezone.localdate())
    return {"items": [serialize.warning_dict(w, units) for w in items]}


@router.get(
    "/plans/{plan_id}/dashboard",
    response=responds(),
    url_name="plan_dashboard",
    summary="Số liệu tổng hợp của kế hoạch",
)
def dashboard(request: HttpRequest, plan_id: uuid.UUID, as_of: dt.date | None = None) -> Json:
    """Tasks by status, done, late; targets met; warnings by kind — as of today, or as of
    ``as_of`` (a report's data cut-off: the figures that report gives)."""
    found = get_plan_for_user(request_user(request), plan_id)
    today = timezone.localdate()
    return plan_figures(found, today=min(as_of, today) if as_of else today)
