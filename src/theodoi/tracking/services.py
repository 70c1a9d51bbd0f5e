"""Writes of the tracking loop: reports, target values, reviews, directions, task changes.

Each service is one user action, runs in a transaction, checks the rule it owns, writes an
audit entry, and refuses a save made from an outdated screen (``version``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from theodoi.accounts import policy
from theodoi.alerts import notices
from theodoi.audit.services import audit_record
from theodoi.lib.locks import lock_row
from theodoi.plans.models import AssignmentRole, Plan, Target, Task, TaskAssignment
from theodoi.summaries.services import (
    summary_report_sent,
    summary_task_changed,
    summary_value_changed,
)
from theodoi.units.models import Unit

from .models import (
    Direction,
    Period,
    ProgressReport,
    ReportState,
    ReportSubmission,
    ReviewStatus,
    TargetValue,
    TaskStatus,
)


class TrackingError(Exception):
    """A refused action; ``message`` is one Vietnamese sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StaleEdit(TrackingError):
    """Someone saved this since the screen was loaded: nothing was overwritten."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Nội dung này vừa được người khác cập nhật. Những gì bạn nhập vẫn còn trên màn "
                "hình: hãy xem bản mới nhất, đối chiếu rồi lưu lại."
            )
        )


class VersionMissing(StaleEdit):
    """A change to an existing row that names no version: refused rather than overwriting."""

    def __init__(self) -> None:
        TrackingError.__init__(
            self,
            _(
                "Yêu cầu không ghi phiên bản (version) đã đọc nên không được lưu, để không ghi "
                "đè thay đổi của người khác: hãy đọc bản mới nhất rồi gửi kèm phiên bản của nó."
            ),
        )


def check_version(current: int, seen: int | None) -> None:
    """Every change names the version it was made from; any other is refused, unsaved."""
    if seen is None:
        raise VersionMissing()
    if seen != current:
        raise StaleEdit()


# --- progress reports ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReportInput:
    status: str
    percent: int
    done: str = ""
    difficulties: str = ""
    proposals: str = ""
    pause_reason: str = ""


def _assignment_role(task: Task, unit: Unit) -> str | None:
    if "assignments" in getattr(task, "_prefetched_objects_cache", {}):
        # Fetched with the task (``get_task_for_user``): no query.
        roles = sorted(a.role for a in task.assignments.all() if a.unit_id == unit.pk)
        return roles[0] if roles else None  # "lead" sorts before "support"
    return (
        TaskAssignment.objects.filter(task=task, unit=unit)
        .order_by("role")  # "lead" sorts before "support"
        .values_list("role", flat=True)
        .first()
    )


def _owns(target: Target, unit: Unit) -> bool:
    if "owners" in getattr(target, "_prefetched_objects_cache", {}):
        # Fetched with the target (``get_target_for_user``): no query.
        return any(owner.pk == unit.pk for owner in target.owners.all())
    return target.owners.filter(pk=unit.pk).exists()


def _validate_report(data: ReportInput) -> None:
    if data.status not in TaskStatus.values:
        raise TrackingError(_("Tình trạng không hợp lệ."))
    if not 0 <= data.percent <= 100:
        raise TrackingError(_("Tỷ lệ hoàn thành phải từ 0 đến 100%."))
    if data.status == TaskStatus.COMPLETED and data.percent != 100:
        raise TrackingError(_("Nhiệm vụ hoàn thành thì tỷ lệ hoàn thành phải là 100%."))
    if data.status == TaskStatus.PAUSED and not data.pause_reason.strip():
        raise TrackingError(_("Hãy ghi lý do tạm dừng."))


def _report_snapshot(report: ProgressReport) -> dict[str, Any]:
    return {
        "status": report.status,
        "percent": report.percent,
        "done": report.done,
        "difficulties": report.difficulties,
        "proposals": report.proposals,
        "pause_reason": report.pause_reason,
        "state": report.state,
    }


@transaction.atomic
def report_save(
    *,
    task: Task,
    period: Period,
    unit: Unit,
    user: User,
    data: ReportInput,
    version: int | None = None,
) -> ProgressReport:
    """Create or update ``unit``'s draft report on ``task`` for ``period``. An update names
    the version it was made from (``version``); a first save names none, or 0."""
    role = _assignment_role(task, unit)
    if role is None:
        raise TrackingError(_("Đơn vị của bạn không chủ trì hay phối hợp nhiệm vụ này."))
    if period.plan_id != task.plan_id:
        raise TrackingError(_("Kỳ báo cáo không thuộc kế hoạch của nhiệm vụ này."))
    if task.is_parent():
        raise TrackingError(
            _("Nhiệm vụ chung được tổng hợp từ các nhiệm vụ con; hãy báo cáo từng nhiệm vụ con.")
        )
    _validate_report(data)
    # Lock the task first: with no report yet there is no row to lock, and two first saves
    # would both insert (one ending on the unique constraint). Now the second waits, finds
    # the first one's report and is refused as stale.
    # NO KEY UPDATE: rows that only point at the task (audit entries, evidence) still insert.
    lock_row(Task, task.pk, no_key=True)
    report = (
        ProgressReport.objects.select_for_update()
        .filter(task=task, period=period, unit=unit)
        .first()
    )
    before = None
    if report is None:
        report = ProgressReport(
            commune_id=task.commune_id,
            task=task,
            period=period,
            unit=unit,
            is_contribution=role == AssignmentRole.SUPPORT,
            created_by=user,
        )
    else:
        # The objects in hand, so that building a response reads none of them again.
        report.task, report.period, report.unit = task, period, unit
        check_version(report.version, version)
        if report.state != ReportState.DRAFT:
            raise TrackingError(
                _("Báo cáo đã gửi thì không sửa được; hãy bổ sung minh chứng hoặc báo cáo kỳ sau.")
            )
        before = _report_snapshot(report)
        report.version += 1
    for field, value in asdict(data).items():
        setattr(report, field, value.strip() if isinstance(value, str) else value)
    report.save()
    audit_record(
        actor=user,
        action="report.save",
        summary=_("Cập nhật báo cáo %(period)s của %(unit)s")
        % {"period": period.label, "unit": unit.name},
        obj=report,
        commune=task.commune,
        task=task,
        before=before,
        after=_report_snapshot(report),
    )
    return report


@transaction.atomic
def report_submit(*, report: ProgressReport, user: User, version: int | None) -> ProgressReport:
    """Send a draft on: to the unit head, or straight to the standing office.

    A report of completion needs at least one evidence (file or document reference)."""
    report = (
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("task__plan")
        .get(pk=report.pk)
    )
    check_version(report.version, version)
    if report.state != ReportState.DRAFT:
        raise TrackingError(_("Báo cáo này đã được gửi."))
    if report.status == TaskStatus.COMPLETED and not report.evidence.current().exists():
        raise TrackingError(
            _("Báo cáo hoàn thành cần ít nhất một minh chứng (tệp hoặc văn bản). Hãy bổ sung.")
        )
    plan: Plan = report.task.plan
    from theodoi.tracking.access import headed_units

    by_head = report.unit in headed_units(user, report.task.commune)
    if plan.requires_head_confirmation and not by_head:
        report.state = ReportState.AWAITING_HEAD
    else:
        report.state = ReportState.SENT
        report.sent_at = timezone.now()
        report.confirmed_by = user if by_head else None
    report.version += 1
    report.save()
    summary_report_sent(report)
    audit_record(
        actor=user,
        action="report.submit",
        summary=_("Gửi báo cáo %(period)s: %(state)s")
        % {"period": report.period.label, "state": report.get_state_display()},
        obj=report,
        commune=report.task.commune,
        task=report.task,
        after=_report_snapshot(report),
    )
    notices.report_sent(report)  # the head, or the office, is told it waits for them
    return report


def _head_decision(
    *, report: ProgressReport, head: User, version: int | None, confirm: bool
) -> ProgressReport:
    """The unit head answers for a report awaiting them: send it on, or return it."""
    from theodoi.tracking.access import headed_units

    report = (
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("task")
        .get(pk=report.pk)
    )
    check_version(report.version, version)
    if report.unit not in headed_units(head, report.task.commune):
        raise TrackingError(_("Chỉ lãnh đạo đơn vị mới xác nhận hoặc trả lại báo cáo của đơn vị."))
    if confirm and policy.own_work(head, report):
        raise TrackingError(str(policy.OWN_WORK_MESSAGES[policy.Action.CONFIRM_REPORT]))
    if report.state != ReportState.AWAITING_HEAD:
        raise TrackingError(_("Báo cáo này không chờ xác nhận."))
    if confirm:
        report.state = ReportState.SENT
        report.sent_at = timezone.now()
        report.confirmed_by = head
        summary = _("Lãnh đạo đơn vị xác nhận báo cáo %(period)s")
    else:
        report.state = ReportState.DRAFT
        summary = _("Lãnh đạo đơn vị trả lại báo cáo %(period)s")
    report.version += 1
    report.save()
    summary_report_sent(report)
    audit_record(
        actor=head,
        action="report.confirm" if confirm else "report.return",
        summary=summary % {"period": report.period.label},
        obj=report,
        commune=report.task.commune,
        task=report.task,
    )
    notices.report_sent(report)  # confirmed: the office is told of its evidence
    return report


@transaction.atomic
def report_confirm(*, report: ProgressReport, head: User, version: int | None) -> ProgressReport:
    """The unit head answers for the report and sends it to the standing office."""
    return _head_decision(report=report, head=head, version=version, confirm=True)


@transaction.atomic
def report_return_to_draft(
    *, report: ProgressReport, head: User, version: int | None
) -> ProgressReport:
    """The unit head sends a report back to its author instead of confirming it."""
    return _head_decision(report=report, head=head, version=version, confirm=False)


# --- target values ------------------------------------------------------------------------


@dataclass(frozen=True)
class ValueInput:
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    achieved_claim: bool | None = None
    source: str = ""
    note: str = ""


def _value_snapshot(tv: TargetValue) -> dict[str, Any]:
    return {
        "value": str(tv.value) if tv.value is not None else None,
        "numerator": str(tv.numerator) if tv.numerator is not None else None,
        "denominator": str(tv.denominator) if tv.denominator is not None else None,
        "achieved_claim": tv.achieved_claim,
        "source": tv.source,
        "state": tv.state,
        "review": tv.review,
    }


@transaction.atomic
def target_value_save(
    *,
    target: Target,
    period: Period,
    unit: Unit,
    user: User,
    data: ValueInput,
    version: int | None = None,
) -> TargetValue:
    """Record the target's actual value for a period (draft until sent)."""
    if not _owns(target, unit):
        raise TrackingError(_("Đơn vị của bạn không theo dõi chỉ tiêu này."))
    value = data.value
    if data.denominator is not None:
        if data.numerator is None or data.denominator <= 0:
            raise TrackingError(_("Tử số và mẫu số phải cùng có, mẫu số lớn hơn 0."))
        # A rate given as "1.245 / 1.482 hồ sơ" is stored with its parts and its percentage.
        value = (data.numerator / data.denominator * 100).quantize(Decimal("0.01"))
    if target.kind != "qualitative" and value is None:
        raise TrackingError(_("Hãy nhập giá trị thực hiện (hoặc tử số và mẫu số)."))
    # As for reports: the target's lock makes two first saves queue up (see report_save).
    lock_row(Target, target.pk, no_key=True)
    tv = (
        TargetValue.objects.select_for_update()
        .filter(target=target, period=period, unit=unit)
        .first()
    )
    before = None
    if tv is None:
        tv = TargetValue(
            commune_id=target.commune_id, target=target, period=period, unit=unit, created_by=user
        )
    else:
        # The objects in hand, so that building a response reads none of them again.
        tv.target, tv.period, tv.unit = target, period, unit
        check_version(tv.version, version)
        if tv.state != ReportState.DRAFT and tv.review != ReviewStatus.REJECTED:
            raise TrackingError(
                _("Giá trị này đã gửi và đang chờ thẩm định hoặc đã được chấp nhận.")
            )
        before = _value_snapshot(tv)
        tv.version += 1
    tv.value = value
    tv.numerator = data.numerator
    tv.denominator = data.denominator
    tv.achieved_claim = data.achieved_claim
    tv.source = data.source.strip()
    tv.note = data.note.strip()
    # A corrected value starts a new review.
    tv.state = ReportState.DRAFT
    tv.review = ReviewStatus.PENDING
    tv.save()
    audit_record(
        actor=user,
        action="target_value.save",
        summary=_("Cập nhật giá trị chỉ tiêu %(code)s, %(period)s")
        % {"code": target.code, "period": period.label},
        obj=tv,
        commune=target.commune,
        target=target,
        before=before,
        after=_value_snapshot(tv),
    )
    return tv


@transaction.atomic
def target_value_submit(
    *, target_value: TargetValue, user: User, version: int | None
) -> TargetValue:
    """Send a value to the standing office. A value that meets its target needs evidence."""
    from .status import meets

    tv = (
        TargetValue.objects.select_for_update(of=("self",))
        .select_related("target")
        .get(pk=target_value.pk)
    )
    check_version(tv.version, version)
    if tv.state == ReportState.SENT:
        raise TrackingError(_("Giá trị này đã được gửi."))
    if meets(tv.target, tv.value, tv.achieved_claim) and not tv.evidence.current().exists():
        raise TrackingError(
            _("Giá trị đạt chỉ tiêu cần ít nhất một minh chứng (tệp hoặc văn bản). Hãy bổ sung.")
        )
    tv.state = ReportState.SENT
    tv.sent_at = timezone.now()
    tv.version += 1
    tv.save()
    summary_value_changed(tv)
    audit_record(
        actor=user,
        action="target_value.submit",
        summary=_("Gửi giá trị chỉ tiêu %(code)s") % {"code": tv.target.code},
        obj=tv,
        commune=tv.target.commune,
        target=tv.target,
        after=_value_snapshot(tv),
    )
    notices.value_sent(tv)  # the office is told it waits for review
    return tv


@transaction.atomic
def target_value_review(
    *, target_value: TargetValue, reviewer: User, decision: str, note: str, version: int | None
) -> TargetValue:
    """The standing office accepts a value (it then counts) or returns it with a reason."""
    from .status import meets

    tv = (
        TargetValue.objects.select_for_update(of=("self",))
        .select_related("target")
        .get(pk=target_value.pk)
    )
    refused = policy.refusal(reviewer, policy.Action.REVIEW_VALUE, tv)
    if refused:
        raise TrackingError(refused)
    if decision not in (ReviewStatus.ACCEPTED, ReviewStatus.REJECTED):
        raise TrackingError(_("Hãy chọn Đạt hoặc Không đạt."))
    if decision == ReviewStatus.REJECTED and not note.strip():
        raise TrackingError(_("Hãy ghi lý do không đạt để đơn vị bổ sung."))
    check_version(tv.version, version)
    if tv.state != ReportState.SENT:
        raise TrackingError(_("Chỉ thẩm định được giá trị đã gửi."))
    if (
        decision == ReviewStatus.ACCEPTED
        and meets(tv.target, tv.value, tv.achieved_claim)
        and not tv.evidence.accepted().exists()
    ):
        raise TrackingError(
            _("Giá trị đạt chỉ tiêu chỉ được chấp nhận khi có ít nhất một minh chứng đạt.")
        )
    before = _value_snapshot(tv)
    tv.review = decision
    tv.review_note = note.strip()
    tv.reviewed_by = reviewer
    tv.reviewed_at = timezone.now()
    if decision == ReviewStatus.REJECTED:
        tv.state = ReportState.DRAFT  # back to the unit for correction
    tv.version += 1
    tv.save()
    summary_value_changed(tv)
    audit_record(
        actor=reviewer,
        action="target_value.review",
        summary=_("Thẩm định giá trị chỉ tiêu %(code)s: %(d)s")
        % {"code": tv.target.code, "d": tv.get_review_display()},
        obj=tv,
        commune=tv.target.commune,
        target=tv.target,
        before=before,
        after=_value_snapshot(tv),
    )
    return tv


# --- directions ---------------------------------------------------------------------------


@transaction.atomic
def direction_add(*, task: Task, author: User, text: str) -> Direction:
    if not policy.may(author, policy.Action.GIVE_DIRECTION, task):
        raise TrackingError(_("Chỉ lãnh đạo, Ban Chỉ đạo mới cho ý kiến chỉ đạo."))
    if not text.strip():
        raise TrackingError(_("Hãy nhập nội dung ý kiến chỉ đạo."))
    direction = Direction.objects.create(
        commune_id=task.commune_id, task=task, author=author, text=text.strip()
    )
    audit_record(
        actor=author,
        action="direction.add",
        summary=_("Ý kiến chỉ đạo: %(text)s") % {"text": direction.text[:200]},
        obj=direction,
        commune=task.commune,
        task=task,
    )
    notices.direction_added(direction)  # the lead unit is told to acknowledge it
    return direction


@transaction.atomic
def direction_acknowledge(*, direction: Direction, user: User) -> Direction:
    direction = (
        Direction.objects.select_for_update(of=("self",))
        .select_related("task")
        .get(pk=direction.pk)
    )
    if not policy.may(user, policy.Action.ACKNOWLEDGE_DIRECTION, direction):
        raise TrackingError(_("Chỉ đơn vị chủ trì nhiệm vụ mới tiếp nhận ý kiến chỉ đạo."))
    if direction.acknowledged_at is not None:
        return direction
    direction.acknowledged_at = timezone.now()
    direction.acknowledged_by = user
    direction.save(update_fields=["acknowledged_at", "acknowledged_by"])
    audit_record(
        actor=user,
        action="direction.acknowledge",
        summary=_("Đơn vị chủ trì đã tiếp nhận ý kiến chỉ đạo"),
        obj=direction,
        commune=direction.task.commune,
        task=direction.task,
    )
    return direction


# --- the standing office's changes to tasks ------------------------------------------------


def _task_snapshot(task: Task) -> dict[str, Any]:
    roles: dict[str, list[str]] = {"lead": [], "support": []}
    for a in task.assignments.select_related("unit"):
        roles[a.role].append(a.unit.name)
    return {
        "name": task.name,
        "due_on": task.due_on.isoformat() if task.due_on else None,
        "deadline_kind": task.deadline_kind,
        "deadline_text": task.deadline_text,
        "lead": roles["lead"],
        "support": roles["support"],
    }


def _locked_task(task: Task, version: int) -> Task:
    task = Task.objects.select_for_update(of=("self",)).select_related("commune").get(pk=task.pk)
    check_version(task.version, version)
    return task


@transaction.atomic
def task_reassign(
    *, task: Task, lead: list[Unit], support: list[Unit], actor: User, version: int
) -> Task:
    """Give the task to other units; reports already sent stay with their units."""
    task = _locked_task(task, version)
    if not lead:
        raise TrackingError(_("Nhiệm vụ phải có ít nhất một cơ quan chủ trì."))
    if any(u.commune_id != task.commune_id for u in [*lead, *support]):
        raise TrackingError(_("Đơn vị được chọn không thuộc xã/phường này."))
    before = _task_snapshot(task)
    task.assignments.all().delete()
    TaskAssignment.objects.bulk_create(
        [
            TaskAssignment(task=task, unit=u, role=AssignmentRole.LEAD, position=i)
            for i, u in enumerate(lead)
        ]
        + [
            TaskAssignment(task=task, unit=u, role=AssignmentRole.SUPPORT, position=i)
            for i, u in enumerate(support)
            if u not in lead
        ]
    )
    task.lead_other = [] if lead else task.lead_other
    # The task now names its lead: "rõ người" is no longer missing.
    task.missing = [m for m in task.missing if m != "lead"]
    task.version += 1
    task.save(update_fields=["lead_other", "missing", "version"])
    summary_task_changed(task, assignments=True)
    audit_record(
        actor=actor,
        action="task.reassign",
        summary=_("Giao lại nhiệm vụ cho %(lead)s") % {"lead": "; ".join(u.name for u in lead)},
        obj=task,
        commune=task.commune,
        task=task,
        before=before,
        after=_task_snapshot(task),
    )
    return task


@transaction.atomic
def task_change_deadline(
    *, task: Task, due_on: dt.date, reason: str, actor: User, version: int
) -> Task:
    """Move a task's deadline; the reason is kept in its history."""
    task = _locked_task(task, version)
    if not reason.strip():
        raise TrackingError(_("Hãy ghi lý do điều chỉnh thời hạn."))
    before = _task_snapshot(task)
    task.due_on = due_on
    task.deadline_kind = "date"
    task.recurrence = ""  # a dated deadline replaces a recurring one
    task.deadline_text = _("Điều chỉnh đến %(d)s") % {"d": f"{due_on:%d/%m/%Y}"}
    task.missing = [m for m in task.missing if m != "deadline"]
    task.version += 1
    task.save(
        update_fields=[
            "due_on",
            "deadline_kind",
            "recurrence",
            "deadline_text",
            "missing",
            "version",
        ]
    )
    summary_task_changed(task)
    audit_record(
        actor=actor,
        action="task.deadline",
        summary=_("Điều chỉnh thời hạn: %(reason)s") % {"reason": reason.strip()},
        obj=task,
        commune=task.commune,
        task=task,
        before=before,
        after={**_task_snapshot(task), "reason": reason.strip()},
    )
    return task


@transaction.atomic
def task_add(
    *,
    plan: Plan,
    name: str,
    lead: list[Unit],
    support: list[Unit],
    due_on: dt.date | None,
    output: str,
    group: str,
    actor: User,
    parent: Task | None = None,
) -> Task:
    """A task the plan did not have (phát sinh)."""
    if plan.status != "active":
        raise TrackingError(_("Kế hoạch này không còn thực hiện; không thêm nhiệm vụ được."))
    if not name.strip():
        raise TrackingError(_("Hãy nhập tên nhiệm vụ."))
    if not lead:
        raise TrackingError(_("Nhiệm vụ phải có ít nhất một cơ quan chủ trì."))
    if any(u.commune_id != plan.commune_id for u in [*lead, *support]):
        raise TrackingError(_("Đơn vị được chọn không thuộc xã/phường này."))
    if parent is not None and parent.plan_id != plan.pk:
        raise TrackingError(_("Nhiệm vụ cha không thuộc kế hoạch này."))
    # Two offices adding at once would both pick the same next PS number: serialise on the plan.
    lock_row(Plan, plan.pk)
    number = plan.tasks.filter(origin="added").count() + 1
    code = f"PS.{number}"
    while plan.tasks.filter(code=code).exists():
        number += 1
        code = f"PS.{number}"
    last = plan.tasks.order_by("-position").values_list("position", flat=True).first() or 0
    task = Task.objects.create(
        plan=plan,
        commune_id=plan.commune_id,
        parent=parent,
        code=code,
        group=group.strip() or (parent.group if parent else str(_("Nhiệm vụ phát sinh"))),
        name=name.strip(),
        output=output.strip(),
        deadline_kind="date" if due_on else "unspecified",
        due_on=due_on,
        deadline_text=f"{due_on:%d/%m/%Y}" if due_on else "",
        origin="added",
        position=last + 1,
        missing=[m for m, ok in (("output", output.strip()), ("deadline", due_on)) if not ok],
    )
    TaskAssignment.objects.bulk_create(
        [
            TaskAssignment(task=task, unit=u, role=AssignmentRole.LEAD, position=i)
            for i, u in enumerate(lead)
        ]
        + [
            TaskAssignment(task=task, unit=u, role=AssignmentRole.SUPPORT, position=i)
            for i, u in enumerate(support)
            if u not in lead
        ]
    )
    summary_task_changed(task, assignments=True)
    audit_record(
        actor=actor,
        action="task.add",
        summary=_("Thêm nhiệm vụ phát sinh %(code)s") % {"code": code},
        obj=task,
        commune=plan.commune,
        task=task,
        after=_task_snapshot(task),
    )
    return task


# --- a report form sent twice ---------------------------------------------------------------


def report_submission_seen(*, key: uuid.UUID) -> ProgressReport | None:
    """The report a form with this key already made, if it arrived before."""
    found = ReportSubmission.objects.filter(key=key).select_related("report").first()
    return found.report if found else None


def report_submission_record(*, key: uuid.UUID, report: ProgressReport) -> None:
    """Remember that the form with ``key`` arrived (a second arrival is then refused)."""
    try:
        with transaction.atomic():
            ReportSubmission.objects.create(key=key, report=report)
    except IntegrityError:
        pass  # the same form arrived twice at once: the first record stands
