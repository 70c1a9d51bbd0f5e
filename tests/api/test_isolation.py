"""Every endpoint, called by another commune's standing office with Hòa Phong's real
objects, answers 404: the schema is read, so an endpoint added later is swept too."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from theodoi.api.api import api
from theodoi.evidence.services import evidence_add_file
from theodoi.tracking.services import ValueInput, target_value_save

from ..evidence.factories import pdf_bytes, staff_of
from ..factories import make_plan_json
from ..tracking_factories import make_report, period_of, target_of, task_of
from .conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db

# A valid body for each operation that takes one: a 422 would hide whether the object leaked.
BODIES: dict[str, Any] = {
    "PUT /api/v1/tasks/{task_id}/reports/{period_id}": {"status": "in_progress", "percent": 10},
    "PUT /api/v1/targets/{target_id}/values/{period_id}": {"value": 80},
    "POST /api/v1/target-values/{value_id}/review": {"decision": "accepted"},
    "POST /api/v1/evidence/{evidence_id}/review": {"decision": "accepted"},
    "POST /api/v1/reports/{report_id}/evidence/document": {
        "reference": "466/PVHXH - 15/03/2026: V/v triển khai"
    },
    "POST /api/v1/target-values/{value_id}/evidence/document": {
        "reference": "466/PVHXH - 15/03/2026: V/v triển khai"
    },
    "POST /api/v1/communes/{commune_id}/plans/import": {
        "plan_json": make_plan_json(),
        "unknown_units": "keep",
    },
}
MULTIPART = {
    "POST /api/v1/reports/{report_id}/evidence/file",
    "POST /api/v1/target-values/{value_id}/evidence/file",
}


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema()
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if any(p["in"] == "path" for p in operation.get("parameters", [])):
                found.append((method.upper(), path, operation))
    return found


OPERATIONS = _operations()


@pytest.fixture
def hoa_phong_ids(commune, plan, police, police_unit):  # type: ignore[no-untyped-def]
    report = make_report(task_of(plan, "I.1.1"), police_unit, police)
    centre = staff_of(commune, "Trung tâm Phục vụ hành chính công", "ttpvhcc")
    value = target_value_save(
        target=target_of(plan, "1"),
        period=period_of(plan, 3),
        unit=centre.memberships.get().unit,
        user=centre,
        data=ValueInput(value=80),
    )
    data = pdf_bytes()
    evidence = evidence_add_file(
        report=report,
        unit=police_unit,
        user=police,
        filename="bien-ban.pdf",
        fileobj=io.BytesIO(data),
        size=len(data),
    )
    return {
        "commune_id": commune.public_id,
        "plan_id": plan.public_id,
        "task_id": task_of(plan, "I.1.1").public_id,
        "period_id": period_of(plan, 3).public_id,
        "target_id": target_of(plan, "1").public_id,
        "report_id": report.public_id,
        "value_id": value.public_id,
        "evidence_id": evidence.public_id,
    }


def test_every_operation_with_an_id_is_swept():
    assert len(OPERATIONS) >= 25


@pytest.mark.parametrize(
    ("method", "path"),
    [(m, p) for m, p, _op in OPERATIONS],
    ids=[f"{m} {p}" for m, p, _ in OPERATIONS],
)
def test_another_communes_object_is_a_404_on_every_endpoint(
    other_office, hoa_phong_ids, method, path
):
    api_client = ApiClient(token_for(other_office))
    url = path.format(**{k: str(v) for k, v in hoa_phong_ids.items()})
    key = f"{method} {path}"
    client = api_client.client
    if key in MULTIPART:
        response = client.post(
            url, {"file": SimpleUploadedFile("a.pdf", pdf_bytes())}, headers=api_client.headers
        )
    elif method == "GET":
        response = client.get(url, headers=api_client.headers)
    else:
        response = getattr(api_client, method.lower())(url, BODIES.get(key, {}))
    assert response.status_code == 404, (key, response.content)
    assert response.json()["code"] == "not_found"
