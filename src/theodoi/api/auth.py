"""``Authorization: Bearer <token>``: the token's user, with that user's permissions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.security import HttpBearer

from .services import api_token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = api_token_authenticate(token)
        if found is None:
            return None  # ninja answers 401 (errors.install words it in Vietnamese)
        # The permission helpers read ``request.user``, as in the UI.
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


def request_user(request: Any) -> User:
    """The token's user (every endpoint requires a token, so there is one)."""
    user = request.auth
    assert isinstance(user, User)
    return user
