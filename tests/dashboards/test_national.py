"""The national view: provinces side by side, each opening its own dashboard for those who
may, with the province dashboard's figures summed, in queries that do not grow with the
number of provinces or communes."""

from __future__ import annotations

import datetime as dt

import pytest
from bench.generate import GeneratedProvince, generate_province
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from theodoi.dashboards.province import national_overview, province_overview

from ..factories import make_user

pytestmark = pytest.mark.django_db

URL = "/national/"


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _province(code: str, communes: int, seed: int = 1) -> GeneratedProvince:
    today = timezone.localdate()
    return generate_province(
        communes=communes,
        tasks=10,
        targets=4,
        year=today.year,
        today=today,
        code=code,
        name=f"Tỉnh {code.title()}",
        seed=seed,
    )


@pytest.fixture
def two() -> tuple[GeneratedProvince, GeneratedProvince]:
    return _province("lam-vien", 2, seed=3), _province("cao-nguyen", 3, seed=4)


def test_the_url_is_the_national_view():
    assert reverse("national_dashboard") == URL


def test_a_province_officer_compares_with_the_rest_but_opens_only_their_own(two):
    home, away = two
    body = _client(home.officer).get(URL).content.decode()
    assert body.count('class="province-row"') == 2
    assert reverse("province_dashboard", args=[home.province.code]) in body
    assert reverse("province_dashboard", args=[away.province.code]) not in body
    assert away.province.name in body


def test_a_system_administrator_opens_every_province(two):
    admin = make_user("quantri-he-thong", superuser=True)
    body = _client(admin).get(URL).content.decode()
    for generated in two:
        assert reverse("province_dashboard", args=[generated.province.code]) in body


def test_a_communes_office_does_not_see_it(two):
    home, _away = two
    office = home.offices[home.communes[0].pk]
    assert _client(office).get(URL).status_code == 404


def test_someone_signed_out_is_sent_to_sign_in():
    response = Client().get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"] or "dang-nhap" in response["Location"]


def test_the_province_page_leads_to_the_national_view(two):
    home, _away = two
    url = reverse("province_dashboard", args=[home.province.code])
    body = _client(home.officer).get(url).content.decode()
    assert 'id="national-link"' in body
    assert URL in body


def test_each_provinces_line_sums_its_dashboard(two):
    today = timezone.localdate()
    national = {r.province.pk: r for r in national_overview(year=today.year, today=today).rows}
    for generated in two:
        overview = province_overview(generated.province, year=today.year, today=today)
        totals = overview.totals
        row = national[generated.province.pk]
        assert (row.communes, row.communes_with_plan) == (
            len(overview.rows),
            overview.communes_with_plan,
        )
        assert (
            row.tasks_total,
            row.tasks_done,
            row.tasks_late,
            row.tasks_due,
            row.tasks_on_time,
            row.targets_total,
            row.targets_met,
            row.warnings,
        ) == (
            totals.tasks_total,
            totals.tasks_done,
            totals.tasks_late,
            totals.tasks_due,
            totals.tasks_on_time,
            totals.targets_total,
            totals.targets_met,
            totals.warnings,
        )
        assert row.progress == pytest.approx(totals.progress)


def test_the_summary_figures_equal_the_live_ones_on_a_later_day(two):
    """As of a later day the national view reads the summaries; the province's live path
    (a past cut-off) reads the reports: both give the same figures for the same day."""
    home, _away = two
    later = timezone.localdate() + dt.timedelta(days=40)
    year = timezone.localdate().year
    rows = national_overview(year=year, today=later).rows
    row = next(r for r in rows if r.province.pk == home.province.pk)
    summed = province_overview(home.province, year=year, today=later, live=True).totals
    assert (row.tasks_done, row.tasks_late, row.tasks_on_time, row.targets_met, row.warnings) == (
        summed.tasks_done,
        summed.tasks_late,
        summed.tasks_on_time,
        summed.targets_met,
        summed.warnings,
    )


def test_the_page_costs_the_same_queries_for_1_or_3_provinces():
    admin = make_user("quantri-he-thong", superuser=True)
    client = _client(admin)
    counts = []
    for made in (("mot",), ("hai", "ba", "bon")):
        for n, code in enumerate(made):
            _province(code, 1 + n, seed=n)
        client.get(URL)  # warm the session
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # Session, user, who may see and open what (2), the years, the figures from the
    # summaries (7), the warnings (5), the provinces, the layout.
    assert counts[1] <= 20
