"""The standing office's changes to a plan's tasks: reassign, move a deadline, add a task.

Only the commune's standing office (``is_office``) may make them. Another commune's task or
plan is a 404 (``get_task_for_user`` / ``get_plan_for_user``); a user of the same commune who
can read the task but not change it gets a 403 page saying so.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from theodoi.lib.http import AppRequest
from theodoi.plans.models import AssignmentRole, Plan, Task
from theodoi.plans.queries import get_plan_for_user
from theodoi.units.models import Commune

from . import services
from .access import get_task_for_user, is_office
from .office_forms import DeadlineForm, ReassignForm, TaskAddForm


def _user(request: AppRequest) -> User:
    # login_required guarantees it; the assert narrows the type.
    assert isinstance(request.user, User)
    return request.user


def _require_office(request: AppRequest, commune: Commune) -> None:
    if not is_office(request.user, commune):
        raise PermissionDenied(
            _(
                "Chỉ cơ quan thường trực của %(commune)s mới được giao lại nhiệm vụ, điều chỉnh "
                "thời hạn hoặc thêm nhiệm vụ phát sinh. Bạn vẫn xem được nhiệm vụ như thường."
            )
            % {"commune": commune}
        )


def _office_task(request: AppRequest, task_id: uuid.UUID) -> Task:
    task = get_task_for_user(request.user, task_id)
    _require_office(request, task.commune)
    return task


def _task_page(task: Task) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("task_detail", args=[task.public_id]))


def _task_context(task: Task) -> dict[str, Any]:
    assignments = list(task.assignments.all())
    return {
        "task": task,
        "leads": [a.unit for a in assignments if a.role == AssignmentRole.LEAD],
        "supports": [a.unit for a in assignments if a.role == AssignmentRole.SUPPORT],
    }


def _with_version(data: QueryDict, version: int, **changes: str) -> QueryDict:
    """The user's typed data, bound to the task's current version so that saving again after
    comparing works (their choices stay on screen; nothing of theirs is lost)."""
    fresh = data.copy()
    fresh["version"] = str(version)
    for key, value in changes.items():
        fresh[key] = value
    return fresh


@login_required
def task_reassign(request: AppRequest, task_id: uuid.UUID) -> HttpResponse:
    task = _office_task(request, task_id)
    form = ReassignForm(request.POST or None, task=task)
    error, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.task_reassign(
                    task=task,
                    lead=list(form.cleaned_data["lead"]),
                    support=list(form.cleaned_data["support"]),
                    actor=_user(request),
                    version=form.cleaned_data["version"],
                )
            except services.StaleEdit as exc:
                error, status = exc.message, 409
                task = get_task_for_user(request.user, task_id)
                form = ReassignForm(_with_version(request.POST, task.version), task=task)
            except services.TrackingError as exc:
                error, status = exc.message, 400
            else:
                messages.success(request, _("Đã giao lại nhiệm vụ %(code)s.") % {"code": task.code})
                return _task_page(task)
        else:
            status = 400
    return render(
        request,
        "tracking/office/reassign.html",
        {**_task_context(task), "form": form, "error": error},
        status=status,
    )


@login_required
def task_deadline(request: AppRequest, task_id: uuid.UUID) -> HttpResponse:
    task = _office_task(request, task_id)
    form = DeadlineForm(request.POST or None, task=task)
    error, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            due_on = form.cleaned_data["due_on"]
            try:
                services.task_change_deadline(
                    task=task,
                    due_on=due_on,
                    reason=form.cleaned_data["reason"],
                    actor=_user(request),
                    version=form.cleaned_data["version"],
                )
            except services.StaleEdit as exc:
                error, status = exc.message, 409
                task = get_task_for_user(request.user, task_id)
                # The date input only shows yyyy-mm-dd, whatever form the user typed it in.
                data = _with_version(request.POST, task.version, due_on=due_on.isoformat())
                form = DeadlineForm(data, task=task)
            except services.TrackingError as exc:
                error, status = exc.message, 400
            else:
                messages.success(
                    request,
                    _("Đã điều chỉnh thời hạn nhiệm vụ %(code)s đến %(d)s.")
                    % {"code": task.code, "d": f"{due_on:%d/%m/%Y}"},
                )
                return _task_page(task)
        else:
            status = 400
    return render(
        request,
        "tracking/office/deadline.html",
        {**_task_context(task), "form": form, "error": error},
        status=status,
    )


@login_required
def task_add(request: AppRequest, plan_id: uuid.UUID) -> HttpResponse:
    plan: Plan = get_plan_for_user(request.user, plan_id)
    _require_office(request, plan.commune)
    form = TaskAddForm(request.POST or None, plan=plan)
    error, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                task = services.task_add(
                    plan=plan,
                    name=data["name"],
                    lead=list(data["lead"]),
                    support=list(data["support"]),
                    due_on=data["due_on"],
                    output=data["output"],
                    group=data["group"],
                    actor=_user(request),
                    parent=data["parent"],
                )
            except services.TrackingError as exc:
                error, status = exc.message, 400
            else:
                messages.success(
                    request,
                    _("Đã thêm nhiệm vụ phát sinh %(code)s vào kế hoạch.") % {"code": task.code},
                )
                return _task_page(task)
        else:
            status = 400
    return render(
        request,
        "tracking/office/task_add.html",
        {"plan": plan, "form": form, "error": error},
        status=status,
    )
