"""Ten months of a plan's life for the demo: reports, evidence accepted and rejected, values.

Everything goes through the same services users call; only the timestamps are moved back
afterwards (``_backdate``) so the history reads as if it happened month by month.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from theodoi.evidence.models import Evidence
from theodoi.evidence.services import evidence_add_file, evidence_review
from theodoi.plans.models import AssignmentRole, Plan, Target, Task
from theodoi.tracking.models import Period, ProgressReport, ReviewStatus, TargetValue, TaskStatus
from theodoi.tracking.periods import periods_ensure
from theodoi.tracking.services import (
    ReportInput,
    ValueInput,
    report_save,
    report_submit,
    target_value_review,
    target_value_save,
    target_value_submit,
)
from theodoi.tracking.status import meets
from theodoi.units.models import Unit


def pdf_bytes(title: str) -> bytes:
    """A small, valid one-page PDF saying what it proves (ASCII only: no embedded font)."""
    text = title.encode("ascii", "replace").decode().replace("(", "[").replace(")", "]")
    stream = f"BT /F1 14 Tf 60 760 Td ({text[:90]}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def jpeg_bytes(title: str) -> bytes:
    """A small photo-like JPEG (a sky, a building, a caption): evidence as a phone sends it."""
    from PIL import Image, ImageDraw  # Pillow comes with pillow-heif

    image = Image.new("RGB", (640, 420), (135, 190, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 300, 640, 420), fill=(96, 160, 80))
    draw.rectangle((170, 140, 470, 320), fill=(235, 225, 200), outline=(120, 90, 60), width=4)
    draw.polygon([(150, 145), (320, 60), (490, 145)], fill=(180, 60, 50))
    for x in (200, 290, 380):
        draw.rectangle((x, 190, x + 60, 250), fill=(70, 110, 160))
    draw.rectangle((0, 380, 640, 420), fill=(30, 30, 30))
    draw.text((12, 392), title.encode("ascii", "replace").decode()[:80], fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


@dataclass
class Cast:
    office: User
    heads: dict[int, User]  # unit id -> a head of that unit (reports go straight to the office)


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _backdate(
    queryset: QuerySet[ProgressReport] | QuerySet[TargetValue], when: dt.datetime
) -> None:
    queryset.update(sent_at=when)


def _attach(report: ProgressReport | TargetValue, user: User, title: str) -> Evidence:
    data = pdf_bytes(title)
    kwargs = {"report": report} if isinstance(report, ProgressReport) else {"target_value": report}
    return evidence_add_file(
        **kwargs, unit=report.unit, user=user, filename=f"{title}.pdf", fileobj=io.BytesIO(data),
        size=len(data),
    )  # fmt: skip


def _review(evidence: Evidence, office: User, accept: bool, when: dt.datetime) -> None:
    evidence_review(
        evidence=evidence,
        reviewer=office,
        decision=ReviewStatus.ACCEPTED if accept else ReviewStatus.REJECTED,
        note="" if accept else "Văn bản chưa có chữ ký, đóng dấu; đề nghị bổ sung bản đã ký.",
        version=evidence.version,
    )
    Evidence.objects.filter(pk=evidence.pk).update(reviewed_at=when)


# How each leaf task behaves over the year; chosen per task so every warning kind appears.
PROFILES = ["steady", "steady", "late", "rejected", "replaced", "silent", "pending", "steady"]


def plan_activity_load(*, plan: Plan, cast: Cast, today: dt.date, seed: int) -> None:
    """Reports month by month up to the last closed period, and target values by quarter."""
    rng = random.Random(seed)
    periods = [p for p in periods_ensure(plan=plan) if p.due_on < today]
    leaves = [t for t in plan.tasks.prefetch_related("assignments") if not t.children.exists()]
    for index, task in enumerate(leaves):
        lead = next((a.unit for a in task.assignments.all() if a.role == AssignmentRole.LEAD), None)
        if lead is None or lead.pk not in cast.heads:
            continue
        profile = PROFILES[(index + seed) % len(PROFILES)]
        _task_activity(task, lead, cast, periods, profile, rng)
    for target in plan.targets.prefetch_related("owners"):
        _target_activity(target, cast, periods, rng)


def _task_activity(
    task: Task, unit: Unit, cast: Cast, periods: list[Period], profile: str, rng: random.Random
) -> None:
    head = cast.heads[unit.pk]
    due_month = task.due_on.month if task.due_on and task.deadline_kind == "date" else 13
    for number, period in enumerate(periods, start=1):
        if profile == "silent" and number > 6:
            return  # nobody reports any more: "report missing" and stale
        if rng.random() < 0.08:
            continue  # a month forgotten now and then
        finishing = profile != "late" and number >= due_month
        percent = min(95, int(100 * number / max(due_month, 1)) + rng.randint(-5, 5))
        if profile == "late":
            percent = min(60, number * 6)
        status = TaskStatus.COMPLETED if finishing else TaskStatus.IN_PROGRESS
        report = report_save(
            task=task, period=period, unit=unit, user=head,
            data=ReportInput(
                status=status,
                percent=100 if finishing else max(percent, 5),
                done=f"Đã triển khai các nội dung của {period.label.lower()}.",
                difficulties="Kinh phí còn hạn chế." if rng.random() < 0.3 else "",
                proposals="Đề nghị bổ sung thiết bị." if rng.random() < 0.2 else "",
            ),
        )  # fmt: skip
        # Progress reports come in after the month closes; a completion is reported when done.
        sent = _at(
            period.ends_on - dt.timedelta(days=rng.randint(1, 10))
            if finishing
            else period.ends_on + dt.timedelta(days=rng.randint(0, 7))
        )
        if finishing:
            evidence = _attach(report, head, f"Bao cao hoan thanh {task.code}")
        report = report_submit(report=report, user=head, version=report.version)
        _backdate(ProgressReport.objects.filter(pk=report.pk), sent)
        if finishing:
            _finish(report, evidence, cast.office, head, profile, sent)
            return


def _finish(
    report: ProgressReport,
    evidence: Evidence,
    office: User,
    head: User,
    profile: str,
    sent: dt.datetime,
) -> None:
    reviewed = sent + dt.timedelta(days=3)
    if profile == "pending":
        return  # waiting in the standing office's review queue
    if profile in ("rejected", "replaced"):
        _review(evidence, office, accept=False, when=reviewed)
        if profile == "rejected":
            return
        again = _attach(report, head, f"Van ban da ky {report.task.code}")
        _review(again, office, accept=True, when=reviewed + dt.timedelta(days=5))
        return
    _review(evidence, office, accept=True, when=reviewed)


def _target_activity(target: Target, cast: Cast, periods: list[Period], rng: random.Random) -> None:
    owner = next((u for u in target.owners.all() if u.pk in cast.heads), None)
    if owner is None or target.value is None or target.kind != "quantitative":
        return
    head = cast.heads[owner.pk]
    goal = target.value
    quarters = [p for p in periods if p.number % 3 == 0]
    for step, period in enumerate(quarters, start=1):
        # Values climb towards the goal through the year; some quarters fall short.
        factor = Decimal("0.8") + Decimal("0.08") * step + Decimal(rng.randint(-6, 4)) / 100
        value = (goal * factor).quantize(Decimal("0.1"))
        if target.measure_unit == "%":
            value = min(value, Decimal(100))
        tv = target_value_save(
            target=target, period=period, unit=owner, user=head,
            data=ValueInput(value=value, source="Số liệu của đơn vị"),
        )  # fmt: skip
        if meets(target, value):
            evidence = _attach(tv, head, f"So lieu chi tieu {target.code}")
            tv = target_value_submit(target_value=tv, user=head, version=tv.version)
            _review(evidence, cast.office, accept=rng.random() > 0.15, when=_at(period.due_on))
            accepted = Evidence.objects.get(pk=evidence.pk).review == ReviewStatus.ACCEPTED
        else:
            tv = target_value_submit(target_value=tv, user=head, version=tv.version)
            accepted = True
        _backdate(TargetValue.objects.filter(pk=tv.pk), _at(period.ends_on + dt.timedelta(days=3)))
        tv.refresh_from_db()
        target_value_review(
            target_value=tv,
            reviewer=cast.office,
            decision=ReviewStatus.ACCEPTED if accepted else ReviewStatus.REJECTED,
            note="" if accepted else "Số liệu chưa khớp với hệ thống; đề nghị kiểm tra lại.",
            version=tv.version,
        )
