"""A commune's public page: aggregate progress for anyone, when the commune switches it on."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from theodoi.accounts.services import public_page_enabled
from theodoi.plans.models import Plan
from theodoi.units.models import Commune

from .public import plan_figures


def public_commune(request: HttpRequest, code: str) -> HttpResponse:
    """No sign-in. A commune that has not switched the page on is a 404, like an unknown one."""
    commune = Commune.objects.filter(code=code).select_related("province").first()
    if commune is None or not public_page_enabled(commune):
        raise Http404
    today = timezone.localdate()
    plans = Plan.objects.active().of_commune(commune).order_by("-year", "-activated_at")
    return render(
        request,
        "dashboards/public/commune.html",
        {
            "commune": commune,
            "figures": [plan_figures(plan, today=today) for plan in plans],
            "today": today,
        },
    )
