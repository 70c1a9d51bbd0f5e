"""Build the demo's sample scorecard, ``data/sample-scorecard.xlsx``, from the data below.

The scorecard is written for this project (fictional tỉnh Lâm Viên, the demo's province): its
own criteria, laid out as provinces lay theirs out — title lines, one heading row, group
headings as rows of their own ("I | Nhận thức số ..."), one row per criterion. It uses every
scoring kind: yes / no, bands (meetings held; share of tasks done on time), ratio, a bonus
and deductions; four criteria draw their figure from the system (targets "4", "6" and "10"
of the demo plan, the plan's on-time share, the reports' on-time share).

Run it after editing the data::

    .venv/bin/python -m theodoi.scorecards.build_sample
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from theodoi.lib.spreadsheet import workbook_bytes

HERE = Path(__file__).resolve().parent
TARGET = HERE / "data" / "sample-scorecard.xlsx"

NAME = "Bộ chỉ số đánh giá chuyển đổi số cấp xã tỉnh Lâm Viên năm 2026 (bản mẫu)"
YEAR = 2026

HEADINGS = [
    "Nhóm",
    "Mã tiêu chí",
    "Tên tiêu chí",
    "Đơn vị tính",
    "Điểm tối đa",
    "Cách chấm",
    "Các mức điểm",
    "Điểm mỗi lần",
    "Yêu cầu minh chứng",
    "Nguồn số liệu",
    "Đơn vị thẩm định",
    "Hướng dẫn chấm",
]
WIDTHS = [8, 10, 52, 12, 10, 13, 26, 10, 12, 22, 24, 48]

SKKHCN = "Sở Khoa học và Công nghệ"
VP_UBND = "Văn phòng UBND tỉnh"
CONG_AN = "Công an tỉnh"
SHARE_BANDS = "100: 10; 90: 8; 80: 6; 70: 4; 0: 0"

# A group heading: (group code, name, subtotal). A criterion: the HEADINGS' columns from
# "Mã tiêu chí" on.
ROWS: list[tuple[object, ...]] = [
    ("I", "Nhận thức số, chỉ đạo và điều hành", 25),
    (
        "1.1",
        "Ban hành Kế hoạch chuyển đổi số năm 2026 của xã/phường đúng thời hạn của tỉnh",
        "",
        5,
        "Có/Không",
        "",
        "",
        "Có",
        "Nhập tay",
        SKKHCN,
        "Có kế hoạch ban hành trước ngày 31/01/2026: 5 điểm; không có hoặc ban hành sau: 0 điểm.",
    ),
    (
        "1.2",
        "Số cuộc họp Ban Chỉ đạo chuyển đổi số xã/phường trong năm",
        "cuộc họp",
        20,
        "Theo mức",
        "4: 20; 3: 15; 2: 10; 1: 5",
        "",
        "Có",
        "Nhập tay",
        SKKHCN,
        "Từ 4 cuộc họp: 20 điểm; 3 cuộc: 15; 2 cuộc: 10; 1 cuộc: 5; không họp: 0. "
        "Minh chứng: thông báo kết luận cuộc họp.",
    ),
    ("II", "Chính quyền số", 40),
    (
        "2.1",
        "Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến",
        "%",
        10,
        "Tỷ lệ",
        "",
        "",
        "Không",
        "target:4",
        VP_UBND,
        "Điểm = tỷ lệ × 10, tối đa 10. Lấy giá trị đã được thẩm định của chỉ tiêu số 4 "
        "trong kế hoạch của xã/phường.",
    ),
    (
        "2.2",
        "Tỷ lệ nhiệm vụ trong kế hoạch chuyển đổi số hoàn thành đúng hạn",
        "%",
        10,
        "Theo mức",
        SHARE_BANDS,
        "",
        "Không",
        "plan_on_time_share",
        SKKHCN,
        "Trong số nhiệm vụ đã đến hạn: 100% đúng hạn: 10 điểm; 90% đến dưới 100%: 8; "
        "80% đến dưới 90%: 6; 70% đến dưới 80%: 4; dưới 70%: 0. Hệ thống tự tính.",
    ),
    (
        "2.3",
        "Tỷ lệ báo cáo tiến độ định kỳ được gửi đúng hạn",
        "%",
        10,
        "Theo mức",
        SHARE_BANDS,
        "",
        "Không",
        "reports_on_time_share",
        SKKHCN,
        "Các báo cáo của đơn vị chủ trì trong các kỳ đã hết hạn. Hệ thống tự tính.",
    ),
    (
        "2.4",
        "Tỷ lệ văn bản đi được ký số (trừ văn bản mật)",
        "%",
        10,
        "Tỷ lệ",
        "",
        "",
        "Không",
        "target:6",
        VP_UBND,
        "Điểm = tỷ lệ × 10, tối đa 10 (chỉ tiêu số 6 của kế hoạch).",
    ),
    ("III", "Kinh tế số và xã hội số", 25),
    (
        "3.1",
        "Tỷ lệ người dân trưởng thành có tài khoản định danh điện tử mức 2",
        "%",
        10,
        "Theo mức",
        "95: 10; 90: 8; 80: 5; 0: 0",
        "",
        "Không",
        "target:10",
        CONG_AN,
        "Từ 95%: 10 điểm; 90% đến dưới 95%: 8; 80% đến dưới 90%: 5; dưới 80%: 0 "
        "(chỉ tiêu số 10 của kế hoạch).",
    ),
    (
        "3.2",
        "Số lớp “Bình dân học vụ số” tổ chức cho người dân",
        "lớp",
        10,
        "Theo mức",
        "12: 10; 8: 7; 4: 4; 1: 2",
        "",
        "Có",
        "Nhập tay",
        SKKHCN,
        "Từ 12 lớp: 10 điểm; 8–11 lớp: 7; 4–7 lớp: 4; 1–3 lớp: 2. "
        "Minh chứng: danh sách học viên, hình ảnh lớp học.",
    ),
    (
        "3.3",
        "Tổ công nghệ số cộng đồng hoạt động ở 100% thôn, tổ dân phố",
        "",
        5,
        "Có/Không",
        "",
        "",
        "Có",
        "Nhập tay",
        SKKHCN,
        "Có quyết định thành lập và báo cáo hoạt động của tất cả các tổ: 5 điểm.",
    ),
    ("IV", "Hạ tầng số và an toàn thông tin", 10),
    (
        "4.1",
        "Tỷ lệ hệ thống thông tin của xã/phường được phê duyệt hồ sơ cấp độ an toàn thông tin",
        "%",
        10,
        "Tỷ lệ",
        "",
        "",
        "Có",
        "Nhập tay",
        CONG_AN,
        "Điểm = số hệ thống đã được phê duyệt / tổng số hệ thống × 10. "
        "Minh chứng: quyết định phê duyệt hồ sơ cấp độ.",
    ),
    ("V", "Điểm thưởng, điểm trừ", ""),
    (
        "5.1",
        "Mô hình, sáng kiến chuyển đổi số được cấp tỉnh công nhận",
        "mô hình",
        10,
        "Điểm thưởng",
        "",
        5,
        "Có",
        "Nhập tay",
        SKKHCN,
        "Cộng 5 điểm cho mỗi mô hình, sáng kiến; tối đa 10 điểm.",
    ),
    (
        "5.2",
        "Sự cố mất an toàn thông tin do chủ quan của xã/phường",
        "sự cố",
        10,
        "Điểm trừ",
        "",
        2,
        "Không",
        "Nhập tay",
        CONG_AN,
        "Trừ 2 điểm cho mỗi sự cố đã được cơ quan chức năng xác định; trừ tối đa 10 điểm.",
    ),
    (
        "5.3",
        "Báo cáo gửi tỉnh chậm so với thời hạn yêu cầu",
        "lần",
        5,
        "Điểm trừ",
        "",
        1,
        "Không",
        "Nhập tay",
        VP_UBND,
        "Trừ 1 điểm cho mỗi lần chậm; trừ tối đa 5 điểm.",
    ),
]

GUIDE = [
    "Cách ghi bộ chỉ số để nhập vào hệ thống",
    "",
    "Dòng tiêu đề nhóm: ghi mã nhóm (I, II, ...) ở cột Nhóm và tên nhóm ở cột Tên tiêu chí; "
    "để trống Cách chấm.",
    "Cách chấm: Tỷ lệ (tử số / mẫu số × điểm tối đa, không vượt điểm tối đa); Theo mức "
    "(các mức “ngưỡng: điểm”, ngưỡng tính từ giá trị đó trở lên); Có/Không; Điểm thưởng; "
    "Điểm trừ (điểm mỗi lần × số lần, không vượt điểm tối đa).",
    "Nguồn số liệu: Nhập tay (hoặc để trống); target:<mã chỉ tiêu hoặc mã chỉ số dùng chung> "
    "lấy giá trị đã được thẩm định của chỉ tiêu trong kế hoạch của xã; plan_on_time_share "
    "(tỷ lệ nhiệm vụ hoàn thành đúng hạn); reports_on_time_share (tỷ lệ báo cáo đúng hạn).",
    "Yêu cầu minh chứng: Có hoặc Không.",
]

BOLD = Font(bold=True)
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP = Alignment(wrap_text=True, vertical="top")


def build() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Bộ chỉ số"
    sheet.append(["BỘ CHỈ SỐ ĐÁNH GIÁ MỨC ĐỘ CHUYỂN ĐỔI SỐ CẤP XÃ"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(["Tên bộ chỉ số:", "", NAME])
    sheet.append(["Năm:", "", YEAR])
    sheet.append([])
    sheet.append(HEADINGS)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for row in ROWS:
        if len(row) == 3:
            code, name, subtotal = row
            sheet.append([code, "", name, "", subtotal])
            for cell in sheet[sheet.max_row]:
                cell.font = BOLD
                cell.fill = GROUP_FILL
        else:
            sheet.append(["", *row])
        for cell in sheet[sheet.max_row]:
            cell.border = BOX
            cell.alignment = WRAP
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)

    guide = book.create_sheet("Hướng dẫn")
    for line in GUIDE:
        guide.append([line])
    guide["A1"].font = BOLD
    guide.column_dimensions["A"].width = 120
    for cell in guide["A"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    # A fixed date: rebuilding without changes gives the same content.
    book.properties.created = book.properties.modified = dt.datetime(2026, 1, 5, 8, 0)
    return workbook_bytes(book)


def main() -> None:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(build())
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
