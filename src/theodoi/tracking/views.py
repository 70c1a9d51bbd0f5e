"""The units' and leaders' pages of the tracking loop. Thin views over tracking.services.

Each view fetches through a permission-checked helper (``tracking.access``, ``queries``):
another commune's task, report or target is a 404. A unit reporting on a task it is not
assigned to also gets a 404: from its side, that report does not exist.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from theodoi.accounts.access import get_commune_for_user, visible_communes
from theodoi.evidence.services import (
    CheckedFile,
    evidence_add_checked,
    evidence_file_check,
    megabytes,
)
from theodoi.evidence.sniff import accept_attribute, allowed_labels
from theodoi.lib.http import AppRequest
from theodoi.lib.inputs import ascii_int
from theodoi.lib.numbers import vn_number
from theodoi.plans.models import AssignmentRole, Target, Task
from theodoi.units.models import Unit

from . import queries, services
from .access import (
    get_target_for_user,
    get_task_for_user,
    headed_units,
    is_leader,
    is_office,
    task_role_of,
    user_units,
)
from .forms import TASK_FILTERS, DirectionForm, ReportForm, TargetValueForm, TaskFilterForm
from .models import Period, ProgressReport, ReportState, TargetValue, TaskStatus
from .services import TrackingError
from .status import TaskState, target_states, task_states


def _user(request: AppRequest) -> User:
    # login_required guarantees it; the assert narrows the type.
    assert isinstance(request.user, User)
    return request.user


def _version(request: AppRequest) -> int:
    raw = request.POST.get("version", "")
    return ascii_int(raw, missing=-1)


# --- "Nhiệm vụ của đơn vị" ----------------------------------------------------------------


@login_required
def my_tasks_start(request: AppRequest) -> HttpResponse:
    """The navbar's link: straight to the list when the user works in one commune."""
    communes = visible_communes(request.user)
    if communes is not None and len(communes) == 1:
        return redirect("my_tasks", communes[0].public_id)
    return redirect("home")


def _scope(choice: str, mine: list[Unit], units: list[Unit]) -> tuple[list[Unit] | None, str]:
    """Whose tasks to list: the user's units by default, one unit, or all (None)."""
    if choice == "all":
        return None, _("Tất cả đơn vị")
    if choice:
        unit = next((u for u in units if str(u.public_id) == choice), None)
        if unit is None:
            raise Http404
        return [unit], unit.name
    if mine:
        return mine, "; ".join(u.name for u in mine)
    return None, _("Tất cả đơn vị")


@login_required
def my_tasks(request: AppRequest, commune_id: uuid.UUID) -> HttpResponse:
    commune = get_commune_for_user(request.user, commune_id)
    today = timezone.localdate()
    mine = user_units(request.user, commune)
    units = queries.units_of_commune(commune)
    unit_choices = [("", _("Đơn vị của tôi") if mine else _("Tất cả đơn vị"))]
    if mine:
        unit_choices.append(("all", _("Tất cả đơn vị")))
    unit_choices += [(str(u.public_id), u.name) for u in units]
    # The filters live in the query string, so a filtered list is a link one can share.
    form = TaskFilterForm(request.GET or None, unit_choices=unit_choices)
    status = request.GET.get("status", "")
    status = status if status in dict(TASK_FILTERS) else ""
    scope, scope_label = _scope(request.GET.get("unit", ""), mine, units)
    work = queries.unit_work(commune, units=scope, reporters=mine, today=today)
    tasks = queries.filter_task_rows(work.tasks, status)
    heads = headed_units(request.user, commune)
    office = is_office(request.user, commune)
    context = {
        "commune": commune,
        "form": form,
        "tasks": tasks,
        "targets": queries.filter_target_rows(work.targets, status),
        "task_total": len(work.tasks),
        "due_count": sum(1 for r in work.tasks if r.due_now),
        "periods": sorted({p.label for p in work.periods.values()}),
        "scope_label": scope_label,
        "has_plan": bool(work.periods),
        "awaiting_head": queries.count_awaiting_head(heads) if heads else 0,
        "is_head": bool(heads),
        "review_queue_url": reverse("review_queue", args=[commune.public_id]) if office else "",
    }
    if request.htmx:
        return render(request, "tracking/my_tasks.html#task-list", context)
    return render(request, "tracking/my_tasks.html", context)


# --- a task's page ------------------------------------------------------------------------


def _directions_context(
    request: AppRequest, task: Task, form: DirectionForm | None = None
) -> dict[str, Any]:
    mine = {u.pk for u in user_units(request.user, task.commune)}
    leads = {a.unit_id for a in task.assignments.all() if a.role == AssignmentRole.LEAD}
    return {
        "task": task,
        "directions": queries.task_directions(task),
        "can_direct": is_leader(request.user, task.commune),
        "can_acknowledge": bool(mine & leads),
        "direction_form": form or DirectionForm(),
    }


def _task_context(request: AppRequest, task: Task) -> dict[str, Any]:
    today = timezone.localdate()
    commune = task.commune
    tasks, states = queries.plan_task_states(task.plan, today=today)
    state = states[task.pk]
    children = [
        {"task": t, "state": states[t.pk], "css": queries.state_css(states[t.pk])}
        for t in tasks
        if t.parent_id == task.pk
    ]
    assignments = list(task.assignments.all())
    mine = user_units(request.user, commune)
    my_ids = {u.pk for u in mine}
    role = task_role_of(task, mine)
    office = is_office(request.user, commune)
    reports = queries.task_reports(task)
    for report in reports:
        report.can_upload = report.unit_id in my_ids  # type: ignore[attr-defined]
    office_links = {}
    if office:
        office_links = {
            "reassign": reverse("task_reassign", args=[task.public_id]),
            "deadline": reverse("task_deadline", args=[task.public_id]),
            "add": reverse("task_add", args=[task.plan.public_id]),
        }
    return {
        **_directions_context(request, task),
        "commune": commune,
        "state": state,
        "state_css": queries.state_css(state),
        "children": children,
        "leads": [a.unit for a in assignments if a.role == AssignmentRole.LEAD],
        "supports": [a.unit for a in assignments if a.role == AssignmentRole.SUPPORT],
        "my_role": role,
        "can_report": role is not None and not children,
        "reports": reports,
        "history": queries.task_history(task),
        "is_office": office,
        "office_links": office_links,
    }


@login_required
def task_detail(request: AppRequest, task_id: uuid.UUID) -> HttpResponse:
    task = get_task_for_user(request.user, task_id)
    return render(request, "tracking/task_detail.html", _task_context(request, task))


def _directions_response(
    request: AppRequest, task: Task, form: DirectionForm | None = None, status: int = 200
) -> HttpResponse:
    if request.htmx:
        return render(
            request,
            "tracking/task_detail.html#directions",
            _directions_context(request, task, form),
            status=status,
        )
    if status != 200:
        context = {**_task_context(request, task), "direction_form": form}
        return render(request, "tracking/task_detail.html", context, status=status)
    return HttpResponseRedirect(reverse("task_detail", args=[task.public_id]) + "#directions")


@login_required
@require_POST
def direction_create(request: AppRequest, task_id: uuid.UUID) -> HttpResponse:
    task = get_task_for_user(request.user, task_id)
    if not is_leader(request.user, task.commune):
        raise PermissionDenied(_("Chỉ lãnh đạo, Ban Chỉ đạo mới cho ý kiến chỉ đạo."))
    form = DirectionForm(request.POST)
    if form.is_valid():
        try:
            services.direction_add(task=task, author=_user(request), text=form.cleaned_data["text"])
        except services.TrackingError as exc:
            form.add_error("text", exc.message)
    if form.errors:
        return _directions_response(request, task, form, status=400)
    if not request.htmx:
        messages.success(request, _("Đã gửi ý kiến chỉ đạo; đơn vị chủ trì sẽ thấy ngay."))
    return _directions_response(request, task)


@login_required
@require_POST
def direction_acknowledge(request: AppRequest, direction_id: uuid.UUID) -> HttpResponse:
    direction = queries.get_direction_for_user(request.user, direction_id)
    task = get_task_for_user(request.user, direction.task.public_id)
    mine = {u.pk for u in user_units(request.user, task.commune)}
    leads = {a.unit_id for a in task.assignments.all() if a.role == AssignmentRole.LEAD}
    if not mine & leads:
        raise PermissionDenied(_("Chỉ đơn vị chủ trì nhiệm vụ mới tiếp nhận ý kiến chỉ đạo."))
    services.direction_acknowledge(direction=direction, user=_user(request))
    if not request.htmx:
        messages.success(request, _("Đã tiếp nhận ý kiến chỉ đạo."))
    return _directions_response(request, task)


# --- a unit's progress report -------------------------------------------------------------


def _report_initial(report: ProgressReport | None, state: TaskState) -> dict[str, Any]:
    """What the form starts from: the saved draft, else the task as it stands (never 0 %
    when the task stands at 55 %: a report of a fall must be typed, not defaulted)."""
    if report is None:
        status = state.status if state.status != TaskStatus.NOT_STARTED else "in_progress"
        initial: dict[str, Any] = {"status": status, "percent": state.percent, "version": 0}
    else:
        initial = {
            "status": report.status,
            "percent": report.percent,
            "done": report.done,
            "difficulties": report.difficulties,
            "proposals": report.proposals,
            "pause_reason": report.pause_reason,
            "version": report.version,
        }
    return {**initial, "submission": uuid.uuid4()}


def _report_url(task: Task, period: Period) -> str:
    url = reverse("report_edit", args=[task.public_id])
    return f"{url}?{urlencode({'period': str(period.public_id)})}"


def _reporting_unit(request: AppRequest, task: Task) -> tuple[Unit, str]:
    mine = task_role_of(task, user_units(request.user, task.commune))
    if mine is None:
        raise Http404
    return mine


@dataclass(frozen=True)
class _ReportScreen:
    """What a report form is about: the task, the user's unit and its role, the period."""

    task: Task
    unit: Unit
    role: str
    period: Period

    @cached_property
    def state(self) -> TaskState:
        """The (leaf) task's state today, read only when a page shows it: a save that goes
        through redirects, and reading it would be work thrown away."""
        return task_states([self.task], today=timezone.localdate())[self.task.pk]


def _report_page(
    request: AppRequest,
    screen: _ReportScreen,
    *,
    report: ProgressReport | None,
    form: ReportForm,
    error: str = "",
    latest: ProgressReport | None = None,
    status: int = 200,
) -> HttpResponse:
    task, unit, period, state = screen.task, screen.unit, screen.period, screen.state
    by_head = unit in headed_units(request.user, task.commune)
    context = {
        "task": task,
        "commune": task.commune,
        "unit": unit,
        "role_label": AssignmentRole(screen.role).label,
        "period": period,
        "periods": queries.report_periods(task.plan),
        "report": report,
        "editable": report is None or report.state == ReportState.DRAFT,
        "form": form,
        "form_error": error,  # not "error": the evidence partial reads that name
        "latest": latest,
        "state": state,
        "state_css": queries.state_css(state),
        "goes_to_head": task.plan.requires_head_confirmation and not by_head,
        "page_url": _report_url(task, period),
        "file_accept": accept_attribute(),
        "file_types": allowed_labels(),
        "max_size": megabytes(settings.THEODOI_EVIDENCE_MAX_BYTES),
    }
    return render(request, "tracking/report_edit.html", context, status=status)


@login_required
def report_edit(request: AppRequest, task_id: uuid.UUID) -> HttpResponse:
    task = get_task_for_user(request.user, task_id)
    unit, role = _reporting_unit(request, task)
    if task.is_parent():
        messages.info(
            request,
            _("Nhiệm vụ chung được tổng hợp từ các nhiệm vụ con; hãy báo cáo từng nhiệm vụ con."),
        )
        return redirect("task_detail", task.public_id)
    period = queries.period_of_plan(
        task.plan, request.GET.get("period"), today=timezone.localdate()
    )
    report = queries.unit_report(task, period, unit)
    page = _ReportScreen(task=task, unit=unit, role=role, period=period)
    if request.method != "POST":
        form = ReportForm(initial=_report_initial(report, page.state))
        return _report_page(request, page, report=report, form=form)
    return _report_post(request, page, report)


def _check_uploads(request: AppRequest) -> tuple[list[CheckedFile], str]:
    """Every file of the form checked before anything is saved; the first refusal, if any,
    in one sentence that also says what to do with the other files."""
    checked: list[CheckedFile] = []
    uploads = request.FILES.getlist("files")
    for upload in uploads:
        try:
            checked.append(
                evidence_file_check(
                    filename=upload.name or "", fileobj=upload, size=upload.size or 0
                )
            )
        except TrackingError as exc:
            others = [u.name for u in uploads if u is not upload]
            again = (
                _("Chưa lưu gì; nội dung đã nhập vẫn còn. Hãy chọn lại các tệp: %(names)s.")
                % {"names": "; ".join(str(n) for n in others)}
                if others
                else _("Chưa lưu gì; nội dung đã nhập vẫn còn.")
            )
            return [], f"{exc.message} {again}"
    return checked, ""


def _resubmitted(request: AppRequest, form: ReportForm) -> ProgressReport | None:
    key = form.cleaned_data.get("submission")
    return services.report_submission_seen(key=key) if key else None


def _report_post(
    request: AppRequest, page: _ReportScreen, report: ProgressReport | None
) -> HttpResponse:
    """Progress, note and evidence files in one submit: files checked first, then saved
    together, then sent; nothing typed is lost when anything is refused."""
    task, unit, period = page.task, page.unit, page.period
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _report_page(request, page, report=report, form=form, status=400)
    if _resubmitted(request, form) is not None:
        messages.info(request, _("Báo cáo này đã được nhận trước đó; không ghi lại lần nữa."))
        return redirect("task_detail", task.public_id)
    files, file_error = _check_uploads(request)
    if file_error:
        return _report_page(request, page, report=report, form=form, error=file_error, status=400)
    user = _user(request)
    seen = form.cleaned_data["version"] or 0
    try:
        saved = services.report_save(
            task=task, period=period, unit=unit, user=user, data=form.to_input(), version=seen
        )
    except services.StaleEdit as exc:
        # Keep what the user typed, but with the version now saved, so that after merging
        # by eye the next save goes through.
        data = request.POST.copy()
        data["version"] = str(report.version if report else 0)
        return _report_page(
            request, page, report=report, form=ReportForm(data), error=exc.message,
            latest=report, status=409,
        )  # fmt: skip
    except services.TrackingError as exc:
        return _report_page(request, page, report=report, form=form, error=exc.message, status=400)
    try:
        for checked in files:
            evidence_add_checked(owner=saved, unit=unit, user=user, checked=checked)
    except TrackingError as exc:
        return _saved_draft_page(request, page, exc.message)
    if form.cleaned_data.get("submission"):
        services.report_submission_record(key=form.cleaned_data["submission"], report=saved)
    if request.POST.get("action") != "send":
        messages.success(request, _("Đã lưu nháp báo cáo %(period)s.") % {"period": period.label})
        return HttpResponseRedirect(_report_url(task, period))
    try:
        sent = services.report_submit(report=saved, user=user, version=saved.version)
    except services.TrackingError as exc:
        # The draft is saved; the page shows why it was not sent and where to add evidence.
        return _saved_draft_page(request, page, exc.message)
    if sent.state == ReportState.AWAITING_HEAD:
        messages.success(request, _("Đã gửi báo cáo; chờ lãnh đạo đơn vị xác nhận."))
    else:
        messages.success(request, _("Đã gửi báo cáo đến cơ quan thường trực."))
    return redirect("task_detail", task.public_id)


def _saved_draft_page(request: AppRequest, page: _ReportScreen, error: str) -> HttpResponse:
    saved_report = queries.unit_report(page.task, page.period, page.unit)
    form = ReportForm(initial=_report_initial(saved_report, page.state))
    return _report_page(
        request, page, report=saved_report, form=form,
        error=error + " " + _("Bản nháp đã được lưu."), status=400,
    )  # fmt: skip


# --- the unit head's confirmations -------------------------------------------------------


@login_required
def report_confirm_queue(request: AppRequest, commune_id: uuid.UUID) -> HttpResponse:
    commune = get_commune_for_user(request.user, commune_id)
    heads = headed_units(request.user, commune)
    return render(
        request,
        "tracking/confirm_queue.html",
        {
            "commune": commune,
            "heads": heads,
            "reports": queries.reports_awaiting_head(heads),
        },
    )


def _headed_report(request: AppRequest, report_id: uuid.UUID) -> ProgressReport:
    report = queries.get_report_for_user(request.user, report_id)
    if report.unit not in headed_units(request.user, report.task.commune):
        raise Http404
    return report


@login_required
@require_POST
def report_confirm(request: AppRequest, report_id: uuid.UUID) -> HttpResponse:
    report = _headed_report(request, report_id)
    try:
        services.report_confirm(report=report, head=_user(request), version=_version(request))
    except services.TrackingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã xác nhận và gửi báo cáo %(code)s đến cơ quan thường trực.")
            % {"code": report.task.code},
        )
    return redirect("report_confirm_queue", report.task.commune.public_id)


@login_required
@require_POST
def report_return(request: AppRequest, report_id: uuid.UUID) -> HttpResponse:
    report = _headed_report(request, report_id)
    try:
        services.report_return_to_draft(
            report=report, head=_user(request), version=_version(request)
        )
    except services.TrackingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã trả lại báo cáo %(code)s cho cán bộ để chỉnh sửa.") % {"code": report.task.code},
        )
    return redirect("report_confirm_queue", report.task.commune.public_id)


# --- targets --------------------------------------------------------------------------------


def _owning_unit(request: AppRequest, target: Target) -> Unit | None:
    owners = {u.pk for u in target.owners.all()}
    return next((u for u in user_units(request.user, target.commune) if u.pk in owners), None)


@login_required
def target_detail(request: AppRequest, target_id: uuid.UUID) -> HttpResponse:
    target = get_target_for_user(request.user, target_id)
    state = target_states([target])[target.pk]
    values = queries.target_values(target)
    mine = {u.pk for u in user_units(request.user, target.commune)}
    for tv in values:
        tv.can_upload = tv.unit_id in mine  # type: ignore[attr-defined]
    result, result_css = queries.target_result_label(target, state)
    return render(
        request,
        "tracking/target_detail.html",
        {
            "target": target,
            "commune": target.commune,
            "owners": list(target.owners.all()),
            "state": state,
            "counted": queries.counted_display(target, state),
            "result": result,
            "result_css": result_css,
            "values": values,
            "my_unit": _owning_unit(request, target),
            "is_office": is_office(request.user, target.commune),
        },
    )


def _value_initial(tv: TargetValue | None) -> dict[str, Any]:
    if tv is None:
        return {"version": 0}
    initial: dict[str, Any] = {
        "numerator": vn_number(tv.numerator),
        "denominator": vn_number(tv.denominator),
        "source": tv.source,
        "note": tv.note,
        "version": tv.version,
    }
    # A rate typed as numerator / denominator is recomputed from them on each save.
    if tv.denominator is None:
        initial["value"] = vn_number(tv.value)
    if tv.achieved_claim is not None:
        initial["achieved_claim"] = "yes" if tv.achieved_claim else "no"
    return initial


def _value_url(target: Target, period: Period) -> str:
    url = reverse("target_value_edit", args=[target.public_id])
    return f"{url}?{urlencode({'period': str(period.public_id)})}"


@dataclass(frozen=True)
class _ValueScreen:
    """What a value form is about: the target, the user's owning unit, the period."""

    target: Target
    unit: Unit
    period: Period


def _value_page(
    request: AppRequest,
    screen: _ValueScreen,
    *,
    tv: TargetValue | None,
    form: TargetValueForm,
    error: str = "",
    latest: TargetValue | None = None,
    status: int = 200,
) -> HttpResponse:
    target, unit, period = screen.target, screen.unit, screen.period
    if tv is not None:
        tv.display = queries.value_display(tv, target)  # type: ignore[attr-defined]
    if latest is not None:
        latest.display = queries.value_display(latest, target)  # type: ignore[attr-defined]
    context = {
        "target": target,
        "commune": target.commune,
        "unit": unit,
        "period": period,
        "periods": queries.report_periods(target.plan),
        "tv": tv,
        "state_label": queries.value_state_label(tv),
        "editable": tv is None or tv.state == ReportState.DRAFT,
        "form": form,
        "form_error": error,  # not "error": the evidence partial reads that name
        "latest": latest,
        "page_url": _value_url(target, period),
    }
    return render(request, "tracking/target_value_edit.html", context, status=status)


@login_required
def target_value_edit(request: AppRequest, target_id: uuid.UUID) -> HttpResponse:
    target = get_target_for_user(request.user, target_id)
    unit = _owning_unit(request, target)
    if unit is None:
        raise Http404
    period = queries.period_of_plan(
        target.plan, request.GET.get("period"), today=timezone.localdate()
    )
    tv = queries.unit_target_value(target, period, unit)
    qualitative = target.kind == "qualitative"
    page = _ValueScreen(target=target, unit=unit, period=period)
    if request.method != "POST":
        form = TargetValueForm(initial=_value_initial(tv), qualitative=qualitative)
        return _value_page(request, page, tv=tv, form=form)

    form = TargetValueForm(request.POST, qualitative=qualitative)
    if not form.is_valid():
        return _value_page(request, page, tv=tv, form=form, status=400)
    user = _user(request)
    try:
        saved = services.target_value_save(
            target=target, period=period, unit=unit, user=user, data=form.to_input(),
            version=form.cleaned_data["version"] or 0,
        )  # fmt: skip
    except services.StaleEdit as exc:
        data = request.POST.copy()
        data["version"] = str(tv.version if tv else 0)
        return _value_page(
            request, page, tv=tv, form=TargetValueForm(data, qualitative=qualitative),
            error=exc.message, latest=tv, status=409,
        )  # fmt: skip
    except services.TrackingError as exc:
        return _value_page(request, page, tv=tv, form=form, error=exc.message, status=400)
    if request.POST.get("action") != "send":
        messages.success(request, _("Đã lưu nháp giá trị %(period)s.") % {"period": period.label})
        return HttpResponseRedirect(_value_url(target, period))
    try:
        services.target_value_submit(target_value=saved, user=user, version=saved.version)
    except services.TrackingError as exc:
        saved_tv = queries.unit_target_value(target, period, unit)
        return _value_page(
            request, page, tv=saved_tv,
            form=TargetValueForm(initial=_value_initial(saved_tv), qualitative=qualitative),
            error=exc.message + " " + _("Bản nháp đã được lưu."), status=400,
        )  # fmt: skip
    messages.success(request, _("Đã gửi giá trị chỉ tiêu đến cơ quan thường trực để thẩm định."))
    return redirect("target_detail", target.public_id)
