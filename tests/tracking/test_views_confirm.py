"""The unit head confirms (or returns) the unit's reports before they reach the office."""

from __future__ import annotations

import pytest
from django.urls import reverse

from theodoi.accounts.models import Role
from theodoi.tracking.models import ReportState
from theodoi.tracking.services import report_submit

from ..factories import PASSWORD, make_user, unit_of
from ..tracking_factories import make_active_plan, make_report, task_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    return make_active_plan(commune)


@pytest.fixture
def police_unit(commune):  # type: ignore[no-untyped-def]
    return unit_of(commune, "Công an phường")


@pytest.fixture
def police_head(commune, police_unit):  # type: ignore[no-untyped-def]
    return make_user("truong-ca", role=Role.UNIT_HEAD, commune=commune, unit=police_unit)


@pytest.fixture
def awaiting(plan, police, police_unit):  # type: ignore[no-untyped-def]
    """A police staff report on I.1.1, sent to the unit head."""
    report = make_report(task_of(plan, "I.1.1"), police_unit, police, done="Đã số hóa 3.000 hồ sơ")
    return report_submit(report=report, user=police, version=report.version)


def _login(client, user):  # type: ignore[no-untyped-def]
    client.login(username=user.username, password=PASSWORD)
    return client


def test_the_head_sees_the_units_reports_waiting_for_confirmation(
    client, commune, awaiting, police_head
):
    response = _login(client, police_head).get(
        reverse("report_confirm_queue", args=[commune.public_id])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Đã số hóa 3.000 hồ sơ" in page
    assert "Số hóa hồ sơ lĩnh vực hộ tịch" in page
    assert reverse("report_confirm", args=[awaiting.public_id]) in page


@pytest.mark.parametrize("version", ["²", "١", "+1", "9" * 40])
def test_a_version_that_is_not_plain_digits_is_a_400_and_confirms_nothing(
    client, awaiting, police_head, version
):
    before = awaiting.state
    response = _login(client, police_head).post(
        reverse("report_confirm", args=[awaiting.public_id]), {"version": version}
    )
    assert response.status_code == 400
    awaiting.refresh_from_db()
    assert awaiting.state == before == ReportState.AWAITING_HEAD


def test_confirming_sends_the_report_to_the_office(client, commune, awaiting, police_head):
    response = _login(client, police_head).post(
        reverse("report_confirm", args=[awaiting.public_id]), {"version": awaiting.version},
        follow=True,
    )  # fmt: skip
    assert "Đã xác nhận và gửi báo cáo I.1.1" in response.content.decode()
    awaiting.refresh_from_db()
    assert (awaiting.state, awaiting.confirmed_by) == (ReportState.SENT, police_head)
    assert "Không có báo cáo nào chờ xác nhận" in response.content.decode()


def test_returning_gives_the_report_back_to_its_author_as_a_draft(
    client, awaiting, police_head, police
):
    _login(client, police_head).post(
        reverse("report_return", args=[awaiting.public_id]), {"version": awaiting.version}
    )
    awaiting.refresh_from_db()
    assert awaiting.state == ReportState.DRAFT
    client.logout()
    # The author can edit it again.
    page = (
        _login(client, police)
        .get(
            reverse("report_edit", args=[awaiting.task.public_id])
            + f"?period={awaiting.period.public_id}"
        )
        .content.decode()
    )
    assert 'id="report-form"' in page


def test_a_confirmation_from_an_outdated_screen_is_refused(client, awaiting, police_head):
    response = _login(client, police_head).post(
        reverse("report_confirm", args=[awaiting.public_id]), {"version": awaiting.version - 1},
        follow=True,
    )  # fmt: skip
    assert "vừa được người khác cập nhật" in response.content.decode()
    awaiting.refresh_from_db()
    assert awaiting.state == ReportState.AWAITING_HEAD


def test_staff_cannot_confirm_and_see_why_the_queue_is_empty(client, commune, awaiting, police):
    _login(client, police)
    page = client.get(reverse("report_confirm_queue", args=[commune.public_id])).content.decode()
    assert "Chỉ lãnh đạo đơn vị mới xác nhận" in page
    url = reverse("report_confirm", args=[awaiting.public_id])
    assert client.post(url, {"version": awaiting.version}).status_code == 404
    awaiting.refresh_from_db()
    assert awaiting.state == ReportState.AWAITING_HEAD


def test_the_head_of_another_unit_cannot_confirm(client, commune, awaiting):
    other_head = make_user(
        "truong-pvhcc", role=Role.UNIT_HEAD, commune=commune,
        unit=unit_of(commune, "Trung tâm Phục vụ hành chính công"),
    )  # fmt: skip
    _login(client, other_head)
    page = client.get(reverse("report_confirm_queue", args=[commune.public_id])).content.decode()
    assert "Đã số hóa 3.000 hồ sơ" not in page
    for name in ("report_confirm", "report_return"):
        url = reverse(name, args=[awaiting.public_id])
        assert client.post(url, {"version": awaiting.version}).status_code == 404


def test_another_communes_user_gets_not_found(client, commune, awaiting, other_office):
    _login(client, other_office)
    assert client.get(reverse("report_confirm_queue", args=[commune.public_id])).status_code == 404
    url = reverse("report_confirm", args=[awaiting.public_id])
    assert client.post(url, {"version": awaiting.version}).status_code == 404


def test_confirming_needs_a_post(client, awaiting, police_head):
    url = reverse("report_confirm", args=[awaiting.public_id])
    assert _login(client, police_head).get(url).status_code == 405
