"""The site installs on a phone: a web app manifest and a service worker from the root."""

from __future__ import annotations

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_manifest_names_the_app_in_vietnamese_and_starts_at_home():
    response = Client().get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert (manifest["name"], manifest["start_url"], manifest["display"]) == (
        "Theo dõi chuyển đổi số",
        "/",
        "standalone",
    )


def test_the_service_worker_is_served_from_the_root_and_caches_only_our_static_files():
    response = Client().get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    assert "/static/web/offline.js" in body
    assert "http" not in body.split("var SHELL")[1].split(";")[0]  # no other origin


def test_every_page_links_the_manifest_and_the_offline_script(client, police):
    client.force_login(police)
    page = client.get("/").content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert "web/offline.js" in page
