"""What waits for a person: the queues of their inbox, by role, each with its count and the
filtered list that shows exactly those items.

Every queue reads its items through the function its list uses (the list view calls the same
one), so a count on the home page is the number of rows one tap away. The home page, the
e-mail digest and the once-per-item notices all start from ``inbox_for``.

Who sees which queue:
- unit staff and heads: their units' reports due this period (tasks they lead or support,
  and targets), and tasks whose completion evidence was found wanting;
- unit heads: their staff's reports waiting for confirmation;
- the standing office (and the commune's admin): evidence and target values to review, units
  that have not reported this period, tasks nobody has reported on for two periods;
- leaders: warnings new to them (not shown to them on the warnings list yet), and directions
  the lead unit has not acknowledged;
- province officers: communes with a plan in force whose units sent no report for the
  latest period already due, and scorecard criteria marked done and not yet appraised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import ngettext

from theodoi.accounts.access import AnyUser
from theodoi.accounts.models import Membership
from theodoi.accounts.roles import LEADERS, OFFICE, UNIT_ROLES, Role
from theodoi.plans.models import Plan
from theodoi.tracking.models import Period
from theodoi.tracking.periods import current_period
from theodoi.units.models import Commune, Province

from .models import WarningSeen
from .rules import Warning


class Kind:
    """The queues, in the order the inbox shows them (who acts first, first)."""

    REPORTS_TO_CONFIRM = "reports_to_confirm"
    REPORTS_DUE = "reports_due"
    EVIDENCE_REJECTED = "evidence_rejected"
    EVIDENCE_TO_REVIEW = "evidence_to_review"
    VALUES_TO_REVIEW = "values_to_review"
    UNITS_UNREPORTED = "units_unreported"
    STALE_TASKS = "stale_tasks"
    WARNINGS_NEW = "warnings_new"
    DIRECTIONS_OPEN = "directions_open"
    COMMUNES_UNREPORTED = "communes_unreported"
    APPRAISALS = "appraisals"


def _label(kind: str, n: int) -> str:
    labels: dict[str, Callable[[int], str]] = {
        Kind.REPORTS_TO_CONFIRM: lambda n: ngettext(
            "%(n)d báo cáo chờ xác nhận", "%(n)d báo cáo chờ xác nhận", n
        ),
        Kind.REPORTS_DUE: lambda n: ngettext("%(n)d báo cáo cần gửi", "%(n)d báo cáo cần gửi", n),
        Kind.EVIDENCE_REJECTED: lambda n: ngettext(
            "%(n)d minh chứng bị trả lại", "%(n)d minh chứng bị trả lại", n
        ),
        Kind.EVIDENCE_TO_REVIEW: lambda n: ngettext(
            "%(n)d minh chứng chờ thẩm định", "%(n)d minh chứng chờ thẩm định", n
        ),
        Kind.VALUES_TO_REVIEW: lambda n: ngettext(
            "%(n)d giá trị chỉ tiêu chờ thẩm định", "%(n)d giá trị chỉ tiêu chờ thẩm định", n
        ),
        Kind.UNITS_UNREPORTED: lambda n: ngettext(
            "%(n)d đơn vị chưa gửi đủ báo cáo kỳ này", "%(n)d đơn vị chưa gửi đủ báo cáo kỳ này", n
        ),
        Kind.STALE_TASKS: lambda n: ngettext(
            "%(n)d nhiệm vụ không cập nhật 2 kỳ", "%(n)d nhiệm vụ không cập nhật 2 kỳ", n
        ),
        Kind.WARNINGS_NEW: lambda n: ngettext(
            "%(n)d cảnh báo mới từ lần xem trước", "%(n)d cảnh báo mới từ lần xem trước", n
        ),
        Kind.DIRECTIONS_OPEN: lambda n: ngettext(
            "%(n)d ý kiến chỉ đạo chưa được tiếp nhận",
            "%(n)d ý kiến chỉ đạo chưa được tiếp nhận",
            n,
        ),
        Kind.COMMUNES_UNREPORTED: lambda n: ngettext(
            "%(n)d xã, phường chưa gửi đủ báo cáo kỳ vừa qua",
            "%(n)d xã, phường chưa gửi đủ báo cáo kỳ vừa qua",
            n,
        ),
        Kind.APPRAISALS: lambda n: ngettext(
            "%(n)d tiêu chí chờ thẩm định", "%(n)d tiêu chí chờ thẩm định", n
        ),
    }
    return labels[kind](n) % {"n": n}


@dataclass(frozen=True)
class Queue:
    """One line of an inbox: what waits, how many, and the list that shows them."""

    kind: str
    where: str  # the commune's or province's name: a person may work in several
    url: str  # the filtered list (a path) showing exactly ``items``
    items: tuple[str, ...]  # stable keys of the waiting items ("report:<uuid>")

    @property
    def key(self) -> str:
        """Stable across days: the kind of queue and the list it links to."""
        return f"{self.kind}:{self.url}"

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def label(self) -> str:
        return _label(self.kind, self.count)


def _with_query(path: str, **params: str) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def _period_id(period: Period | None) -> str:
    return str(period.public_id) if period is not None else ""


# --- per role ------------------------------------------------------------------------------


def unit_queues(user: AnyUser, commune: Commune, *, today: dt.date) -> list[Queue]:
    """Reports due and evidence returned, for the units ``user`` reports for; as the list
    "Nhiệm vụ của đơn vị" shows them under its filters ``due`` and ``rejected``."""
    from theodoi.tracking.access import user_units
    from theodoi.tracking.queries import filter_target_rows, filter_task_rows, unit_work

    units = user_units(user, commune)
    if not units:
        return []
    path = reverse("my_tasks", args=[commune.public_id])
    # What the list shows by default: the user's own units, which are also its reporters.
    work = unit_work(commune, units=units, reporters=units, today=today)
    due_tasks = filter_task_rows(work.tasks, "due")
    due_targets = filter_target_rows(work.targets, "due")
    rejected = filter_task_rows(work.tasks, "rejected")
    rejected_targets = filter_target_rows(work.targets, "rejected")
    return [
        Queue(
            kind=Kind.REPORTS_DUE,
            where=str(commune),
            url=_with_query(path, status="due"),
            # A task is due again each period: the period is part of the item.
            items=tuple(f"task:{r.task.public_id}:{_period_id(r.period)}" for r in due_tasks)
            + tuple(f"target:{r.target.public_id}:{_period_id(r.period)}" for r in due_targets),
        ),
        Queue(
            kind=Kind.EVIDENCE_REJECTED,
            where=str(commune),
            url=_with_query(path, status="rejected"),
            items=tuple(f"rejected:{r.task.public_id}" for r in rejected)
            + tuple(
                f"refused:{r.target.public_id}:{r.value.public_id}"
                for r in rejected_targets
                if r.value
            ),
        ),
    ]


def head_queues(user: AnyUser, commune: Commune, *, today: dt.date) -> list[Queue]:
    """The reports a unit head's staff sent and that wait for the head's confirmation."""
    from theodoi.tracking.access import headed_units
    from theodoi.tracking.queries import reports_awaiting_head

    heads = headed_units(user, commune)
    if not heads:
        return []
    reports = reports_awaiting_head(heads)
    return [
        Queue(
            kind=Kind.REPORTS_TO_CONFIRM,
            where=str(commune),
            url=reverse("report_confirm_queue", args=[commune.public_id]),
            items=tuple(f"report:{r.public_id}:{r.version}" for r in reports),
        )
    ]


def office_queues(commune: Commune, plans: Sequence[Plan], *, today: dt.date) -> list[Queue]:
    """The standing office's review queue, and per active plan the units that have not
    reported this period and the tasks without news for two periods."""
    from theodoi.dashboards import queries as dq
    from theodoi.evidence.queries import evidence_awaiting_review, values_awaiting_review

    review = reverse("review_queue", args=[commune.public_id])
    queues = [
        Queue(
            kind=Kind.EVIDENCE_TO_REVIEW,
            where=str(commune),
            url=review + "#evidence-queue",
            items=tuple(
                f"evidence:{pid}"
                for pid in evidence_awaiting_review(commune).values_list("public_id", flat=True)
            ),
        ),
        Queue(
            kind=Kind.VALUES_TO_REVIEW,
            where=str(commune),
            url=review + "#value-queue",
            items=tuple(
                f"value:{pid}:{version}"
                for pid, version in values_awaiting_review(commune).values_list(
                    "public_id", "version"
                )
            ),
        ),
    ]
    for plan in plans:
        # The reporting window's default: the current period of the plan.
        period = current_period(plan, today)
        if period is None:
            continue
        data = dq.plan_task_lines(plan, today=today)
        reporting = dq.reporting_window(data, period)
        queues.append(
            Queue(
                kind=Kind.UNITS_UNREPORTED,
                where=str(commune),
                url=_with_query(
                    reverse("reporting_window", args=[plan.public_id]),
                    period=str(period.public_id),
                )
                + "#unreported",
                items=tuple(
                    f"unit:{u.unit.public_id}:{period.public_id}" for u in reporting.unreported
                ),
            )
        )
        stale = dq.filter_lines(data.lines, dq.TaskFilter(stale=True))
        queues.append(
            Queue(
                kind=Kind.STALE_TASKS,
                where=str(commune),
                url=_with_query(reverse("task_list", args=[plan.public_id]), stale="1"),
                items=tuple(f"stale:{line.task.public_id}" for line in stale),
            )
        )
    return queues


def new_warnings(user: User, commune: Commune, *, today: dt.date) -> list[Warning]:
    """The commune's warnings ``user`` sees today and was never shown on the warnings list.

    Warnings are derived from the data and carry no date; a visit of the list records the
    keys it showed (``WarningSeen``), so "new since the last visit" is "not shown yet".
    """
    from .services import warnings_for_user

    warnings = [w for w, _ack in warnings_for_user(user, commune, today)]
    seen = set(WarningSeen.objects.filter(user=user, commune=commune).values_list("key", flat=True))
    return [w for w in warnings if w.key not in seen]


def leader_queues(user: User, commune: Commune, *, today: dt.date) -> list[Queue]:
    from theodoi.tracking.queries import directions_awaiting_acknowledgement

    warnings = new_warnings(user, commune, today=today)
    directions = directions_awaiting_acknowledgement(commune)
    return [
        Queue(
            kind=Kind.WARNINGS_NEW,
            where=str(commune),
            url=_with_query(reverse("warning_list", args=[commune.public_id]), new="1"),
            items=tuple(f"warning:{w.key}" for w in warnings),
        ),
        Queue(
            kind=Kind.DIRECTIONS_OPEN,
            where=str(commune),
            url=reverse("directions_open", args=[commune.public_id]),
            items=tuple(f"direction:{d.public_id}" for d in directions),
        ),
    ]


def province_queues(province: Province, *, today: dt.date) -> list[Queue]:
    """Communes of the province that have not reported, as the province page's "Chưa gửi
    đủ báo cáo kỳ vừa qua" filter lists them (default year), and criteria awaiting
    appraisal. Only the communes' flags are read: not the whole province overview."""
    from theodoi.dashboards.province import plan_years, unreported_commune_ids
    from theodoi.dashboards.views_province import UNREPORTED, default_year
    from theodoi.scorecards.queries import entries_to_appraise

    years = plan_years(province)
    year = default_year(years, today)
    unreported = Commune.objects.filter(
        pk__in=unreported_commune_ids(province, year=year, today=today)
    ).order_by("name")
    entries = entries_to_appraise(province)
    return [
        Queue(
            kind=Kind.COMMUNES_UNREPORTED,
            where=province.name,
            url=_with_query(
                reverse("province_dashboard", args=[province.code]),
                year=str(year),
                status=UNREPORTED,
            )
            + "#ranking",
            items=tuple(f"commune:{c.public_id}:{year}" for c in unreported.only("public_id")),
        ),
        Queue(
            kind=Kind.APPRAISALS,
            where=province.name,
            url=reverse("province_scorecards", args=[province.code]) + "#to-appraise",
            items=tuple(
                f"entry:{e.public_id}:{e.appraised_at.isoformat() if e.appraised_at else 'new'}"
                for e in entries
            ),
        ),
    ]


# --- the whole inbox -----------------------------------------------------------------------


def inbox_for(user: AnyUser, *, today: dt.date, only: Commune | None = None) -> list[Queue]:
    """Every queue waiting for ``user``, empty ones left out; ``only`` keeps one commune's
    (the digest is one e-mail per commune)."""
    if not isinstance(user, User) or not user.is_authenticated:
        return []
    memberships = Membership.objects.filter(user=user).select_related("commune", "province")
    if only is not None:
        memberships = memberships.filter(commune=only)
    roles: dict[int, set[str]] = {}
    communes: dict[int, Commune] = {}
    provinces: dict[int, Province] = {}
    for m in memberships:
        if m.role == Role.PROVINCE_OFFICER and m.province is not None and only is None:
            provinces[m.province.pk] = m.province
        elif m.commune is not None:
            communes[m.commune.pk] = m.commune
            roles.setdefault(m.commune.pk, set()).add(m.role)
    queues: list[Queue] = []
    for commune_id, commune in sorted(communes.items(), key=lambda c: c[1].name):
        held = roles[commune_id]
        if Role.UNIT_HEAD in held:
            queues += head_queues(user, commune, today=today)
        if held & UNIT_ROLES:
            queues += unit_queues(user, commune, today=today)
        if held & OFFICE:
            plans = list(Plan.objects.active().of_commune(commune))
            queues += office_queues(commune, plans, today=today)
        if held & LEADERS:
            queues += leader_queues(user, commune, today=today)
    for province in sorted(provinces.values(), key=lambda p: p.name):
        queues += province_queues(province, today=today)
    return [q for q in queues if q.count]
