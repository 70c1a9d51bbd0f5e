"""The idle sign-out without a session write on every page view."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from theodoi.accounts.signals import SESSION_REFRESHED_KEY

from .helpers import client_of

pytestmark = pytest.mark.django_db


def _session_writes(client, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries if "django_session" in q["sql"]
            and not q["sql"].lstrip().upper().startswith("SELECT")]  # fmt: skip


def _expiry(client) -> float:  # type: ignore[no-untyped-def]
    return Session.objects.get(session_key=client.session.session_key).expire_date.timestamp()


def _expire_in(client, delta: dt.timedelta) -> None:  # type: ignore[no-untyped-def]
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + delta)


def test_a_page_read_within_minutes_of_the_last_writes_nothing_to_the_session(police):
    client = client_of(police)  # signing in starts the clock
    assert _session_writes(client, reverse("home")) == []
    assert _session_writes(client, reverse("home")) == []


def test_a_page_read_after_the_refresh_interval_restarts_the_idle_clock(police, settings):
    client = client_of(police)
    client.get(reverse("home"))
    session = client.session
    session[SESSION_REFRESHED_KEY] = int(time.time()) - settings.SESSION_REFRESH_SECONDS - 1
    session.save()
    _expire_in(client, dt.timedelta(minutes=1))  # as if idle for most of its life
    assert len(_session_writes(client, reverse("home"))) == 1
    assert _expiry(client) >= time.time() + settings.SESSION_COOKIE_AGE - 120


def test_an_idle_session_still_ends_though_it_was_refreshed_a_moment_ago(police):
    client = client_of(police)
    client.get(reverse("home"))
    session = client.session
    session[SESSION_REFRESHED_KEY] = int(time.time())
    session.save()
    _expire_in(client, dt.timedelta(seconds=-1))  # its idle time ran out
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
