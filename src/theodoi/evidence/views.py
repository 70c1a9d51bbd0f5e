"""Evidence: upload, download, withdraw, review, and the standing office's review queue.

Thin views over ``evidence.services`` (and ``tracking.services.target_value_review``). Every
object is fetched through a commune-visibility filter, so another commune's evidence is a 404.
Each action is a plain form post that redirects back (``next``); with HTMX the same endpoint
answers with the fragment its form targets: the evidence list of a report or value
(``evidence-<owner id>``) or one row of the review queue (``review-...``).
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from theodoi.accounts.access import AnyUser, get_commune_for_user
from theodoi.accounts.policy import Action, fetch, fetch_for
from theodoi.lib.http import AppRequest
from theodoi.lib.inputs import ascii_int_or_none
from theodoi.tracking import services as tracking_services
from theodoi.tracking.access import is_office, user_units
from theodoi.tracking.models import ProgressReport, TargetValue
from theodoi.tracking.services import TrackingError

from . import services
from .forms import EvidenceUploadForm
from .models import Evidence, EvidenceKind, StoredEvidence
from .queries import evidence_awaiting_review, values_awaiting_review
from .services import Owner
from .sniff import VIEWABLE_TYPES

EVIDENCE_RELATED = (
    "commune",
    "unit",
    "task",
    "target",
    "report__task__plan",
    "report__period",
    "report__unit",
    "target_value__target__plan",
    "target_value__period",
    "target_value__unit",
)


def _user(request: AppRequest) -> User:
    # login_required guarantees it; the assert narrows the type.
    assert isinstance(request.user, User)
    return request.user


# --- permission-checked fetches ------------------------------------------------------------


def get_evidence_for_user(user: AnyUser, public_id: uuid.UUID) -> Evidence:
    """Evidence ``user`` may open (``policy.Action.DOWNLOAD_EVIDENCE``: the office, the leaders,
    the supervisor and the units on the task); anything else is a 404 (no existence leak)."""
    evidences = Evidence.objects.select_related(*EVIDENCE_RELATED)
    return fetch_for(user, Action.DOWNLOAD_EVIDENCE, evidences, public_id)


def _get_owner_for_user(
    user: AnyUser, report_id: uuid.UUID | None, value_id: uuid.UUID | None
) -> Owner:
    if report_id is not None:
        reports = ProgressReport.objects.select_related("commune", "unit", "period", "task__plan")
        return fetch(user, reports, report_id)
    if value_id is not None:
        return _get_value_for_user(user, value_id)
    raise Http404


def _owner_of(evidence: Evidence) -> Owner:
    owner = evidence.report or evidence.target_value
    assert owner is not None
    return owner


# --- shared bits ---------------------------------------------------------------------------


def _next_url(request: AppRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def _owner_page(owner: Owner) -> str:
    """Where a plain post goes back to when it names no ``next``."""
    if isinstance(owner, ProgressReport):
        return services.page_url(task=owner.task) or reverse("home")
    return services.page_url(target=owner.target) or reverse("home")


def evidence_list_context(request: AppRequest, owner: Owner, **extra: object) -> dict[str, object]:
    """The context ``evidence/_evidence_list.html`` needs for ``owner``, as seen by this user."""
    items = list(owner.evidence.select_related("unit").order_by("uploaded_at"))
    return {
        "items": items,
        "report": owner if isinstance(owner, ProgressReport) else None,
        "target_value": owner if isinstance(owner, TargetValue) else None,
        "can_upload": owner.unit in user_units(request.user, owner.commune),
        "can_review": is_office(request.user, owner.commune),
        "next": _next_url(request, _owner_page(owner)),
        **extra,
    }


def _render_list(
    request: AppRequest,
    owner: Owner,
    *,
    error: str = "",
    notice: str = "",
    reference: str = "",
    typed_note: tuple[uuid.UUID, str] | None = None,
) -> HttpResponse:
    # Refusals come back with 200: htmx only swaps successful responses, and the message
    # must replace the form the user just sent (with the reason it typed, ``typed_note``).
    context = evidence_list_context(request, owner, error=error, notice=notice, reference=reference)
    if typed_note is not None:
        context["typed_for"], context["typed_note"] = typed_note
    return render(request, "evidence/_evidence_list.html", context)


def _targets_queue_row(request: AppRequest) -> bool:
    return bool(request.htmx) and str(request.htmx.target or "").startswith("review-")


def _report_outcome(
    request: AppRequest, *, error: str, notice: str, fallback: str
) -> HttpResponseRedirect:
    if error:
        messages.error(request, error)
    elif notice:
        messages.success(request, notice)
    return HttpResponseRedirect(_next_url(request, fallback))


# --- upload, download, withdraw ------------------------------------------------------------


@login_required
@require_POST
def evidence_upload(request: AppRequest) -> HttpResponse:
    form = EvidenceUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        raise Http404  # no report or value named: nothing to attach the evidence to
    owner = _get_owner_for_user(
        request.user, form.cleaned_data.get("report"), form.cleaned_data.get("target_value")
    )
    user = _user(request)
    upload = form.cleaned_data.get("file")
    reference = (form.cleaned_data.get("reference") or "").strip()
    unit = owner.unit if owner.unit in user_units(user, owner.commune) else None
    target = {"report": owner} if isinstance(owner, ProgressReport) else {"target_value": owner}
    error = notice = ""
    if unit is None:
        error = _("Chỉ cán bộ của %(unit)s mới nộp được minh chứng cho báo cáo này.") % {
            "unit": owner.unit.name
        }
    elif upload is None and not reference:
        error = _("Hãy chọn tệp minh chứng, hoặc nhập số hiệu văn bản.")
    else:
        added: list[Evidence] = []
        try:
            if upload is not None:
                added.append(
                    services.evidence_add_file(
                        **target,
                        unit=unit,
                        user=user,
                        filename=upload.name or "",
                        fileobj=upload,
                        size=upload.size or 0,
                    )
                )
            if reference:
                added.append(
                    services.evidence_add_document(
                        **target, unit=unit, user=user, reference=reference
                    )
                )
                reference = ""
        except TrackingError as exc:
            error = exc.message
        if added:
            notice = _(
                "Đã nộp minh chứng: %(names)s. Minh chứng chờ cơ quan thường trực thẩm định."
            ) % {"names": "; ".join(str(e) for e in added)}
    if request.htmx:
        return _render_list(request, owner, error=error, notice=notice, reference=reference)
    return _report_outcome(request, error=error, notice=notice, fallback=_owner_page(owner))


def download_name(evidence: StoredEvidence) -> str:
    """The original name, with the real type's extension when the browser's name lied."""
    name = evidence.original_name or "minh-chung"
    real = PurePath(evidence.file.name or "").suffix.lower()
    suffix = PurePath(name).suffix.lower()
    if real and suffix != real and not (real == ".jpg" and suffix == ".jpeg"):
        name = f"{PurePath(name).stem or 'minh-chung'}{real}"
    return name


def stored_file_response(evidence: StoredEvidence, *, inline: bool = False) -> FileResponse:
    """The one way an evidence file leaves the store (web pages, API, scorecards): as an
    attachment under its real extension, never sniffed, rendered or cached.

    ``inline``: shown in place on a review page (a photo, a PDF in a sandboxed frame), only
    for the types a browser shows safely, and framed by our own pages alone."""
    if evidence.kind != EvidenceKind.FILE or not evidence.file.name:
        raise Http404
    if inline and evidence.content_type not in VIEWABLE_TYPES:
        raise Http404
    try:
        handle = default_storage.open(evidence.file.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("Tệp minh chứng không còn trong kho lưu trữ.")) from None
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=download_name(evidence),
        content_type=evidence.content_type or "application/octet-stream",
    )
    # The browser must save the file, never render or guess it: no page can be smuggled in.
    # Shown inline, it still runs with no script and no origin of its own (sandbox).
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src 'self'; frame-ancestors 'self'"
        if inline
        else "default-src 'none'; sandbox"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def evidence_download(request: AppRequest, evidence_id: uuid.UUID) -> FileResponse:
    """The file, to anyone who may read its commune; never through a public media URL.

    A withdrawn evidence stays downloadable: withdrawing keeps the file on record."""
    return stored_file_response(get_evidence_for_user(request.user, evidence_id))


@login_required
@require_GET
@xframe_options_sameorigin
def evidence_view(request: AppRequest, evidence_id: uuid.UUID) -> FileResponse:
    """The file shown in place on the review page, to exactly those who may download it."""
    return stored_file_response(get_evidence_for_user(request.user, evidence_id), inline=True)


@login_required
@require_POST
def evidence_withdraw(request: AppRequest, evidence_id: uuid.UUID) -> HttpResponse:
    evidence = get_evidence_for_user(request.user, evidence_id)
    owner = _owner_of(evidence)
    error = notice = ""
    try:
        evidence = services.evidence_withdraw(evidence=evidence, user=_user(request))
    except TrackingError as exc:
        error = exc.message
    else:
        notice = _("Đã rút minh chứng “%(name)s”. Tệp vẫn được lưu trong hồ sơ.") % {
            "name": str(evidence)
        }
    if request.htmx:
        return _render_list(request, owner, error=error, notice=notice)
    return _report_outcome(request, error=error, notice=notice, fallback=_owner_page(owner))


# --- review --------------------------------------------------------------------------------


@login_required
@require_POST
def evidence_review(request: AppRequest, evidence_id: uuid.UUID) -> HttpResponse:
    evidence = get_evidence_for_user(request.user, evidence_id)
    owner = _owner_of(evidence)
    note = request.POST.get("note", "")
    error = notice = ""
    stale = False
    try:
        evidence = services.evidence_review(
            evidence=evidence,
            reviewer=_user(request),
            decision=request.POST.get("decision", ""),
            note=note,
            version=ascii_int_or_none(request.POST.get("version")),
        )
    except TrackingError as exc:
        error = exc.message
        stale = isinstance(exc, tracking_services.StaleEdit)
    else:
        notice = _("Đã thẩm định minh chứng “%(name)s”: %(decision)s.") % {
            "name": str(evidence),
            "decision": evidence.get_review_display(),
        }
    if _targets_queue_row(request):
        evidence = get_evidence_for_user(request.user, evidence_id)
        return render(
            request,
            "evidence/review_queue.html#evidence-row",
            {"item": evidence, "error": error, "notice": notice, "note": note if error else ""},
        )
    if request.htmx:
        typed = (evidence.public_id, note) if error else None
        return _render_list(request, owner, error=error, notice=notice, typed_note=typed)
    if stale:
        # Someone decided first: show their decision, keep what this reviewer typed.
        evidence = get_evidence_for_user(request.user, evidence_id)
        context = {
            "item": evidence, "error": error, "note": note, "commune": evidence.commune,
            "stale": True,
        }  # fmt: skip
        return render(request, "evidence/review_stale.html", context, status=409)
    fallback = reverse("review_queue", args=[evidence.commune.public_id])
    return _report_outcome(request, error=error, notice=notice, fallback=fallback)


def _get_value_for_user(user: AnyUser, public_id: uuid.UUID) -> TargetValue:
    values = TargetValue.objects.select_related("commune", "unit", "period", "target__plan")
    return fetch(user, values, public_id)


@login_required
@require_POST
def target_value_review(request: AppRequest, value_id: uuid.UUID) -> HttpResponse:
    value = _get_value_for_user(request.user, value_id)
    note = request.POST.get("note", "")
    error = notice = ""
    stale = False
    if not is_office(request.user, value.commune):
        error = _("Chỉ cơ quan thường trực mới thẩm định giá trị chỉ tiêu.")
    else:
        try:
            value = tracking_services.target_value_review(
                target_value=value,
                reviewer=_user(request),
                decision=request.POST.get("decision", ""),
                note=note,
                version=ascii_int_or_none(request.POST.get("value_version")),
            )
        except TrackingError as exc:
            error = exc.message
            stale = isinstance(exc, tracking_services.StaleEdit)
        else:
            notice = _("Đã thẩm định giá trị chỉ tiêu %(code)s: %(decision)s.") % {
                "code": value.target.code,
                "decision": value.get_review_display(),
            }
    if request.htmx:
        value = _get_value_for_user(request.user, value_id)
        return render(
            request,
            "evidence/review_queue.html#value-row",
            {"value": value, "error": error, "notice": notice, "note": note if error else ""},
        )
    if stale:
        value = _get_value_for_user(request.user, value_id)
        context = {
            "value": value, "error": error, "note": note, "commune": value.commune,
            "stale": True,
        }  # fmt: skip
        return render(request, "evidence/review_stale.html", context, status=409)
    fallback = reverse("review_queue", args=[value.commune.public_id])
    return _report_outcome(request, error=error, notice=notice, fallback=fallback)


@login_required
@require_GET
def review_queue(request: AppRequest, commune_id: uuid.UUID) -> HttpResponse:
    """The standing office's queue: evidence and target values sent and awaiting review."""
    commune = get_commune_for_user(request.user, commune_id)
    if not is_office(request.user, commune):
        raise Http404
    pending_evidence = evidence_awaiting_review(commune).select_related(*EVIDENCE_RELATED)
    pending_values = (
        values_awaiting_review(commune)
        .select_related("target__plan", "period", "unit")
        .prefetch_related("evidence")
    )
    return render(
        request,
        "evidence/review_queue.html",
        {"commune": commune, "evidence_items": pending_evidence, "values": pending_values},
    )
