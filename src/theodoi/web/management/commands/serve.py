"""``theodoi serve [--port N] [--host H]``: the production web server (gunicorn).

Before it listens it checks what every request needs: the database answers and is migrated,
the file storage takes a file, the static files are collected (again, when the shipped ones
changed). A problem ends it with one Vietnamese sentence. Workers, threads and timeouts come
from the environment (settings.THEODOI_WEB_*).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from theodoi.lib.health import database_problem, migrations_problem, storage_problem

STAMP = ".theodoi-static-stamp"


def static_fingerprint() -> str:
    """A digest of every shipped static file's name, size and time: changes after an upgrade."""
    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in finder.list([]):
            stat = Path(storage.path(path)).stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_static_if_needed() -> bool:
    """Run collectstatic when STATIC_ROOT lacks this version's files; True when it ran."""
    root = Path(settings.STATIC_ROOT)
    wanted = static_fingerprint()
    stamp = root / STAMP
    manifest = root / "staticfiles.json"
    if stamp.exists() and stamp.read_text() == wanted and manifest.exists():
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(wanted)
    return True


class Command(BaseCommand):
    help = "Chạy máy chủ web thật (gunicorn) sau khi kiểm tra cơ sở dữ liệu và kho lưu tệp."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1", help="địa chỉ lắng nghe")

    def handle(self, *args: Any, **options: Any) -> None:
        problem = database_problem() or migrations_problem() or storage_problem(write=True)
        if problem:
            raise CommandError(problem)
        try:
            collect_static_if_needed()
        except OSError as exc:
            raise CommandError(
                f"Không chuẩn bị được tệp tĩnh trong {settings.STATIC_ROOT}: {exc}."
            ) from None
        if not settings.PRODUCTION:
            self.stderr.write(
                "Chú ý: THEODOI_PRODUCTION chưa bật: máy chủ chạy không có HTTPS, cookie an "
                "toàn và tệp tĩnh (WhiteNoise); chỉ dùng để thử."
            )
        # gunicorn forks its workers from this process: none may inherit a connection.
        connections.close_all()
        from theodoi.web.gunicorn import run

        run(host=options["host"], port=options["port"])
