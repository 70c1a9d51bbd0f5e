"""Scorecard writes: import, edit in draft, publish; a commune's self-assessment, its
evidence and explanations; the province's appraisal.

Each service is one user action, checks the rules it owns (permissions included: a view may
show a form, the service decides), and leaves an audit entry. Refusals raise
``ScorecardError`` with one Vietnamese sentence in ``.message``; a workbook that cannot
become a scorecard raises ``workbook.WorkbookError`` with every problem found, and nothing is
written (all or nothing).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from theodoi.accounts import policy
from theodoi.alerts import notices
from theodoi.alerts.services import notify_unit
from theodoi.audit.services import audit_record
from theodoi.evidence.models import EvidenceKind
from theodoi.evidence.services import (
    CheckedFile,
    EvidenceError,
    document_reference_parse,
    evidence_file_check,
    megabytes,
    store_then_record,
)
from theodoi.lib.locks import lock_row
from theodoi.units.models import Commune, Province, Unit

from . import scoring
from .access import is_open, is_province_officer, may_appraise, may_fill, may_organise
from .models import (
    Assessment,
    AssessmentEntry,
    Criterion,
    CriterionEvidence,
    CriterionGroup,
    EntryStatus,
    Scorecard,
    ScorecardStatus,
)
from .queries import entry_line
from .workbook import (
    CriterionData,
    Problem,
    ScorecardData,
    WorkbookError,
    criterion_problems,
    read_scorecard,
)

WORKBOOK_MAX_BYTES = 5 * 1024 * 1024
# Where scorecard evidence files are stored (``theodoi check`` walks it too).
STORE_ROOT = "scorecards"


class ScorecardError(Exception):
    """A refused scorecard action; ``message`` is one Vietnamese sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StaleEntry(ScorecardError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Tiêu chí này vừa được người khác cập nhật. Hãy xem bản mới nhất rồi lưu lại "
                "(nội dung bạn vừa nhập vẫn còn trên màn hình)."
            )
        )


def _bands_json(bands: tuple[scoring.Band, ...]) -> list[list[str]]:
    return [[str(lower), str(points)] for lower, points in bands]


def _criterion_fields(data: CriterionData) -> dict[str, Any]:
    return {
        "code": data.code,
        "name": data.name,
        "guidance": data.guidance,
        "measure_unit": data.measure_unit,
        "max_points": data.max_points,
        "kind": data.kind,
        "bands": _bands_json(data.bands),
        "points_each": data.points_each,
        "evidence_required": data.evidence_required,
        "source": str(scoring.parse_source(data.source)),
        "verifier": data.verifier,
    }


def _criterion_snapshot(criterion: Criterion) -> dict[str, Any]:
    return {
        "code": criterion.code,
        "group": criterion.group.code,
        "name": criterion.name,
        "max_points": str(criterion.max_points),
        "kind": criterion.kind,
        "bands": criterion.bands,
        "points_each": str(criterion.points_each) if criterion.points_each is not None else None,
        "evidence_required": criterion.evidence_required,
        "source": criterion.source,
        "verifier": criterion.verifier,
    }


# --- the scorecard ---------------------------------------------------------------------------


def scorecard_import(
    *,
    province: Province,
    user: User | None,
    filename: str,
    data: bytes,
    name: str = "",
    year: int | None = None,
) -> Scorecard:
    """A draft scorecard from a workbook: every criterion or none (``WorkbookError``)."""
    if user is not None and not is_province_officer(user, province):
        raise ScorecardError(_("Chỉ cán bộ cấp tỉnh mới nhập bộ chỉ số của tỉnh."))
    if len(data) > WORKBOOK_MAX_BYTES:
        raise WorkbookError(
            [
                Problem(
                    None,
                    _("Tệp quá lớn (%(size)s, tối đa %(max)s).")
                    % {"size": megabytes(len(data)), "max": megabytes(WORKBOOK_MAX_BYTES)},
                )
            ]
        )
    parsed = read_scorecard(data)
    parsed.name = (name or parsed.name).strip()[:300]
    parsed.year = year or parsed.year
    problems = []
    if not parsed.name:
        problems.append(Problem(None, _("Chưa có tên bộ chỉ số: hãy nhập tên ở ô phía trên.")))
    if parsed.year is None:
        problems.append(
            Problem(
                None,
                _("Chưa rõ năm đánh giá: ghi “Năm: 2026” phía trên bảng, hoặc nhập năm ở ô trên."),
            )
        )
    if problems:
        raise WorkbookError(problems)
    return _scorecard_create(
        province=province,
        user=user,
        parsed=parsed,
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
    )


@transaction.atomic
def _scorecard_create(
    *, province: Province, user: User | None, parsed: ScorecardData, filename: str, sha256: str
) -> Scorecard:
    assert parsed.year is not None
    # Lock the province's row: two imports at once must not take the same version number.
    lock_row(Province, province.pk)
    last = Scorecard.objects.filter(province=province, year=parsed.year).aggregate(
        last=Max("version")
    )["last"]
    scorecard = Scorecard.objects.create(
        province=province,
        year=parsed.year,
        version=(last or 0) + 1,
        name=parsed.name,
        columns=[list(column) for column in parsed.columns],
        source_name=filename[:255],
        source_sha256=sha256,
        created_by=user,
    )
    groups = {}
    for position, group in enumerate(parsed.groups):
        groups[group.code] = CriterionGroup.objects.create(
            scorecard=scorecard, code=group.code, name=group.name[:300], position=position
        )
    Criterion.objects.bulk_create(
        Criterion(
            scorecard=scorecard,
            group=groups[data.group_code],
            position=position,
            **_criterion_fields(data),
        )
        for position, data in enumerate(parsed.criteria)
    )
    audit_record(
        actor=user,
        action="scorecard.import",
        summary=_(
            "Nhập bộ chỉ số “%(name)s” năm %(year)d (phiên bản %(version)d, %(count)d tiêu chí)"
        )
        % {
            "name": scorecard.name,
            "year": scorecard.year,
            "version": scorecard.version,
            "count": len(parsed.criteria),
        },
        obj=scorecard,
        commune=None,
        after={"source_name": filename, "sha256": sha256},
    )
    return scorecard


def _check_draft(scorecard: Scorecard, user: User | None) -> None:
    # ``user`` None: the system itself (the demo), not a person.
    if user is not None and not is_province_officer(user, scorecard.province):
        raise ScorecardError(_("Chỉ cán bộ cấp tỉnh mới sửa được bộ chỉ số."))
    if not scorecard.is_draft:
        raise ScorecardError(
            _(
                "Bộ chỉ số đã ban hành thì không sửa được: các xã đang tự đánh giá theo nó. "
                "Hãy nhập một phiên bản mới."
            )
        )


def _group(scorecard: Scorecard, code: str, name: str) -> CriterionGroup:
    code = code.strip()
    group = scorecard.groups.filter(code=code).first()
    if group is not None:
        if name.strip() and name.strip() != group.name:
            group.name = name.strip()[:300]
            group.save(update_fields=["name"])
        return group
    if not name.strip():
        raise ScorecardError(_("Nhóm “%(code)s” chưa có: hãy ghi tên nhóm mới.") % {"code": code})
    position = (scorecard.groups.aggregate(last=Max("position"))["last"] or 0) + 1
    return CriterionGroup.objects.create(
        scorecard=scorecard, code=code, name=name.strip()[:300], position=position
    )


@transaction.atomic
def criterion_save(
    *,
    scorecard: Scorecard,
    criterion: Criterion | None,
    data: CriterionData,
    group_name: str = "",
    user: User,
) -> Criterion:
    """Add a criterion to a draft scorecard, or change one (``criterion``)."""
    scorecard = (
        Scorecard.objects.select_for_update(of=("self",))
        .select_related("province")
        .get(pk=scorecard.pk)
    )
    _check_draft(scorecard, user)
    problems = criterion_problems(data)
    if not data.group_code.strip():
        problems.append(_("thiếu mã nhóm."))
    if problems:
        raise ScorecardError(_capital(problems[0]))
    clash = scorecard.criteria.filter(code=data.code)
    if criterion is not None:
        clash = clash.exclude(pk=criterion.pk)
    if clash.exists():
        raise ScorecardError(
            _("Mã tiêu chí “%(code)s” đã có trong bộ chỉ số.") % {"code": data.code}
        )
    group = _group(scorecard, data.group_code, group_name)
    before = _criterion_snapshot(criterion) if criterion is not None else None
    fields = _criterion_fields(data)
    if criterion is None:
        position = (scorecard.criteria.aggregate(last=Max("position"))["last"] or 0) + 1
        criterion = Criterion.objects.create(
            scorecard=scorecard, group=group, position=position, **fields
        )
        action, summary = "scorecard.criterion_add", _("Thêm tiêu chí %(code)s vào “%(name)s”")
    else:
        criterion = Criterion.objects.select_for_update().get(pk=criterion.pk)
        if criterion.scorecard_id != scorecard.pk:
            raise ScorecardError(_("Tiêu chí không thuộc bộ chỉ số này."))
        old_group = criterion.group
        for key, value in fields.items():
            setattr(criterion, key, value)
        criterion.group = group
        criterion.save()
        if old_group.pk != group.pk and not old_group.criteria.exists():
            old_group.delete()
        action, summary = "scorecard.criterion_edit", _("Sửa tiêu chí %(code)s của “%(name)s”")
    criterion.refresh_from_db()  # the snapshot shows the numbers as stored
    audit_record(
        actor=user,
        action=action,
        summary=summary % {"code": criterion.code, "name": scorecard.name},
        obj=criterion,
        commune=None,
        before=before,
        after=_criterion_snapshot(criterion),
    )
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: Criterion, user: User) -> None:
    scorecard = (
        Scorecard.objects.select_for_update(of=("self",))
        .select_related("province")
        .get(pk=criterion.scorecard_id)
    )
    _check_draft(scorecard, user)
    criterion = Criterion.objects.select_related("group").get(pk=criterion.pk)
    before = _criterion_snapshot(criterion)
    group = criterion.group
    audit_record(
        actor=user,
        action="scorecard.criterion_delete",
        summary=_("Xóa tiêu chí %(code)s khỏi “%(name)s”")
        % {"code": criterion.code, "name": scorecard.name},
        obj=criterion,
        commune=None,
        before=before,
    )
    criterion.delete()
    if not group.criteria.exists():
        group.delete()


@transaction.atomic
def scorecard_publish(*, scorecard: Scorecard, user: User | None) -> Scorecard:
    """Put the draft in force for the year: the province's communes start their
    self-assessments; the version in force before it is replaced (its assessments are kept)."""
    scorecard = (
        Scorecard.objects.select_for_update(of=("self",))
        .select_related("province")
        .get(pk=scorecard.pk)
    )
    _check_draft(scorecard, user)
    if not scorecard.criteria.exists():
        raise ScorecardError(_("Bộ chỉ số chưa có tiêu chí nào, chưa ban hành được."))
    replaced = list(
        Scorecard.objects.select_for_update().filter(
            province=scorecard.province, year=scorecard.year, status=ScorecardStatus.PUBLISHED
        )
    )
    for old in replaced:
        old.status = ScorecardStatus.REPLACED
        old.save(update_fields=["status"])
    scorecard.status = ScorecardStatus.PUBLISHED
    scorecard.published_at = timezone.now()
    scorecard.save(update_fields=["status", "published_at"])
    for commune in Commune.objects.in_province(scorecard.province):
        assessment_ensure(scorecard=scorecard, commune=commune)
    audit_record(
        actor=user,
        action="scorecard.publish",
        summary=_("Ban hành bộ chỉ số “%(name)s” năm %(year)d")
        % {"name": scorecard.name, "year": scorecard.year}
        + (
            _(" (thay thế phiên bản %(versions)s)")
            % {"versions": ", ".join(str(s.version) for s in replaced)}
            if replaced
            else ""
        ),
        obj=scorecard,
        commune=None,
    )
    return scorecard


@transaction.atomic
def assessment_ensure(*, scorecard: Scorecard, commune: Commune) -> Assessment:
    """The commune's assessment against a published scorecard, one entry per criterion
    (idempotent: a commune created after publication gets its assessment on first use)."""
    if commune.province_id != scorecard.province_id:
        raise ScorecardError(_("Bộ chỉ số này không áp dụng cho xã/phường của tỉnh khác."))
    if scorecard.status != ScorecardStatus.PUBLISHED:
        raise ScorecardError(_("Bộ chỉ số chưa ban hành (hoặc đã được thay thế)."))
    assessment, _created = Assessment.objects.get_or_create(scorecard=scorecard, commune=commune)
    have = set(assessment.entries.values_list("criterion_id", flat=True))
    AssessmentEntry.objects.bulk_create(
        AssessmentEntry(assessment=assessment, criterion=criterion, commune=commune)
        for criterion in scorecard.criteria.all()
        if criterion.pk not in have
    )
    return assessment


# --- the self-assessment ---------------------------------------------------------------------


@dataclass(frozen=True)
class EntryInput:
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    yes: bool | None = None
    note: str = ""
    status: str = EntryStatus.IN_PROGRESS
    # Only the standing office changes these two; None keeps what is there for others.
    responsible_unit: Unit | None = None
    due_on: dt.date | None = None


def _entry_snapshot(entry: AssessmentEntry) -> dict[str, Any]:
    def text(number: Decimal | None) -> str | None:
        return str(number) if number is not None else None

    return {
        "value": text(entry.value),
        "numerator": text(entry.numerator),
        "denominator": text(entry.denominator),
        "yes": entry.yes,
        "note": entry.note,
        "status": entry.status,
        "responsible_unit": entry.responsible_unit.name if entry.responsible_unit else None,
        "due_on": entry.due_on.isoformat() if entry.due_on else None,
        "appraised_score": text(entry.appraised_score),
        "appraisal_remark": entry.appraisal_remark,
        "explanation": entry.explanation,
    }


def _locked_entry(entry: AssessmentEntry, version: int | None) -> AssessmentEntry:
    locked = (
        AssessmentEntry.objects.select_for_update(of=("self",))
        .select_related(
            "criterion__group",
            "assessment__scorecard__province",
            "commune__province",
            "responsible_unit",
        )
        .get(pk=entry.pk)
    )
    if version is not None and locked.version != version:
        raise StaleEntry()
    return locked


def _check_open(entry: AssessmentEntry) -> None:
    if not is_open(entry.assessment.scorecard):
        raise ScorecardError(
            _("Bộ chỉ số này đã được thay thế bằng phiên bản mới; bản đánh giá chỉ còn để xem.")
        )


def _what(entry: AssessmentEntry) -> str:
    return _("tiêu chí %(code)s (%(commune)s)") % {
        "code": entry.criterion.code,
        "commune": entry.commune,
    }


def entry_url(entry: AssessmentEntry) -> str:
    return reverse("assessment_entry", args=[entry.public_id])


def _figure_problems(entry: AssessmentEntry, data: EntryInput) -> str | None:
    numbers = [data.value, data.numerator, data.denominator]
    if any(n is not None and n < 0 for n in numbers):
        return _("Giá trị không được âm.")
    if entry.criterion.kind == scoring.RATIO:
        if (data.numerator is None) != (data.denominator is None):
            return _("Hãy nhập cả tử số và mẫu số (hoặc chỉ nhập tỷ lệ %).")
        if data.denominator is not None and data.denominator <= 0:
            return _("Mẫu số phải lớn hơn 0.")
    return None


@transaction.atomic
def entry_save(
    *, entry: AssessmentEntry, user: User, data: EntryInput, version: int | None
) -> AssessmentEntry:
    """The commune's self-assessment of one criterion: figure, status, responsibility."""
    entry = _locked_entry(entry, version)
    _check_open(entry)
    if not may_fill(user, entry):
        raise ScorecardError(
            _(
                "Chỉ cơ quan thường trực hoặc đơn vị chịu trách nhiệm tiêu chí này mới "
                "cập nhật được tự đánh giá."
            )
        )
    if data.status not in EntryStatus.values:
        raise ScorecardError(_("Hãy chọn tình trạng thực hiện."))
    criterion = entry.criterion
    before = _entry_snapshot(entry)
    if not criterion.from_system:
        problem = _figure_problems(entry, data)
        if problem:
            raise ScorecardError(problem)
        entry.value, entry.numerator, entry.denominator = (
            data.value,
            data.numerator,
            data.denominator,
        )
        entry.yes = data.yes
        if criterion.kind == scoring.YES_NO:
            entry.value = entry.numerator = entry.denominator = None
        else:
            entry.yes = None
    if (
        data.status == EntryStatus.DONE
        and criterion.evidence_required
        and not entry.evidence.current().exists()
    ):
        raise ScorecardError(
            _(
                "Tiêu chí này yêu cầu minh chứng: hãy đính kèm minh chứng trước khi chọn "
                "“Hoàn thành”."
            )
        )
    entry.status = data.status
    entry.note = data.note.strip()
    if may_organise(user, entry.commune):
        unit = data.responsible_unit
        if unit is not None and unit.commune_id != entry.commune_id:
            raise ScorecardError(_("Đơn vị chịu trách nhiệm phải là đơn vị của xã/phường."))
        entry.responsible_unit = unit
        entry.due_on = data.due_on
    entry.updated_by = user
    entry.updated_at = timezone.now()
    entry.version += 1
    entry.save()
    audit_record(
        actor=user,
        action="scorecard.self_assess",
        summary=_("Cập nhật tự đánh giá %(what)s: %(status)s")
        % {"what": _what(entry), "status": entry.get_status_display()},
        obj=entry,
        commune=entry.commune,
        before=before,
        after=_entry_snapshot(entry),
    )
    notices.entry_done(entry)  # done: the province officers are asked to appraise it
    return entry


# --- evidence --------------------------------------------------------------------------------


def _check_may_add_evidence(entry: AssessmentEntry, user: User) -> None:
    _check_open(entry)
    if not may_fill(user, entry):
        raise ScorecardError(
            _(
                "Chỉ cơ quan thường trực hoặc đơn vị chịu trách nhiệm tiêu chí này mới nộp "
                "được minh chứng."
            )
        )


def _evidence_snapshot(evidence: CriterionEvidence) -> dict[str, Any]:
    return {
        "kind": evidence.kind,
        "original_name": evidence.original_name,
        "file": evidence.file.name or "",
        "size": evidence.size,
        "sha256": evidence.sha256,
        "doc_number": evidence.doc_number,
        "doc_date": evidence.doc_date.isoformat() if evidence.doc_date else None,
        "doc_summary": evidence.doc_summary,
        "withdrawn": evidence.withdrawn_at is not None,
    }


def _record_evidence(
    *, entry: AssessmentEntry, user: User, label: str, **fields: Any
) -> CriterionEvidence:
    with transaction.atomic():
        entry = _locked_entry(entry, None)
        _check_may_add_evidence(entry, user)
        sha256 = fields.get("sha256")
        if sha256 and entry.evidence.current().filter(sha256=sha256).exists():
            raise ScorecardError(
                _("Tệp này đã được nộp cho %(what)s; không cần nộp lại.") % {"what": _what(entry)}
            )
        evidence = CriterionEvidence.objects.create(
            commune=entry.commune, entry=entry, uploaded_by=user, **fields
        )
        audit_record(
            actor=user,
            action="scorecard.evidence_add",
            summary=_("Nộp minh chứng “%(name)s” cho %(what)s")
            % {"name": label, "what": _what(entry)},
            obj=evidence,
            commune=entry.commune,
            after=_evidence_snapshot(evidence),
        )
        return evidence


def entry_evidence_add_file(
    *, entry: AssessmentEntry, user: User, filename: str, fileobj: IO[bytes], size: int
) -> CriterionEvidence:
    """Store an uploaded file as evidence of one criterion, with the checks every evidence
    file gets (``evidence.services.evidence_file_check``)."""
    entry = _entry_for_evidence(entry)
    _check_may_add_evidence(entry, user)
    try:
        checked = evidence_file_check(filename=filename, fileobj=fileobj, size=size)
    except EvidenceError as exc:
        raise ScorecardError(exc.message) from None
    return entry_evidence_add_checked(entry=entry, user=user, checked=checked)


def _entry_for_evidence(entry: AssessmentEntry) -> AssessmentEntry:
    return AssessmentEntry.objects.select_related(
        "assessment__scorecard", "commune", "criterion", "responsible_unit"
    ).get(pk=entry.pk)


def entry_evidence_add_checked(
    *, entry: AssessmentEntry, user: User, checked: CheckedFile
) -> CriterionEvidence:
    """Store a file ``evidence_file_check`` accepted as evidence of one criterion: the file
    written before its record, under a fresh name."""
    entry = _entry_for_evidence(entry)
    _check_may_add_evidence(entry, user)
    year = entry.assessment.scorecard.year
    name = f"{STORE_ROOT}/{entry.commune.code}/{year}/{uuid.uuid4()}{checked.sniffed.extension}"
    return store_then_record(
        name,
        checked.fileobj,
        lambda stored: _record_evidence(
            entry=entry,
            user=user,
            label=checked.name,
            kind=EvidenceKind.FILE,
            file=stored,
            **checked.record_fields(),
        ),
    )


def entry_evidence_add_document(
    *, entry: AssessmentEntry, user: User, reference: str
) -> CriterionEvidence:
    """A signed document given by its reference ("số/ký hiệu - ngày - trích yếu")."""
    try:
        ref = document_reference_parse(reference)
    except EvidenceError as exc:
        raise ScorecardError(exc.message) from None
    if entry.evidence.current().filter(doc_number=ref.number, doc_date=ref.date).exists():
        raise ScorecardError(
            _("Văn bản %(number)s đã được nộp cho tiêu chí này.") % {"number": ref.number}
        )
    return _record_evidence(
        entry=entry,
        user=user,
        label=f"{ref.number} - {ref.date:%d/%m/%Y}",
        kind=EvidenceKind.DOCUMENT,
        doc_number=ref.number,
        doc_date=ref.date,
        doc_summary=ref.summary,
    )


@transaction.atomic
def entry_evidence_withdraw(*, evidence: CriterionEvidence, user: User) -> CriterionEvidence:
    """Take an evidence back; recorded, the file kept. A criterion marked done keeps at
    least one evidence when it requires one."""
    evidence = (
        CriterionEvidence.objects.select_for_update(of=("self",))
        .select_related("entry__criterion", "entry__assessment__scorecard", "commune")
        .get(pk=evidence.pk)
    )
    entry = _locked_entry(evidence.entry, None)
    _check_may_add_evidence(entry, user)
    if evidence.withdrawn_at is not None:
        raise ScorecardError(_("Minh chứng này đã được rút trước đó."))
    others = entry.evidence.current().exclude(pk=evidence.pk)
    if (
        entry.status == EntryStatus.DONE
        and entry.criterion.evidence_required
        and not others.exists()
    ):
        raise ScorecardError(
            _(
                "Đây là minh chứng duy nhất của một tiêu chí đã hoàn thành: hãy nộp minh chứng "
                "thay thế trước khi rút."
            )
        )
    before = _evidence_snapshot(evidence)
    evidence.withdrawn_at = timezone.now()
    evidence.withdrawn_by = user
    evidence.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audit_record(
        actor=user,
        action="scorecard.evidence_withdraw",
        summary=_("Rút minh chứng “%(name)s” của %(what)s")
        % {"name": str(evidence), "what": _what(entry)},
        obj=evidence,
        commune=entry.commune,
        before=before,
        after=_evidence_snapshot(evidence),
    )
    return evidence


# --- appraisal and explanation ---------------------------------------------------------------


@transaction.atomic
def entry_appraise(
    *,
    entry: AssessmentEntry,
    user: User,
    points: Decimal,
    remark: str,
    needs_evidence: bool = False,
    version: int | None,
) -> AssessmentEntry:
    """The province's score for one criterion, with its remark. ``points`` is what the
    criterion earns (for a deduction: the points taken off, stored negative). Asking for
    more evidence sets the criterion back to "cần bổ sung minh chứng" and tells its unit.

    An appraisal is a decision: it names the version it was made on, always."""
    entry = _locked_entry(entry, -1 if version is None else version)
    _check_open(entry)
    if not may_appraise(user, entry.commune):
        raise ScorecardError(_("Chỉ cán bộ cấp tỉnh mới thẩm định bản tự đánh giá."))
    if policy.own_work(user, entry):
        raise ScorecardError(str(policy.OWN_WORK_MESSAGES[policy.Action.APPRAISE]))
    criterion = entry.criterion
    if points < 0 or points > criterion.max_points:
        raise ScorecardError(
            _("Điểm thẩm định phải từ 0 đến %(max)s.")
            % {"max": scoring.number_text(Decimal(criterion.max_points))}
        )
    signed = -points if criterion.kind == scoring.DEDUCTION and points else points
    remark = remark.strip()
    self_score = entry_line(entry, today=timezone.localdate()).self_score
    if signed != (self_score or 0) and not remark:
        raise ScorecardError(
            _("Điểm thẩm định khác điểm tự chấm: hãy ghi ý kiến thẩm định để xã biết lý do.")
        )
    if needs_evidence and not remark:
        raise ScorecardError(_("Hãy ghi rõ cần bổ sung minh chứng gì."))
    before = _entry_snapshot(entry)
    entry.appraised_score = scoring.rounded(signed)
    entry.appraisal_remark = remark
    entry.appraised_by = user
    entry.appraised_at = timezone.now()
    if needs_evidence:
        entry.status = EntryStatus.NEEDS_EVIDENCE
    entry.version += 1
    entry.save()
    audit_record(
        actor=user,
        action="scorecard.appraise",
        summary=_("Thẩm định %(what)s: %(points)s điểm")
        % {"what": _what(entry), "points": scoring.number_text(entry.appraised_score)},
        obj=entry,
        commune=entry.commune,
        before=before,
        after=_entry_snapshot(entry),
    )
    if needs_evidence and entry.responsible_unit is not None:
        notify_unit(
            unit=entry.responsible_unit,
            text=_("Tỉnh đề nghị bổ sung minh chứng cho %(what)s: %(remark)s")
            % {"what": _what(entry), "remark": remark},
            url=entry_url(entry),
        )
    return entry


@transaction.atomic
def entry_explain(
    *, entry: AssessmentEntry, user: User, text: str, version: int | None
) -> AssessmentEntry:
    """The commune's explanation (giải trình) of the appraisal; each wording stays in the
    audit trail."""
    entry = _locked_entry(entry, version)
    _check_open(entry)
    if not may_organise(user, entry.commune):
        raise ScorecardError(_("Chỉ cơ quan thường trực của xã/phường mới gửi giải trình."))
    if entry.appraised_at is None:
        raise ScorecardError(_("Tiêu chí chưa được tỉnh thẩm định; chưa cần giải trình."))
    text = text.strip()
    if not text:
        raise ScorecardError(_("Hãy nhập nội dung giải trình."))
    before = _entry_snapshot(entry)
    entry.explanation = text
    entry.explained_by = user
    entry.explained_at = timezone.now()
    entry.version += 1
    entry.save()
    audit_record(
        actor=user,
        action="scorecard.explain",
        summary=_("Giải trình %(what)s") % {"what": _what(entry)},
        obj=entry,
        commune=entry.commune,
        before=before,
        after=_entry_snapshot(entry),
    )
    return entry


def _capital(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]
