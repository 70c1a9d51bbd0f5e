"""``theodoi backup`` and ``theodoi restore``: the whole installation comes back, or nothing."""

from __future__ import annotations

import hashlib
import io
import tarfile
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from theodoi.evidence.models import Evidence

from ..evidence.factories import add_file, pdf_bytes, sent_completion
from ..factories import unit_of
from ..tracking_factories import make_active_plan
from .helpers import census_of, environment, theodoi

ON_POSTGRESQL = connection.vendor == "postgresql"


def census_here() -> dict[str, Any]:
    rows = {model._meta.label: model._base_manager.count() for model in apps.get_models()}
    hashes = sorted(
        [e.sha256, hashlib.sha256(default_storage.open(e.file.name, "rb").read()).hexdigest()]
        for e in Evidence.objects.exclude(file="")
    )
    return {"rows": rows, "hashes": hashes}


def a_commune_at_work(commune, police) -> None:  # type: ignore[no-untyped-def]
    plan = make_active_plan(commune)
    evidence = sent_completion(plan, unit_of(commune, "Công an phường"), police)
    add_file(police, report=evidence.report, data=pdf_bytes("Ảnh chụp màn hình"), name="anh.pdf")


def backup_here(path: Path) -> str:
    out = io.StringIO()
    call_command("backup", output=str(path), stdout=out)
    return out.getvalue()


@pytest.fixture
def empty_target(tmp_path):  # type: ignore[no-untyped-def]
    """The environment of a fresh installation: empty data directory, empty database."""
    data_dir = tmp_path / "restored"
    if not ON_POSTGRESQL:
        yield environment(data_dir)
        return
    name = f"{connection.settings_dict['NAME']}_restore"
    admin = {**connection.settings_dict, "NAME": "postgres"}
    params = {"dbname": "postgres", "host": admin["HOST"], "port": admin["PORT"] or 5432}
    params["user"] = admin["USER"]
    with psycopg.connect(**params, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}"')
        server.execute(f'CREATE DATABASE "{name}"')
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT'] or 5432}/{name}"
    yield environment(data_dir, DATABASE_URL=url)
    with psycopg.connect(**params, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_restored_installation_has_the_same_rows_and_evidence_and_checks_clean(
    commune, police, tmp_path, empty_target
):
    a_commune_at_work(commune, police)
    before = census_here()
    assert len(before["hashes"]) == 2
    archive = tmp_path / "theodoi.tar.gz"
    said = backup_here(archive)
    assert "2 tệp" in said

    restored = theodoi("restore", str(archive), env=empty_target)
    assert restored.returncode == 0, restored.stderr
    assert "Mọi SHA-256 đều khớp" in restored.stdout

    after = census_of(empty_target)
    assert after["rows"] == before["rows"]
    assert after["hashes"] == before["hashes"]
    assert all(recorded == actual for recorded, actual in after["hashes"])
    checked = theodoi("check", env=empty_target)
    assert checked.returncode == 0, checked.stderr
    assert "không có vấn đề" in checked.stdout

    # The same archive again, now into a database that is no longer empty: refused.
    again = theodoi("restore", str(archive), env=empty_target)
    assert again.returncode != 0
    assert "Cơ sở dữ liệu đích không trống" in again.stderr
    assert "Traceback" not in again.stderr


def _rewrite(archive: Path, target: Path, change) -> None:  # type: ignore[no-untyped-def]
    """Copy ``archive`` member by member, passing each (name, bytes) through ``change``."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as out:
        for info in source.getmembers():
            handle = source.extractfile(info)
            assert handle is not None
            data = change(info.name, handle.read())
            if data is None:
                continue
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))


@pytest.mark.django_db(transaction=True)
def test_a_truncated_altered_or_incomplete_archive_is_refused_before_anything_is_written(
    commune, police, tmp_path
):
    a_commune_at_work(commune, police)
    archive = tmp_path / "theodoi.tar.gz"
    backup_here(archive)

    def tamper(name: str, data: bytes) -> bytes:
        return data.replace(b"%%EOF", b"%%EOX") if name.startswith("files/") else data

    truncated = tmp_path / "cut.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size * 2 // 3])
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(truncated))
    assert str(refused.value).startswith("Tệp sao lưu cut.tar.gz bị hỏng hoặc không đầy đủ")
    assert "\n" not in str(refused.value)

    altered = tmp_path / "altered.tar.gz"
    _rewrite(archive, altered, tamper)
    with pytest.raises(CommandError, match="không khớp SHA-256"):
        call_command("restore", str(altered))

    no_manifest = tmp_path / "no-manifest.tar.gz"
    _rewrite(archive, no_manifest, lambda name, data: None if name == "manifest.json" else data)
    with pytest.raises(CommandError, match="thiếu bản kê SHA-256"):
        call_command("restore", str(no_manifest))

    # A sound archive into this (full) database is refused too, and the rows stay as they were.
    rows = Evidence.objects.count()
    with pytest.raises(CommandError, match="Cơ sở dữ liệu đích không trống"):
        call_command("restore", str(archive))
    assert Evidence.objects.count() == rows
