"""``theodoi backup`` and ``theodoi restore``: the whole installation comes back, or nothing."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from theodoi.evidence.models import Evidence

from .conftest import a_commune_at_work
from .helpers import census_here, census_of, theodoi


def backup_here(path: Path) -> str:
    out = io.StringIO()
    call_command("backup", output=str(path), stdout=out)
    return out.getvalue()


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
    assert "không có vấn đề" in after["check"]

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
