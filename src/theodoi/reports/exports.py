"""What leaves the system: the package for the upper-level system (theodoinq.dcs.vn), the
accepted evidence as a ZIP with its manifest, and the plan itself (Plan JSON and XLSX).

The upper-level system has no public API: its report is a tree of headed sections with each
unit's text under each heading, plus KPI rates and evidence, entered by hand. So the package
is that tree as plain text, one block per section, ready to paste.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from theodoi.evidence.models import Evidence, EvidenceKind
from theodoi.plans.models import AssignmentRole, Plan
from theodoi.plans.queries import plan_targets, plan_tasks
from theodoi.tracking.queries import due_phrase
from theodoi.tracking.status import counted_as_of

from .data import PeriodicReport, Remark, TaskRow
from .xlsx import add_table, info_sheet, new_workbook, to_bytes

CHUNK = 64 * 1024


# --- the tree of headed sections -----------------------------------------------------------


@dataclass
class UnitText:
    unit: str
    lines: list[str] = field(default_factory=list)


@dataclass
class Section:
    number: int
    title: str
    units: list[UnitText]

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def text(self) -> str:
        """The section as pasted into the upper-level system: heading, then each unit's name
        and its lines as "- " items."""
        out = [self.heading]
        if not self.units:
            out.append(_("Không có nội dung trong kỳ."))
        for unit in self.units:
            out.append(f"{unit.unit}:")
            out += [f"- {line}" for line in unit.lines]
        return "\n".join(out)


def _by_unit(pairs: Sequence[tuple[str, str]]) -> list[UnitText]:
    units: dict[str, UnitText] = {}
    for unit, line in pairs:
        units.setdefault(unit, UnitText(unit)).lines.append(line)
    return sorted(units.values(), key=lambda u: u.unit)


def _remark_line(remark: Remark) -> str:
    return _("%(text)s (nhiệm vụ %(code)s)") % {"text": remark.text, "code": remark.task_code}


def _task_line(row: TaskRow) -> str:
    return _("%(code)s. %(name)s (%(due)s)") % {
        "code": row.task.code,
        "name": row.task.name,
        "due": due_phrase(row.task),
    }


def upper_sections(report: PeriodicReport) -> list[Section]:
    """ "1. Kết quả nổi bật", "2. Khó khăn, vướng mắc", "3. Nhiệm vụ tiếp theo"."""
    highlights: list[tuple[str, str]] = []
    for row in report.leaves:
        done_on = row.state.completed_on
        if row.state.done and done_on and report.rng.period_start <= done_on <= report.as_of:
            for lead in row.leads or [_("(chưa có đơn vị chủ trì)")]:
                highlights.append(
                    (
                        lead,
                        _("Hoàn thành nhiệm vụ %(code)s. %(name)s")
                        % {"code": row.task.code, "name": row.task.name},
                    )
                )
    highlights += [(r.unit, _remark_line(r)) for r in report.results]
    difficulties = [(r.unit, _remark_line(r)) for r in report.difficulties]
    difficulties += [
        (r.unit, _("Kiến nghị: %(line)s") % {"line": _remark_line(r)}) for r in report.proposals
    ]
    upcoming = [
        (lead, _task_line(row))
        for row in report.next_tasks
        for lead in (row.leads or [_("(chưa có đơn vị chủ trì)")])
    ]
    return [
        Section(1, _("Kết quả nổi bật"), _by_unit(highlights)),
        Section(2, _("Khó khăn, vướng mắc"), _by_unit(difficulties)),
        Section(3, _("Nhiệm vụ tiếp theo"), _by_unit(upcoming)),
    ]


def rates_xlsx(report: PeriodicReport) -> bytes:
    """Each target's and task's rate for the period, as the upper-level system asks for."""
    workbook = new_workbook()
    info_sheet(
        workbook,
        [
            (_("Kế hoạch"), f"{report.plan.number} — {report.plan.title}"),
            (_("Kỳ báo cáo"), report.rng.label),
            (_("Từ ngày"), report.rng.start),
            (_("Đến ngày (chốt số liệu)"), report.as_of),
        ],
    )
    add_table(
        workbook,
        _("Chỉ tiêu"),
        [
            _("Mã"),
            _("Chỉ tiêu"),
            _("Đơn vị tính"),
            _("Chỉ tiêu năm"),
            _("Giá trị chỉ tiêu"),
            _("Kết quả thực hiện"),
            _("Tỷ lệ so với chỉ tiêu (%)"),
            _("Đánh giá"),
        ],
        [
            [
                row.target.code,
                row.target.name,
                row.target.measure_unit,
                row.goal,
                row.target.value,
                row.state.value if row.target.kind != "qualitative" else row.result,
                row.rate,
                row.evaluation,
            ]
            for row in report.targets
        ],
        widths=[8, 60, 12, 16, 12, 14, 14, 16],
    )
    add_table(
        workbook,
        _("Nhiệm vụ"),
        [
            _("Mã"),
            _("Nhiệm vụ"),
            _("Đơn vị chủ trì"),
            _("Thời hạn"),
            _("Tỷ lệ hoàn thành (%)"),
            _("Đánh giá"),
        ],
        [
            [
                row.task.code,
                row.task.name,
                row.lead_text,
                row.task.due_on,
                row.state.percent,
                row.evaluation,
            ]
            for row in report.leaves
        ],
        widths=[10, 60, 30, 12, 12, 16],
    )
    return to_bytes(workbook)


# --- accepted evidence, zipped -----------------------------------------------------------------


def accepted_evidence(report: PeriodicReport) -> list[Evidence]:
    """Accepted evidence files of the plan whose report or value counts at the cut-off."""
    by_report = Q(report__isnull=False) & counted_as_of(report.as_of, "report__")
    by_value = Q(target_value__isnull=False) & counted_as_of(report.as_of, "target_value__")
    return list(
        Evidence.objects.accepted()
        .filter(kind=EvidenceKind.FILE, commune_id=report.plan.commune_id)
        .filter(Q(task__plan=report.plan) | Q(target__plan=report.plan))
        .filter(by_report | by_value)
        .select_related("task", "target", "unit")
        .order_by("task__position", "target__position", "uploaded_at")
    )


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str) -> str:
    """A file name any unzip tool accepts: ASCII, no folders, no leading dots."""
    ascii_name = (
        unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
        .encode("ascii", "ignore")
        .decode()
    )
    cleaned = _UNSAFE.sub("-", ascii_name).strip("-.")
    return cleaned or "tep"


def _zip_name(evidence: Evidence, used: set[str]) -> str:
    code = evidence.task.code if evidence.task else evidence.target.code if evidence.target else ""
    folder = ("nhiem-vu-" if evidence.task else "chi-tieu-") + safe_name(code)
    base = safe_name(evidence.original_name or (evidence.file.name or "").rsplit("/", 1)[-1])
    name = f"{folder}/{base}"
    stem, dot, ext = base.rpartition(".")
    counter = 2
    while name in used:
        name = f"{folder}/{stem or base}-{counter}{dot}{ext if stem else ''}"
        counter += 1
    used.add(name)
    return name


class _Sink:
    """A write-only buffer ``zipfile`` streams into; each chunk is taken as soon as written."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


MANIFEST_HEADERS = [
    "tep",
    "loai",
    "ma",
    "ten_nhiem_vu_chi_tieu",
    "don_vi",
    "sha256",
    "dung_luong_byte",
]


def evidence_zip_stream(
    evidence: Sequence[Evidence], *, on_file: Callable[[int], None] | None = None
) -> Iterator[bytes]:
    """The ZIP, produced while it is written: each file is read from storage in chunks, hashed
    as it goes, and the manifest (``manifest.csv``: file, task or target, SHA-256) comes last,
    so its hashes are those of the bytes actually in the archive. ``on_file(n)`` is told after
    the n-th file (the background job's progress)."""
    sink = _Sink()
    archive = zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED)
    used: set[str] = set()
    manifest: list[list[Any]] = []
    now = timezone.localtime()
    stamp = (now.year, now.month, now.day, now.hour, now.minute, now.second)
    for n, item in enumerate(evidence, start=1):
        if on_file is not None and n > 1:
            on_file(n - 1)
        try:
            handle = default_storage.open(item.file.name or "", "rb")
        except (FileNotFoundError, OSError):
            continue  # a file gone from storage is left out of the archive and the manifest
        name = _zip_name(item, used)
        digest = hashlib.sha256()
        size = 0
        info = zipfile.ZipInfo(name, date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        with handle, archive.open(info, mode="w", force_zip64=True) as target:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
                yield sink.take()
        about = item.task or item.target
        manifest.append(
            [
                name,
                _("nhiệm vụ") if item.task else _("chỉ tiêu"),
                about.code if about else "",
                about.name if about else "",
                item.unit.name,
                digest.hexdigest(),
                size,
            ]
        )
        yield sink.take()
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(MANIFEST_HEADERS)
    writer.writerows(manifest)
    # UTF-8 with a BOM: Excel then shows the Vietnamese names correctly.
    manifest_info = zipfile.ZipInfo("manifest.csv", date_time=stamp)
    manifest_info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(manifest_info, "\ufeff" + text.getvalue())
    archive.close()
    yield sink.take()


# --- the plan itself ---------------------------------------------------------------------------


def _or_none(value: Any) -> Any:
    return value if value not in ("", None) else None


def _number(value: Any) -> Any:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def plan_json(plan: Plan) -> dict[str, Any]:
    """The plan as Plan JSON (``theodoi.plan/1``, docs/contracts/plan-json.md)."""
    commune = plan.commune
    targets = []
    for target in plan_targets(plan):
        upper = None
        if target.upper_value is not None or target.upper_value_text:
            upper = {
                "comparator": _or_none(target.upper_comparator),
                "value": _number(target.upper_value),
                "value_text": _or_none(target.upper_value_text),
            }
        targets.append(
            {
                "code": target.code,
                "group": target.group,
                "name": target.name,
                "measure_unit": _or_none(target.measure_unit),
                "kind": target.kind,
                "comparator": _or_none(target.comparator),
                "value": _number(target.value),
                "value_text": _or_none(target.value_text),
                "upper_level": upper,
                "owner": [u.name for u in target.owners.all()] + list(target.owners_other),
                "line": target.source_line,
            }
        )
    tasks = []
    codes = {t.pk: t.code for t in plan.tasks.only("id", "code")}
    for task in plan_tasks(plan):
        assignments = list(task.assignments.all())
        tasks.append(
            {
                "code": task.code,
                "parent": codes.get(task.parent_id) if task.parent_id else None,
                "group": task.group,
                "name": task.name,
                "output": _or_none(task.output),
                "kpi": _or_none(task.kpi),
                "lead": [a.unit.name for a in assignments if a.role == AssignmentRole.LEAD]
                + list(task.lead_other),
                "support": [a.unit.name for a in assignments if a.role == AssignmentRole.SUPPORT]
                + list(task.support_other),
                "deadline": {
                    "text": _or_none(task.deadline_text),
                    "kind": task.deadline_kind,
                    "due": task.due_on.isoformat() if task.due_on else None,
                    "recurrence": _or_none(task.recurrence),
                },
                "note": _or_none(task.note),
                "missing": list(task.missing),
                "line": task.source_line,
            }
        )
    return {
        "schema": "theodoi.plan/1",
        "plan": {
            "title": plan.title,
            "number": _or_none(plan.number),
            "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
            "place": _or_none(plan.place),
            "issuer": _or_none(plan.issuer),
            "commune": commune.name,
            "commune_kind": commune.kind,
            "province": commune.province.name,
            "year": plan.year,
            "signer": {"name": _or_none(plan.signer_name), "title": _or_none(plan.signer_title)},
            "replaces": list(plan.replaces_numbers),
            "basis": list(plan.basis),
        },
        "targets": targets,
        "tasks": tasks,
        "results": list(plan.previous_results),
        "warnings": [],
    }


def plan_xlsx(plan: Plan) -> bytes:
    """The plan's targets and tasks as two sheets (the same fields as the Plan JSON)."""
    data = plan_json(plan)
    workbook = new_workbook()
    meta = data["plan"]
    info_sheet(
        workbook,
        [
            (_("Tên kế hoạch"), meta["title"]),
            (_("Số, ký hiệu"), meta["number"] or ""),
            (_("Ngày ban hành"), plan.issued_on),
            (_("Cơ quan ban hành"), meta["issuer"] or ""),
            (_("Năm"), plan.year),
        ],
    )
    add_table(
        workbook,
        _("Chỉ tiêu"),
        [
            _("Mã"),
            _("Nhóm"),
            _("Chỉ tiêu"),
            _("Đơn vị tính"),
            _("Loại"),
            _("So sánh"),
            _("Giá trị"),
            _("Chỉ tiêu (theo văn bản)"),
            _("Chỉ tiêu cấp trên"),
            _("Đơn vị theo dõi"),
        ],
        [
            [
                t["code"],
                t["group"],
                t["name"],
                t["measure_unit"],
                t["kind"],
                t["comparator"],
                t["value"],
                t["value_text"],
                (t["upper_level"] or {}).get("value_text") or "",
                "; ".join(t["owner"]),
            ]
            for t in data["targets"]
        ],
        widths=[8, 22, 60, 12, 12, 8, 10, 18, 18, 30],
    )
    due = {t.code: t.due_on for t in plan.tasks.only("code", "due_on")}
    add_table(
        workbook,
        _("Nhiệm vụ"),
        [
            _("Mã"),
            _("Nhiệm vụ cha"),
            _("Nhóm"),
            _("Nhiệm vụ"),
            _("Sản phẩm đầu ra"),
            _("Chủ trì"),
            _("Phối hợp"),
            _("Thời gian thực hiện"),
            _("Hạn hoàn thành"),
        ],
        [
            [
                t["code"],
                t["parent"],
                t["group"],
                t["name"],
                t["output"],
                "; ".join(t["lead"]),
                "; ".join(t["support"]),
                t["deadline"]["text"],
                due.get(t["code"]),
            ]
            for t in data["tasks"]
        ],
        widths=[10, 10, 22, 60, 30, 30, 30, 22, 12],
    )
    return to_bytes(workbook)
