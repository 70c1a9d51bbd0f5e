"""A PDF uploaded on the import page is read by a background job (tests run jobs inline):
the preview opens when it is done, a scan's progress is counted in pages, and a failure says
why in Vietnamese while the uploaded file is kept."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from theodoi.importer.models import PlanImport
from theodoi.jobs.models import Job, JobState

from ..factories import PASSWORD
from .core.builders import pdf_from_text
from .core.test_ocr_reader import scan_of_one_page
from .test_views import SMALL_PLAN

pytestmark = pytest.mark.django_db


def _upload(client, user, commune, name, data):
    client.login(username=user.username, password=PASSWORD)
    url = reverse("import_upload", args=[commune.public_id])
    return client.post(url, {"file": SimpleUploadedFile(name, data)}, follow=True)


def test_a_pdf_plan_is_read_in_the_background_and_opens_its_preview(client, office, commune):
    response = _upload(client, office, commune, "ke-hoach.pdf", pdf_from_text(SMALL_PLAN))
    plan_import = PlanImport.objects.get(commune=commune)
    assert response.redirect_chain[-1][0] == reverse("import_preview", args=[plan_import.public_id])
    assert "Số hóa hồ sơ hộ tịch" in response.content.decode()
    assert Job.objects.get(kind="plan_import_read").state == JobState.DONE


def test_a_scanned_plan_is_read_page_by_page_with_its_progress(client, office, commune):
    _upload(client, office, commune, "ke-hoach-scan.pdf", scan_of_one_page())
    job = Job.objects.get(kind="plan_import_read")
    assert job.state == JobState.DONE
    assert (job.done, job.total) == (1, 1)
    assert "trang" in job.message
    assert PlanImport.objects.filter(commune=commune).exists()


def test_a_pdf_that_cannot_be_read_fails_with_its_sentence_and_the_file_is_kept(
    client, office, commune
):
    broken = b"%PDF-1.7\n" + b"\x00garbage" * 200
    response = _upload(client, office, commune, "ke-hoach.pdf", broken)
    job = Job.objects.get(kind="plan_import_read")
    assert job.state == JobState.FAILED
    assert "PDF" in job.error and "hãy" in job.error
    assert job.error in response.content.decode()
    assert not PlanImport.objects.exists()
    with default_storage.open(job.params["path"], "rb") as kept:
        assert kept.read() == broken


def test_a_text_plan_is_still_read_at_once(client, office, commune):
    response = _upload(client, office, commune, "ke-hoach.txt", SMALL_PLAN.encode())
    assert response.status_code == 200
    assert not Job.objects.exists()
    assert PlanImport.objects.filter(commune=commune).exists()
