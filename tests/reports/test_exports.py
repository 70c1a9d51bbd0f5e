"""What leaves the system: the upper-level package, the evidence ZIP, the plan itself."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from theodoi.plans.services import UnitResolver, plan_create_from_json
from theodoi.reports.data import build_report
from theodoi.reports.exports import plan_json, rates_xlsx, upper_sections
from theodoi.reports.ranges import ReportKind, plan_range

from ..evidence.factories import pdf_bytes
from ..factories import BASE_PLAN, make_commune
from .helpers import d, make_season

pytestmark = pytest.mark.django_db


@pytest.fixture
def season(commune):  # type: ignore[no-untyped-def]
    return make_season(commune)


def _report(season, kind=ReportKind.HALF, number=1):  # type: ignore[no-untyped-def]
    plan = season.plan
    return build_report(plan, plan_range(plan, kind, number), today=d(12, 1))


def test_the_upper_level_report_is_a_tree_of_headed_sections_with_each_units_text(season):
    sections = upper_sections(_report(season))
    assert [s.heading for s in sections] == [
        "1. Kết quả nổi bật",
        "2. Khó khăn, vướng mắc",
        "3. Nhiệm vụ tiếp theo",
    ]
    highlights, difficulties, upcoming = sections
    assert [u.unit for u in highlights.units] == ["Công an phường"]
    assert (
        highlights.units[0].lines[0] == "Hoàn thành nhiệm vụ I.1.1. Số hóa hồ sơ lĩnh vực hộ tịch"
    )
    assert difficulties.text.splitlines() == [
        "2. Khó khăn, vướng mắc",
        "Công an phường:",
        "- Thiếu máy quét tài liệu (nhiệm vụ I.1.1)",
        "- Kiến nghị: Đề nghị cấp bổ sung 01 máy quét (nhiệm vụ I.1.1)",
        "Phòng Văn hóa - Xã hội:",
        "- Thiếu kinh phí in tờ rơi (nhiệm vụ I.1.2)",
    ]
    assert "I.1.2. Tuyên truyền dịch vụ công trực tuyến" in upcoming.text


def test_the_upper_level_page_has_one_copy_button_per_section_and_no_inline_script(
    client, office, season
):
    client.force_login(office)
    url = reverse("report_upper", args=[season.plan.public_id]) + "?kind=half&number=1"
    html = client.get(url).content.decode()
    assert html.count("data-copy-target=") == 3
    assert '<textarea class="form-control form-control-sm font-monospace" id="upper-text-2"' in html
    assert "reports/copy.js" in html
    assert "<script>" not in html.replace("<script src=", "")


def test_the_rates_workbook_has_each_targets_and_tasks_rate(season):
    workbook = load_workbook(io.BytesIO(rates_xlsx(_report(season))))
    targets = list(workbook["Chỉ tiêu"].iter_rows(min_row=2, values_only=True))
    assert targets[0][0] == "1"
    assert targets[0][5] == 92 and float(targets[0][6]) == pytest.approx(102.2)
    tasks = {r[0]: r for r in workbook["Nhiệm vụ"].iter_rows(min_row=2, values_only=True)}
    assert tasks["I.1.1"][4] == 100 and tasks["I.1.2"][4] == 30
    assert workbook["Nhiệm vụ"].freeze_panes == "A2"


def _zip(client, user, season, query="?kind=half&number=1"):  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(reverse("report_evidence_zip", args=[season.plan.public_id]) + query)
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_evidence_zip_holds_only_accepted_files_and_a_manifest_of_their_hashes(
    client, office, season
):
    archive = _zip(client, office, season)
    names = archive.namelist()
    assert names == ["nhiem-vu-I.1.1/Bien-ban-nghiem-thu.pdf", "manifest.csv"]
    assert archive.read(names[0]) == pdf_bytes("Biên bản nghiệm thu")
    rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
    assert len(rows) == 1
    row = rows[0]
    assert (row["tep"], row["loai"], row["ma"]) == (names[0], "nhiệm vụ", "I.1.1")
    assert row["sha256"] == hashlib.sha256(archive.read(names[0])).hexdigest()
    assert row["sha256"] == season.accepted_file.sha256
    assert int(row["dung_luong_byte"]) == len(archive.read(names[0]))


def test_evidence_of_a_report_not_yet_counted_at_the_cut_off_is_left_out(client, office, season):
    # April's ND09 report (15/03–14/04): the accepted file belongs to April's completion,
    # sent on 05/05.
    archive = _zip(client, office, season, "?kind=month&number=4")
    assert archive.namelist() == ["manifest.csv"]


def test_the_plan_exports_as_plan_json_that_imports_back_to_the_same_plan(season, province):
    data = plan_json(season.plan)
    assert data["schema"] == "theodoi.plan/1"
    assert data["plan"]["number"] == "45/KH-UBND"
    assert data["plan"]["issued_on"] == "2026-01-15"
    assert data["plan"]["signer"] == {"name": "Đỗ Văn An", "title": "Phó Chủ tịch"}
    assert [t["code"] for t in data["tasks"]] == ["I.1", "I.1.1", "I.1.2"]
    assert data["tasks"][1]["parent"] == "I.1"
    assert data["tasks"][1]["deadline"] == {
        "text": "Quý II",
        "kind": "date",
        "due": "2026-06-30",
        "recurrence": None,
    }
    assert data["targets"][0]["upper_level"] == {
        "comparator": ">=",
        "value": 85,
        "value_text": "≥ 85%",
    }
    assert data["targets"][0]["value"] == 90 and data["targets"][1]["value"] is None
    for key in ("name", "group", "kind", "comparator", "value_text", "measure_unit"):
        assert [t[key] for t in data["targets"]] == [t[key] for t in BASE_PLAN["targets"]]
    # Imported into another commune, it exports the same tasks and targets.
    twin_commune = make_commune("Tân Phú", "phường", province)
    twin = plan_create_from_json(
        commune=twin_commune,
        plan_json=data,
        resolver=UnitResolver.for_commune(twin_commune),
        created_by=None,
    )
    again = plan_json(twin)
    assert again["tasks"] == data["tasks"]
    assert again["targets"] == data["targets"]


def test_the_plan_exports_as_a_workbook_of_targets_and_tasks(client, office, season):
    client.force_login(office)
    response = client.get(reverse("plan_export_xlsx", args=[season.plan.public_id]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Thông tin", "Chỉ tiêu", "Nhiệm vụ"]
    tasks = list(workbook["Nhiệm vụ"].iter_rows(min_row=2, values_only=True))
    assert [t[0] for t in tasks] == ["I.1", "I.1.1", "I.1.2"]
    assert tasks[1][1] == "I.1"
    json_response = client.get(reverse("plan_export_json", args=[season.plan.public_id]))
    assert json_response["Content-Type"].startswith("application/json")
    assert json_response.json()["schema"] == "theodoi.plan/1"
