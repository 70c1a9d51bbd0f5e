"""Upload → preview and correct → confirm. Thin views over importer.services.

Every action is a plain form post that redirects back to the preview; with HTMX the same
endpoints answer with the changed row only.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from theodoi.accounts.access import AnyUser, get_commune_for_user
from theodoi.accounts.policy import Action, fetch_for
from theodoi.importer.core.errors import ImportFileError
from theodoi.jobs.views import job_response
from theodoi.lib.http import AppRequest
from theodoi.lib.inputs import ascii_int
from theodoi.plans.models import Plan
from theodoi.units.models import Unit

from . import services
from .forms import PlanUploadForm
from .models import ImportStatus, PlanImport
from .preview import PreviewRow, find_row, preview_rows


def _user(request: AppRequest) -> User:
    # login_required guarantees it; the assert narrows the type.
    assert isinstance(request.user, User)
    return request.user


def get_import_for_user(user: AnyUser, public_id: uuid.UUID) -> PlanImport:
    imports = PlanImport.objects.select_related("commune__province")
    return fetch_for(user, Action.MANAGE_PLAN, imports, public_id)


@login_required
def import_upload(request: AppRequest, commune_id: uuid.UUID) -> HttpResponseBase:
    commune = get_commune_for_user(request.user, commune_id, manage=True)
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.THEODOI_PLAN_MAX_BYTES:
            error = _(
                "Tệp quá lớn (%(size)d MB, tối đa %(max)d MB). Kế hoạch thường chỉ vài MB: "
                "hãy kiểm tra lại tệp, hoặc lưu lại bản Word/PDF không kèm ảnh quét."
            ) % {
                "size": upload.size // (1024 * 1024),
                "max": settings.THEODOI_PLAN_MAX_BYTES // (1024 * 1024),
            }
        else:
            data = upload.read()
            if services.reads_in_background(data):
                # A PDF may be a scan: read by a job, its progress shown page by page.
                job = services.plan_import_read_later(
                    commune=commune, user=_user(request), filename=upload.name, data=data
                )
                return job_response(request, job)
            try:
                plan_import = services.plan_import_start(
                    commune=commune, user=_user(request), filename=upload.name, data=data
                )
            except ImportFileError as exc:
                error = exc.message
            else:
                return redirect("import_preview", plan_import.public_id)
    status = 400 if error or form.errors else 200
    return render(
        request,
        "importer/upload.html",
        {
            "commune": commune,
            "form": form,
            "error": error,
            "unconfirmed": services.plan_imports_unconfirmed(commune),
        },
        status=status,
    )


def _preview_context(
    plan_import: PlanImport, editing: str = "", error: str = "", typed: dict[str, str] | None = None
) -> dict[str, object]:
    targets, tasks = preview_rows(plan_import)
    for row in targets + tasks:
        if row.anchor == editing:
            row.editing = True
            row.error = error
            if typed:
                row.cells.update(typed)
    gaps = sum(1 for row in tasks if row.gaps)
    unknown = services.plan_import_unknown_units(plan_import)
    meta = plan_import.plan_json["plan"]
    active = Plan.objects.active().of_commune(plan_import.commune).filter(year=meta.get("year"))
    return {
        "plan_import": plan_import,
        "meta": services.plan_cells(meta),
        "basis": meta.get("basis") or [],
        "replaces": meta.get("replaces") or [],
        "warnings": plan_import.plan_json.get("warnings") or [],
        "results": plan_import.plan_json.get("results") or [],
        "targets": targets,
        "tasks": tasks,
        "gap_count": gaps,
        "unknown_units": unknown,
        "units": Unit.objects.of_commune(plan_import.commune).active(),
        "editing_meta": editing == "plan",
        "meta_error": error if editing == "plan" else "",
        "will_replace": list(active),
        "checks": services.plan_import_checks(plan_import)
        if plan_import.status == ImportStatus.PREVIEW
        else [],
        "is_preview": plan_import.status == ImportStatus.PREVIEW,
    }


@login_required
def import_preview(request: AppRequest, import_id: uuid.UUID) -> HttpResponse:
    plan_import = get_import_for_user(request.user, import_id)
    if plan_import.status == ImportStatus.CONFIRMED and plan_import.plan:
        return redirect("plan_detail", plan_import.plan.public_id)
    editing = request.GET.get("edit", "") if plan_import.status == ImportStatus.PREVIEW else ""
    context = _preview_context(plan_import, editing=editing)
    if request.htmx and editing:
        section, _sep, index = editing.partition("-")
        row = find_row(plan_import, section, ascii_int(index, missing=-1))
        if row is None:
            raise Http404
        row.editing = True
        return render(request, f"importer/preview.html#{section}-row", {**context, "row": row})
    return render(request, "importer/preview.html", context)


def _back(plan_import: PlanImport, anchor: str = "") -> HttpResponseRedirect:
    url = reverse("import_preview", args=[plan_import.public_id])
    return HttpResponseRedirect(f"{url}#{anchor}" if anchor else url)


def _version(request: AppRequest) -> int:
    raw = request.POST.get("version", "")
    return ascii_int(raw, missing=-1)


@login_required
@require_POST
def import_edit(request: AppRequest, import_id: uuid.UUID) -> HttpResponse:
    plan_import = get_import_for_user(request.user, import_id)
    section = request.POST.get("section", "")
    raw_index = request.POST.get("index", "")
    index = ascii_int(raw_index, missing=0)
    fields = {
        "plan": services.PLAN_FIELDS,
        "targets": services.TARGET_FIELDS,
        "tasks": services.TASK_FIELDS,
    }.get(section, ())
    typed = {f: request.POST[f] for f in fields if f in request.POST}
    anchor = "plan" if section == "plan" else f"{section}-{index}"
    try:
        plan_import = services.plan_import_edit(
            plan_import=plan_import,
            section=section,
            index=index,
            changes=typed,
            version=_version(request),
        )
    except services.ImportEditError as exc:
        # The typed text stays on screen so nothing the user wrote is lost.
        status = 409 if isinstance(exc, services.StaleImportEdit) else 400
        context = _preview_context(plan_import, editing=anchor, error=exc.message, typed=typed)
        if request.htmx and section != "plan":
            row = _editing_row(context, anchor)
            if row is not None:
                response = render(
                    request, f"importer/preview.html#{section}-row", {**context, "row": row}
                )
                response["HX-Reswap"] = "outerHTML"
                return response
        return render(request, "importer/preview.html", context, status=status)
    if request.htmx and section != "plan":
        context = _preview_context(plan_import)
        row = find_row(plan_import, section, index)
        return render(request, "importer/preview.html#row-updated", {**context, "row": row})
    return _back(plan_import, anchor)


def _editing_row(context: dict[str, object], anchor: str) -> PreviewRow | None:
    rows = list(context["targets"]) + list(context["tasks"])  # type: ignore[call-overload]
    return next((r for r in rows if r.anchor == anchor), None)


@login_required
@require_POST
def import_delete_row(request: AppRequest, import_id: uuid.UUID) -> HttpResponse:
    plan_import = get_import_for_user(request.user, import_id)
    raw_index = request.POST.get("index", "")
    try:
        plan_import = services.plan_import_delete_row(
            plan_import=plan_import,
            section=request.POST.get("section", ""),
            index=ascii_int(raw_index, missing=-1),
            version=_version(request),
        )
    except services.ImportEditError as exc:
        messages.error(request, exc.message)
    return _back(plan_import)


@login_required
@require_POST
def import_map_unit(request: AppRequest, import_id: uuid.UUID) -> HttpResponse:
    plan_import = get_import_for_user(request.user, import_id)
    choice = request.POST.get("unit", "")
    unit = None
    if choice and choice != "keep":
        unit = Unit.objects.filter(commune=plan_import.commune, public_id=choice).first()
        if unit is None:
            messages.error(request, _("Đơn vị được chọn không thuộc xã/phường này."))
            return _back(plan_import, "units")
    elif not choice:
        messages.error(request, _("Hãy chọn một đơn vị, hoặc chọn giữ nguyên tên như văn bản."))
        return _back(plan_import, "units")
    try:
        plan_import = services.plan_import_map_unit(
            plan_import=plan_import,
            spelling=request.POST.get("spelling", ""),
            unit=unit,
            version=_version(request),
        )
    except services.ImportEditError as exc:
        messages.error(request, exc.message)
    return _back(plan_import, "units")


@login_required
@require_POST
def import_confirm(request: AppRequest, import_id: uuid.UUID) -> HttpResponse:
    plan_import = get_import_for_user(request.user, import_id)
    try:
        plan = services.plan_import_confirm(
            plan_import=plan_import,
            user=_user(request),
            version=_version(request),
            acknowledged=request.POST.get("acknowledged") == "1",
        )
    except services.ConfirmationNeeded as exc:
        # Asked again, saying exactly what confirming does; nothing has changed yet.
        return render(
            request,
            "importer/confirm.html",
            {"plan_import": plan_import, "checks": exc.checks},
            status=409,
        )
    except services.ImportEditError as exc:
        messages.error(request, exc.message)
        return _back(plan_import)
    messages.success(
        request,
        _(
            "Đã tạo kế hoạch với %(targets)d chỉ tiêu và %(tasks)d nhiệm vụ; "
            "kế hoạch đang thực hiện."
        )
        % {"targets": plan.targets.count(), "tasks": plan.tasks.count()},
    )
    return redirect("plan_detail", plan.public_id)


@login_required
@require_POST
def import_discard(request: AppRequest, import_id: uuid.UUID) -> HttpResponse:
    plan_import = get_import_for_user(request.user, import_id)
    try:
        services.plan_import_discard(plan_import=plan_import, version=_version(request))
    except services.ImportEditError as exc:
        messages.error(request, exc.message)
        return _back(plan_import)
    messages.info(request, _("Đã hủy bản xem trước; không có gì được ghi vào kế hoạch."))
    if request.POST.get("next") == "upload":
        return redirect("import_upload", plan_import.commune.public_id)
    return redirect("plan_list", plan_import.commune.public_id)
