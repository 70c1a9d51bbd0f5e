from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from theodoi.accounts.access import managed_communes, visible_communes
from theodoi.alerts.inbox import inbox_for
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
    overseen = {p.pk for p in provinces}
    rows = []
    province_communes: Counter[int] = Counter()
    for commune in commune_qs:
        office = is_office(request.user, commune)
        leader = is_leader(request.user, commune)
        has_units = bool(user_units(request.user, commune))
        if commune.province_id in overseen and not (
            office or leader or has_units or commune.pk in managed
        ):
            # Seen only as the province: one line for the province, not 100 cards.
            province_communes[commune.province_id] += 1
            continue
        rows.append(
            CommuneRow(
                commune=commune,
                plan=active.get(commune.pk),
                can_manage=commune.pk in managed,
                is_office=office,
                oversees=office or leader or commune.province_id in overseen,
                has_units=has_units,
            )
        )
    province_lines = [(p, province_communes[p.pk]) for p in provinces]
    queues = inbox_for(request.user, today=timezone.localdate())
    context = {
        "rows": rows,
        "provinces": province_lines,
        "inbox": queues,
        # One place of work: the queues need not say where they are.
        "inbox_places": len({q.where for q in queues}) > 1,
    }
    return render(request, "web/home.html", context)


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


# --- the installable web app ---------------------------------------------------------------

_SHELL = (
    "vendor/bootstrap-5.3.9.min.css",
    "vendor/bootstrap-5.3.9.bundle.min.js",
    "vendor/htmx-2.0.11.min.js",
    "web/theodoi.css",
    "web/theodoi.js",
    "web/offline.js",
    "web/favicon.svg",
)


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """``/sw.js``: served from the root so that it may look after every page of the site."""
    shell = [static(path) for path in _SHELL]
    version = hashlib.sha256("\n".join(shell).encode()).hexdigest()[:12]
    response = render(
        request,
        "web/sw.js",
        {"shell": shell, "version": version},
        content_type="text/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def web_manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: the site can be added to a phone's home screen."""
    return render(
        request,
        "web/manifest.webmanifest",
        {"name": _("Theo dõi chuyển đổi số"), "short_name": _("Theo dõi CĐS")},
        content_type="application/manifest+json",
    )
