"""Periods, progress reports on tasks, target values, and leaders' directions."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from theodoi.plans.models import Plan, Target, Task
from theodoi.units.models import Commune, Unit


class PeriodKind(models.TextChoices):
    WEEK = "week", _("Tuần")
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    HALF = "half", _("6 tháng")
    YEAR = "year", _("Năm")


class PeriodQuerySet(models.QuerySet["Period"]):
    def of_plan(self, plan: Plan) -> PeriodQuerySet:
        return self.filter(plan=plan)

    def containing(self, day: object) -> PeriodQuerySet:
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    def closed_by(self, day: object) -> PeriodQuerySet:
        """Periods whose reports were due on or before ``day``."""
        return self.filter(due_on__lt=day)


class Period(models.Model):
    """A reporting period of a plan (kỳ báo cáo), with its data cut-off and due day."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="periods", verbose_name=_("kế hoạch")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã/phường")
    )
    kind = models.CharField(_("loại kỳ"), max_length=10, choices=PeriodKind.choices)
    number = models.PositiveSmallIntegerField(_("số thứ tự trong năm"))
    label = models.CharField(_("tên kỳ"), max_length=60)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày (chốt số liệu)"))
    due_on = models.DateField(_("hạn gửi báo cáo"))

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["plan", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind", "number"], name="period_unique_in_plan"
            ),
            models.CheckConstraint(
                condition=Q(starts_on__lte=models.F("ends_on"))
                & Q(ends_on__lte=models.F("due_on")),
                name="period_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa triển khai")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    COMPLETED = "completed", _("Hoàn thành")
    PAUSED = "paused", _("Tạm dừng")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    AWAITING_HEAD = "awaiting_head", _("Chờ lãnh đạo đơn vị xác nhận")
    SENT = "sent", _("Đã gửi cơ quan thường trực")


class ProgressReportQuerySet(models.QuerySet["ProgressReport"]):
    def sent(self) -> ProgressReportQuerySet:
        return self.filter(state=ReportState.SENT)

    def for_period(self, period: Period) -> ProgressReportQuerySet:
        return self.filter(period=period)

    def by_lead(self) -> ProgressReportQuerySet:
        """Reports that speak for the task (a supporting unit's are contributions)."""
        return self.filter(is_contribution=False)


class ProgressReport(models.Model):
    """A unit's report on one task for one period (báo cáo tiến độ)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã/phường")
    )
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="reports", verbose_name=_("nhiệm vụ")
    )
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="reports", verbose_name=_("kỳ báo cáo")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="reports", verbose_name=_("đơn vị báo cáo")
    )
    # A supporting unit's report adds to the task's story but does not set its status.
    is_contribution = models.BooleanField(_("báo cáo của đơn vị phối hợp"), default=False)
    status = models.CharField(
        _("tình trạng"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.IN_PROGRESS
    )
    pause_reason = models.TextField(_("lý do tạm dừng"), blank=True)
    percent = models.PositiveSmallIntegerField(
        _("tỷ lệ hoàn thành (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    done = models.TextField(_("kết quả đã thực hiện"), blank=True)
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    state = models.CharField(
        _("trạng thái gửi"), max_length=15, choices=ReportState.choices, default=ReportState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(_("ngày gửi"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lãnh đạo đơn vị xác nhận"),
    )
    version = models.PositiveIntegerField(default=1)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["-period__starts_on", "-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "period", "unit"], name="report_one_per_unit_task_period"
            ),
            models.CheckConstraint(condition=Q(percent__lte=100), name="report_percent_max_100"),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(percent=100),
                name="report_completed_is_100_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} — {self.period} — {self.unit}"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thẩm định")
    ACCEPTED = "accepted", _("Đạt")
    REJECTED = "rejected", _("Không đạt, trả lại")


class ValueKind(models.TextChoices):
    CUMULATIVE = "cumulative", _("Lũy kế (tính đến ngày báo cáo)")
    IN_PERIOD = "in_period", _("Trong kỳ")


class TargetValue(models.Model):
    """A target's actual value for a period (giá trị thực hiện), reviewed by the office."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã/phường")
    )
    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="values", verbose_name=_("chỉ tiêu")
    )
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="target_values", verbose_name=_("kỳ")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="target_values", verbose_name=_("đơn vị")
    )
    value = models.DecimalField(
        _("giá trị"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    numerator = models.DecimalField(
        _("tử số"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("mẫu số"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    # For a qualitative target: the unit says it is achieved (yes) or not.
    achieved_claim = models.BooleanField(_("đạt (chỉ tiêu định tính)"), null=True, blank=True)
    source = models.CharField(_("nguồn số liệu"), max_length=300, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    state = models.CharField(
        _("trạng thái gửi"), max_length=15, choices=ReportState.choices, default=ReportState.DRAFT
    )
    review = models.CharField(
        _("thẩm định"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    review_note = models.TextField(_("ý kiến thẩm định"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("giá trị thực hiện chỉ tiêu")
        verbose_name_plural = _("giá trị thực hiện chỉ tiêu")
        ordering = ["-period__starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "period", "unit"], name="target_value_one_per_period_unit"
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="target_value_positive_denominator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target.code} — {self.period}: {self.value}"


class Direction(models.Model):
    """A leader's direction on a task (ý kiến chỉ đạo); the lead unit must acknowledge it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã/phường")
    )
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="directions", verbose_name=_("nhiệm vụ")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("ý kiến chỉ đạo"))
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ý kiến chỉ đạo")
        verbose_name_plural = _("ý kiến chỉ đạo")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:80]


class ReportSubmission(models.Model):
    """One send of a report form, by the key the form carried: a form the browser sends again
    (an offline draft replayed, a double tap) is recognised and not applied twice."""

    key = models.UUIDField(_("mã lần gửi"), unique=True)
    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("báo cáo"),
    )
    created_at = models.DateTimeField(_("lúc nhận"), auto_now_add=True)

    class Meta:
        verbose_name = _("lần gửi báo cáo")
        verbose_name_plural = _("lần gửi báo cáo")

    def __str__(self) -> str:
        return str(self.key)
