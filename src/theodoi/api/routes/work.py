"""Tasks and their progress reports; targets and their values; the reviews of values.

Writes call the tracking services the UI calls, with the same checks: a unit reports only
on the tasks it leads or supports, a value only for the targets it tracks, the unit head
confirms, the standing office reviews.
"""

from __future__ import annotations

import uuid

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from theodoi.accounts.access import get_commune_for_user
from theodoi.api import serialize
from theodoi.api.auth import request_user
from theodoi.api.fetch import (
    get_period,
    get_report_for_user,
    get_value_for_user,
    owning_unit,
    reporting_unit,
    require_head,
    require_office,
    require_own_unit,
)
from theodoi.api.schemas import ReportIn, ReviewIn, ValueIn, VersionIn
from theodoi.evidence.models import Evidence
from theodoi.tracking import services
from theodoi.tracking.access import (
    get_target_for_user,
    get_task_for_user,
    task_role_of,
    user_units,
)
from theodoi.tracking.models import ProgressReport, ReportState, ReviewStatus, TargetValue
from theodoi.tracking.queries import plan_task_states, target_values, task_reports
from theodoi.tracking.status import target_states

from .common import Json, responds

router = Router()


def _evidence_of(owner: ProgressReport | TargetValue) -> list[Evidence]:
    return list(
        owner.evidence.select_related("unit", "report", "target_value").order_by("uploaded_at")
    )


# --- tasks and progress reports ---------------------------------------------------------------


@router.get(
    "/tasks/{task_id}",
    response=responds(),
    url_name="task",
    tags=["Nhiệm vụ"],
    summary="Một nhiệm vụ (kèm tình trạng)",
)
def task(request: HttpRequest, task_id: uuid.UUID) -> Json:
    user = request_user(request)
    found = get_task_for_user(user, task_id)
    tasks, states = plan_task_states(found.plan, today=timezone.localdate())
    ids = {t.pk: str(t.public_id) for t in tasks}
    mine = task_role_of(found, user_units(user, found.commune))
    is_parent = any(t.parent_id == found.pk for t in tasks)
    return {
        **serialize.task_dict(found, states[found.pk], ids),
        "children": [ids[t.pk] for t in tasks if t.parent_id == found.pk],
        "my_unit": serialize.unit_dict(mine[0]) if mine else None,
        "my_role": mine[1] if mine else None,
        "can_report": mine is not None and not is_parent,
    }


@router.get(
    "/tasks/{task_id}/reports",
    response=responds(),
    url_name="task_reports",
    tags=["Báo cáo tiến độ"],
    summary="Báo cáo tiến độ của một nhiệm vụ",
)
def reports(request: HttpRequest, task_id: uuid.UUID) -> Json:
    """Every unit's reports on the task, newest period first, each with its evidence."""
    found = get_task_for_user(request_user(request), task_id)
    return {
        "items": [
            serialize.report_dict(r, r.evidence_items)  # type: ignore[attr-defined]
            for r in task_reports(found)
        ]
    }


@router.put(
    "/tasks/{task_id}/reports/{period_id}",
    response=responds(),
    url_name="report_save",
    tags=["Báo cáo tiến độ"],
    summary="Lưu nháp báo cáo tiến độ của đơn vị",
)
def report_save(
    request: HttpRequest, task_id: uuid.UUID, period_id: uuid.UUID, payload: ReportIn
) -> Json:
    """Create or update the user's unit's draft report on the task for the period. A report
    already sent cannot be changed (400); a report changed since `version` is refused (409)."""
    user = request_user(request)
    found = get_task_for_user(user, task_id)
    period = get_period(found.plan, period_id)
    unit, _role = reporting_unit(user, found)
    saved = services.report_save(
        task=found,
        period=period,
        unit=unit,
        user=user,
        data=services.ReportInput(
            status=payload.status,
            percent=payload.percent,
            done=payload.done,
            difficulties=payload.difficulties,
            proposals=payload.proposals,
            pause_reason=payload.pause_reason,
        ),
        version=payload.version,
    )
    # A report created by this save (version 1) has no evidence yet: nothing to read.
    return serialize.report_dict(saved, _evidence_of(saved) if saved.version > 1 else [])


@router.get(
    "/reports/{report_id}",
    response=responds(),
    url_name="report",
    tags=["Báo cáo tiến độ"],
    summary="Một báo cáo tiến độ",
)
def report(request: HttpRequest, report_id: uuid.UUID) -> Json:
    found = get_report_for_user(request_user(request), report_id)
    return serialize.report_dict(found, _evidence_of(found))


@router.post(
    "/reports/{report_id}/submit",
    response=responds(),
    url_name="report_submit",
    tags=["Báo cáo tiến độ"],
    summary="Gửi báo cáo",
)
def report_submit(request: HttpRequest, report_id: uuid.UUID, payload: VersionIn) -> Json:
    """Send a draft on: to the unit head when the plan asks for it, else to the standing
    office. A report of completion needs at least one evidence."""
    user = request_user(request)
    found = get_report_for_user(user, report_id)
    require_own_unit(user, found)
    sent = services.report_submit(report=found, user=user, version=payload.version)
    return serialize.report_dict(sent, _evidence_of(sent))


@router.post(
    "/reports/{report_id}/confirm",
    response=responds(),
    url_name="report_confirm",
    tags=["Báo cáo tiến độ"],
    summary="Lãnh đạo đơn vị xác nhận báo cáo",
)
def report_confirm(request: HttpRequest, report_id: uuid.UUID, payload: VersionIn) -> Json:
    user = request_user(request)
    found = get_report_for_user(user, report_id)
    require_head(user, found)
    confirmed = services.report_confirm(report=found, head=user, version=payload.version)
    return serialize.report_dict(confirmed, _evidence_of(confirmed))


@router.post(
    "/reports/{report_id}/return",
    response=responds(),
    url_name="report_return",
    tags=["Báo cáo tiến độ"],
    summary="Lãnh đạo đơn vị trả lại báo cáo",
)
def report_return(request: HttpRequest, report_id: uuid.UUID, payload: VersionIn) -> Json:
    user = request_user(request)
    found = get_report_for_user(user, report_id)
    require_head(user, found)
    returned = services.report_return_to_draft(report=found, head=user, version=payload.version)
    return serialize.report_dict(returned, _evidence_of(returned))


# --- targets and their values ---------------------------------------------------------------


@router.get(
    "/targets/{target_id}",
    response=responds(),
    url_name="target",
    tags=["Chỉ tiêu"],
    summary="Một chỉ tiêu (kèm kết quả và các giá trị)",
)
def target(request: HttpRequest, target_id: uuid.UUID) -> Json:
    user = request_user(request)
    found = get_target_for_user(user, target_id)
    state = target_states([found])[found.pk]
    owners = {u.pk for u in found.owners.all()}
    mine = next((u for u in user_units(user, found.commune) if u.pk in owners), None)
    return {
        **serialize.target_dict(found, state),
        "values": [
            serialize.value_dict(v, v.evidence_items)  # type: ignore[attr-defined]
            for v in target_values(found)
        ],
        "my_unit": serialize.unit_dict(mine) if mine else None,
        "can_report": mine is not None,
    }


@router.put(
    "/targets/{target_id}/values/{period_id}",
    response=responds(),
    url_name="value_save",
    tags=["Chỉ tiêu"],
    summary="Lưu nháp giá trị thực hiện của chỉ tiêu",
)
def value_save(
    request: HttpRequest, target_id: uuid.UUID, period_id: uuid.UUID, payload: ValueIn
) -> Json:
    """The target's actual value for the period, by the user's unit (one that tracks the
    target). A rate may be given as numerator and denominator; the percentage follows."""
    user = request_user(request)
    found = get_target_for_user(user, target_id)
    period = get_period(found.plan, period_id)
    unit = owning_unit(user, found)
    saved = services.target_value_save(
        target=found,
        period=period,
        unit=unit,
        user=user,
        data=services.ValueInput(
            value=payload.value,
            numerator=payload.numerator,
            denominator=payload.denominator,
            achieved_claim=payload.achieved_claim,
            source=payload.source,
            note=payload.note,
        ),
        version=payload.version,
    )
    # A value created by this save (version 1) has no evidence yet: nothing to read.
    return serialize.value_dict(saved, _evidence_of(saved) if saved.version > 1 else [])


@router.get(
    "/target-values/{value_id}",
    response=responds(),
    url_name="value",
    tags=["Chỉ tiêu"],
    summary="Một giá trị thực hiện",
)
def value(request: HttpRequest, value_id: uuid.UUID) -> Json:
    found = get_value_for_user(request_user(request), value_id)
    return serialize.value_dict(found, _evidence_of(found))


@router.post(
    "/target-values/{value_id}/submit",
    response=responds(),
    url_name="value_submit",
    tags=["Chỉ tiêu"],
    summary="Gửi giá trị để thẩm định",
)
def value_submit(request: HttpRequest, value_id: uuid.UUID, payload: VersionIn) -> Json:
    user = request_user(request)
    found = get_value_for_user(user, value_id)
    require_own_unit(user, found)
    sent = services.target_value_submit(target_value=found, user=user, version=payload.version)
    return serialize.value_dict(sent, _evidence_of(sent))


@router.post(
    "/target-values/{value_id}/review",
    response=responds(),
    url_name="value_review",
    tags=["Thẩm định"],
    summary="Thẩm định giá trị chỉ tiêu",
)
def value_review(request: HttpRequest, value_id: uuid.UUID, payload: ReviewIn) -> Json:
    """The standing office accepts a sent value (it then counts) or returns it with a
    reason (`note`)."""
    user = request_user(request)
    found = get_value_for_user(user, value_id)
    require_office(user, found.commune)
    reviewed = services.target_value_review(
        target_value=found,
        reviewer=user,
        decision=payload.decision,
        note=payload.note,
        version=payload.version,
    )
    return serialize.value_dict(reviewed, _evidence_of(reviewed))


@router.get(
    "/communes/{commune_id}/review-queue",
    response=responds(),
    url_name="review_queue",
    tags=["Thẩm định"],
    summary="Hàng chờ thẩm định của cơ quan thường trực",
)
def review_queue(request: HttpRequest, commune_id: uuid.UUID) -> Json:
    """Evidence and target values sent and awaiting the standing office's review (the
    UI's review queue)."""
    user = request_user(request)
    commune = get_commune_for_user(user, commune_id)
    require_office(user, commune)
    pending_evidence = (
        Evidence.objects.pending()
        .filter(commune=commune)
        .filter(Q(report__state=ReportState.SENT) | Q(target_value__state=ReportState.SENT))
        .select_related("unit", "report", "target_value")
        .order_by("uploaded_at")
    )
    values = (
        TargetValue.objects.filter(
            commune=commune, state=ReportState.SENT, review=ReviewStatus.PENDING
        )
        .select_related("target__plan", "period", "unit")
        .order_by("sent_at")
    )
    return {
        "evidence": [serialize.evidence_dict(e) for e in pending_evidence],
        "values": [serialize.value_dict(v) for v in values],
    }
