"""Telling the person who must act, once per item, when an item enters their inbox.

Each function is one call at the end of the service that moved the item (report sent,
evidence added, value sent, direction given); the notice's key names the item (and, for a
report or value, the version that was sent), so running the trigger again tells nobody twice
and a report sent back and sent again is a new item. The notices are rows of the same
database: they commit or roll back with the service's transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from theodoi.accounts.roles import OFFICE, UNIT_ROLES, Role

from .services import notify_once, role_holder_ids, unit_member_ids

if TYPE_CHECKING:
    from theodoi.evidence.models import Evidence
    from theodoi.scorecards.models import AssessmentEntry
    from theodoi.tracking.models import Direction, ProgressReport, TargetValue


def _review_url(commune_public_id: object) -> str:
    return reverse("review_queue", args=[commune_public_id])


def _evidence_awaits_review(evidence: Evidence, what: str) -> None:
    commune = evidence.commune
    notify_once(
        user_ids=role_holder_ids(commune, OFFICE),
        commune_id=commune.pk,
        key=f"review-evidence:{evidence.public_id}",
        text=_("Minh chứng “%(name)s” của %(what)s chờ thẩm định.")
        % {"name": str(evidence), "what": what},
        url=_review_url(commune.public_id) + "#evidence-queue",
    )


def report_sent(report: ProgressReport) -> None:
    """A report sent on: its unit head is told it waits for confirmation; once it reaches the
    standing office, the office is told of each evidence awaiting review."""
    from theodoi.evidence.models import Evidence
    from theodoi.tracking.models import ReportState

    task = report.task
    what = _("báo cáo %(code)s (%(period)s) của %(unit)s") % {
        "code": task.code,
        "period": report.period.label,
        "unit": report.unit.name,
    }
    if report.state == ReportState.AWAITING_HEAD:
        notify_once(
            user_ids=unit_member_ids(report.unit, roles=[Role.UNIT_HEAD]),
            commune_id=task.commune_id,
            key=f"confirm:{report.public_id}:{report.version}",
            text=_("Có %(what)s chờ bạn xác nhận.") % {"what": what},
            url=reverse("report_confirm_queue", args=[task.commune.public_id]),
        )
    elif report.state == ReportState.SENT:
        for evidence in Evidence.objects.pending().filter(report=report).select_related("commune"):
            _evidence_awaits_review(evidence, what)


def value_sent(target_value: TargetValue) -> None:
    """A target value sent to the office: the office is told of it and of its evidence."""
    from theodoi.evidence.models import Evidence

    target = target_value.target
    commune = target.commune
    what = _("giá trị chỉ tiêu %(code)s (%(period)s) của %(unit)s") % {
        "code": target.code,
        "period": target_value.period.label,
        "unit": target_value.unit.name,
    }
    notify_once(
        user_ids=role_holder_ids(commune, OFFICE),
        commune_id=commune.pk,
        key=f"review-value:{target_value.public_id}:{target_value.version}",
        text=_("Có %(what)s chờ thẩm định.") % {"what": what},
        url=_review_url(commune.public_id) + "#value-queue",
    )
    pending = Evidence.objects.pending().filter(target_value=target_value).select_related("commune")
    for evidence in pending:
        _evidence_awaits_review(evidence, what)


def evidence_added(evidence: Evidence) -> None:
    """Evidence added to a report or value already with the office waits for its review."""
    from theodoi.tracking.models import ReportState

    owner = evidence.report or evidence.target_value
    if owner is None or owner.state != ReportState.SENT:
        return  # told when the report or value is sent
    if evidence.report is not None:
        what = _("báo cáo %(code)s của %(unit)s") % {
            "code": evidence.report.task.code,
            "unit": evidence.unit.name,
        }
    else:
        assert evidence.target_value is not None
        what = _("giá trị chỉ tiêu %(code)s của %(unit)s") % {
            "code": evidence.target_value.target.code,
            "unit": evidence.unit.name,
        }
    _evidence_awaits_review(evidence, what)


def direction_added(direction: Direction) -> None:
    """A leader's direction: the task's lead unit must acknowledge it."""
    from theodoi.plans.models import AssignmentRole

    task = direction.task
    user_ids: list[int] = []
    for assignment in task.assignments.filter(role=AssignmentRole.LEAD).select_related("unit"):
        user_ids += unit_member_ids(assignment.unit, roles=UNIT_ROLES)
    notify_once(
        user_ids=user_ids,
        commune_id=task.commune_id,
        key=f"direction:{direction.public_id}",
        text=_("Ý kiến chỉ đạo về nhiệm vụ %(code)s chờ đơn vị tiếp nhận: %(text)s")
        % {"code": task.code, "text": direction.text[:300]},
        url=reverse("task_detail", args=[task.public_id]),
    )


def entry_done(entry: AssessmentEntry) -> None:
    """A commune marks a scorecard criterion done: its province's officers appraise it. Told
    once per round (a change after an appraisal asks for a new one)."""
    from theodoi.accounts.models import Membership
    from theodoi.scorecards.models import EntryStatus

    if entry.status != EntryStatus.DONE:
        return
    commune = entry.commune
    officers = Membership.objects.filter(
        role=Role.PROVINCE_OFFICER, province_id=commune.province_id, user__is_active=True
    ).values_list("user_id", flat=True)
    round_ = entry.appraised_at.isoformat() if entry.appraised_at else "new"
    notify_once(
        user_ids=list(officers),
        commune_id=commune.pk,
        key=f"appraise:{entry.public_id}:{round_}",
        text=_("%(commune)s đã hoàn thành tiêu chí %(code)s, chờ tỉnh thẩm định.")
        % {"commune": commune, "code": entry.criterion.code},
        url=reverse("assessment_entry", args=[entry.public_id]),
    )
