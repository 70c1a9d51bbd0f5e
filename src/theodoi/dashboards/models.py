"""The emulation ranking's rubric (thi đua): set by a province or a commune, as data."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from theodoi.units.models import Commune, Province

# The default rubric: bands on three rates (share in %, lower bound inclusive → points),
# and points deducted per late report.
DEFAULT_RUBRIC: dict[str, object] = {
    "on_time_completion": [[100, 10], [90, 8], [80, 6], [70, 4], [0, 0]],
    "evidence_accepted_first_time": [[100, 10], [90, 8], [80, 6], [70, 4], [0, 0]],
    "reports_on_time": [[100, 10], [90, 8], [80, 6], [70, 4], [0, 0]],
    "late_report_deduction": 0.5,
}


class RankingRubric(models.Model):
    province = models.OneToOneField(
        Province, on_delete=models.CASCADE, null=True, blank=True, related_name="rubric"
    )
    commune = models.OneToOneField(
        Commune, on_delete=models.CASCADE, null=True, blank=True, related_name="rubric"
    )
    rules = models.JSONField(_("thang điểm"), default=dict)

    class Meta:
        verbose_name = _("thang điểm thi đua")
        verbose_name_plural = _("thang điểm thi đua")
        constraints = [
            models.CheckConstraint(
                condition=(Q(province__isnull=False) & Q(commune__isnull=True))
                | (Q(province__isnull=True) & Q(commune__isnull=False)),
                name="rubric_for_province_or_commune",
            )
        ]

    def __str__(self) -> str:
        return str(self.commune or self.province)
