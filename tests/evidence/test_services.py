from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from theodoi.alerts.models import Notification
from theodoi.audit.models import AuditEntry
from theodoi.evidence.models import Evidence, EvidenceKind
from theodoi.evidence.services import (
    EvidenceError,
    document_reference_parse,
    evidence_add_file,
    evidence_review,
    evidence_withdraw,
)
from theodoi.plans.models import PlanStatus
from theodoi.tracking.models import ReportState, ReviewStatus, TaskStatus
from theodoi.tracking.services import (
    TrackingError,
    ValueInput,
    report_submit,
    target_value_review,
    target_value_save,
    target_value_submit,
)
from theodoi.tracking.status import Completion, task_states

from ..factories import unit_of
from ..tracking_factories import make_active_plan, make_report, period_of, target_of, task_of
from .factories import (
    EXE,
    PNG,
    add_document,
    add_file,
    pdf_bytes,
    sent_completion,
    staff_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    return make_active_plan(commune)


@pytest.fixture
def police_unit(commune):  # type: ignore[no-untyped-def]
    return unit_of(commune, "Công an phường")


@pytest.fixture
def report(plan, police, police_unit):  # type: ignore[no-untyped-def]
    return make_report(task_of(plan, "I.1.1"), police_unit, police)


@pytest.fixture
def pvhcc_staff(commune):  # type: ignore[no-untyped-def]
    return staff_of(commune, "Trung tâm Phục vụ hành chính công", "pvhcc")


def unit_of_user(user):  # type: ignore[no-untyped-def]
    return user.memberships.get().unit


def stored_files() -> list[str]:
    """Every file under evidence/ in the storage (the tests' temporary MEDIA_ROOT)."""
    found: list[str] = []

    def walk(directory: str) -> None:
        if not default_storage.exists(directory):
            return
        dirs, files = default_storage.listdir(directory)
        found.extend(f"{directory}/{f}" for f in files)
        for d in dirs:
            walk(f"{directory}/{d}")

    walk("evidence")
    return found


# --- files ---------------------------------------------------------------------------------


def test_a_file_is_kept_with_its_name_size_checksum_and_real_type(report, police, commune):
    data = pdf_bytes("Biên bản nghiệm thu kho dữ liệu")
    evidence = add_file(police, report=report, data=data, name="Biên bản nghiệm thu.pdf")
    assert evidence.kind == EvidenceKind.FILE
    assert evidence.original_name == "Biên bản nghiệm thu.pdf"
    assert evidence.size == len(data)
    assert evidence.content_type == "application/pdf"
    import hashlib

    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert re.fullmatch(
        rf"evidence/{commune.code}/{timezone.localdate().year}/[0-9a-f-]{{36}}\.pdf",
        evidence.file.name,
    )
    with default_storage.open(evidence.file.name, "rb") as handle:
        assert handle.read() == data
    assert (evidence.task, evidence.target) == (report.task, None)
    assert evidence.review == ReviewStatus.PENDING


def test_the_type_comes_from_the_bytes_never_from_the_name(report, police):
    evidence = add_file(police, report=report, data=PNG, name="anh-chup.pdf")
    assert evidence.content_type == "image/png"
    assert evidence.file.name.endswith(".png")


def test_every_upload_gets_a_new_name_and_nothing_is_overwritten(report, police):
    first = add_file(police, report=report, data=pdf_bytes("một"), name="bien-ban.pdf")
    second = add_file(police, report=report, data=pdf_bytes("hai"), name="bien-ban.pdf")
    assert first.file.name != second.file.name
    assert len(stored_files()) == 2


def test_the_same_file_twice_on_one_report_is_refused(report, police):
    add_file(police, report=report)
    with pytest.raises(EvidenceError, match="đã được nộp"):
        add_file(police, report=report)


def test_an_executable_named_pdf_is_refused_and_nothing_is_stored(report, police):
    with pytest.raises(EvidenceError, match="chương trình") as caught:
        add_file(police, report=report, data=EXE, name="bao-cao.pdf")
    assert "PDF" in caught.value.message  # the message names what is accepted
    assert not Evidence.objects.exists()
    assert stored_files() == []


def test_an_oversized_file_is_refused_before_a_byte_is_read(report, police, settings):
    settings.THEODOI_EVIDENCE_MAX_BYTES = 1024 * 1024

    class Unreadable(io.BytesIO):
        def read(self, *args):  # type: ignore[no-untyped-def]
            raise AssertionError("an oversized upload must not be read")

    with pytest.raises(EvidenceError, match=r"quá lớn \(3 MB, tối đa 1 MB\)"):
        evidence_add_file(
            report=report, unit=report.unit, user=police, filename="video.pdf",
            fileobj=Unreadable(), size=3 * 1024 * 1024,
        )  # fmt: skip
    assert stored_files() == []


def test_a_file_larger_than_it_claimed_is_still_refused(report, police, settings):
    settings.THEODOI_EVIDENCE_MAX_BYTES = 100
    data = pdf_bytes("x" * 500)
    with pytest.raises(EvidenceError, match="quá lớn"):
        evidence_add_file(
            report=report, unit=report.unit, user=police, filename="a.pdf",
            fileobj=io.BytesIO(data), size=50,
        )  # fmt: skip
    assert stored_files() == []


def test_an_empty_file_is_refused(report, police):
    with pytest.raises(EvidenceError, match="rỗng"):
        add_file(police, report=report, data=b"", name="trong.pdf")


def test_a_type_the_installation_does_not_accept_is_refused_naming_the_accepted_ones(
    report, police, settings
):
    settings.THEODOI_EVIDENCE_TYPES = ["pdf", "docx"]
    with pytest.raises(EvidenceError) as caught:
        add_file(police, report=report, data=PNG, name="anh.png")
    assert "PDF, Word (.docx)" in caught.value.message
    assert "PNG" not in caught.value.message.split("Chỉ nhận")[1]


def test_a_unit_cannot_add_evidence_to_another_units_report(report, commune, office):
    standing = unit_of(commune, "Phòng Văn hóa - Xã hội")
    with pytest.raises(EvidenceError, match="Công an phường"):
        add_file(office, report=report, unit=standing)
    assert stored_files() == []


def test_evidence_proves_exactly_one_thing(report, police):
    with pytest.raises(EvidenceError, match="đúng một"):
        evidence_add_file(
            unit=report.unit, user=police, filename="a.pdf", fileobj=io.BytesIO(pdf_bytes()),
            size=len(pdf_bytes()),
        )  # fmt: skip


def test_no_evidence_is_added_to_a_replaced_plan(plan, report, police):
    plan.status = PlanStatus.REPLACED
    plan.save(update_fields=["status"])
    with pytest.raises(EvidenceError, match="không còn thực hiện"):
        add_file(police, report=report)


def test_a_completion_already_accepted_needs_no_more_evidence(plan, police, police_unit, office):
    evidence = sent_completion(plan, police_unit, police)
    evidence_review(
        evidence=evidence, reviewer=office, decision="accepted", note="", version=evidence.version
    )
    with pytest.raises(EvidenceError, match="công nhận hoàn thành"):
        add_file(police, report=evidence.report, data=pdf_bytes("thêm"))


def test_an_accepted_target_value_needs_no_more_evidence(plan, pvhcc_staff, office):
    value = target_value_save(
        target=target_of(plan, "1"), period=period_of(plan, 3), unit=unit_of_user(pvhcc_staff),
        user=pvhcc_staff, data=ValueInput(value=Decimal(70)),
    )  # fmt: skip
    value = target_value_submit(target_value=value, user=pvhcc_staff, version=value.version)
    target_value_review(
        target_value=value, reviewer=office, decision="accepted", note="", version=value.version
    )
    with pytest.raises(EvidenceError, match="đã được chấp nhận"):
        add_file(pvhcc_staff, target_value=value)


def test_the_record_holds_the_target_for_a_target_values_evidence(plan, pvhcc_staff):
    value = target_value_save(
        target=target_of(plan, "1"), period=period_of(plan, 3), unit=unit_of_user(pvhcc_staff),
        user=pvhcc_staff, data=ValueInput(value=Decimal(95)),
    )  # fmt: skip
    evidence = add_file(pvhcc_staff, target_value=value)
    assert (evidence.task, evidence.target, evidence.report) == (None, value.target, None)


def test_adding_evidence_leaves_an_audit_entry_on_the_task(report, police):
    evidence = add_file(police, report=report, name="bien-ban.pdf")
    entry = AuditEntry.objects.get(action="evidence.add")
    assert (entry.actor, entry.task, entry.object_id) == (
        police,
        report.task,
        str(evidence.public_id),
    )
    assert "bien-ban.pdf" in entry.summary and "I.1.1" in entry.summary
    assert entry.after["sha256"] == evidence.sha256


# --- crash safety ----------------------------------------------------------------------------


def test_when_the_record_cannot_be_created_the_written_file_is_deleted(report, police):
    written: list[str] = []
    real_save = default_storage.save

    def save_and_remember(name, content, **kwargs):  # type: ignore[no-untyped-def]
        stored = real_save(name, content, **kwargs)
        written.append(stored)
        return stored

    with (
        mock.patch.object(default_storage, "save", side_effect=save_and_remember),
        mock.patch.object(Evidence.objects, "create", side_effect=RuntimeError("database died")),
        pytest.raises(RuntimeError, match="database died"),
    ):
        add_file(police, report=report)
    assert len(written) == 1  # the file had been written first ...
    assert not default_storage.exists(written[0])  # ... and is gone with the failed record
    assert not Evidence.objects.exists()
    assert not AuditEntry.objects.filter(action="evidence.add").exists()


def test_a_refusal_found_under_the_lock_also_removes_the_file(plan, police, police_unit, office):
    # The completion gets accepted between the first check and the record: refused, no file left.
    evidence = sent_completion(plan, police_unit, police)
    from theodoi.evidence import services

    real_check = services._check_may_add
    calls = {"n": 0}

    def accept_in_between(owner, unit):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            evidence_review(
                evidence=evidence,
                reviewer=office,
                decision="accepted",
                note="",
                version=evidence.version,
            )
        real_check(owner, unit)

    with (
        mock.patch.object(services, "_check_may_add", side_effect=accept_in_between),
        pytest.raises(EvidenceError, match="công nhận hoàn thành"),
    ):
        add_file(police, report=evidence.report, data=pdf_bytes("muộn"))
    assert stored_files() == [evidence.file.name]


# --- completion needs evidence; the review loop -----------------------------------------------


def test_completion_without_evidence_cannot_be_sent(plan, police, police_unit):
    report = make_report(
        task_of(plan, "I.1.1"), police_unit, police, status="completed", percent=100
    )
    with pytest.raises(TrackingError, match="ít nhất một minh chứng"):
        report_submit(report=report, user=police, version=report.version)
    add_file(police, report=report)
    report = report_submit(report=report, user=police, version=report.version)
    assert report.state != ReportState.DRAFT


def test_a_rejected_completion_counts_as_not_done_until_new_evidence_is_accepted(
    plan, police, police_unit, office
):
    task = task_of(plan, "I.1.1")
    today = timezone.localdate()
    first = sent_completion(plan, police_unit, police, data=pdf_bytes("bản chưa ký"))
    state = task_states([task], today=today)[task.pk]
    assert (state.done, state.completion) == (False, Completion.PENDING)

    evidence_review(
        evidence=first,
        reviewer=office,
        decision="rejected",
        note="Thiếu chữ ký.",
        version=first.version,
    )
    state = task_states([task], today=today)[task.pk]
    assert state.done is False
    assert state.status == TaskStatus.IN_PROGRESS
    assert state.label == "Minh chứng không đạt, chưa hoàn thành"
    told = Notification.objects.get(user=police)
    assert "I.1.1" in told.text and "Thiếu chữ ký" in told.text
    assert ".." not in told.text  # the reviewer's own full stop is not doubled

    report = first.report
    report.refresh_from_db()
    assert report.state == ReportState.SENT  # the same sent report takes the new evidence
    second = add_file(police, report=report, data=pdf_bytes("bản đã ký"))
    assert task_states([task], today=today)[task.pk].completion == Completion.PENDING

    evidence_review(
        evidence=second, reviewer=office, decision="accepted", note="", version=second.version
    )
    state = task_states([task], today=today)[task.pk]
    assert state.done is True
    assert state.label.startswith("Hoàn thành")


def test_only_the_standing_office_reviews_evidence(plan, police, police_unit, leader):
    evidence = sent_completion(plan, police_unit, police)
    for someone in (police, leader):
        with pytest.raises(EvidenceError, match="cơ quan thường trực"):
            evidence_review(
                evidence=evidence,
                reviewer=someone,
                decision="accepted",
                note="",
                version=evidence.version,
            )
    evidence.refresh_from_db()
    assert evidence.review == ReviewStatus.PENDING


def test_another_communes_office_cannot_review(plan, police, police_unit, other_office):
    evidence = sent_completion(plan, police_unit, police)
    with pytest.raises(EvidenceError):
        evidence_review(
            evidence=evidence,
            reviewer=other_office,
            decision="accepted",
            note="",
            version=evidence.version,
        )


def test_a_rejection_needs_a_reason(plan, police, police_unit, office):
    evidence = sent_completion(plan, police_unit, police)
    with pytest.raises(EvidenceError, match="lý do"):
        evidence_review(
            evidence=evidence,
            reviewer=office,
            decision="rejected",
            note="   ",
            version=evidence.version,
        )


def test_evidence_of_a_report_not_yet_sent_is_not_reviewed(report, police, office):
    evidence = add_file(police, report=report)
    with pytest.raises(EvidenceError, match="chưa gửi"):
        evidence_review(
            evidence=evidence,
            reviewer=office,
            decision="accepted",
            note="",
            version=evidence.version,
        )


def test_a_withdrawn_evidence_cannot_be_reviewed(plan, police, police_unit, office):
    evidence = sent_completion(plan, police_unit, police)
    add_file(police, report=evidence.report, data=pdf_bytes("thay thế"))
    evidence = evidence_withdraw(evidence=evidence, user=police)
    with pytest.raises(EvidenceError, match="rút"):
        evidence_review(
            evidence=evidence,
            reviewer=office,
            decision="accepted",
            note="",
            version=evidence.version,
        )


def test_a_review_is_audited_and_tells_the_unit(plan, police, police_unit, office):
    evidence = sent_completion(plan, police_unit, police)
    evidence_review(
        evidence=evidence,
        reviewer=office,
        decision="accepted",
        note="Đầy đủ",
        version=evidence.version,
    )
    entry = AuditEntry.objects.get(action="evidence.review")
    assert (entry.actor, entry.task) == (office, evidence.task)
    assert (entry.before["review"], entry.after["review"]) == ("pending", "accepted")
    assert "đã được chấp nhận" in Notification.objects.get(user=police).text


# --- withdrawal ------------------------------------------------------------------------------


def test_a_unit_withdraws_its_evidence_and_the_file_is_kept(report, police):
    evidence = add_file(police, report=report)
    evidence = evidence_withdraw(evidence=evidence, user=police)
    assert evidence.withdrawn_at is not None and evidence.withdrawn_by == police
    assert default_storage.exists(evidence.file.name)
    assert not report.evidence.current().exists()
    assert AuditEntry.objects.filter(action="evidence.withdraw").count() == 1


def test_only_the_submitting_unit_withdraws(report, police, office):
    evidence = add_file(police, report=report)
    with pytest.raises(EvidenceError, match="đơn vị đã nộp"):
        evidence_withdraw(evidence=evidence, user=office)


def test_accepted_evidence_cannot_be_withdrawn(plan, police, police_unit, office):
    evidence = sent_completion(plan, police_unit, police)
    evidence_review(
        evidence=evidence, reviewer=office, decision="accepted", note="", version=evidence.version
    )
    with pytest.raises(EvidenceError, match="đã được chấp nhận"):
        evidence_withdraw(evidence=evidence, user=police)


def test_the_only_evidence_of_a_sent_completion_cannot_be_withdrawn(plan, police, police_unit):
    evidence = sent_completion(plan, police_unit, police)
    with pytest.raises(EvidenceError, match="duy nhất"):
        evidence_withdraw(evidence=evidence, user=police)
    add_file(police, report=evidence.report, data=pdf_bytes("thay thế"))
    assert evidence_withdraw(evidence=evidence, user=police).withdrawn_at is not None


# --- document references ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number", "day", "summary"),
    [
        ("466/PVHXH - 15/03/2026: V/v triển khai số hóa", "466/PVHXH", (2026, 3, 15),
         "V/v triển khai số hóa"),
        ("466/PVHXH ngày 15/3/2026 triển khai số hóa", "466/PVHXH", (2026, 3, 15),
         "triển khai số hóa"),
        ("466/PVHXH – 15/03/2026 – V/v triển khai", "466/PVHXH", (2026, 3, 15), "V/v triển khai"),
        ("Số 87/KH-UBND, ngày 05/01/2026 về chuyển đổi số", "87/KH-UBND", (2026, 1, 5),
         "về chuyển đổi số"),
        ("  12/BC-CAP  —  01/02/2026 :  Báo cáo kết quả  ", "12/BC-CAP", (2026, 2, 1),
         "Báo cáo kết quả"),
    ],
)  # fmt: skip
def test_a_document_reference_is_read_in_its_usual_forms(text, number, day, summary):
    import datetime as dt

    ref = document_reference_parse(text)
    assert (ref.number, ref.date, ref.summary) == (number, dt.date(*day), summary)


@pytest.mark.parametrize(
    "text",
    ["công văn hôm qua", "466/PVHXH - V/v triển khai", "466/PVHXH - 15/03/2026", "- 15/03/2026: x"],
)
def test_an_unreadable_reference_is_refused_showing_the_expected_form(text):
    with pytest.raises(EvidenceError, match="466/PVHXH - 15/03/2026: V/v"):
        document_reference_parse(text)


def test_an_impossible_or_future_date_is_refused():
    with pytest.raises(EvidenceError, match="không có thật"):
        document_reference_parse("466/PVHXH - 31/02/2026: V/v x")
    future = timezone.localdate() + timedelta(days=40)
    with pytest.raises(EvidenceError, match="đã ban hành"):
        document_reference_parse(f"466/PVHXH - {future:%d/%m/%Y}: V/v x")


def test_a_document_reference_stands_as_evidence_for_a_completion(plan, police, police_unit):
    report = make_report(
        task_of(plan, "I.1.1"), police_unit, police, status="completed", percent=100
    )
    evidence = add_document(police, report=report)
    assert (evidence.kind, evidence.doc_number, str(evidence.doc_date)) == (
        EvidenceKind.DOCUMENT, "466/PVHXH", "2026-03-15",
    )  # fmt: skip
    report_submit(report=report, user=police, version=report.version)


def test_the_same_document_twice_is_refused(report, police):
    add_document(police, report=report)
    with pytest.raises(EvidenceError, match="đã được nộp"):
        add_document(police, report=report)


def test_a_plan_may_refuse_document_references(plan, report, police):
    plan.allow_document_evidence = False
    plan.save(update_fields=["allow_document_evidence"])
    with pytest.raises(EvidenceError, match="không nhận minh chứng là số hiệu văn bản"):
        add_document(police, report=report)
    assert not Evidence.objects.exists()
