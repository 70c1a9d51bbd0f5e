"""Evidence seen where it is reviewed: images as thumbnails, PDFs in a sandboxed frame."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ..factories import unit_of
from ..tracking_factories import make_active_plan
from .factories import PNG, docx_bytes, sent_completion

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    return make_active_plan(commune)


def _sent(plan, police, data=None):  # type: ignore[no-untyped-def]
    return sent_completion(plan, unit_of(plan.commune, "Công an phường"), police, data=data)


def _as(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_review_queue_shows_a_pdf_in_a_sandboxed_frame(plan, police, office, commune):
    evidence = _sent(plan, police)
    page = _as(office).get(reverse("review_queue", args=[commune.public_id])).content.decode()
    view = reverse("evidence_view", args=[evidence.public_id])
    assert (
        f'<iframe class="evidence-frame border rounded mt-1 evidence-preview" sandbox src="{view}"'
        in page
    )


def test_the_review_queue_shows_a_photo_as_a_thumbnail(plan, police, office, commune):
    evidence = _sent(plan, police, data=PNG)
    page = _as(office).get(reverse("review_queue", args=[commune.public_id])).content.decode()
    view = reverse("evidence_view", args=[evidence.public_id])
    assert f'<img class="evidence-thumb border rounded" src="{view}"' in page


def test_the_file_is_shown_inline_sandboxed_and_only_inside_our_own_pages(plan, police, office):
    evidence = _sent(plan, police)
    response = _as(office).get(reverse("evidence_view", args=[evidence.public_id]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_office_file_is_only_downloaded_never_shown_in_place(plan, police, office):
    evidence = _sent(plan, police, data=docx_bytes())
    assert _as(office).get(reverse("evidence_view", args=[evidence.public_id])).status_code == 404


def test_who_may_see_a_file_in_place_is_exactly_who_may_download_it(  # type: ignore[no-untyped-def]
    plan, police, office, leader, other_office, province_officer
):
    evidence = _sent(plan, police)
    seen = set()
    for user in (police, office, leader, other_office, province_officer):
        client = _as(user)
        download = client.get(reverse("evidence_download", args=[evidence.public_id]))
        view = client.get(reverse("evidence_view", args=[evidence.public_id]))
        assert view.status_code == download.status_code, user.username
        seen.add(view.status_code)
    assert seen == {200, 404}
    anonymous = Client().get(reverse("evidence_view", args=[evidence.public_id]))
    assert anonymous.status_code == 302
