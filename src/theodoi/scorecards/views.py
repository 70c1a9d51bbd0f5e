"""Scorecard pages: the province imports, edits, publishes, appraises and ranks; the commune
fills its self-assessment, attaches evidence and explains gaps.

Thin views over ``scorecards.services`` and ``scorecards.queries``; every object is fetched
through ``scorecards.access`` (another commune's or province's object is a 404). Every action
is a plain form post that redirects back; the appraisal form on the assessment page also
answers HTMX with its row only.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from theodoi.accounts.access import get_commune_for_user, visible_communes
from theodoi.evidence.services import CheckedFile, EvidenceError, evidence_file_check
from theodoi.evidence.views import stored_file_response
from theodoi.lib.http import AppRequest
from theodoi.lib.inputs import ascii_int_or_none

from . import exports, queries, scoring, services
from .access import (
    get_assessment_for_user,
    get_criterion_for_user,
    get_entry_for_user,
    get_evidence_for_user,
    get_province_for_user,
    get_scorecard_for_user,
    is_open,
    is_province_officer,
    may_appraise,
    may_fill,
    may_organise,
    provinces_for_user,
)
from .forms import (
    AppraiseForm,
    CriterionForm,
    EntryForm,
    EvidenceForm,
    ExplainForm,
    ScorecardUploadForm,
)
from .models import (
    Assessment,
    AssessmentEntry,
    EntryStatus,
    Scorecard,
    ScorecardStatus,
)
from .workbook import WorkbookError

SAMPLE = Path(__file__).resolve().parent / "data" / "sample-scorecard.xlsx"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _user(request: AppRequest) -> User:
    # login_required guarantees it; the assert narrows the type.
    assert isinstance(request.user, User)
    return request.user


def _next_url(request: AppRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def _version(request: AppRequest) -> int | None:
    raw = request.POST.get("version", "")
    return ascii_int_or_none(raw)


# --- ways in ---------------------------------------------------------------------------------


@login_required
def scorecards_start(request: AppRequest) -> HttpResponse:
    """The menu's "Bộ chỉ số": a province officer to the province's scorecards, a commune's
    people to their commune's assessments."""
    provinces = provinces_for_user(request.user)
    if len(provinces) == 1:
        return redirect("province_scorecards", provinces[0].code)
    communes = visible_communes(request.user) or []
    if not provinces and len(communes) == 1:
        return redirect("commune_scorecards", communes[0].public_id)
    if not provinces and not communes:
        raise Http404
    return render(request, "scorecards/start.html", {"provinces": provinces, "communes": communes})


@login_required
@require_GET
def scorecard_sample(request: AppRequest) -> FileResponse:
    """The sample workbook: the layout a province fills in."""
    return FileResponse(
        SAMPLE.open("rb"), as_attachment=True, filename=SAMPLE.name, content_type=XLSX_TYPE
    )


# --- the province: its scorecards ------------------------------------------------------------


@login_required
def province_scorecards(request: AppRequest, code: str) -> HttpResponse:
    province = get_province_for_user(request.user, code)
    scorecards = list(
        Scorecard.objects.of_province(province).prefetch_related("criteria", "assessments")
    )
    return render(
        request,
        "scorecards/province_list.html",
        {
            "province": province,
            "scorecards": scorecards,
            "to_appraise": queries.entries_to_appraise(province),
        },
    )


@login_required
def scorecard_import(request: AppRequest, code: str) -> HttpResponse:
    province = get_province_for_user(request.user, code)
    form = ScorecardUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            scorecard = services.scorecard_import(
                province=province,
                user=_user(request),
                filename=upload.name,
                data=upload.read(services.WORKBOOK_MAX_BYTES + 1),
                name=form.cleaned_data.get("name") or "",
                year=form.cleaned_data.get("year"),
            )
        except WorkbookError as exc:
            problems = [str(p) for p in exc.problems]
        except services.ScorecardError as exc:
            problems = [exc.message]
        else:
            messages.success(
                request,
                _("Đã nhập %(count)d tiêu chí vào bản nháp. Kiểm tra, sửa rồi ban hành.")
                % {"count": scorecard.criteria.count()},
            )
            return redirect("scorecard_detail", scorecard.public_id)
    status = 400 if problems or form.errors else 200
    return render(
        request,
        "scorecards/import.html",
        {"province": province, "form": form, "problems": problems},
        status=status,
    )


@login_required
def scorecard_detail(request: AppRequest, scorecard_id: uuid.UUID) -> HttpResponse:
    scorecard = get_scorecard_for_user(request.user, scorecard_id)
    groups = list(scorecard.groups.prefetch_related("criteria").order_by("position"))
    criteria = [c for g in groups for c in g.criteria.all()]
    base = scoring.total(Decimal(c.max_points) for c in criteria if c.counts_in_max)
    return render(
        request,
        "scorecards/scorecard_detail.html",
        {
            "scorecard": scorecard,
            "province": scorecard.province,
            "groups": groups,
            "criteria_count": len(criteria),
            "max_total": queries.points_text(base),
            "assessment_count": scorecard.assessments.count(),
        },
    )


def _criterion_page(
    request: AppRequest, scorecard: Scorecard, form: CriterionForm, criterion: object, status: int
) -> HttpResponse:
    return render(
        request,
        "scorecards/criterion_form.html",
        {"scorecard": scorecard, "form": form, "criterion": criterion},
        status=status,
    )


@login_required
def criterion_add(request: AppRequest, scorecard_id: uuid.UUID) -> HttpResponse:
    scorecard = get_scorecard_for_user(request.user, scorecard_id)
    if not scorecard.is_draft:
        raise Http404
    form = CriterionForm(request.POST or None, initial={"evidence_required": True})
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_save(
                scorecard=scorecard,
                criterion=None,
                data=form.cleaned_data["criterion"],
                group_name=form.cleaned_data.get("group_name", ""),
                user=_user(request),
            )
        except services.ScorecardError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("scorecard_detail", scorecard.public_id)
    return _criterion_page(request, scorecard, form, None, 400 if form.errors else 200)


@login_required
def criterion_edit(request: AppRequest, criterion_id: uuid.UUID) -> HttpResponse:
    criterion = get_criterion_for_user(request.user, criterion_id)
    scorecard = criterion.scorecard
    if not scorecard.is_draft:
        raise Http404
    form = CriterionForm(request.POST or None, initial=CriterionForm.initial_for(criterion))
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_save(
                scorecard=scorecard,
                criterion=criterion,
                data=form.cleaned_data["criterion"],
                group_name=form.cleaned_data.get("group_name", ""),
                user=_user(request),
            )
        except services.ScorecardError as exc:
            form.add_error(None, exc.message)
        else:
            url = reverse("scorecard_detail", args=[scorecard.public_id])
            return HttpResponseRedirect(f"{url}#criterion-{criterion.public_id}")
    return _criterion_page(request, scorecard, form, criterion, 400 if form.errors else 200)


@login_required
@require_POST
def criterion_delete(request: AppRequest, criterion_id: uuid.UUID) -> HttpResponse:
    criterion = get_criterion_for_user(request.user, criterion_id)
    try:
        services.criterion_delete(criterion=criterion, user=_user(request))
    except services.ScorecardError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xóa tiêu chí %(code)s.") % {"code": criterion.code})
    return redirect("scorecard_detail", criterion.scorecard.public_id)


@login_required
@require_POST
def scorecard_publish(request: AppRequest, scorecard_id: uuid.UUID) -> HttpResponse:
    scorecard = get_scorecard_for_user(request.user, scorecard_id)
    try:
        services.scorecard_publish(scorecard=scorecard, user=_user(request))
    except services.ScorecardError as exc:
        messages.error(request, exc.message)
        return redirect("scorecard_detail", scorecard.public_id)
    messages.success(
        request,
        _("Đã ban hành. Các xã, phường của tỉnh bắt đầu tự đánh giá theo bộ chỉ số này."),
    )
    return redirect("scorecard_ranking", scorecard.public_id)


@login_required
def scorecard_ranking(request: AppRequest, scorecard_id: uuid.UUID) -> HttpResponse:
    """The province's communes ranked on this scorecard: totals, per group, self vs appraised."""
    scorecard = get_scorecard_for_user(request.user, scorecard_id)
    if scorecard.is_draft:
        return redirect("scorecard_detail", scorecard.public_id)
    ranking = queries.scorecard_ranking(scorecard, today=timezone.localdate())
    rows = [
        (card, [queries.group_cell(card, group) for group in ranking.groups])
        for card in ranking.cards
    ]
    return render(
        request,
        "scorecards/ranking.html",
        {
            "scorecard": scorecard,
            "province": scorecard.province,
            "ranking": ranking,
            "rows": rows,
        },
    )


# --- the commune: its assessments ------------------------------------------------------------


@login_required
def commune_scorecards(request: AppRequest, commune_id: uuid.UUID) -> HttpResponse:
    commune = get_commune_for_user(request.user, commune_id)
    scorecards = list(
        Scorecard.objects.of_province(commune.province).exclude(status=ScorecardStatus.DRAFT)
    )
    assessments = {
        a.scorecard_id: a
        for a in Assessment.objects.filter(commune=commune, scorecard__in=scorecards)
    }
    items = [(s, assessments.get(s.pk)) for s in scorecards]
    return render(
        request,
        "scorecards/commune_list.html",
        {"commune": commune, "items": items, "can_start": may_organise(request.user, commune)},
    )


@login_required
@require_POST
def assessment_start(
    request: AppRequest, commune_id: uuid.UUID, scorecard_id: uuid.UUID
) -> HttpResponse:
    """A commune created after the scorecard was published starts its assessment."""
    commune = get_commune_for_user(request.user, commune_id)
    scorecard = Scorecard.objects.filter(
        public_id=scorecard_id, province=commune.province, status=ScorecardStatus.PUBLISHED
    ).first()
    if scorecard is None or not may_organise(request.user, commune):
        raise Http404
    assessment = services.assessment_ensure(scorecard=scorecard, commune=commune)
    return redirect("assessment_detail", assessment.public_id)


def _assessment_context(
    request: AppRequest, assessment: Assessment, card: queries.AssessmentCard
) -> dict[str, object]:
    commune = assessment.commune
    return {
        "assessment": assessment,
        "scorecard": assessment.scorecard,
        "commune": commune,
        "card": card,
        "open": is_open(assessment.scorecard),
        "can_appraise": may_appraise(request.user, commune) and is_open(assessment.scorecard),
        "is_officer": is_province_officer(request.user, commune.province),
        "statuses": EntryStatus.choices,
    }


@login_required
def assessment_detail(request: AppRequest, assessment_id: uuid.UUID) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, assessment_id)
    card = queries.assessment_card(assessment, today=timezone.localdate())
    context = _assessment_context(request, assessment, card)
    status = request.GET.get("status", "")
    if status in EntryStatus.values:
        for group in card.groups:
            group.lines = [line for line in group.lines if line.entry.status == status]
        card.groups = [group for group in card.groups if group.lines]
    context["status_filter"] = status if status in EntryStatus.values else ""
    return render(request, "scorecards/assessment.html", context)


@login_required
def assessment_results(request: AppRequest, assessment_id: uuid.UUID) -> HttpResponse:
    """Totals per group, self vs appraised, the rank, and what most needs improving."""
    assessment = get_assessment_for_user(request.user, assessment_id)
    today = timezone.localdate()
    card = queries.rank_of(assessment, today=today) or queries.assessment_card(
        assessment, today=today
    )
    context = _assessment_context(request, assessment, card)
    context["needs"] = card.needs()
    return render(request, "scorecards/results.html", context)


def _entry_page(
    request: AppRequest,
    entry: AssessmentEntry,
    *,
    form: EntryForm | None = None,
    evidence_form: EvidenceForm | None = None,
    appraise_form: AppraiseForm | None = None,
    explain_form: ExplainForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    line = queries.entry_line(entry, today=timezone.localdate())
    entry = line.entry
    commune = entry.commune
    organise = may_organise(request.user, commune)
    open_ = is_open(entry.assessment.scorecard)
    fill = open_ and may_fill(request.user, entry)
    if form is None and fill:
        form = EntryForm(
            commune=commune,
            criterion=line.criterion,
            organise=organise,
            initial={
                "value": _vn(entry.value),
                "numerator": _vn(entry.numerator),
                "denominator": _vn(entry.denominator),
                "yes": {True: "yes", False: "no"}.get(entry.yes, ""),  # type: ignore[arg-type]
                "status": entry.status,
                "note": entry.note,
                "responsible_unit": entry.responsible_unit_id,
                "due_on": entry.due_on,
                "version": entry.version,
            },
        )
    can_appraise = open_ and may_appraise(request.user, commune)
    if appraise_form is None and can_appraise:
        points = entry.appraised_score if entry.appraised_score is not None else line.self_score
        appraise_form = AppraiseForm(
            criterion=line.criterion,
            initial={
                "points": _vn(abs(points)) if points is not None else "",
                "remark": entry.appraisal_remark,
                "version": entry.version,
            },
        )
    can_explain = open_ and organise and entry.appraised_at is not None
    if explain_form is None and can_explain:
        explain_form = ExplainForm(
            initial={"explanation": entry.explanation, "version": entry.version}
        )
    return render(
        request,
        "scorecards/entry.html",
        {
            "entry": entry,
            "line": line,
            "criterion": line.criterion,
            "assessment": entry.assessment,
            "commune": commune,
            "form": form if fill else None,
            "evidence_items": list(entry.evidence.order_by("uploaded_at")),
            "evidence_form": (evidence_form or EvidenceForm()) if fill else None,
            "appraise_form": appraise_form if can_appraise else None,
            "explain_form": explain_form if can_explain else None,
            "error": error,
            "open": open_,
        },
        status=status,
    )


def _vn(number: object) -> str:
    """A stored number as the form shows it: Decimal("92.5000") → "92,5"."""
    return scoring.number_text(Decimal(str(number))) if number is not None else ""


@login_required
def assessment_entry(request: AppRequest, entry_id: uuid.UUID) -> HttpResponse:
    """One criterion: the self-assessment form, its evidence, the appraisal, the explanation."""
    entry = get_entry_for_user(request.user, entry_id)
    if request.method != "POST":
        return _entry_page(request, entry)
    form = EntryForm(
        request.POST,
        commune=entry.commune,
        criterion=entry.criterion,
        organise=may_organise(request.user, entry.commune),
    )
    if not form.is_valid():
        return _entry_page(request, entry, form=form, status=400)
    # The figure, the note and the evidence files in one submit: files checked first, so a
    # refused file loses nothing typed.
    checked: list[CheckedFile] = []
    for upload in request.FILES.getlist("files"):
        try:
            checked.append(
                evidence_file_check(
                    filename=upload.name or "", fileobj=upload, size=upload.size or 0
                )
            )
        except EvidenceError as exc:
            again = _("Chưa lưu gì; nội dung đã nhập vẫn còn, hãy chọn lại tệp minh chứng.")
            return _entry_page(
                request, entry, form=form, error=f"{exc.message} {again}", status=400
            )
    user = _user(request)
    try:
        services.entry_save(
            entry=entry, user=user, data=form.entry_input(), version=_version(request)
        )
        for file in checked:
            services.entry_evidence_add_checked(entry=entry, user=user, checked=file)
    except services.ScorecardError as exc:
        return _entry_page(request, entry, form=form, error=exc.message, status=400)
    messages.success(
        request, _("Đã lưu tự đánh giá tiêu chí %(code)s.") % {"code": entry.criterion.code}
    )
    return redirect("assessment_entry", entry.public_id)


@login_required
@require_POST
def entry_evidence_add(request: AppRequest, entry_id: uuid.UUID) -> HttpResponse:
    entry = get_entry_for_user(request.user, entry_id)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _entry_page(request, entry, evidence_form=form, status=400)
    user = _user(request)
    upload = form.cleaned_data.get("file")
    reference = (form.cleaned_data.get("reference") or "").strip()
    try:
        if upload is not None:
            services.entry_evidence_add_file(
                entry=entry, user=user, filename=upload.name, fileobj=upload, size=upload.size
            )
        if reference:
            services.entry_evidence_add_document(entry=entry, user=user, reference=reference)
    except services.ScorecardError as exc:
        return _entry_page(request, entry, evidence_form=form, error=exc.message, status=400)
    messages.success(request, _("Đã nộp minh chứng."))
    return HttpResponseRedirect(reverse("assessment_entry", args=[entry.public_id]) + "#evidence")


@login_required
@require_POST
def entry_evidence_withdraw(request: AppRequest, evidence_id: uuid.UUID) -> HttpResponse:
    evidence = get_evidence_for_user(request.user, evidence_id)
    try:
        services.entry_evidence_withdraw(evidence=evidence, user=_user(request))
    except services.ScorecardError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã rút minh chứng; tệp vẫn được lưu trong hồ sơ."))
    return HttpResponseRedirect(
        reverse("assessment_entry", args=[evidence.entry.public_id]) + "#evidence"
    )


@login_required
@require_GET
def entry_evidence_download(request: AppRequest, evidence_id: uuid.UUID) -> FileResponse:
    # The evidence app's download: same sandbox, same real-extension naming.
    return stored_file_response(get_evidence_for_user(request.user, evidence_id))


@login_required
@require_POST
def entry_appraise(request: AppRequest, entry_id: uuid.UUID) -> HttpResponse:
    entry = get_entry_for_user(request.user, entry_id)
    form = AppraiseForm(request.POST, criterion=entry.criterion)
    error = ""
    stale = False
    if form.is_valid():
        try:
            services.entry_appraise(
                entry=entry,
                user=_user(request),
                points=form.cleaned_data["points"],
                remark=form.cleaned_data.get("remark", ""),
                needs_evidence=bool(form.cleaned_data.get("needs_evidence")),
                version=_version(request),
            )
        except services.ScorecardError as exc:
            error = exc.message
            stale = isinstance(exc, services.StaleEntry)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if stale:
        # Show the appraisal that won, keep what was typed, with the version now current.
        entry = get_entry_for_user(request.user, entry_id)
        typed = request.POST.copy()
        typed["version"] = str(entry.version)
        form = AppraiseForm(typed, criterion=entry.criterion)
    if request.htmx:
        # Only the row: refusals come back with 200 so htmx swaps the message in.
        line = queries.entry_line(entry, today=timezone.localdate())
        assessment = entry.assessment
        context = _assessment_context(
            request, assessment, queries.AssessmentCard(assessment=assessment, groups=[])
        )
        context.update({"line": line, "row_error": error, "typed": request.POST if error else {}})
        return render(request, "scorecards/assessment.html#row", context)
    if error:
        status = 409 if stale else 400
        return _entry_page(request, entry, appraise_form=form, error=error, status=status)
    messages.success(
        request, _("Đã lưu điểm thẩm định tiêu chí %(code)s.") % {"code": entry.criterion.code}
    )
    fallback = reverse("assessment_entry", args=[entry.public_id])
    return HttpResponseRedirect(_next_url(request, fallback))


@login_required
@require_POST
def entry_explain(request: AppRequest, entry_id: uuid.UUID) -> HttpResponse:
    entry = get_entry_for_user(request.user, entry_id)
    form = ExplainForm(request.POST)
    if not form.is_valid():
        return _entry_page(request, entry, explain_form=form, status=400)
    try:
        services.entry_explain(
            entry=entry,
            user=_user(request),
            text=form.cleaned_data["explanation"],
            version=_version(request),
        )
    except services.ScorecardError as exc:
        return _entry_page(request, entry, explain_form=form, error=exc.message, status=400)
    messages.success(request, _("Đã gửi giải trình."))
    return redirect("assessment_entry", entry.public_id)


# --- exports ---------------------------------------------------------------------------------


def _ranked_card(assessment: Assessment) -> queries.AssessmentCard:
    today = timezone.localdate()
    return queries.rank_of(assessment, today=today) or queries.assessment_card(
        assessment, today=today
    )


@login_required
@require_GET
def assessment_export_xlsx(request: AppRequest, assessment_id: uuid.UUID) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, assessment_id)
    card = queries.assessment_card(assessment, today=timezone.localdate())
    response = HttpResponse(exports.assessment_xlsx(card), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exports.export_name(card, "xlsx")}"'
    return response


@login_required
@require_GET
def assessment_export_docx(request: AppRequest, assessment_id: uuid.UUID) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, assessment_id)
    card = _ranked_card(assessment)
    response = HttpResponse(exports.assessment_docx(card), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exports.export_name(card, "docx")}"'
    return response
