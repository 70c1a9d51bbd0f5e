"""The province dashboard page: who may open it, what it shows, where its numbers lead."""

from __future__ import annotations

import re

import pytest
from bench.generate import generate_province
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from theodoi.accounts.models import Role
from theodoi.plans.indicators import indicators_load, indicators_match
from theodoi.plans.models import Target
from theodoi.tracking.status import task_states

from ..factories import PASSWORD, make_commune, make_province, make_user
from ..tracking_factories import make_active_plan

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _url(province, **query: str) -> str:  # type: ignore[no-untyped-def]
    url = reverse("province_dashboard", args=[province.code])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


@pytest.fixture
def plans(commune, other_commune):  # type: ignore[no-untyped-def]
    """Hòa Phong and Tân Hòa, both of the province, each with its active plan."""
    indicators_load()
    made = [make_active_plan(commune), make_active_plan(other_commune)]
    for plan in made:
        indicators_match(plan=plan)
    return made


# -- who may open it -------------------------------------------------------------------------


def test_a_province_officer_sees_every_commune_of_the_province(province_officer, province, plans):
    response = _client(province_officer).get(_url(province))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hòa Phong" in body
    assert "Tân Hòa" in body
    assert body.count('class="commune-row"') == 2


def test_a_system_administrator_may_open_any_province(province, plans):
    admin = make_user("quantri", superuser=True)
    assert _client(admin).get(_url(province)).status_code == 200


@pytest.mark.parametrize("who", ["office", "leader", "police", "other_office"])
def test_commune_people_get_a_404(request, who, province, plans):
    user = request.getfixturevalue(who)
    assert _client(user).get(_url(province)).status_code == 404


def test_an_officer_of_another_province_gets_a_404(province, plans):
    elsewhere = make_province("Biển Xanh")
    officer = make_user("so-bienxanh", role=Role.PROVINCE_OFFICER, province=elsewhere)
    assert _client(officer).get(_url(province)).status_code == 404
    # ... and their own province's page never lists this province's communes.
    make_active_plan(make_commune("Hải An", "phường", elsewhere))
    body = _client(officer).get(_url(elsewhere)).content.decode()
    assert "Hải An" in body
    assert "Hòa Phong" not in body


def test_an_unknown_province_is_a_404(province_officer):
    response = _client(province_officer).get("/provinces/khong-co/dashboard/")
    assert response.status_code == 404


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(province, plans):
    response = Client().get(_url(province))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_way_in_leads_a_province_officer_to_their_province(province_officer, province):
    response = _client(province_officer).get(reverse("province_dashboard_start"))
    assert response.status_code == 302
    assert response["Location"] == _url(province)


def test_the_way_in_lists_every_province_for_a_system_administrator(province):
    make_province("Biển Xanh")
    response = _client(make_user("quantri", superuser=True)).get(
        reverse("province_dashboard_start")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Lâm Viên" in body
    assert "Biển Xanh" in body


def test_the_way_in_is_a_404_for_commune_staff(office):
    assert _client(office).get(reverse("province_dashboard_start")).status_code == 404


def test_a_password_login_works_too(province_officer, province, plans):
    client = Client()
    assert client.login(username="so-khcn", password=PASSWORD)
    assert client.get(_url(province)).status_code == 200


# -- what it shows, and where its numbers lead -------------------------------------------------


def _line(body: str, commune_code: str) -> str:
    match = re.search(
        rf'<tr class="commune-row" data-commune="{commune_code}">(.*?)</tr>', body, re.S
    )
    assert match, commune_code
    return match.group(1)


def _cell(line: str, css: str) -> re.Match[str]:
    match = re.search(rf'<td class="[^"]*\b{css}\b[^"]*">(.*?)</td>', line, re.S)
    assert match, (css, line)
    return match


def _links(html: str) -> list[tuple[str, str]]:
    return [
        (href.replace("&amp;", "&"), text)
        for href, text in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>([^<]*)</a>', html)
    ]


def test_the_done_and_late_counts_lead_to_lists_of_exactly_those_tasks():
    today = timezone.localdate()
    generated = generate_province(communes=2, tasks=10, targets=5, today=today, code="t", name="T")
    client = _client(generated.officer)
    body = client.get(_url(generated.province)).content.decode()
    for plan in generated.plans:
        tasks = list(plan.tasks.all())
        states = task_states(tasks, today=today)
        parents = {t.parent_id for t in tasks if t.parent_id}
        leaves = [t for t in tasks if t.pk not in parents]
        line = _line(body, plan.commune.code)
        (done_url, done), (all_url, total), *late = _links(_cell(line, "tasks").group(1))
        assert int(total) == len(leaves)
        wanted = {
            done_url: {t.public_id for t in leaves if states[t.pk].done},
            all_url: {t.public_id for t in leaves},
        }
        assert int(done) == len(wanted[done_url])
        if late:
            late_url, late_text = late[0]
            assert int(late_text.split()[0]) > 0
            wanted[late_url] = {
                t.public_id
                for t in leaves
                if states[t.pk].late
                and not states[t.pk].done
                and states[t.pk].completion == "none"
                and states[t.pk].status != "paused"
            }
        for url, expected in wanted.items():
            page = client.get(url)
            assert page.status_code == 200, url
            shown = {t.public_id for t in tasks if str(t.public_id) in page.content.decode()}
            assert shown == expected, url


def test_the_commune_name_leads_to_that_communes_page(province_officer, province, plans, commune):
    client = _client(province_officer)
    body = client.get(_url(province)).content.decode()
    (url, name), *_rest = _links(_line(body, commune.code))
    assert name == "phường Hòa Phong"
    page = client.get(url)
    assert page.status_code == 200
    assert "Hòa Phong" in page.content.decode()


def test_every_link_of_a_communes_line_opens_a_page(province_officer, province, plans, commune):
    # The warnings count once led to a 404: it passed the plan where the URL wants the commune.
    client = _client(province_officer)
    body = client.get(_url(province)).content.decode()
    links = _links(_line(body, commune.code))
    assert len(links) >= 3
    for url, _name in links:
        assert client.get(url).status_code == 200, url


def test_the_page_compares_one_indicator_across_communes(province_officer, province, plans):
    response = _client(province_officer).get(_url(province, indicator="tthc-xu-ly-truc-tuyen"))
    body = response.content.decode()
    assert "So sánh chỉ số" in body
    assert body.count('class="comparison-row"') == 2
    assert "Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến" in body
    assert 'id="comparison-data"' in body  # the chart's data, drawn from this table


def test_sorting_by_a_column_with_htmx_returns_only_the_ranking(province_officer, province, plans):
    response = _client(province_officer).get(
        _url(province, sort="warnings", dir="desc"),
        headers={"HX-Request": "true", "HX-Target": "ranking"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="ranking"')
    assert "<html" not in body


def test_a_year_nobody_planned_for_falls_back_to_the_current_one(province_officer, province, plans):
    body = _client(province_officer).get(_url(province, year="2031")).content.decode()
    assert "năm 2026" in body
    assert body.count("45/KH-UBND") == 2  # both communes' plans of 2026


def test_a_year_written_in_other_digits_falls_back_instead_of_failing(
    province_officer, province, plans
):
    response = _client(province_officer).get(_url(province, year="２０２６²"))
    assert response.status_code == 200
    assert "năm 2026" in response.content.decode()


# -- cheap -------------------------------------------------------------------------------------


def test_the_page_costs_the_same_queries_for_2_or_6_communes():
    counts = []
    for n, code in ((2, "hai"), (6, "sau")):
        generated = generate_province(
            communes=n,
            tasks=10 * n // 2,
            targets=n + 3,
            today=timezone.localdate(),
            code=code,
            name=f"Tỉnh {code}",
            seed=n,
        )
        client = _client(generated.officer)
        client.get(_url(generated.province))  # warm the session
        # An indicator some commune's target is matched to: its values are read.
        compared = Target.objects.filter(plan__in=generated.plans, indicator__isnull=False)
        indicator = compared.values_list("indicator__code", flat=True).first()
        reset_queries()  # Django empties the log as each request starts
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_url(generated.province, indicator=indicator, sort="on_time"))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # Session, user, access, the overview from the summaries and the compared targets'
    # values, the layout.
    assert counts[1] <= 25
