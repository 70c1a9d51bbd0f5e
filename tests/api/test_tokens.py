"""API tokens: made and revoked on the page "Mã truy cập API", checked on every request."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from theodoi.accounts.models import Role
from theodoi.accounts.services import password_reset, person_set_active
from theodoi.api.models import ApiToken
from theodoi.api.services import api_token_create, api_token_revoke
from theodoi.audit.models import AuditEntry

from ..factories import PASSWORD, make_user
from .conftest import ApiClient, message_of, token_for

pytestmark = pytest.mark.django_db


# --- the page ------------------------------------------------------------------------------


def test_the_token_page_needs_a_signed_in_user(client):
    response = client.get(reverse("api_tokens"))
    assert response.status_code == 302 and "/login/" in response.url


def test_a_user_creates_a_token_and_sees_its_secret_once(client, office):
    client.force_login(office)
    response = client.post(reverse("api_tokens"), {"name": "Trung tâm điều hành tỉnh"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=office)
    secret = response.context["secret"]
    assert secret.startswith("td_") and secret in response.content.decode()
    assert "chỉ hiện một lần" in response.content.decode()
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )

    again = client.get(reverse("api_tokens"))
    page = again.content.decode()
    assert "Trung tâm điều hành tỉnh" in page and token.prefix in page
    assert secret not in page


def test_only_a_digest_of_the_token_is_stored(office):
    token, secret = api_token_create(user=office, name="Máy chủ tổng hợp")
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in [str(v) for v in stored.values()]
    assert token.digest != secret and len(token.digest) == 64


def test_a_token_without_a_name_is_refused_with_a_message(client, office):
    client.force_login(office)
    response = client.post(reverse("api_tokens"), {"name": "   "})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()
    assert "tên" in response.content.decode().lower()


def test_a_user_revokes_a_token_and_it_stops_working_at_once(client, office, plan):
    secret = token_for(office)
    api = ApiClient(secret)
    assert api.get("/plans").status_code == 200

    client.force_login(office)
    token = ApiToken.objects.get(user=office)
    response = client.post(reverse("api_token_revoke", args=[token.public_id]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Đã thu hồi" in client.get(reverse("api_tokens")).content.decode()

    refused = api.get("/plans")
    assert refused.status_code == 401
    assert "mã truy cập" in message_of(refused)


def test_a_user_cannot_revoke_someone_elses_token(client, office, police):
    token, _secret = api_token_create(user=office, name="Của văn phòng")
    client.force_login(police)
    response = client.post(reverse("api_token_revoke", args=[token.public_id]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_creating_and_revoking_a_token_are_in_the_audit_trail(office):
    token, _secret = api_token_create(user=office, name="Kết nối tỉnh")
    api_token_revoke(token=token, user=office)
    actions = list(AuditEntry.objects.filter(actor=office).values_list("action", flat=True))
    assert sorted(actions) == ["api_token.create", "api_token.revoke"]


# --- authentication ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer td_khong-phai-ma-that",
        "Bearer ",
        "Basic dmFucGhvbmc6bWF0LWtoYXU=",
        "td_thieu-chu-bearer",
    ],
    ids=["missing", "unknown", "empty", "basic", "no-scheme"],
)
def test_a_request_without_a_valid_token_is_a_401_in_json(client, office, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/plans", headers=headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "unauthorized"
    assert "mã truy cập" in message_of(response)


def test_a_disabled_users_token_is_refused(office):
    api = ApiClient(token_for(office))
    office.is_active = False
    office.save()
    assert api.get("/plans").status_code == 401


@pytest.fixture
def commune_admin(commune):  # type: ignore[no-untyped-def]
    return make_user("quantri", role=Role.COMMUNE_ADMIN, commune=commune)


def test_changing_ones_password_revokes_ones_tokens(client, office):
    api = ApiClient(token_for(office))
    client.force_login(office)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Mật-khẩu-mới-2026",
            "new_password2": "Mật-khẩu-mới-2026",
        },
    )
    assert response.status_code == 302
    assert api.get("/plans").status_code == 401
    assert not ApiToken.objects.active().filter(user=office).exists()


def test_an_admin_password_reset_revokes_the_persons_tokens(commune_admin, commune, office):
    api = ApiClient(token_for(office))
    password_reset(actor=commune_admin, commune=commune, person=office)
    assert api.get("/plans").status_code == 401
    entry = AuditEntry.objects.get(action="api_token.revoke_all")
    assert entry.actor == commune_admin


def test_a_token_does_not_revive_when_its_disabled_user_is_enabled_again(
    commune_admin, commune, office
):
    api = ApiClient(token_for(office))
    person_set_active(actor=commune_admin, commune=commune, person=office, active=False)
    person_set_active(actor=commune_admin, commune=commune, person=office, active=True)
    office.refresh_from_db()
    assert office.is_active
    assert api.get("/plans").status_code == 401


def test_a_signed_in_session_is_not_enough_for_the_api(client, office):
    client.force_login(office)
    assert client.get("/api/v1/plans").status_code == 401


def test_the_last_use_of_a_token_is_recorded(office, plan):
    secret = token_for(office)
    ApiClient(secret).get("/plans")
    token = ApiToken.objects.get(user=office)
    assert token.last_used_at is not None
    assert timezone.now() - token.last_used_at < dt.timedelta(minutes=1)


def test_a_token_acts_with_its_users_permissions_only(office, other_office, plan):
    mine = ApiClient(token_for(office)).get(f"/plans/{plan.public_id}")
    theirs = ApiClient(token_for(other_office)).get(f"/plans/{plan.public_id}")
    assert mine.status_code == 200
    assert theirs.status_code == 404


def test_a_password_changed_outside_the_app_ends_the_persons_tokens(office):
    # The admin site's password form and `changepassword` call set_password directly,
    # without any of the app's revoking services: the token must stop all the same.
    api = ApiClient(token_for(office))
    assert api.get("/plans").status_code == 200
    office.set_password("Mật-khẩu-khác-2026")
    office.save()
    assert api.get("/plans").status_code == 401


def test_saving_a_person_without_changing_the_password_keeps_their_tokens(office):
    api = ApiClient(token_for(office))
    office.first_name = "Lan"
    office.save()
    assert api.get("/plans").status_code == 200


def test_tokens_made_before_the_credential_stamp_keep_working_after_the_migration(office):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("theodoi.api.migrations.0002_token_credential")
    raw = token_for(office)
    ApiToken.objects.filter(user=office).update(credential="")
    api = ApiClient(raw)
    assert api.get("/plans").status_code == 401
    migration.stamp_existing_tokens(apps, None)
    assert api.get("/plans").status_code == 200


def test_a_new_secret_key_does_not_end_the_tokens(office, settings):
    # Servers of one province may be restarted with a rotated key: API clients keep working.
    api = ApiClient(token_for(office))
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert api.get("/plans").status_code == 200
