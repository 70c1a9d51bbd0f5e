"""Lock-out after repeated failed sign-ins: per account, per address, with a Vietnamese page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from theodoi.accounts.lockout import client_address
from theodoi.audit.models import AuditEntry

from ..factories import PASSWORD, make_user
from .helpers import client_of

pytestmark = pytest.mark.django_db


def _sign_in(username: str, password: str, address: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    return Client(REMOTE_ADDR=address).post(
        reverse("login"), {"username": username, "password": password}
    )


def test_an_account_is_locked_after_five_failures_with_a_vietnamese_message(police):
    for attempt in range(4):
        # From different addresses: the account's own count is what locks it.
        response = _sign_in("congan", "sai-mat-khau", f"10.0.1.{attempt}")
        assert response.status_code == 200
    assert "Còn 1 lần thử" in response.content.decode()

    response = _sign_in("congan", "sai-mat-khau", "10.0.1.99")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Tạm khóa đăng nhập" in body
    assert "Tài khoản này đã đăng nhập sai 5 lần liên tiếp" in body
    assert "Hãy thử lại sau 15 phút" in body

    # Even the right password is refused while the lock lasts, from anywhere.
    assert _sign_in("congan", PASSWORD, "10.9.9.9").status_code == 429
    # Other accounts are not affected.
    make_user("lanhdao2")
    assert _sign_in("lanhdao2", PASSWORD, "10.0.1.1").status_code == 302


def test_an_address_is_locked_after_many_failures_on_any_accounts(settings, police):
    settings.THEODOI_LOGIN_FAILURES_PER_ADDRESS = 8
    # Eight failures from one office address, never more than two per name.
    for index in range(8):
        response = _sign_in(f"nguoi-{index // 2}", "sai-mat-khau", "203.0.113.7")
    assert response.status_code == 429
    assert "từ địa chỉ mạng của bạn" in response.content.decode()
    # The right password from that address is refused; from elsewhere it works.
    assert _sign_in("congan", PASSWORD, "203.0.113.7").status_code == 429
    assert _sign_in("congan", PASSWORD, "198.51.100.2").status_code == 302


def test_a_few_colleagues_mistyping_at_one_office_do_not_lock_it(police):
    for index in range(6):
        _sign_in(f"dongnghiep-{index}", "sai-mat-khau", "203.0.113.8")
    assert _sign_in("congan", PASSWORD, "203.0.113.8").status_code == 302


def test_a_password_reset_by_the_admin_lifts_the_lock(admin_a, commune, police):
    for _ in range(5):
        _sign_in("congan", "sai-mat-khau")
    page = client_of(admin_a).get(reverse("person_detail", args=[commune.public_id, "congan"]))
    assert "Đang bị tạm khóa do đăng nhập sai" in page.content.decode()
    response = client_of(admin_a).post(
        reverse("person_reset_password", args=[commune.public_id, "congan"]), follow=True
    )
    password = response.content.decode().split('id="one-time-password">')[1].split("<")[0]
    assert _sign_in("congan", password).status_code == 302


def test_the_address_is_read_through_the_trusted_proxy(settings, police):
    settings.THEODOI_LOGIN_FAILURES_PER_ADDRESS = 4
    for index in range(4):
        # Behind nginx (loopback, trusted): every request comes from 127.0.0.1; the real
        # client is the last X-Forwarded-For entry (a forged one on its left is ignored).
        Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.{index}, 192.0.2.10").post(
            reverse("login"), {"username": f"x{index}", "password": "sai"}
        )
    locked = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert (
        locked.post(reverse("login"), {"username": "congan", "password": PASSWORD}).status_code
        == 429
    )
    other_client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.11")
    response = other_client.post(reverse("login"), {"username": "congan", "password": PASSWORD})
    assert response.status_code == 302


def test_a_forged_forwarded_header_from_a_client_reaching_the_app_directly_is_ignored(
    settings, police
):
    settings.THEODOI_LOGIN_FAILURES_PER_ADDRESS = 4
    for index in range(4):
        # No proxy in front: each attempt claims another address in the header.
        Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"10.1.0.{index}").post(
            reverse("login"), {"username": f"x{index}", "password": "sai"}
        )
    fresh_claim = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.1.0.200")
    response = fresh_claim.post(reverse("login"), {"username": "congan", "password": PASSWORD})
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("peer", "header", "trusted", "counted"),
    [
        ("198.51.100.7", "", ["127.0.0.1"], "198.51.100.7"),
        ("198.51.100.7", "127.0.0.1", ["127.0.0.1"], "198.51.100.7"),
        ("127.0.0.1", "", ["127.0.0.1"], "127.0.0.1"),
        ("127.0.0.1", "6.6.6.6, 198.51.100.7", ["127.0.0.1"], "198.51.100.7"),
        # Load balancer 10.0.0.5 → nginx (loopback) → app: both proxies are ours.
        (
            "127.0.0.1",
            "6.6.6.6, 198.51.100.7, 10.0.0.5",
            ["127.0.0.1", "10.0.0.0/24"],
            "198.51.100.7",
        ),
        ("::ffff:127.0.0.1", "198.51.100.7", ["127.0.0.1"], "198.51.100.7"),
        ("::1", "2001:db8::1", ["::1"], "2001:db8::1"),
        # Garbage from the proxy: counted under the proxy, never under a made-up name.
        ("127.0.0.1", "not-an-address", ["127.0.0.1"], "127.0.0.1"),
        ("10.0.0.9", "198.51.100.7", [], "10.0.0.9"),
    ],
)
def test_the_counted_address_is_the_first_one_not_our_own_proxy(
    rf, settings, peer, header, trusted, counted
):
    settings.THEODOI_TRUSTED_PROXIES = trusted
    request = rf.get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=header)
    assert client_address(request) == counted


def test_a_lock_out_goes_on_the_audit_trail(police):
    for _ in range(5):
        _sign_in("congan", "sai-mat-khau", "10.0.2.1")
    entry = AuditEntry.objects.filter(action="auth.locked_out").latest("pk")
    assert entry.after["username"] == "congan"
    assert entry.after["by"] == ["username"]
    assert entry.after["ip"] == "10.0.2.1"
