"""Template helpers for evidence lists: accepted types, size limit, type labels, links."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from theodoi.plans.models import Target, Task
from theodoi.tracking.models import ProgressReport, ReportState, TargetValue

from .. import services, sniff

register = template.Library()

_TYPE_LABELS = {t.sniffed.content_type: t.label for t in sniff.KNOWN_TYPES.values()}


@register.simple_tag
def evidence_accept() -> str:
    """The file input's ``accept`` attribute: the configured types' extensions."""
    return sniff.accept_attribute()


@register.simple_tag
def evidence_allowed() -> str:
    """ "PDF, Word (.docx), Excel (.xlsx), ảnh JPG, ảnh PNG"."""
    return sniff.allowed_labels()


@register.simple_tag
def evidence_max_size() -> str:
    return services.megabytes(settings.THEODOI_EVIDENCE_MAX_BYTES)


@register.simple_tag
def evidence_reference_example() -> str:
    return services.REFERENCE_EXAMPLE


@register.filter
def evidence_type(content_type: str) -> str:
    """A sniffed content type as a reader names it ("PDF", "ảnh PNG")."""
    return str(_TYPE_LABELS.get(content_type, content_type))


@register.filter
def evidence_size(size: int | None) -> str:
    return services.megabytes(size) if size else ""


@register.simple_tag
def evidence_page(task: Task | None = None, target: Target | None = None) -> str:
    """The task's or target's page ("" until those pages exist)."""
    return services.page_url(task=task or None, target=target or None)


@register.simple_tag(takes_context=True)
def evidence_owner(
    context: template.Context, report: object = None, target_value: object = None
) -> dict[str, Any]:
    """What ``_evidence_list.html`` needs to know about the report or value it shows.

    A tag rather than ``{% with %}`` filters: an include may leave either variable out."""
    owner: ProgressReport | TargetValue
    if isinstance(report, ProgressReport):
        owner = report
    elif isinstance(target_value, TargetValue):
        owner = target_value
    else:
        return {}
    plan = owner.task.plan if isinstance(owner, ProgressReport) else owner.target.plan
    request = context.get("request")
    back = context.get("next") or (request.get_full_path() if request is not None else "")
    return {
        "owner": owner,
        "field": "report" if isinstance(owner, ProgressReport) else "target_value",
        "allow_documents": plan.allow_document_evidence,
        "sent": owner.state == ReportState.SENT,
        "back": back,
    }


@register.filter
def evidence_preview(evidence: object) -> str:
    """ "image", "pdf" or "": how the review page shows this evidence in place."""
    content_type = getattr(evidence, "content_type", "")
    if getattr(evidence, "kind", "") != "file" or content_type not in sniff.VIEWABLE_TYPES:
        return ""
    return "pdf" if content_type == "application/pdf" else "image"
