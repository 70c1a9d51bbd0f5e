"""The commune's dashboards: the task list every number clicks through to, the commune
dashboard, the reporting window (with its reminder) and a unit's own dashboard.

Each view fetches through a permission-checked helper (another commune's plan or commune is
a 404), reads through ``dashboards.queries`` and ``ranking`` and renders one template.

Who sees what: the task list is open to everyone who may read the plan. The commune
dashboard and the reporting window are for those who oversee the commune (standing office,
commune admin, leaders / steering committee, supervisor, the province's officers); a unit's
staff or head asking for them is sent to the unit dashboard instead (their unit's view), and
anyone else is refused (403). The standing office (or the commune's admin) and the leaders
remind units, as ``alerts.services.remind_units`` allows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from theodoi.accounts.access import get_commune_for_user
from theodoi.accounts.roles import UNIT_ROLES
from theodoi.alerts import services as alert_services
from theodoi.lib.http import AppRequest
from theodoi.plans.models import Plan
from theodoi.plans.queries import get_plan_for_user
from theodoi.reports.ranges import NUMBERS, ReportRange, default_kind, plan_range
from theodoi.tracking.access import user_units
from theodoi.tracking.models import Period
from theodoi.tracking.periods import current_period
from theodoi.tracking.status import Judgement
from theodoi.units.models import Commune, Unit

from . import queries, ranking
from .queries import TaskFilter

WARNINGS_SHOWN = 10


def today() -> dt.date:
    """The day the pages are computed for (tests pin it)."""
    return timezone.localdate()


def _user(request: AppRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _url_or_empty(name: str, *args: object) -> str:
    """A page another part of the system provides, or "" while it does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _commune_units(commune: Commune) -> list[Unit]:
    return list(Unit.objects.of_commune(commune))


def _filter(request: AppRequest, plan: Plan, periods: Sequence[Period]) -> TaskFilter:
    return queries.read_filter(request.GET, units=_commune_units(plan.commune), periods=periods)


@dataclass(frozen=True)
class AsOf:
    """The day the figures are computed for: today, or a report's data cut-off (chosen on
    the page) so that the leader sees exactly what that report will say."""

    day: dt.date
    chosen: ReportRange | None
    choices: list[ReportRange]
    regime: str  # how the plan's reports cut off their data, in words


def _as_of(plan: Plan, flt: TaskFilter) -> AsOf:
    day = today()
    kind = default_kind(plan)
    choices = [r for r in (plan_range(plan, kind, n) for n in NUMBERS[kind]) if r.end <= day]
    chosen = next((r for r in choices if r.key == flt.as_of), None)
    return AsOf(
        day=chosen.end if chosen else day,
        chosen=chosen,
        choices=choices,
        regime=str(plan.get_report_regime_display()),
    )


def _filter_context(
    data: queries.PlanTasks, flt: TaskFilter, periods: Sequence[Period], action: str
) -> dict[str, Any]:
    """What the shared filter form needs (``_filters.html``)."""
    return {
        "flt": flt,
        "action": action,
        "groups": data.groups,
        "units": data.units,
        "no_lead": queries.NO_LEAD,
        "periods": periods,
        "statuses": [(key, str(label)) for key, label in queries.STATUS_FILTERS],
    }


def _oversight(request: AppRequest, commune: Commune) -> tuple[set[str], HttpResponse | None]:
    """The user's roles, and where to send them when they do not oversee the commune: a
    unit's staff or head to their unit's dashboard; anyone else is refused."""
    roles = queries.roles_in(request.user, commune)
    if queries.may_oversee(request.user, roles):
        return roles, None
    if roles & UNIT_ROLES:
        return roles, redirect("unit_dashboard", commune.public_id)
    raise PermissionDenied(
        _("Trang này dành cho cơ quan thường trực, lãnh đạo, Ban Chỉ đạo và giám sát.")
    )


# --- the task list ------------------------------------------------------------------------------


@login_required
def task_list(request: AppRequest, plan_id: uuid.UUID) -> HttpResponse:
    """The plan's tasks under a filter that lives in the query string (a shareable link)."""
    plan = get_plan_for_user(request.user, plan_id)
    periods = queries.plan_periods(plan)
    flt = _filter(request, plan, periods)
    as_of = _as_of(plan, flt)
    data = queries.plan_task_lines(plan, today=as_of.day)
    lines = queries.filter_lines(data.lines, flt)
    base = reverse("task_list", args=[plan.public_id])
    context = {
        "plan": plan,
        "commune": plan.commune,
        "lines": lines,
        "total": len(data.lines),
        "status_label": dict(queries.STATUS_FILTERS).get(flt.status, "") if flt.status else "",
        "dashboard_url": reverse("commune_dashboard", args=[plan.public_id]) + flt.query(),
        "as_of": as_of,
        **_filter_context(data, flt, periods, base),
    }
    if request.htmx:
        return render(request, "dashboards/commune/task_list.html#results", context)
    return render(request, "dashboards/commune/task_list.html", context)


# --- the commune dashboard ---------------------------------------------------------------------


def _linked(rows: list[queries.StatusRow], flt: TaskFilter, base: str) -> list[dict[str, Any]]:
    """Each count with the task list it stands for (the page's filter plus the row's)."""
    linked = []
    for row in rows:
        linked.append(
            {
                "label": row.label,
                "params": row.params,
                # Under a status filter the other columns are zero by construction: no list
                # can be both, so those zeros link nowhere.
                # (status, count, link, column name: a stacked table's cell names it).
                "cells": [
                    (
                        key,
                        row.counts[key],
                        base + flt.query(**row.params, status=key)
                        if flt.status in ("", key)
                        else "",
                        str(label),
                    )
                    for key, label in queries.BUCKETS
                ],
                "total": row.total,
                "total_url": base + flt.query(**row.params),
                "stale": row.stale,
                "stale_url": base + flt.query(**row.params, stale="1"),
            }
        )
    return linked


def _status_chart(rows: list[queries.StatusRow], *, horizontal: bool) -> dict[str, Any]:
    return {
        "type": "bar",
        "stacked": True,
        "horizontal": horizontal,
        "labels": [row.label for row in rows],
        "datasets": [
            {"label": str(label), "data": [row.counts[key] for row in rows], "color": colour}
            for (key, label), colour in zip(queries.BUCKETS, queries.BUCKET_COLOURS, strict=True)
        ],
    }


def _warning_list_url(commune: Commune, unit: Unit | None = None) -> str:
    url = _url_or_empty("warning_list", commune.public_id)
    if url and unit is not None:
        url += "?" + urlencode({"unit": str(unit.public_id)})
    return url


def _charts(
    by_group: list[queries.StatusRow],
    by_unit: list[queries.StatusRow],
    target_counts: list[tuple[str, str, str, int]],
    trend: list[queries.TrendPoint],
    scores: list[ranking.UnitScore],
) -> dict[str, Any]:
    """The data each chart is drawn from, the same figures as the tables beside them."""
    return {
        # Horizontal bars keep every name readable on a phone (charts.js draws them as HTML).
        "by_group": _status_chart(by_group, horizontal=True),
        "by_unit": _status_chart(by_unit, horizontal=True),
        "targets": {
            "type": "doughnut",
            "legend": False,  # the coloured counts above the chart are its legend
            "labels": [label for _key, label, _css, _n in target_counts],
            "datasets": [
                {
                    "label": _("Chỉ tiêu"),
                    "data": [n for _key, _label, _css, n in target_counts],
                    "colors": queries.TARGET_COLOURS,
                }
            ],
        },
        "trend": {
            "type": "line",
            "percent": True,
            "labels": [point.period.label for point in trend],
            "datasets": [
                {
                    "label": _("Nhiệm vụ hoàn thành đến hết kỳ (%)"),
                    "data": [point.done.percent_number for point in trend],
                    "color": "#198754",
                },
                {
                    "label": _("Báo cáo gửi đúng hạn (%)"),
                    "data": [point.reports.ratio.percent_number for point in trend],
                    "color": "#0d6efd",
                },
            ],
        },
        "ranking": {
            "type": "bar",
            "horizontal": True,
            "labels": [score.unit.name for score in scores],
            "datasets": [
                {
                    "label": _("Tổng điểm"),
                    "data": [float(score.total) for score in scores],
                    "color": "#6f42c1",
                }
            ],
        },
    }


@login_required
def commune_dashboard(request: AppRequest, plan_id: uuid.UUID) -> HttpResponse:
    plan = get_plan_for_user(request.user, plan_id)
    _roles, elsewhere = _oversight(request, plan.commune)
    if elsewhere is not None:
        return elsewhere
    periods = queries.plan_periods(plan)
    flt = _filter(request, plan, periods)
    as_of = _as_of(plan, flt)
    day = as_of.day
    figures = queries.plan_figures(plan, today=day)
    data = figures.tasks
    lines = queries.filter_lines(data.lines, flt)
    task_list_url = reverse("task_list", args=[plan.public_id])
    by_group = queries.status_by_group(lines, data.groups)
    # Under a unit filter, other units' rows would count only the tasks they share with it.
    by_unit = queries.status_by_unit(lines, [flt.unit_obj] if flt.unit_obj else data.units)
    totals = queries.status_row(_("Tổng số"), {}, lines)

    targets = queries.filter_targets(figures.targets, flt)
    warnings = queries.filter_warnings(figures.warnings, flt)

    # The trend and the ranking look at the tasks of the group / unit chosen, whatever their
    # status; the period chosen is the last one they count.
    scope = replace(flt, period="", period_obj=None)
    trend_lines = queries.filter_lines(data.lines, scope, ignore_status=True)
    closed = [
        p for p in data.closed if flt.period_obj is None or p.starts_on <= flt.period_obj.starts_on
    ]
    # One read of the closed periods' reports for the trend and the ranking both.
    grid = queries.report_grid(plan, closed)
    trend = queries.trend(
        plan,
        trend_lines,
        closed,
        unit_ids={flt.unit_obj.pk} if flt.unit_obj else None,
        grid=grid,
    )
    rubric = ranking.rubric_for(plan.commune)
    group_lines = queries.filter_lines(data.lines, TaskFilter(group=flt.group))
    scores = ranking.unit_ranking(
        data, rubric, lines=group_lines, group=flt.group, upto=flt.period_obj, grid=grid
    )

    target_counts = queries.target_counts(targets)
    # The three figures a leader reads first: tasks done, tasks late, targets met.
    met = next(n for key, _label, _css, n in target_counts if key == Judgement.MET)
    key_figures = {
        "done": queries.Ratio(totals.counts["done"], totals.total),
        "targets_met": queries.Ratio(met, len(targets)),
    }
    context = {
        "plan": plan,
        "commune": plan.commune,
        "today": day,
        "as_of": as_of,
        **_filter_context(data, flt, periods, reverse("commune_dashboard", args=[plan.public_id])),
        "task_list_url": task_list_url,
        "buckets": [(key, str(label)) for key, label in queries.BUCKETS],
        "by_group": _linked(by_group, flt, task_list_url),
        "by_unit": _linked(by_unit, flt, task_list_url),
        "totals": _linked([totals], flt, task_list_url)[0],
        "key_figures": key_figures,
        "targets": targets,
        "target_counts": target_counts,
        "warnings": warnings[:WARNINGS_SHOWN],
        "warning_total": len(warnings),
        "warning_list_url": _warning_list_url(plan.commune, flt.unit_obj),
        "trend": trend,
        "rubric": rubric,
        "rubric_rows": [(str(label), rubric.band_texts(key)) for key, label in ranking.CRITERIA],
        "scores": scores,
        "reporting_url": reverse("reporting_window", args=[plan.public_id]),
        "charts": _charts(by_group, by_unit, target_counts, trend, scores),
    }
    return render(request, "dashboards/commune/dashboard.html", context)


# --- the reporting window ---------------------------------------------------------------------


def _period_or_current(plan: Plan, raw: str, periods: Sequence[Period], day: dt.date) -> Period:
    if raw:
        try:
            wanted = uuid.UUID(raw)
        except ValueError:
            raise Http404 from None
        found = next((p for p in periods if p.public_id == wanted), None)
        if found is None:
            raise Http404
        return found
    period = current_period(plan, day)
    if period is None:  # pragma: no cover - every plan has periods
        raise Http404
    return period


def _window_url(plan: Plan, period: Period) -> str:
    url = reverse("reporting_window", args=[plan.public_id])
    return f"{url}?{urlencode({'period': str(period.public_id)})}"


@login_required
def reporting_window(request: AppRequest, plan_id: uuid.UUID) -> HttpResponse:
    plan = get_plan_for_user(request.user, plan_id)
    roles, elsewhere = _oversight(request, plan.commune)
    if elsewhere is not None:
        return elsewhere
    day = today()
    periods = queries.plan_periods(plan)
    period = _period_or_current(plan, request.GET.get("period", ""), periods, day)
    data = queries.plan_task_lines(plan, today=day)
    window = queries.reporting_window(data, period)
    ids = [p.pk for p in periods]
    position = ids.index(period.pk) if period.pk in ids else -1
    context = {
        "plan": plan,
        "commune": plan.commune,
        "period": period,
        "periods": periods,
        "previous": periods[position - 1] if position > 0 else None,
        "next": periods[position + 1] if 0 <= position < len(periods) - 1 else None,
        "window": window,
        "is_closed": period.due_on < day,
        "can_remind": queries.may_remind(request.user, roles),
        "task_list_url": reverse("task_list", args=[plan.public_id]),
        "dashboard_url": reverse("commune_dashboard", args=[plan.public_id]),
    }
    return render(request, "dashboards/commune/reporting.html", context)


@login_required
@require_POST
def reporting_remind(request: AppRequest, plan_id: uuid.UUID) -> HttpResponse:
    """Remind the units that have not sent this period's reports (or one of them)."""
    plan = get_plan_for_user(request.user, plan_id)
    roles = queries.roles_in(request.user, plan.commune)
    if not queries.may_remind(request.user, roles):
        raise PermissionDenied(_("Chỉ cơ quan thường trực hoặc lãnh đạo mới nhắc được các đơn vị."))
    day = today()
    periods = queries.plan_periods(plan)
    period = _period_or_current(plan, request.POST.get("period", ""), periods, day)
    window = queries.reporting_window(queries.plan_task_lines(plan, today=day), period)
    units = [u.unit for u in window.unreported]
    only = request.POST.get("unit", "")
    if only:
        units = [u for u in units if str(u.public_id) == only]
        if not units:
            messages.info(request, _("Đơn vị này đã gửi đủ báo cáo kỳ này; không cần nhắc."))
            return redirect(_window_url(plan, period))
    if not units:
        messages.info(request, _("Mọi đơn vị đã gửi đủ báo cáo kỳ này; không cần nhắc."))
        return redirect(_window_url(plan, period))
    try:
        people = alert_services.remind_units(
            plan=plan, period=period, units=units, actor=_user(request)
        )
    except alert_services.AlertError as exc:
        messages.error(request, exc.message)
        return redirect(_window_url(plan, period))
    messages.success(
        request,
        _("Đã nhắc %(n)d đơn vị chưa gửi báo cáo %(period)s (%(people)d người nhận): %(names)s.")
        % {
            "n": len(units),
            "period": period.label,
            "people": people,
            "names": "; ".join(u.name for u in units),
        },
    )
    return redirect(_window_url(plan, period))


# --- a unit's own dashboard ---------------------------------------------------------------------


@login_required
def unit_dashboard(request: AppRequest, commune_id: uuid.UUID) -> HttpResponse:
    """My tasks and targets by urgency, my warnings, what I must report this period.

    "My" is the user's own units; those who oversee the commune may look at any unit's
    (``?unit=``), a unit's staff only at their own."""
    commune = get_commune_for_user(request.user, commune_id)
    roles = queries.roles_in(request.user, commune)
    overseer = queries.may_oversee(request.user, roles)
    mine = user_units(request.user, commune)
    all_units = [u for u in _commune_units(commune) if u.is_active]
    chosen = request.GET.get("unit", "")
    units: list[Unit] = mine
    if chosen:
        try:
            wanted = uuid.UUID(chosen)
        except ValueError:
            raise Http404 from None
        unit = next((u for u in all_units if u.public_id == wanted), None)
        if unit is None:
            raise Http404
        if not overseer and unit not in mine:
            raise PermissionDenied(_("Bạn chỉ xem được bảng theo dõi của đơn vị mình."))
        units = [unit]
    day = today()
    works = []
    if units:
        for plan in Plan.objects.active().of_commune(commune).select_related("commune"):
            works.append(queries.unit_plan_work(plan, units, today=day))
    context = {
        "commune": commune,
        "units": units,
        "mine": mine,
        "choices": all_units if overseer else mine,
        "chosen": chosen,
        "works": works,
        "warning_list_url": _warning_list_url(commune, units[0] if len(units) == 1 else None),
        "today": day,
    }
    return render(request, "dashboards/commune/unit_dashboard.html", context)
