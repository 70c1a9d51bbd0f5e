"""Fixtures for operating theodoi: fresh installations, a real S3 API server (moto)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
from django.db import connection

from ..evidence.factories import add_file, pdf_bytes, sent_completion
from ..factories import unit_of
from ..tracking_factories import make_active_plan
from .helpers import environment

ON_POSTGRESQL = connection.vendor == "postgresql"
S3_KEYS = {"access_key": "theodoi-test", "secret_key": "theodoi-test-secret"}


def port(slot: int) -> int:
    """A port of ours (18200-18299), distinct for each xdist worker and each use."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    return 18200 + 20 * int(worker or 0) + slot


def wait_until_up(url: str, process: subprocess.Popen[Any], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} ended with {process.returncode}")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # readiness only: any certificate will do
                requests.get(url, timeout=3, verify=False)
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def a_commune_at_work(commune, police) -> None:  # type: ignore[no-untyped-def]
    """An active plan, a completion sent with two evidence files."""
    plan = make_active_plan(commune)
    evidence = sent_completion(plan, unit_of(commune, "Công an phường"), police)
    add_file(police, report=evidence.report, data=pdf_bytes("Ảnh chụp màn hình"), name="anh.pdf")


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """moto's S3 API server, a real HTTP server speaking the S3 protocol."""
    moto = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "moto_server"
    number = port(0)
    log = (tmp_path_factory.mktemp("moto") / "moto.log").open("w")
    process = subprocess.Popen(
        [str(moto), "-H", "127.0.0.1", "-p", str(number)], stdout=log, stderr=log
    )
    endpoint = f"http://127.0.0.1:{number}"
    try:
        wait_until_up(endpoint, process)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def new_bucket(endpoint: str) -> str:
    import boto3

    name = f"theodoi-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=S3_KEYS["access_key"],
        aws_secret_access_key=S3_KEYS["secret_key"],
    )
    client.create_bucket(Bucket=name)
    return name


def s3_environment(endpoint: str, bucket: str) -> dict[str, str]:
    return {
        "THEODOI_S3_BUCKET": bucket,
        "THEODOI_S3_ENDPOINT_URL": endpoint,
        "THEODOI_S3_REGION": "us-east-1",
        "THEODOI_S3_ACCESS_KEY": S3_KEYS["access_key"],
        "THEODOI_S3_SECRET_KEY": S3_KEYS["secret_key"],
    }


@pytest.fixture
def bucket(settings, s3_endpoint):  # type: ignore[no-untyped-def]
    """This process's files in a new bucket of the S3 server, as settings.py configures it."""
    name = new_bucket(s3_endpoint)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "addressing_style": "path",
                "signature_version": "s3v4",
                "file_overwrite": False,
                "default_acl": None,
                **S3_KEYS,
            },
        },
    }
    return name


def postgres_url(name: str) -> str:
    settings = connection.settings_dict
    return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT'] or 5432}/{name}"


def _server() -> psycopg.Connection[Any]:
    settings = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        autocommit=True,
    )


@pytest.fixture
def fresh_postgres() -> Iterator[str]:
    """An empty PostgreSQL database beside the test database; its URL."""
    name = f"{connection.settings_dict['NAME']}_restore"
    with _server() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')
    yield postgres_url(name)
    with _server() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def empty_target(tmp_path, request) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The environment of a fresh installation: empty data directory, empty database."""
    data_dir = tmp_path / "restored"
    if not ON_POSTGRESQL:
        return environment(data_dir)
    return environment(data_dir, DATABASE_URL=request.getfixturevalue("fresh_postgres"))


@pytest.fixture(scope="session")
def shared_data_dir() -> Iterator[Path]:
    """One data directory for every server the tests start: static files collected once.

    Outside pytest's own (private) temporary directory, so nginx, running as nobody, can
    read the static files.
    """
    path = Path(tempfile.mkdtemp(prefix="theodoi-ops-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def world_readable_tmp() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="theodoi-ops-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)
