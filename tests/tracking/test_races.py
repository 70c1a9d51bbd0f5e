"""Two busy colleagues at once: every decision on a report or a target value has one winner;
the others are refused as stale (409), nothing is overwritten and nothing is a 500."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

import pytest

from theodoi.accounts.models import Role
from theodoi.tracking.models import ProgressReport, ReportState, TargetValue
from theodoi.tracking.services import (
    ValueInput,
    report_submit,
    target_value_save,
    target_value_submit,
)

from ..api.conftest import ApiClient, token_for
from ..evidence.factories import staff_of
from ..factories import make_user, unit_of
from ..races import THREADS, needs_postgresql, race
from ..tracking_factories import make_active_plan, make_report, period_of, target_of, task_of

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    return make_active_plan(commune)


def _url(plan, month: int = 3) -> str:  # type: ignore[no-untyped-def]
    task, period = task_of(plan, "I.1.1"), period_of(plan, month)
    return f"/tasks/{task.public_id}/reports/{period.public_id}"


def _clients(user, n: int = THREADS) -> list[ApiClient]:  # type: ignore[no-untyped-def]
    return [ApiClient(token_for(user, f"Máy {i}")) for i in range(n)]


def test_simultaneous_first_saves_of_one_report_make_one_report(plan, police):
    calls = [
        (lambda api=api, i=i: api.put(_url(plan), {"status": "in_progress", "percent": 10 + i}))
        for i, api in enumerate(_clients(police))
    ]
    assert race(calls) == {200: 1, 409: THREADS - 1}
    report = ProgressReport.objects.get()
    assert report.version == 1


def test_simultaneous_updates_from_one_version_keep_exactly_one(plan, police, commune):
    report = make_report(task_of(plan, "I.1.1"), unit_of(commune, "Công an phường"), police)
    calls = [
        (
            lambda api=api, i=i: api.put(
                _url(plan),
                {"status": "in_progress", "percent": 50 + i, "version": report.version},
            )
        )
        for i, api in enumerate(_clients(police))
    ]
    assert race(calls) == {200: 1, 409: THREADS - 1}
    report.refresh_from_db()
    assert report.version == 2 and 50 <= report.percent < 50 + THREADS


def test_two_heads_confirming_at_once_confirm_once(plan, police, commune):
    unit = unit_of(commune, "Công an phường")
    heads = [
        make_user(f"truong-{i}", role=Role.UNIT_HEAD, commune=commune, unit=unit)
        for i in range(THREADS)
    ]
    report = make_report(task_of(plan, "I.1.1"), unit, police)
    report = report_submit(report=report, user=police, version=report.version)
    url, body = f"/reports/{report.public_id}/confirm", {"version": report.version}
    calls = [partial(ApiClient(token_for(head)).post, url, body) for head in heads]
    assert race(calls) == {200: 1, 409: THREADS - 1}
    report.refresh_from_db()
    assert report.state == ReportState.SENT and report.version == 3


def test_simultaneous_first_values_of_one_target_make_one_value(plan, commune):
    staff = staff_of(commune, "Trung tâm Phục vụ hành chính công", "ttpvhcc")
    target, period = target_of(plan, "1"), period_of(plan, 3)
    url = f"/targets/{target.public_id}/values/{period.public_id}"
    calls = [
        (lambda api=api, i=i: api.put(url, {"value": 70 + i}))
        for i, api in enumerate(_clients(staff))
    ]
    assert race(calls) == {200: 1, 409: THREADS - 1}
    assert TargetValue.objects.get().version == 1


def test_two_reviewers_of_one_value_make_one_decision(plan, commune, office):
    staff = staff_of(commune, "Trung tâm Phục vụ hành chính công", "ttpvhcc")
    value = target_value_save(
        target=target_of(plan, "1"), period=period_of(plan, 3), unit=staff.memberships.get().unit,
        user=staff, data=ValueInput(value=Decimal(70)),
    )  # fmt: skip
    value = target_value_submit(target_value=value, user=staff, version=value.version)
    reviewers = [office] + [
        make_user(f"van-phong-{i}", role=Role.STANDING_OFFICE, commune=commune)
        for i in range(THREADS - 1)
    ]
    url = f"/target-values/{value.public_id}/review"
    calls = [
        partial(
            ApiClient(token_for(user)).post,
            url,
            {"decision": "accepted", "note": f"Người {i}", "version": value.version},
        )
        for i, user in enumerate(reviewers)
    ]
    assert race(calls) == {200: 1, 409: THREADS - 1}
    value.refresh_from_db()
    assert value.review == "accepted" and value.version == 3
