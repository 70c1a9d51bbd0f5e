"""Schemathesis against the OpenAPI schema, in process (WSGI): no input makes a server error.

Every operation is fuzzed as three people: the standing office (vanphong), Công an phường's
staff (congan) and the province officer (so-khcn), so that generated requests reach the
services of each role and not only the permission checks; path parameters are drawn half
from the generated UUIDs, half from real objects (this commune's and another's). The number
of examples is bounded so the suite stays fast.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from theodoi.accounts.models import Role
from theodoi.api.api import api
from theodoi.evidence.services import evidence_add_file
from theodoi.tracking.services import ValueInput, target_value_save

from ..evidence.factories import pdf_bytes
from ..factories import make_plan_json, make_user, unit_of
from ..tracking_factories import make_active_plan, make_report, period_of, target_of, task_of
from .conftest import token_for

# Each operation gets this many generated cases per role (3 roles × about 30 operations).
EXAMPLES = 4
ROLES = ["office", "police", "province_officer"]


def _known_ids(commune: Any, other_commune: Any, user: User) -> dict[str, list[str]]:
    """Real objects for the path parameters: this commune's, and another's (must be 404s)."""
    plan = make_active_plan(commune)
    other = make_active_plan(other_commune, make_plan_json(commune="Tân Hòa"))
    report = make_report(task_of(plan, "I.1.1"), unit_of(commune, "Công an phường"), user)
    centre_staff = make_user(
        "ttpvhcc", role=Role.UNIT_STAFF, commune=commune,
        unit=unit_of(commune, "Trung tâm Phục vụ hành chính công"),
    )  # fmt: skip
    assert isinstance(centre_staff, User)
    centre = unit_of(commune, "Trung tâm Phục vụ hành chính công")
    value = target_value_save(
        target=target_of(plan, "1"),
        period=period_of(plan, 3),
        unit=centre,
        user=centre_staff,
        data=ValueInput(value=Decimal(95)),
    )
    data = pdf_bytes()
    evidence = evidence_add_file(
        report=report,
        unit=report.unit,
        user=user,
        filename="bien-ban.pdf",
        fileobj=io.BytesIO(data),
        size=len(data),
    )
    plans = [plan, other]
    return {
        "commune_id": [str(commune.public_id), str(other_commune.public_id)],
        "plan_id": [str(p.public_id) for p in plans],
        "task_id": [str(t.public_id) for p in plans for t in p.tasks.all()],
        "target_id": [str(t.public_id) for p in plans for t in p.targets.all()],
        "period_id": [str(period_of(p, m).public_id) for p in plans for m in (3, 11)],
        "report_id": [str(report.public_id)],
        "value_id": [str(value.public_id)],
        "evidence_id": [str(evidence.public_id)],
    }


# Filled by the fixture for each operation's test, read by the path parameters' hook.
KNOWN: dict[str, list[str]] = {}

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> Any:
    if not path_parameters:
        return st.just(path_parameters)
    return st.fixed_dictionaries(
        {
            name: st.one_of(st.just(value), st.sampled_from(KNOWN[name]))
            if KNOWN.get(name)
            else st.just(value)
            for name, value in path_parameters.items()
        }
    )


@pytest.fixture(params=ROLES)
def fuzz_token(request, db, settings, commune, other_commune, police):  # type: ignore[no-untyped-def]
    """The world each operation is fuzzed in; returns the token of the user who acts."""
    # Schemathesis calls the WSGI application as host "localhost".
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    user = request.getfixturevalue(request.param)
    KNOWN.clear()
    KNOWN.update(_known_ids(commune, other_commune, police))
    # Django closes the database connection after each request it serves; inside a test's
    # transaction that would end the test's own connection (Django's test client does this).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield token_for(user)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        KNOWN.clear()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_request_makes_a_server_error(case, fuzz_token):  # type: ignore[no-untyped-def]
    case.call_and_validate(
        headers={"Authorization": f"Bearer {fuzz_token}"}, checks=[not_a_server_error]
    )
