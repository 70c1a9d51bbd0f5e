"""Scorecard test helpers: small workbooks written on the fly, and a published scorecard."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.contrib.auth.models import User
from openpyxl import Workbook

from theodoi.scorecards.models import Assessment, AssessmentEntry, Scorecard
from theodoi.scorecards.services import scorecard_import, scorecard_publish
from theodoi.units.models import Commune, Province

HEADINGS = [
    "Nhóm",
    "Tên nhóm",
    "Mã tiêu chí",
    "Tên tiêu chí",
    "Điểm tối đa",
    "Cách chấm",
    "Các mức điểm",
    "Điểm mỗi lần",
    "Yêu cầu minh chứng",
    "Nguồn số liệu",
    "Đơn vị thẩm định",
]

# A small scorecard tied to the test plan (tests/factories.BASE_PLAN): target "1" is
# "≥ 90% of procedures handled online", task I.1.1 is due 30/06/2026.
ROWS: list[list[object]] = [
    ["A", "Chỉ đạo", "A1", "Số cuộc họp Ban Chỉ đạo", 20, "Theo mức", "4: 20; 3: 15; 2: 10; 1: 5",
     "", "Có", "", "Sở KH&CN"],
    ["A", "", "A2", "Ban hành kế hoạch năm", 5, "Có/Không", "", "", "Có", "Nhập tay", "Sở KH&CN"],
    ["B", "Kết quả", "B1", "Tỷ lệ hồ sơ TTHC trực tuyến", 10, "Tỷ lệ", "", "", "Không",
     "target:1", "VP UBND tỉnh"],
    ["B", "", "B2", "Tỷ lệ nhiệm vụ đúng hạn", 10, "Theo mức",
     "100: 10; 90: 8; 80: 6; 70: 4; 0: 0", "", "Không", "plan_on_time_share", "Sở KH&CN"],
    ["B", "", "B3", "Tỷ lệ báo cáo đúng hạn", 10, "Theo mức",
     "100: 10; 90: 8; 80: 6; 70: 4; 0: 0", "", "Không", "reports_on_time_share", "Sở KH&CN"],
    ["B", "", "B4", "Hệ thống được phê duyệt cấp độ", 10, "Tỷ lệ", "", "", "Không", "", ""],
    ["C", "Thưởng, trừ", "C1", "Mô hình được công nhận", 10, "Điểm thưởng", "", 5, "Không", "",
     ""],
    ["C", "", "C2", "Sự cố an toàn thông tin", 10, "Điểm trừ", "", 2, "Không", "", ""],
]  # fmt: skip


def workbook_bytes(
    rows: Sequence[Sequence[object]] = ROWS,
    *,
    headings: Sequence[str] = HEADINGS,
    name: str | None = "Bộ chỉ số thử nghiệm",
    year: int | None = 2026,
    above: Sequence[Sequence[object]] = (),
    title: str = "BỘ CHỈ SỐ CHUYỂN ĐỔI SỐ CẤP XÃ",
) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([title])
    if name is not None:
        sheet.append(["Tên bộ chỉ số:", name])
    if year is not None:
        sheet.append(["Năm:", year])
    for row in above:
        sheet.append(list(row))
    sheet.append(list(headings))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_scorecard(
    province: Province,
    *,
    rows: Sequence[Sequence[object]] = ROWS,
    publish: bool = True,
    user: User | None = None,
) -> Scorecard:
    scorecard = scorecard_import(
        province=province, user=user, filename="bo-chi-so.xlsx", data=workbook_bytes(rows)
    )
    if publish:
        scorecard = scorecard_publish(scorecard=scorecard, user=user)
    return scorecard


def assessment_of(scorecard: Scorecard, commune: Commune) -> Assessment:
    return Assessment.objects.get(scorecard=scorecard, commune=commune)


def entry_of(assessment: Assessment, code: str) -> AssessmentEntry:
    return assessment.entries.select_related("criterion", "commune").get(criterion__code=code)
