"""``theodoi notify [--today YYYY-MM-DD] [--dry-run]``: e-mail each person the new warnings.

For cron or a systemd timer (`-v 0`: silent on success): safe to run as often as one likes,
a warning is told to a person once. A person
whose e-mail could not be sent is retried on the next run (the command then exits non-zero).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from theodoi.alerts.services import digest_send


def _day(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(f"'{raw}' không phải ngày dạng YYYY-MM-DD.") from exc


class Command(BaseCommand):
    help = (
        "Gửi mỗi người (đơn vị, cơ quan thường trực, lãnh đạo) một thư tổng hợp các cảnh báo "
        "mới và việc đang chờ họ, và một thông báo trong hệ thống; cảnh báo, việc đã báo rồi "
        "không gửi lại."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", help="tính cảnh báo như vào ngày này (YYYY-MM-DD); mặc định: hôm nay"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="chỉ cho biết sẽ gửi gì, không gửi thư và không ghi nhận",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = _day(options["today"]) if options["today"] else timezone.localdate()
        dry_run = bool(options["dry_run"])
        result = digest_send(today=today, dry_run=dry_run)
        if options["verbosity"] >= 2 or dry_run:
            for digest in result.digests:
                self.stdout.write(
                    f"  {digest.place} — {digest.user.get_full_name() or digest.user.username}"
                    f" <{digest.user.email or 'không có e-mail'}>: "
                    f"{len(digest.warnings)} cảnh báo mới, {digest.waiting} việc đang chờ"
                )
        quiet = options["verbosity"] == 0 and not dry_run  # the daily timer: silent on success
        if not result.people:
            if quiet:
                return
            self.stdout.write(
                f"Ngày {today:%d/%m/%Y}: không có cảnh báo mới, không có việc mới cho ai."
            )
            return
        prefix = "Chạy thử (không gửi gì): sẽ báo" if dry_run else "Đã báo"
        if not quiet:
            self.stdout.write(
                f"{prefix} {result.warnings} cảnh báo mới cho {result.people} người "
                f"({result.items} lượt), {result.waiting} việc mới đang chờ, "
                f"{result.emails} thư điện tử, ngày {today:%d/%m/%Y}."
            )
        if result.failed:
            raise CommandError(
                f"Không gửi được thư cho {len(result.failed)} người "
                f"({', '.join(result.failed)}); lần chạy sau sẽ gửi lại."
            )
