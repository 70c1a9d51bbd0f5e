"""The province dashboard: communes side by side, and one indicator compared across them."""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from theodoi.accounts.policy import Action, may_nationally
from theodoi.lib.http import AppRequest
from theodoi.lib.inputs import is_ascii_int

from .province import (
    SORTS,
    WARNING_KINDS,
    CommuneRow,
    ProvinceOverview,
    communes_unreported,
    get_province_for_user,
    national_overview,
    national_years,
    plan_years,
    province_overview,
    provinces_for_user,
    sort_rows,
)

# Reversed once per request with this id, then the commune's (or plan's) id put in its place.
_PLACEHOLDER = str(uuid.UUID(int=0))


def _pattern(name: str) -> str:
    """The page ``name`` (taking one id) as a pattern, or "" while it does not exist.

    The commune's dashboard and task list are built in another part of the app; with this,
    the province page works before (and without) them and falls back to the pages that exist.
    """
    try:
        return reverse(name, args=[_PLACEHOLDER])
    except NoReverseMatch:
        return ""


def _fill(pattern: str, public_id: uuid.UUID, query: dict[str, str] | None = None) -> str:
    if not pattern:
        return ""
    url = pattern.replace(_PLACEHOLDER, str(public_id))
    return f"{url}?{urlencode(query)}" if query else url


class CommuneLinks:
    """Where each number of a commune's line leads: the tasks or targets behind it.

    Preferred: the plan's task list filtered by status (``task_list``, whose counts these
    numbers equal) and the commune dashboard; else the commune-wide task list (``my_tasks``)
    and the commune's plans.
    """

    def __init__(self) -> None:
        self.task_list = _pattern("task_list")  # by plan
        self.dashboard = _pattern("commune_dashboard")  # by plan
        self.warning_list = _pattern("warning_list")  # by commune
        self.my_tasks = _pattern("my_tasks")  # by commune
        self.plan_list = _pattern("plan_list")  # by commune
        self.plan_detail = _pattern("plan_detail")  # by plan

    def _tasks(self, row: CommuneRow, status: str = "") -> str:
        query = {"status": status} if status else {}
        if row.plan is not None and self.task_list:
            return _fill(self.task_list, row.plan.public_id, query)
        return _fill(self.my_tasks, row.commune.public_id, {"unit": "all", **query})

    def for_row(self, row: CommuneRow) -> dict[str, str]:
        plan = row.plan
        dashboard = _fill(self.dashboard, plan.public_id) if plan is not None else ""
        commune = dashboard or _fill(self.plan_list, row.commune.public_id)
        warnings = _fill(self.warning_list, row.commune.public_id) if plan is not None else ""
        return {
            "commune": commune,
            "plan": _fill(self.plan_detail, plan.public_id) if plan is not None else "",
            "tasks": self._tasks(row),
            "done": self._tasks(row, "done"),
            "late": self._tasks(row, "late"),
            "warnings": warnings or commune,
            # The commune dashboard lists the targets; the commune-wide list shows them too.
            "targets": dashboard or self._tasks(row),
        }


def _year(raw: str | None, years: list[int], today: dt.date) -> int:
    if raw and is_ascii_int(raw) and int(raw) in years:
        return int(raw)
    return default_year(years, today)


def default_year(years: list[int], today: dt.date) -> int:
    """The year the page shows when none is asked for: this one, else the latest planned."""
    if today.year in years or not years:
        return today.year
    return years[0]


def _sort_links(base: dict[str, str], sort: str, descending: bool) -> dict[str, dict[str, Any]]:
    """For each sortable column: its link (clicking the current column flips the order)."""
    links = {}
    for key, (_attr, larger_first) in SORTS.items():
        if key == sort:
            flip = "asc" if descending else "desc"
            query = {**base, "sort": key, "dir": flip}
        else:
            query = {**base, "sort": key}
        links[key] = {
            "url": "?" + urlencode(query),
            "active": key == sort,
            "arrow": ("▼" if descending else "▲") if key == sort else "",
            "default_desc": larger_first,
        }
    return links


def _charts(rows: list[CommuneRow], overview: ProvinceOverview) -> dict[str, Any]:
    """The charts' data (drawn by dashboards/charts.js), each from a table of the page."""
    planned = [r for r in rows if r.plan is not None]
    planned.sort(key=lambda r: (-(r.completion or 0), r.commune.name))
    charts: dict[str, Any] = {}
    if planned:
        charts["completion"] = {
            "type": "bar",
            "horizontal": True,
            "percent": True,
            "labels": [str(r.commune) for r in planned],
            "datasets": [
                {
                    "label": _("Tỷ lệ hoàn thành (%)"),
                    "data": [r.completion or 0 for r in planned],
                    "color": "#198754",
                }
            ],
        }
    compared = [item for item in overview.comparison if item.cells]
    if compared and overview.indicator is not None:
        charts["comparison"] = {
            "type": "bar",
            "horizontal": True,
            "percent": overview.indicator.measure_unit == "%",
            "labels": [str(item.commune) for item in compared],
            "datasets": [
                {
                    "label": _("Giá trị được công nhận mới nhất"),
                    "data": [_number(item.cells[0].value) for item in compared],
                    "color": "#0d6efd",
                },
                {
                    "label": _("Mục tiêu"),
                    "data": [_number(item.cells[0].target.value) for item in compared],
                    "color": "#adb5bd",
                },
            ],
        }
    return charts


# The ranking's filters: a province of 100 communes is read a page at a time.
PAGE_SIZE = 25
STATUS_FILTERS: dict[str, Callable[[CommuneRow], bool]] = {
    "no_plan": lambda row: row.plan is None,
    "late": lambda row: row.plan is not None and row.tasks_late > 0,
    "warnings": lambda row: row.plan is not None and row.warnings_total > 0,
    "on_track": lambda row: (
        row.plan is not None and row.tasks_late == 0 and row.warnings_total == 0
    ),
}


# Not a test of one line: needs the reports of every plan at once (province.communes_unreported).
UNREPORTED = "unreported"


def status_choices() -> list[tuple[str, str]]:
    return [
        ("", _("Tất cả")),
        (UNREPORTED, _("Chưa gửi đủ báo cáo kỳ vừa qua")),
        ("late", _("Có nhiệm vụ trễ hạn")),
        ("warnings", _("Có cảnh báo")),
        ("on_track", _("Không trễ, không cảnh báo")),
        ("no_plan", _("Chưa có kế hoạch")),
    ]


def _folded(text: str) -> str:
    """Lower case, no diacritics: "phuong 1" finds "Phường 1", "đà lạt" finds "Đà Lạt"."""
    text = text.casefold().replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def filter_rows(rows: list[CommuneRow], *, search: str, status: str) -> list[CommuneRow]:
    """The ranking's lines a search by name and a status filter keep, in their order."""
    wanted = _folded(search.strip())
    keep = STATUS_FILTERS.get(status)
    return [
        row
        for row in rows
        if (not wanted or wanted in _folded(row.commune.name)) and (keep is None or keep(row))
    ]


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


@login_required
def province_dashboard_start(request: AppRequest) -> HttpResponse:
    """The province officer's way in: straight to their province, or a list to choose from."""
    provinces = provinces_for_user(request.user)
    if not provinces:
        raise Http404
    if len(provinces) == 1:
        return redirect("province_dashboard", provinces[0].code)
    return render(request, "dashboards/province/start.html", {"provinces": provinces})


@login_required
def province_dashboard(request: AppRequest, code: str) -> HttpResponse:
    province = get_province_for_user(request.user, code)
    today = timezone.localdate()
    years = plan_years(province)
    year = _year(request.GET.get("year"), years, today)
    sort = request.GET.get("sort", "")
    sort = sort if sort in SORTS else "completion"
    direction = request.GET.get("dir", "")
    descending = {"asc": False, "desc": True}.get(direction, SORTS[sort][1])
    indicator_code = request.GET.get("indicator", "")
    overview = province_overview(
        province, year=year, today=today, years=years, indicator_code=indicator_code
    )
    rows = sort_rows(overview.rows, sort, descending)
    search = request.GET.get("q", "")[:100]
    status = request.GET.get("status", "")
    status = status if status in STATUS_FILTERS or status == UNREPORTED else ""
    shown = filter_rows(rows, search=search, status=status)
    if status == UNREPORTED:
        shown = communes_unreported(shown, province=province, year=year, today=today)
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    links = CommuneLinks()
    lines = [(row, links.for_row(row)) for row in page.object_list]
    base_query = {"year": str(year)}
    if overview.indicator:
        base_query["indicator"] = overview.indicator.code
    if search:
        base_query["q"] = search
    if status:
        base_query["status"] = status
    page_query = {**base_query, "sort": sort, "dir": "desc" if descending else "asc"}
    comparison = [
        (item, links.for_row(CommuneRow(commune=item.commune, plan=item.plan)))
        for item in overview.comparison
    ]
    context = {
        "province": province,
        "overview": overview,
        "lines": lines,
        "totals": overview.totals,
        "sort": sort,
        "descending": descending,
        "sort_links": _sort_links(base_query, sort, descending),
        "search": search,
        "status": status,
        "status_choices": status_choices(),
        "page": page,
        "shown_count": len(shown),
        "page_links": {
            "previous": "?" + urlencode({**page_query, "page": page.previous_page_number()})
            if page.has_previous()
            else "",
            "next": "?" + urlencode({**page_query, "page": page.next_page_number()})
            if page.has_next()
            else "",
        },
        "report_query": urlencode({"year": str(year)}),
        "warning_kinds": WARNING_KINDS,
        "comparison": comparison,
        # The completion chart shows the communes of this page only (legible at 100 communes).
        "charts": _charts(list(page.object_list), overview),
    }
    if request.htmx and request.htmx.target == "ranking":
        return render(request, "dashboards/province/dashboard.html#ranking", context)
    if request.htmx and request.htmx.target == "comparison":
        return render(request, "dashboards/province/dashboard.html#comparison", context)
    return render(request, "dashboards/province/dashboard.html", context)


@login_required
def national_dashboard(request: AppRequest) -> HttpResponse:
    """The provinces side by side, each opening its own dashboard where the reader may."""
    if not may_nationally(request.user, Action.VIEW_NATIONAL):
        raise Http404
    today = timezone.localdate()
    years = national_years()
    year = _year(request.GET.get("year"), years, today)
    overview = national_overview(
        year=year, today=today, years=years, linkable=provinces_for_user(request.user)
    )
    context = {
        "overview": overview,
        "rows": overview.rows,
        "totals": overview.totals,
        "warning_kinds": WARNING_KINDS,
        "report_query": urlencode({"year": str(year)}),
    }
    return render(request, "dashboards/national/dashboard.html", context)
