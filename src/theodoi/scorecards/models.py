"""Scorecards (bộ chỉ số): a province's yearly set of scored criteria, and each commune's
self-assessment against it with the province's appraisal.

A scorecard is data, never code: imported from a workbook, edited while in draft, then
published; publishing freezes its criteria. Scores are not stored: they are computed from
the figures entered (and, for criteria fed by the system, from the plan's current data) by
``scoring`` each time they are shown, so they never go stale.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from theodoi.evidence.models import StoredEvidence
from theodoi.units.models import Commune, Province, Unit

from . import scoring


class ScorecardStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã ban hành")
    REPLACED = "replaced", _("Đã được thay thế")


class ScorecardQuerySet(models.QuerySet["Scorecard"]):
    def published(self) -> ScorecardQuerySet:
        return self.filter(status=ScorecardStatus.PUBLISHED)

    def of_province(self, province: Province) -> ScorecardQuerySet:
        return self.filter(province=province)


class Scorecard(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="scorecards", verbose_name=_("tỉnh")
    )
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    name = models.CharField(_("tên bộ chỉ số"), max_length=300)
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=ScorecardStatus.choices,
        default=ScorecardStatus.DRAFT,
    )
    # The source workbook's own column headings, in its order, as [field, heading]:
    # the filled scorecard is exported in the province's columns.
    columns = models.JSONField(_("các cột của tệp nguồn"), default=list, blank=True)
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
    published_at = models.DateTimeField(_("ngày ban hành"), null=True, blank=True)

    objects = ScorecardQuerySet.as_manager()

    class Meta:
        verbose_name = _("bộ chỉ số")
        verbose_name_plural = _("bộ chỉ số")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "version"], name="scorecard_unique_version"
            ),
            # Communes assess themselves against one set per year.
            models.UniqueConstraint(
                fields=["province", "year"],
                condition=Q(status="published"),
                name="scorecard_one_published_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year}, v{self.version})"

    @property
    def is_draft(self) -> bool:
        return self.status == ScorecardStatus.DRAFT


class CriterionGroup(models.Model):
    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.CASCADE, related_name="groups", verbose_name=_("bộ chỉ số")
    )
    code = models.CharField(_("mã nhóm"), max_length=20)
    name = models.CharField(_("tên nhóm"), max_length=300)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nhóm tiêu chí")
        verbose_name_plural = _("nhóm tiêu chí")
        ordering = ["scorecard", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "code"], name="group_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class ScoringKind(models.TextChoices):
    RATIO = scoring.RATIO, _("Tỷ lệ (tử số / mẫu số × điểm tối đa)")
    BANDS = scoring.BANDS, _("Theo mức")
    YES_NO = scoring.YES_NO, _("Có / Không")
    BONUS = scoring.BONUS, _("Điểm thưởng")
    DEDUCTION = scoring.DEDUCTION, _("Điểm trừ")


class Criterion(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("bộ chỉ số")
    )
    group = models.ForeignKey(
        CriterionGroup, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("nhóm")
    )
    code = models.CharField(_("mã tiêu chí"), max_length=20)
    name = models.TextField(_("tên tiêu chí"))
    guidance = models.TextField(_("hướng dẫn chấm"), blank=True)
    measure_unit = models.CharField(_("đơn vị tính"), max_length=60, blank=True)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=8, decimal_places=2)
    kind = models.CharField(_("cách chấm"), max_length=10, choices=ScoringKind.choices)
    # Bands: [[lower bound inclusive, points], ...] as strings of decimals, highest first.
    bands = models.JSONField(_("các mức điểm"), default=list, blank=True)
    points_each = models.DecimalField(
        _("điểm mỗi lần (thưởng/trừ)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    evidence_required = models.BooleanField(_("yêu cầu minh chứng"), default=True)
    # "" (entered by hand), "target:<indicator or target code>", "plan_on_time_share",
    # "reports_on_time_share": see scoring.parse_source.
    source = models.CharField(_("nguồn số liệu"), max_length=120, blank=True)
    verifier = models.CharField(_("đơn vị thẩm định"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["scorecard", "group__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "code"], name="criterion_unique_code"),
            models.CheckConstraint(
                condition=Q(max_points__gt=0), name="criterion_max_points_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    @property
    def rule(self) -> scoring.Rule:
        return scoring.Rule(
            kind=self.kind,
            max_points=Decimal(self.max_points),
            bands=tuple((Decimal(lower), Decimal(points)) for lower, points in self.bands),
            points_each=Decimal(self.points_each) if self.points_each is not None else None,
        )

    @property
    def parsed_source(self) -> scoring.Source:
        return scoring.parse_source(self.source)

    @property
    def from_system(self) -> bool:
        return not self.parsed_source.manual

    @property
    def source_label(self) -> str:
        """Where the figure comes from, as a reader says it (never the import code)."""
        source = self.parsed_source
        if source.kind == scoring.TARGET:
            return str(_("Chỉ tiêu %(code)s của kế hoạch") % {"code": source.code})
        if source.kind == scoring.PLAN_ON_TIME_SHARE:
            return str(_("Tỷ lệ nhiệm vụ hoàn thành đúng hạn"))
        if source.kind == scoring.REPORTS_ON_TIME_SHARE:
            return str(_("Tỷ lệ báo cáo gửi đúng hạn"))
        return str(_("Nhập tay"))

    @property
    def bands_text(self) -> str:
        return scoring.bands_text(self.rule.bands)

    @property
    def counts_in_max(self) -> bool:
        return self.kind in scoring.BASE_KINDS


class Assessment(models.Model):
    """A commune's self-assessment against one scorecard, and the province's appraisal."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("bộ chỉ số")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã/phường")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bản tự đánh giá")
        verbose_name_plural = _("bản tự đánh giá")
        ordering = ["scorecard", "commune__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "commune"], name="assessment_one_per_commune"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune} — {self.scorecard}"


class EntryStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    NEEDS_EVIDENCE = "needs_evidence", _("Cần bổ sung minh chứng")
    DONE = "done", _("Hoàn thành")


class AssessmentEntry(models.Model):
    """One criterion of a commune's assessment: its figure, who answers for it, the
    appraisal, and the commune's explanation of the gap."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="entries", verbose_name=_("bản đánh giá")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="entries", verbose_name=_("tiêu chí")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã/phường")
    )
    # The self-assessment's figure (criteria entered by hand; see scoring.Figure).
    value = models.DecimalField(
        _("giá trị"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    numerator = models.DecimalField(
        _("tử số"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("mẫu số"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    yes = models.BooleanField(_("có / không"), null=True, blank=True)
    note = models.TextField(_("thuyết minh"), blank=True)
    responsible_unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="scorecard_entries",
        verbose_name=_("đơn vị chịu trách nhiệm"),
    )
    due_on = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    status = models.CharField(
        _("tình trạng"),
        max_length=15,
        choices=EntryStatus.choices,
        default=EntryStatus.NOT_STARTED,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    # The province's appraisal (thẩm định): its own score, signed as the criterion counts
    # (a deduction's is negative), and its remark.
    appraised_score = models.DecimalField(
        _("điểm thẩm định"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    appraisal_remark = models.TextField(_("ý kiến thẩm định"), blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    appraised_at = models.DateTimeField(null=True, blank=True)
    # The commune's explanation (giải trình) of the gap; earlier wordings stay in the audit.
    explanation = models.TextField(_("giải trình"), blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    explained_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every change: a save made from an outdated screen is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("tiêu chí tự đánh giá")
        verbose_name_plural = _("tiêu chí tự đánh giá")
        ordering = ["assessment", "criterion__group__position", "criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="entry_one_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="entry_positive_denominator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment.commune} — {self.criterion.code}"

    @property
    def figure(self) -> scoring.Figure:
        return scoring.Figure(
            value=self.value, numerator=self.numerator, denominator=self.denominator, yes=self.yes
        )


class CriterionEvidenceQuerySet(models.QuerySet["CriterionEvidence"]):
    def current(self) -> CriterionEvidenceQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class CriterionEvidence(StoredEvidence):
    """A file or a signed-document reference proving a commune's figure for a criterion:
    the evidence app's record (``StoredEvidence``), attached to a scorecard entry."""

    entry = models.ForeignKey(
        AssessmentEntry,
        on_delete=models.PROTECT,
        related_name="evidence",
        verbose_name=_("tiêu chí tự đánh giá"),
    )

    objects = CriterionEvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("minh chứng tiêu chí")
        verbose_name_plural = _("minh chứng tiêu chí")
        ordering = ["uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="file") & ~Q(file="") & ~Q(sha256=""))
                | (Q(kind="document") & ~Q(doc_number="")),
                name="criterion_evidence_file_or_document_complete",
            ),
        ]
