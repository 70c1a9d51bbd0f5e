from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from theodoi.accounts.access import managed_communes, visible_communes
from theodoi.lib.http import AppRequest
from theodoi.plans.models import Plan
from theodoi.units.models import Commune


@login_required
def home(request: AppRequest) -> HttpResponse:
    communes = visible_communes(request.user)
    commune_qs = Commune.objects.select_related("province")
    if communes is not None:
        commune_qs = commune_qs.filter(pk__in=[c.pk for c in communes])
    managed = {c.pk for c in managed_communes(request.user)}
    active = {p.commune_id: p for p in Plan.objects.active().filter(commune__in=commune_qs)}
    rows = [
        {"commune": c, "plan": active.get(c.pk), "can_manage": c.pk in managed} for c in commune_qs
    ]
    return render(request, "web/home.html", {"rows": rows})
