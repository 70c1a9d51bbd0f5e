"""A job's page and partial: the bar, the sentence, polling while unfinished, the file."""

from __future__ import annotations

import pytest
from django.urls import reverse

from theodoi.jobs.models import Job, JobState
from theodoi.jobs.services import job_start

from ..factories import make_user
from . import kinds  # noqa: F401  (registers the test kinds)

pytestmark = pytest.mark.django_db


def _done(owner):  # type: ignore[no-untyped-def]
    return job_start(
        kind="test_count", owner=owner, commune=None, params={"text": "nội dung", "name": "x.txt"}
    )


def test_the_owner_downloads_the_file_of_a_finished_job(client, office):
    job = _done(office)
    client.force_login(office)
    page = client.get(reverse("job", args=[job.public_id])).content.decode()
    assert reverse("job_download", args=[job.public_id]) in page
    assert "hx-trigger" not in page  # finished: no more polling
    response = client.get(reverse("job_download", args=[job.public_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == "nội dung".encode()
    assert 'filename="x.txt"' in response["Content-Disposition"]


def test_someone_else_gets_not_found_for_the_page_and_the_file(client, office, other_office):
    job = _done(office)
    client.force_login(other_office)
    assert client.get(reverse("job", args=[job.public_id])).status_code == 404
    assert client.get(reverse("job_download", args=[job.public_id])).status_code == 404


def test_a_superuser_may_look_at_anyones_job(client, office):
    job = _done(office)
    client.force_login(make_user("quantri-he-thong", superuser=True))
    assert client.get(reverse("job", args=[job.public_id])).status_code == 200


def test_an_unfinished_job_shows_its_bar_and_sentence_and_polls_every_second(client, office):
    job = Job.objects.create(
        kind="test_count", owner=office, state=JobState.RUNNING, done=2, total=5,
        message="Đang gửi thư 2/5",
    )  # fmt: skip
    client.force_login(office)
    partial = client.get(reverse("job", args=[job.public_id]), headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert "<html" not in html
    assert 'value="2" max="5"' in html
    assert "Đang gửi thư 2/5" in html
    assert 'hx-trigger="every 1s"' in html
    assert "disabled" in html
    assert client.get(reverse("job_download", args=[job.public_id])).status_code == 404
    page = client.get(reverse("job", args=[job.public_id])).content.decode()
    assert "<html" in page and "Đang gửi thư 2/5" in page


def test_a_failed_job_shows_its_sentence(client, office):
    job = job_start(kind="test_refuse", owner=office, commune=None, params={})
    client.force_login(office)
    page = client.get(reverse("job", args=[job.public_id])).content.decode()
    assert "Tệp nguồn đã bị xóa nên không tạo được bản in." in page
    assert "hx-trigger" not in page


def test_a_job_that_ends_on_a_page_redirects_there(client, office):
    job = Job.objects.create(
        kind="test_count", owner=office, state=JobState.DONE, result={"redirect": "/"}
    )
    client.force_login(office)
    assert client.get(reverse("job", args=[job.public_id])).url == "/"
    partial = client.get(reverse("job", args=[job.public_id]), headers={"HX-Request": "true"})
    assert partial["HX-Redirect"] == "/"


def test_the_admin_lists_jobs_with_their_state_and_error(client, office):
    job_start(kind="test_refuse", owner=office, commune=None, params={})
    client.force_login(make_user("quantri-he-thong", superuser=True))
    page = client.get(reverse("admin:jobs_job_changelist")).content.decode()
    assert "Tệp nguồn đã bị xóa" in page
    assert "lỗi" in page
