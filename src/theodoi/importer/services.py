"""The import flow: upload → preview and corrections → a tracked plan.

Each function is one user action; each runs in a transaction and leaves nothing behind
when it fails.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from theodoi.evidence.models import Evidence
from theodoi.importer.core import deadlines, fiveclear, values
from theodoi.importer.core.clean import fold
from theodoi.importer.core.parse import parse_bytes
from theodoi.importer.core.sandbox import Progress, parse_limited
from theodoi.importer.core.units import UnitMatcher
from theodoi.jobs.models import Job
from theodoi.jobs.services import job_start
from theodoi.lib.inputs import is_ascii_int
from theodoi.plans.indicators import indicators_match
from theodoi.plans.models import Plan
from theodoi.plans.services import UnitResolver, plan_create_from_json, plans_replaced_by
from theodoi.tracking.models import ProgressReport, TargetValue
from theodoi.units.models import Commune, Unit
from theodoi.units.services import unit_alias_remember, unit_aliases_of

from .models import ImportStatus, PlanImport

READ_PLAN = "plan_import_read"


class ImportEditError(Exception):
    """An edit the preview refuses; ``message`` is shown to the user in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StaleImportEdit(ImportEditError):
    """Someone else saved the preview since this screen was loaded."""


class ConfirmationNeeded(ImportEditError):
    """Confirming would do something the office may not expect: ``checks`` says what, and
    the confirmation must be given again with ``acknowledged``."""

    def __init__(self, checks: list[str]) -> None:
        super().__init__(" ".join(checks))
        self.checks = checks


# What the office may correct in the preview, per section.
PLAN_FIELDS = (
    "title", "number", "issued_on", "place", "issuer", "year", "signer_name", "signer_title",
)  # fmt: skip
TARGET_FIELDS = ("code", "group", "name", "measure_unit", "value_text", "upper_value_text", "owner")
TASK_FIELDS = ("code", "group", "name", "output", "kpi", "lead", "support", "deadline", "note")


def matcher_for(commune: Commune) -> UnitMatcher:
    return UnitMatcher(commune_kind=commune.kind, aliases=unit_aliases_of(commune))


def plan_import_start(
    *,
    commune: Commune,
    user: User | None,
    filename: str,
    data: bytes,
    progress: Progress | None = None,
    bounded: bool = False,
) -> PlanImport:
    """Read an uploaded plan and keep it for preview.

    ``bounded``: read in a child process with a memory and time limit (``core.sandbox``), as
    the background reading does. Raises ``ImportFileError`` (nothing saved) when the file
    cannot be read.
    """
    # Read before the transaction: a scan takes minutes, and holds no row meanwhile.
    if bounded:
        plan_json = parse_limited(data, filename, progress=progress)
    else:
        plan_json = parse_bytes(data, filename)
    with transaction.atomic():
        return _plan_import_keep(
            commune=commune, user=user, filename=filename, data=data, plan_json=plan_json
        )


def _plan_import_keep(
    *, commune: Commune, user: User | None, filename: str, data: bytes, plan_json: dict[str, Any]
) -> PlanImport:
    _apply_matcher(plan_json, matcher_for(commune))
    plan_import = PlanImport(
        commune=commune,
        uploaded_by=user,
        source_name=filename[:255],
        source_sha256=hashlib.sha256(data).hexdigest(),
        plan_json=plan_json,
    )
    plan_import.source.save(_safe_name(filename), ContentFile(data), save=False)
    plan_import.save()
    return plan_import


def reads_in_background(data: bytes) -> bool:
    """A PDF may be a scan that takes seconds a page to read: it is read by a job."""
    return data.find(b"%PDF-", 0, 1024) >= 0


def plan_import_read_later(
    *, commune: Commune, user: User | None, filename: str, data: bytes
) -> Job:
    """Keep the upload and read it in the background (``job_kinds.READ_PLAN``), with a
    progress bar; a failure keeps the file and says why in Vietnamese."""
    path = default_storage.save(
        f"plan-uploads/{commune.code}/{uuid.uuid4()}/{_safe_name(filename)}", ContentFile(data)
    )
    return job_start(
        kind=READ_PLAN,
        owner=user,
        commune=commune,
        params={"path": path, "filename": filename[:255]},
    )


def _safe_name(filename: str) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return name[-120:] or "ke-hoach"


def _apply_matcher(plan_json: dict[str, Any], matcher: UnitMatcher) -> None:
    """Re-read unit names with the commune's own aliases (the parser ran without them)."""
    for task in plan_json.get("tasks", []):
        task["lead"] = _rematch(task.get("lead") or [], matcher)
        task["support"] = _rematch(task.get("support") or [], matcher)
    for target in plan_json.get("targets", []):
        target["owner"] = _rematch(target.get("owner") or [], matcher)


def _rematch(names: list[str], matcher: UnitMatcher) -> list[str]:
    result: list[str] = []
    for name in names:
        canonical = matcher.match(name) or name
        if canonical not in result:
            result.append(canonical)
    return result


def _check_version(plan_import: PlanImport, version: int) -> None:
    if plan_import.status != ImportStatus.PREVIEW:
        raise ImportEditError(_("Bản xem trước này đã được xác nhận hoặc hủy, không sửa được nữa."))
    if plan_import.version != version:
        raise StaleImportEdit(
            _(
                "Bản xem trước vừa được người khác sửa. Nội dung bạn nhập vẫn còn dưới đây: "
                "hãy tải lại trang, đối chiếu rồi lưu lại."
            )
        )


def _locked(plan_import: PlanImport) -> PlanImport:
    return PlanImport.objects.select_for_update().get(pk=plan_import.pk)


@transaction.atomic
def plan_import_edit(
    *,
    plan_import: PlanImport,
    section: str,
    index: int,
    changes: Mapping[str, str],
    version: int,
) -> PlanImport:
    """Correct cells of one row of the preview; derived fields (value, deadline, 5 rõ) follow.

    ``changes`` maps a field to the text the office typed; fields whose text is unchanged
    are left alone, so a row saved as a whole does not re-derive what nobody touched.
    """
    plan_import = _locked(plan_import)
    _check_version(plan_import, version)
    data = copy.deepcopy(plan_import.plan_json)
    matcher = matcher_for(plan_import.commune)
    if section == "plan":
        current = plan_cells(data["plan"])
        for field, value in changes.items():
            if field in PLAN_FIELDS and value.strip() != current.get(field, ""):
                _edit_plan(data, field, value.strip())
    elif section == "targets":
        row = _row(data, "targets", index)
        current = target_cells(row)
        for field, value in changes.items():
            if field in TARGET_FIELDS and value.strip() != current.get(field, ""):
                _edit_target(row, field, value.strip(), matcher)
    elif section == "tasks":
        year = int(data["plan"].get("year") or 0) or timezone.localdate().year
        row = _row(data, "tasks", index)
        current = task_cells(row)
        for field, value in changes.items():
            if field in TASK_FIELDS and value.strip() != current.get(field, ""):
                _edit_task(row, field, value.strip(), year, matcher)
        row["missing"] = fiveclear.missing_clear(row)
    else:
        raise ImportEditError(_("Ô này không sửa được."))
    plan_import.plan_json = data
    plan_import.version += 1
    plan_import.save(update_fields=["plan_json", "version", "updated_at"])
    return plan_import


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def plan_cells(meta: Mapping[str, Any]) -> dict[str, str]:
    """The plan's metadata as the texts the preview shows and the office edits."""
    signer = meta.get("signer") or {}
    issued = meta.get("issued_on")
    return {
        "title": _text(meta.get("title")),
        "number": _text(meta.get("number")),
        "issued_on": dt.date.fromisoformat(issued).strftime("%d/%m/%Y") if issued else "",
        "place": _text(meta.get("place")),
        "issuer": _text(meta.get("issuer")),
        "year": _text(meta.get("year")),
        "signer_name": _text(signer.get("name")),
        "signer_title": _text(signer.get("title")),
    }


def target_cells(row: Mapping[str, Any]) -> dict[str, str]:
    upper = row.get("upper_level") or {}
    return {
        "code": _text(row.get("code")),
        "group": _text(row.get("group")),
        "name": _text(row.get("name")),
        "measure_unit": _text(row.get("measure_unit")),
        "value_text": _text(row.get("value_text")),
        "upper_value_text": _text(upper.get("value_text")),
        "owner": "; ".join(row.get("owner") or []),
    }


def task_cells(row: Mapping[str, Any]) -> dict[str, str]:
    deadline = row.get("deadline") or {}
    return {
        "code": _text(row.get("code")),
        "group": _text(row.get("group")),
        "name": _text(row.get("name")),
        "output": _text(row.get("output")),
        "kpi": _text(row.get("kpi")),
        "lead": "; ".join(row.get("lead") or []),
        "support": "; ".join(row.get("support") or []),
        "deadline": _text(deadline.get("text")),
        "note": _text(row.get("note")),
    }


def _row(data: dict[str, Any], section: str, index: int) -> dict[str, Any]:
    rows = data.get(section) or []
    if not 0 <= index < len(rows):
        raise ImportEditError(_("Dòng này không còn trong bản xem trước; hãy tải lại trang."))
    row: dict[str, Any] = rows[index]
    return row


def _edit_plan(data: dict[str, Any], field: str, value: str) -> None:
    meta = data["plan"]
    if field in ("signer_name", "signer_title"):
        signer = meta.get("signer") or {}
        signer["name" if field == "signer_name" else "title"] = value or None
        meta["signer"] = signer
    elif field == "year":
        if not (is_ascii_int(value) and 2000 <= int(value) <= 2100):
            raise ImportEditError(_("Năm kế hoạch phải là một năm, ví dụ 2026."))
        meta["year"] = int(value)
    elif field == "issued_on":
        meta["issued_on"] = _parse_date(value)
    else:
        meta[field] = value or None


def _parse_date(value: str) -> str | None:
    if not value:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    raise ImportEditError(
        _("Ngày không hợp lệ: hãy viết theo dạng ngày/tháng/năm, ví dụ 27/03/2026.")
    )


def _names(value: str, matcher: UnitMatcher) -> list[str]:
    names: list[str] = []
    for part in value.replace("\n", ";").split(";"):
        if part.strip():
            names += [n for n in matcher.split(part) if n not in names]
    return names


def _edit_target(row: dict[str, Any], field: str, value: str, matcher: UnitMatcher) -> None:
    if field == "owner":
        row["owner"] = _names(value, matcher)
    elif field == "value_text":
        parsed = values.parse_value(value, row.get("measure_unit")) if value else None
        if parsed is None:
            row.update(kind="qualitative", comparator=None, value=None, value_text=None)
        else:
            row.update({k: parsed[k] for k in ("kind", "comparator", "value", "value_text")})
            row["measure_unit"] = parsed.get("measure_unit") or row.get("measure_unit")
    elif field == "upper_value_text":
        if not value:
            row["upper_level"] = None
        else:
            parsed = values.parse_value(value, row.get("measure_unit"))
            row["upper_level"] = {
                "comparator": parsed["comparator"],
                "value": parsed["value"],
                "value_text": parsed["value_text"],
            }
    else:
        if field in ("code", "name") and not value:
            raise ImportEditError(_("Mã và tên chỉ tiêu không được để trống."))
        row[field] = value or None


def _edit_task(
    row: dict[str, Any], field: str, value: str, year: int, matcher: UnitMatcher
) -> None:
    if field in ("lead", "support"):
        row[field] = _names(value, matcher)
    elif field == "deadline":
        row["deadline"] = deadlines.parse_deadline(value or None, year)
    else:
        if field == "code" and not value:
            raise ImportEditError(_("Mã nhiệm vụ không được để trống."))
        row[field] = value or None


@transaction.atomic
def plan_import_delete_row(
    *, plan_import: PlanImport, section: str, index: int, version: int
) -> PlanImport:
    """Drop a row the parser took by mistake (a heading read as a task, say)."""
    plan_import = _locked(plan_import)
    _check_version(plan_import, version)
    if section not in ("targets", "tasks"):
        raise ImportEditError(_("Chỉ xóa được dòng chỉ tiêu hoặc nhiệm vụ."))
    data = copy.deepcopy(plan_import.plan_json)
    removed = _row(data, section, index)
    del data[section][index]
    if section == "tasks":
        # Children of a removed task move up a level rather than vanish.
        for task in data["tasks"]:
            if task.get("parent") == removed.get("code"):
                task["parent"] = removed.get("parent")
    plan_import.plan_json = data
    plan_import.version += 1
    plan_import.save(update_fields=["plan_json", "version", "updated_at"])
    return plan_import


@dataclass(frozen=True)
class UnknownUnit:
    spelling: str
    uses: int


def _resolver(plan_import: PlanImport) -> UnitResolver:
    units = {str(u.public_id): u for u in Unit.objects.of_commune(plan_import.commune)}
    decisions: dict[str, Unit | None] = {
        spelling: units.get(unit_id) for spelling, unit_id in plan_import.unit_decisions.items()
    }
    return UnitResolver.for_commune(plan_import.commune, decisions)


def plan_import_unknown_units(plan_import: PlanImport) -> list[UnknownUnit]:
    """Names the plan uses that are neither a unit of the commune nor a generic phrase,
    and that the office has not yet decided about."""
    resolver = _resolver(plan_import)
    counts: dict[str, int] = {}
    data = plan_import.plan_json
    names = [
        name
        for task in data.get("tasks", [])
        for name in (task.get("lead") or []) + (task.get("support") or [])
    ]
    names += [name for target in data.get("targets", []) for name in target.get("owner") or []]
    for name in names:
        if resolver.is_decided(name) or resolver.resolve(name) is not None:
            continue
        if resolver.matcher.is_known(name):
            continue  # a generic phrase ("Các cơ quan, đơn vị"), kept as written
        counts[name] = counts.get(name, 0) + 1
    return [UnknownUnit(spelling, uses) for spelling, uses in counts.items()]


@transaction.atomic
def plan_import_map_unit(
    *, plan_import: PlanImport, spelling: str, unit: Unit | None, version: int
) -> PlanImport:
    """Decide what an unrecognised name means: one of the commune's units (remembered as an
    alias for later imports), or — ``unit`` None — words kept as written."""
    plan_import = _locked(plan_import)
    _check_version(plan_import, version)
    if unit is not None:
        if unit.commune_id != plan_import.commune_id:
            raise ImportEditError(_("Đơn vị được chọn không thuộc xã/phường này."))
        unit_alias_remember(commune=plan_import.commune, spelling=spelling, unit=unit)
    decisions = dict(plan_import.unit_decisions)
    decisions[spelling] = str(unit.public_id) if unit else ""
    plan_import.unit_decisions = decisions
    plan_import.version += 1
    plan_import.save(update_fields=["unit_decisions", "version", "updated_at"])
    return plan_import


def plan_import_checks(plan_import: PlanImport, *, lock: bool = False) -> list[str]:
    """What confirming would do that the office should see first, one Vietnamese sentence
    each: the document names another commune, it has no number or date, or it replaces an
    active plan that already holds reports."""
    commune = plan_import.commune
    meta = plan_import.plan_json.get("plan") or {}
    checks: list[str] = []
    named = str(meta.get("commune") or "").strip()
    issuer = str(meta.get("issuer") or "").strip()
    here = fold(commune.name)
    if named and fold(named) != here:
        checks.append(
            _(
                "Văn bản là kế hoạch của %(named)s nhưng sẽ được nhập vào %(commune)s: các "
                "nhiệm vụ sẽ giao cho đơn vị của %(commune)s."
            )
            % {"named": named, "commune": commune}
        )
    elif issuer and here not in fold(issuer) and not named:
        checks.append(
            _(
                "Cơ quan ban hành (%(issuer)s) không phải của %(commune)s: kế hoạch vẫn được "
                "nhập vào %(commune)s."
            )
            % {"issuer": issuer, "commune": commune}
        )
    if not str(meta.get("number") or "").strip():
        checks.append(_("Văn bản chưa có số, ký hiệu: kế hoạch được tạo không có số văn bản."))
    if not meta.get("issued_on"):
        checks.append(_("Văn bản chưa có ngày ban hành: kế hoạch được tạo không có ngày ban hành."))
    replaced = plans_replaced_by(
        commune=commune,
        year=meta.get("year"),
        replaces_numbers=[str(n) for n in meta.get("replaces") or []],
        lock=lock,
    )
    for old in replaced:
        reports = (
            ProgressReport.objects.filter(task__plan=old).count()
            + TargetValue.objects.filter(target__plan=old).count()
        )
        evidence = Evidence.objects.filter(Q(task__plan=old) | Q(target__plan=old)).count()
        if reports or evidence:
            checks.append(
                _(
                    'Kế hoạch %(old)s đang thực hiện sẽ chuyển sang "Đã được thay thế": '
                    "%(reports)d báo cáo và %(evidence)d minh chứng đã nộp vẫn ở lại với kế "
                    "hoạch cũ (xem được, không chuyển sang kế hoạch mới); các đơn vị sẽ báo "
                    "cáo theo kế hoạch mới."
                )
                % {"old": old.number or old.title, "reports": reports, "evidence": evidence}
            )
    return checks


@transaction.atomic
def plan_import_confirm(
    *, plan_import: PlanImport, user: User | None, version: int, acknowledged: bool = False
) -> Plan:
    """Create the tracked plan from the corrected preview and put it in force.

    Raises ``ConfirmationNeeded`` (nothing changed) when ``plan_import_checks`` finds
    something and the office has not ``acknowledged`` it."""
    plan_import = _locked(plan_import)
    _check_version(plan_import, version)
    checks = plan_import_checks(plan_import, lock=True)
    if checks and not acknowledged:
        raise ConfirmationNeeded(checks)
    unknown = plan_import_unknown_units(plan_import)
    if unknown:
        raise ImportEditError(
            _("Còn %(n)d tên đơn vị chưa xác định. Hãy chọn đơn vị tương ứng cho từng tên.")
            % {"n": len(unknown)}
        )
    plan = plan_create_from_json(
        commune=plan_import.commune,
        plan_json=plan_import.plan_json,
        resolver=_resolver(plan_import),
        created_by=user,
        source_name=plan_import.source_name,
        source_sha256=plan_import.source_sha256,
    )
    # Link the plan's targets to the province's catalogue so communes can be compared;
    # the office can correct a link in the admin, and a hand-set link is never overwritten.
    indicators_match(plan=plan)
    plan_import.status = ImportStatus.CONFIRMED
    plan_import.plan = plan
    plan_import.version += 1
    plan_import.save(update_fields=["status", "plan", "version", "updated_at"])
    return plan


def plan_imports_unconfirmed(commune: Commune) -> list[PlanImport]:
    """Previews of ``commune`` nobody confirmed or discarded yet, newest first."""
    return list(
        PlanImport.objects.filter(commune=commune, status=ImportStatus.PREVIEW)
        .select_related("uploaded_by")
        .order_by("-updated_at")
    )


@transaction.atomic
def plan_import_discard(*, plan_import: PlanImport, version: int) -> PlanImport:
    plan_import = _locked(plan_import)
    _check_version(plan_import, version)
    plan_import.status = ImportStatus.DISCARDED
    plan_import.version += 1
    plan_import.save(update_fields=["status", "version", "updated_at"])
    return plan_import
