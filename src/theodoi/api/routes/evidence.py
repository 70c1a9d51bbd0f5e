"""Evidence (minh chứng): listed, added (a file or a document reference), downloaded,
reviewed by the standing office, withdrawn by its unit."""

from __future__ import annotations

import uuid

from django.http import FileResponse, HttpRequest
from ninja import File, Router, Status, UploadedFile

from theodoi.api import serialize
from theodoi.api.auth import request_user
from theodoi.api.fetch import (
    get_evidence_for_user,
    get_report_for_user,
    get_value_for_user,
    require_office,
    require_own_unit,
)
from theodoi.api.schemas import DocumentEvidenceIn, ReviewIn
from theodoi.evidence import services
from theodoi.evidence.models import Evidence
from theodoi.evidence.views import stored_file_response
from theodoi.tracking.models import ProgressReport, TargetValue

from .common import Json, responds

router = Router(tags=["Minh chứng"])


def _list(owner: ProgressReport | TargetValue) -> Json:
    items = owner.evidence.select_related("unit", "report", "target_value").order_by("uploaded_at")
    return {"items": [serialize.evidence_dict(e) for e in items]}


def _add_file(
    request: HttpRequest, owner: ProgressReport | TargetValue, file: UploadedFile
) -> Evidence:
    user = request_user(request)
    unit = require_own_unit(user, owner)
    target = {"report": owner} if isinstance(owner, ProgressReport) else {"target_value": owner}
    return services.evidence_add_file(
        **target,
        unit=unit,
        user=user,
        filename=file.name or "",
        fileobj=file,
        size=file.size or 0,
    )


def _add_document(
    request: HttpRequest, owner: ProgressReport | TargetValue, payload: DocumentEvidenceIn
) -> Evidence:
    user = request_user(request)
    unit = require_own_unit(user, owner)
    target = {"report": owner} if isinstance(owner, ProgressReport) else {"target_value": owner}
    return services.evidence_add_document(
        **target,
        unit=unit,
        user=user,
        reference=payload.reference,
    )


@router.get(
    "/reports/{report_id}/evidence",
    response=responds(),
    url_name="report_evidence",
    summary="Minh chứng của một báo cáo",
)
def report_evidence(request: HttpRequest, report_id: uuid.UUID) -> Json:
    return _list(get_report_for_user(request_user(request), report_id))


@router.post(
    "/reports/{report_id}/evidence/file",
    response=responds(201),
    url_name="report_evidence_file",
    summary="Nộp tệp minh chứng cho báo cáo",
)
def report_evidence_file(
    request: HttpRequest, report_id: uuid.UUID, file: File[UploadedFile]
) -> Status[Json]:
    """Multipart upload (`file`). The type is read from the bytes, never from the name: a
    PDF, DOCX, XLSX, JPG or PNG is accepted; anything else (an executable named `.pdf`, say)
    is refused (400)."""
    owner = get_report_for_user(request_user(request), report_id)
    return Status(201, serialize.evidence_dict(_add_file(request, owner, file)))


@router.post(
    "/reports/{report_id}/evidence/document",
    response=responds(201),
    url_name="report_evidence_document",
    summary="Nộp minh chứng là số hiệu văn bản cho báo cáo",
)
def report_evidence_document(
    request: HttpRequest, report_id: uuid.UUID, payload: DocumentEvidenceIn
) -> Status[Json]:
    owner = get_report_for_user(request_user(request), report_id)
    return Status(201, serialize.evidence_dict(_add_document(request, owner, payload)))


@router.get(
    "/target-values/{value_id}/evidence",
    response=responds(),
    url_name="value_evidence",
    summary="Minh chứng của một giá trị chỉ tiêu",
)
def value_evidence(request: HttpRequest, value_id: uuid.UUID) -> Json:
    return _list(get_value_for_user(request_user(request), value_id))


@router.post(
    "/target-values/{value_id}/evidence/file",
    response=responds(201),
    url_name="value_evidence_file",
    summary="Nộp tệp minh chứng cho giá trị chỉ tiêu",
)
def value_evidence_file(
    request: HttpRequest, value_id: uuid.UUID, file: File[UploadedFile]
) -> Status[Json]:
    owner = get_value_for_user(request_user(request), value_id)
    return Status(201, serialize.evidence_dict(_add_file(request, owner, file)))


@router.post(
    "/target-values/{value_id}/evidence/document",
    response=responds(201),
    url_name="value_evidence_document",
    summary="Nộp minh chứng là số hiệu văn bản cho giá trị chỉ tiêu",
)
def value_evidence_document(
    request: HttpRequest, value_id: uuid.UUID, payload: DocumentEvidenceIn
) -> Status[Json]:
    owner = get_value_for_user(request_user(request), value_id)
    return Status(201, serialize.evidence_dict(_add_document(request, owner, payload)))


@router.get(
    "/evidence/{evidence_id}", response=responds(), url_name="evidence", summary="Một minh chứng"
)
def evidence(request: HttpRequest, evidence_id: uuid.UUID) -> Json:
    return serialize.evidence_dict(get_evidence_for_user(request_user(request), evidence_id))


@router.get(
    "/evidence/{evidence_id}/download",
    response=responds(),
    url_name="evidence_download",
    summary="Tải tệp minh chứng",
    openapi_extra={
        "responses": {
            200: {
                "description": "Tệp minh chứng (tải về, không hiển thị trong trình duyệt).",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def evidence_download(request: HttpRequest, evidence_id: uuid.UUID) -> FileResponse:
    """The file, to anyone who may read its commune, with the same headers as the UI's
    download (attachment, no sniffing, sandboxed)."""
    return stored_file_response(get_evidence_for_user(request_user(request), evidence_id))


@router.post(
    "/evidence/{evidence_id}/review",
    response=responds(),
    url_name="evidence_review",
    tags=["Thẩm định"],
    summary="Thẩm định minh chứng (đạt / không đạt)",
)
def evidence_review(request: HttpRequest, evidence_id: uuid.UUID, payload: ReviewIn) -> Json:
    """The standing office accepts the evidence, or rejects it with a reason (`note`); the
    unit is notified. A rejected completion counts as not completed."""
    user = request_user(request)
    found = get_evidence_for_user(user, evidence_id)
    require_office(user, found.commune)
    reviewed = services.evidence_review(
        evidence=found,
        reviewer=user,
        decision=payload.decision,
        note=payload.note,
        version=payload.version,
    )
    return serialize.evidence_dict(reviewed)


@router.post(
    "/evidence/{evidence_id}/withdraw",
    response=responds(),
    url_name="evidence_withdraw",
    summary="Rút minh chứng",
)
def evidence_withdraw(request: HttpRequest, evidence_id: uuid.UUID) -> Json:
    """The unit takes back evidence not yet accepted; the file stays on record."""
    user = request_user(request)
    found = get_evidence_for_user(user, evidence_id)
    require_own_unit(user, found)
    return serialize.evidence_dict(services.evidence_withdraw(evidence=found, user=user))
