"""Reports and exports: the periodic report (page, DOCX, XLSX, PDF), the year-end evaluation,
the upper-level package, the plan as JSON / XLSX, and the province office's report."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header, urlencode
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from theodoi.dashboards.province import get_province_for_user, plan_years
from theodoi.jobs.services import job_start
from theodoi.jobs.views import job_response
from theodoi.lib.http import AppRequest
from theodoi.plans.models import Plan

from . import exports
from .access import get_plan_for_reports
from .data import PeriodicReport, build_report, figures
from .docx import report_docx as render_docx
from .docx import summary_of
from .job_kinds import EVIDENCE_ZIP_JOB, PROVINCE_DOCX_JOB, PROVINCE_XLSX_JOB
from .pdf import PdfUnavailable, pdf_available, report_pdf_start
from .ranges import (
    KIND_CHOICES,
    NUMBERS,
    ReportRange,
    default_kind,
    latest_closed,
    number_choices,
    plan_range,
)
from .xlsx import report_xlsx as render_xlsx
from .yearend import year_end_docx, year_end_report

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


R = TypeVar("R", bound=HttpResponseBase)


def in_vietnamese(view: Callable[..., R]) -> Callable[..., R]:
    """Documents sent to state bodies are Vietnamese by law, whatever the reader's language."""

    @functools.wraps(view)
    def wrapper(request: AppRequest, *args: Any, **kwargs: Any) -> R:
        with translation.override("vi"):
            return view(request, *args, **kwargs)

    return wrapper


def _attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def range_of(request: AppRequest, plan: Plan, today: dt.date) -> ReportRange:
    """The report asked for (``?kind=month&number=3``); by default the latest closed one of
    the plan's usual kind. A kind or number that does not exist falls back the same way."""
    kind = request.GET.get("kind", "")
    if kind not in NUMBERS:
        kind = default_kind(plan)
    try:
        number = int(request.GET.get("number", ""))
    except ValueError:
        number = 0
    if number not in NUMBERS[kind]:
        return latest_closed(plan, kind, today)
    return plan_range(plan, kind, number)


def _report(request: AppRequest, plan_id: uuid.UUID) -> tuple[Plan, PeriodicReport]:
    plan = get_plan_for_reports(request.user, plan_id)
    today = timezone.localdate()
    return plan, build_report(plan, range_of(request, plan, today), today=today)


def _file_stem(report: PeriodicReport) -> str:
    return f"bao-cao-{slugify(report.rng.label)}"


def _query(rng: ReportRange) -> str:
    return "?" + urlencode({"kind": rng.kind, "number": str(rng.number)})


@login_required
@require_GET
def report_page(request: AppRequest, plan_id: uuid.UUID) -> HttpResponse:
    plan, report = _report(request, plan_id)
    context: dict[str, Any] = {
        "plan": plan,
        "report": report,
        "rng": report.rng,
        "summary": summary_of(report),
        "figures": figures(report),
        "kinds": [(k, str(label)) for k, label in KIND_CHOICES],
        "numbers": number_choices(report.rng.kind, plan.year),
        "query": _query(report.rng),
        "pdf_available": pdf_available(),
    }
    template = "reports/report_page.html"
    if request.htmx:
        template += "#report"
    return render(request, template, context)


@login_required
@require_GET
@in_vietnamese
def report_docx(request: AppRequest, plan_id: uuid.UUID) -> HttpResponse:
    _plan, report = _report(request, plan_id)
    return _attachment(render_docx(report), f"{_file_stem(report)}.docx", DOCX)


@login_required
@require_GET
@in_vietnamese
def report_xlsx(request: AppRequest, plan_id: uuid.UUID) -> HttpResponse:
    _plan, report = _report(request, plan_id)
    return _attachment(render_xlsx(report), f"{_file_stem(report)}.xlsx", XLSX)


@login_required
@require_GET
@in_vietnamese
def report_pdf(request: AppRequest, plan_id: uuid.UUID) -> HttpResponseBase:
    plan, report = _report(request, plan_id)
    if not pdf_available():
        messages.warning(request, PdfUnavailable.missing().message)
        return HttpResponseRedirect(
            reverse("report_page", args=[plan.public_id]) + _query(report.rng)
        )
    # LibreOffice takes seconds: the conversion is a job, shared by identical DOCX bytes.
    assert isinstance(request.user, User)  # login_required
    file_name = f"{_file_stem(report)}.pdf"
    job = report_pdf_start(
        owner=request.user, commune=plan.commune, docx=render_docx(report), file_name=file_name
    )
    return job_response(request, job, file_name=file_name)


@login_required
@require_GET
@in_vietnamese
def report_year_end_docx(request: AppRequest, plan_id: uuid.UUID) -> HttpResponse:
    plan = get_plan_for_reports(request.user, plan_id)
    report = year_end_report(plan, today=timezone.localdate())
    return _attachment(year_end_docx(report), f"danh-gia-nam-{plan.year}.docx", DOCX)


# --- the upper-level package ---------------------------------------------------------------------


@login_required
@require_GET
def report_upper(request: AppRequest, plan_id: uuid.UUID) -> HttpResponse:
    plan, report = _report(request, plan_id)
    return render(
        request,
        "reports/upper_package.html",
        {
            "plan": plan,
            "report": report,
            "rng": report.rng,
            "sections": exports.upper_sections(report),
            "kinds": [(k, str(label)) for k, label in KIND_CHOICES],
            "numbers": number_choices(report.rng.kind, plan.year),
            "query": _query(report.rng),
            "evidence_count": len(exports.accepted_evidence(report)),
        },
    )


@login_required
@require_GET
@in_vietnamese
def report_upper_rates(request: AppRequest, plan_id: uuid.UUID) -> HttpResponse:
    _plan, report = _report(request, plan_id)
    return _attachment(exports.rates_xlsx(report), f"ty-le-{slugify(report.rng.label)}.xlsx", XLSX)


@login_required
@require_GET
@in_vietnamese
def report_evidence_zip(request: AppRequest, plan_id: uuid.UUID) -> HttpResponseBase:
    plan, report = _report(request, plan_id)
    evidence = exports.accepted_evidence(report)
    file_name = f"minh-chung-{slugify(report.rng.label)}.zip"
    # Built by the worker (files are read from storage, maybe remote); the same files with the
    # same hashes make the same archive, so it is built once.
    content = hashlib.sha256("\n".join(f"{e.pk}:{e.sha256}" for e in evidence).encode())
    assert isinstance(request.user, User)  # login_required
    job = job_start(
        kind=EVIDENCE_ZIP_JOB,
        owner=request.user,
        commune=plan.commune,
        params={"evidence": [e.pk for e in evidence], "file_name": file_name},
        dedupe_key=f"sha256:{content.hexdigest()}",
    )
    return job_response(request, job, file_name=file_name)


# --- the plan itself -----------------------------------------------------------------------------


def _plan_stem(plan: Plan) -> str:
    return f"ke-hoach-{exports.safe_name(plan.number or str(plan.year)).lower()}"


@login_required
@require_GET
def plan_export_json(request: AppRequest, plan_id: uuid.UUID) -> HttpResponse:
    plan = get_plan_for_reports(request.user, plan_id)
    data = json.dumps(exports.plan_json(plan), ensure_ascii=False, indent=2).encode()
    return _attachment(data, f"{_plan_stem(plan)}.json", "application/json; charset=utf-8")


@login_required
@require_GET
@in_vietnamese
def plan_export_xlsx(request: AppRequest, plan_id: uuid.UUID) -> HttpResponse:
    plan = get_plan_for_reports(request.user, plan_id)
    return _attachment(exports.plan_xlsx(plan), f"{_plan_stem(plan)}.xlsx", XLSX)


# --- the province office's report ----------------------------------------------------------------


def _province_export(request: AppRequest, code: str, *, kind: str, stem: str) -> HttpResponseBase:
    """A province-wide file, built by the worker (every commune's figures: seconds)."""
    province = get_province_for_user(request.user, code)
    today = timezone.localdate()
    years = plan_years(province)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = today.year if today.year in years or not years else years[0]
    assert isinstance(request.user, User)  # login_required
    file_name = f"{stem}-{year}.{'docx' if kind == PROVINCE_DOCX_JOB else 'xlsx'}"
    job = job_start(
        kind=kind,
        owner=request.user,
        commune=None,
        params={"province": province.code, "year": year, "file_name": file_name},
    )
    return job_response(request, job, file_name=file_name)


@login_required
@require_GET
@in_vietnamese
def province_report_docx(request: AppRequest, code: str) -> HttpResponseBase:
    return _province_export(request, code, kind=PROVINCE_DOCX_JOB, stem="bao-cao-cac-xa-phuong")


@login_required
@require_GET
@in_vietnamese
def province_report_xlsx(request: AppRequest, code: str) -> HttpResponseBase:
    return _province_export(request, code, kind=PROVINCE_XLSX_JOB, stem="xep-hang-xa-phuong")
