"""/healthz for the load balancer, one log line per request, static files for production."""

from __future__ import annotations

import json
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.utils import OperationalError
from django.urls import reverse

from theodoi.demo.models import DemoDatabase
from theodoi.demo.services import DEMO_PASSWORD, demo_database_refusal
from theodoi.web.gunicorn import options

from ..factories import make_user
from ..tracking_factories import make_active_plan

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_when_the_database_and_storage_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "storage": "ok", "status": "ok"}


def test_healthz_answers_503_with_a_sentence_when_the_storage_is_gone(client, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker / "media"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error" and body["database"] == "ok"
    assert body["storage"].startswith("Không dùng được kho lưu tệp")


def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    def down() -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", down)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "Không kết nối được cơ sở dữ liệu" in response.json()["database"]


def test_each_request_writes_one_line_with_user_commune_status_and_time(
    client, office, commune, caplog
):
    plan = make_active_plan(commune)
    client.force_login(office)
    with caplog.at_level(logging.INFO, logger="theodoi.requests"):
        client.get(reverse("plan_detail", args=[plan.public_id]))
    lines = [r.getMessage() for r in caplog.records if r.name == "theodoi.requests"]
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["user"] == "vanphong"
    assert entry["commune"] == commune.code
    assert (entry["method"], entry["status"]) == ("GET", 200)
    assert entry["path"] == reverse("plan_detail", args=[plan.public_id])
    assert entry["ms"] > 0


def test_collectstatic_works_with_the_production_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    css = manifest["vendor/bootstrap-5.3.9.min.css"]
    assert css != "vendor/bootstrap-5.3.9.min.css"  # fingerprinted
    assert (tmp_path / "static" / css).exists()
    assert (tmp_path / "static" / (css + ".gz")).exists()


def test_gunicorn_takes_workers_threads_and_timeout_from_the_settings(settings):
    settings.THEODOI_WEB_WORKERS, settings.THEODOI_WEB_THREADS = 2, 8
    settings.THEODOI_WEB_TIMEOUT = 45
    chosen = options(host="127.0.0.1", port=18199)
    assert chosen["bind"] == "127.0.0.1:18199"
    assert (chosen["workers"], chosen["threads"], chosen["timeout"]) == (2, 8, 45)
    assert chosen["worker_class"] == "gthread"


def test_the_demo_refuses_a_database_with_real_people_and_accepts_its_own():
    assert demo_database_refusal() is None  # nobody yet: it may become the demo's
    make_user("nguoi-that")
    refusal = demo_database_refusal()
    assert refusal is not None and refusal.startswith("Cơ sở dữ liệu này không phải")
    with pytest.raises(Exception, match="không phải cơ sở dữ liệu trình diễn"):
        call_command("demo", no_server=True)
    DemoDatabase.objects.create()
    assert demo_database_refusal() is None


def test_a_demo_database_from_before_the_marker_is_still_recognised_as_the_demos():
    make_user("admin").set_password(DEMO_PASSWORD)  # not saved yet: a real admin's password
    assert demo_database_refusal() is not None
    admin = get_user_model().objects.get(username="admin")
    admin.set_password(DEMO_PASSWORD)
    admin.save()
    assert demo_database_refusal() is None


def test_the_demo_never_runs_on_a_production_server(settings):
    settings.PRODUCTION = True
    assert "THEODOI_PRODUCTION" in (demo_database_refusal() or "")
