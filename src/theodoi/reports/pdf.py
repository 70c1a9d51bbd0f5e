"""DOCX → PDF by LibreOffice, where the server has it.

The PDF is the DOCX as LibreOffice lays it out; where Times New Roman is not installed,
fontconfig substitutes the metric-compatible Liberation Serif, so lines break where they
would in Word. The setting ``THEODOI_SOFFICE`` names the program (default: ``soffice`` or
``libreoffice`` on the PATH); a missing program is reported to the user, never a crash.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 120


class PdfUnavailable(Exception):
    """LibreOffice is not installed here, or could not convert: the message says which."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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
        raise PdfUnavailable(
            _(
                "Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF. Hãy tải bản Word "
                "(DOCX), hoặc nhờ quản trị cài gói libreoffice-writer."
            )
        )
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
