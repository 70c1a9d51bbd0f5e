from __future__ import annotations

import io
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from theodoi.evidence.services import evidence_storage_name

from ..factories import unit_of
from ..tracking_factories import make_active_plan, make_report, task_of
from .factories import add_file, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence(commune, police):  # type: ignore[no-untyped-def]
    plan = make_active_plan(commune)
    report = make_report(task_of(plan, "I.1.1"), unit_of(commune, "Công an phường"), police)
    return add_file(police, report=report)


def run_check(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("check", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def orphan_left_by_a_crash(commune, *, minutes_ago: int) -> str:  # type: ignore[no-untyped-def]
    """What a process killed between writing the file and creating its record leaves behind."""
    name = default_storage.save(
        evidence_storage_name(commune.code, ".pdf"), ContentFile(pdf_bytes())
    )
    then = time.time() - minutes_ago * 60
    os.utime(default_storage.path(name), (then, then))
    return name


def test_a_store_matching_its_records_has_no_problems(evidence):
    out, err = run_check()
    assert "1 tệp có bản ghi" in out
    assert "không có vấn đề" in out
    assert err == ""


def test_a_file_left_without_its_record_is_listed_and_cleaned(commune, evidence):
    orphan = orphan_left_by_a_crash(commune, minutes_ago=90)
    out, _ = run_check()
    assert "Tệp mồ côi" in out and orphan in out
    assert default_storage.exists(orphan)  # listing alone deletes nothing

    out, _ = run_check("--clean")
    assert f"đã xóa  {orphan}" in out
    assert not default_storage.exists(orphan)
    assert default_storage.exists(evidence.file.name)  # recorded files are never touched


def test_an_upload_in_progress_is_never_cleaned(commune):
    fresh = orphan_left_by_a_crash(commune, minutes_ago=2)
    out, _ = run_check("--clean")
    assert "giữ lại" in out
    assert default_storage.exists(fresh)
    run_check("--clean", "--min-age-minutes", "1")
    assert not default_storage.exists(fresh)


def test_a_record_whose_file_is_missing_fails_the_check(evidence):
    default_storage.delete(evidence.file.name)
    with pytest.raises(CommandError) as caught:
        run_check()
    assert caught.value.returncode != 0
    assert "bản ghi mất tệp" in str(caught.value)


def test_the_missing_file_is_named_in_the_output(evidence):
    default_storage.delete(evidence.file.name)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check", stdout=io.StringIO(), stderr=err)
    assert f"Bản ghi mất tệp: minh chứng {evidence.public_id}" in err.getvalue()


def test_a_file_altered_after_upload_fails_the_check(evidence):
    with open(default_storage.path(evidence.file.name), "ab") as handle:
        handle.write(b"tampered")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check", "--clean", stdout=io.StringIO(), stderr=err)
    assert "Tệp bị thay đổi" in err.getvalue()
    assert default_storage.exists(evidence.file.name)  # --clean never deletes evidence


def test_djangos_system_checks_still_run_first(db):
    out, err = run_check("--deploy", "--fail-level", "CRITICAL")
    assert "System check identified" in out + err
    assert "Kho minh chứng" in out


@pytest.fixture
def scorecard_file(province, commune, office):  # type: ignore[no-untyped-def]
    from theodoi.scorecards.services import entry_evidence_add_file

    from ..scorecards.helpers import assessment_of, entry_of, make_scorecard

    entry = entry_of(assessment_of(make_scorecard(province), commune), "A1")
    data = pdf_bytes("Biên bản họp BCĐ")
    return entry_evidence_add_file(
        entry=entry, user=office, filename="bien-ban.pdf", fileobj=io.BytesIO(data), size=len(data)
    )


def test_scorecard_files_are_checked_too_a_tampered_one_and_an_orphan_are_reported(
    scorecard_file,
):
    out, err = run_check()
    assert "1 tệp có bản ghi" in out and err == ""

    path = default_storage.path(scorecard_file.file.name)
    with open(path, "ab") as handle:
        handle.write(b"sua lai")
    orphan = default_storage.save("scorecards/hoa-phong/2026/mo-coi.pdf", ContentFile(b"%PDF-"))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("check", stdout=out, stderr=err)
    assert orphan in out.getvalue()
    assert "Tệp bị thay đổi" in err.getvalue() and scorecard_file.file.name in err.getvalue()
