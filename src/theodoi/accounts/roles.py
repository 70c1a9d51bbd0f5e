"""The roles, and every set of roles the rules speak of, defined once.

The permission policy (``accounts.policy``) says what each set may do; the modules that ask
"is this user one of the office / the leaders / a unit" read these sets, never their own copy.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROVINCE_OFFICER = "province_officer", _("Cán bộ Sở (cấp tỉnh)")
    COMMUNE_ADMIN = "commune_admin", _("Quản trị xã/phường")
    STANDING_OFFICE = "standing_office", _("Cơ quan thường trực")
    LEADER = "leader", _("Lãnh đạo / Ban Chỉ đạo")
    UNIT_HEAD = "unit_head", _("Lãnh đạo đơn vị")
    UNIT_STAFF = "unit_staff", _("Cán bộ đơn vị")
    SUPERVISOR = "supervisor", _("Giám sát (MTTQ)")


# Every role held inside one commune (a province officer works at province level).
COMMUNE_ROLES: tuple[Role, ...] = tuple(role for role in Role if role != Role.PROVINCE_OFFICER)

# The standing office and the commune's admin: review the units' evidence and values, edit
# tasks, import and correct plans.
OFFICE = frozenset({Role.COMMUNE_ADMIN, Role.STANDING_OFFICE})

# Roles that may import a plan and correct it before it becomes active.
PLAN_MANAGERS = OFFICE

# Roles that manage the commune's people and units. The standing office is left out on
# purpose: it reviews the units' evidence, and whoever can create accounts and reset
# passwords could otherwise report as a unit and accept their own report.
PEOPLE_MANAGERS = frozenset({Role.COMMUNE_ADMIN})

# The leaders (steering committee): give directions on tasks.
LEADERS = frozenset({Role.LEADER})

# Roles that only make sense inside one unit of the commune.
UNIT_ROLES = frozenset({Role.UNIT_HEAD, Role.UNIT_STAFF})

# Roles that see the whole commune (dashboard, every warning, every task's evidence): the
# office, the leaders and the supervisor (MTTQ), who watches and so sees it all.
OVERSIGHT = OFFICE | LEADERS | {Role.SUPERVISOR}

# Roles that steer the plan: draw up the periodic reports, remind the units, and are sent
# every warning of the commune by the digest. The supervisor watches; it does not steer.
STEERING = OFFICE | LEADERS

# Province level: a province's officers see its communes' figures and appraise scorecards.
PROVINCE_ROLES = frozenset({Role.PROVINCE_OFFICER})
