"""The province office's report on its communes: the province dashboard's figures, ranked."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from theodoi.accounts.models import Role
from theodoi.dashboards.province import province_overview
from theodoi.reports.province import build_province_report, province_docx

from ..factories import make_commune, make_province, make_user
from ..tracking_factories import make_active_plan
from .helpers import d, make_season

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes(commune, other_commune, province):  # type: ignore[no-untyped-def]
    make_season(commune)  # Hòa Phong: 1 of 2 tasks done
    make_active_plan(other_commune)  # Tân Hòa: nothing done
    return make_commune("Núi Xanh", "xã", province)  # no plan yet


def test_the_province_report_ranks_communes_with_the_dashboards_figures(communes, province):
    today = d(7, 1)
    report = build_province_report(province, year=2026, today=today)
    doc = Document(io.BytesIO(province_docx(report)))
    assert [p.text for p in doc.tables[0].cell(0, 0).paragraphs if p.text] == [
        "UBND TỈNH LÂM VIÊN",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    ]
    annex = doc.tables[-1]
    rows = [[c.text for c in r.cells] for r in annex.rows[1:]]
    assert [r[:5] for r in rows] == [
        ["1", "phường Hòa Phong", "2", "1", "50%"],
        ["2", "xã Tân Hòa", "2", "0", "0%"],
        ["", "xã Núi Xanh", "Chưa có kế hoạch", "", ""],
    ]
    dashboard = {r.commune.pk: r for r in province_overview(province, year=2026, today=today).rows}
    for row in report.rows:
        same = dashboard[row.commune.pk]
        assert (row.tasks_done, row.tasks_total, row.warnings_total, row.targets_met) == (
            same.tasks_done,
            same.tasks_total,
            same.warnings_total,
            same.targets_met,
        )
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "2/3 xã, phường của tỉnh Lâm Viên có kế hoạch" in text
    assert "Chưa có kế hoạch đang thực hiện: xã Núi Xanh." in text


def test_only_the_provinces_officers_download_it(client, communes, province, office):
    url = reverse("province_report_xlsx", args=[province.code]) + "?year=2026"
    client.force_login(office)
    assert client.get(url).status_code == 404
    elsewhere = make_user("so-khac", role=Role.PROVINCE_OFFICER, province=make_province("Khác"))
    client.force_login(elsewhere)
    assert client.get(url).status_code == 404
    officer = make_user("so-lamvien", role=Role.PROVINCE_OFFICER, province=province)
    client.force_login(officer)
    response = client.get(url)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Xếp hạng"]
    assert sheet.freeze_panes == "A2"
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert values[0][:6] == (1, "phường Hòa Phong", "45/KH-UBND", 2, 1, 50)
    docx = client.get(reverse("province_report_docx", args=[province.code]) + "?year=2026")
    assert docx.status_code == 200
