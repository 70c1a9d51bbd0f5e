"""`theodoi worker` processes run the jobs queued in the database, each job once."""

from __future__ import annotations

import subprocess
import sys

from .live import ROOT, clean_env, fetch_rows, theodoi

FAKE_SOFFICE = """#!/bin/sh
# Stands in for LibreOffice: writes a PDF named like the DOCX into --outdir, logs the run.
while [ $# -gt 0 ]; do
  case "$1" in --outdir) out="$2"; shift ;; *) src="$1" ;; esac
  shift
done
sleep 0.1
echo "$src" >> "{log}"
printf '%%PDF-1.4 fake\\n' > "$out/$(basename "$src" .docx).pdf"
"""

QUEUE_JOBS = """
import json
from theodoi.reports.pdf import report_pdf_start
jobs = [
    report_pdf_start(owner=None, commune=None, docx=f"bao cao {n}".encode(), file_name=f"{n}.pdf")
    for n in range(4)
]
print(json.dumps([str(job.public_id) for job in jobs]))
"""


def test_two_workers_share_the_queue_and_run_every_job_exactly_once(live_database_url, tmp_path):
    runs = tmp_path / "soffice-runs.log"
    soffice = tmp_path / "soffice"
    soffice.write_text(FAKE_SOFFICE.replace("{log}", str(runs)))
    soffice.chmod(0o755)
    env = clean_env(
        DATABASE_URL=live_database_url,
        THEODOI_DATA_DIR=str(tmp_path / "data"),
        THEODOI_SOFFICE=str(soffice),
    )
    fetch_rows(live_database_url, "DELETE FROM jobs_job")
    theodoi("shell", "-c", QUEUE_JOBS, env=env)
    assert fetch_rows(live_database_url, "SELECT state, count(*) FROM jobs_job GROUP BY state") == [
        ("queued", 4)
    ]

    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "theodoi", "worker", "--batch", "--interval", "0"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=120)[0].decode(errors="replace") for worker in workers]
    assert all(worker.returncode == 0 for worker in workers), outputs

    states = fetch_rows(live_database_url, "SELECT state, count(*) FROM jobs_job GROUP BY state")
    assert states == [("done", 4)], outputs
    assert len(runs.read_text().splitlines()) == 4  # LibreOffice ran once per job, never twice
    files = fetch_rows(live_database_url, "SELECT result_name FROM jobs_job ORDER BY result_name")
    assert [name for (name,) in files] == [f"{n}.pdf" for n in range(4)]
