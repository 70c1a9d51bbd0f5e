"""The leader on a 390 × 844 phone, over the demo's commune (seven units, fifteen tasks, ten
months of reports): the dashboard, the warnings page and a task page fit the screen's width,
the dashboard is a few screens long, chart names are whole, warnings and history are folded.
The same pages at 1280 px keep the desk layout (tables open, no fold lines). Screenshots of
every page at both sizes go to /tmp/leader-*.png (THEODOI_SHOTS to put them elsewhere)."""

from __future__ import annotations

import os

import pytest
from django.db.models import Count
from django.urls import reverse

from theodoi.demo.services import DEMO_PASSWORD, demo_load
from theodoi.plans.models import Plan

from .signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}
SHOTS = os.environ.get("THEODOI_SHOTS") or "/tmp"
# Measured on the demo commune at 390 × 844: 8,597 px before the phone layout, 3,319 px with
# it (key figures, two bar charts, targets, three warnings, the trend, folded tables and
# ranking). The bound leaves room for a few more periods, units or a longer warning, and is
# still about four screens: the leader reaches the ranking with a few flicks.
DASHBOARD_MAX_HEIGHT = 3600


def _login(browser, live_server, viewport, refused):  # type: ignore[no-untyped-def]
    return sign_in(
        browser, live_server, "lanhdao", DEMO_PASSWORD, viewport=viewport, refused=refused
    )


def _width(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.evaluate("document.documentElement.scrollWidth"))


def _height(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.evaluate("document.documentElement.scrollHeight"))


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=os.path.join(SHOTS, f"leader-{name}.png"), full_page=True)


def _open_every_fold(page) -> None:  # type: ignore[no-untyped-def]
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    demo_load()
    plan = Plan.objects.active().get(commune__name="Hòa Phong")
    task = plan.tasks.annotate(n=Count("reports")).order_by("-n", "position").first()
    assert task is not None and task.n >= 3  # months of reports to fold
    return plan, task


def test_the_leader_reads_dashboard_warnings_and_a_task_on_a_phone(browser, live_server, demo):
    plan, task = demo
    refused: list[str] = []
    context, page = _login(browser, live_server, PHONE, refused)

    # The dashboard: the three figures first, on the first screen.
    page.goto(f"{live_server.url}{reverse('commune_dashboard', args=[plan.public_id])}")
    page.wait_for_selector(".hbar-label")
    _shot(page, "dashboard-390")
    assert _width(page) <= 390
    height = _height(page)
    assert height < DASHBOARD_MAX_HEIGHT, height
    figures = page.locator("#summary .key-figure")
    assert figures.count() == 3
    assert figures.nth(2).bounding_box()["y"] + 60 < PHONE["height"]  # type: ignore[index]
    assert "Nhiệm vụ hoàn thành" in figures.nth(0).inner_text()
    assert "Chỉ tiêu đạt" in figures.nth(2).inner_text()

    # Bar charts: every unit or group name whole on its own line, its values in words.
    labels = page.locator("#by-unit .hbar-label")
    assert labels.count() == 7
    clipped = page.evaluate(
        "[...document.querySelectorAll('.hbar-label')].filter(l => l.offsetParent !== null)"
        ".filter(l => l.scrollWidth > l.clientWidth || l.getBoundingClientRect().right > 390)"
        ".map(l => l.textContent)"
    )
    assert clipped == []
    assert "Công an phường" in page.inner_text("#by-unit figure")
    assert page.locator("#by-unit .hbar-values").first.inner_text().strip()
    # What is still drawn on a canvas (trend, targets) has room: no 40 px squashed strip.
    heights = page.evaluate(
        "[...document.querySelectorAll('canvas')].map(c => c.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 150

    # The tables are folded; opened, they are lists that fit the phone's width.
    assert not page.is_visible("#table-by-unit")
    page.click("#by-unit summary")
    assert page.is_visible("#table-by-unit")
    _open_every_fold(page)
    assert _width(page) <= 390
    row = page.locator("#table-by-unit tbody tr").first
    assert row.bounding_box()["width"] <= 390  # type: ignore[index]

    # The warnings page: one fold per unit with its count, nothing unfolded, no note fields.
    page.goto(f"{live_server.url}{reverse('warning_list', args=[plan.commune.public_id])}")
    _shot(page, "warnings-390")
    assert _width(page) <= 390
    groups = page.locator("details.warning-group")
    assert groups.count() >= 3
    assert page.locator("details.warning-group[open]").count() == 0
    counts = [int(n) for n in page.locator(".warning-group .group-count").all_inner_texts()]
    assert sum(counts) >= int(page.locator("#warning-list .btn-primary .badge").inner_text())
    assert page.locator("input[name=note]:visible").count() == 0
    # Opening a unit shows its warnings; acknowledging one opens its note field only.
    groups.first.locator("> summary").click()
    assert groups.first.locator(".warning-row").first.is_visible()
    assert page.locator("input[name=note]:visible").count() == 0
    groups.first.locator(".ack-fold summary").first.click()
    assert page.locator("input[name=note]:visible").count() == 1
    _shot(page, "warnings-open-390")
    assert _width(page) <= 390

    # A task page: the latest period open, earlier ones one line each.
    page.goto(f"{live_server.url}{reverse('task_detail', args=[task.public_id])}")
    _shot(page, "task-390")
    assert _width(page) <= 390
    periods = page.locator("details.report-period")
    assert periods.count() >= 3
    assert page.locator("details.report-period[open]").count() == 1
    assert periods.first.get_attribute("open") is not None
    line = periods.nth(1).locator("summary").inner_text()
    assert "Tháng" in line and "%" in line
    assert not periods.nth(1).locator(".report").first.is_visible()
    assert refused == []  # nothing needed an inline style or script
    context.close()


def test_the_same_pages_on_a_desk_keep_their_tables_open(browser, live_server, demo):
    plan, task = demo
    refused: list[str] = []
    context, page = _login(browser, live_server, DESK, refused)
    page.goto(f"{live_server.url}{reverse('commune_dashboard', args=[plan.public_id])}")
    page.wait_for_selector(".hbar-label")
    _shot(page, "dashboard-1280")
    assert _width(page) <= 1280
    # No fold lines on a desk: the tables and the ranking chart are simply there.
    for table in ("#table-by-group", "#table-by-unit", "#target-table", "#ranking-table"):
        assert page.is_visible(table), table
    assert not page.is_visible("#by-unit details.fold-sm > summary")
    # The unit's name sits beside its bar.
    label = page.locator("#by-unit .hbar-label").first.bounding_box()
    bar = page.locator("#by-unit .hbar-track").first.bounding_box()
    assert label is not None and bar is not None
    assert bar["x"] > label["x"] + label["width"] - 1
    page.goto(f"{live_server.url}{reverse('warning_list', args=[plan.commune.public_id])}")
    _shot(page, "warnings-1280")
    assert _width(page) <= 1280
    page.goto(f"{live_server.url}{reverse('task_detail', args=[task.public_id])}")
    _shot(page, "task-1280")
    assert _width(page) <= 1280
    assert refused == []
    context.close()
