"""The inbox: each role's queues, each count the number of rows of the list it links to."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from theodoi.accounts.models import Role
from theodoi.alerts import notices
from theodoi.alerts.inbox import Kind, Queue, inbox_for
from theodoi.alerts.models import Notification
from theodoi.alerts.services import digest_body, digest_collect, digest_send, digest_subject
from theodoi.evidence.services import evidence_add_file, evidence_review
from theodoi.plans.models import AssignmentRole, TaskAssignment
from theodoi.scorecards.models import EntryStatus
from theodoi.scorecards.services import EntryInput, entry_appraise, entry_save
from theodoi.summaries.services import summary_rebuild
from theodoi.tracking.models import Period, ReviewStatus, TaskStatus
from theodoi.tracking.services import (
    ValueInput,
    direction_add,
    report_submit,
    target_value_save,
    target_value_submit,
)

from ..evidence.factories import pdf_bytes
from ..factories import make_commune, make_user, unit_of
from ..scorecards.helpers import assessment_of, entry_of, make_scorecard
from ..tracking_factories import (
    make_active_plan,
    make_report,
    period_of,
    plan_of_size,
    target_of,
    task_of,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 7, 10)  # July's report is due; I.1.1 (30/06) is overdue


@pytest.fixture(autouse=True)
def _frozen_day(monkeypatch):  # type: ignore[no-untyped-def]
    # The views read today through timezone.localdate(): the lists and the inbox agree on it.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    plan = make_active_plan(commune)
    # In force since before January: every month since is a period it must be reported in.
    plan.activated_at = timezone.make_aware(dt.datetime(2025, 12, 20))
    plan.save()
    summary_rebuild(plan)  # written directly above: the kept summary follows
    return plan


@pytest.fixture
def police_head(commune):  # type: ignore[no-untyped-def]
    return make_user(
        "truong-congan",
        role=Role.UNIT_HEAD,
        commune=commune,
        unit=unit_of(commune, "Công an phường"),
    )


@pytest.fixture
def supporter(commune, plan):  # type: ignore[no-untyped-def]
    """Staff of Tổ công nghệ số cộng đồng, which only supports I.1.1."""
    unit = unit_of(commune, "Tổ công nghệ số cộng đồng")
    TaskAssignment.objects.create(
        task=task_of(plan, "I.1.1"), unit=unit, role=AssignmentRole.SUPPORT
    )
    return make_user("tocongnghe", role=Role.UNIT_STAFF, commune=commune, unit=unit)


def _queue(user, kind: str) -> Queue | None:  # type: ignore[no-untyped-def]
    return next((q for q in inbox_for(user, today=TODAY) if q.kind == kind), None)


def _count(user, kind: str) -> int:  # type: ignore[no-untyped-def]
    queue = _queue(user, kind)
    return queue.count if queue else 0


def _page(client, user, url: str) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _rows(html: str, pattern: str) -> int:
    return len(re.findall(pattern, html))


def _sent_with_evidence(plan, unit, user, *, month: int = 7):  # type: ignore[no-untyped-def]
    report = make_report(
        task_of(plan, "I.1.1"), unit, user, month=month, status=TaskStatus.COMPLETED, percent=100
    )
    data = pdf_bytes(f"Biên bản {month}")
    evidence_add_file(
        report=report, unit=unit, user=user, filename="bien-ban.pdf",
        fileobj=io.BytesIO(data), size=len(data),
    )  # fmt: skip
    report.refresh_from_db()
    return report_submit(report=report, user=user, version=report.version)


# --- unit staff --------------------------------------------------------------------------------


def test_unit_staff_count_of_reports_due_is_the_rows_of_the_filtered_task_list(
    client, plan, police
):
    queue = _queue(police, Kind.REPORTS_DUE)
    assert queue is not None and queue.label == "1 báo cáo cần gửi"  # I.1.1, led
    html = _page(client, police, queue.url)
    assert _rows(html, rf'id="task-{UUID}"') + _rows(html, rf'id="target-{UUID}"') == queue.count


def test_a_supporting_units_tasks_are_in_its_reports_due(client, plan, supporter):
    queue = _queue(supporter, Kind.REPORTS_DUE)
    assert queue is not None and queue.count == 1  # I.1.1, supported
    html = _page(client, supporter, queue.url)
    assert f'id="task-{task_of(plan, "I.1.1").public_id}"' in html
    assert _rows(html, rf'id="task-{UUID}"') + _rows(html, rf'id="target-{UUID}"') == 1


def test_a_target_owner_has_its_value_to_report_counted_with_its_reports(client, plan, commune):
    staff = make_user(
        "ttpvhcc",
        role=Role.UNIT_STAFF,
        commune=commune,
        unit=unit_of(commune, "Trung tâm Phục vụ hành chính công"),
    )
    queue = _queue(staff, Kind.REPORTS_DUE)
    assert queue is not None
    html = _page(client, staff, queue.url)
    assert _rows(html, rf'id="target-{UUID}"') == 1  # target 1
    assert _rows(html, rf'id="task-{UUID}"') + 1 == queue.count


def test_returned_evidence_counts_as_the_rejected_filter_lists(client, plan, police, office):
    plan.requires_head_confirmation = False
    plan.save()
    assert _count(police, Kind.EVIDENCE_REJECTED) == 0
    report = _sent_with_evidence(plan, unit_of(plan.commune, "Công an phường"), police)
    evidence = report.evidence.get()
    evidence_review(
        evidence=evidence, reviewer=office, decision=ReviewStatus.REJECTED,
        note="Chưa có chữ ký", version=evidence.version,
    )  # fmt: skip
    queue = _queue(police, Kind.EVIDENCE_REJECTED)
    assert queue is not None and queue.label == "1 minh chứng bị trả lại"
    html = _page(client, police, queue.url)
    assert _rows(html, rf'id="task-{UUID}"') + _rows(html, rf'id="target-{UUID}"') == 1


# --- the unit head -----------------------------------------------------------------------------


def test_the_unit_heads_count_is_the_confirm_queue(client, plan, police, police_head):
    assert _queue(police_head, Kind.REPORTS_TO_CONFIRM) is None
    _sent_with_evidence(plan, unit_of(plan.commune, "Công an phường"), police)
    queue = _queue(police_head, Kind.REPORTS_TO_CONFIRM)
    assert queue is not None and queue.label == "1 báo cáo chờ xác nhận"
    assert queue.url == reverse("report_confirm_queue", args=[plan.commune.public_id])
    html = _page(client, police_head, queue.url)
    assert _rows(html, rf'id="report-{UUID}"') == queue.count
    # Staff do not confirm: no such queue for them.
    assert _queue(police, Kind.REPORTS_TO_CONFIRM) is None


# --- the standing office -----------------------------------------------------------------------


def test_the_offices_review_counts_are_the_review_queue_sections(client, plan, police, office):
    plan.requires_head_confirmation = False
    plan.save()
    police_unit = unit_of(plan.commune, "Công an phường")
    _sent_with_evidence(plan, police_unit, police)
    owner = make_user(
        "ttpvhcc",
        role=Role.UNIT_STAFF,
        commune=plan.commune,
        unit=unit_of(plan.commune, "Trung tâm Phục vụ hành chính công"),
    )
    value = target_value_save(
        target=target_of(plan, "1"), period=period_of(plan, 7),
        unit=unit_of(plan.commune, "Trung tâm Phục vụ hành chính công"), user=owner,
        data=ValueInput(value=80),
    )  # fmt: skip
    target_value_submit(target_value=value, user=owner, version=value.version)
    evidence = _queue(office, Kind.EVIDENCE_TO_REVIEW)
    values = _queue(office, Kind.VALUES_TO_REVIEW)
    assert evidence is not None and evidence.label == "1 minh chứng chờ thẩm định"
    assert values is not None and values.label == "1 giá trị chỉ tiêu chờ thẩm định"
    html = _page(client, office, evidence.url)
    assert _rows(html, rf'id="review-evidence-{UUID}"') == evidence.count
    assert _rows(html, rf'id="review-value-{UUID}"') == values.count
    # The office was told of each, once.
    assert Notification.objects.filter(user=office, key__startswith="review-value:").count() == 1
    assert Notification.objects.filter(user=office, key__startswith="review-evidence:").count() == 1


def test_evidence_added_to_a_report_already_sent_is_told_to_the_office(plan, police, office):
    plan.requires_head_confirmation = False
    plan.save()
    unit = unit_of(plan.commune, "Công an phường")
    report = _sent_with_evidence(plan, unit, police)
    data = pdf_bytes("Biên bản bổ sung")
    evidence_add_file(
        report=report, unit=unit, user=police, filename="bo-sung.pdf",
        fileobj=io.BytesIO(data), size=len(data),
    )  # fmt: skip
    notes = Notification.objects.filter(user=office, key__startswith="review-evidence:")
    assert notes.count() == 2
    assert _count(office, Kind.EVIDENCE_TO_REVIEW) == 2


def test_units_unreported_and_stale_tasks_are_the_reporting_window_and_task_list(
    client, plan, office
):
    unreported = _queue(office, Kind.UNITS_UNREPORTED)
    assert unreported is not None
    html = _page(client, office, unreported.url)
    assert _rows(html, rf'data-unreported-unit="{UUID}"') == unreported.count > 0
    stale = _queue(office, Kind.STALE_TASKS)
    assert stale is not None  # nobody reported in May and June
    html = _page(client, office, stale.url)
    assert _rows(html, rf'data-task-row="{UUID}"') == stale.count


# --- leaders -----------------------------------------------------------------------------------


def test_a_leaders_new_warnings_are_those_not_yet_shown_and_a_visit_clears_them(
    client, plan, leader
):
    queue = _queue(leader, Kind.WARNINGS_NEW)
    assert queue is not None and queue.count > 0
    html = _page(client, leader, queue.url)
    assert _rows(html, r'class="list-group-item warning-row') == queue.count
    # The visit showed them: none is new any more, until a new warning appears.
    assert _queue(leader, Kind.WARNINGS_NEW) is None


def test_directions_awaiting_acknowledgement_are_the_open_directions_list(
    client, plan, leader, police
):
    task = task_of(plan, "I.1.1")
    direction_add(task=task, author=leader, text="Hoàn thành số hóa trước 15/7")
    queue = _queue(leader, Kind.DIRECTIONS_OPEN)
    assert queue is not None and queue.label == "1 ý kiến chỉ đạo chưa được tiếp nhận"
    html = _page(client, leader, queue.url)
    assert _rows(html, rf'id="direction-{UUID}"') == 1
    # The lead unit was told to acknowledge it, once.
    assert Notification.objects.filter(user=police, key__startswith="direction:").count() == 1


# --- notices, once per item --------------------------------------------------------------------


def test_the_head_is_told_once_of_a_report_waiting_for_confirmation(plan, police, police_head):
    report = _sent_with_evidence(plan, unit_of(plan.commune, "Công an phường"), police)
    notices.report_sent(report)  # the trigger runs again: nobody is told twice
    notes = Notification.objects.filter(user=police_head)
    assert notes.count() == 1
    assert "chờ bạn xác nhận" in notes.get().text
    assert not Notification.objects.filter(user=police, key__startswith="confirm:").exists()


def test_the_office_is_told_once_of_evidence_waiting_for_review(plan, police, office):
    plan.requires_head_confirmation = False
    plan.save()
    report = _sent_with_evidence(plan, unit_of(plan.commune, "Công an phường"), police)
    notices.report_sent(report)
    notes = Notification.objects.filter(user=office, key__startswith="review-evidence:")
    assert notes.count() == 1
    assert "chờ thẩm định" in notes.get().text


def test_a_rejection_is_told_to_the_unit_once(plan, police, office):
    plan.requires_head_confirmation = False
    plan.save()
    report = _sent_with_evidence(plan, unit_of(plan.commune, "Công an phường"), police)
    evidence = report.evidence.get()
    evidence_review(
        evidence=evidence, reviewer=office, decision=ReviewStatus.REJECTED,
        note="Chưa có chữ ký", version=evidence.version,
    )  # fmt: skip
    notes = Notification.objects.filter(user=police, key__startswith="evidence-review:")
    assert notes.count() == 1
    assert "không đạt" in notes.get().text


# --- the digest says what the inbox says -------------------------------------------------------


def test_the_digest_lists_the_same_queues_as_the_inbox(plan, police, office, leader):
    for user in (police, office, leader):
        digest = next(d for d in digest_collect(today=TODAY) if d.user == user)
        inbox = inbox_for(user, today=TODAY)
        assert [(q.label, q.url) for q in digest.queues] == [(q.label, q.url) for q in inbox]
        body = digest_body(digest, today=TODAY)
        for queue in inbox:
            assert f"- {queue.label}\n  http://127.0.0.1:8000{queue.url}" in body


# --- the home page -----------------------------------------------------------------------------


def test_home_shows_the_inbox_first_and_says_when_nothing_waits(client, plan, police, commune):
    html = _page(client, police, reverse("home"))
    assert 'data-queue="reports_due" data-count="1"' in html
    assert html.index('id="inbox"') < html.index('class="card mb-3"')  # before the cards
    idle = make_user("giamsat", role=Role.SUPERVISOR, commune=commune)
    assert "Không có việc nào đang chờ bạn." in _page(client, idle, reverse("home"))


def _commune_with_plan(province, name: str, tasks: int):  # type: ignore[no-untyped-def]
    commune = make_commune(name, "phường", province)
    plan_of_size(commune, tasks)
    office = make_user(f"vp-{tasks}", role=Role.STANDING_OFFICE, commune=commune)
    staff = make_user(
        f"ca-{tasks}",
        role=Role.UNIT_STAFF,
        commune=commune,
        unit=unit_of(commune, "Công an phường"),
    )
    return office, staff


def test_the_inbox_costs_the_same_queries_for_a_small_and_a_large_plan(province):
    small = _commune_with_plan(province, "Phú Sơn", 2)
    large = _commune_with_plan(province, "Phú Thủy", 40)
    counts = []
    for office, staff in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert inbox_for(office, today=TODAY)
            assert inbox_for(staff, today=TODAY)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_home_page_answers_within_its_budget(client, plan, office, police):
    client.force_login(office)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))
    assert len(queries) <= 30, [q["sql"] for q in queries]  # 26 measured, any plan size


# --- the province ------------------------------------------------------------------------------


def test_communes_unreported_are_the_province_pages_unreported_filter(
    client, plan, police, province_officer, other_commune
):
    queue = _queue(province_officer, Kind.COMMUNES_UNREPORTED)
    assert queue is not None and queue.label == "1 xã, phường chưa gửi đủ báo cáo kỳ vừa qua"
    html = _page(client, province_officer, queue.url)
    assert _rows(html, r'<tr class="commune-row"') == 1  # Tân Hòa has no plan: not counted
    assert f'data-commune="{plan.commune.code}"' in html
    # Every lead unit sends its report for the latest period due: the commune has reported.
    plan.requires_head_confirmation = False
    plan.save()
    due = Period.objects.filter(plan=plan, due_on__lt=TODAY).order_by("-due_on").first()
    assert due is not None
    leads = TaskAssignment.objects.filter(task__plan=plan, role=AssignmentRole.LEAD)
    parents = set(plan.tasks.exclude(parent=None).values_list("parent_id", flat=True))
    for n, assignment in enumerate(leads.exclude(task_id__in=parents).select_related("task")):
        staff = make_user(f"staff{n}", role=Role.UNIT_STAFF, commune=plan.commune,
                          unit=assignment.unit)  # fmt: skip
        report = make_report(assignment.task, assignment.unit, staff, month=due.number)
        report_submit(report=report, user=staff, version=report.version)
        if n == 0:  # one unit's report is not the commune's: others still owe theirs
            assert _queue(province_officer, Kind.COMMUNES_UNREPORTED) is not None
    assert _queue(province_officer, Kind.COMMUNES_UNREPORTED) is None


def test_criteria_done_by_a_commune_wait_for_the_provinces_appraisal(
    client, commune, office, province_officer
):
    scorecard = make_scorecard(commune.province)
    entry = entry_of(assessment_of(scorecard, commune), "C1")
    entry_save(entry=entry, user=office, data=EntryInput(value=Decimal(1),
               status=EntryStatus.DONE), version=entry.version)  # fmt: skip
    queue = _queue(province_officer, Kind.APPRAISALS)
    assert queue is not None and queue.label == "1 tiêu chí chờ thẩm định"
    html = _page(client, province_officer, queue.url)
    assert _rows(html, rf'id="appraise-{UUID}"') == 1
    notes = Notification.objects.filter(user=province_officer, key__startswith="appraise:")
    assert notes.count() == 1
    entry.refresh_from_db()
    entry_appraise(entry=entry, user=province_officer, points=Decimal(5), remark="",
                   version=entry.version)  # fmt: skip
    assert _queue(province_officer, Kind.APPRAISALS) is None
    html = _page(client, province_officer, queue.url)
    assert _rows(html, rf'id="appraise-{UUID}"') == 0


def test_a_province_officers_digest_is_their_inbox_and_is_sent_once(plan, province_officer):
    province_officer.email = "so@lamvien.gov.vn"
    province_officer.save()
    digest = next(d for d in digest_collect(today=TODAY) if d.user == province_officer)
    inbox = inbox_for(province_officer, today=TODAY)
    assert [(q.label, q.url) for q in digest.queues] == [(q.label, q.url) for q in inbox]
    assert digest_subject(digest) == "[theodoi] 1 việc đang chờ bạn — Lâm Viên"
    assert "- 1 xã, phường chưa gửi đủ báo cáo kỳ vừa qua\n" in digest_body(digest, today=TODAY)
    digest_send(today=TODAY)
    note = Notification.objects.get(user=province_officer)
    assert note.commune is None and "chưa gửi đủ báo cáo" in note.text
    assert not any(d.user == province_officer for d in digest_collect(today=TODAY))
