"""Sign-ins, failed sign-ins and refused accesses on the audit trail."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from theodoi.audit.models import AuditEntry

from ..factories import PASSWORD
from .helpers import client_of

pytestmark = pytest.mark.django_db


def test_a_sign_in_is_recorded_with_the_users_commune_and_address(commune, police):
    Client(REMOTE_ADDR="10.1.1.1").post(
        reverse("login"), {"username": "congan", "password": PASSWORD}
    )
    entry = AuditEntry.objects.get(action="auth.login")
    assert (entry.actor, entry.commune) == (police, commune)
    assert entry.after == {"ip": "10.1.1.1"}


def test_a_failed_sign_in_is_recorded_with_the_name_typed(commune, police):
    Client(REMOTE_ADDR="10.1.1.2").post(reverse("login"), {"username": "congan", "password": "sai"})
    Client(REMOTE_ADDR="10.1.1.2").post(reverse("login"), {"username": "khongco", "password": "x"})
    entries = AuditEntry.objects.filter(action="auth.login_failed").order_by("pk")
    assert [e.after["username"] for e in entries] == ["congan", "khongco"]
    assert entries[0].commune == commune  # an existing account's commune sees it
    assert entries[1].commune is None
    assert all(e.actor is None and e.after["ip"] == "10.1.1.2" for e in entries)


def test_a_sign_in_through_the_admin_site_is_recorded_too(system_admin):
    Client().post(reverse("admin:login"), {"username": "hethong", "password": "sai"})
    assert AuditEntry.objects.filter(action="auth.login_failed").exists()


def test_another_communes_page_is_a_404_and_a_recorded_denial(other_office, commune):
    response = client_of(other_office).get(reverse("plan_list", args=[commune.public_id]))
    assert response.status_code == 404
    entry = AuditEntry.objects.get(action="access.denied")
    assert (entry.actor, entry.commune) == (other_office, commune)


@pytest.mark.urls("tests.accounts.urls_denied")
def test_a_permission_denied_is_a_403_and_a_recorded_denial(police):
    response = client_of(police).get("/test-only/denied/")
    assert response.status_code == 403
    entry = AuditEntry.objects.get(action="access.denied")
    assert entry.actor == police
    assert "/test-only/denied/" in entry.summary
