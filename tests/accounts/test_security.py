"""Security headers, the Content-Security-Policy, session expiry and the deploy check."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from ..factories import make_user
from .helpers import client_of

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "theodoi"


def test_every_page_carries_the_csp_and_security_headers(police):
    for response in (Client().get(reverse("login")), client_of(police).get(reverse("home"))):
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp
        assert "style-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "object-src 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]


def test_signed_in_pages_are_not_kept_in_the_browser_cache(police):
    response = client_of(police).get(reverse("home"))
    assert "no-store" in response["Cache-Control"]


def test_a_not_found_page_carries_the_csp_too(db):
    assert "default-src 'self'" in Client().get("/public/khong-co/")["Content-Security-Policy"]


def test_forms_carry_a_csrf_token_and_a_post_without_it_is_refused(police):
    client = Client(enforce_csrf_checks=True)
    assert "csrfmiddlewaretoken" in client.get(reverse("login")).content.decode()
    response = client.post(reverse("login"), {"username": "congan", "password": "x"})
    assert response.status_code == 403


def test_a_session_ends_after_inactivity_and_at_browser_close():
    # Requests restart the clock, at most every few minutes (test_session_refresh.py).
    assert "theodoi.accounts.middleware.SessionIdleRefreshMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_REFRESH_SECONDS <= 15 * 60
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY


def test_an_expired_session_is_signed_out(police):
    client = client_of(police)
    session = client.session
    session.set_expiry(-1)
    session.save()
    assert client.get(reverse("home")).status_code == 302


def test_passwords_are_hashed_with_argon2_outside_the_tests(commune):
    # The suite hashes with MD5 for speed (tests/conftest.py); the settings module is what
    # a real server runs with.
    from theodoi import settings as real_settings

    with override_settings(PASSWORD_HASHERS=real_settings.PASSWORD_HASHERS):
        user = make_user("argon", commune=commune)
    assert user.password.startswith("argon2")


INLINE = [
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I),
        "<script> inline",
    ),
    (re.compile(r"\sstyle\s*=", re.I), "style="),
    (re.compile(r"<style[\s>]", re.I), "<style>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on...= handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


@pytest.mark.parametrize(
    "folder", ["accounts/templates", "web/templates/registration"], ids=["accounts", "registration"]
)
def test_our_templates_hold_no_inline_script_or_style(folder):
    offenders = []
    for template in sorted((SRC / folder).rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            if pattern.search(text):
                offenders.append(f"{template.relative_to(SRC)}: {what}")
    assert offenders == []


def test_production_settings_pass_the_deploy_check_with_no_warning(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("THEODOI_", "DATABASE_URL", "DJANGO_"))
    }
    env.update(
        THEODOI_PRODUCTION="true",
        THEODOI_SECRET_KEY=secrets.token_urlsafe(50)[:50],
        THEODOI_ALLOWED_HOSTS="theodoi.example.vn",
        THEODOI_DATA_DIR=str(tmp_path),
    )
    command = [sys.executable, "-m", "theodoi.cli"]
    # ``theodoi check`` also checks the evidence store, which needs the tables.
    migrate = subprocess.run(
        [*command, "migrate", "--noinput"], env=env, capture_output=True, text=True, timeout=600
    )
    assert migrate.returncode == 0, migrate.stderr
    check = subprocess.run(
        [*command, "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = check.stdout + check.stderr
    assert check.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output


def test_production_refuses_to_start_with_the_development_secret(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("THEODOI_", "DATABASE_URL"))}
    env.update(
        THEODOI_PRODUCTION="true",
        THEODOI_ALLOWED_HOSTS="theodoi.example.vn",
        THEODOI_DATA_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-m", "theodoi.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "THEODOI_SECRET_KEY" in result.stderr
