from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from theodoi.importer.models import PlanImport
from theodoi.plans.models import Plan, PlanStatus

from ..conftest import PLANS_DIR
from ..factories import make_commune

pytestmark = pytest.mark.django_db


def test_import_saves_a_real_plan_as_the_communes_active_plan(province, capsys):
    commune = make_commune("Quyết Thắng", "phường", province)
    call_command(
        "import", str(PLANS_DIR / "quyetthang-2026.txt"), commune=commune.code, confirm_checks=True
    )
    plan = Plan.objects.get(commune=commune)
    assert plan.status == PlanStatus.ACTIVE
    assert plan.tasks.count() == 11
    assert plan.targets.count() == 13
    assert "11 nhiệm vụ" in capsys.readouterr().out


def test_import_of_an_unknown_commune_is_refused(tmp_path, db):
    with pytest.raises(CommandError, match="Không có xã/phường"):
        call_command("import", str(PLANS_DIR / "quyetthang-2026.txt"), commune="khong-co")


def test_import_of_a_corrupt_file_says_why_and_saves_nothing(commune, tmp_path):
    broken = tmp_path / "ke-hoach.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CommandError):
        call_command("import", str(broken), commune=commune.code)
    assert not PlanImport.objects.exists()
    assert not Plan.objects.exists()


def test_import_of_a_plan_without_number_asks_for_confirm_checks(commune):
    with pytest.raises(CommandError, match="--confirm-checks") as caught:
        call_command("import", str(PLANS_DIR / "quyetthang-2026.txt"), commune=commune.code)
    assert "chưa có số, ký hiệu" in str(caught.value)
    assert not Plan.objects.exists()
