"""Real processes for the operations tests: `theodoi serve`, `theodoi worker`, Debian's nginx.

Every process listens on 127.0.0.1 on one of our ports, is started by the test and stopped by
its own process id.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.db import connection

from .conftest import wait_until_up
from .helpers import ROOT, environment

SECRET = "ops-test-secret-" + "x" * 40
NGINX_SITE = ROOT / "deploy" / "nginx" / "theodoi.conf"


def servers_database_url(scratch: Path) -> str:
    """A database the servers share with this test: the test database itself on PostgreSQL
    (tests using it are transactional, so what they write is visible), a file copy of the
    in-memory test database on SQLite."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        port = settings["PORT"] or 5432
        return f"postgres://{settings['USER']}@{settings['HOST']}:{port}/{settings['NAME']}"
    connection.ensure_connection()
    live = connection.connection
    assert isinstance(live, sqlite3.Connection)
    path = scratch / "theodoi.sqlite3"
    copy = sqlite3.connect(path)
    live.backup(copy)
    copy.close()
    return f"sqlite:///{path}"


def production_environment(data_dir: Path, database_url: str, **extra: str) -> dict[str, str]:
    return environment(
        data_dir,
        THEODOI_PRODUCTION="true",
        THEODOI_SECRET_KEY=SECRET,
        THEODOI_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        THEODOI_WEB_WORKERS="1",
        THEODOI_WEB_THREADS="4",
        THEODOI_LOG_LEVEL="ERROR",
        THEODOI_REQUEST_LOG_LEVEL="ERROR",
        **extra,
    )


def _log(path: Path) -> IO[str]:
    return path.open("w")


@contextlib.contextmanager
def running(
    command: list[str], *, env: dict[str, str] | None, log: Path, ready_url: str | None = None
) -> Iterator[subprocess.Popen[Any]]:
    """Run ``command`` until the block ends; wait for ``ready_url`` to answer first."""
    with _log(log) as out:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        try:
            if ready_url:
                try:
                    wait_until_up(ready_url, process, seconds=60)
                except RuntimeError as exc:
                    raise RuntimeError(f"{exc}\n{log.read_text()[-3000:]}") from exc
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def serve(port: int, env: dict[str, str], log: Path) -> contextlib.AbstractContextManager[Any]:
    command = [sys.executable, "-m", "theodoi", "serve", "--port", str(port)]
    return running(command, env=env, log=log, ready_url=f"http://127.0.0.1:{port}/healthz")


def worker(env: dict[str, str], log: Path) -> contextlib.AbstractContextManager[Any]:
    command = [sys.executable, "-m", "theodoi", "worker", "--interval", "0.2"]
    return running(command, env=env, log=log)


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    certificate, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return certificate, key


def nginx_site(*, app_port: int, http_port: int, https_port: int, data_dir: Path,
               certificate: Path, key: Path, webroot: Path) -> str:  # fmt: skip
    """The shipped site file with this machine's ports and paths put in."""
    site = NGINX_SITE.read_text()
    replacements = [
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
        ("listen [::]:80;\n", ""),
        ("listen [::]:443 ssl http2;\n", ""),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("/etc/letsencrypt/live/theodoi.example.gov.vn/fullchain.pem", str(certificate)),
        ("/etc/letsencrypt/live/theodoi.example.gov.vn/privkey.pem", str(key)),
        ("root /var/lib/theodoi;", f"root {data_dir};"),
        ("root /var/www/html;", f"root {webroot};"),
    ]
    for old, new in replacements:
        assert old in site, old
        site = site.replace(old, new)
    return site


@contextlib.contextmanager
def nginx(site: str, prefix: Path, https_port: int) -> Iterator[subprocess.Popen[Any]]:
    """Debian's nginx in the foreground with ``prefix`` for everything it writes, as nobody
    when the tests run as root (it never needs root on our ports)."""
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi", "www"):
        (prefix / name).mkdir(parents=True, exist_ok=True)
    (prefix / "theodoi.conf").write_text(site)
    temp = " ".join(
        f"{kind}_temp_path {prefix / name};"
        for kind, name in [("client_body", "body"), ("proxy", "proxy"), ("fastcgi", "fastcgi"),
                           ("uwsgi", "uwsgi"), ("scgi", "scgi")]
    )  # fmt: skip
    (prefix / "nginx.conf").write_text(
        f"worker_processes 1;\npid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'};\n"
        "events { worker_connections 256; }\n"
        f"http {{\n include /etc/nginx/mime.types;\n access_log {prefix / 'access.log'};\n"
        f" {temp}\n include {prefix / 'theodoi.conf'};\n}}\n"
    )
    command = [shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(prefix),
               "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"]  # fmt: skip
    if os.geteuid() == 0:
        shutil.chown(prefix, "nobody")
        for path in prefix.rglob("*"):
            shutil.chown(path, "nobody")
        command = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *command]
    with running(
        command, env=None, log=prefix / "nginx.out", ready_url=f"https://127.0.0.1:{https_port}/"
    ) as process:
        yield process


def client_max_body_bytes() -> int:
    found = re.search(r"client_max_body_size (\d+)m;", NGINX_SITE.read_text())
    assert found
    return int(found.group(1)) * 1024 * 1024
