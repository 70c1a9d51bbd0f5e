"""A commune's yearly plan, its targets (chỉ tiêu) and its tree of tasks (nhiệm vụ)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from theodoi.units.models import Commune, Unit


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    ACTIVE = "active", _("Đang thực hiện")
    REPLACED = "replaced", _("Đã được thay thế")


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("Hằng tuần")
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")


class ReportRegime(models.TextChoices):
    # Nghị định 09/2019/NĐ-CP: monthly 15th of the previous month to the 14th, etc.
    ND09 = "nd09", _("Theo Nghị định 09/2019/NĐ-CP (chốt số liệu ngày 14)")
    CALENDAR = "calendar", _("Theo kỳ dương lịch, lũy kế từ 01/01")


class PlanQuerySet(models.QuerySet["Plan"]):
    def active(self) -> PlanQuerySet:
        return self.filter(status=PlanStatus.ACTIVE)

    def of_commune(self, commune: Commune) -> PlanQuerySet:
        return self.filter(commune=commune)


class Plan(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="plans", verbose_name=_("xã/phường")
    )
    title = models.CharField(_("tên kế hoạch"), max_length=500)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    place = models.CharField(_("địa danh"), max_length=120, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("năm kế hoạch"))
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    basis = models.JSONField(_("căn cứ"), default=list, blank=True)
    # The numbers the document says it replaces, as written; `replaces` links the plans found.
    replaces_numbers = models.JSONField(_("thay thế kế hoạch số"), default=list, blank=True)
    replaces = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("thay thế kế hoạch"),
    )
    # The previous year's results table, kept apart from this year's tasks.
    previous_results = models.JSONField(_("kết quả năm trước"), default=list, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    cadence = models.CharField(
        _("kỳ báo cáo"), max_length=10, choices=Cadence.choices, default=Cadence.MONTHLY
    )
    # Unit heads confirm their unit's reports before the standing office sees them.
    requires_head_confirmation = models.BooleanField(
        _("lãnh đạo đơn vị xác nhận báo cáo"), default=True
    )
    # Whether a signed-document reference ("466/PVHXH - 15/03/2026: V/v ...") may stand
    # as evidence instead of a file.
    allow_document_evidence = models.BooleanField(
        _("chấp nhận minh chứng là số hiệu văn bản"), default=True
    )
    # A task is "behind schedule" when its percent done is below this share (%) of the
    # share of its time already elapsed (the plans' own rule: 50%).
    behind_threshold = models.PositiveSmallIntegerField(
        _("ngưỡng chậm tiến độ (% của tiến độ theo thời gian)"), default=50
    )
    # Warn this many days before a deadline.
    due_soon_days = models.PositiveSmallIntegerField(_("cảnh báo trước hạn (ngày)"), default=14)
    # How the periodic report's data range is cut, and the day of the month it is due.
    report_regime = models.CharField(
        _("chế độ chốt số liệu báo cáo"),
        max_length=10,
        choices=ReportRegime.choices,
        default=ReportRegime.ND09,
    )
    report_due_day = models.PositiveSmallIntegerField(
        _("ngày gửi báo cáo định kỳ trong tháng"), default=15
    )
    # Reports of a period are due this many days after its data cut-off.
    report_due_days = models.PositiveSmallIntegerField(_("hạn gửi báo cáo (ngày)"), default=5)
    source_name = models.CharField(_("tệp nguồn"), max_length=255, blank=True)
    source_sha256 = models.CharField(_("SHA-256 tệp nguồn"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người nhập"),
    )
    created_at = models.DateTimeField(_("ngày nhập"), auto_now_add=True)
    activated_at = models.DateTimeField(_("ngày áp dụng"), null=True, blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-year", "-created_at"]
        constraints = [
            # At most one plan in force per commune and year; the others are drafts or replaced.
            models.UniqueConstraint(
                fields=["commune", "year"],
                condition=Q(status="active"),
                name="plan_one_active_per_commune_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number or _('(chưa có số)')} — {self.title}"


class Indicator(models.Model):
    """A common indicator of the province's catalogue (e.g. "Tỷ lệ hồ sơ TTHC xử lý trực
    tuyến"), so that the same goal worded differently by each commune can be compared."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên chỉ số"), max_length=300)
    group = models.CharField(_("nhóm"), max_length=120, blank=True)
    measure_unit = models.CharField(_("đơn vị tính"), max_length=60, blank=True)
    # Other wordings met in plans; matching also compares against these.
    aliases = models.JSONField(_("cách diễn đạt khác"), default=list, blank=True)

    class Meta:
        verbose_name = _("chỉ số dùng chung")
        verbose_name_plural = _("danh mục chỉ số dùng chung")
        ordering = ["group", "name"]

    def __str__(self) -> str:
        return self.name


class TargetKind(models.TextChoices):
    QUANTITATIVE = "quantitative", _("Định lượng")
    RANK = "rank", _("Xếp hạng")
    QUALITATIVE = "qualitative", _("Định tính")


class Comparator(models.TextChoices):
    GTE = ">=", "≥"
    GT = ">", ">"
    LTE = "<=", "≤"
    LT = "<", "<"


class Target(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="targets", verbose_name=_("kế hoạch")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã/phường")
    )
    code = models.CharField(_("mã"), max_length=40)
    group = models.CharField(_("nhóm"), max_length=300, blank=True)
    name = models.TextField(_("chỉ tiêu"))
    measure_unit = models.CharField(_("đơn vị tính"), max_length=60, blank=True)
    kind = models.CharField(_("loại"), max_length=15, choices=TargetKind.choices)
    comparator = models.CharField(
        _("so sánh"), max_length=2, choices=Comparator.choices, blank=True
    )
    value = models.DecimalField(
        _("giá trị"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    value_text = models.CharField(_("giá trị (theo văn bản)"), max_length=300, blank=True)
    upper_comparator = models.CharField(
        _("so sánh (cấp trên)"), max_length=2, choices=Comparator.choices, blank=True
    )
    upper_value = models.DecimalField(
        _("giá trị cấp trên"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    upper_value_text = models.CharField(_("chỉ tiêu cấp trên"), max_length=300, blank=True)
    owners = models.ManyToManyField(
        Unit, blank=True, related_name="owned_targets", verbose_name=_("đơn vị theo dõi")
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("chỉ số dùng chung"),
    )
    value_kind = models.CharField(
        _("cách tính giá trị"),
        max_length=12,
        choices=[
            ("cumulative", _("Lũy kế (tính đến ngày báo cáo)")),
            ("in_period", _("Trong kỳ")),
        ],
        default="cumulative",
    )
    # Owners named by a phrase that is no single unit ("Các cơ quan, đơn vị").
    owners_other = models.JSONField(_("đơn vị khác"), default=list, blank=True)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    source_line = models.PositiveIntegerField(_("dòng trong văn bản"), null=True, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="target_unique_code_in_plan"),
            models.CheckConstraint(
                condition=Q(kind="qualitative") | Q(value__isnull=False),
                name="target_measurable_has_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class DeadlineKind(models.TextChoices):
    DATE = "date", _("Có thời hạn")
    RECURRING = "recurring", _("Thường xuyên / định kỳ")
    UNSPECIFIED = "unspecified", _("Chưa xác định")


class Recurrence(models.TextChoices):
    CONTINUOUS = "continuous", _("Thường xuyên")
    WEEKLY = "weekly", _("Hằng tuần")
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    ANNUAL = "annual", _("Hằng năm")


class TaskQuerySet(models.QuerySet["Task"]):
    def with_parent_flag(self) -> TaskQuerySet:
        """Each task with ``has_children`` read in the same query (see ``is_parent``)."""
        children = Task.objects.filter(parent_id=models.OuterRef("pk"))
        return self.annotate(has_children=models.Exists(children))

    def top_level(self) -> TaskQuerySet:
        return self.filter(parent__isnull=True)

    def led_by(self, unit: Unit) -> TaskQuerySet:
        return self.filter(assignments__unit=unit, assignments__role=AssignmentRole.LEAD)

    def missing_clear(self) -> TaskQuerySet:
        """Tasks the import found lacking one of the "5 rõ"."""
        return self.exclude(missing=[])


class Task(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("kế hoạch")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã/phường")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("nhiệm vụ cha"),
    )
    code = models.CharField(_("mã"), max_length=40)
    group = models.CharField(_("nhóm"), max_length=300, blank=True)
    name = models.TextField(_("nhiệm vụ"))
    output = models.TextField(_("sản phẩm đầu ra"), blank=True)
    kpi = models.TextField(_("KPI đo lường"), blank=True)
    lead_other = models.JSONField(_("chủ trì (khác)"), default=list, blank=True)
    support_other = models.JSONField(_("phối hợp (khác)"), default=list, blank=True)
    deadline_text = models.CharField(_("thời gian thực hiện"), max_length=300, blank=True)
    deadline_kind = models.CharField(
        _("loại thời hạn"),
        max_length=12,
        choices=DeadlineKind.choices,
        default=DeadlineKind.UNSPECIFIED,
    )
    due_on = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    recurrence = models.CharField(
        _("định kỳ"), max_length=12, choices=Recurrence.choices, blank=True
    )
    note = models.TextField(_("ghi chú"), blank=True)
    # Which of the "5 rõ" the task lacked when it was imported ("name", "lead", ...).
    missing = models.JSONField(_("thiếu (5 rõ)"), default=list, blank=True)
    weight = models.DecimalField(_("trọng số"), max_digits=6, decimal_places=2, default=1)
    starts_on = models.DateField(_("ngày bắt đầu"), null=True, blank=True)
    origin = models.CharField(
        _("nguồn gốc"),
        max_length=10,
        choices=[("imported", _("Theo kế hoạch")), ("added", _("Phát sinh"))],
        default="imported",
    )
    # Bumped on every change: a save made from an outdated screen is refused.
    version = models.PositiveIntegerField(default=1)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    source_line = models.PositiveIntegerField(_("dòng trong văn bản"), null=True, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="task_unique_code_in_plan"),
            models.CheckConstraint(
                condition=~Q(deadline_kind="date") | Q(due_on__isnull=False),
                name="task_dated_has_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    def is_parent(self) -> bool:
        """Whether sub-tasks roll up into this one: read with the task when it was fetched
        ``with_parent_flag()``, else asked of the database."""
        flag = getattr(self, "has_children", None)
        return self.children.exists() if flag is None else bool(flag)


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Chủ trì")
    SUPPORT = "support", _("Phối hợp")


class TaskAssignment(models.Model):
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("nhiệm vụ")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("đơn vị")
    )
    role = models.CharField(_("vai trò"), max_length=10, choices=AssignmentRole.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        ordering = ["role", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "unit", "role"], name="assignment_unique_unit_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.unit}"
