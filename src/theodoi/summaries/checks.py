"""``theodoi check``'s part for the summaries: stored figures against the live derivation."""

from __future__ import annotations

from django.core.management.base import OutputWrapper
from django.utils.translation import gettext as _

from theodoi.plans.models import Plan

from .services import summary_differences


def summaries_check(stdout: OutputWrapper, stderr: OutputWrapper, *, sample: int | None) -> int:
    """Compare the plans in force (or ``sample`` of them at random); name those that differ
    on stderr, one Vietnamese sentence each. Returns how many differ."""
    plans = Plan.objects.active().select_related("commune").order_by("pk")
    if sample is not None:
        plans = plans.order_by("?")[: max(0, sample)]
    checked = 0
    differing = 0
    for plan in plans.iterator(chunk_size=200):
        checked += 1
        for found in summary_differences([plan]):
            differing += 1
            stderr.write(
                _(
                    "Số liệu tổng hợp của kế hoạch %(plan)s (%(commune)s) khác số liệu tính "
                    "trực tiếp: %(tasks)d nhiệm vụ, %(targets)d chỉ tiêu, %(periods)d kỳ báo "
                    "cáo, %(leads)d phân công chủ trì%(total)s."
                )
                % {
                    "plan": plan.number or plan.title,
                    "commune": plan.commune,
                    "tasks": len(found.tasks),
                    "targets": len(found.targets),
                    "periods": len(found.periods),
                    "leads": len(found.leads),
                    "total": _(", số tổng của kế hoạch") if found.plan else "",
                }
            )
    if not differing:
        stdout.write(
            _("Số liệu tổng hợp khớp với số liệu tính trực tiếp (%(n)d kế hoạch đang thực hiện).")
            % {"n": checked}
        )
    return differing
