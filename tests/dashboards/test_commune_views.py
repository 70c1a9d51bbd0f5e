"""The commune dashboard, the reporting window (and its reminder) and a unit's dashboard."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse

from theodoi.accounts.models import Role
from theodoi.alerts import services as alert_services
from theodoi.alerts.models import Notification
from theodoi.dashboards.queries import Ratio
from theodoi.tracking.models import ReportState, ReviewStatus, TargetValue, TaskStatus

from ..factories import make_user, unit_of
from ..tracking_factories import period_of, target_of, task_of
from .commune_helpers import (
    COUNT_LINK,
    add_task,
    at,
    completed,
    count_links,
    evidence,
    pin_today,
    plan_in_force,
    report,
    task_rows,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pinned(monkeypatch):  # type: ignore[no-untyped-def]
    pin_today(monkeypatch)


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    return plan_in_force(commune)


@pytest.fixture
def police_unit(commune):  # type: ignore[no-untyped-def]
    return unit_of(commune, "Công an phường")


@pytest.fixture
def culture_unit(commune):  # type: ignore[no-untyped-def]
    return unit_of(commune, "Phòng Văn hóa - Xã hội")


@pytest.fixture
def centre_unit(commune):  # type: ignore[no-untyped-def]
    return unit_of(commune, "Trung tâm Phục vụ hành chính công")


@pytest.fixture
def supervisor(commune):  # type: ignore[no-untyped-def]
    return make_user("mttq", role=Role.SUPERVISOR, commune=commune)


@pytest.fixture
def police_head(commune, police_unit):  # type: ignore[no-untyped-def]
    return make_user("truong-cong-an", role=Role.UNIT_HEAD, commune=commune, unit=police_unit)


def _get(client, user, name, *args, **params):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.get(reverse(name, args=args), params)


@pytest.fixture
def busy_plan(plan, police, police_unit, culture_unit, centre_unit):  # type: ignore[no-untyped-def]
    """Tasks in every state, in two groups and three units, some without a lead."""
    done = add_task(plan, "K.1", lead=police_unit, due=dt.date(2026, 5, 31))
    completed(done, police_unit, police, month=5)
    pending = add_task(plan, "K.2", lead=culture_unit, due=dt.date(2026, 12, 31))
    sent = report(pending, culture_unit, police, month=6, status=TaskStatus.COMPLETED)
    evidence(sent, police, review=ReviewStatus.PENDING)
    rejected = add_task(plan, "K.3", lead=centre_unit, group="Xã hội số")
    sent = report(rejected, centre_unit, police, month=6, status=TaskStatus.COMPLETED)
    evidence(sent, police, review=ReviewStatus.REJECTED)
    paused = add_task(plan, "K.4", lead=police_unit, due=dt.date(2026, 12, 31))
    report(paused, police_unit, police, month=6, status=TaskStatus.PAUSED)
    add_task(plan, "K.5", lead=None, group="Xã hội số", due=dt.date(2026, 12, 31))
    both = add_task(plan, "K.6", lead=police_unit, due=dt.date(2026, 12, 31))
    add_task(plan, "K.6b", lead=culture_unit, due=None, group="")
    from theodoi.plans.models import AssignmentRole, TaskAssignment

    TaskAssignment.objects.create(task=both, unit=centre_unit, role=AssignmentRole.LEAD)
    report(both, police_unit, police, month=6, percent=80)
    return plan


# --- the commune dashboard -------------------------------------------------------------------


def test_those_who_oversee_the_commune_see_its_dashboard(
    client, plan, office, leader, supervisor, province_officer
):
    for user in (office, leader, supervisor, province_officer):
        response = _get(client, user, "commune_dashboard", plan.public_id)
        assert response.status_code == 200, user.username
        assert "Bảng điều khiển thực hiện kế hoạch" in response.content.decode()


def test_a_units_staff_or_head_is_sent_to_their_units_dashboard(
    client, plan, police, police_head, commune
):
    for user in (police, police_head):
        response = _get(client, user, "commune_dashboard", plan.public_id)
        assert response.status_code == 302
        assert response["Location"] == reverse("unit_dashboard", args=[commune.public_id])


def test_another_communes_user_gets_a_404_for_every_page(client, plan, other_office, commune):
    for name, arg in (
        ("commune_dashboard", plan.public_id),
        ("reporting_window", plan.public_id),
        ("task_list", plan.public_id),
        ("unit_dashboard", commune.public_id),
    ):
        assert _get(client, other_office, name, arg).status_code == 404, name
    client.force_login(other_office)
    response = client.post(reverse("reporting_remind", args=[plan.public_id]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"group": "Kinh tế số"},
        {"status": "late"},
        {"unit": "police"},
        {"unit": "none"},
        {"period": 6},
        {"group": "Xã hội số", "status": "rejected"},
        {"stale": "1"},
        {"unit": "police", "status": "late", "stale": "1"},
    ],
    ids=["all", "group", "status", "unit", "no-lead", "period", "group+status", "stale", "mixed"],
)
def test_every_count_on_the_dashboard_equals_the_task_list_it_links_to(
    client, busy_plan, office, police_unit, params
):
    plan = busy_plan
    if params.get("unit") == "police":
        params = {**params, "unit": str(police_unit.public_id)}
    if "period" in params:
        params = {**params, "period": str(period_of(plan, params["period"]).public_id)}
    html = _get(client, office, "commune_dashboard", plan.public_id, **params).content.decode()
    links = count_links(html)
    assert len(links) >= 5
    assert any(count > 0 for _href, count in links)
    for href, count in links:
        listed = task_rows(client.get(href).content.decode())
        assert len(listed) == count, href


def test_the_dashboard_counts_tasks_by_status_per_group_and_per_unit(
    client, busy_plan, office, police_unit, centre_unit
):
    html = _get(client, office, "commune_dashboard", busy_plan.public_id).content.decode()
    by_unit = html.split('id="table-by-unit"')[1].split("</table>")[0]
    police_row = by_unit.split(police_unit.name)[1].split("</tr>")[0]
    # Công an: K.1 done, K.6 in progress, I.1.1 late, K.4 paused → 4 tasks; I.1.1 has
    # had no report for May or June: stale.
    assert [c for _h, c in count_links(police_row)] == [1, 0, 0, 1, 1, 0, 1, 4, 1]
    # K.6 is led by two units: it counts in both rows.
    centre_row = by_unit.split(centre_unit.name)[1].split("</tr>")[0]
    assert [c for _h, c in count_links(centre_row)][-2] == 2
    assert "(chưa gán đơn vị chủ trì)" in by_unit


def test_targets_show_their_latest_accepted_value_beside_the_goal_and_the_upper_level_goal(
    client, plan, office, police, centre_unit
):
    target = target_of(plan, "1")  # ≥ 90%, upper level ≥ 85%
    TargetValue.objects.create(
        commune_id=plan.commune_id, target=target, period=period_of(plan, 5), unit=centre_unit,
        value=88, state=ReportState.SENT, review=ReviewStatus.ACCEPTED, created_by=police,
        sent_at=at(dt.date(2026, 6, 2)),
    )  # fmt: skip
    TargetValue.objects.create(
        commune_id=plan.commune_id, target=target, period=period_of(plan, 6), unit=centre_unit,
        value=91, state=ReportState.SENT, review=ReviewStatus.PENDING, created_by=police,
        sent_at=at(dt.date(2026, 7, 2)),
    )  # fmt: skip
    html = _get(client, office, "commune_dashboard", plan.public_id).content.decode()
    table = html.split('id="target-table"')[1].split("</table>")[0]
    row = table.split("</tr>")[1]
    assert "≥ 90%" in row and "≥ 85%" in row
    assert "88 %" in row  # the accepted value counts
    assert "Chờ thẩm định" in row and "91 %" in row  # the newer one is shown as pending
    assert 'data-target-row="off_track"' in table
    assert "Chưa đạt, chậm tiến độ: 1" in html


def test_the_warnings_list_shows_the_most_severe_with_a_link_to_the_task(client, plan, office):
    html = _get(client, office, "commune_dashboard", plan.public_id).content.decode()
    section = html.split('id="warnings"')[1].split("</section>")[0]
    task = task_of(plan, "I.1.1")
    assert "Quá hạn" in section
    assert reverse("task_detail", args=[task.public_id]) in section


def test_the_trend_shows_per_closed_period_tasks_done_and_reports_on_time(
    client, plan, office, police, police_unit, culture_unit
):
    task = task_of(plan, "I.1.1")
    report(task, police_unit, police, month=5, sent_on=dt.date(2026, 6, 20))  # late
    completed(task, police_unit, police, month=6)  # done 01/07
    report(task_of(plan, "I.1.2"), culture_unit, police, month=6)
    html = _get(client, office, "commune_dashboard", plan.public_id).content.decode()
    table = html.split('id="trend-table"')[1].split("</table>")[0]
    rows = {
        label: row for row in table.split("<tr")[2:] for label in re.findall(r"Tháng \d+/2026", row)
    }
    assert list(rows) == [f"Tháng {m}/2026" for m in range(1, 7)]
    # May: neither task done by 31/05; two reports due, one sent late, one missing.
    assert "0/2 (0%)" in rows["Tháng 5/2026"]
    assert "0/2 (0%)" in rows["Tháng 5/2026"].split("</td>")[1]
    # June: both reports on time; I.1.1 done on 01/07, after June's end.
    assert "2/2 (100%)" in rows["Tháng 6/2026"]
    assert 'data-chart="chart-trend"' in html


def test_the_ranking_shows_each_units_figures_points_and_rank(
    client, plan, office, police, police_unit, culture_unit
):
    completed(task_of(plan, "I.1.1"), police_unit, police, month=6)
    html = _get(client, office, "commune_dashboard", plan.public_id).content.decode()
    table = html.split('id="ranking-table"')[1].split("</table>")[0]
    police_row = table.split(f'data-unit="{police_unit.public_id}"')[1].split("</tr>")[0]
    culture_row = table.split(f'data-unit="{culture_unit.public_id}"')[1].split("</tr>")[0]
    # Công an: I.1.1 done 01/07, after its due date 30/06: 0/1 on time → 0; its evidence
    # accepted at once: 1/1 → 10; of six monthly reports only June's was sent: 1/6 → 0;
    # five missing cost 5 × 0,5: total 7,5.
    assert "0/1 (0%)" in police_row and "1/1 (100%)" in police_row and "1/6" in police_row
    assert "0 + 5 → −2,5<" in police_row
    assert ">7,5</td>" in police_row
    # Văn hóa - Xã hội: a recurring task (no due date) and no evidence reviewed earn the top
    # band; six reports missing: 10 + 10 + 0 − 3 = 17, ranked first.
    assert "không phát sinh" in culture_row
    assert ">17</td>" in culture_row
    assert '<td class="rank">1</td>' in culture_row
    assert '<td class="rank">2</td>' in police_row
    assert "Thang điểm mặc định" in html
    assert "90% đến dưới 100% → 8 điểm" in html


def test_the_three_figures_a_leader_reads_first_open_the_page_and_agree_with_the_tables(
    client, busy_plan, leader
):
    html = _get(client, leader, "commune_dashboard", busy_plan.public_id).content.decode()
    assert html.index('id="summary"') < html.index("dashboard-filters") < html.index("by-group")
    summary = html.split('id="summary"')[1].split('id="by-group"')[0]
    foot = html.split('id="table-by-group"')[1].split("<tfoot>")[1].split("</tfoot>")[0]
    totals = dict(
        (m["status"], int(m["count"])) for m in re.finditer(COUNT_LINK, foot)
    )  # {"done": .., "late": .., "": total, "stale": ..}
    done = summary.split('id="key-done"')[1].split('id="key-late"')[0]
    assert [c for _h, c in count_links(done)] == [totals["done"], totals[""]]
    assert f"({Ratio(totals['done'], totals['']).percent})" in done
    late = summary.split('id="key-late"')[1].split('id="key-targets"')[0]
    assert [c for _h, c in count_links(late)] == [totals["late"], totals["stale"]]
    targets = summary.split('id="key-targets"')[1]
    met = int(re.search(r"Đạt: (\d+)<", html)[1])  # type: ignore[index]
    assert f">{met}/{html.count('data-target-row=')}<" in targets


def test_wide_tables_become_lists_on_a_phone_each_cell_naming_its_column(
    client, busy_plan, office, police_unit
):
    html = _get(client, office, "commune_dashboard", busy_plan.public_id).content.decode()
    tables = ("table-by-group", "table-by-unit", "target-table", "trend-table", "ranking-table")
    for table in tables:
        opening = html.split(f'id="{table}"')[0].rsplit("<table", 1)[1]
        assert "table-stack" in opening, table
    by_unit = html.split('id="table-by-unit"')[1].split("</table>")[0]
    police_row = by_unit.split(police_unit.name)[1].split("</tr>")[0]
    # Công an: 1 done, 0 awaiting review ...: a zero is left out of the stacked list.
    assert '<td class="text-end" data-label="Hoàn thành">' in police_row
    assert '<td class="text-end stack-skip" data-label="Chờ thẩm định minh chứng">' in police_row
    assert 'data-label="Tổng"' in police_row
    # On a phone the tables are folded under a line saying what they hold.
    assert "Bảng số liệu theo đơn vị chủ trì</summary>" in html


def test_every_chart_has_its_table_and_the_page_has_no_inline_script(client, busy_plan, office):
    html = _get(client, office, "commune_dashboard", busy_plan.public_id).content.decode()
    charts = re.findall(r'data-chart="([\w-]+)"', html)
    assert set(charts) == {
        "chart-by-group", "chart-by-unit", "chart-targets", "chart-trend", "chart-ranking"
    }  # fmt: skip
    tables = {
        "chart-by-group": "table-by-group",
        "chart-by-unit": "table-by-unit",
        "chart-targets": "target-table",
        "chart-trend": "trend-table",
        "chart-ranking": "ranking-table",
    }
    for chart in charts:
        assert f'<script id="{chart}" type="application/json">' in html
        assert f'id="{tables[chart]}"' in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "vendor/chart-4.6.1.umd.min.js" in html
    assert html.count('class="table-responsive"') >= 5


# --- the reporting window ----------------------------------------------------------------------


@pytest.fixture
def window_plan(plan, police, police_unit, culture_unit, centre_unit):  # type: ignore[no-untyped-def]
    """July (current period): Công an sent; Văn hóa has a draft; Trung tâm nothing."""
    add_task(plan, "W.1", lead=centre_unit, due=dt.date(2026, 12, 31))
    report(task_of(plan, "I.1.1"), police_unit, police, month=7, sent_on=dt.date(2026, 7, 8))
    report(task_of(plan, "I.1.2"), culture_unit, police, month=7, state=ReportState.DRAFT)
    return plan


def _unreported(html: str) -> list[str]:
    return re.findall(r'data-unreported-unit="([0-9a-f-]+)"', html)


def test_the_reporting_window_lists_exactly_the_units_that_have_not_reported(
    client, window_plan, office, police_unit, culture_unit, centre_unit
):
    html = _get(client, office, "reporting_window", window_plan.public_id).content.decode()
    assert "Tình hình báo cáo Tháng 7/2026" in html
    assert sorted(_unreported(html)) == sorted(
        [str(culture_unit.public_id), str(centre_unit.public_id)]
    )
    culture = html.split(f'data-unit-card="{culture_unit.public_id}"')[1].split("</table>")[0]
    assert 'data-state="draft"' in culture
    centre = html.split(f'data-unit-card="{centre_unit.public_id}"')[1].split("</table>")[0]
    assert 'data-state="missing"' in centre
    police_card = html.split(f'data-unit-card="{police_unit.public_id}"')[1].split("</table>")[0]
    assert 'data-state="sent"' in police_card


def test_a_past_period_can_be_chosen_and_its_awaiting_reports_are_shown(
    client, plan, office, police, police_unit
):
    task = task_of(plan, "I.1.1")
    report(task, police_unit, police, month=3, state=ReportState.AWAITING_HEAD)
    html = _get(
        client, office, "reporting_window", plan.public_id, period=str(period_of(plan, 3).public_id)
    ).content.decode()
    assert "Tình hình báo cáo Tháng 3/2026" in html
    assert 'data-state="awaiting_head"' in html
    assert "Đã hết hạn gửi" in html


def test_a_task_nobody_reported_on_for_two_periods_is_stale_whatever_it_last_said(
    client, plan, office, police, police_unit, culture_unit
):
    # I.1.1 last said "90%, on schedule" in April; nothing for May and June.
    report(task_of(plan, "I.1.1"), police_unit, police, month=4, percent=90)
    report(task_of(plan, "I.1.2"), culture_unit, police, month=6)
    html = _get(client, office, "reporting_window", plan.public_id).content.decode()
    stale = re.findall(r'data-window-task="([0-9a-f-]+)" data-state="\w+" data-stale="1"', html)
    assert stale == [str(task_of(plan, "I.1.1").public_id)]


def test_one_click_reminds_the_units_that_have_not_reported(
    client, window_plan, office, monkeypatch, culture_unit, centre_unit
):
    calls: list[dict[str, Any]] = []

    def remind_units(**kwargs: Any) -> int:
        calls.append(kwargs)
        return len(kwargs["units"])

    monkeypatch.setattr(alert_services, "remind_units", remind_units)
    client.force_login(office)
    july = period_of(window_plan, 7)
    response = client.post(
        reverse("reporting_remind", args=[window_plan.public_id]), {"period": str(july.public_id)}
    )
    assert response.status_code == 302
    assert str(july.public_id) in response["Location"]
    assert len(calls) == 1
    assert {u.pk for u in calls[0]["units"]} == {culture_unit.pk, centre_unit.pk}
    assert calls[0]["period"] == july and calls[0]["plan"] == window_plan
    assert calls[0]["actor"] == office
    page = client.get(response["Location"]).content.decode()
    assert "Đã nhắc 2 đơn vị" in page


def test_a_single_unit_can_be_reminded_and_a_unit_that_reported_is_not(
    client, window_plan, office, monkeypatch, police_unit, centre_unit
):
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(alert_services, "remind_units", lambda **kw: calls.append(kw) or 1)
    client.force_login(office)
    url = reverse("reporting_remind", args=[window_plan.public_id])
    client.post(url, {"unit": str(centre_unit.public_id)})
    assert [u.pk for u in calls[0]["units"]] == [centre_unit.pk]
    client.post(url, {"unit": str(police_unit.public_id)})
    assert len(calls) == 1


def test_a_reminder_reaches_the_members_of_the_units_that_have_not_reported(
    client, window_plan, office, commune, police, culture_unit
):
    culture_staff = make_user("vhxh", role=Role.UNIT_STAFF, commune=commune, unit=culture_unit)
    client.force_login(office)
    response = client.post(reverse("reporting_remind", args=[window_plan.public_id]), follow=True)
    assert Notification.objects.filter(user=culture_staff, text__contains="Nhắc báo cáo").exists()
    # Công an phường sent its report: nobody there is reminded.
    assert not Notification.objects.filter(user=police, text__contains="Nhắc báo cáo").exists()
    assert "1 người nhận" in response.content.decode()


def test_the_office_and_the_leaders_remind_but_not_a_unit_or_the_supervisor(
    client, window_plan, leader, police, supervisor, monkeypatch
):
    monkeypatch.setattr(alert_services, "remind_units", lambda **kw: 0)
    url = reverse("reporting_remind", args=[window_plan.public_id])
    for user in (police, supervisor):
        client.force_login(user)
        assert client.post(url).status_code == 403
    html = _get(client, supervisor, "reporting_window", window_plan.public_id).content.decode()
    assert "reporting/remind/" not in html
    client.force_login(leader)
    assert client.post(url).status_code == 302


def test_a_units_staff_is_sent_from_the_reporting_window_to_their_dashboard(
    client, plan, police, commune
):
    response = _get(client, police, "reporting_window", plan.public_id)
    assert response.status_code == 302
    assert response["Location"] == reverse("unit_dashboard", args=[commune.public_id])


# --- the unit dashboard ----------------------------------------------------------------------


def test_a_unit_sees_its_tasks_by_urgency_and_what_it_must_report_this_period(
    client, plan, commune, police, police_unit
):
    # On 10/07, with the plan running from 15/01: U.1 needs about 95% by now, half of it
    # to be on schedule; U.2 about 50%; U.3 about 77%.
    soon = add_task(plan, "U.1", lead=police_unit, due=dt.date(2026, 7, 20))
    report(soon, police_unit, police, month=6, percent=70)
    rest = add_task(plan, "U.2", lead=police_unit, due=dt.date(2026, 12, 31))
    report(rest, police_unit, police, month=6, percent=30)
    behind = add_task(plan, "U.3", lead=police_unit, due=dt.date(2026, 8, 31))
    report(behind, police_unit, police, month=6, percent=5)
    html = _get(client, police, "unit_dashboard", commune.public_id).content.decode()

    def codes_in(urgency: str) -> list[str]:
        card = html.split(f'data-urgency="{urgency}"')[1].split("</ul>")[0]
        ids = re.findall(r'data-urgent-task="([0-9a-f-]+)"', card)
        return [plan.tasks.get(public_id=i).code for i in ids]

    assert codes_in("overdue") == ["I.1.1"]
    assert codes_in("behind") == ["U.3"]
    assert codes_in("due_soon") == ["U.1"]
    assert codes_in("rest") == ["U.2"]
    july = period_of(plan, 7)
    report_url = reverse("report_edit", args=[task_of(plan, "I.1.1").public_id])
    assert f"{report_url}?period={july.public_id}" in html
    assert "Cần báo cáo Tháng 7/2026" in html


def test_a_sent_report_leaves_the_list_of_what_to_report(
    client, plan, commune, police, police_unit
):
    task = task_of(plan, "I.1.1")
    report(task, police_unit, police, month=7, sent_on=dt.date(2026, 7, 9))
    html = _get(client, police, "unit_dashboard", commune.public_id).content.decode()
    assert f'data-to-report="{task.public_id}"' not in html


def test_a_unit_sees_its_own_warnings_only(client, plan, commune, police):
    html = _get(client, police, "unit_dashboard", commune.public_id).content.decode()
    assert "Công an phường" in html.split("Cảnh báo của đơn vị")[1]
    assert "Phòng Văn hóa - Xã hội chưa gửi" not in html


def test_a_unit_supporting_a_task_reports_its_contribution_and_sees_it(
    client, plan, commune, police, police_unit, culture_unit
):
    task = add_task(plan, "S.1", lead=culture_unit, support=police_unit)
    html = _get(client, police, "unit_dashboard", commune.public_id).content.decode()
    assert f'data-to-report="{task.public_id}"' in html
    assert "Phối hợp" in html


def test_the_office_may_look_at_any_units_dashboard_but_a_units_staff_only_at_its_own(
    client, plan, commune, office, police, culture_unit, police_unit, other_commune
):
    html = _get(
        client, office, "unit_dashboard", commune.public_id, unit=str(police_unit.public_id)
    ).content.decode()
    assert "Số hóa hồ sơ lĩnh vực hộ tịch" in html
    # Looking is not reporting: the office gets no report button for the unit's tasks.
    assert reverse("report_edit", args=[task_of(plan, "I.1.1").public_id]) not in html
    response = _get(
        client, police, "unit_dashboard", commune.public_id, unit=str(culture_unit.public_id)
    )
    assert response.status_code == 403
    stranger = unit_of(other_commune, "Công an xã")
    response = _get(
        client, office, "unit_dashboard", commune.public_id, unit=str(stranger.public_id)
    )
    assert response.status_code == 404


def test_someone_without_a_unit_is_asked_to_choose_one(client, plan, commune, leader):
    html = _get(client, leader, "unit_dashboard", commune.public_id).content.decode()
    assert "Hãy chọn một đơn vị để xem." in html


# --- query budgets -------------------------------------------------------------------------------


def _fill(plan, police, police_unit, culture_unit, start, n):  # type: ignore[no-untyped-def]
    """``n`` more tasks, each with three months of reports, evidence and a July draft."""
    for i in range(start, start + n):
        unit = police_unit if i % 2 else culture_unit
        task = add_task(plan, f"Q.{i}", lead=unit, support=culture_unit, due=dt.date(2026, 9, 30))
        for month in (4, 5):
            report(task, unit, police, month=month, percent=10 * month)
        sent = report(task, unit, police, month=6, status=TaskStatus.COMPLETED)
        evidence(sent, police, review=ReviewStatus.REJECTED if i % 3 else ReviewStatus.ACCEPTED)
        report(task, unit, police, month=7, state=ReportState.DRAFT)


# What each page costs whatever the number of tasks; the base page's own queries (session,
# user, the navigation's badges) included, with a little room for the navigation to grow.
BUDGETS = {
    "commune_dashboard": 27,  # 24: each state read once (the warnings share them)
    "reporting_window": 30,
    "task_list": 24,
    "unit_dashboard": 42,
}


@pytest.mark.parametrize("name", list(BUDGETS))
def test_a_pages_queries_do_not_grow_with_the_number_of_tasks_and_reports(
    client, plan, commune, office, police, police_unit, culture_unit, name,
    django_assert_max_num_queries,
):  # fmt: skip
    user = police if name == "unit_dashboard" else office
    arg = commune.public_id if name == "unit_dashboard" else plan.public_id
    client.force_login(user)
    url = reverse(name, args=[arg])
    counts = []
    for start, n in ((0, 5), (5, 35)):
        _fill(plan, police, police_unit, culture_unit, start, n)
        with django_assert_max_num_queries(BUDGETS[name]) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
