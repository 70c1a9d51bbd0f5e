from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from theodoi.accounts.access import can_manage_plans, get_commune_for_user
from theodoi.lib.http import AppRequest
from theodoi.tracking.access import is_office

from . import services
from .models import Plan
from .queries import get_plan_for_user, plan_targets, plan_tasks


@login_required
def plan_list(request: AppRequest, commune_id: uuid.UUID) -> HttpResponse:
    commune = get_commune_for_user(request.user, commune_id)
    plans = Plan.objects.of_commune(commune)
    return render(
        request,
        "plans/plan_list.html",
        {"commune": commune, "plans": plans, "can_manage": can_manage_plans(request.user, commune)},
    )


@login_required
def plan_detail(request: AppRequest, plan_id: uuid.UUID) -> HttpResponse:
    plan = get_plan_for_user(request.user, plan_id)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "targets": plan_targets(plan),
            "tasks": plan_tasks(plan),
            "replaced": list(plan.replaces.all()),
            "replaced_by": list(plan.replaced_by.all()),
            "is_office": is_office(request.user, plan.commune),
            "can_manage": can_manage_plans(request.user, plan.commune),
        },
    )


@login_required
@require_POST
def plan_reactivate(request: AppRequest, plan_id: uuid.UUID) -> HttpResponse:
    """The office puts a replaced plan back in force, giving the reason (kept in the audit)."""
    plan = get_plan_for_user(request.user, plan_id)
    if not can_manage_plans(request.user, plan.commune):
        raise Http404
    assert isinstance(request.user, User)
    try:
        services.plan_reactivate(
            plan=plan, user=request.user, reason=request.POST.get("reason", "")
        )
    except services.PlanReactivateError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Kế hoạch đã được khôi phục và đang thực hiện; lý do đã được lưu vào lịch sử."),
        )
    return redirect("plan_detail", plan.public_id)
