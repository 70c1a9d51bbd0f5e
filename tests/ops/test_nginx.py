"""The shipped nginx site file, with Debian's nginx, in front of `theodoi serve`."""

from __future__ import annotations

import http.client
import json
import ssl

import pytest
import requests
from django.urls import reverse

from .conftest import port
from .servers import (
    client_max_body_bytes,
    nginx,
    nginx_site,
    production_environment,
    self_signed_certificate,
    serve,
    servers_database_url,
)

APP, HTTP, HTTPS = port(1), port(2), port(3)


def test_the_body_limit_leaves_room_for_the_largest_upload_the_app_accepts(settings):
    largest = max(settings.THEODOI_EVIDENCE_MAX_BYTES, settings.THEODOI_PLAN_MAX_BYTES)
    assert largest < client_max_body_bytes() <= largest + 2 * 1024 * 1024


def sign_in(session: requests.Session, base: str, username: str, forged: str) -> requests.Response:
    """One failed sign-in whose X-Forwarded-For claims another address each time."""
    login = f"{base}{reverse('login')}"
    page = session.get(login, timeout=10)
    token = page.text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    return session.post(
        login,
        data={"username": username, "password": "sai-mat-khau", "csrfmiddlewaretoken": token},
        headers={"X-Forwarded-For": forged, "Referer": login},
        timeout=10,
        allow_redirects=False,
    )


@pytest.mark.django_db(transaction=True)
def test_nginx_refuses_a_large_upload_serves_static_files_and_hides_forged_addresses(
    shared_data_dir, world_readable_tmp
):
    database = servers_database_url(world_readable_tmp)
    env = production_environment(shared_data_dir, database, THEODOI_LOGIN_FAILURES_PER_ADDRESS="3")
    prefix = world_readable_tmp / "nginx"
    prefix.mkdir()
    certificate, key = self_signed_certificate(prefix)
    site = nginx_site(
        app_port=APP, http_port=HTTP, https_port=HTTPS, data_dir=shared_data_dir,
        certificate=certificate, key=key, webroot=world_readable_tmp / "www",
    )  # fmt: skip
    base = f"https://127.0.0.1:{HTTPS}"
    with (
        serve(APP, env, world_readable_tmp / "serve.log"),
        nginx(site, prefix, HTTPS),
        requests.Session() as session,
    ):
        session.trust_env = False  # this machine's CA bundle settings would replace ours
        session.verify = str(certificate)

        # Plain HTTP is sent to HTTPS.
        plain = session.get(f"http://127.0.0.1:{HTTP}/login/", allow_redirects=False, timeout=10)
        assert plain.status_code == 301
        assert plain.headers["Location"] == "https://127.0.0.1/login/"

        # A fingerprinted static file, from disk, cached for a year.
        manifest = json.loads((shared_data_dir / "static" / "staticfiles.json").read_text())
        css = next(name for name in manifest["paths"].values() if name.endswith(".css"))
        static = session.get(f"{base}/static/{css}", timeout=10)
        assert static.status_code == 200
        assert "immutable" in static.headers["Cache-Control"]
        assert static.headers["Server"].startswith("nginx")

        # An upload over the limit: refused by nginx before a byte of it is read.
        tls = ssl.create_default_context(cafile=str(certificate))
        upload = http.client.HTTPSConnection("127.0.0.1", HTTPS, context=tls, timeout=10)
        upload.putrequest("POST", reverse("evidence_upload"))
        upload.putheader("Content-Type", "multipart/form-data; boundary=x")
        upload.putheader("Content-Length", str(client_max_body_bytes() + 1))
        upload.endheaders()
        refused = upload.getresponse()
        assert refused.status == 413
        upload.close()

        # Each failure claims another address; all are counted under the one nginx saw, so
        # the third locks the address and a fourth claim changes nothing.
        for index in range(2):
            assert sign_in(session, base, f"nguoi-{index}", f"10.9.0.{index}").status_code == 200
        assert sign_in(session, base, "nguoi-2", "10.9.0.2").status_code == 429
        locked = sign_in(session, base, "nguoi-moi", "10.9.0.250")
        assert locked.status_code == 429
        assert "từ địa chỉ mạng của bạn" in locked.text
