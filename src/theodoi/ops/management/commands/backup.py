"""``theodoi backup --output FILE``: the database, every stored file and their hashes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from theodoi.evidence.services import megabytes
from theodoi.ops.archive import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu (SQLite hoặc PostgreSQL, nhất quán khi hệ thống đang chạy), "
        "mọi tệp đã lưu và bản kê SHA-256 vào một tệp .tar.gz."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="tệp sao lưu sẽ ghi (.tar.gz)")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"]).resolve()
        if not output.parent.is_dir():
            raise CommandError(
                _("Thư mục %(dir)s không tồn tại; hãy tạo nó trước khi sao lưu.")
                % {"dir": str(output.parent)}
            )
        try:
            summary = backup_write(output=output)
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            _(
                "Đã sao lưu vào %(path)s: %(engine)s, %(tables)d bảng, %(rows)d dòng; %(files)d "
                "tệp (%(size)s)."
            )
            % {
                "path": str(output),
                "engine": summary.engine,
                "tables": summary.tables,
                "rows": summary.rows,
                "files": summary.files,
                "size": megabytes(summary.bytes),
            }
        )
