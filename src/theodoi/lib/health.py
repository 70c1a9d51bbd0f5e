"""Can this process do its work? The database, the file storage, the migrations.

Each check returns None when all is well, else one Vietnamese sentence for the operator:
`theodoi serve`/`theodoi worker` print it and stop at start-up, `/healthz` returns it.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor


def database_problem() -> str | None:
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # every driver's own error: the operator needs one sentence
        return (
            f"Không kết nối được cơ sở dữ liệu ({connection.vendor}): {_first_line(exc)}. "
            "Hãy kiểm tra DATABASE_URL và máy chủ cơ sở dữ liệu."
        )
    return None


def storage_problem(*, write: bool = False) -> str | None:
    """The file storage answers (and, with ``write``, accepts and gives back a file)."""
    try:
        if isinstance(default_storage, FileSystemStorage):
            root = Path(default_storage.location)
            root.mkdir(parents=True, exist_ok=True)
            if not os.access(root, os.W_OK | os.X_OK):
                raise PermissionError(f"không ghi được vào {root}")
        else:
            default_storage.exists("healthz/probe")
        if write:
            name = default_storage.save(f"healthz/{uuid.uuid4().hex}", ContentFile(b"ok"))
            try:
                with default_storage.open(name) as handle:
                    if handle.read() != b"ok":
                        raise OSError("tệp đọc lại khác tệp đã ghi")
            finally:
                default_storage.delete(name)
    except Exception as exc:  # OSError, botocore's errors ...: one sentence either way
        return (
            f"Không dùng được kho lưu tệp: {_first_line(exc)}. "
            "Hãy kiểm tra THEODOI_DATA_DIR hoặc cấu hình kho lưu trữ."
        )
    return None


def migrations_problem() -> str | None:
    """Unapplied migrations (the database is older than the code), as a sentence."""
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return database_problem() or f"Không đọc được trạng thái cơ sở dữ liệu: {exc}."
    if pending:
        return (
            f"Cơ sở dữ liệu chưa được cập nhật ({len(pending)} bước chưa chạy): "
            "hãy chạy `theodoi migrate` trước khi khởi động máy chủ."
        )
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0].rstrip(".") if text else type(exc).__name__
