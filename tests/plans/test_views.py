from __future__ import annotations

import pytest
from django.urls import reverse

from theodoi.plans.services import UnitResolver, plan_create_from_json

from ..factories import PASSWORD, make_plan_json

pytestmark = pytest.mark.django_db


def _plan(commune):
    return plan_create_from_json(
        commune=commune, plan_json=make_plan_json(), resolver=UnitResolver.for_commune(commune),
        created_by=None,
    )  # fmt: skip


@pytest.mark.parametrize("who", ["office", "police", "leader", "province_officer"])
def test_everyone_of_the_commune_and_its_province_reads_the_plan(client, commune, who, request):
    plan = _plan(commune)
    client.login(username=request.getfixturevalue(who).username, password=PASSWORD)
    response = client.get(reverse("plan_detail", args=[plan.public_id]))
    assert response.status_code == 200
    assert "Số hóa hồ sơ lĩnh vực hộ tịch" in response.content.decode()


def test_another_communes_user_gets_not_found_for_the_plan_and_the_list(
    client, commune, other_office
):
    plan = _plan(commune)
    client.login(username=other_office.username, password=PASSWORD)
    assert client.get(reverse("plan_detail", args=[plan.public_id])).status_code == 404
    assert client.get(reverse("plan_list", args=[commune.public_id])).status_code == 404


def test_a_replaced_plan_says_which_plan_replaced_it(client, commune, office):
    old = _plan(commune)
    new = plan_create_from_json(
        commune=commune, plan_json=make_plan_json(number="60/KH-UBND"),
        resolver=UnitResolver.for_commune(commune), created_by=None,
    )  # fmt: skip
    client.login(username=office.username, password=PASSWORD)
    page = client.get(reverse("plan_detail", args=[old.public_id])).content.decode()
    assert "Đã được thay thế" in page
    assert reverse("plan_detail", args=[new.public_id]) in page


def test_home_lists_only_the_users_communes(client, commune, other_commune, office):
    client.login(username=office.username, password=PASSWORD)
    page = client.get(reverse("home")).content.decode()
    assert "Hòa Phong" in page
    assert "Tân Hòa" not in page


def test_only_the_office_is_offered_to_add_a_task(client, commune, office, police):
    plan = _plan(commune)
    url = reverse("plan_detail", args=[plan.public_id])
    client.login(username=office.username, password=PASSWORD)
    assert reverse("task_add", args=[plan.public_id]) in client.get(url).content.decode()
    client.login(username=police.username, password=PASSWORD)
    assert reverse("task_add", args=[plan.public_id]) not in client.get(url).content.decode()


def test_each_task_links_to_its_page(client, commune, office):
    plan = _plan(commune)
    client.login(username=office.username, password=PASSWORD)
    page = client.get(reverse("plan_detail", args=[plan.public_id])).content.decode()
    for task in plan.tasks.all():
        assert reverse("task_detail", args=[task.public_id]) in page
