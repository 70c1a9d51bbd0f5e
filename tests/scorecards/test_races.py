"""Appraisals name the version they were made on: a stale one is refused, shown, kept."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from theodoi.accounts.models import Role
from theodoi.scorecards.services import EntryInput, entry_appraise, entry_save

from ..factories import make_user
from ..races import THREADS, needs_postgresql, race
from .helpers import assessment_of, entry_of, make_scorecard


@pytest.fixture
def entry(province, commune, office):  # type: ignore[no-untyped-def]
    entry = entry_of(assessment_of(make_scorecard(province), commune), "A1")
    return entry_save(entry=entry, user=office, data=EntryInput(value=Decimal(4)), version=1)


def _signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_an_appraisal_from_an_outdated_screen_is_refused_and_shows_the_one_that_won(
    entry, province_officer
):
    seen = entry.version
    entry_appraise(
        entry=entry, user=province_officer, points=Decimal(15), remark="Thiếu biên bản.",
        version=seen,
    )  # fmt: skip
    response = _signed_in(province_officer).post(
        reverse("entry_appraise", args=[entry.public_id]),
        {"points": "20", "remark": "Đủ hồ sơ, chấm tối đa", "version": seen},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "vừa được người khác cập nhật" in page
    assert "Đủ hồ sơ, chấm tối đa" in page  # what was typed is still there
    assert "Thiếu biên bản." in page  # and the appraisal that won is shown
    entry.refresh_from_db()
    assert entry.appraised_score == Decimal(15)


@pytest.mark.django_db
def test_an_appraisal_without_a_version_is_refused(entry, province_officer):
    response = _signed_in(province_officer).post(
        reverse("entry_appraise", args=[entry.public_id]), {"points": "20"}
    )
    assert response.status_code == 409
    entry.refresh_from_db()
    assert entry.appraised_at is None


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_officers_appraising_at_once_make_one_appraisal(entry, province):
    assert connection.vendor == "postgresql"
    officers = [
        make_user(f"so-khcn-{i}", role=Role.PROVINCE_OFFICER, province=province)
        for i in range(THREADS)
    ]
    url = reverse("entry_appraise", args=[entry.public_id])
    calls = [
        partial(
            _signed_in(officer).post,
            url,
            {"points": str(5 + 5 * i), "remark": f"Ý kiến {i}", "version": entry.version},
        )
        for i, officer in enumerate(officers)
    ]
    assert race(calls) == {302: 1, 409: THREADS - 1}
    entry.refresh_from_db()
    assert entry.version == 3 and entry.appraisal_remark.startswith("Ý kiến")
