"""Who may do what: the one permission policy.

``RULES`` is the table: for each action, the roles that may do it anywhere in the commune
(or, for a province officer, in the communes of their province), and the roles that may do it
only when one of their units stands in a given relation to the object (leads or supports the
task, owns the target, wrote the report). Every view, API route and service asks ``may`` or
``check``; the generated matrix test reads ``permits`` to know what each request should get.

Separation of duties sits beside the table: nobody reviews, confirms or appraises their own
work, whatever roles they hold (``own_work``). A system administrator is bound by it too.

Reading is isolation: another commune's object is a 404 (``fetch``), never a 403, and an
object the user may see but not act on is refused with one Vietnamese sentence.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from theodoi.lib.requestlog import note_commune
from theodoi.units.models import Commune, Province

from .access import AnyUser, access_denied, communes_visible_q
from .models import Membership
from .roles import (
    LEADERS,
    OFFICE,
    OVERSIGHT,
    PEOPLE_MANAGERS,
    PLAN_MANAGERS,
    PROVINCE_ROLES,
    STEERING,
    UNIT_ROLES,
    Role,
)

M = TypeVar("M", bound=Model)


class Action(enum.StrEnum):
    VIEW = "view"  # read a commune's plans, tasks, targets, reports and their figures
    REPORT = "report"  # write and send a unit's report on a task, or value of a target
    CONFIRM_REPORT = "confirm_report"  # the unit head answers for the unit's report
    ADD_EVIDENCE = "add_evidence"  # attach or withdraw an evidence of the unit's own work
    REVIEW_EVIDENCE = "review_evidence"
    REVIEW_VALUE = "review_value"  # accept or return a target's value
    DOWNLOAD_EVIDENCE = "download_evidence"  # also: see it in the viewer
    MANAGE_PLAN = "manage_plan"  # import and correct plans, change tasks
    MANAGE_PEOPLE = "manage_people"  # accounts, roles and units of the commune
    GIVE_DIRECTION = "give_direction"
    ACKNOWLEDGE_DIRECTION = "acknowledge_direction"
    VIEW_DASHBOARD = "view_dashboard"  # the whole commune's figures and every warning
    REMIND = "remind"  # remind late units
    DRAW_REPORTS = "draw_reports"  # periodic reports, exports to the upper level
    VIEW_PROVINCE = "view_province"  # a province's dashboard and reports
    # The provinces side by side (the national view); only the provinces one may
    # VIEW_PROVINCE open from it: a province compares itself with the rest.
    VIEW_NATIONAL = "view_national"
    MANAGE_SCORECARD = "manage_scorecard"  # a province's scorecards: import, edit, publish
    ORGANISE_ASSESSMENT = "organise_assessment"  # who answers each criterion, by when
    SELF_ASSESS = "self_assess"  # fill a criterion of the commune's self-assessment
    APPRAISE = "appraise"  # the province scores a commune's self-assessment
    API_TOKENS = "api_tokens"  # make and revoke one's own API tokens


class Relation(enum.StrEnum):
    """Where the user's unit stands to an object."""

    LEAD = "lead"  # leads the task (or owns the target)
    SUPPORT = "support"  # supports the task
    OWN = "own"  # the object is the unit's own (its report, value, evidence, criterion)
    OTHER = "other"  # another unit of the same commune, or no unit at all


ON_THE_WORK = frozenset({Relation.LEAD, Relation.SUPPORT, Relation.OWN})


@dataclass(frozen=True)
class Rule:
    anywhere: frozenset[Role]
    # Roles allowed only where one of their units stands in ``relations`` to the object.
    unit_roles: frozenset[Role] = frozenset()
    relations: frozenset[Relation] = ON_THE_WORK
    # Nobody does it to their own work (``own_work``), whatever their roles.
    separate_duties: bool = False


NOBODY: frozenset[Role] = frozenset()
EVERY_COMMUNE_ROLE = frozenset(Role) - PROVINCE_ROLES

RULES: dict[Action, Rule] = {
    Action.VIEW: Rule(anywhere=frozenset(Role)),
    Action.REPORT: Rule(anywhere=NOBODY, unit_roles=UNIT_ROLES),
    Action.CONFIRM_REPORT: Rule(
        anywhere=NOBODY,
        unit_roles=frozenset({Role.UNIT_HEAD}),
        relations=frozenset({Relation.OWN}),
        separate_duties=True,
    ),
    Action.ADD_EVIDENCE: Rule(
        anywhere=NOBODY, unit_roles=UNIT_ROLES, relations=frozenset({Relation.OWN})
    ),
    Action.REVIEW_EVIDENCE: Rule(anywhere=OFFICE, separate_duties=True),
    Action.REVIEW_VALUE: Rule(anywhere=OFFICE, separate_duties=True),
    # The product rule: the office, the leaders, the supervisor (MTTQ) and the units on the
    # task. A unit elsewhere in the commune, and the province, do not open a unit's files.
    Action.DOWNLOAD_EVIDENCE: Rule(anywhere=OVERSIGHT, unit_roles=UNIT_ROLES),
    Action.MANAGE_PLAN: Rule(anywhere=PLAN_MANAGERS),
    Action.MANAGE_PEOPLE: Rule(anywhere=PEOPLE_MANAGERS),
    Action.GIVE_DIRECTION: Rule(anywhere=LEADERS),
    Action.ACKNOWLEDGE_DIRECTION: Rule(
        anywhere=NOBODY, unit_roles=UNIT_ROLES, relations=frozenset({Relation.LEAD})
    ),
    Action.VIEW_DASHBOARD: Rule(anywhere=OVERSIGHT | PROVINCE_ROLES),
    Action.REMIND: Rule(anywhere=STEERING),
    Action.DRAW_REPORTS: Rule(anywhere=STEERING | PROVINCE_ROLES),
    Action.VIEW_PROVINCE: Rule(anywhere=PROVINCE_ROLES),
    Action.VIEW_NATIONAL: Rule(anywhere=PROVINCE_ROLES),
    Action.MANAGE_SCORECARD: Rule(anywhere=PROVINCE_ROLES),
    Action.ORGANISE_ASSESSMENT: Rule(anywhere=OFFICE),
    Action.SELF_ASSESS: Rule(anywhere=OFFICE, unit_roles=UNIT_ROLES),
    Action.APPRAISE: Rule(anywhere=PROVINCE_ROLES, separate_duties=True),
    Action.API_TOKENS: Rule(anywhere=frozenset(Role)),
}


def permits(action: Action, roles: Iterable[str], relation: Relation = Relation.OTHER) -> bool:
    """The table alone: whether holders of ``roles`` whose unit stands in ``relation`` to the
    object may do ``action`` (separation of duties aside)."""
    rule = RULES[action]
    held = set(roles)
    if held & rule.anywhere:
        return True
    return bool(held & rule.unit_roles) and relation in rule.relations


# --- a user's standing in one commune ---------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """What ``user`` holds in one commune: roles (a province officer's over it included) and,
    for each unit they work in, their roles there. One query."""

    user: AnyUser
    roles: frozenset[str]
    unit_roles: dict[int, frozenset[str]] = field(default_factory=dict)

    @property
    def units(self) -> frozenset[int]:
        return frozenset(self.unit_roles)

    def headed(self) -> frozenset[int]:
        return frozenset(u for u, roles in self.unit_roles.items() if Role.UNIT_HEAD in roles)


def standing(user: AnyUser, commune: Commune) -> Standing:
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return Standing(user=user, roles=frozenset())
    roles: set[str] = set()
    units: dict[int, set[str]] = {}
    for role, commune_id, province_id, unit_id in Membership.objects.filter(user=user).values_list(
        "role", "commune_id", "province_id", "unit_id"
    ):
        if commune_id == commune.pk:
            roles.add(role)
            if role in UNIT_ROLES and unit_id is not None:
                units.setdefault(unit_id, set()).add(role)
        elif role == Role.PROVINCE_OFFICER and province_id == commune.province_id:
            roles.add(role)
    if user.is_superuser:
        # A system administrator holds every role but a unit's (they report for no unit).
        roles |= set(Role) - UNIT_ROLES
    return Standing(
        user=user,
        roles=frozenset(roles),
        unit_roles={u: frozenset(r) for u, r in units.items()},
    )


def province_roles(user: AnyUser, province: Province) -> frozenset[str]:
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return PROVINCE_ROLES
    held = Membership.objects.filter(
        user=user, role=Role.PROVINCE_OFFICER, province=province
    ).exists()
    return PROVINCE_ROLES if held else frozenset()


def provinces_for(user: AnyUser, action: Action) -> list[Province]:
    """The provinces where ``user`` may do ``action`` (a province-level action)."""
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return []
    if not permits(action, PROVINCE_ROLES):
        return []
    provinces = Province.objects.order_by("name")
    if user.is_superuser:
        return list(provinces)
    return list(
        provinces.filter(memberships__user=user, memberships__role=Role.PROVINCE_OFFICER).distinct()
    )


def may_nationally(user: AnyUser, action: Action) -> bool:
    """Whether ``user`` may do a country-wide ``action`` (the national view): a system
    administrator, or a holder of the action's province roles in some province."""
    return bool(provinces_for(user, action))


# --- how a unit stands to an object -----------------------------------------------------------


def unit_relations(obj: Any) -> dict[int, Relation]:
    """Each unit that stands in a relation to ``obj``, with the closest one."""
    # Imported here: the domain apps import this module's app.
    from theodoi.evidence.models import Evidence
    from theodoi.plans.models import AssignmentRole, Target, Task
    from theodoi.scorecards.models import AssessmentEntry, CriterionEvidence
    from theodoi.tracking.models import Direction, ProgressReport, TargetValue

    found: dict[int, Relation] = {}

    def add(unit_id: int | None, relation: Relation) -> None:
        if unit_id is not None and unit_id not in found:
            found[unit_id] = relation

    if isinstance(obj, Evidence):
        add(obj.unit_id, Relation.OWN)
        obj = obj.task or obj.target
    elif isinstance(obj, ProgressReport | TargetValue):
        add(obj.unit_id, Relation.OWN)
        return found
    elif isinstance(obj, Direction):
        obj = obj.task
    elif isinstance(obj, AssessmentEntry):
        add(obj.responsible_unit_id, Relation.OWN)
        return found
    elif isinstance(obj, CriterionEvidence):
        add(obj.entry.responsible_unit_id, Relation.OWN)
        return found
    if isinstance(obj, Task):
        assignments = sorted(obj.assignments.all(), key=lambda a: a.role != AssignmentRole.LEAD)
        for a in assignments:
            add(a.unit_id, Relation.LEAD if a.role == AssignmentRole.LEAD else Relation.SUPPORT)
    elif isinstance(obj, Target):
        for unit in obj.owners.all():
            add(unit.pk, Relation.LEAD)
    return found


RELATION_ORDER = (Relation.OWN, Relation.LEAD, Relation.SUPPORT, Relation.OTHER)


def relation_of(who: Standing, obj: Any, *, roles: Iterable[str] = ()) -> Relation:
    """The closest relation of the user's units (holding one of ``roles``, if given) to ``obj``."""
    wanted = set(roles)
    related = unit_relations(obj) if obj is not None else {}
    mine = [
        related[u]
        for u, held in who.unit_roles.items()
        if u in related and (not wanted or held & wanted)
    ]
    return min(mine, key=RELATION_ORDER.index, default=Relation.OTHER)


# --- separation of duties ---------------------------------------------------------------------


def own_work(user: AnyUser, obj: Any) -> bool:
    """Whether ``obj`` is ``user``'s own work: they wrote it, added it, vouched for it or filled
    it in. Nobody reviews, confirms or appraises that."""
    from theodoi.evidence.models import Evidence
    from theodoi.scorecards.models import AssessmentEntry
    from theodoi.tracking.models import ProgressReport, TargetValue

    if not isinstance(user, User) or not user.is_authenticated:
        return False
    pk = user.pk
    if isinstance(obj, Evidence):
        owner = obj.report or obj.target_value
        return obj.uploaded_by_id == pk or (owner is not None and own_work(user, owner))
    if isinstance(obj, ProgressReport):
        return pk in (obj.created_by_id, obj.confirmed_by_id)
    if isinstance(obj, TargetValue):
        return obj.created_by_id == pk or obj.evidence.filter(uploaded_by_id=pk).exists()
    if isinstance(obj, AssessmentEntry):
        return pk in (obj.updated_by_id, obj.explained_by_id) or (
            obj.evidence.filter(uploaded_by_id=pk).exists()
        )
    return False


OWN_WORK_MESSAGES = {
    Action.REVIEW_EVIDENCE: gettext_lazy(
        "Không ai tự thẩm định công việc của mình: minh chứng này do bạn nộp hoặc thuộc báo cáo "
        "do bạn lập; hãy để một người khác của cơ quan thường trực thẩm định."
    ),
    Action.REVIEW_VALUE: gettext_lazy(
        "Không ai tự thẩm định công việc của mình: giá trị này do bạn nhập hoặc có minh chứng "
        "do bạn nộp; hãy để một người khác của cơ quan thường trực thẩm định."
    ),
    Action.CONFIRM_REPORT: gettext_lazy(
        "Không ai tự xác nhận báo cáo của mình: báo cáo này do bạn lập; hãy để một lãnh đạo "
        "khác của đơn vị xác nhận."
    ),
    Action.APPRAISE: gettext_lazy(
        "Không ai tự thẩm định bản tự đánh giá do mình điền; hãy để một cán bộ khác của tỉnh "
        "thẩm định."
    ),
}


# --- the questions every caller asks ---------------------------------------------------------


def _commune_of(obj: Any) -> Commune:
    if isinstance(obj, Commune):
        return obj
    commune = getattr(obj, "commune", None)
    if isinstance(commune, Commune):
        return commune
    raise TypeError(f"no commune on {type(obj).__name__}")


def may(user: AnyUser, action: Action, obj: Any, *, who: Standing | None = None) -> bool:
    """Whether ``user`` may do ``action`` on ``obj`` (a commune's object, the commune itself,
    or a province)."""
    return refusal(user, action, obj, who=who) is None


def refusal(user: AnyUser, action: Action, obj: Any, *, who: Standing | None = None) -> str | None:
    """None when ``user`` may do ``action`` on ``obj``; else why not, in one sentence."""
    if isinstance(obj, Province):
        roles = province_roles(user, obj)
        return None if permits(action, roles) else _("Bạn không có quyền thực hiện thao tác này.")
    who = who or standing(user, _commune_of(obj))
    rule = RULES[action]
    relation = Relation.OTHER
    if not who.roles & rule.anywhere and rule.unit_roles:
        relation = relation_of(
            who, None if isinstance(obj, Commune) else obj, roles=rule.unit_roles
        )
    if not permits(action, who.roles, relation):
        return _("Bạn không có quyền thực hiện thao tác này.")
    if rule.separate_duties and own_work(user, obj):
        return str(OWN_WORK_MESSAGES[action])
    return None


def fetch(user: AnyUser, queryset: QuerySet[M], public_id: uuid.UUID | str, **more: Any) -> M:
    """One object of a commune ``user`` may read, fetched in one query (a 404 otherwise).

    The tenant boundary: ``queryset`` must hold a ``commune`` field; another commune's object
    is indistinguishable from none."""
    # public_id is unique: no ORDER BY (``first()`` would add one, and Django hashes every
    # selected column to compile it, which costs more than the query on a wide select).
    rows = queryset.filter(communes_visible_q(user), public_id=public_id, **more).order_by()
    found = next(iter(rows[:1]), None)
    if found is None:
        raise Http404
    commune_field = type(found)._meta.get_field("commune")
    if commune_field.is_cached(found):  # type: ignore[union-attr]
        note_commune(found.commune)  # type: ignore[attr-defined]
    return found


def fetch_for(
    user: AnyUser, action: Action, queryset: QuerySet[M], public_id: uuid.UUID | str
) -> M:
    """As ``fetch``, and a 404 too when ``user`` may not do ``action`` on it (no existence
    leak: a unit not on the task cannot tell its evidence from none)."""
    found = fetch(user, queryset, public_id)
    if not may(user, action, found):
        access_denied(user, commune=_commune_of(found), what=f"{action} {public_id}")
        raise Http404
    return found
