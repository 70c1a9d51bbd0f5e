"""Every refusal is JSON with one Vietnamese sentence; the schema and its docs page are
served from this server alone (commune intranets are often offline)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from .conftest import message_of

pytestmark = pytest.mark.django_db


def test_a_body_that_is_not_json_is_a_400_in_vietnamese(api_as, office, commune):
    api = api_as(office)
    response = api.client.post(
        f"/api/v1/communes/{commune.public_id}/plans/import",
        "{không phải json",
        content_type="application/json",
        headers=api.headers,
    )
    assert response.status_code == 400
    assert "JSON" in message_of(response)


def test_a_missing_field_is_named_in_a_422(api_as, office, commune):
    response = api_as(office).post(f"/communes/{commune.public_id}/plans/import", {})
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == [{"field": "body.plan_json", "message": "Thiếu trường bắt buộc."}]
    assert body["message"].startswith("Dữ liệu gửi lên không hợp lệ (body.plan_json)")


def test_an_unknown_api_address_is_a_json_404(api_as, office):
    response = api_as(office).get("/khong-co")
    assert response.status_code == 404
    assert "Không có địa chỉ API" in message_of(response)


def test_a_wrong_method_is_a_json_405(api_as, office):
    response = api_as(office).client.delete("/api/v1/plans", headers=api_as(office).headers)
    assert response.status_code == 405
    assert "GET" in response["Allow"]
    assert "không được hỗ trợ" in message_of(response)


def test_vietnamese_is_sent_as_written_not_escaped(api_as, office):
    response = api_as(office).get("/plans/00000000-0000-0000-0000-000000000000")
    assert "Không tìm thấy".encode() in response.content


def test_the_openapi_schema_describes_every_endpoint_and_the_bearer_token(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["version"] == "1"
    assert schema["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    paths = schema["paths"]
    assert "/api/v1/communes/{commune_id}/plans/import" in paths
    assert "/api/v1/reports/{report_id}/evidence/file" in paths
    assert (
        "multipart/form-data"
        in (paths["/api/v1/reports/{report_id}/evidence/file"]["post"]["requestBody"]["content"])
    )
    # No sequential ids anywhere: every path parameter is a UUID.
    for path, operations in paths.items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    assert parameter["schema"].get("format") == "uuid", (path, parameter)


def test_the_docs_page_loads_nothing_from_outside(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/api/v1/openapi.json" in page
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/") for s in sources), sources
    for source in sources:
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/")), source
    # No inline script: a strict Content-Security-Policy must not break the page.
    assert re.search(r"<script>(?!</script>)", page) is None
    docs_js = finders.find("api/docs.js")
    assert docs_js and "http" not in Path(docs_js).read_text(encoding="utf-8")


def test_the_docs_page_leads_back_to_the_app(client):
    page = client.get("/api/v1/docs").content.decode()
    assert f'href="{reverse("home")}"' in page
    assert "Về trang chính" in page
