"""What the API answers: explicit dicts built from the models, never the models themselves.

Identifiers are the opaque ``public_id`` UUIDs; decimals are strings ("84.5"), so that no
figure loses a digit on the way; dates are ISO 8601; every coded value comes with its
Vietnamese label.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.urls import reverse

from theodoi.alerts.rules import Warning
from theodoi.evidence.models import Evidence, EvidenceKind
from theodoi.plans.models import AssignmentRole, Plan, Target, Task
from theodoi.tracking.models import Period, ProgressReport, TargetValue, TaskStatus
from theodoi.tracking.status import TargetState, TaskState
from theodoi.units.models import Commune, Unit

Json = dict[str, Any]


def decimal(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return format(value.normalize(), "f")


def iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def uid(obj: Any) -> str | None:
    return str(obj.public_id) if obj is not None else None


def commune_dict(commune: Commune) -> Json:
    return {
        "id": str(commune.public_id),
        "name": commune.name,
        "kind": commune.kind,
        "full_name": str(commune),
        "province": commune.province.name,
    }


def unit_dict(unit: Unit) -> Json:
    return {"id": str(unit.public_id), "name": unit.name}


def plan_dict(plan: Plan) -> Json:
    return {
        "id": str(plan.public_id),
        "commune": commune_dict(plan.commune),
        "title": plan.title,
        "number": plan.number,
        "issued_on": iso(plan.issued_on),
        "issuer": plan.issuer,
        "year": plan.year,
        "status": plan.status,
        "status_label": plan.get_status_display(),
        "cadence": plan.cadence,
        "requires_head_confirmation": plan.requires_head_confirmation,
        "allow_document_evidence": plan.allow_document_evidence,
        "created_at": iso(plan.created_at),
        "activated_at": iso(plan.activated_at),
    }


def period_dict(period: Period) -> Json:
    return {
        "id": str(period.public_id),
        "kind": period.kind,
        "number": period.number,
        "label": period.label,
        "starts_on": iso(period.starts_on),
        "ends_on": iso(period.ends_on),
        "due_on": iso(period.due_on),
    }


def task_state_dict(state: TaskState) -> Json:
    return {
        "status": state.status,
        "status_label": str(TaskStatus(state.status).label),
        "label": state.label,
        "percent": state.percent,
        "completion": state.completion,
        "done": state.done,
        "late": state.late,
        "completed_on": iso(state.completed_on),
    }


def task_dict(task: Task, state: TaskState | None, parent_ids: dict[int, str]) -> Json:
    """``parent_ids`` maps the plan's task ids to their public ids (one query for all)."""
    assignments = list(task.assignments.all())
    return {
        "id": str(task.public_id),
        "plan_id": str(task.plan.public_id),
        "parent_id": parent_ids.get(task.parent_id) if task.parent_id else None,
        "code": task.code,
        "group": task.group,
        "name": task.name,
        "output": task.output,
        "kpi": task.kpi,
        "lead": [unit_dict(a.unit) for a in assignments if a.role == AssignmentRole.LEAD],
        "lead_other": list(task.lead_other),
        "support": [unit_dict(a.unit) for a in assignments if a.role == AssignmentRole.SUPPORT],
        "support_other": list(task.support_other),
        "deadline": {
            "text": task.deadline_text,
            "kind": task.deadline_kind,
            "due": iso(task.due_on),
            "recurrence": task.recurrence or None,
        },
        "missing": list(task.missing),
        "origin": task.origin,
        "version": task.version,
        "state": task_state_dict(state) if state is not None else None,
    }


def target_state_dict(state: TargetState) -> Json:
    return {
        "value": decimal(state.value),
        "met": state.met,
        "accepted_value_id": uid(state.accepted),
        "pending_value_id": uid(state.pending),
    }


def target_dict(target: Target, state: TargetState | None) -> Json:
    return {
        "id": str(target.public_id),
        "plan_id": str(target.plan.public_id),
        "code": target.code,
        "group": target.group,
        "name": target.name,
        "measure_unit": target.measure_unit,
        "kind": target.kind,
        "comparator": target.comparator or None,
        "value": decimal(target.value),
        "value_text": target.value_text,
        "value_kind": target.value_kind,
        "upper_level": {
            "comparator": target.upper_comparator or None,
            "value": decimal(target.upper_value),
            "value_text": target.upper_value_text,
        }
        if target.upper_value is not None or target.upper_value_text
        else None,
        "owners": [unit_dict(u) for u in target.owners.all()],
        "owners_other": list(target.owners_other),
        "state": target_state_dict(state) if state is not None else None,
    }


def evidence_dict(evidence: Evidence) -> Json:
    is_file = evidence.kind == EvidenceKind.FILE
    return {
        "id": str(evidence.public_id),
        "kind": evidence.kind,
        "unit": unit_dict(evidence.unit),
        "report_id": uid(evidence.report),
        "target_value_id": uid(evidence.target_value),
        "original_name": evidence.original_name if is_file else None,
        "size": evidence.size if is_file else None,
        "sha256": evidence.sha256 if is_file else None,
        "content_type": evidence.content_type if is_file else None,
        "document": None
        if is_file
        else {
            "number": evidence.doc_number,
            "date": iso(evidence.doc_date),
            "summary": evidence.doc_summary,
        },
        "label": str(evidence),
        "uploaded_at": iso(evidence.uploaded_at),
        "review": evidence.review,
        "review_label": evidence.get_review_display(),
        "review_note": evidence.review_note,
        "reviewed_at": iso(evidence.reviewed_at),
        "withdrawn": evidence.withdrawn_at is not None,
        "version": evidence.version,
        "withdrawn_at": iso(evidence.withdrawn_at),
        "download_path": reverse("api-v1:evidence_download", args=[evidence.public_id])
        if is_file
        else None,
    }


def report_dict(report: ProgressReport, evidence: list[Evidence] | None = None) -> Json:
    data: Json = {
        "id": str(report.public_id),
        "task_id": str(report.task.public_id),
        "period": period_dict(report.period),
        "unit": unit_dict(report.unit),
        "is_contribution": report.is_contribution,
        "status": report.status,
        "status_label": report.get_status_display(),
        "percent": report.percent,
        "done": report.done,
        "difficulties": report.difficulties,
        "proposals": report.proposals,
        "pause_reason": report.pause_reason,
        "state": report.state,
        "state_label": report.get_state_display(),
        "created_at": iso(report.created_at),
        "updated_at": iso(report.updated_at),
        "sent_at": iso(report.sent_at),
        "version": report.version,
    }
    if evidence is not None:
        data["evidence"] = [evidence_dict(e) for e in evidence]
    return data


def value_dict(tv: TargetValue, evidence: list[Evidence] | None = None) -> Json:
    data: Json = {
        "id": str(tv.public_id),
        "target_id": str(tv.target.public_id),
        "period": period_dict(tv.period),
        "unit": unit_dict(tv.unit),
        "value": decimal(tv.value),
        "numerator": decimal(tv.numerator),
        "denominator": decimal(tv.denominator),
        "achieved_claim": tv.achieved_claim,
        "source": tv.source,
        "note": tv.note,
        "state": tv.state,
        "state_label": tv.get_state_display(),
        "review": tv.review,
        "review_label": tv.get_review_display(),
        "review_note": tv.review_note,
        "reviewed_at": iso(tv.reviewed_at),
        "sent_at": iso(tv.sent_at),
        "version": tv.version,
    }
    if evidence is not None:
        data["evidence"] = [evidence_dict(e) for e in evidence]
    return data


def warning_dict(warning: Warning, units: dict[int, Unit]) -> Json:
    return {
        "key": warning.key,
        "kind": warning.kind,
        "kind_label": warning.kind_label,
        "severity": warning.severity,
        "reason": warning.reason,
        "task_id": uid(warning.task),
        "target_id": uid(warning.target),
        "period_id": uid(warning.period),
        "units": [unit_dict(units[pk]) for pk in warning.unit_ids if pk in units],
    }
