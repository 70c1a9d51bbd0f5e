"""The province page for a province of many communes: search, status filter, paging, downloads."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from ..factories import make_commune
from ..tracking_factories import make_active_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(province_officer, province, commune, other_commune):  # type: ignore[no-untyped-def]
    """Hòa Phong and Tân Hòa with plans, and 30 communes without one."""
    make_active_plan(commune)
    make_active_plan(other_commune)
    for i in range(1, 31):
        make_commune(f"Số {i:02d}", kind="xã", province=province)
    client = Client()
    client.force_login(province_officer)

    def get(**query: str) -> str:
        url = reverse("province_dashboard", args=[province.code])
        response = client.get(url, query)
        assert response.status_code == 200
        return response.content.decode()

    return get


NAME = re.compile(r'<th scope="row" class="text-nowrap">(?:<a href="[^"]*">)?([^<]+)<')


def _names(body: str) -> list[str]:
    """The communes of the ranking's lines, in order (the totals row has no such cell)."""
    return NAME.findall(body)


def test_a_search_finds_a_commune_typed_without_diacritics(page):
    assert [n.split(" ", 1)[1] for n in _names(page(q="hoa phong"))] == ["Hòa Phong"]


def test_a_search_that_matches_nothing_says_so(page):
    assert "Không có xã, phường nào khớp với tìm kiếm." in page(q="không có")


def test_the_status_filter_keeps_only_communes_without_a_plan(page):
    body = page(status="no_plan", sort="name")
    assert "Xã, phường 1–25 trong 30" in body
    assert all(name.endswith(tuple(f"Số {i:02d}" for i in range(1, 31))) for name in _names(body))


def test_the_ranking_is_read_25_communes_a_page_and_the_next_page_follows(page):
    first = page(sort="name")
    assert len(_names(first)) == 25
    assert "Trang 1/2" in first
    second = page(sort="name", page="2")
    assert len(_names(second)) == 7
    assert not set(_names(first)) & set(_names(second))


def test_the_next_page_link_keeps_the_search_and_the_order(page):
    body = page(status="no_plan", sort="name", dir="desc")
    link = re.search(r'href="(\?[^"]+)"[^>]*rel="next"', body)
    assert link is not None
    assert "status=no_plan" in link[1] and "sort=name" in link[1] and "dir=desc" in link[1]


def test_the_province_reports_are_linked_and_download(page, province_officer, province):
    body = page()
    client = Client()
    client.force_login(province_officer)
    for name in ("province_report_xlsx", "province_report_docx"):
        url = reverse(name, args=[province.code])
        assert f'href="{url}?year=' in body
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")


def test_the_completion_chart_is_shown_not_folded_away(page):
    body = page()
    assert 'id="completion-chart"' in body
    assert "<details" not in body


def _chart_labels(body: str) -> list[str]:
    data = body.split('<script id="completion-data" type="application/json">')[1]
    return json.loads(data.split("</script>")[0])["labels"]


def test_the_completion_chart_draws_only_the_communes_being_read(page):
    # Both communes with a plan on the unfiltered page; one once the search narrows it.
    assert len(_chart_labels(page())) == 2
    assert [n.split(" ", 1)[1] for n in _chart_labels(page(q="hoa phong"))] == ["Hòa Phong"]
    # Paging by HTMX swaps the ranking part, which holds its own chart.
    ranking = page().split('<div id="ranking"')[1].split("Nhiệm vụ được đếm như")[0]
    assert 'id="completion-chart"' in ranking
