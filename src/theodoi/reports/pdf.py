"""DOCX → PDF by LibreOffice, where the server has it.

The PDF is the DOCX as LibreOffice lays it out; where Times New Roman is not installed,
fontconfig substitutes the metric-compatible Liberation Serif, so lines break where they
would in Word. The setting ``THEODOI_SOFFICE`` names the program (default: ``soffice`` or
``libreoffice`` on the PATH); a missing program is reported to the user, never a crash.
A conversion takes seconds, so the pages run it as a background job (``report_pdf_start``).
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from theodoi.jobs.models import Job
from theodoi.jobs.services import job_start
from theodoi.units.models import Commune

TIMEOUT_SECONDS = 120
# The job kind (reports/job_kinds.py) that runs docx_to_pdf in the worker.
PDF_JOB = "report_pdf"


class PdfUnavailable(Exception):
    """LibreOffice is not installed here, or could not convert: the message says which."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @classmethod
    def missing(cls) -> PdfUnavailable:
        return cls(
            _(
                "Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF. Hãy tải bản Word "
                "(DOCX), hoặc nhờ quản trị cài gói libreoffice-writer."
            )
        )


def soffice_path() -> str | None:
    """The LibreOffice program to run, or None when there is none."""
    configured = getattr(settings, "THEODOI_SOFFICE", "") or ""
    if configured:
        found = shutil.which(configured)
        return found if found and Path(found).exists() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    return soffice_path() is not None


def docx_to_pdf(data: bytes) -> bytes:
    """The PDF of ``data`` (a DOCX). Raises ``PdfUnavailable``."""
    program = soffice_path()
    if program is None:
        raise PdfUnavailable.missing()
    with tempfile.TemporaryDirectory(prefix="theodoi-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "bao-cao.docx"
        source.write_bytes(data)
        # A profile of its own: two conversions at once must not share (and lock) one.
        profile = (folder / "profile").as_uri()
        try:
            subprocess.run(
                [
                    program,
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(folder),
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
            )
        except (OSError, subprocess.SubprocessError):
            raise PdfUnavailable(
                _("LibreOffice không chuyển được báo cáo sang PDF. Hãy tải bản Word (DOCX).")
            ) from None
        target = folder / "bao-cao.pdf"
        if not target.exists():
            raise PdfUnavailable(
                _("LibreOffice không chuyển được báo cáo sang PDF. Hãy tải bản Word (DOCX).")
            )
        return target.read_bytes()


def docx_content_sha256(data: bytes) -> str:
    """SHA-256 of a DOCX's content: its parts' names and bytes, not the ZIP's timestamps
    (which make two saves of the same document differ byte for byte)."""
    digest = hashlib.sha256()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in sorted(archive.namelist()):
                part = archive.read(name)
                digest.update(f"{name}\0{len(part)}\0".encode())
                digest.update(part)
    except zipfile.BadZipFile:
        return hashlib.sha256(data).hexdigest()
    return digest.hexdigest()


def report_pdf_start(*, owner: User, commune: Commune, docx: bytes, file_name: str) -> Job:
    """The job turning ``docx`` into a PDF in the background, shared by every request for the
    same DOCX content (keyed by its SHA-256): a second download of unchanged content is the
    first one's file, with no LibreOffice run."""
    digest = docx_content_sha256(docx)
    source = f"jobs/input/{digest}.docx"
    if not default_storage.exists(source):
        default_storage.save(source, ContentFile(docx))
    return job_start(
        kind=PDF_JOB,
        owner=owner,
        commune=commune,
        params={"docx": source, "file_name": file_name},
        dedupe_key=f"sha256:{digest}",
    )
