"""The warnings list of a commune and a person's notifications. Thin views over services.

The commune is fetched through ``get_commune_for_user``: another commune's list is a 404.
Every action is a plain form post that redirects back; with HTMX the same endpoint answers
with the changed row only.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from theodoi.accounts.access import get_commune_for_user
from theodoi.lib.http import AppRequest
from theodoi.lib.inputs import ascii_int, is_ascii_int
from theodoi.units.models import Commune, Unit

from . import inbox, services
from .models import Notification, WarningAck
from .rules import KIND_LABELS, Severity, Warning

FILTER_KEYS = ("kind", "unit", "ack", "new")
ACK_CHOICES = {"open": "Chưa ghi nhận", "done": "Đã ghi nhận"}
SEVERITY_BADGES = {
    Severity.HIGH: ("Cao", "text-bg-danger"),
    Severity.MEDIUM: ("Trung bình", "text-bg-warning"),
    Severity.LOW: ("Thấp", "text-bg-secondary"),
}


def _user(request: AppRequest) -> User:
    # login_required guarantees it; the assert narrows the type.
    assert isinstance(request.user, User)
    return request.user


# --- the warnings of a commune ------------------------------------------------------------


@dataclass
class WarningRow:
    warning: Warning
    ack: WarningAck | None
    url: str
    severity_label: str
    severity_css: str
    error: str = ""
    repeat: int = 0  # shown again under its second, third ... unit: no second page anchor

    @property
    def anchor(self) -> str:
        return "w-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.warning.key)


@dataclass
class WarningGroup:
    """One unit's warnings, folded on the page under the unit's name and counts by kind."""

    key: str  # the unit's public id, or "" for warnings about no unit
    name: str
    rows: list[WarningRow]
    kinds: list[tuple[str, int]]  # (kind label, count), in the kinds' order, none zero

    @property
    def count(self) -> int:
        return len(self.rows)


def group_by_unit(rows: list[WarningRow], units: list[Unit]) -> list[WarningGroup]:
    """The rows under each unit they concern, as the unit filter would list them.

    A warning about a task two units lead appears under both (as the dashboard counts it in
    both rows); warnings about none of ``units`` come last under one heading. Units with the
    most warnings come first, then by name.
    """
    by_unit: dict[int, list[WarningRow]] = {u.pk: [] for u in units}
    loose: list[WarningRow] = []
    for row in rows:
        mine = [pk for pk in row.warning.unit_ids if pk in by_unit]
        for n, pk in enumerate(dict.fromkeys(mine)):
            by_unit[pk].append(replace(row, repeat=n) if n else row)
        if not mine:
            loose.append(row)
    named = [(u, by_unit[u.pk]) for u in units if by_unit[u.pk]]
    named.sort(key=lambda pair: (-len(pair[1]), pair[0].name))
    groups = [WarningGroup(str(u.public_id), u.name, found, _kinds(found)) for u, found in named]
    if loose:
        groups.append(WarningGroup("", _("Không gắn với đơn vị nào"), loose, _kinds(loose)))
    return groups


def _kinds(rows: list[WarningRow]) -> list[tuple[str, int]]:
    counts = {kind: 0 for kind in KIND_LABELS}
    for row in rows:
        counts[row.warning.kind] += 1
    return [(_(KIND_LABELS[kind]), n) for kind, n in counts.items() if n]


def _row(warning: Warning, ack: WarningAck | None, error: str = "") -> WarningRow:
    label, css = SEVERITY_BADGES[warning.severity]
    return WarningRow(
        warning=warning,
        ack=ack,
        url=services.warning_path(warning),
        severity_label=_(label),
        severity_css=css,
        error=error,
    )


def _filters(query: QueryDict, units: list[Unit]) -> dict[str, str]:
    """The list's filters from a query string; unknown values are ignored, not refused."""
    kind = query.get("kind", "")
    unit = query.get("unit", "")
    ack = query.get("ack", "")
    return {
        "kind": kind if kind in KIND_LABELS else "",
        "unit": unit if any(str(u.public_id) == unit for u in units) else "",
        "ack": ack if ack in ACK_CHOICES else "",
        # Only the warnings never shown to this person (the leader's inbox links here).
        "new": "1" if query.get("new") == "1" else "",
    }


def _query_string(filters: dict[str, str]) -> str:
    query = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        if filters.get(key):
            query[key] = filters[key]
    return query.urlencode()


def _list_context(request: AppRequest, commune: Commune, query: QueryDict) -> dict[str, Any]:
    today = timezone.localdate()
    scope = services.warning_scope(request.user, commune)
    pairs = services.warnings_for_user(request.user, commune, today, scope=scope)
    units = [
        u
        for u in Unit.objects.of_commune(commune).active()
        if scope.everything or u.pk in scope.unit_ids
    ]
    filters = _filters(query, units)
    unit = next((u for u in units if str(u.public_id) == filters["unit"]), None)
    if unit is not None:
        pairs = [(w, a) for w, a in pairs if unit.pk in w.unit_ids]
    if filters["ack"]:
        pairs = [(w, a) for w, a in pairs if (a is not None) == (filters["ack"] == "done")]
    if filters["new"]:
        new = {w.key for w in inbox.new_warnings(_user(request), commune, today=today)}
        pairs = [(w, a) for w, a in pairs if w.key in new]
    counts = {kind: 0 for kind in KIND_LABELS}
    for warning, _ack in pairs:
        counts[warning.kind] += 1
    if filters["kind"]:
        pairs = [(w, a) for w, a in pairs if w.kind == filters["kind"]]
    base = reverse("warning_list", args=[commune.public_id])
    chips = [
        {
            "label": _("Tất cả"),
            "count": sum(counts.values()),
            "active": not filters["kind"],
            "url": base + "?" + _query_string({**filters, "kind": ""}),
        }
    ] + [
        {
            "label": _(label),
            "count": counts[kind],
            "active": filters["kind"] == kind,
            "url": base + "?" + _query_string({**filters, "kind": kind}),
        }
        for kind, label in KIND_LABELS.items()
        if counts[kind] or filters["kind"] == kind
    ]
    rows = [_row(w, a) for w, a in pairs]
    return {
        "commune": commune,
        "today": today,
        "rows": rows,
        "groups": group_by_unit(rows, [unit] if unit is not None else units),
        "filters": filters,
        "query": _query_string(filters),
        "kinds": [(kind, _(label)) for kind, label in KIND_LABELS.items()],
        "units": units,
        "ack_choices": [(k, _(v)) for k, v in ACK_CHOICES.items()],
        "chips": chips,
        "everything": scope.everything,
        "can_ack": services.is_commune_member(request.user, commune),
    }


@login_required
def warning_list(request: AppRequest, commune_id: uuid.UUID) -> HttpResponse:
    commune = get_commune_for_user(request.user, commune_id)
    context = _list_context(request, commune, request.GET)
    services.warnings_seen(
        user=_user(request), commune=commune, keys=[row.warning.key for row in context["rows"]]
    )
    if request.htmx and not request.htmx.boosted:
        return render(request, "alerts/warning_list.html#warning-list", context)
    return render(request, "alerts/warning_list.html", context)


@login_required
def directions_open(request: AppRequest, commune_id: uuid.UUID) -> HttpResponse:
    """The leaders' directions that the lead unit has not acknowledged yet."""
    from theodoi.tracking.queries import directions_awaiting_acknowledgement

    commune = get_commune_for_user(request.user, commune_id)
    directions = directions_awaiting_acknowledgement(commune)
    return render(
        request, "alerts/directions_open.html", {"commune": commune, "directions": directions}
    )


@login_required
@require_POST
def warning_ack(request: AppRequest, commune_id: uuid.UUID) -> HttpResponse:
    commune = get_commune_for_user(request.user, commune_id)
    key = request.POST.get("key", "")
    note = request.POST.get("note", "").strip()
    error = ""
    try:
        services.warning_acknowledge(commune=commune, key=key, user=_user(request), note=note)
    except services.AlertError as exc:
        error = exc.message
    if request.htmx:
        pairs = services.warnings_for_user(request.user, commune, timezone.localdate())
        found = next(((w, a) for w, a in pairs if w.key == key), None)
        context = {
            "commune": commune,
            "row": _row(*found, error=error) if found else None,
            "gone": error,
            "query": request.POST.get("q", ""),
            "can_ack": services.is_commune_member(request.user, commune),
        }
        return render(request, "alerts/warning_list.html#warning-row", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Đã ghi nhận cảnh báo."))
    # Back to the same filtered list, at the row that was acknowledged.
    query = _query_string(_filters(QueryDict(request.POST.get("q", "")), _all_units(commune)))
    url = reverse("warning_list", args=[commune.public_id])
    anchor = "#w-" + re.sub(r"[^A-Za-z0-9_-]", "-", key) if key and not error else ""
    return redirect(url + ("?" + query if query else "") + anchor)


def _all_units(commune: Commune) -> list[Unit]:
    return list(Unit.objects.of_commune(commune))


# --- a person's notifications -------------------------------------------------------------

NOTIFICATIONS_PER_PAGE = 50


def _notifications_context(request: AppRequest, page: str | None) -> dict[str, Any]:
    user = _user(request)
    notifications = Notification.objects.filter(user=user).select_related("commune")
    paginator = Paginator(notifications, NOTIFICATIONS_PER_PAGE)
    page_obj = paginator.get_page(page)
    return {
        "page_obj": page_obj,
        "notifications": list(page_obj.object_list),
        "unread": Notification.objects.filter(user=user).unread().count(),
        "several_communes": len({n.commune_id for n in page_obj.object_list}) > 1,
        "page": page_obj.number,
    }


@login_required
def notification_list(request: AppRequest) -> HttpResponse:
    context = _notifications_context(request, request.GET.get("page"))
    if request.htmx and not request.htmx.boosted:
        return render(request, "alerts/notification_list.html#notification-list", context)
    return render(request, "alerts/notification_list.html", context)


@login_required
@require_POST
def notification_read(request: AppRequest) -> HttpResponse:
    """Mark one notification read (and, with ``go``, open its page), or all of them."""
    user = _user(request)
    now = timezone.now()
    page = request.POST.get("page") or None
    if request.POST.get("all"):
        Notification.objects.filter(user=user).unread().update(read_at=now)
        if request.htmx:
            context = _notifications_context(request, page)
            return render(request, "alerts/notification_list.html#notification-list", context)
        messages.success(request, _("Đã đánh dấu tất cả thông báo là đã đọc."))
        return redirect(_notifications_url(page))
    notification = (
        Notification.objects.filter(user=user, pk=ascii_int(request.POST.get("id"), missing=-1))
        .select_related("commune")
        .first()
    )
    if notification is None:
        raise Http404
    if notification.read_at is None:
        notification.read_at = now
        notification.save(update_fields=["read_at"])
    if request.POST.get("go") and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    if request.htmx:
        # The whole list, so that the count of unread ones stays right.
        context = _notifications_context(request, page)
        return render(request, "alerts/notification_list.html#notification-list", context)
    return redirect(_notifications_url(page))


def _notifications_url(page: str | None) -> str:
    url = reverse("notification_list")
    return f"{url}?page={page}" if page and is_ascii_int(page) and page != "1" else url
