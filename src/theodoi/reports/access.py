"""Who may draw up a commune's reports: its standing office, its admin, its leaders, and the
province office that receives them. Another commune's plan is a 404 (never a 403)."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from theodoi.accounts.access import AnyUser
from theodoi.accounts.models import Membership, Role
from theodoi.accounts.roles import STEERING
from theodoi.plans.models import Plan
from theodoi.plans.queries import get_plan_for_user
from theodoi.units.models import Commune


def may_report(user: AnyUser, commune: Commune) -> bool:
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    for role, commune_id, province_id in Membership.objects.filter(user=user).values_list(
        "role", "commune_id", "province_id"
    ):
        if commune_id == commune.pk and role in STEERING:
            return True
        if role == Role.PROVINCE_OFFICER and province_id == commune.province_id:
            return True
    return False


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
