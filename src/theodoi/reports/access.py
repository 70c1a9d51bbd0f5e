"""Who may draw up a commune's reports: its standing office, its admin, its leaders, and the
province office that receives them. Another commune's plan is a 404 (never a 403)."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from theodoi.accounts.access import AnyUser
from theodoi.accounts.policy import Action, may
from theodoi.plans.models import Plan
from theodoi.plans.queries import get_plan_for_user
from theodoi.units.models import Commune


def may_report(user: AnyUser, commune: Commune) -> bool:
    return may(user, Action.DRAW_REPORTS, commune)


def get_plan_for_reports(user: AnyUser, plan_id: uuid.UUID) -> Plan:
    """The plan, when ``user`` may draw up its reports; another commune's plan is a 404."""
    plan = get_plan_for_user(user, plan_id)
    if not may_report(user, plan.commune):
        raise PermissionDenied(
            _(
                "Báo cáo định kỳ do cơ quan thường trực và lãnh đạo lập; đơn vị báo cáo tiến độ "
                "tại trang nhiệm vụ của mình."
            )
        )
    return plan
