"""Scorecard services: import all or nothing, edit in draft, publish, self-assessment,
evidence, appraisal and explanation; each with the rules it owns."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from theodoi.accounts.models import Role
from theodoi.alerts.models import Notification
from theodoi.audit.models import AuditEntry
from theodoi.scorecards import queries
from theodoi.scorecards.models import (
    Assessment,
    AssessmentEntry,
    Criterion,
    CriterionEvidence,
    EntryStatus,
    Scorecard,
    ScorecardStatus,
)
from theodoi.scorecards.services import (
    EntryInput,
    ScorecardError,
    StaleEntry,
    assessment_ensure,
    criterion_delete,
    criterion_save,
    entry_appraise,
    entry_evidence_add_document,
    entry_evidence_add_file,
    entry_evidence_withdraw,
    entry_explain,
    entry_save,
    scorecard_import,
    scorecard_publish,
)
from theodoi.scorecards.workbook import CriterionData, WorkbookError

from ..evidence.factories import EXE, pdf_bytes
from ..factories import make_commune, make_province, make_user, unit_of
from ..tracking_factories import make_active_plan
from .helpers import ROWS, assessment_of, entry_of, make_scorecard, workbook_bytes

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = dt.date(2026, 7, 15)


@pytest.fixture
def scorecard(province, commune, other_commune, province_officer):  # type: ignore[no-untyped-def]
    return make_scorecard(province, user=province_officer)


@pytest.fixture
def assessment(scorecard, commune):  # type: ignore[no-untyped-def]
    return assessment_of(scorecard, commune)


def _save(entry, user, **fields):  # type: ignore[no-untyped-def]
    fields.setdefault("status", EntryStatus.IN_PROGRESS)
    entry.refresh_from_db()
    return entry_save(entry=entry, user=user, data=EntryInput(**fields), version=entry.version)


def _line(assessment, code):  # type: ignore[no-untyped-def]
    card = queries.assessment_card(assessment, today=TODAY)
    return next(line for line in card.lines if line.criterion.code == code)


# --- import ----------------------------------------------------------------------------------


def test_an_import_makes_a_draft_with_its_groups_and_criteria(province, province_officer):
    scorecard = make_scorecard(province, user=province_officer, publish=False)
    assert scorecard.status == ScorecardStatus.DRAFT
    assert (scorecard.year, scorecard.version) == (2026, 1)
    assert list(scorecard.groups.values_list("code", flat=True)) == ["A", "B", "C"]
    assert scorecard.criteria.count() == len(ROWS)
    meetings = scorecard.criteria.get(code="A1")
    assert meetings.bands == [["4", "20"], ["3", "15"], ["2", "10"], ["1", "5"]]
    assert scorecard.criteria.get(code="C2").points_each == 2
    assert AuditEntry.objects.filter(action="scorecard.import").count() == 1


def test_a_second_import_for_the_same_year_is_the_next_version(province, province_officer):
    make_scorecard(province, user=province_officer, publish=False)
    again = make_scorecard(province, user=province_officer, publish=False)
    assert again.version == 2


def test_an_import_with_one_bad_row_writes_nothing(province, province_officer):
    rows = [*ROWS, ["C", "", "C3", "Lỗi", "mười", "Điểm trừ", "", 1, "Không", "", ""]]
    with pytest.raises(WorkbookError) as caught:
        scorecard_import(
            province=province,
            user=province_officer,
            filename="x.xlsx",
            data=workbook_bytes(rows),
        )
    assert "Điểm tối đa “mười” không phải là số" in str(caught.value.problems[0])
    assert not Scorecard.objects.exists()
    assert not Criterion.objects.exists()


def test_an_import_without_a_year_asks_for_it_unless_given(province, province_officer):
    data = workbook_bytes(year=None)
    with pytest.raises(WorkbookError) as caught:
        scorecard_import(province=province, user=province_officer, filename="x.xlsx", data=data)
    assert "Chưa rõ năm đánh giá" in str(caught.value.problems[0])
    scorecard = scorecard_import(
        province=province, user=province_officer, filename="x.xlsx", data=data, year=2027
    )
    assert scorecard.year == 2027


def test_a_commune_office_cannot_import_the_provinces_scorecard(province, office):
    with pytest.raises(ScorecardError):
        scorecard_import(province=province, user=office, filename="x.xlsx", data=workbook_bytes())


# --- editing the draft -----------------------------------------------------------------------


def _data(**overrides):  # type: ignore[no-untyped-def]
    values = {
        "group_code": "A",
        "code": "A1",
        "name": "Số cuộc họp Ban Chỉ đạo",
        "max_points": D(16),
        "kind": "bands",
        "bands": ((D(4), D(16)), (D(2), D(8))),
    }
    values.update(overrides)
    return CriterionData(**values)


def test_a_criterion_of_a_draft_can_be_changed_and_the_change_is_audited(
    province, province_officer
):
    scorecard = make_scorecard(province, user=province_officer, publish=False)
    criterion = scorecard.criteria.get(code="A1")
    criterion_save(scorecard=scorecard, criterion=criterion, data=_data(), user=province_officer)
    criterion.refresh_from_db()
    assert criterion.max_points == 16
    assert criterion.bands_text == "4: 16; 2: 8"
    entry = AuditEntry.objects.get(action="scorecard.criterion_edit")
    assert entry.before["max_points"] == "20.00"
    assert entry.after["max_points"] == "16.00"


def test_a_criterion_moved_to_a_new_group_creates_it_and_drops_the_emptied_one(
    province, province_officer
):
    scorecard = make_scorecard(province, user=province_officer, publish=False)
    for code in ("A1", "A2"):
        criterion = scorecard.criteria.get(code=code)
        criterion_save(
            scorecard=scorecard,
            criterion=criterion,
            data=_data(code=code, group_code="D"),
            group_name="Nhóm mới",
            user=province_officer,
        )
    assert list(scorecard.groups.values_list("code", flat=True)) == ["B", "C", "D"]


def test_a_draft_refuses_a_duplicate_code_and_a_band_above_the_maximum(province, province_officer):
    scorecard = make_scorecard(province, user=province_officer, publish=False)
    with pytest.raises(ScorecardError, match="đã có"):
        criterion_save(
            scorecard=scorecard, criterion=None, data=_data(code="A2"), user=province_officer
        )
    with pytest.raises(ScorecardError, match="lớn hơn điểm tối đa"):
        criterion_save(
            scorecard=scorecard,
            criterion=None,
            data=_data(code="A9", max_points=D(5)),
            user=province_officer,
        )


def test_a_published_scorecard_can_no_longer_be_edited(scorecard, province_officer):
    criterion = scorecard.criteria.get(code="A1")
    with pytest.raises(ScorecardError, match="đã ban hành"):
        criterion_save(
            scorecard=scorecard, criterion=criterion, data=_data(), user=province_officer
        )
    with pytest.raises(ScorecardError, match="đã ban hành"):
        criterion_delete(criterion=criterion, user=province_officer)


def test_deleting_a_criterion_of_a_draft_removes_it(province, province_officer):
    scorecard = make_scorecard(province, user=province_officer, publish=False)
    criterion_delete(criterion=scorecard.criteria.get(code="C1"), user=province_officer)
    assert not scorecard.criteria.filter(code="C1").exists()


# --- publishing ------------------------------------------------------------------------------


def test_publishing_starts_an_assessment_for_every_commune_of_the_province_only(
    province, commune, other_commune, province_officer
):
    elsewhere = make_commune("Hải An", "phường", make_province("Biển Xanh"))
    scorecard = make_scorecard(province, user=province_officer)
    assert scorecard.status == ScorecardStatus.PUBLISHED
    communes = set(Assessment.objects.values_list("commune", flat=True))
    assert communes == {commune.pk, other_commune.pk}
    assert elsewhere.pk not in communes
    assert AssessmentEntry.objects.filter(assessment__commune=commune).count() == len(ROWS)


def test_publishing_a_new_version_replaces_the_one_in_force(scorecard, province, province_officer):
    newer = make_scorecard(province, user=province_officer)
    scorecard.refresh_from_db()
    assert scorecard.status == ScorecardStatus.REPLACED
    assert newer.status == ScorecardStatus.PUBLISHED
    assert Assessment.objects.filter(scorecard=scorecard).count() == 2  # kept, read-only


def test_a_scorecard_without_criteria_cannot_be_published(province, province_officer):
    scorecard = make_scorecard(province, user=province_officer, publish=False)
    for criterion in scorecard.criteria.all():
        criterion_delete(criterion=criterion, user=province_officer)
    with pytest.raises(ScorecardError, match="chưa có tiêu chí"):
        scorecard_publish(scorecard=scorecard, user=province_officer)


def test_a_commune_created_after_publication_gets_its_assessment_once(scorecard, province):
    late = make_commune("Suối Mây", "xã", province)
    first = assessment_ensure(scorecard=scorecard, commune=late)
    again = assessment_ensure(scorecard=scorecard, commune=late)
    assert first.pk == again.pk
    assert first.entries.count() == len(ROWS)


# --- the self-assessment ---------------------------------------------------------------------


def test_the_office_enters_figures_and_the_scores_follow(assessment, office):
    _save(entry_of(assessment, "A1"), office, value=D(3))
    _save(entry_of(assessment, "A2"), office, yes=True)
    _save(entry_of(assessment, "B4"), office, numerator=D(2), denominator=D(3))
    _save(entry_of(assessment, "C1"), office, value=D(1))
    _save(entry_of(assessment, "C2"), office, value=D(2))
    card = queries.assessment_card(assessment, today=TODAY)
    scores = {line.criterion.code: line.self_score for line in card.lines}
    assert scores["A1"] == D(15)
    assert scores["A2"] == D(5)
    assert scores["B4"] == D("6.67")
    assert scores["C1"] == D(5)
    assert scores["C2"] == D(-4)
    group_a = card.groups[0]
    assert (group_a.self_total, group_a.max_points) == (D(20), D(25))
    assert card.max_total == D(65)  # bonus and deduction are not part of the maximum
    assert card.bonus_max == D(10)


def test_done_needs_evidence_when_the_criterion_requires_it(assessment, office):
    entry = entry_of(assessment, "A1")
    with pytest.raises(ScorecardError, match="yêu cầu minh chứng"):
        _save(entry, office, value=D(4), status=EntryStatus.DONE)
    entry_evidence_add_document(
        entry=entry, user=office, reference="12/TB-BCĐ - 20/03/2026: Thông báo kết luận cuộc họp"
    )
    saved = _save(entry, office, value=D(4), status=EntryStatus.DONE)
    assert saved.status == EntryStatus.DONE


def test_a_unit_fills_only_the_criteria_it_answers_for(assessment, office, police, commune):
    entry = entry_of(assessment, "A1")
    with pytest.raises(ScorecardError, match="đơn vị chịu trách nhiệm"):
        _save(entry, police, value=D(2))
    police_unit = unit_of(commune, "Công an phường")
    _save(entry, office, value=D(1), responsible_unit=police_unit, due_on=dt.date(2026, 12, 1))
    saved = _save(entry, police, value=D(2))
    assert saved.value == D(2)
    # Units do not reassign themselves nor move their deadline.
    assert saved.responsible_unit == police_unit
    assert saved.due_on == dt.date(2026, 12, 1)


def test_a_leader_reads_but_does_not_fill(assessment, leader):
    with pytest.raises(ScorecardError):
        _save(entry_of(assessment, "A1"), leader, value=D(2))


def test_a_save_from_an_outdated_screen_is_refused(assessment, office):
    entry = entry_of(assessment, "A1")
    _save(entry, office, value=D(2))
    with pytest.raises(StaleEntry):
        entry_save(entry=entry, user=office, data=EntryInput(value=D(3)), version=1)


def test_negative_figures_and_half_a_ratio_are_refused(assessment, office):
    with pytest.raises(ScorecardError, match="không được âm"):
        _save(entry_of(assessment, "A1"), office, value=D(-1))
    with pytest.raises(ScorecardError, match="cả tử số và mẫu số"):
        _save(entry_of(assessment, "B4"), office, numerator=D(2))


def test_the_responsible_unit_must_belong_to_the_commune(assessment, office, other_commune):
    foreign = unit_of(other_commune, "Công an xã")
    with pytest.raises(ScorecardError, match="đơn vị của xã/phường"):
        _save(entry_of(assessment, "A1"), office, responsible_unit=foreign)


def test_a_replaced_scorecards_assessment_is_read_only(assessment, office, province):
    make_scorecard(province)
    with pytest.raises(ScorecardError, match="đã được thay thế"):
        _save(entry_of(assessment, "A1"), office, value=D(2))


def test_figures_of_a_criterion_fed_by_the_system_are_not_taken_from_the_form(assessment, office):
    saved = _save(entry_of(assessment, "B2"), office, value=D(100))
    assert saved.value is None


# --- evidence --------------------------------------------------------------------------------


def test_an_evidence_file_is_sniffed_hashed_stored_and_audited(assessment, office):
    entry = entry_of(assessment, "A1")
    data = pdf_bytes("Biên bản họp")
    evidence = entry_evidence_add_file(
        entry=entry, user=office, filename="C:\\Tai lieu\\bien-ban.pdf",
        fileobj=io.BytesIO(data), size=len(data),
    )  # fmt: skip
    assert evidence.original_name == "bien-ban.pdf"
    assert evidence.content_type == "application/pdf"
    assert evidence.size == len(data)
    assert len(evidence.sha256) == 64
    assert evidence.file.name.startswith(f"scorecards/{assessment.commune.code}/2026/")
    assert default_storage.open(evidence.file.name).read() == data
    assert AuditEntry.objects.filter(action="scorecard.evidence_add").exists()
    with pytest.raises(ScorecardError, match="đã được nộp"):
        entry_evidence_add_file(
            entry=entry, user=office, filename="lai.pdf", fileobj=io.BytesIO(data), size=len(data)
        )


def test_a_program_named_as_a_pdf_is_refused_and_nothing_is_stored(assessment, office):
    with pytest.raises(ScorecardError, match="chương trình máy tính"):
        entry_evidence_add_file(
            entry=entry_of(assessment, "A1"), user=office, filename="bien-ban.pdf",
            fileobj=io.BytesIO(EXE), size=len(EXE),
        )  # fmt: skip
    assert not CriterionEvidence.objects.exists()


def test_a_file_above_the_size_limit_is_refused_before_it_is_read(assessment, office, settings):
    settings.THEODOI_EVIDENCE_MAX_BYTES = 100
    data = pdf_bytes("x" * 200)
    with pytest.raises(ScorecardError, match="Tệp quá lớn"):
        entry_evidence_add_file(
            entry=entry_of(assessment, "A1"), user=office, filename="to.pdf",
            fileobj=io.BytesIO(data), size=len(data),
        )  # fmt: skip


def test_a_document_reference_is_parsed_and_an_unreadable_one_refused(assessment, office):
    entry = entry_of(assessment, "A1")
    evidence = entry_evidence_add_document(
        entry=entry, user=office, reference="Số 12/TB-BCĐ ngày 20/3/2026 - Thông báo kết luận"
    )
    assert (evidence.doc_number, evidence.doc_date) == ("12/TB-BCĐ", dt.date(2026, 3, 20))
    with pytest.raises(ScorecardError, match="Không đọc được số hiệu"):
        entry_evidence_add_document(entry=entry, user=office, reference="biên bản họp")


def test_the_last_evidence_of_a_done_criterion_cannot_be_withdrawn(assessment, office):
    entry = entry_of(assessment, "A1")
    first = entry_evidence_add_document(
        entry=entry, user=office, reference="12/TB-BCĐ - 20/03/2026: Thông báo kết luận"
    )
    _save(entry, office, value=D(4), status=EntryStatus.DONE)
    with pytest.raises(ScorecardError, match="duy nhất"):
        entry_evidence_withdraw(evidence=first, user=office)
    entry_evidence_add_document(
        entry=entry, user=office, reference="15/TB-BCĐ - 20/06/2026: Thông báo kết luận"
    )
    withdrawn = entry_evidence_withdraw(evidence=first, user=office)
    assert withdrawn.withdrawn_at is not None
    assert [e.doc_number for e in _line(assessment, "A1").evidence] == ["15/TB-BCĐ"]


# --- appraisal and explanation ---------------------------------------------------------------


def _appraise(entry, user, points, remark="", **kwargs):  # type: ignore[no-untyped-def]
    entry.refresh_from_db()
    return entry_appraise(
        entry=entry, user=user, points=D(points), remark=remark, version=entry.version, **kwargs
    )


def test_the_province_appraises_and_the_gap_to_the_self_score_is_shown(
    assessment, office, province_officer
):
    entry = entry_of(assessment, "A1")
    _save(entry, office, value=D(4))
    with pytest.raises(ScorecardError, match="hãy ghi ý kiến"):
        _appraise(entry, province_officer, 15)
    _appraise(entry, province_officer, 15, "Một cuộc họp không có biên bản.")
    line = _line(assessment, "A1")
    assert (line.self_score, line.appraised, line.gap) == (D(20), D(15), D(-5))
    assert line.final == D(15)
    card = queries.assessment_card(assessment, today=TODAY)
    assert card.self_total == D(20)
    assert card.final_total == D(15)
    assert card.appraised_count == 1


def test_an_appraisal_equal_to_the_self_score_needs_no_remark(assessment, office, province_officer):
    entry = entry_of(assessment, "A2")
    _save(entry, office, yes=True)
    assert _appraise(entry, province_officer, 5).appraised_score == D(5)


def test_an_appraisal_outside_zero_to_the_maximum_is_refused(assessment, province_officer):
    with pytest.raises(ScorecardError, match="từ 0 đến 20"):
        _appraise(entry_of(assessment, "A1"), province_officer, 21, "quá")


def test_a_deduction_is_appraised_as_points_taken_off(assessment, office, province_officer):
    entry = entry_of(assessment, "C2")
    _save(entry, office, value=D(1))
    _appraise(entry, province_officer, 4, "Hai sự cố, không phải một.")
    line = _line(assessment, "C2")
    assert (line.self_score, line.appraised, line.gap) == (D(-2), D(-4), D(-2))


def test_nobody_in_the_commune_appraises_their_own_assessment(assessment, office, leader):
    for user in (office, leader):
        with pytest.raises(ScorecardError, match="cán bộ cấp tỉnh"):
            _appraise(entry_of(assessment, "A2"), user, 0, "không")


def test_an_officer_of_another_province_cannot_appraise(assessment):
    stranger = make_user("so-bienxanh", role=Role.PROVINCE_OFFICER, province=make_province("BX"))
    with pytest.raises(ScorecardError):
        _appraise(entry_of(assessment, "A2"), stranger, 0, "không")


def test_asking_for_more_evidence_sets_the_status_and_tells_the_responsible_unit(
    assessment, office, police, commune, province_officer
):
    entry = entry_of(assessment, "A1")
    _save(entry, office, value=D(4), responsible_unit=unit_of(commune, "Công an phường"))
    _appraise(entry, province_officer, 10, "Thiếu biên bản hai cuộc họp.", needs_evidence=True)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.NEEDS_EVIDENCE
    note = Notification.objects.get(user=police)
    assert "bổ sung minh chứng" in note.text
    assert str(entry.public_id) in note.url


def test_the_commune_explains_after_the_appraisal_and_earlier_wordings_stay_in_the_audit(
    assessment, office, province_officer
):
    entry = entry_of(assessment, "A1")
    _save(entry, office, value=D(4))
    with pytest.raises(ScorecardError, match="chưa được tỉnh thẩm định"):
        entry_explain(entry=entry, user=office, text="x", version=None)
    _appraise(entry, province_officer, 15, "Một cuộc họp không có biên bản.")
    entry.refresh_from_db()
    entry = entry_explain(entry=entry, user=office, text="Biên bản đang trình ký.", version=None)
    entry = entry_explain(
        entry=entry, user=office, text="Đã bổ sung biên bản ngày 02/12.", version=entry.version
    )
    assert entry.explanation == "Đã bổ sung biên bản ngày 02/12."
    audit = AuditEntry.objects.filter(action="scorecard.explain").order_by("pk")
    assert [a.after["explanation"] for a in audit] == [
        "Biên bản đang trình ký.",
        "Đã bổ sung biên bản ngày 02/12.",
    ]


def test_only_the_standing_office_explains(assessment, office, police, province_officer):
    entry = entry_of(assessment, "A2")
    _appraise(entry, province_officer, 0, "Chưa có kế hoạch.")
    with pytest.raises(ScorecardError, match="cơ quan thường trực"):
        entry_explain(entry=entry, user=police, text="Có kế hoạch", version=None)


# --- what to improve, and the ranking --------------------------------------------------------


def test_the_criteria_with_most_points_to_gain_come_first(assessment, office):
    _save(entry_of(assessment, "A1"), office, value=D(3))  # 15/20: 5 to gain
    _save(entry_of(assessment, "A2"), office, yes=True)  # 5/5: nothing
    _save(entry_of(assessment, "B4"), office, numerator=D(1), denominator=D(4))  # 2,5/10
    _save(entry_of(assessment, "C2"), office, value=D(3))  # −6
    needs = queries.assessment_card(assessment, today=TODAY).needs(limit=10)
    # No plan: the system's criteria (B1–B3) and the unclaimed bonus have all 10 to gain.
    assert [line.criterion.code for line in needs] == ["B1", "B2", "B3", "C1", "B4", "C2", "A1"]
    rooms = {line.criterion.code: line.room for line in needs}
    assert rooms["B4"] == D("7.50")
    assert rooms["C2"] == D(6)
    assert rooms["A1"] == D(5)
    assert "A2" not in rooms
    assert [line.room for line in needs] == sorted((line.room for line in needs), reverse=True)


def test_communes_are_ranked_by_final_total_and_ties_share_a_rank(
    scorecard, province, commune, other_commune, office, other_office, province_officer
):
    third = make_commune("Bình Minh", "phường", province)
    assessment_ensure(scorecard=scorecard, commune=third)
    mine, theirs = assessment_of(scorecard, commune), assessment_of(scorecard, other_commune)
    _save(entry_of(mine, "A1"), office, value=D(4))  # 20
    _save(entry_of(theirs, "A1"), other_office, value=D(4))  # 20, appraised down to 10
    _appraise(entry_of(theirs, "A1"), province_officer, 10, "Thiếu biên bản.")
    _save(entry_of(theirs, "A2"), other_office, yes=True)  # + 5 → 15
    ranking = queries.scorecard_ranking(scorecard, today=TODAY)
    order = [(card.assessment.commune.name, card.rank, card.final_total) for card in ranking.cards]
    # Both communes have no plan: the system's criteria score nothing for anyone.
    assert order == [
        ("Hòa Phong", 1, D(20)),
        ("Tân Hòa", 2, D(15)),
        ("Bình Minh", 3, D(0)),
    ]
    third_office = make_user("vp-binhminh", role=Role.STANDING_OFFICE, commune=third)
    _save(entry_of(assessment_of(scorecard, third), "A1"), third_office, value=D(3))
    ranking = queries.scorecard_ranking(scorecard, today=TODAY)
    assert [(c.assessment.commune.name, c.rank) for c in ranking.cards] == [
        ("Hòa Phong", 1),
        ("Bình Minh", 2),
        ("Tân Hòa", 2),
    ]


def test_the_ranking_reads_a_fixed_number_of_queries_per_commune(
    scorecard, province, commune, other_commune, office
):
    for place in (commune, other_commune):
        make_active_plan(place)
    mine = assessment_of(scorecard, commune)
    for code in ("A1", "A2"):
        entry_evidence_add_document(
            entry=entry_of(mine, code), user=office, reference="12/TB - 20/03/2026: Thông báo"
        )
    queries.scorecard_ranking(scorecard, today=TODAY)  # periods are made on first reading
    with CaptureQueriesContext(connection) as read:
        queries.scorecard_ranking(scorecard, today=TODAY)
    # Assessments, entries, evidence, groups; then the plan's data, per commune.
    assert len(read) <= 4 + 7 * 2
