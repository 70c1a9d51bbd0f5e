"""A commune's public page: aggregates only, and a 404 until the commune switches it on."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from theodoi.accounts.models import Role
from theodoi.accounts.services import public_page_set
from theodoi.dashboards.public import plan_figures
from theodoi.tracking.models import ReviewStatus, TaskStatus

from ..factories import make_user, unit_of
from ..tracking.helpers import document_evidence, mark_sent
from ..tracking_factories import day, make_active_plan, make_report, task_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_a(commune):  # type: ignore[no-untyped-def]
    """Hòa Phong's commune administrator: switches the public page on."""
    return make_user("quantri", role=Role.COMMUNE_ADMIN, commune=commune)


@pytest.fixture
def plan_with_one_task_done(commune, police):  # type: ignore[no-untyped-def]
    plan = make_active_plan(commune)
    report = make_report(
        task_of(plan, "I.1.1"),
        unit_of(commune, "Công an phường"),
        police,
        status=TaskStatus.COMPLETED,
        percent=100,
        done="Đã số hóa 1.240 hồ sơ hộ tịch",
    )
    document_evidence(user=police, report=report, review=ReviewStatus.ACCEPTED)
    mark_sent(report)
    return plan


def test_the_public_page_is_a_404_while_switched_off(commune, plan_with_one_task_done):
    assert Client().get(reverse("public_commune", args=[commune.code])).status_code == 404


def test_an_unknown_commune_is_a_404_too(db):
    assert Client().get(reverse("public_commune", args=["khong-co"])).status_code == 404


def test_the_figures_count_leaf_tasks_done_and_targets_met_by_group(plan_with_one_task_done):
    figures = plan_figures(plan_with_one_task_done, today=day(7, 1))
    assert (figures.total.tasks_done, figures.total.tasks_total) == (1, 2)
    assert (figures.total.targets_met, figures.total.targets_total) == (0, 2)
    by_group = {g.group: (g.tasks_done, g.tasks_total, g.targets_total) for g in figures.groups}
    assert by_group == {"Chính quyền số": (1, 2, 1), "Xã hội số": (0, 0, 1)}


def test_the_public_page_shows_aggregates_without_names_or_evidence(
    admin_a, commune, police, plan_with_one_task_done
):
    public_page_set(actor=admin_a, commune=commune, enabled=True)
    response = Client().get(reverse("public_commune", args=[commune.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "1/2" in body  # tasks done
    assert "0/2" in body  # targets met
    assert "Chính quyền số" in body and "Xã hội số" in body
    for private in (
        police.get_full_name() or police.username,
        police.username,
        "Công an phường",  # no unit, no task named either
        "Số hóa hồ sơ lĩnh vực hộ tịch",
        "1.240 hồ sơ",
        "466/PVHXH",  # the evidence
        "Đỗ Văn An",  # the plan's signer
    ):
        assert private not in body, private


def test_the_admin_switches_the_page_on_and_off(admin_a, commune):
    client = Client()
    client.force_login(admin_a)
    url = reverse("public_page_settings", args=[commune.public_id])
    client.post(url, {"public_page": "1"})
    assert Client().get(reverse("public_commune", args=[commune.code])).status_code == 200
    client.post(url, {"public_page": "0"})
    assert Client().get(reverse("public_commune", args=[commune.code])).status_code == 404
