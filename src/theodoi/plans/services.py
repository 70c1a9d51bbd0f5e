"""Creating a tracked plan from Plan JSON, and replacing the plan it supersedes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from theodoi.audit.services import audit_record
from theodoi.importer.core.units import UnitMatcher
from theodoi.units.models import Commune, Unit

from .models import (
    AssignmentRole,
    Plan,
    PlanStatus,
    Target,
    Task,
    TaskAssignment,
)


@dataclass
class UnitResolver:
    """Turns the names a plan uses into the commune's units.

    A name resolves through, in order: what the office chose in the preview (``decisions``:
    a spelling → a unit, or None to keep the words as written), the commune's units and
    remembered aliases, and the importer's table of usual spellings.
    """

    units_by_name: dict[str, Unit]
    aliases: dict[str, Unit]
    matcher: UnitMatcher
    decisions: Mapping[str, Unit | None] = field(default_factory=dict)

    @classmethod
    def for_commune(
        cls, commune: Commune, decisions: Mapping[str, Unit | None] | None = None
    ) -> UnitResolver:
        units = {u.name.casefold(): u for u in Unit.objects.of_commune(commune)}
        alias_rows = list(commune.unit_aliases.select_related("unit"))
        aliases = {a.spelling.casefold(): a.unit for a in alias_rows}
        matcher = UnitMatcher(
            commune_kind=commune.kind, aliases={a.spelling: a.unit.name for a in alias_rows}
        )
        decided = {k.strip().casefold(): v for k, v in (decisions or {}).items()}
        return cls(units, aliases, matcher, decided)

    def resolve(self, name: str) -> Unit | None:
        key = name.strip().casefold()
        if key in self.decisions:
            return self.decisions[key]
        unit = self.units_by_name.get(key) or self.aliases.get(key)
        if unit is None:
            canonical = self.matcher.match(name)
            unit = self.units_by_name.get(canonical.casefold()) if canonical else None
        return unit

    def is_decided(self, name: str) -> bool:
        return name.strip().casefold() in self.decisions

    def split(self, names: Iterable[str]) -> tuple[list[Unit], list[str]]:
        units: list[Unit] = []
        others: list[str] = []
        for name in names:
            unit = self.resolve(name)
            if unit is None:
                others.append(name)
            elif unit not in units:
                units.append(unit)
        return units, others


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value))


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@transaction.atomic
def plan_create_from_json(
    *,
    commune: Commune,
    plan_json: Mapping[str, Any],
    resolver: UnitResolver,
    created_by: User | None,
    source_name: str = "",
    source_sha256: str = "",
    activate: bool = True,
) -> Plan:
    """Save a Plan JSON document as a tracked plan of ``commune``, in one transaction."""
    meta = plan_json["plan"]
    signer = meta.get("signer") or {}
    plan = Plan.objects.create(
        commune=commune,
        title=meta.get("title") or "",
        number=meta.get("number") or "",
        issued_on=_date(meta.get("issued_on")),
        place=meta.get("place") or "",
        issuer=meta.get("issuer") or "",
        year=int(meta.get("year") or timezone.localdate().year),
        signer_name=signer.get("name") or "",
        signer_title=signer.get("title") or "",
        basis=list(meta.get("basis") or []),
        replaces_numbers=list(meta.get("replaces") or []),
        previous_results=list(plan_json.get("results") or []),
        source_name=source_name,
        source_sha256=source_sha256,
        created_by=created_by,
    )
    _create_targets(plan, plan_json.get("targets") or [], resolver)
    _create_tasks(plan, plan_json.get("tasks") or [], resolver)
    if activate:
        plan_activate(plan=plan)
    return plan


def _create_targets(plan: Plan, targets: list[Mapping[str, Any]], resolver: UnitResolver) -> None:
    for position, item in enumerate(targets):
        upper = item.get("upper_level") or {}
        owners, owners_other = resolver.split(item.get("owner") or [])
        target = Target.objects.create(
            plan=plan,
            commune=plan.commune,
            code=item.get("code") or f"T{position + 1}",
            group=item.get("group") or "",
            name=item.get("name") or "",
            measure_unit=item.get("measure_unit") or "",
            kind=item.get("kind") or "qualitative",
            comparator=item.get("comparator") or "",
            value=_decimal(item.get("value")),
            value_text=item.get("value_text") or "",
            upper_comparator=upper.get("comparator") or "",
            upper_value=_decimal(upper.get("value")),
            upper_value_text=upper.get("value_text") or "",
            owners_other=owners_other,
            position=position,
            source_line=item.get("line"),
        )
        target.owners.set(owners)


def _create_tasks(plan: Plan, tasks: list[Mapping[str, Any]], resolver: UnitResolver) -> None:
    by_code: dict[str, Task] = {}
    assignments: list[TaskAssignment] = []
    # The contract lists a parent before its children, so one pass links them.
    for position, item in enumerate(tasks):
        deadline = item.get("deadline") or {}
        leads, lead_other = resolver.split(item.get("lead") or [])
        supports, support_other = resolver.split(item.get("support") or [])
        code = item.get("code") or f"NV{position + 1}"
        task = Task.objects.create(
            plan=plan,
            commune=plan.commune,
            parent=by_code.get(item.get("parent") or ""),
            code=code,
            group=item.get("group") or "",
            name=item.get("name") or "",
            output=item.get("output") or "",
            kpi=item.get("kpi") or "",
            lead_other=lead_other,
            support_other=support_other,
            deadline_text=deadline.get("text") or "",
            deadline_kind=deadline.get("kind") or "unspecified",
            due_on=_date(deadline.get("due")),
            recurrence=deadline.get("recurrence") or "",
            note=item.get("note") or "",
            missing=list(item.get("missing") or []),
            position=position,
            source_line=item.get("line"),
        )
        by_code[code] = task
        assignments += [
            TaskAssignment(task=task, unit=unit, role=AssignmentRole.LEAD, position=i)
            for i, unit in enumerate(leads)
        ]
        assignments += [
            TaskAssignment(task=task, unit=unit, role=AssignmentRole.SUPPORT, position=i)
            for i, unit in enumerate(supports)
            if unit not in leads
        ]
    TaskAssignment.objects.bulk_create(assignments)


def plans_replaced_by(
    *,
    commune: Commune,
    year: int | None,
    replaces_numbers: Iterable[str],
    exclude: Plan | None = None,
    lock: bool = True,
) -> list[Plan]:
    """The active plans a plan of ``year`` naming ``replaces_numbers`` puts out of force: the
    commune's active plan of the same year, and any active plan whose number it names.
    ``lock`` (inside a transaction) holds them until the caller's writes are done."""
    numbers = {n.strip().casefold() for n in replaces_numbers}
    candidates = Plan.objects.filter(commune=commune, status=PlanStatus.ACTIVE)
    if lock:
        candidates = candidates.select_for_update()
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    return [
        old
        for old in candidates.order_by("pk")
        if old.year == year or (old.number and old.number.strip().casefold() in numbers)
    ]


@transaction.atomic
def plan_activate(*, plan: Plan) -> list[Plan]:
    """Put ``plan`` in force; the active plans it replaces (``plans_replaced_by``) become
    ``replaced``. Replaced plans stay readable. Returns the plans it replaced."""
    replaced = plans_replaced_by(
        commune=plan.commune,
        year=plan.year,
        replaces_numbers=plan.replaces_numbers,
        exclude=plan,
    )
    for old in replaced:
        old.status = PlanStatus.REPLACED
        old.save(update_fields=["status"])
    plan.replaces.add(*replaced)
    plan.status = PlanStatus.ACTIVE
    plan.activated_at = timezone.now()
    plan.save(update_fields=["status", "activated_at"])
    # Imported here: tracking builds on plans, so plans' module may not import it at the top.
    from theodoi.summaries.services import summary_plan_changed
    from theodoi.tracking.periods import periods_ensure

    periods_ensure(plan=plan)
    summary_plan_changed(plan)
    return replaced


class PlanReactivateError(Exception):
    """A reactivation refused; ``message`` is one Vietnamese sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@transaction.atomic
def plan_reactivate(*, plan: Plan, user: User | None, reason: str) -> list[Plan]:
    """Put a replaced plan back in force (an import replaced it by mistake); the plan in force
    in its place becomes replaced. The reason is kept in the audit trail."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    reason = reason.strip()
    if plan.status != PlanStatus.REPLACED:
        raise PlanReactivateError(_("Chỉ kế hoạch đã được thay thế mới khôi phục lại được."))
    if not reason:
        raise PlanReactivateError(
            _("Hãy ghi lý do khôi phục kế hoạch: lý do được lưu vào lịch sử thay đổi.")
        )
    # Only the plans in force in its place: the numbers it once named stay replaced.
    in_force = plans_replaced_by(
        commune=plan.commune, year=plan.year, replaces_numbers=(), exclude=plan
    )
    for other in in_force:
        other.status = PlanStatus.REPLACED
        other.save(update_fields=["status"])
    plan.status = PlanStatus.ACTIVE
    plan.activated_at = timezone.now()
    plan.save(update_fields=["status", "activated_at"])
    from theodoi.summaries.services import summary_plan_changed  # summaries build on plans

    summary_plan_changed(plan)
    audit_record(
        actor=user,
        action="plan.reactivate",
        summary=_("Khôi phục kế hoạch %(plan)s: %(reason)s")
        % {"plan": plan.number or plan.title, "reason": reason},
        obj=plan,
        commune=plan.commune,
        before={"status": PlanStatus.REPLACED, "in_force": [p.number or p.title for p in in_force]},
        after={"status": PlanStatus.ACTIVE, "reason": reason},
    )
    return in_force
