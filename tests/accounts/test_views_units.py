"""The commune's units, kept by its administrator: add, rename, stop, resume."""

from __future__ import annotations

import pytest
from django.urls import reverse

from theodoi.units.models import Unit

from ..factories import unit_of
from .helpers import client_of

pytestmark = pytest.mark.django_db


def test_the_admin_adds_a_unit(admin_a, commune):
    client = client_of(admin_a)
    response = client.post(
        reverse("unit_list", args=[commune.public_id]), {"name": "Tổ tuyên truyền số"}
    )
    assert response.status_code == 302
    assert Unit.objects.filter(commune=commune, name="Tổ tuyên truyền số", is_active=True).exists()


def test_a_duplicate_unit_name_is_refused_on_the_page(admin_a, commune):
    response = client_of(admin_a).post(
        reverse("unit_list", args=[commune.public_id]), {"name": "Công an phường"}
    )
    assert response.status_code == 400
    assert "đã có đơn vị “Công an phường”" in response.content.decode()


def test_the_admin_renames_stops_and_resumes_a_unit(admin_a, commune):
    client = client_of(admin_a)
    unit = unit_of(commune, "Trạm Y tế phường")
    url = reverse("unit_update", args=[commune.public_id, unit.public_id])
    client.post(url, {"action": "rename", "name": "Trạm Y tế phường Hòa Phong"})
    client.post(url, {"action": "disable"})
    unit.refresh_from_db()
    assert (unit.name, unit.is_active) == ("Trạm Y tế phường Hòa Phong", False)
    page = client.get(reverse("unit_list", args=[commune.public_id])).content.decode()
    assert "Ngừng hoạt động" in page
    client.post(url, {"action": "enable"})
    unit.refresh_from_db()
    assert unit.is_active


def test_a_stopped_unit_is_not_offered_when_creating_a_person(admin_a, commune):
    unit = unit_of(commune, "Trạm Y tế phường")
    client = client_of(admin_a)
    client.post(
        reverse("unit_update", args=[commune.public_id, unit.public_id]), {"action": "disable"}
    )
    page = client.get(reverse("person_create", args=[commune.public_id])).content.decode()
    assert str(unit.public_id) not in page


def test_another_communes_unit_is_a_404_even_through_ones_own_commune(
    admin_a, commune, other_commune
):
    foreign = unit_of(other_commune, "Công an xã")
    url = reverse("unit_update", args=[commune.public_id, foreign.public_id])
    response = client_of(admin_a).post(url, {"action": "disable"})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_active
