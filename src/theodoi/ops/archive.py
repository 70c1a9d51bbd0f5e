"""One backup archive: the database, every stored file, and a manifest of SHA-256 hashes.

The archive is a gzip-compressed tar:

    database/theodoi.sqlite3 | database/theodoi.pgdump   the database's own copy
    files/<storage name>                                every file of the default storage
    manifest.json                                       written last (see below)

The manifest names every other member with its size and SHA-256, the database engine and
the rows per table. It is the last member, so an archive cut short has none and is refused;
gzip's own checksum and the per-member hashes catch damage anywhere else. A restore reads the
whole archive and checks every hash before it writes anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.utils.translation import gettext as _

from theodoi.evidence.management.commands.check import walk
from theodoi.evidence.services import CHUNK_BYTES
from theodoi.ops import databases

FORMAT = "theodoi.backup/1"
MANIFEST = "manifest.json"
FILES = "files/"
DATABASE_MEMBERS = {
    databases.SQLITE: "database/theodoi.sqlite3",
    databases.POSTGRESQL: "database/theodoi.pgdump",
}


class BackupError(RuntimeError):
    """A backup or restore refused; ``message`` is one Vietnamese sentence for the operator."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Summary:
    tables: int = 0
    rows: int = 0
    files: int = 0
    bytes: int = 0
    engine: str = ""
    counts: dict[str, int] = field(default_factory=dict)


class _HashingReader(io.RawIOBase):
    """Reads through to ``inner`` while hashing what passes."""

    def __init__(self, inner: IO[bytes]) -> None:
        self.inner = inner
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self.inner.read(size)
        self.digest.update(chunk)
        self.size += len(chunk)
        return chunk


def stored_files(storage: Storage) -> Iterator[str]:
    """Every file name in ``storage``, from its root, through the storage API."""
    try:
        dirs, files = storage.listdir("")
    except FileNotFoundError:
        return
    yield from sorted(name for name in files if name)
    for directory in sorted(dirs):
        if directory:
            yield from walk(storage, directory)


def _add(archive: tarfile.TarFile, name: str, handle: IO[bytes], size: int) -> dict[str, Any]:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
    info.mode = 0o600
    reader = _HashingReader(handle)
    archive.addfile(info, reader)
    return {"member": name, "size": reader.size, "sha256": reader.digest.hexdigest()}


def backup_write(*, output: Path, storage: Storage | None = None) -> Summary:
    """Write the archive to ``output`` (through ``output.partial``, renamed when complete)."""
    storage = storage or default_storage
    try:
        engine = databases.engine()
    except databases.DatabaseToolError as exc:
        raise BackupError(exc.message) from exc
    partial = output.with_name(output.name + ".partial")
    summary = Summary(engine=engine)
    entries: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="theodoi-backup-") as scratch:
        dump = Path(scratch) / "database"
        try:
            summary.counts = databases.dump(dump)
        except databases.DatabaseToolError as exc:
            raise BackupError(exc.message) from exc
        with tarfile.open(partial, "w:gz", compresslevel=1) as archive:
            with dump.open("rb") as handle:
                entries.append(_add(archive, DATABASE_MEMBERS[engine], handle, dump.stat().st_size))
            for name in stored_files(storage):
                with storage.open(name, "rb") as handle:
                    entries.append(_add(archive, FILES + name, handle, storage.size(name)))
                summary.files += 1
                summary.bytes += entries[-1]["size"]
            manifest = {
                "format": FORMAT,
                "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "engine": engine,
                "tables": summary.counts,
                "members": entries,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            _add(archive, MANIFEST, io.BytesIO(data), len(data))
    partial.replace(output)
    summary.tables = len(summary.counts)
    summary.rows = sum(summary.counts.values())
    return summary


def _damaged(path: Path, reason: str) -> BackupError:
    return BackupError(
        _("Tệp sao lưu %(path)s bị hỏng hoặc không đầy đủ (%(reason)s), nên không khôi phục gì cả.")
        % {"path": path.name, "reason": reason}
    )


@dataclass
class Unpacked:
    """A verified archive, unpacked into a scratch directory."""

    manifest: dict[str, Any]
    paths: dict[str, Path]

    @property
    def engine(self) -> str:
        return str(self.manifest["engine"])

    def database(self) -> Path:
        return self.paths[DATABASE_MEMBERS[self.engine]]

    def files(self) -> list[tuple[str, Path]]:
        return [
            (member.removeprefix(FILES), path)
            for member, path in self.paths.items()
            if member.startswith(FILES)
        ]


def archive_unpack(path: Path, scratch: Path) -> Unpacked:
    """Read the whole archive into ``scratch``, checking every hash; BackupError if damaged."""
    seen: dict[str, tuple[int, str]] = {}
    paths: dict[str, Path] = {}
    manifest_bytes = b""
    try:
        with tarfile.open(path, "r|gz") as archive:
            for index, info in enumerate(archive):
                if not info.isfile():
                    raise _damaged(path, _("có mục không phải tệp"))
                source = archive.extractfile(info)
                assert source is not None
                # Scratch names are numbers: a member's name never becomes a path on disk.
                target = scratch / str(index)
                digest = hashlib.sha256()
                with target.open("wb") as out:
                    while chunk := source.read(CHUNK_BYTES):
                        digest.update(chunk)
                        out.write(chunk)
                seen[info.name] = (target.stat().st_size, digest.hexdigest())
                paths[info.name] = target
                if info.name == MANIFEST:
                    manifest_bytes = target.read_bytes()
    except FileNotFoundError as exc:
        raise BackupError(_("Không tìm thấy tệp sao lưu %(path)s.") % {"path": str(path)}) from exc
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise _damaged(path, _("tệp bị cắt cụt hoặc sai định dạng")) from exc
    if not manifest_bytes:
        raise _damaged(path, _("thiếu bản kê SHA-256 ở cuối tệp"))
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as exc:
        raise _damaged(path, _("bản kê không đọc được")) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _damaged(path, _("không phải bản sao lưu của theodoi"))
    listed = {entry["member"]: entry for entry in manifest.get("members", [])}
    if manifest.get("engine") not in DATABASE_MEMBERS or (
        DATABASE_MEMBERS[manifest["engine"]] not in listed
    ):
        raise _damaged(path, _("thiếu bản sao cơ sở dữ liệu"))
    for member, entry in listed.items():
        if member not in seen:
            raise _damaged(path, _("thiếu %(member)s") % {"member": member})
        if seen[member] != (entry["size"], entry["sha256"]):
            raise _damaged(path, _("%(member)s không khớp SHA-256") % {"member": member})
    extra = set(seen) - set(listed) - {MANIFEST}
    if extra:
        raise _damaged(path, _("có tệp lạ %(member)s") % {"member": sorted(extra)[0]})
    del paths[MANIFEST]
    return Unpacked(manifest=manifest, paths=paths)


def restore_from(*, path: Path, storage: Storage | None = None) -> Summary:
    """Restore ``path`` into an empty database and an empty storage; BackupError if refused."""
    storage = storage or default_storage
    with tempfile.TemporaryDirectory(prefix="theodoi-restore-") as scratch:
        unpacked = archive_unpack(path, Path(scratch))
        try:
            engine = databases.engine()
        except databases.DatabaseToolError as exc:
            raise BackupError(exc.message) from exc
        if unpacked.engine != engine:
            raise BackupError(
                _(
                    "Bản sao lưu này là của %(saved)s nhưng máy này dùng %(here)s; hãy đặt "
                    "DATABASE_URL tới một cơ sở dữ liệu %(saved)s trống."
                )
                % {"saved": unpacked.engine, "here": engine}
            )
        tables = databases.table_counts()
        if tables:
            raise BackupError(
                _(
                    "Cơ sở dữ liệu đích không trống (đã có %(n)d bảng); chỉ khôi phục vào một "
                    "cơ sở dữ liệu mới tạo, chưa chạy migrate."
                )
                % {"n": len(tables)}
            )
        present = next(stored_files(storage), None)
        if present is not None:
            raise BackupError(
                _(
                    "Kho tệp đích không trống (đã có %(name)s); chỉ khôi phục vào một thư mục "
                    "dữ liệu hoặc bucket trống."
                )
                % {"name": present}
            )
        try:
            databases.restore(unpacked.database())
        except databases.DatabaseToolError as exc:
            raise BackupError(exc.message) from exc
        summary = Summary(engine=engine, counts=databases.table_counts())
        if summary.counts != unpacked.manifest["tables"]:
            raise BackupError(
                _("Số dòng sau khi khôi phục không khớp với bản kê; hãy kiểm tra cơ sở dữ liệu.")
            )
        for name, source in unpacked.files():
            with source.open("rb") as handle:
                stored = storage.save(name, File(handle, name=name))
            if stored != name:
                raise BackupError(
                    _("Kho tệp đổi tên %(name)s khi ghi; hãy dùng một kho trống.") % {"name": name}
                )
            summary.files += 1
            summary.bytes += source.stat().st_size
    summary.tables = len(summary.counts)
    summary.rows = sum(summary.counts.values())
    return summary
