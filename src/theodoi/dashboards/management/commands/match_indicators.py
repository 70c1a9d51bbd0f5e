"""``theodoi match_indicators [--plan UUID] [--force] [--load]``: link targets to the catalogue."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from theodoi.plans.indicators import MATCH_THRESHOLD, indicators_load, indicators_match
from theodoi.plans.models import Indicator, Plan


class Command(BaseCommand):
    help = (
        "Gắn chỉ tiêu của các kế hoạch đang thực hiện vào danh mục chỉ số dùng chung "
        "(không ghi đè chỉ tiêu đã được gắn, trừ khi có --force)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--plan", help="mã kế hoạch (UUID); mặc định: mọi kế hoạch đang thực hiện"
        )
        parser.add_argument(
            "--force", action="store_true", help="gắn lại cả chỉ tiêu đã được gắn (kể cả gắn tay)"
        )
        parser.add_argument(
            "--load", action="store_true", help="nạp/bổ sung danh mục từ tệp dữ liệu trước khi gắn"
        )
        parser.add_argument(
            "--threshold",
            type=float,
            default=MATCH_THRESHOLD,
            help=f"điểm giống nhau tối thiểu, 0–100 (mặc định {MATCH_THRESHOLD:g})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["load"] or not Indicator.objects.exists():
            created, updated = indicators_load()
            self.stdout.write(f"Danh mục chỉ số: thêm {created}, cập nhật {updated}.")
        if options["plan"]:
            try:
                public_id = uuid.UUID(options["plan"])
            except ValueError as exc:
                raise CommandError(f"'{options['plan']}' không phải mã kế hoạch (UUID).") from exc
            plans = list(Plan.objects.filter(public_id=public_id).select_related("commune"))
            if not plans:
                raise CommandError(f"Không có kế hoạch mã {public_id}.")
        else:
            plans = list(Plan.objects.active().select_related("commune"))
        indicators = list(Indicator.objects.all())
        for plan in plans:
            results = indicators_match(
                plan=plan,
                threshold=options["threshold"],
                force=options["force"],
                indicators=indicators,
            )
            linked = sum(1 for _target, indicator, _score in results if indicator is not None)
            self.stdout.write(
                f"{plan.commune} — {plan.number or plan.title}: "
                f"{linked}/{len(results)} chỉ tiêu đã gắn với danh mục."
            )
            if options["verbosity"] >= 2:
                for target, indicator, score in results:
                    where = indicator.code if indicator else "—"
                    self.stdout.write(
                        f"  {target.code:>8}  {score:5.1f}  {where:<28} {target.name}"
                    )
