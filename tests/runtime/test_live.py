"""The real thing: `theodoi serve` in production mode on PostgreSQL with a `theodoi worker`
beside it. Through HTTP only: sign in, submit a progress report with an evidence file, ask
for the PDF report and get it from the worker, read the fingerprinted static CSS."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time

import pytest

from ..evidence.factories import pdf_bytes
from ..factories import PASSWORD
from .live import (
    ROOT,
    Client,
    Response,
    as_json,
    fetch_rows,
    free_port,
    production_env,
    running,
    wait_until_healthy,
)

pytestmark = pytest.mark.runtime

SEED = """
import json
from theodoi.accounts.models import Role
from tests.factories import make_commune, make_province, make_user, unit_of
from tests.tracking_factories import make_active_plan
commune = make_commune("Hòa Phong", "phường", make_province())
plan = make_active_plan(commune)
make_user("congan", role=Role.UNIT_STAFF, commune=commune, unit=unit_of(commune, "Công an phường"))
make_user("vanphong", role=Role.STANDING_OFFICE, commune=commune,
          unit=unit_of(commune, "Phòng Văn hóa - Xã hội"))
task = plan.tasks.get(code="I.1.1")
print(json.dumps({"plan": str(plan.public_id), "task": str(task.public_id)}))
"""


def _hidden(page: Response, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page.text)
    assert found, f"no {name} field in the page"
    return found.group(1)


def _report_fields(page: Response, action: str) -> dict[str, str]:
    return {
        "status": "completed", "percent": "100", "done": "Đã đưa 100% hồ sơ lên Cổng dịch vụ công.",
        "difficulties": "", "proposals": "", "pause_reason": "",
        "version": _hidden(page, "version"), "action": action,
    }  # fmt: skip


def test_serve_and_worker_in_production_on_postgresql(live_database_url, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is missing; CI installs it for this test")
        pytest.skip("LibreOffice (soffice) is not installed here: the PDF step needs it")
    port = free_port()
    env = production_env(
        database_url=live_database_url, data_dir=tmp_path / "data", THEODOI_SOFFICE=soffice
    )
    seed = subprocess.Popen(
        [sys.executable, "-m", "theodoi", "shell", "-c", SEED],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    with (
        running("serve", "--port", str(port), env=env, log=tmp_path / "serve.log") as server,
        running("worker", "--interval", "0.2", env=env, log=tmp_path / "worker.log"),
    ):
        out, err = seed.communicate(timeout=120)
        assert seed.returncode == 0, err[-3000:]
        ids = as_json(out)
        assert isinstance(ids, dict)
        unit = Client(port)
        wait_until_healthy(unit, server, tmp_path / "serve.log")

        # The static CSS: a fingerprinted name, served by WhiteNoise, cached for long.
        login = unit.get("/login/")
        css = re.search(
            r'href="(/static/vendor/bootstrap-5\.3\.9\.min\.[0-9a-f]{12}\.css)"', login.text
        )
        assert css, login.text[:2000]
        style = unit.get(css.group(1))
        assert style.status == 200
        assert style.headers["content-type"].startswith("text/css")
        assert "max-age=315360000" in style.headers.get("cache-control", "")

        # A unit officer reports the task done, with its evidence file, and sends it.
        unit.sign_in("congan", PASSWORD)
        report_url = f"/tasks/{ids['task']}/report/"
        saved = unit.post(report_url, _report_fields(unit.get(report_url), "save"))
        assert saved.status == 302, saved.text[-2000:]
        page = unit.get(report_url)
        uploaded = unit.post_file(
            "/evidence/upload/", {"report": _hidden(page, "report"), "next": report_url},
            name="file", file_name="bien-ban-nghiem-thu.pdf", data=pdf_bytes("nghiệm thu"),
        )  # fmt: skip
        assert uploaded.status == 302, uploaded.text[-2000:]
        sent = unit.post(report_url, _report_fields(unit.get(report_url), "send"))
        assert sent.status == 302 and sent.headers["location"] == f"/tasks/{ids['task']}/"
        assert fetch_rows(
            live_database_url, "SELECT state, status, percent FROM tracking_progressreport"
        ) == [("awaiting_head", "completed", 100)]  # sent on to the unit's head
        assert fetch_rows(live_database_url, "SELECT original_name FROM evidence_evidence") == [
            ("bien-ban-nghiem-thu.pdf",)
        ]

        # The standing office asks for the PDF report: a job the worker runs.
        office = Client(port)
        office.sign_in("vanphong", PASSWORD)
        pdf_url = f"/plans/{ids['plan']}/report/pdf/?kind=month&number=3"
        asked = office.get(pdf_url)
        assert asked.status == 302 and asked.headers["location"].startswith("/jobs/")
        job_url = asked.headers["location"]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            progress = office.get(job_url)
            assert progress.status == 200
            if "data-job-download" in progress.text or "data-job-error" in progress.text:
                break
            time.sleep(0.5)
        download = re.search(r'href="(/jobs/[0-9a-f-]+/download)"', progress.text)
        assert download, progress.text[-2000:]
        pdf = office.get(download.group(1))
        assert pdf.status == 200 and pdf.body.startswith(b"%PDF")
        # Asked again, unchanged: the same PDF at once, no second conversion.
        again = office.get(pdf_url)
        assert again.status == 200 and again.body == pdf.body
        jobs = "SELECT count(*) FROM jobs_job WHERE owner_id IS NOT NULL"
        assert fetch_rows(live_database_url, jobs) == [(1,)]
        # Someone else may not see the office's job.
        assert unit.get(job_url).status == 404
