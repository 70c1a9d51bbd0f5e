"""``theodoi demo [--port N]``: a ready demo on SQLite at http://127.0.0.1:8000."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from theodoi.demo.services import (
    DEMO_PASSWORD,
    demo_database_mark,
    demo_database_refusal,
    demo_load,
)


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (nếu chưa có) và chạy hệ thống tại http://127.0.0.1:PORT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-server", action="store_true", help="chỉ tạo dữ liệu mẫu, không chạy máy chủ"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        refusal = demo_database_refusal()
        if refusal:
            raise CommandError(refusal)
        call_command("migrate", interactive=False, verbosity=0)
        demo_database_mark()
        logins = demo_load()
        port = options["port"]
        self.stdout.write(f"\nTheo dõi chuyển đổi số — bản trình diễn: http://127.0.0.1:{port}/")
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for login in logins:
            self.stdout.write(f"  {login.username:<10} {login.role}")
        self.stdout.write("  truong.<đơn-vị>  Lãnh đạo từng đơn vị, ví dụ truong.cong-an-phuong")
        self.stdout.write("")
        if not options["no_server"]:
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
