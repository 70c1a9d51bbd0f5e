"""``theodoi rebuild_summaries [--commune CODE] [--plan ID]``: derive the summaries again.

Plan by plan, each in its own transaction (memory bounded by one plan), storing only what
differs from the live derivation; running it twice changes nothing the second time.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from theodoi.plans.models import Plan
from theodoi.summaries.services import summary_rebuild


class Command(BaseCommand):
    help = "Tính lại số liệu tổng hợp của các kế hoạch từ báo cáo, minh chứng và thẩm định."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commune", help="chỉ các kế hoạch của xã/phường có mã này")
        parser.add_argument("--plan", type=int, help="chỉ kế hoạch có mã số (id) này")

    def handle(self, *args: Any, **options: Any) -> None:
        plans = Plan.objects.order_by("pk")
        if options["commune"]:
            plans = plans.filter(commune__code=options["commune"])
        if options["plan"]:
            plans = plans.filter(pk=options["plan"])
        if (options["commune"] or options["plan"]) and not plans.exists():
            raise CommandError(_("Không tìm thấy kế hoạch nào như đã chọn."))
        total = changed = 0
        for plan in plans.only("pk").iterator(chunk_size=200):
            with transaction.atomic():
                result = summary_rebuild(plan)
            total += 1
            changed += result.differs
        self.stdout.write(
            _(
                "Đã tính lại số liệu tổng hợp của %(n)d kế hoạch; %(c)d kế hoạch có số liệu "
                "thay đổi."
            )
            % {"n": total, "c": changed}
        )
