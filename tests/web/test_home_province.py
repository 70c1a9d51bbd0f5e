"""A province officer's home page: one line per province, not a card per commune."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ..factories import make_commune

pytestmark = pytest.mark.django_db


def test_a_province_officer_sees_one_line_for_the_province_not_every_commune(
    client, province_officer, province, commune
):
    for i in range(12):
        make_commune(f"Số {i}", kind="xã", province=province)
    client.force_login(province_officer)
    page = client.get("/").content.decode()
    assert page.count('class="card mb-3 border-primary province-line"') == 1
    assert "13 xã, phường" in page
    assert reverse("province_dashboard", args=[province.code]) in page
    assert reverse("plan_list", args=[commune.public_id]) not in page


def test_commune_staff_still_see_their_commune(client, office, commune):
    client.force_login(office)
    page = client.get("/").content.decode()
    assert reverse("plan_list", args=[commune.public_id]) in page
    assert "province-line" not in page
