from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from theodoi.importer.core.deadlines import parse_deadline

YEAR = 2026


@pytest.mark.parametrize(
    ("text", "due"),
    [
        # quarters: end of that quarter
        ("Quý I/2026", "2026-03-31"),
        ("Quý 1", "2026-03-31"),
        ("Quý I năm 2026", "2026-03-31"),
        ("Quý II", "2026-06-30"),
        ("Quý III", "2026-09-30"),
        ("Quý IV", "2026-12-31"),
        ("Quý IV/2026", "2026-12-31"),
        ("Quý 1/2026", "2026-03-31"),
        ("Quý II/2026", "2026-06-30"),
        ("quý III năm 2027", "2027-09-30"),
        ("Quy II/2026", "2026-06-30"),
        ("QUÝ IV", "2026-12-31"),
        # months: end of that month
        ("Tháng 02/2026", "2026-02-28"),
        ("Tháng 01/2026", "2026-01-31"),
        ("Hoàn thành trong tháng 1 năm 2026", "2026-01-31"),
        ("tháng 3", "2026-03-31"),
        ("Tháng 02/2028", "2028-02-29"),
        # days
        ("Ngày 10/10", "2026-10-10"),
        ("Trước ngày 15/12/2026", "2026-12-15"),
        ("ngày 30 tháng 6 năm 2026", "2026-06-30"),
        ("Trước ngày 25 tháng 11", "2026-11-25"),
        # parts of the year
        ("6 tháng đầu năm", "2026-06-30"),
        ("9 tháng đầu năm 2026", "2026-09-30"),
        ("6 tháng cuối năm", "2026-12-31"),
        ("Cuối năm", "2026-12-31"),
        ("Giữa năm", "2026-06-30"),
        ("Trong năm", "2026-12-31"),
        # years
        ("Trong năm 2026", "2026-12-31"),
        ("Năm 2026", "2026-12-31"),
        ("2026", "2026-12-31"),
        ("Năm 2027", "2027-12-31"),
        ("đến năm 2030", "2030-12-31"),
        # a period of years that holds the plan year: the plan year's share
        ("Giai đoạn 2026-2030", "2026-12-31"),
        ("Giai đoạn 2026 - 2030", "2026-12-31"),
        ("giai đoạn 2027 - 2030", "2030-12-31"),
        # several dates: the latest
        ("Quý II, Quý III", "2026-09-30"),
        (
            "Quý I/2026 hoàn thành xây dựng Đề án, triển khai nhiệm vụ theo phân kỳ năm 2026 "
            "(thực hiện theo hướng dẫn của tỉnh)",
            "2026-12-31",
        ),
        ("- Sổ tay đảng viên trong quý I/2026. - Hồ sơ CBCB trong năm 2026.", "2026-12-31"),
        ("Tháng 01/2026; Quý III", "2026-09-30"),
        ("Quý II, sau khi có hướng dẫn của tỉnh", "2026-06-30"),
        # lists and ranges share one year: the last of them
        ("Quý I, II/2026", "2026-06-30"),
        ("Quý I - Quý II", "2026-06-30"),
        ("quý II và quý III năm 2026", "2026-09-30"),
        ("Tháng 3-4/2026", "2026-04-30"),
        ("tháng 3, 4 năm 2026", "2026-04-30"),
        # spreadsheet and short spellings
        ("31/03/2026", "2026-03-31"),
        ("31/03/2026 08:00", "2026-03-31"),
        ("31.12.2026", "2026-12-31"),
        ("2026-03-31", "2026-03-31"),
        ("06/2026", "2026-06-30"),
        ("Q1/2026", "2026-03-31"),
        ("Q.III", "2026-09-30"),
        # a cited document's number and date are not a deadline
        ("Phân kỳ năm 2026 theo Quyết định số 204-QĐ/TW", "2026-12-31"),
        ("Quý II theo Kế hoạch số 09-KH/ĐU ngày 15/9/2027", "2026-06-30"),
    ],
)
def test_dated_deadline_is_due_on_the_last_day_it_names(text: str, due: str) -> None:
    deadline = parse_deadline(text, YEAR)
    assert deadline["kind"] == "date"
    assert deadline["due"] == due
    assert deadline["recurrence"] is None
    assert deadline["text"] == text


@pytest.mark.parametrize(
    ("text", "recurrence"),
    [
        ("Thường xuyên", "continuous"),
        ("THƯỜNG XUYÊN", "continuous"),
        ("Thuong xuyen", "continuous"),
        ("Liên tục", "continuous"),
        ("Định kỳ", "continuous"),
        ("định kỳ 6 tháng", "continuous"),
        ("Hằng ngày", "continuous"),
        ("Hằng tuần, hạn Thứ Sáu", "weekly"),
        ("1 lần/tuần", "weekly"),
        ("hàng tuần, tháng, Quý", "weekly"),
        ("Hằng tháng", "monthly"),
        ("Hằng tháng, hạn ngày 25", "monthly"),
        ("Định kỳ hằng tháng, quý", "monthly"),
        ("hằng quý", "quarterly"),
        ("Định kỳ hằng quý", "quarterly"),
        ("Hàng quý", "quarterly"),
        ("hàng năm", "annual"),
        ("Hằng năm", "annual"),
        ("Thường xuyên, báo cáo trước 15/12", "continuous"),
    ],
)
def test_recurring_deadline_is_due_at_the_end_of_the_plan_year(text: str, recurrence: str) -> None:
    deadline = parse_deadline(text, YEAR)
    assert deadline == {
        "text": text,
        "kind": "recurring",
        "due": "2026-12-31",
        "recurrence": recurrence,
    }


@pytest.mark.parametrize(
    "text",
    [
        "Theo chỉ đạo của Sở",
        "Theo hướng dẫn của tỉnh",
        "20 ngày sau khi Tỉnh ủy ban hành",
        "Trong 15 ngày kể từ ngày 01/3/2026",
        "Sau khi có hướng dẫn của tỉnh",
        "Theo Quyết định số 204-QĐ/TW ngày 29/11/2024",
        "Khi có yêu cầu",
        "-",
    ],
)
def test_deadline_without_a_date_is_unspecified(text: str) -> None:
    deadline = parse_deadline(text, YEAR)
    assert deadline["kind"] == "unspecified"
    assert deadline["due"] is None
    assert deadline["recurrence"] is None


@pytest.mark.parametrize("text", ["", None, "   ", "<p></p>"])
def test_empty_deadline_is_unspecified_with_no_text(text: str | None) -> None:
    assert parse_deadline(text, YEAR) == {
        "text": None,
        "kind": "unspecified",
        "due": None,
        "recurrence": None,
    }


def test_deadline_text_is_cleaned_of_markup() -> None:
    deadline = parse_deadline("<p>Thường xuyên</p>", YEAR)
    assert deadline["text"] == "Thường xuyên"
    assert deadline["kind"] == "recurring"


def test_plan_year_fills_a_quarter_that_names_no_year() -> None:
    assert parse_deadline("Quý III", 2027)["due"] == "2027-09-30"
    assert parse_deadline("Thường xuyên", 2027)["due"] == "2027-12-31"


def test_impossible_month_is_not_a_date() -> None:
    assert parse_deadline("Tháng 13", YEAR)["kind"] == "unspecified"


@given(st.text(max_size=120))
def test_any_text_gives_a_well_formed_deadline(text: str) -> None:
    deadline = parse_deadline(text, YEAR)
    assert deadline["kind"] in {"date", "recurring", "unspecified"}
    if deadline["kind"] == "unspecified":
        assert deadline["due"] is None
    else:
        assert date.fromisoformat(deadline["due"])
    assert (deadline["recurrence"] is not None) == (deadline["kind"] == "recurring")
