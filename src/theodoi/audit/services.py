"""Writing the audit trail: every service that changes tracked data calls ``audit_record``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from theodoi.plans.models import Target, Task
from theodoi.units.models import Commune

from .models import AuditEntry


def audit_record(
    *,
    actor: User | None,
    action: str,
    summary: str,
    obj: Any,
    commune: Commune | None,
    task: Task | None = None,
    target: Target | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        summary=summary[:500],
        object_type=type(obj).__name__,
        object_id=str(getattr(obj, "public_id", None) or obj.pk),
        commune=commune,
        task=task,
        target=target,
        before=before,
        after=after,
    )
