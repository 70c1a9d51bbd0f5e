"""The cast: the people a commune's plan involves, and one from another commune."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from theodoi.accounts.models import Role

from .factories import make_commune, make_province, make_user, unit_of

PLANS_DIR = Path(__file__).resolve().parent / "data" / "plans"


def pytest_configure(config):  # type: ignore[no-untyped-def]
    # Argon2 takes about a second a password on purpose; the suite creates thousands of users
    # and checks no hash's strength (tests/accounts/test_security.py checks the real setting).
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Background jobs run inline, inside the request that starts them (tests/runtime runs
    # real `theodoi worker` processes on the database queue).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _vietnamese():  # type: ignore[no-untyped-def]
    # A request in English leaves English active in the thread; each test starts in Vietnamese.
    translation.activate("vi")
    yield
    translation.activate("vi")


@pytest.fixture
def province(db):  # type: ignore[no-untyped-def]
    return make_province()


@pytest.fixture
def commune(province):  # type: ignore[no-untyped-def]
    """Phường Hòa Phong, the commune whose plan the tests follow."""
    return make_commune("Hòa Phong", "phường", province)


@pytest.fixture
def other_commune(province):  # type: ignore[no-untyped-def]
    return make_commune("Tân Hòa", "xã", province)


@pytest.fixture
def office(commune):  # type: ignore[no-untyped-def]
    """The standing office (Phòng Văn hóa - Xã hội) that runs the plan."""
    return make_user(
        "vanphong",
        role=Role.STANDING_OFFICE,
        commune=commune,
        unit=unit_of(commune, "Phòng Văn hóa - Xã hội"),
    )


@pytest.fixture
def police(commune):  # type: ignore[no-untyped-def]
    """A staff member of Công an phường: reports on tasks, does not import plans."""
    return make_user(
        "congan", role=Role.UNIT_STAFF, commune=commune, unit=unit_of(commune, "Công an phường")
    )


@pytest.fixture
def leader(commune):  # type: ignore[no-untyped-def]
    return make_user("lanhdao", role=Role.LEADER, commune=commune)


@pytest.fixture
def other_office(other_commune):  # type: ignore[no-untyped-def]
    """The standing office of another commune: must never see Hòa Phong's data."""
    return make_user("vanphong-tanhoa", role=Role.STANDING_OFFICE, commune=other_commune)


@pytest.fixture
def province_officer(province):  # type: ignore[no-untyped-def]
    return make_user("so-khcn", role=Role.PROVINCE_OFFICER, province=province)
