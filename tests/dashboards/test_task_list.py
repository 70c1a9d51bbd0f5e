"""The plan's task list: every dashboard number clicks through to it, with the same filter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from theodoi.accounts.models import Role
from theodoi.tracking.models import ReportState, TaskStatus

from ..factories import make_user, unit_of
from ..tracking_factories import task_of
from .commune_helpers import add_task, completed, pin_today, plan_in_force, report, task_rows

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


def _list(client, user, plan, **params):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.get(reverse("task_list", args=[plan.public_id]), params)


def _codes(plan, html):  # type: ignore[no-untyped-def]
    ids = task_rows(html)
    by_id = {str(t.public_id): t.code for t in plan.tasks.all()}
    return [by_id[i] for i in ids]


def test_the_list_shows_only_specific_tasks_since_a_general_one_speaks_through_its_children(
    client, office, plan
):
    response = _list(client, office, plan)
    assert response.status_code == 200
    # I.1 has the children I.1.1 and I.1.2: counting it too would count its work twice.
    assert _codes(plan, response.content.decode()) == ["I.1.1", "I.1.2"]


def test_each_row_shows_state_percent_lead_due_date_and_links_to_the_task(
    client, office, plan, police, police_unit
):
    task = task_of(plan, "I.1.1")
    report(task, police_unit, police, month=6, percent=60)
    html = _list(client, office, plan).content.decode()
    row = html.split(f'data-task-row="{task.public_id}"')[1].split("</tr>")[0]
    assert reverse("task_detail", args=[task.public_id]) in row
    assert "Công an phường" in row
    assert "30/06/2026" in row
    assert "60%" in row
    # Due 30/06, still in progress on 10/07: late.
    assert "Đang thực hiện trễ hạn" in row


def test_filters_by_group_unit_and_status_combine(
    client, office, plan, police, police_unit, culture_unit
):
    add_task(plan, "K.1", lead=police_unit, group="Kinh tế số", due=dt.date(2026, 12, 31))
    done = add_task(plan, "K.2", lead=police_unit, group="Kinh tế số")
    add_task(plan, "K.3", lead=culture_unit, group="Kinh tế số", due=dt.date(2026, 12, 31))
    completed(done, police_unit, police, month=5)

    html = _list(client, office, plan, group="Kinh tế số").content.decode()
    assert _codes(plan, html) == ["K.1", "K.2", "K.3"]
    html = _list(
        client, office, plan, group="Kinh tế số", unit=str(police_unit.public_id)
    ).content.decode()
    assert _codes(plan, html) == ["K.1", "K.2"]
    html = _list(
        client, office, plan, group="Kinh tế số", unit=str(police_unit.public_id), status="done"
    ).content.decode()
    assert _codes(plan, html) == ["K.2"]


def test_the_period_filter_keeps_tasks_due_by_the_end_of_that_period(
    client, office, plan, police_unit
):
    add_task(plan, "K.1", lead=police_unit, due=dt.date(2026, 3, 31))
    add_task(plan, "K.2", lead=police_unit, due=dt.date(2026, 4, 1))
    march = plan.periods.get(kind="month", number=3)
    html = _list(client, office, plan, period=str(march.public_id)).content.decode()
    # Recurring I.1.2 has no due date; I.1.1 is due 30/06.
    assert _codes(plan, html) == ["K.1"]


def test_tasks_without_a_lead_unit_can_be_listed_on_their_own(client, office, plan, police_unit):
    add_task(plan, "K.1", lead=None)
    html = _list(client, office, plan, unit="none").content.decode()
    assert _codes(plan, html) == ["K.1"]


def test_a_task_nobody_reported_on_for_two_periods_is_listed_as_stale(
    client, office, plan, police, police_unit, culture_unit
):
    # Closed on 10/07: January to June. I.1.1 was last reported in April; I.1.2 in June.
    report(task_of(plan, "I.1.1"), police_unit, police, month=4, percent=90)
    report(task_of(plan, "I.1.2"), culture_unit, police, month=6)
    html = _list(client, office, plan, stale="1").content.decode()
    assert _codes(plan, html) == ["I.1.1"]
    assert "Không cập nhật 2 kỳ" in html


def test_the_filter_lives_in_the_query_string_so_the_link_can_be_shared(
    client, office, leader, plan, police_unit
):
    params = {"unit": str(police_unit.public_id), "status": "late"}
    first = _list(client, office, plan, **params).content.decode()
    client.logout()
    second = _list(client, leader, plan, **params).content.decode()
    assert _codes(plan, first) == _codes(plan, second) == ["I.1.1"]
    assert f'value="{police_unit.public_id}" selected' in second


def test_an_htmx_request_gets_only_the_results(client, office, plan):
    client.force_login(office)
    response = client.get(
        reverse("task_list", args=[plan.public_id]), {"status": "late"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "<nav" not in html


def test_an_unknown_status_is_ignored_but_another_communes_unit_is_a_404(
    client, office, plan, other_commune
):
    assert len(task_rows(_list(client, office, plan, status="bogus").content.decode())) == 2
    stranger = unit_of(other_commune, "Công an xã")
    assert _list(client, office, plan, unit=str(stranger.public_id)).status_code == 404
    assert _list(client, office, plan, period="not-a-uuid").status_code == 404


def test_everyone_of_the_commune_may_read_the_list_but_another_commune_gets_a_404(
    client, plan, police, leader, province_officer, other_office, commune
):
    supervisor = make_user("mttq", role=Role.SUPERVISOR, commune=commune)
    for user in (police, leader, province_officer, supervisor):
        assert _list(client, user, plan).status_code == 200
        client.logout()
    assert _list(client, other_office, plan).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, plan):
    response = client.get(reverse("task_list", args=[plan.public_id]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def _many(plan, unit, user, start, n):  # type: ignore[no-untyped-def]
    for i in range(start, start + n):
        task = add_task(plan, f"N.{i}", lead=unit, due=dt.date(2026, 9, 30))
        for month in (4, 5, 6):
            report(task, unit, user, month=month, percent=10 * month)
        report(task, unit, user, month=7, state=ReportState.DRAFT, status=TaskStatus.IN_PROGRESS)


# Session, user, memberships, plan, periods, units, tasks, assignments, task states, stale
# check, the navigation's badges, session save: none of them per task (with a little room
# for the navigation to grow).
BUDGET = 24


def test_the_list_costs_the_same_queries_for_5_or_40_tasks_with_reports(
    client, office, plan, police, police_unit, django_assert_max_num_queries
):
    client.force_login(office)
    url = reverse("task_list", args=[plan.public_id])
    params = {"unit": str(police_unit.public_id)}
    counts = []
    for start, n in ((0, 5), (5, 35)):
        _many(plan, police_unit, police, start, n)
        with django_assert_max_num_queries(BUDGET) as captured:
            response = client.get(url, params)
        counts.append(len(captured))
        assert len(task_rows(response.content.decode())) == start + n + 1
    assert counts[0] == counts[1]
