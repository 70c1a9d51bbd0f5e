"""The commune administrators: Hòa Phong's, and another commune's."""

from __future__ import annotations

import pytest

from theodoi.accounts.models import Role

from ..factories import make_user


@pytest.fixture
def admin_a(commune):  # type: ignore[no-untyped-def]
    """Hòa Phong's commune administrator: manages its people and units."""
    return make_user("quantri", role=Role.COMMUNE_ADMIN, commune=commune)


@pytest.fixture
def admin_b(other_commune):  # type: ignore[no-untyped-def]
    """Tân Hòa's administrator: must never reach Hòa Phong's people."""
    return make_user("quantri-tanhoa", role=Role.COMMUNE_ADMIN, commune=other_commune)


@pytest.fixture
def system_admin(db):  # type: ignore[no-untyped-def]
    return make_user("hethong", superuser=True)
