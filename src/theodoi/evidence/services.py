"""Evidence writes: a file or a document reference added, reviewed by the office, withdrawn.

Each service is one user action, checks the rules it owns, and leaves an audit entry. Refusals
raise ``EvidenceError`` (a ``TrackingError``) with one Vietnamese sentence in ``.message``.

Files are never trusted from the browser: the size is checked before a byte is read, the type
is sniffed from the bytes, and the SHA-256 is computed while streaming. A stored file gets a
fresh name every time (nothing is ever overwritten) and is written *before* its record, so a
process killed in between leaves an orphan file (listed and cleaned by ``theodoi check``),
never a record pointing at a missing file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from theodoi.accounts import policy
from theodoi.alerts.services import notify_unit
from theodoi.audit.services import audit_record
from theodoi.plans.models import Plan, PlanStatus, Target, Task
from theodoi.summaries.services import summary_evidence_changed
from theodoi.tracking.access import is_office, user_units
from theodoi.tracking.models import (
    ProgressReport,
    ReportState,
    ReviewStatus,
    TargetValue,
    TaskStatus,
)
from theodoi.tracking.services import TrackingError, check_version
from theodoi.units.models import Unit

from .models import Evidence, EvidenceKind
from .sniff import HEIC, JPEG, Sniffed, UnrecognisedFile, allowed_labels, allowed_types, sniff

log = logging.getLogger(__name__)
R = TypeVar("R")

CHUNK_BYTES = 64 * 1024
REFERENCE_EXAMPLE = "466/PVHXH - 15/03/2026: V/v triển khai ..."


class EvidenceError(TrackingError):
    """A refused evidence action; ``message`` is one Vietnamese sentence for the user."""


Owner = ProgressReport | TargetValue


# --- helpers -------------------------------------------------------------------------------


def megabytes(size: int) -> str:
    """ "1,5 MB", "320 KB": a size as a Vietnamese reader writes it."""
    if size < 1024 * 1024:
        return f"{max(1, -(-size // 1024))} KB"
    text = f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")
    return f"{text.replace('.', ',')} MB"


def _the_owner(report: ProgressReport | None, target_value: TargetValue | None) -> Owner:
    if (report is None) == (target_value is None):
        raise EvidenceError(
            _("Minh chứng phải gắn với đúng một báo cáo hoặc một giá trị chỉ tiêu.")
        )
    owner = report if report is not None else target_value
    assert owner is not None
    return owner


def _task_and_target(owner: Owner) -> tuple[Task | None, Target | None]:
    if isinstance(owner, ProgressReport):
        return owner.task, None
    return None, owner.target


def _plan_of(owner: Owner) -> Plan:
    return owner.task.plan if isinstance(owner, ProgressReport) else owner.target.plan


def _what(owner: Owner) -> str:
    """ "nhiệm vụ I.1.1 (Tháng 3/2026)": what the evidence proves, as the unit calls it."""
    if isinstance(owner, ProgressReport):
        return _("nhiệm vụ %(code)s (%(period)s)") % {
            "code": owner.task.code,
            "period": owner.period.label,
        }
    return _("chỉ tiêu %(code)s (%(period)s)") % {
        "code": owner.target.code,
        "period": owner.period.label,
    }


def _locked_owner(owner: Owner) -> Owner:
    if isinstance(owner, ProgressReport):
        return (
            ProgressReport.objects.select_for_update(of=("self",))
            .select_related("task__plan", "period", "unit", "commune")
            .get(pk=owner.pk)
        )
    return (
        TargetValue.objects.select_for_update(of=("self",))
        .select_related("target__plan", "period", "unit", "commune")
        .get(pk=owner.pk)
    )


def _check_may_add(owner: Owner, unit: Unit) -> None:
    """Whether ``unit`` may add evidence to ``owner`` now (run again under the row lock)."""
    if owner.unit_id != unit.pk:
        raise EvidenceError(
            _("Chỉ %(unit)s (đơn vị lập báo cáo này) mới nộp được minh chứng cho nó.")
            % {"unit": owner.unit.name}
        )
    plan = _plan_of(owner)
    if plan.status != PlanStatus.ACTIVE:
        raise EvidenceError(
            _("Kế hoạch %(plan)s không còn thực hiện; không nộp thêm minh chứng cho kế hoạch này.")
            % {"plan": plan.number or plan.title}
        )
    if isinstance(owner, ProgressReport):
        if (
            owner.status == TaskStatus.COMPLETED
            and owner.state == ReportState.SENT
            and owner.evidence.accepted().exists()
        ):
            raise EvidenceError(
                _(
                    "Nhiệm vụ đã được công nhận hoàn thành với minh chứng đạt; "
                    "không cần nộp thêm minh chứng."
                )
            )
    elif owner.state == ReportState.SENT and owner.review == ReviewStatus.ACCEPTED:
        raise EvidenceError(
            _("Giá trị chỉ tiêu này đã được chấp nhận; không cần nộp thêm minh chứng.")
        )


def _snapshot(evidence: Evidence) -> dict[str, Any]:
    return {
        "kind": evidence.kind,
        "original_name": evidence.original_name,
        "file": evidence.file.name or "",
        "size": evidence.size,
        "sha256": evidence.sha256,
        "content_type": evidence.content_type,
        "doc_number": evidence.doc_number,
        "doc_date": evidence.doc_date.isoformat() if evidence.doc_date else None,
        "doc_summary": evidence.doc_summary,
        "review": evidence.review,
        "review_note": evidence.review_note,
        "withdrawn": evidence.withdrawn_at is not None,
    }


def _record(*, owner: Owner, unit: Unit, user: User, label: str, **fields: Any) -> Evidence:
    """Create the evidence row and its audit entry, with the owner locked and re-checked."""
    with transaction.atomic():
        owner = _locked_owner(owner)
        _check_may_add(owner, unit)
        sha256 = fields.get("sha256")
        if sha256 and owner.evidence.current().filter(sha256=sha256).exists():
            raise EvidenceError(
                _("Tệp này đã được nộp cho %(what)s; không cần nộp lại.") % {"what": _what(owner)}
            )
        task, target = _task_and_target(owner)
        evidence = Evidence.objects.create(
            commune_id=owner.commune_id,
            unit=unit,
            report=owner if isinstance(owner, ProgressReport) else None,
            target_value=owner if isinstance(owner, TargetValue) else None,
            task=task,
            target=target,
            uploaded_by=user,
            **fields,
        )
        summary_evidence_changed(evidence, owner)
        audit_record(
            actor=user,
            action="evidence.add",
            summary=_("Nộp minh chứng “%(name)s” cho %(what)s")
            % {"name": label, "what": _what(owner)},
            obj=evidence,
            commune=owner.commune,
            task=task,
            target=target,
            after=_snapshot(evidence),
        )
        return evidence


# --- files ---------------------------------------------------------------------------------


def clean_filename(filename: str) -> str:
    """The uploaded file's base name, printable and at most 255 characters."""
    # Only the base name: a browser may send a full Windows path.
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 254 - len(ext)]}.{ext}" if dot and len(ext) <= 10 else name[:255]
    return name


def _too_large(size: int, max_bytes: int) -> EvidenceError:
    return EvidenceError(
        _(
            "Tệp quá lớn (%(size)s, tối đa %(max)s). Hãy nén ảnh, hoặc quét văn bản ở độ phân "
            "giải thấp hơn rồi tải lên lại."
        )
        % {"size": megabytes(size), "max": megabytes(max_bytes)}
    )


def _empty() -> EvidenceError:
    return EvidenceError(_("Tệp rỗng, không có nội dung. Hãy chọn lại tệp minh chứng."))


def _digest(fileobj: IO[bytes], max_bytes: int) -> tuple[str, int]:
    """SHA-256 and the real size, streamed; stops as soon as the file proves too large."""
    fileobj.seek(0)
    digest = hashlib.sha256()
    size = 0
    while chunk := fileobj.read(CHUNK_BYTES):
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(size, max_bytes)
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest(), size


def evidence_storage_name(commune_code: str, extension: str) -> str:
    """``evidence/<commune>/<year>/<uuid4><ext>``: a fresh name each time, never reused."""
    year = timezone.localdate().year
    return f"evidence/{commune_code}/{year}/{uuid.uuid4()}{extension}"


@dataclass(frozen=True)
class CheckedFile:
    """An uploaded file that passed every check that needs no report: size, type, content.

    A phone's HEIC photo is already converted: ``fileobj`` then holds the JPEG."""

    fileobj: IO[bytes]
    sniffed: Sniffed
    sha256: str
    size: int
    name: str  # the name shown to people, with the stored type's extension

    def record_fields(self) -> dict[str, Any]:
        """The file's facts as every evidence record (task, target, scorecard) keeps them."""
        return {
            "original_name": self.name,
            "size": self.size,
            "sha256": self.sha256,
            "content_type": self.sniffed.content_type,
        }


def _heic_to_jpeg(fileobj: IO[bytes], filename: str) -> IO[bytes]:
    """The photo as a JPEG every browser and office program opens (iPhones save HEIC)."""
    import pillow_heif  # imported here: only phone photos need the codec
    from PIL import Image

    try:
        heif = pillow_heif.open_heif(fileobj, convert_hdr_to_8bit=True)
        image = heif.to_pillow()
        out = io.BytesIO()
        image.convert("RGB").save(out, format="JPEG", quality=88)
    except (ValueError, OSError, RuntimeError, Image.DecompressionBombError):
        raise EvidenceError(
            _("Ảnh “%(name)s” bị hỏng, không mở được. Hãy chụp hoặc chọn lại ảnh.")
            % {"name": clean_filename(filename)}
        ) from None
    out.seek(0)
    return out


def evidence_file_check(*, filename: str, fileobj: IO[bytes], size: int) -> CheckedFile:
    """Check an upload before anything is saved: size, real type, allowed by this installation.

    ``fileobj`` must be seekable; ``size`` is what the upload claims, checked before anything
    is read and checked again while streaming. Raises ``EvidenceError``."""
    max_bytes = settings.THEODOI_EVIDENCE_MAX_BYTES
    if size > max_bytes:
        raise _too_large(size, max_bytes)
    if size <= 0:
        raise _empty()
    sha256, real_size = _digest(fileobj, max_bytes)
    if real_size == 0:
        raise _empty()
    try:
        sniffed = sniff(fileobj)
    except UnrecognisedFile as exc:
        raise EvidenceError(
            _(
                "Tệp “%(name)s” thực chất là %(what)s, không phải minh chứng hợp lệ. "
                "Chỉ nhận: %(allowed)s."
            )
            % {"name": clean_filename(filename), "what": exc.what, "allowed": allowed_labels()}
        ) from None
    if sniffed.key not in {t.sniffed.key for t in allowed_types()}:
        raise EvidenceError(
            _("Loại tệp này không được nhận làm minh chứng. Chỉ nhận: %(allowed)s.")
            % {"allowed": allowed_labels()}
        )
    name = clean_filename(filename)
    if sniffed.key == HEIC.key:
        fileobj = _heic_to_jpeg(fileobj, filename)
        sniffed = JPEG
        sha256, real_size = _digest(fileobj, max_bytes)
        name = f"{PurePath(name).stem}{JPEG.extension}" if name else ""
    return CheckedFile(
        fileobj=fileobj,
        sniffed=sniffed,
        sha256=sha256,
        size=real_size,
        name=name or f"minh-chung{sniffed.extension}",
    )


def evidence_add_file(
    *,
    report: ProgressReport | None = None,
    target_value: TargetValue | None = None,
    unit: Unit,
    user: User,
    filename: str,
    fileobj: IO[bytes],
    size: int,
) -> Evidence:
    """Store an uploaded file as evidence of a report or a target value.

    ``fileobj`` must be seekable (Django's uploaded files are); ``size`` is what the upload
    claims, checked before anything is read and checked again while streaming."""
    owner = _the_owner(report, target_value)
    _check_may_add(owner, unit)
    checked = evidence_file_check(filename=filename, fileobj=fileobj, size=size)
    return evidence_add_checked(owner=owner, unit=unit, user=user, checked=checked)


def evidence_add_checked(*, owner: Owner, unit: Unit, user: User, checked: CheckedFile) -> Evidence:
    """Store a file ``evidence_file_check`` accepted as evidence of ``owner``."""
    return store_then_record(
        evidence_storage_name(owner.commune.code, checked.sniffed.extension),
        checked.fileobj,
        lambda stored: _record(
            owner=owner,
            unit=unit,
            user=user,
            label=checked.name,
            kind=EvidenceKind.FILE,
            file=stored,
            **checked.record_fields(),
        ),
    )


def store_then_record(name: str, fileobj: IO[bytes], record: Callable[[str], R]) -> R:
    """Save the file under ``name``, then create its record with ``record(stored_name)``.

    The file first, then its record: a crash in between leaves only an orphan file (which
    `theodoi check` finds), never a record pointing at a missing file. When the record
    cannot be created, the file is deleted again."""
    fileobj.seek(0)
    stored = default_storage.save(name, fileobj)
    try:
        return record(stored)
    except BaseException:
        # No record came to be: the file must not stay behind as if it were evidence.
        try:
            default_storage.delete(stored)
        except OSError:
            log.exception("could not delete %s after a failed evidence record", stored)
        raise


# --- document references -------------------------------------------------------------------

_DATE = re.compile(
    r"(?<![\w/])(?:ngày\s*)?(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4})\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^\w[\w./\-]*$")
_LEADING_NUMBER_WORDS = re.compile(r"^(?:văn\s+bản\s+)?(?:số|so)\s*[:.]?\s*", re.IGNORECASE)


@dataclass(frozen=True)
class DocumentReference:
    number: str
    date: dt.date
    summary: str


def _unreadable_reference() -> EvidenceError:
    return EvidenceError(
        _(
            "Không đọc được số hiệu văn bản. Hãy nhập theo mẫu “số/ký hiệu - ngày - trích yếu”, "
            "ví dụ: %(example)s"
        )
        % {"example": REFERENCE_EXAMPLE}
    )


def document_reference_parse(text: str) -> DocumentReference:
    """ "466/PVHXH - 15/03/2026: V/v triển khai ..." → number, date, summary.

    Tolerates "ngày 15/3/2026", en or em dashes, a missing "V/v", a leading "Số"."""
    text = " ".join(text.split())
    match = _DATE.search(text)
    if match is None:
        raise _unreadable_reference()
    number = _LEADING_NUMBER_WORDS.sub("", text[: match.start()].strip(" -–—,:;"))
    number = number.strip(" -–—,:;")
    summary = text[match.end() :].strip(" -–—,:;.")
    if not number or not _NUMBER.match(number) or not any(c.isdigit() for c in number):
        raise _unreadable_reference()
    if len(number) > 100 or not summary:
        raise _unreadable_reference()
    try:
        date = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        raise EvidenceError(
            _("Ngày văn bản “%(date)s” không có thật. Hãy kiểm tra lại (ngày/tháng/năm).")
            % {"date": match.group(0)}
        ) from None
    if date > timezone.localdate() or date.year < 1945:
        raise EvidenceError(
            _("Ngày văn bản %(date)s không hợp lệ: văn bản làm minh chứng phải đã ban hành.")
            % {"date": f"{date:%d/%m/%Y}"}
        )
    if len(summary) > 500:
        raise EvidenceError(_("Trích yếu quá dài (tối đa 500 ký tự)."))
    return DocumentReference(number=number, date=date, summary=summary)


def evidence_add_document(
    *,
    report: ProgressReport | None = None,
    target_value: TargetValue | None = None,
    unit: Unit,
    user: User,
    reference: str,
) -> Evidence:
    """A signed document given by its reference instead of a file, where the plan allows it."""
    owner = _the_owner(report, target_value)
    _check_may_add(owner, unit)
    if not _plan_of(owner).allow_document_evidence:
        raise EvidenceError(
            _(
                "Kế hoạch này không nhận minh chứng là số hiệu văn bản: hãy tải lên tệp "
                "(bản chụp hoặc bản điện tử của văn bản)."
            )
        )
    ref = document_reference_parse(reference)
    duplicate = owner.evidence.current().filter(doc_number=ref.number, doc_date=ref.date)
    if duplicate.exists():
        raise EvidenceError(
            _("Văn bản %(number)s đã được nộp cho %(what)s.")
            % {"number": ref.number, "what": _what(owner)}
        )
    return _record(
        owner=owner,
        unit=unit,
        user=user,
        label=f"{ref.number} - {ref.date:%d/%m/%Y}",
        kind=EvidenceKind.DOCUMENT,
        doc_number=ref.number,
        doc_date=ref.date,
        doc_summary=ref.summary,
    )


# --- review and withdrawal -----------------------------------------------------------------


_EVIDENCE_RELATED = (
    "commune",
    "unit",
    "task",
    "target",
    "report__task__plan",
    "report__period",
    "target_value__target__plan",
    "target_value__period",
)


def _locked_evidence(evidence: Evidence) -> Evidence:
    # Lock the evidence row only: PostgreSQL refuses FOR UPDATE across the nullable joins.
    return (
        Evidence.objects.select_for_update(of=("self",))
        .select_related(*_EVIDENCE_RELATED)
        .get(pk=evidence.pk)
    )


def _owner_of(evidence: Evidence) -> Owner:
    owner = evidence.report or evidence.target_value
    assert owner is not None  # a database constraint: exactly one of the two
    return owner


def page_url(*, task: Task | None = None, target: Target | None = None) -> str:
    """The task's or target's page, where the unit sees its evidence and can add more."""
    try:
        if task is not None:
            return reverse("task_detail", args=[task.public_id])
        if target is not None:
            return reverse("target_detail", args=[target.public_id])
    except NoReverseMatch:  # those pages are built elsewhere; until they exist, no link
        pass
    return ""


@transaction.atomic
def evidence_review(
    *, evidence: Evidence, reviewer: User, decision: str, note: str, version: int | None
) -> Evidence:
    """The standing office accepts an evidence, or rejects it with a reason; the unit is told.

    A rejected completion then counts as not completed (``tracking.status``) until another
    evidence of the same report is accepted."""
    evidence = _locked_evidence(evidence)
    if not is_office(reviewer, evidence.commune):
        raise EvidenceError(_("Chỉ cơ quan thường trực mới thẩm định minh chứng."))
    refused = policy.refusal(reviewer, policy.Action.REVIEW_EVIDENCE, evidence)
    if refused:
        raise EvidenceError(refused)
    if decision not in (ReviewStatus.ACCEPTED, ReviewStatus.REJECTED):
        raise EvidenceError(_("Hãy chọn Đạt hoặc Không đạt."))
    note = note.strip()
    if decision == ReviewStatus.REJECTED and not note:
        raise EvidenceError(_("Hãy ghi lý do không đạt để đơn vị biết cần bổ sung gì."))
    # The decision was made on what the reviewer saw: if that changed, it is refused whole.
    check_version(evidence.version, version)
    if evidence.withdrawn_at is not None:
        raise EvidenceError(_("Minh chứng này đã được đơn vị rút lại, không thẩm định nữa."))
    owner = _owner_of(evidence)
    if owner.state != ReportState.SENT:
        raise EvidenceError(
            _("Báo cáo kèm minh chứng này chưa gửi đến cơ quan thường trực; chưa thẩm định được.")
        )
    before = _snapshot(evidence)
    evidence.review = decision
    evidence.review_note = note
    evidence.reviewed_by = reviewer
    evidence.reviewed_at = timezone.now()
    evidence.version += 1
    evidence.save(update_fields=["review", "review_note", "reviewed_by", "reviewed_at", "version"])
    summary_evidence_changed(evidence, owner)
    what = _what(owner)
    audit_record(
        actor=reviewer,
        action="evidence.review",
        summary=_("Thẩm định minh chứng “%(name)s” của %(what)s: %(decision)s")
        % {"name": str(evidence), "what": what, "decision": evidence.get_review_display()},
        obj=evidence,
        commune=evidence.commune,
        task=evidence.task,
        target=evidence.target,
        before=before,
        after=_snapshot(evidence),
    )
    if decision == ReviewStatus.REJECTED:
        text = _(
            "Minh chứng “%(name)s” của %(what)s không đạt: %(reason)s. "
            "Hãy nộp minh chứng khác để được công nhận."
        ) % {"name": str(evidence), "what": what, "reason": note.rstrip(" .。")}
    else:
        text = _("Minh chứng “%(name)s” của %(what)s đã được chấp nhận.") % {
            "name": str(evidence),
            "what": what,
        }
    # Notifications are rows of the same database: they commit or roll back with the review.
    notify_unit(
        unit=evidence.unit, text=text, url=page_url(task=evidence.task, target=evidence.target)
    )
    return evidence


def _needs_evidence(owner: Owner) -> bool:
    if isinstance(owner, ProgressReport):
        return owner.status == TaskStatus.COMPLETED
    from theodoi.tracking.status import meets

    return meets(owner.target, owner.value, owner.achieved_claim)


@transaction.atomic
def evidence_withdraw(*, evidence: Evidence, user: User) -> Evidence:
    """The unit takes back its evidence (not yet accepted). Recorded; the file is kept."""
    evidence = _locked_evidence(evidence)
    if evidence.unit not in user_units(user, evidence.commune):
        raise EvidenceError(_("Chỉ đơn vị đã nộp minh chứng mới rút được minh chứng đó."))
    if evidence.withdrawn_at is not None:
        raise EvidenceError(_("Minh chứng này đã được rút trước đó."))
    if evidence.review == ReviewStatus.ACCEPTED:
        raise EvidenceError(_("Minh chứng đã được chấp nhận thì không rút lại được."))
    owner = _locked_owner(_owner_of(evidence))
    others = owner.evidence.current().exclude(pk=evidence.pk)
    if owner.state != ReportState.DRAFT and _needs_evidence(owner) and not others.exists():
        raise EvidenceError(
            _(
                "Đây là minh chứng duy nhất của một báo cáo hoàn thành đã gửi: hãy nộp minh "
                "chứng thay thế trước khi rút."
            )
        )
    before = _snapshot(evidence)
    evidence.withdrawn_at = timezone.now()
    evidence.withdrawn_by = user
    evidence.version += 1
    evidence.save(update_fields=["withdrawn_at", "withdrawn_by", "version"])
    summary_evidence_changed(evidence, owner)
    audit_record(
        actor=user,
        action="evidence.withdraw",
        summary=_("Rút minh chứng “%(name)s” của %(what)s")
        % {"name": str(evidence), "what": _what(owner)},
        obj=evidence,
        commune=evidence.commune,
        task=evidence.task,
        target=evidence.target,
        before=before,
        after=_snapshot(evidence),
    )
    return evidence
