"""Reading a scorecard from its workbook: the sample, other layouts, and every problem named."""

from __future__ import annotations

from decimal import Decimal

import pytest

from theodoi.scorecards import scoring
from theodoi.scorecards.demo import SAMPLE
from theodoi.scorecards.scoring import Figure
from theodoi.scorecards.workbook import WorkbookError, read_scorecard

from .helpers import HEADINGS, ROWS, workbook_bytes

D = Decimal


@pytest.fixture(scope="module")
def sample():  # type: ignore[no-untyped-def]
    return read_scorecard(SAMPLE.read_bytes())


def _criterion(sample, code):  # type: ignore[no-untyped-def]
    return next(c for c in sample.criteria if c.code == code)


def _score(sample, code, **figure):  # type: ignore[no-untyped-def]
    return scoring.score(_criterion(sample, code).rule, Figure(**figure))


def test_the_sample_scorecard_reads_with_its_groups_criteria_and_year(sample):
    assert sample.year == 2026
    assert "Lâm Viên" in sample.name
    assert [g.code for g in sample.groups] == ["I", "II", "III", "IV", "V"]
    assert [c.code for c in sample.criteria] == [
        "1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "4.1", "5.1", "5.2", "5.3",
    ]  # fmt: skip
    assert {c.kind for c in sample.criteria} == set(scoring.KINDS)
    base = sum(c.max_points for c in sample.criteria if c.kind in scoring.BASE_KINDS)
    assert base == 100
    assert _criterion(sample, "2.2").source == "plan_on_time_share"
    assert _criterion(sample, "2.1").source == "target:4"
    assert _criterion(sample, "1.1").source == ""  # "Nhập tay"
    assert _criterion(sample, "1.2").evidence_required
    assert not _criterion(sample, "2.1").evidence_required
    assert ("code", "Mã tiêu chí") in sample.columns


@pytest.mark.parametrize(
    ("meetings", "points"), [(5, "20"), (4, "20"), (3, "15"), (2, "10"), (1, "5"), (0, "0")]
)
def test_the_sample_scores_meetings_of_the_steering_committee_at_each_edge(
    sample, meetings, points
):
    assert _score(sample, "1.2", value=D(meetings)) == D(points)


@pytest.mark.parametrize(
    ("percent", "points"),
    [("100", "10"), ("99.5", "8"), ("90", "8"), ("89.9", "6"), ("80", "6"), ("79.9", "4"),
     ("70", "4"), ("69.9", "0")],
)  # fmt: skip
def test_the_sample_scores_the_share_of_tasks_done_on_time_at_each_edge(sample, percent, points):
    assert _score(sample, "2.2", value=D(percent)) == D(points)


@pytest.mark.parametrize(
    ("percent", "points"), [("95", "10"), ("94.9", "8"), ("90", "8"), ("89.9", "5"), ("80", "5"),
                            ("79.9", "0")],
)  # fmt: skip
def test_the_sample_scores_electronic_identity_at_each_edge(sample, percent, points):
    assert _score(sample, "3.1", value=D(percent)) == D(points)


@pytest.mark.parametrize(
    ("classes", "points"),
    [(12, "10"), (11, "7"), (8, "7"), (7, "4"), (4, "4"), (3, "2"), (1, "2"), (0, "0")],
)
def test_the_sample_scores_digital_literacy_classes_at_each_edge(sample, classes, points):
    assert _score(sample, "3.2", value=D(classes)) == D(points)


def test_the_sample_scores_its_ratio_yes_no_bonus_and_deductions_by_hand(sample):
    assert _score(sample, "4.1", numerator=D(2), denominator=D(3)) == D("6.67")
    assert _score(sample, "4.1", numerator=D(3), denominator=D(3)) == D(10)
    assert _score(sample, "2.1", value=D("87.5")) == D("8.75")  # 87,5 % × 10
    assert _score(sample, "1.1", yes=True) == D(5)
    assert _score(sample, "3.3", yes=False) == D(0)
    assert _score(sample, "5.1", value=D(1)) == D(5)
    assert _score(sample, "5.1", value=D(3)) == D(10)  # capped at +10
    assert _score(sample, "5.2", value=D(2)) == D(-4)
    assert _score(sample, "5.2", value=D(6)) == D(-10)  # capped at −10
    assert _score(sample, "5.3", value=D(3)) == D(-3)


def test_groups_named_in_a_column_of_each_row_are_read_too():
    data = read_scorecard(workbook_bytes())
    assert [(g.code, g.name) for g in data.groups] == [
        ("A", "Chỉ đạo"),
        ("B", "Kết quả"),
        ("C", "Thưởng, trừ"),
    ]
    assert [c.group_code for c in data.criteria[:3]] == ["A", "A", "B"]
    assert data.name == "Bộ chỉ số thử nghiệm"


def test_columns_are_found_by_their_headings_in_any_order_and_other_columns_ignored():
    order = [3, 2, 0, 1, 5, 4, 6, 7, 8, 9, 10]
    headings = [HEADINGS[i] for i in order] + ["Ghi chú nội bộ"]
    headings[headings.index("Điểm tối đa")] = "ĐIỂM TỐI ĐA"
    headings[headings.index("Cách chấm")] = "Cách tính điểm"
    rows = [[row[i] for i in order] + ["không đọc"] for row in ROWS]
    data = read_scorecard(workbook_bytes(rows, headings=headings))
    assert [c.code for c in data.criteria] == [row[2] for row in ROWS]
    assert data.criteria[0].max_points == 20
    assert data.criteria[0].kind == scoring.BANDS


def test_without_name_and_year_lines_the_title_gives_both():
    data = read_scorecard(
        workbook_bytes(year=None, name=None, title="BỘ CHỈ SỐ CHUYỂN ĐỔI SỐ CẤP XÃ NĂM 2027")
    )
    assert data.year == 2027
    assert data.name == "BỘ CHỈ SỐ CHUYỂN ĐỔI SỐ CẤP XÃ NĂM 2027"
    assert read_scorecard(workbook_bytes(year=None)).year is None


def test_every_problem_is_listed_with_its_row_number():
    rows = [
        ["A", "Chỉ đạo", "A1", "Họp", 20, "Theo sao", "", "", "Có", "", ""],
        ["A", "", "A2", "Kế hoạch", "năm", "Có/Không", "", "", "Có", "", ""],
        ["A", "", "A3", "Họp", 10, "Theo mức", "4: 20; 3: 15", "", "Có", "", ""],
        ["A", "", "A3", "Trùng mã", 5, "Có/Không", "", "", "Có", "", ""],
        ["B", "Kết quả", "B1", "Tỷ lệ", 10, "Tỷ lệ", "", "", "Có", "chỉ tiêu 4", ""],
        ["B", "", "B2", "Họp", 10, "Theo mức", "", "", "Có", "", ""],
        ["B", "", "B3", "Minh chứng", 10, "Có/Không", "", "", "hay", "", ""],
        ["B", "", "B4", "Thưởng", 10, "Điểm thưởng", "", "", "Có", "plan_on_time_share", ""],
    ]
    with pytest.raises(WorkbookError) as caught:
        read_scorecard(workbook_bytes(rows))
    problems = [str(p) for p in caught.value.problems]
    header_row = 4  # title, name, year, then the headings
    first = header_row + 1
    assert problems == [
        f"Dòng {first}: Cách chấm “Theo sao” không rõ; ghi một trong: Tỷ lệ, Theo mức, "
        "Có/Không, Điểm thưởng, Điểm trừ.",
        f"Dòng {first + 1}: Điểm tối đa “năm” không phải là số.",
        f"Dòng {first + 2}: Có mức điểm lớn hơn điểm tối đa (hoặc nhỏ hơn 0).",
        f"Dòng {first + 3}: Mã tiêu chí “A3” trùng với dòng {first + 2}.",
        f"Dòng {first + 4}: Nguồn số liệu “chỉ tiêu 4” không hợp lệ: để trống (nhập tay), hoặc "
        "ghi target:<mã chỉ tiêu>, plan_on_time_share, reports_on_time_share.",
        f"Dòng {first + 5}: Tiêu chí chấm theo mức cần các mức điểm, ví dụ “4: 20; 3: 15; 2: 10; "
        "1: 5”.",
        f"Dòng {first + 6}: Cột yêu cầu minh chứng ghi “hay”; hãy ghi Có hoặc Không.",
        f"Dòng {first + 7}: Điểm thưởng và điểm trừ được nhập tay, không lấy từ hệ thống.",
    ]


def test_a_criterion_before_any_group_and_a_group_without_criteria_are_refused():
    headings = [h for h in HEADINGS if h not in ("Nhóm", "Tên nhóm")]
    rows = [
        ["1", "Họp", 20, "Theo mức", "4: 20", "", "Có", "", ""],
        ["I", "Nhóm một", "", "", "", "", "", "", ""],
        ["II", "Nhóm hai", "", "", "", "", "", "", ""],
        ["2", "Kế hoạch", 5, "Có/Không", "", "", "Có", "", ""],
    ]
    with pytest.raises(WorkbookError) as caught:
        read_scorecard(workbook_bytes(rows, headings=headings))
    problems = [str(p) for p in caught.value.problems]
    assert problems[0].startswith("Dòng 5: Tiêu chí không thuộc nhóm nào")
    assert problems[1] == "Dòng 6: Nhóm “Nhóm một” không có tiêu chí nào."


def test_a_sheet_without_the_heading_row_names_the_columns_it_needs():
    with pytest.raises(WorkbookError) as caught:
        read_scorecard(workbook_bytes(headings=["STT", "Nội dung", "Điểm"]))
    assert "Mã tiêu chí, Tên tiêu chí, Điểm tối đa, Cách chấm" in str(caught.value.problems[0])


def test_a_file_that_is_not_a_workbook_is_refused_in_one_sentence():
    with pytest.raises(WorkbookError) as caught:
        read_scorecard(b"%PDF-1.7 not a workbook")
    assert str(caught.value.problems[0]).startswith("Tệp không phải là bảng tính Excel")
    with pytest.raises(WorkbookError) as caught:
        read_scorecard(b"PK\x03\x04broken zip")
    assert "Không mở được bảng tính" in str(caught.value.problems[0])
