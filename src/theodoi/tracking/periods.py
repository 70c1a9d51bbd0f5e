"""A plan's tracking periods, generated from its cadence (calendar months, quarters or
weeks); a report's data range under the plan's regime is ``reports.ranges``'s, built on these
days."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from theodoi.plans.models import Cadence, Plan

from .models import Period, PeriodKind


def month_end(year: int, month: int) -> dt.date:
    """The last day of ``month`` (the one place that knows month lengths)."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_bounds(plan: Plan) -> Sequence[tuple[str, int, str, dt.date, dt.date]]:
    """(kind, number, label, starts_on, ends_on) of each period of the plan's year."""
    year = plan.year
    if plan.cadence == Cadence.QUARTERLY:
        return [
            (
                PeriodKind.QUARTER,
                q,
                _("Quý %(q)s/%(y)d") % {"q": ["I", "II", "III", "IV"][q - 1], "y": year},
                dt.date(year, 3 * q - 2, 1),
                month_end(year, 3 * q),
            )
            for q in range(1, 5)
        ]
    if plan.cadence == Cadence.WEEKLY:
        bounds: list[tuple[str, int, str, dt.date, dt.date]] = []
        start = dt.date(year, 1, 1)
        number = 1
        while start.year == year:
            # Weeks run Monday to Sunday; the first and last are cut at the year's edges.
            end = min(start + dt.timedelta(days=6 - start.weekday()), dt.date(year, 12, 31))
            bounds.append(
                (
                    PeriodKind.WEEK,
                    number,
                    _("Tuần %(n)d (%(a)s–%(b)s)")
                    % {"n": number, "a": f"{start:%d/%m}", "b": f"{end:%d/%m}"},
                    start,
                    end,
                )
            )
            start = end + dt.timedelta(days=1)
            number += 1
        return bounds
    return [
        (
            PeriodKind.MONTH,
            m,
            _("Tháng %(m)d/%(y)d") % {"m": m, "y": year},
            dt.date(year, m, 1),
            month_end(year, m),
        )
        for m in range(1, 13)
    ]


@transaction.atomic
def periods_ensure(*, plan: Plan) -> list[Period]:
    """Create the plan's periods that do not exist yet (idempotent); return all, in order."""
    existing = {(p.kind, p.number): p for p in Period.objects.of_plan(plan)}
    due_after = dt.timedelta(days=plan.report_due_days)
    missing = [
        Period(
            plan=plan,
            commune_id=plan.commune_id,
            kind=kind,
            number=number,
            label=label,
            starts_on=starts,
            ends_on=ends,
            due_on=ends + due_after,
        )
        for kind, number, label, starts, ends in period_bounds(plan)
        if (kind, number) not in existing
    ]
    kind = period_kind_of(plan)
    if not missing:  # the usual case: every period exists, no second read
        return [p for p in existing.values() if p.kind == kind]
    Period.objects.bulk_create(missing)
    return list(Period.objects.of_plan(plan).filter(kind=kind))


def period_kind_of(plan: Plan) -> str:
    return {
        Cadence.WEEKLY: PeriodKind.WEEK,
        Cadence.QUARTERLY: PeriodKind.QUARTER,
    }.get(plan.cadence, PeriodKind.MONTH)  # type: ignore[call-overload]


def current_period(plan: Plan, today: dt.date) -> Period | None:
    """The period ``today`` falls in; before the year, the first; after it, the last."""
    periods = periods_ensure(plan=plan)
    if not periods:
        return None
    for period in periods:
        if period.starts_on <= today <= period.ends_on:
            return period
    return periods[0] if today < periods[0].starts_on else periods[-1]
