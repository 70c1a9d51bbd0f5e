"""API test helpers: a client that speaks with a user's token, and Hòa Phong's active plan."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from theodoi.api.services import api_token_create

from ..factories import unit_of
from ..tracking_factories import make_active_plan

BASE = "/api/v1"


class ApiClient:
    """Django's test client with ``Authorization: Bearer <token>`` and paths under /api/v1."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _url(self, path: str) -> str:
        return path if path.startswith("/") and path.startswith(BASE) else f"{BASE}{path}"

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(self._url(path), params, headers=self.headers)

    def post(self, path: str, body: Any = None) -> Any:
        return self.client.post(
            self._url(path),
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers=self.headers,
        )

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(
            self._url(path), json.dumps(body), content_type="application/json", headers=self.headers
        )

    def upload(self, path: str, name: str, data: bytes) -> Any:
        from django.core.files.uploadedfile import SimpleUploadedFile

        return self.client.post(
            self._url(path), {"file": SimpleUploadedFile(name, data)}, headers=self.headers
        )


def token_for(user: Any, name: str = "Thử nghiệm") -> str:
    assert isinstance(user, User)
    _token, raw = api_token_create(user=user, name=name)
    return raw


@pytest.fixture
def api_as() -> Callable[[Any], ApiClient]:
    """``api_as(user)``: a client acting with a fresh token of ``user``."""
    return lambda user: ApiClient(token_for(user))


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    return make_active_plan(commune)


@pytest.fixture
def other_plan(other_commune):  # type: ignore[no-untyped-def]
    """Tân Hòa's plan: every one of its objects must be a 404 to Hòa Phong's users."""
    from ..factories import make_plan_json

    return make_active_plan(
        other_commune, make_plan_json(title="Kế hoạch CĐS xã Tân Hòa 2026", commune="Tân Hòa")
    )


@pytest.fixture
def police_unit(commune):  # type: ignore[no-untyped-def]
    return unit_of(commune, "Công an phường")


def message_of(response: Any) -> str:
    """The Vietnamese sentence of an error answer (asserting it is JSON with one)."""
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body.get("message"), str) and body["message"]
    return str(body["message"])
