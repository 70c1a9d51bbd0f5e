"""Figures a criterion draws from the system instead of the commune's hand.

Read live from the commune's active plan of the scorecard's year, through the same rules as
the rest of the app, so a criterion's score follows the data as soon as it changes:

- ``target:<code>``: the target's counted figure (``tracking.status.target_states``: only
  values the standing office accepted count). ``code`` is a catalogue indicator's code (the
  plan's target linked to it) or, failing that, the target's own code in the plan. A ratio
  criterion reads the accepted value's numerator / denominator when given, else the value as
  a percentage (targets in %) or the value out of the target's goal; yes / no reads whether
  the target is met.
- ``plan_on_time_share``: of the plan's dated tasks due by today (or already done), those
  done — evidence accepted — by their deadline (``tracking.status.task_states`` through
  ``dashboards.ranking.on_time_completion``, the figure the province dashboard shows).
- ``reports_on_time_share``: of the progress reports due from lead units in the periods
  already closed, those sent by the period's due date (``dashboards.queries.tally_reports``).

With nothing to measure yet ("không phát sinh": no task due, no report due) a share counts
as 100%, as the emulation ranking counts it: nothing due means nothing late.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from theodoi.dashboards.queries import PlanTasks, Ratio, plan_task_lines, report_grid, tally_reports
from theodoi.dashboards.ranking import on_time_completion
from theodoi.lib.numbers import vn_number
from theodoi.plans.models import DeadlineKind, Plan, Target
from theodoi.tracking.status import TargetState, target_states
from theodoi.units.models import Commune

from . import scoring
from .models import Criterion

LINKS_SHOWN = 8


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass
class SystemFigure:
    """A criterion's figure as the system finds it, said in words, with what feeds it."""

    figure: scoring.Figure
    text: str
    found: bool = True
    links: list[Link] = field(default_factory=list)


def _url(name: str, public_id: object) -> str:
    try:
        return reverse(name, args=[public_id])
    except NoReverseMatch:  # the page belongs to another part of the app
        return ""


def _percent(ratio: Ratio) -> Decimal:
    assert ratio.whole
    return scoring.rounded(Decimal(ratio.part) * 100 / Decimal(ratio.whole))


def _share_figure(ratio: Ratio) -> scoring.Figure:
    if not ratio.whole:
        return scoring.Figure(value=Decimal(100), yes=True)
    return scoring.Figure(
        value=_percent(ratio),
        numerator=Decimal(ratio.part),
        denominator=Decimal(ratio.whole),
        yes=ratio.part == ratio.whole,
    )


def active_plan(commune: Commune, year: int) -> Plan | None:
    return Plan.objects.active().of_commune(commune).filter(year=year).first()


def _on_time(data: PlanTasks) -> SystemFigure:
    ratio = on_time_completion(data.lines, data.today)
    if not ratio.whole:
        text = _("Chưa có nhiệm vụ nào đến hạn (không phát sinh): tính 100%.")
    else:
        text = _("%(part)d/%(whole)d nhiệm vụ đến hạn hoàn thành đúng hạn (%(percent)s%%).") % {
            "part": ratio.part,
            "whole": ratio.whole,
            "percent": vn_number(_percent(ratio)),
        }
    links = []
    for line in data.lines:
        task, state = line.task, line.state
        if task.deadline_kind != DeadlineKind.DATE or task.due_on is None:
            continue
        done_on = state.completed_on if state.done else None
        if task.due_on > data.today and done_on is None:
            continue
        if done_on is not None and done_on <= task.due_on:
            continue
        links.append(
            Link(
                label=_("Nhiệm vụ %(code)s: %(name)s — %(state)s")
                % {"code": task.code, "name": task.name, "state": state.label},
                url=_url("task_detail", task.public_id),
            )
        )
    return SystemFigure(_share_figure(ratio), text, links=links[:LINKS_SHOWN])


def _reports(data: PlanTasks) -> SystemFigure:
    grid = report_grid(data.plan, data.closed)
    on_time = expected = 0
    links = []
    for line in data.lines:
        tallies = tally_reports([line], data.closed, grid).values()
        late = sum(t.late + t.missing for t in tallies)
        on_time += sum(t.on_time for t in tallies)
        expected += sum(t.expected for t in tallies)
        if late:
            links.append(
                Link(
                    label=_("Nhiệm vụ %(code)s: %(count)d báo cáo trễ hạn hoặc chưa gửi")
                    % {"code": line.task.code, "count": late},
                    url=_url("task_detail", line.task.public_id),
                )
            )
    ratio = Ratio(on_time, expected)
    if not expected:
        text = _("Chưa có kỳ báo cáo nào hết hạn (không phát sinh): tính 100%.")
    else:
        text = _("%(part)d/%(whole)d báo cáo gửi đúng hạn (%(percent)s%%).") % {
            "part": on_time,
            "whole": expected,
            "percent": vn_number(_percent(ratio)),
        }
    return SystemFigure(_share_figure(ratio), text, links=links[:LINKS_SHOWN])


def _find_target(code: str, targets: list[Target]) -> Target | None:
    by_indicator = [t for t in targets if t.indicator is not None and t.indicator.code == code]
    if by_indicator:
        return by_indicator[0]
    return next((t for t in targets if t.code == code), None)


def _target(target: Target | None, code: str, states: dict[int, TargetState]) -> SystemFigure:
    if target is None:
        return SystemFigure(
            scoring.Figure(),
            _("Kế hoạch không có chỉ tiêu mã “%(code)s”.") % {"code": code},
            found=False,
        )
    state = states[target.pk]
    link = Link(
        label=_("Chỉ tiêu %(code)s: %(name)s") % {"code": target.code, "name": target.name},
        url=_url("target_detail", target.public_id),
    )
    accepted = state.accepted
    if accepted is None or (state.value is None and target.kind != "qualitative"):
        return SystemFigure(
            scoring.Figure(),
            _("Chỉ tiêu %(code)s chưa có giá trị được thẩm định chấp nhận.")
            % {"code": target.code},
            found=False,
            links=[link],
        )
    value = state.value
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    if accepted.numerator is not None and accepted.denominator:
        numerator, denominator = accepted.numerator, accepted.denominator
    elif value is not None and target.measure_unit.strip() != "%" and target.value:
        numerator, denominator = value, target.value
    if target.kind == "qualitative":
        shown = _("Đạt") if state.met else _("Chưa đạt")
    else:
        shown = vn_number(value)
        if target.measure_unit:
            shown = f"{shown} {target.measure_unit}"
    text = _("Chỉ tiêu %(code)s: %(value)s (đã thẩm định), %(met)s.") % {
        "code": target.code,
        "value": shown,
        "met": _("đạt chỉ tiêu") if state.met else _("chưa đạt chỉ tiêu"),
    }
    figure = scoring.Figure(
        value=value, numerator=numerator, denominator=denominator, yes=state.met
    )
    return SystemFigure(figure, text, links=[link])


def system_figures(
    commune: Commune, criteria: Iterable[Criterion], *, year: int, today: dt.date
) -> dict[int, SystemFigure]:
    """The figure of each criterion fed by the system (criterion id → figure)."""
    wanted = [c for c in criteria if c.from_system]
    if not wanted:
        return {}
    plan = active_plan(commune, year)
    if plan is None:
        missing = SystemFigure(
            scoring.Figure(),
            _("Xã/phường chưa có kế hoạch năm %(year)d đang thực hiện trong hệ thống.")
            % {"year": year},
            found=False,
        )
        return {c.pk: missing for c in wanted}
    sources = {c.pk: c.parsed_source for c in wanted}
    kinds = {s.kind for s in sources.values()}
    data = plan_task_lines(plan, today=today) if kinds & set(scoring.SYSTEM_SOURCES) else None
    targets = list(plan.targets.select_related("indicator")) if scoring.TARGET in kinds else []
    found = {
        c.pk: _find_target(sources[c.pk].code, targets)
        for c in wanted
        if sources[c.pk].kind == scoring.TARGET
    }
    states = (
        target_states([t for t in found.values() if t is not None], as_of=today) if targets else {}
    )
    shared: dict[str, SystemFigure] = {}
    figures: dict[int, SystemFigure] = {}
    for criterion in wanted:
        source = sources[criterion.pk]
        if source.kind in scoring.SYSTEM_SOURCES:
            assert data is not None
            if source.kind not in shared:
                read = _on_time if source.kind == scoring.PLAN_ON_TIME_SHARE else _reports
                shared[source.kind] = read(data)
            figures[criterion.pk] = shared[source.kind]
        else:
            figures[criterion.pk] = _target(found[criterion.pk], source.code, states)
    return figures
