"""A target's page and its value form (Vietnamese numbers, numerator / denominator, yes / no)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from theodoi.accounts.models import Role
from theodoi.tracking.models import ReportState, ReviewStatus, TargetValue
from theodoi.tracking.periods import current_period
from theodoi.tracking.services import (
    ValueInput,
    target_value_review,
    target_value_save,
    target_value_submit,
)

from ..factories import PASSWORD, make_user, unit_of
from ..tracking_factories import make_active_plan, period_of, target_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    return make_active_plan(commune)


@pytest.fixture
def pvhcc(commune):  # type: ignore[no-untyped-def]
    return unit_of(commune, "Trung tâm Phục vụ hành chính công")


@pytest.fixture
def pvhcc_staff(commune, pvhcc):  # type: ignore[no-untyped-def]
    """Staff of the centre that owns target 1 (≥ 90% of procedures handled online)."""
    return make_user("pvhcc", role=Role.UNIT_STAFF, commune=commune, unit=pvhcc)


def _login(client, user):  # type: ignore[no-untyped-def]
    client.login(username=user.username, password=PASSWORD)
    return client


def _edit_url(target) -> str:  # type: ignore[no-untyped-def]
    return reverse("target_value_edit", args=[target.public_id])


def _form(**overrides: str) -> dict[str, str]:
    data = {"value": "", "numerator": "", "denominator": "", "source": "", "note": "",
            "version": "0", "action": "save"}  # fmt: skip
    data.update(overrides)
    return data


def test_a_rate_typed_as_numerator_and_denominator_is_stored_with_its_percentage(
    client, plan, pvhcc_staff, pvhcc
):
    target = target_of(plan, "1")
    response = _login(client, pvhcc_staff).post(
        _edit_url(target),
        _form(numerator="1.245", denominator="1.482", source="Hệ thống thông tin giải quyết TTHC"),
    )
    assert response.status_code == 302
    tv = TargetValue.objects.get(target=target, unit=pvhcc)
    assert (tv.numerator, tv.denominator, tv.value) == (
        Decimal(1245), Decimal(1482), Decimal("84.01"),
    )  # fmt: skip
    assert tv.period == current_period(plan, timezone.localdate())
    page = client.get(response["Location"]).content.decode()
    assert 'value="1.245"' in page and 'value="1.482"' in page  # written back the same way
    assert "84,01 % (1.245 / 1.482)" in page


def test_a_value_with_a_decimal_comma_is_read_as_vietnamese_write_it(
    client, plan, pvhcc_staff, pvhcc
):
    _login(client, pvhcc_staff).post(_edit_url(target_of(plan, "1")), _form(value="88,5"))
    assert TargetValue.objects.get().value == Decimal("88.5")


def test_an_unreadable_number_is_refused_with_an_example(client, plan, pvhcc_staff):
    response = _login(client, pvhcc_staff).post(_edit_url(target_of(plan, "1")), _form(value="9x"))
    assert response.status_code == 400
    assert "Ví dụ cách viết: 1.245 hoặc 98,5" in response.content.decode()
    assert not TargetValue.objects.exists()


def test_a_missing_value_is_refused_with_the_services_message(client, plan, pvhcc_staff):
    response = _login(client, pvhcc_staff).post(_edit_url(target_of(plan, "1")), _form())
    assert response.status_code == 400
    assert "Hãy nhập giá trị thực hiện" in response.content.decode()


def test_a_value_meeting_the_target_is_not_sent_without_evidence(client, plan, pvhcc_staff):
    response = _login(client, pvhcc_staff).post(
        _edit_url(target_of(plan, "1")), _form(value="95", action="send")
    )
    assert response.status_code == 400
    assert "cần ít nhất một minh chứng" in response.content.decode()
    assert TargetValue.objects.get().state == ReportState.DRAFT


def test_a_value_below_the_target_is_sent_and_shows_as_pending(client, plan, pvhcc_staff, office):
    target = target_of(plan, "1")
    _login(client, pvhcc_staff)
    response = client.post(_edit_url(target), _form(value="80", action="send"))
    assert response["Location"] == reverse("target_detail", args=[target.public_id])
    tv = TargetValue.objects.get()
    assert (tv.state, tv.review) == (ReportState.SENT, ReviewStatus.PENDING)
    client.logout()
    page = _login(client, office).get(response["Location"]).content.decode()
    assert "Chờ thẩm định" in page
    assert "Đã gửi, chờ thẩm định" in page


def test_a_qualitative_target_takes_a_yes_or_no(client, plan, commune):
    staff = make_user(
        "vhxh", role=Role.UNIT_STAFF, commune=commune,
        unit=unit_of(commune, "Phòng Văn hóa - Xã hội"),
    )  # fmt: skip
    target = target_of(plan, "2")
    _login(client, staff)
    page = client.get(_edit_url(target)).content.decode()
    assert 'name="achieved_claim"' in page and 'name="numerator"' not in page
    refused = client.post(_edit_url(target), {"source": "", "note": "", "version": "0"})
    assert refused.status_code == 400
    client.post(
        _edit_url(target), {"achieved_claim": "no", "note": "Đang xây dựng", "version": "0"}
    )
    assert TargetValue.objects.get().achieved_claim is False


def test_the_target_page_shows_both_levels_and_only_accepted_values_count(
    client, plan, pvhcc_staff, pvhcc, office
):
    target = target_of(plan, "1")
    for month, value in ((2, 70), (3, 80)):
        tv = target_value_save(
            target=target, period=period_of(plan, month), unit=pvhcc, user=pvhcc_staff,
            data=ValueInput(value=Decimal(value), source="Cổng DVC"),
        )  # fmt: skip
        tv = target_value_submit(target_value=tv, user=pvhcc_staff, version=tv.version)
    first = TargetValue.objects.get(period__number=2)
    target_value_review(
        target_value=first, reviewer=office, decision=ReviewStatus.ACCEPTED, note="",
        version=first.version,
    )  # fmt: skip
    page = _login(client, office).get(reverse("target_detail", args=[target.public_id]))
    html = page.content.decode()
    assert "≥ 90%" in html and "≥ 85%" in html  # the commune's and the upper level's
    assert "Lũy kế (tính đến ngày báo cáo)" in html
    assert 'id="target-counted">70 %' in html  # March's 80 waits for review
    assert "Chưa đạt (có số liệu mới chờ thẩm định)" in html
    assert "Tháng 3/2026" in html and "Tháng 2/2026" in html
    assert "Đã được chấp nhận" in html


def test_a_stale_value_save_keeps_the_typed_value(client, plan, pvhcc_staff, pvhcc):
    target = target_of(plan, "1")
    theirs = target_value_save(
        target=target, period=current_period(plan, timezone.localdate()), unit=pvhcc,
        user=pvhcc_staff, data=ValueInput(value=Decimal(75)),
    )  # fmt: skip
    response = _login(client, pvhcc_staff).post(_edit_url(target), _form(value="77,5", version="0"))
    assert response.status_code == 409
    page = response.content.decode()
    assert 'value="77,5"' in page
    assert "vừa được người khác cập nhật" in page
    theirs.refresh_from_db()
    assert theirs.value == Decimal(75)


@pytest.mark.parametrize("who", ["police", "office", "leader"])
def test_only_the_owning_unit_enters_values(client, plan, who, request):
    _login(client, request.getfixturevalue(who))
    target = target_of(plan, "1")
    assert client.get(_edit_url(target)).status_code == 404
    assert client.post(_edit_url(target), _form(value="80")).status_code == 404
    assert client.get(reverse("target_detail", args=[target.public_id])).status_code == 200


def test_another_communes_user_gets_not_found(client, plan, other_office):
    _login(client, other_office)
    target = target_of(plan, "1")
    assert client.get(reverse("target_detail", args=[target.public_id])).status_code == 404
    assert client.get(_edit_url(target)).status_code == 404
