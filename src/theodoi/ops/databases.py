"""The database part of a backup: a consistent copy made by the database's own tools.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies page by page under a
read lock, so the copy is consistent while the system keeps running. PostgreSQL: ``pg_dump``
in its custom format, restored by ``pg_restore``; it reads one snapshot, which is exported
from our own transaction so the row counts written in the manifest are of that same snapshot.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection, transaction
from django.utils.translation import gettext as _

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
ENGINES = {
    "django.db.backends.sqlite3": SQLITE,
    "django.db.backends.postgresql": POSTGRESQL,
}
# Generous: a province's database is a few GB at most; a hung tool must not hang the timer.
TOOL_TIMEOUT_SECONDS = 6 * 3600


class DatabaseToolError(RuntimeError):
    """A database tool failed; ``message`` is one Vietnamese sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def engine() -> str:
    vendor = ENGINES.get(connection.settings_dict["ENGINE"])
    if vendor is None:
        raise DatabaseToolError(
            _("Chỉ sao lưu được SQLite và PostgreSQL, không phải %(engine)s.")
            % {"engine": connection.settings_dict["ENGINE"]}
        )
    return vendor


def table_counts() -> dict[str, int]:
    """Rows per table of the connected database, as this connection sees them."""
    quote = connection.ops.quote_name
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counts[table] = int(cursor.fetchone()[0])
    return counts


def dump(target: Path) -> dict[str, int]:
    """Write a consistent copy of the database to ``target``; returns its rows per table."""
    if engine() == SQLITE:
        return _dump_sqlite(target)
    return _dump_postgresql(target)


def restore(source: Path) -> None:
    """Load ``source`` (written by ``dump`` on the same engine) into the connected database."""
    if engine() == SQLITE:
        _restore_sqlite(source)
    else:
        _restore_postgresql(source)


def _dump_sqlite(target: Path) -> dict[str, int]:
    connection.ensure_connection()
    live = connection.connection
    assert isinstance(live, sqlite3.Connection)
    copy = sqlite3.connect(target)
    try:
        live.backup(copy)
        # The copy stands alone: no WAL file beside it in the archive.
        copy.execute("PRAGMA journal_mode=DELETE")
        tables = [
            row[0]
            for row in copy.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            table: int(copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])
            for table in sorted(tables)
        }
    finally:
        copy.close()


def _restore_sqlite(source: Path) -> None:
    connection.ensure_connection()
    live = connection.connection
    assert isinstance(live, sqlite3.Connection)
    saved = sqlite3.connect(source)
    try:
        saved.backup(live)
    finally:
        saved.close()


def _libpq_environment() -> dict[str, str]:
    """The connection settings as libpq's variables: no password on any command line."""
    settings = connection.settings_dict
    env = dict(os.environ)
    values = {
        "PGDATABASE": settings.get("NAME"),
        "PGUSER": settings.get("USER"),
        "PGPASSWORD": settings.get("PASSWORD"),
        "PGHOST": settings.get("HOST"),
        "PGPORT": settings.get("PORT"),
        "PGSSLMODE": (settings.get("OPTIONS") or {}).get("sslmode"),
    }
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def _run_tool(tool: str, arguments: list[str]) -> None:
    program = shutil.which(tool)
    if program is None:
        raise DatabaseToolError(
            _("Không tìm thấy chương trình %(tool)s; hãy cài gói postgresql-client.")
            % {"tool": tool}
        )
    result = subprocess.run(
        [program, *arguments],
        env=_libpq_environment(),
        capture_output=True,
        text=True,
        timeout=TOOL_TIMEOUT_SECONDS,
        check=False,
    )
    if result.returncode != 0:
        last_line = (result.stderr.strip().splitlines() or ["?"])[-1]
        raise DatabaseToolError(
            _("%(tool)s báo lỗi: %(error)s") % {"tool": tool, "error": last_line}
        )


def _dump_postgresql(target: Path) -> dict[str, int]:
    # pg_dump reads the snapshot our transaction exports, so the counts match the dump.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = table_counts()
        _run_tool(
            "pg_dump",
            [
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
        )
    return counts


def _restore_postgresql(source: Path) -> None:
    connection.close()
    _run_tool(
        "pg_restore",
        [
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        ],
    )
