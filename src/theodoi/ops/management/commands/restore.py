"""``theodoi restore FILE``: into an empty database and storage, after checking every hash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from theodoi.evidence.services import megabytes
from theodoi.ops.archive import BackupError, restore_from


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu của theodoi vào cơ sở dữ liệu và kho tệp trống, sau khi "
        "kiểm tra SHA-256 của mọi thành phần."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="tệp sao lưu do theodoi backup ghi")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = restore_from(path=Path(options["file"]))
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            _(
                "Đã khôi phục: %(engine)s, %(tables)d bảng, %(rows)d dòng; %(files)d tệp "
                "(%(size)s). Mọi SHA-256 đều khớp."
            )
            % {
                "engine": summary.engine,
                "tables": summary.tables,
                "rows": summary.rows,
                "files": summary.files,
                "size": megabytes(summary.bytes),
            }
        )
