"""A PostgreSQL database of the runtime tests' own, per test process.

Migrating from nothing takes a while (many migrations), so a migrated template database is
kept on the server, named after a digest of every migration and the packages that ship
some; each test process copies it (CREATE DATABASE … TEMPLATE, about a second). A stale
template (older migrations) is dropped when a new one is made.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
from collections.abc import Iterator

import pytest

from .live import (
    ROOT,
    clean_env,
    database_name,
    maintenance_connection,
    postgres_base_url,
    theodoi,
    with_database,
)

TEMPLATE_PREFIX = "theodoi_runtime_tpl_"
PACKAGES_WITH_MIGRATIONS = ["django", "django-axes", "django-tasks-db"]


def migrations_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "src" / "theodoi").glob("*/migrations/*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    for package in PACKAGES_WITH_MIGRATIONS:
        digest.update(f"{package}={importlib.metadata.version(package)}".encode())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def live_database_url(worker_id: str) -> Iterator[str]:
    base = postgres_base_url()
    admin = maintenance_connection(base)
    template = TEMPLATE_PREFIX + migrations_digest()
    name = f"{database_name(base) or 'theodoi'}_live_{worker_id}_{os.getpid()}"
    # One test process at a time makes the template (xdist runs several).
    admin.execute("SELECT pg_advisory_lock(hashtext('theodoi-runtime-template'))")
    try:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [template]
        ).fetchone()
        if not exists:
            for (stale,) in admin.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", [TEMPLATE_PREFIX + "%"]
            ).fetchall():
                admin.execute(f'DROP DATABASE IF EXISTS "{stale}" WITH (FORCE)')
            building = f"{template}_building"
            admin.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{building}"')
            theodoi(
                "migrate", "-v", "0", env=clean_env(DATABASE_URL=with_database(base, building)),
                timeout=300,
            )  # fmt: skip
            admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    finally:
        admin.execute("SELECT pg_advisory_unlock(hashtext('theodoi-runtime-template'))")
    try:
        yield with_database(base, name)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
