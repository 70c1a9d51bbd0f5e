"""Real processes for the runtime tests: a PostgreSQL database of their own, `theodoi serve`
and `theodoi worker` started as an operator would, and a tiny HTTP client (http.client) that
keeps cookies and speaks as the HTTPS proxy in front would (X-Forwarded-Proto)."""

from __future__ import annotations

import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/test"


def postgres_base_url() -> str:
    """The server the suite tests PostgreSQL on (as scripts/test finds it)."""
    current = os.environ.get("DATABASE_URL", "")
    if current.startswith(("postgres://", "postgresql://")):
        return current
    return os.environ.get("THEODOI_TEST_POSTGRES_URL") or DEFAULT_POSTGRES


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def maintenance_connection(url: str):  # type: ignore[no-untyped-def]
    """An autocommit connection to the server's `postgres` database, or a skip/fail."""
    import psycopg

    try:
        return psycopg.connect(with_database(url, "postgres"), autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(
                f"PostgreSQL does not answer at {url}; CI must run the runtime tests: {exc}"
            )
        pytest.skip(
            f"PostgreSQL does not answer at {url}: the runtime tests need it (CI runs them)"
        )


def clean_env(**extra: str) -> dict[str, str]:
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("THEODOI_", "DATABASE_URL", "DJANGO_"))
    }
    return {**base, "PYTHONPATH": str(ROOT), **extra}


def production_env(*, database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    return clean_env(
        THEODOI_PRODUCTION="true",
        THEODOI_SECRET_KEY=secrets.token_urlsafe(48),
        THEODOI_ALLOWED_HOSTS="127.0.0.1",
        THEODOI_DATA_DIR=str(data_dir),
        DATABASE_URL=database_url,
        THEODOI_WEB_WORKERS="2",
        THEODOI_WEB_THREADS="2",
        **extra,
    )


def theodoi(*args: str, env: dict[str, str], timeout: int = 120) -> str:
    """Run one `theodoi` command to its end; its stdout, or the test fails with its stderr."""
    result = subprocess.run(
        [sys.executable, "-m", "theodoi", *args], capture_output=True, text=True, env=env,
        cwd=ROOT, timeout=timeout,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def free_port(first: int = 18100, last: int = 18189) -> int:
    """A free port in ``first``-``last`` (the runtime tests' own range by default)."""
    for port in range(first, last + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {first}-{last}")


@contextmanager
def running(*args: str, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A long-running `theodoi` process, stopped (SIGTERM, then SIGKILL) afterwards."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "theodoi", *args], stdout=out, stderr=subprocess.STDOUT,
            env=env, cwd=ROOT,
        )  # fmt: skip
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Client:
    """Cookies kept by hand: the production cookies are Secure and this talks plain HTTP, as
    nginx does to the app server (it says X-Forwarded-Proto: https)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def request(
        self, method: str, path: str, *, body: bytes | None = None, content_type: str = ""
    ) -> Response:
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        if content_type:
            headers["Content-Type"] = content_type
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            data = raw.read()
            for value in raw.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value
            return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data)
        finally:
            connection.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, fields: dict[str, str]) -> Response:
        data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        return self.request(
            "POST", path, body=urlencode(data).encode(),
            content_type="application/x-www-form-urlencoded",
        )  # fmt: skip

    def post_file(
        self, path: str, fields: dict[str, str], *, name: str, file_name: str, data: bytes
    ) -> Response:
        boundary = uuid.uuid4().hex
        parts: list[bytes] = []
        values = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        for key, value in values.items():
            head = f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
            parts.append(f"{head}{value}\r\n".encode())
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{file_name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST", path, body=b"".join(parts),
            content_type=f"multipart/form-data; boundary={boundary}",
        )  # fmt: skip

    def sign_in(self, username: str, password: str) -> None:
        self.get("/login/")
        answer = self.post("/login/", {"username": username, "password": password})
        assert answer.status == 302, answer.text[-2000:]


def wait_until_healthy(client: Client, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"theodoi serve stopped: {log.read_text(errors='replace')[-3000:]}")
        try:
            if client.get("/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"theodoi serve did not answer: {log.read_text(errors='replace')[-3000:]}")


def fetch_rows(url: str, sql: str) -> list[tuple[object, ...]]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        cursor = connection.execute(sql)
        return list(cursor.fetchall()) if cursor.description else []


def as_json(text: str) -> object:
    return json.loads(text.strip().splitlines()[-1])
