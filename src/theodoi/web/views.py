from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from theodoi.accounts.access import managed_communes, visible_communes
from theodoi.lib.health import database_problem, storage_problem
from theodoi.lib.http import AppRequest
from theodoi.plans.models import Plan
from theodoi.tracking.access import is_leader, is_office, user_units
from theodoi.units.models import Commune, Province


@dataclass(frozen=True)
class CommuneRow:
    commune: Commune
    plan: Plan | None
    can_manage: bool
    is_office: bool
    oversees: bool  # office, leaders and province officers read the whole commune
    has_units: bool


@login_required
def home(request: AppRequest) -> HttpResponse:
    """Each person's starting point: their communes and the pages their role uses."""
    communes = visible_communes(request.user)
    commune_qs = Commune.objects.select_related("province")
    if communes is not None:
        commune_qs = commune_qs.filter(pk__in=[c.pk for c in communes])
    managed = {c.pk for c in managed_communes(request.user)}
    active = {p.commune_id: p for p in Plan.objects.active().filter(commune__in=commune_qs)}
    provinces = _overseen_provinces(request)
    rows = []
    for commune in commune_qs:
        office = is_office(request.user, commune)
        rows.append(
            CommuneRow(
                commune=commune,
                plan=active.get(commune.pk),
                can_manage=commune.pk in managed,
                is_office=office,
                oversees=office
                or is_leader(request.user, commune)
                or commune.province_id in {p.pk for p in provinces},
                has_units=bool(user_units(request.user, commune)),
            )
        )
    return render(request, "web/home.html", {"rows": rows, "provinces": provinces})


def _overseen_provinces(request: AppRequest) -> list[Province]:
    user = request.user
    if not isinstance(user, User):
        return []
    if user.is_superuser:
        return list(Province.objects.all())
    return list(
        Province.objects.filter(
            memberships__user=user, memberships__role="province_officer"
        ).distinct()
    )


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer and monitoring: 200 when the database and file storage answer."""
    problems = {"database": database_problem(), "storage": storage_problem()}
    body = {name: problem or "ok" for name, problem in problems.items()}
    healthy = not any(problems.values())
    body["status"] = "ok" if healthy else "error"
    return JsonResponse(
        body, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False}
    )
