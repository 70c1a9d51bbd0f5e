"""Evidence over the API: upload (multipart) or a document reference, download through the
permission check, review by the standing office, withdrawal by the unit."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from theodoi.accounts.models import Role
from theodoi.evidence.models import Evidence
from theodoi.tracking.models import TaskStatus

from ..evidence.factories import EXE, add_file, pdf_bytes, sent_completion, staff_of
from ..factories import make_user, unit_of
from ..tracking_factories import make_report, task_of
from .conftest import message_of

pytestmark = pytest.mark.django_db

REFERENCE = "466/PVHXH - 15/03/2026: V/v triển khai số hóa hồ sơ"


@pytest.fixture
def report(plan, police, police_unit):  # type: ignore[no-untyped-def]
    return make_report(task_of(plan, "I.1.1"), police_unit, police)


@pytest.fixture
def sent(plan, police, police_unit):  # type: ignore[no-untyped-def]
    """A completion of I.1.1, sent to the office with one pending PDF."""
    return sent_completion(plan, police_unit, police)


def test_a_unit_uploads_a_pdf_to_its_report(api_as, police, report):
    api = api_as(police)
    response = api.upload(f"/reports/{report.public_id}/evidence/file", "bien-ban.pdf", pdf_bytes())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "file" and body["original_name"] == "bien-ban.pdf"
    assert body["content_type"] == "application/pdf" and body["review"] == "pending"
    listed = api.get(f"/reports/{report.public_id}/evidence").json()["items"]
    assert [e["id"] for e in listed] == [body["id"]]
    assert api.get(f"/reports/{report.public_id}").json()["evidence"][0]["id"] == body["id"]


def test_an_executable_named_pdf_is_refused_and_nothing_is_stored(api_as, police, report):
    response = api_as(police).upload(
        f"/reports/{report.public_id}/evidence/file", "bien-ban.pdf", EXE
    )
    assert response.status_code == 400
    assert response.json()["code"] == "refused"
    assert "bien-ban.pdf" in message_of(response)
    assert not Evidence.objects.exists()
    _dirs, files = (
        default_storage.listdir("evidence") if default_storage.exists("evidence") else ([], [])
    )
    assert files == []


def test_an_upload_without_a_file_is_a_422_in_vietnamese(api_as, police, report):
    response = api_as(police).client.post(
        f"/api/v1/reports/{report.public_id}/evidence/file", {}, headers=api_as(police).headers
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "Thiếu trường bắt buộc."


def test_a_multipart_upload_without_a_boundary_is_a_400_in_vietnamese(api_as, police, report):
    api = api_as(police)
    response = api.client.post(
        f"/api/v1/reports/{report.public_id}/evidence/file",
        b"--x\r\nContent-Disposition: form-data; name=file\r\n\r\nabc\r\n--x--",
        content_type="multipart/form-data",
        headers=api.headers,
    )
    assert response.status_code == 400
    assert "multipart/form-data" in message_of(response)
    assert not Evidence.objects.exists()


def test_a_document_reference_stands_as_evidence(api_as, police, report):
    response = api_as(police).post(
        f"/reports/{report.public_id}/evidence/document", {"reference": REFERENCE}
    )
    assert response.status_code == 201, response.content
    assert response.json()["document"] == {
        "number": "466/PVHXH", "date": "2026-03-15", "summary": "V/v triển khai số hóa hồ sơ",
    }  # fmt: skip


def test_an_unreadable_document_reference_is_refused_with_the_expected_form(api_as, police, report):
    response = api_as(police).post(
        f"/reports/{report.public_id}/evidence/document", {"reference": "công văn hôm trước"}
    )
    assert response.status_code == 400
    assert "số/ký hiệu - ngày - trích yếu" in message_of(response)


def test_another_unit_cannot_add_evidence_to_a_report(api_as, commune, report):
    other_staff = staff_of(commune, "Phòng Văn hóa - Xã hội", "vhxh-staff")
    response = api_as(other_staff).upload(
        f"/reports/{report.public_id}/evidence/file", "bien-ban.pdf", pdf_bytes()
    )
    assert response.status_code == 403
    assert "Công an phường" in message_of(response)
    assert not Evidence.objects.exists()


def test_the_file_downloads_through_the_permission_check(
    api_as, police, leader, other_office, report
):
    evidence = add_file(police, report=report, data=pdf_bytes("Biên bản số 7"))
    url = f"/evidence/{evidence.public_id}/download"
    response = api_as(leader).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes("Biên bản số 7")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"

    theirs = api_as(other_office)
    assert theirs.get(url).status_code == 404
    assert theirs.get(f"/evidence/{evidence.public_id}").status_code == 404
    assert theirs.get(f"/reports/{report.public_id}/evidence").status_code == 404


def test_a_document_reference_has_no_file_to_download(api_as, police, report):
    evidence_id = (
        api_as(police)
        .post(f"/reports/{report.public_id}/evidence/document", {"reference": REFERENCE})
        .json()["id"]
    )
    assert api_as(police).get(f"/evidence/{evidence_id}/download").status_code == 404


def test_the_office_rejects_evidence_and_the_task_is_not_done(api_as, office, sent, plan):
    api = api_as(office)
    no_reason = api.post(f"/evidence/{sent.public_id}/review", {"decision": "rejected"})
    assert no_reason.status_code == 400 and "lý do" in message_of(no_reason)

    response = api.post(
        f"/evidence/{sent.public_id}/review",
        {"decision": "rejected", "note": "Biên bản chưa có chữ ký", "version": sent.version},
    )
    assert response.status_code == 200
    assert response.json()["review"] == "rejected"
    task = api.get(f"/tasks/{task_of(plan, 'I.1.1').public_id}").json()
    assert task["state"]["done"] is False and task["state"]["completion"] == "rejected"
    kinds = {w["kind"] for w in api.get(f"/plans/{plan.public_id}/warnings").json()["items"]}
    assert "evidence_rejected" in kinds


def test_the_office_accepts_evidence_and_the_task_is_done(api_as, office, sent, plan):
    api = api_as(office)
    assert (
        api.post(
            f"/evidence/{sent.public_id}/review", {"decision": "accepted", "version": sent.version}
        ).status_code
        == 200
    )
    task = api.get(f"/tasks/{task_of(plan, 'I.1.1').public_id}").json()
    assert task["state"]["done"] is True and task["state"]["status"] == TaskStatus.COMPLETED


def test_a_unit_cannot_review_evidence(api_as, police, sent):
    response = api_as(police).post(f"/evidence/{sent.public_id}/review", {"decision": "accepted"})
    assert response.status_code == 403
    sent.refresh_from_db()
    assert sent.review == "pending"


def test_a_unit_withdraws_its_evidence_but_the_office_cannot(api_as, police, office, report):
    evidence = add_file(police, report=report)
    assert api_as(office).post(f"/evidence/{evidence.public_id}/withdraw").status_code == 403
    response = api_as(police).post(f"/evidence/{evidence.public_id}/withdraw")
    assert response.status_code == 200 and response.json()["withdrawn"] is True


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.STANDING_OFFICE, 200),
        (Role.COMMUNE_ADMIN, 200),
        (Role.LEADER, 403),
        (Role.SUPERVISOR, 403),
        (Role.UNIT_HEAD, 403),
    ],
)
def test_only_the_standing_office_reviews_evidence(api_as, commune, sent, role, status):
    unit = unit_of(commune, "Công an phường") if role == Role.UNIT_HEAD else None
    user = make_user(f"tham-dinh-{role}", role=role, commune=commune, unit=unit)
    response = api_as(user).post(
        f"/evidence/{sent.public_id}/review", {"decision": "accepted", "version": sent.version}
    )
    assert response.status_code == status
    if status == 403:
        assert "cơ quan thường trực" in message_of(response)
