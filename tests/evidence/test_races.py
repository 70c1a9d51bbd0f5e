"""Two office reviewers on one evidence at once: one decision, the other refused as stale."""

from __future__ import annotations

from functools import partial

import pytest
from django.test import Client
from django.urls import reverse

from theodoi.accounts.models import Role
from theodoi.evidence.models import Evidence

from ..api.conftest import ApiClient, token_for
from ..factories import make_user, unit_of
from ..races import THREADS, needs_postgresql, race
from ..tracking_factories import make_active_plan
from .factories import sent_completion

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]


@pytest.fixture
def sent(commune, police):  # type: ignore[no-untyped-def]
    return sent_completion(make_active_plan(commune), unit_of(commune, "Công an phường"), police)


def _reviewers(commune, office):  # type: ignore[no-untyped-def]
    return [office] + [
        make_user(f"van-phong-{i}", role=Role.STANDING_OFFICE, commune=commune)
        for i in range(THREADS - 1)
    ]


def _signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_reviewers_on_the_web_at_once_make_one_decision(commune, office, sent):
    url = reverse("evidence_review", args=[sent.public_id])
    calls = [
        partial(
            _signed_in(user).post,
            url,
            {"decision": "rejected", "note": f"Lý do {i}", "version": sent.version},
        )
        for i, user in enumerate(_reviewers(commune, office))
    ]
    assert race(calls) == {302: 1, 409: THREADS - 1}
    evidence = Evidence.objects.get()
    assert evidence.review == "rejected" and evidence.version == sent.version + 1


def test_reviewers_through_the_api_at_once_make_one_decision(commune, office, sent):
    url = f"/evidence/{sent.public_id}/review"
    calls = [
        partial(ApiClient(token_for(user)).post, url, {"decision": "accepted", "version": 1})
        for user in _reviewers(commune, office)
    ]
    assert race(calls) == {200: 1, 409: THREADS - 1}
    assert Evidence.objects.get().version == 2
