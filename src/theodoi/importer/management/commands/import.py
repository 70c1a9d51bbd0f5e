"""``theodoi import FILE --commune CODE``: read a plan and save it as the commune's active plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from theodoi.importer.core.errors import ImportFileError
from theodoi.importer.services import (
    ConfirmationNeeded,
    plan_import_confirm,
    plan_import_map_unit,
    plan_import_start,
    plan_import_unknown_units,
)
from theodoi.units.models import Commune


class Command(BaseCommand):
    help = (
        "Nhập một kế hoạch (docx, pdf, xlsx, csv, txt) thành kế hoạch được theo dõi của xã/phường."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--commune", required=True, help="mã xã/phường (Commune.code)")
        parser.add_argument(
            "--confirm-checks",
            action="store_true",
            help="vẫn nhập khi cần xác nhận lại (xã/phường khác, chưa có số hoặc ngày, thay "
            "thế kế hoạch đã có báo cáo)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        commune = Commune.objects.filter(code=options["commune"]).first()
        if commune is None:
            raise CommandError(
                f"Không có xã/phường mã '{options['commune']}'. "
                "Hãy kiểm tra mã trong trang quản trị."
            )
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}. Hãy kiểm tra lại đường dẫn.")
        try:
            data = _read_limited(path)
            plan_import = plan_import_start(
                commune=commune, user=None, filename=path.name, data=data
            )
        except ImportFileError as exc:
            raise CommandError(exc.message) from exc
        # Without a person to ask, names that are no unit of the commune are kept as written.
        for unknown in plan_import_unknown_units(plan_import):
            plan_import = plan_import_map_unit(
                plan_import=plan_import,
                spelling=unknown.spelling,
                unit=None,
                version=plan_import.version,
            )
            self.stderr.write(
                f"Chú ý: '{unknown.spelling}' không phải đơn vị của xã, giữ nguyên chữ."
            )
        try:
            plan = plan_import_confirm(
                plan_import=plan_import,
                user=None,
                version=plan_import.version,
                acknowledged=options["confirm_checks"],
            )
        except ConfirmationNeeded as exc:
            # Asked as the upload page asks; the preview stays, listed on the import page.
            raise CommandError(
                " ".join(exc.checks) + " Nếu vẫn muốn nhập, chạy lại với --confirm-checks."
            ) from exc
        self.stdout.write(
            f"Đã nhập kế hoạch {plan.number or '(chưa có số)'}: "
            f"{plan.targets.count()} chỉ tiêu, {plan.tasks.count()} nhiệm vụ."
        )


def _read_limited(path: Path) -> bytes:
    from django.conf import settings

    from theodoi.importer.core.readers import read_file

    # Let the reader refuse an oversized or unreadable file before we read all its bytes.
    read_file(path, max_bytes=settings.THEODOI_PLAN_MAX_BYTES)
    return path.read_bytes()
