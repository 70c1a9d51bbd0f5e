"""Reporting in one step: progress, note and evidence files in one submit, from a phone."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from theodoi.evidence.models import Evidence
from theodoi.tracking.models import ProgressReport, ReportState
from theodoi.tracking.periods import current_period
from theodoi.tracking.services import report_submit

from ..evidence.factories import EXE, heic_bytes, ole2_bytes, pdf_bytes
from ..factories import PASSWORD, unit_of
from ..tracking_factories import make_active_plan, make_report, period_of, task_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    plan = make_active_plan(commune)
    plan.requires_head_confirmation = False
    plan.save(update_fields=["requires_head_confirmation"])
    return plan


@pytest.fixture
def police_unit(commune):  # type: ignore[no-untyped-def]
    return unit_of(commune, "Công an phường")


@pytest.fixture
def as_police(client, police):  # type: ignore[no-untyped-def]
    client.login(username=police.username, password=PASSWORD)
    return client


def _url(plan, code: str = "I.1.1") -> str:  # type: ignore[no-untyped-def]
    period = current_period(plan, timezone.localdate())
    url = reverse("report_edit", args=[task_of(plan, code).public_id])
    return f"{url}?period={period.public_id}"


def _form(*files: SimpleUploadedFile, **overrides: str) -> dict[str, object]:
    data: dict[str, object] = {
        "status": "completed",
        "percent": "100",
        "done": "Đã số hóa toàn bộ 1.200 hồ sơ hộ tịch",
        "difficulties": "",
        "proposals": "",
        "pause_reason": "",
        "version": "0",
        "action": "send",
        "files": list(files),
    }
    data.update(overrides)
    return data


def test_the_form_starts_from_the_last_reported_figure_not_zero(as_police, plan, police):
    task = task_of(plan, "I.1.1")
    earlier = period_of(plan, 1)
    police_unit = unit_of(plan.commune, "Công an phường")
    report = make_report(task, police_unit, police, month=earlier.number, percent=55)
    report_submit(report=report, user=police, version=report.version)
    page = as_police.get(_url(plan)).content.decode()
    assert re.search(r'name="percent" value="55"', page)
    assert re.search(r'value="in_progress"[^>]*checked', page)


def test_a_completion_with_a_photo_is_sent_in_one_submit(as_police, plan, police_unit):
    photo = SimpleUploadedFile("bien-ban.pdf", pdf_bytes(), content_type="application/pdf")
    response = as_police.post(_url(plan), _form(photo))
    assert response.status_code == 302
    report = ProgressReport.objects.get(unit=police_unit, task=task_of(plan, "I.1.1"))
    assert report.state == ReportState.SENT
    assert [e.original_name for e in report.evidence.all()] == ["bien-ban.pdf"]


def test_an_iphone_heic_photo_is_stored_as_a_jpeg(as_police, plan, police_unit):
    photo = SimpleUploadedFile("IMG_0042.HEIC", heic_bytes(), content_type="image/heic")
    assert as_police.post(_url(plan), _form(photo)).status_code == 302
    evidence = Evidence.objects.get(unit=police_unit)
    assert (evidence.original_name, evidence.content_type) == ("IMG_0042.jpg", "image/jpeg")
    with evidence.file.open("rb") as stored:
        assert stored.read(3) == b"\xff\xd8\xff"


def test_an_old_word_file_is_accepted_as_evidence(as_police, plan, police_unit):
    doc = SimpleUploadedFile("quyet-dinh.doc", ole2_bytes("WordDocument"))
    assert as_police.post(_url(plan), _form(doc)).status_code == 302
    assert Evidence.objects.get(unit=police_unit).content_type == "application/msword"


def test_a_refused_file_saves_nothing_and_keeps_every_word_typed(as_police, plan, police_unit):
    good = SimpleUploadedFile("bien-ban.pdf", pdf_bytes())
    bad = SimpleUploadedFile("anh.pdf", EXE)
    response = as_police.post(
        _url(plan), _form(good, bad, done="Nội dung tôi vừa gõ trên điện thoại")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nội dung tôi vừa gõ trên điện thoại" in page
    assert "chương trình máy tính" in page
    assert "Hãy chọn lại các tệp: bien-ban.pdf" in page
    assert not ProgressReport.objects.filter(unit=police_unit).exists()
    assert not Evidence.objects.exists()


def test_the_same_form_sent_twice_arrives_once(as_police, plan, police_unit):
    key = str(uuid.uuid4())
    first = as_police.post(
        _url(plan), _form(SimpleUploadedFile("a.pdf", pdf_bytes()), submission=key)
    )
    version_after_first = ProgressReport.objects.get(unit=police_unit).version
    again = as_police.post(
        _url(plan), _form(SimpleUploadedFile("a.pdf", pdf_bytes()), submission=key), follow=True
    )
    assert first.status_code == 302
    assert "đã được nhận trước đó" in again.content.decode()
    report = ProgressReport.objects.get(unit=police_unit)
    assert (report.state, report.evidence.count()) == (ReportState.SENT, 1)
    assert report.version == version_after_first
