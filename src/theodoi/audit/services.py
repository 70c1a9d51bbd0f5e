"""Writing the audit trail: every service that changes tracked data calls ``audit_record``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from theodoi.plans.models import Target, Task
from theodoi.units.models import Commune

from .models import AuditEntry, RefusalTally


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


def audit_refusal(
    *, actor: User | None, commune: Commune | None, action: str, summary: str, what: str, obj: Any
) -> bool:
    """A refused access: the first of the user's minute goes on the audit trail, the others
    only count (``RefusalTally``). Returns whether an audit entry was written."""
    minute = timezone.now().replace(second=0, microsecond=0)
    key = str(actor.pk) if actor is not None else "anonymous"
    try:
        with transaction.atomic():
            RefusalTally.objects.create(
                actor_key=key, actor=actor, minute=minute, last_what=what[:300]
            )
    except IntegrityError:
        # Not the first this minute (perhaps a simultaneous one won the insert): count it.
        RefusalTally.objects.filter(actor_key=key, minute=minute).update(
            count=F("count") + 1, last_what=what[:300]
        )
        return False
    audit_record(actor=actor, action=action, summary=summary, obj=obj, commune=commune)
    return True
