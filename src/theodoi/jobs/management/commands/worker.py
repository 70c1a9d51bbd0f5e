"""``theodoi worker``: runs the background jobs queued in the database (django-tasks-db).

Several workers, on one machine or many, may run at once: each claims a task with
``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL; SQLite takes the whole database for the
claim), and a job's row moves from queued to running with a conditional UPDATE, so every job
runs once.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from theodoi.lib.health import database_problem, migrations_problem, storage_problem


class Command(BaseCommand):
    help = "Chạy các công việc nền (PDF, kết xuất, thư điện tử) đang chờ trong cơ sở dữ liệu."
    # The web pages' checks (URLs, templates) say nothing about jobs and cost a second.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="chạy hết các công việc đang chờ rồi dừng"
        )
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="dừng sau chừng ấy công việc"
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="số giây chờ giữa hai lần xem hàng đợi khi hàng đợi trống (mặc định 1)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problem = database_problem() or migrations_problem() or storage_problem(write=True)
        if problem:
            raise CommandError(problem)
        worker_options: dict[str, Any] = {
            "interval": options["interval"],
            "batch": options["batch"],
            "reload": False,
            "verbosity": options["verbosity"],
        }
        if options["max_tasks"]:
            worker_options["max_tasks"] = options["max_tasks"]
        call_command("db_worker", **worker_options)
