"""Permission-checked reads for the endpoints, over the UI's own helpers.

Reading follows the UI: whoever may see a commune sees its plans, tasks, targets, reports
and evidence; another commune's object is a 404 (``accounts.access``). Acting needs the role
the UI asks for; a visible object the user may not act on is a 403 with the reason.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import User
from django.http import Http404
from django.utils.translation import gettext as _

from theodoi.accounts.access import AnyUser
from theodoi.accounts.policy import fetch
from theodoi.evidence.models import Evidence
from theodoi.evidence.views import get_evidence_for_user
from theodoi.plans.models import Plan, Target, Task
from theodoi.tracking.access import headed_units, is_office, task_role_of, user_units
from theodoi.tracking.models import Period, ProgressReport, TargetValue
from theodoi.tracking.queries import get_report_for_user
from theodoi.units.models import Commune, Unit

from .errors import forbidden

__all__ = [
    "get_evidence_for_user",
    "get_period",
    "get_report_for_user",
    "get_value_for_user",
    "owning_unit",
    "reporting_unit",
    "require_head",
    "require_office",
    "require_own_unit",
]


def get_value_for_user(user: AnyUser, public_id: uuid.UUID) -> TargetValue:
    values = TargetValue.objects.select_related(
        "commune", "unit", "period", "target__plan", "target__commune"
    )
    return fetch(user, values, public_id)


def get_period(plan: Plan, public_id: uuid.UUID) -> Period:
    """A period of ``plan`` (a period of another plan is as good as none)."""
    period = Period.objects.filter(plan=plan, public_id=public_id).first()
    if period is None:
        raise Http404
    return period


def reporting_unit(user: User, task: Task) -> tuple[Unit, str]:
    """The user's unit assigned to ``task`` (lead before support), with its role."""
    mine = task_role_of(task, user_units(user, task.commune))
    if mine is None:
        raise forbidden(_("Đơn vị của bạn không chủ trì hay phối hợp nhiệm vụ này."))
    return mine


def owning_unit(user: User, target: Target) -> Unit:
    owners = {u.pk for u in target.owners.all()}
    unit = next((u for u in user_units(user, target.commune) if u.pk in owners), None)
    if unit is None:
        raise forbidden(_("Đơn vị của bạn không theo dõi chỉ tiêu này."))
    return unit


def require_own_unit(user: User, owner: ProgressReport | TargetValue | Evidence) -> Unit:
    """The unit that wrote ``owner``, when the user works in it."""
    if owner.unit not in user_units(user, owner.commune):
        raise forbidden(
            _("Chỉ cán bộ của %(unit)s mới thực hiện được thao tác này.")
            % {"unit": owner.unit.name}
        )
    return owner.unit


def require_head(user: User, report: ProgressReport) -> None:
    if report.unit not in headed_units(user, report.commune):
        raise forbidden(_("Chỉ lãnh đạo đơn vị mới xác nhận hay trả lại báo cáo của đơn vị."))


def require_office(user: User, commune: Commune) -> None:
    if not is_office(user, commune):
        raise forbidden(_("Chỉ cơ quan thường trực mới thẩm định."))
