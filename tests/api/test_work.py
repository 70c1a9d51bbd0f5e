"""Tasks and progress reports, targets and their values, over the API: the same rules as
the UI, a 404 for another commune's objects and a 403 for an action the role does not have."""

from __future__ import annotations

import pytest

from theodoi.accounts.models import Role
from theodoi.audit.models import AuditEntry
from theodoi.tracking.models import ProgressReport, ReportState, ReviewStatus, TargetValue

from ..evidence.factories import add_document, staff_of
from ..factories import make_user, unit_of
from ..tracking_factories import make_report, period_of, target_of, task_of
from .conftest import message_of

pytestmark = pytest.mark.django_db

DRAFT = {"status": "in_progress", "percent": 40, "done": "Đã số hóa 120 hồ sơ"}


@pytest.fixture
def centre_staff(commune):  # type: ignore[no-untyped-def]
    """Staff of Trung tâm Phục vụ hành chính công: leads I.1 and tracks target 1."""
    return staff_of(commune, "Trung tâm Phục vụ hành chính công", "ttpvhcc")


@pytest.fixture
def police_head(commune):  # type: ignore[no-untyped-def]
    return make_user(
        "truong-cong-an",
        role=Role.UNIT_HEAD,
        commune=commune,
        unit=unit_of(commune, "Công an phường"),
    )


def report_url(plan, code: str, month: int = 3) -> str:  # type: ignore[no-untyped-def]
    return f"/tasks/{task_of(plan, code).public_id}/reports/{period_of(plan, month).public_id}"


def value_url(plan, code: str, month: int = 3) -> str:  # type: ignore[no-untyped-def]
    return f"/targets/{target_of(plan, code).public_id}/values/{period_of(plan, month).public_id}"


# --- tasks ---------------------------------------------------------------------------------


def test_a_task_says_whether_the_user_may_report_on_it(api_as, police, plan):
    api = api_as(police)
    mine = api.get(f"/tasks/{task_of(plan, 'I.1.1').public_id}").json()
    assert mine["my_role"] == "lead" and mine["can_report"] is True
    assert mine["my_unit"]["name"] == "Công an phường"
    other = api.get(f"/tasks/{task_of(plan, 'I.1.2').public_id}").json()
    assert other["my_role"] is None and other["can_report"] is False
    parent = api.get(f"/tasks/{task_of(plan, 'I.1').public_id}").json()
    assert len(parent["children"]) == 2 and parent["state"]["percent"] == 0


@pytest.mark.parametrize("suffix", ["", "/reports"])
def test_another_communes_task_is_a_404(api_as, other_office, plan, suffix):
    response = api_as(other_office).get(f"/tasks/{task_of(plan, 'I.1.1').public_id}{suffix}")
    assert response.status_code == 404
    message_of(response)


# --- progress reports ----------------------------------------------------------------------


def test_a_unit_saves_a_draft_report_on_its_task(api_as, police, plan):
    api = api_as(police)
    response = api.put(report_url(plan, "I.1.1"), DRAFT)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "draft" and body["percent"] == 40
    assert body["unit"]["name"] == "Công an phường" and body["period"]["number"] == 3
    assert api.get(f"/reports/{body['id']}").json()["done"] == "Đã số hóa 120 hồ sơ"
    listed = api.get(f"/tasks/{task_of(plan, 'I.1.1').public_id}/reports").json()["items"]
    assert [r["id"] for r in listed] == [body["id"]]

    changed = api.put(report_url(plan, "I.1.1"), {**DRAFT, "percent": 60, "version": 1})
    assert changed.status_code == 200 and changed.json()["version"] == 2


def test_a_unit_cannot_report_on_another_units_task(api_as, police, plan):
    response = api_as(police).put(report_url(plan, "I.1.2"), DRAFT)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert "không chủ trì hay phối hợp" in message_of(response)
    assert not ProgressReport.objects.exists()


def test_another_communes_user_cannot_report_here(api_as, other_office, plan):
    assert api_as(other_office).put(report_url(plan, "I.1.1"), DRAFT).status_code == 404


def test_a_period_of_another_plan_is_a_404(api_as, police, plan, other_plan):
    url = f"/tasks/{task_of(plan, 'I.1.1').public_id}/reports/{period_of(other_plan, 3).public_id}"
    assert api_as(police).put(url, DRAFT).status_code == 404


@pytest.mark.parametrize(
    ("role", "unit_name", "status"),
    [
        (Role.UNIT_STAFF, "Công an phường", 200),
        (Role.UNIT_HEAD, "Công an phường", 200),
        (Role.UNIT_STAFF, "Phòng Văn hóa - Xã hội", 403),
        (Role.STANDING_OFFICE, None, 403),
        (Role.COMMUNE_ADMIN, None, 403),
        (Role.LEADER, None, 403),
        (Role.SUPERVISOR, None, 403),
    ],
)
def test_only_the_units_assigned_to_a_task_report_on_it(
    api_as, commune, plan, role, unit_name, status
):
    unit = unit_of(commune, unit_name) if unit_name else None
    user = make_user(f"vai-tro-{role}", role=role, commune=commune, unit=unit)
    assert api_as(user).put(report_url(plan, "I.1.1"), DRAFT).status_code == status


def test_a_general_task_is_reported_through_its_children(api_as, centre_staff, plan):
    response = api_as(centre_staff).put(report_url(plan, "I.1"), DRAFT)
    assert response.status_code == 400
    assert "nhiệm vụ con" in message_of(response)


def test_a_percent_out_of_range_is_a_422_in_vietnamese(api_as, police, plan):
    response = api_as(police).put(report_url(plan, "I.1.1"), {**DRAFT, "percent": 150})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors == [{"field": "body.percent", "message": "Phải nhỏ hơn hoặc bằng 100."}]


def test_a_completion_below_100_percent_is_refused_by_the_service(api_as, police, plan):
    response = api_as(police).put(report_url(plan, "I.1.1"), {"status": "completed", "percent": 80})
    assert response.status_code == 400
    assert response.json()["code"] == "refused"
    assert "100%" in message_of(response)


def test_a_save_from_an_outdated_version_is_a_409(api_as, police, plan):
    api = api_as(police)
    api.put(report_url(plan, "I.1.1"), DRAFT)
    api.put(report_url(plan, "I.1.1"), {**DRAFT, "percent": 50, "version": 1})
    stale = api.put(report_url(plan, "I.1.1"), {**DRAFT, "percent": 70, "version": 1})
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale"
    assert ProgressReport.objects.get().percent == 50


def test_an_update_naming_no_version_is_refused_not_overwritten(api_as, police, plan):
    api = api_as(police)
    assert api.put(report_url(plan, "I.1.1"), DRAFT).status_code == 200  # a first save
    blind = api.put(report_url(plan, "I.1.1"), {**DRAFT, "percent": 90})
    assert blind.status_code == 409
    assert blind.json()["code"] == "version_required"
    assert "phiên bản" in message_of(blind)
    assert ProgressReport.objects.get().percent == 40


def test_a_decision_naming_no_version_is_refused(api_as, police, police_head, plan):
    report_id = api_as(police).put(report_url(plan, "I.1.1"), DRAFT).json()["id"]
    assert api_as(police).post(f"/reports/{report_id}/submit").status_code == 409
    assert ProgressReport.objects.get().state == ReportState.DRAFT


def test_a_report_goes_to_the_unit_head_who_confirms_it(api_as, police, police_head, plan):
    report_id = api_as(police).put(report_url(plan, "I.1.1"), DRAFT).json()["id"]
    sent = api_as(police).post(f"/reports/{report_id}/submit", {"version": 1})
    assert sent.status_code == 200 and sent.json()["state"] == ReportState.AWAITING_HEAD

    seen = {"version": sent.json()["version"]}
    assert api_as(police).post(f"/reports/{report_id}/confirm", seen).status_code == 403
    confirmed = api_as(police_head).post(f"/reports/{report_id}/confirm", seen)
    assert confirmed.status_code == 200 and confirmed.json()["state"] == ReportState.SENT

    current = confirmed.json()["version"]
    again = api_as(police).put(report_url(plan, "I.1.1"), {**DRAFT, "version": current})
    assert again.status_code == 400 and "đã gửi" in message_of(again)


def test_the_unit_head_may_return_a_report_to_its_author(api_as, police, police_head, plan):
    report_id = api_as(police).put(report_url(plan, "I.1.1"), DRAFT).json()["id"]
    sent = api_as(police).post(f"/reports/{report_id}/submit", {"version": 1}).json()
    returned = api_as(police_head).post(
        f"/reports/{report_id}/return", {"version": sent["version"]}
    )
    assert returned.status_code == 200 and returned.json()["state"] == ReportState.DRAFT


def test_a_completion_without_evidence_cannot_be_sent(api_as, police, plan):
    api = api_as(police)
    report_id = api.put(report_url(plan, "I.1.1"), {"status": "completed", "percent": 100}).json()[
        "id"
    ]
    response = api.post(f"/reports/{report_id}/submit", {"version": 1})
    assert response.status_code == 400
    assert "minh chứng" in message_of(response)


def test_only_the_reports_own_unit_sends_it(api_as, police, centre_staff, plan, police_unit):
    report = make_report(task_of(plan, "I.1.1"), police_unit, police)
    response = api_as(centre_staff).post(f"/reports/{report.public_id}/submit")
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT


def test_another_communes_report_is_a_404(api_as, police, other_office, plan, police_unit):
    report = make_report(task_of(plan, "I.1.1"), police_unit, police)
    api = api_as(other_office)
    assert api.get(f"/reports/{report.public_id}").status_code == 404
    assert api.post(f"/reports/{report.public_id}/submit").status_code == 404


# --- targets and values --------------------------------------------------------------------


def test_a_target_reads_with_its_values_and_who_may_report(api_as, centre_staff, police, plan):
    target = target_of(plan, "1")
    body = api_as(centre_staff).get(f"/targets/{target.public_id}").json()
    assert body["can_report"] is True and body["values"] == []
    assert api_as(police).get(f"/targets/{target.public_id}").json()["can_report"] is False


def test_another_communes_target_and_value_are_404s(api_as, other_office, centre_staff, plan):
    api_as(centre_staff).put(value_url(plan, "1"), {"value": 80})
    value = TargetValue.objects.get()
    api = api_as(other_office)
    assert api.get(f"/targets/{target_of(plan, '1').public_id}").status_code == 404
    assert api.get(f"/target-values/{value.public_id}").status_code == 404
    assert api.put(value_url(plan, "1"), {"value": 80}).status_code == 404


def test_the_tracking_unit_saves_a_value_as_a_rate(api_as, centre_staff, plan):
    response = api_as(centre_staff).put(
        value_url(plan, "1"), {"numerator": 1245, "denominator": 1482, "source": "Cổng DVC"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["value"] == "84.01" and body["state"] == "draft"


def test_a_unit_that_does_not_track_a_target_cannot_report_its_value(api_as, police, plan):
    response = api_as(police).put(value_url(plan, "1"), {"value": 95})
    assert response.status_code == 403
    assert "không theo dõi chỉ tiêu" in message_of(response)


def test_a_value_that_meets_its_target_needs_evidence_to_be_sent(api_as, centre_staff, plan):
    api = api_as(centre_staff)
    value_id = api.put(value_url(plan, "1"), {"value": 95}).json()["id"]
    response = api.post(f"/target-values/{value_id}/submit", {"version": 1})
    assert response.status_code == 400
    assert "minh chứng" in message_of(response)


def test_the_office_reviews_a_sent_value(api_as, centre_staff, office, police, plan):
    api = api_as(centre_staff)
    value_id = api.put(value_url(plan, "1"), {"value": 80}).json()["id"]
    sent = api.post(f"/target-values/{value_id}/submit", {"version": 1}).json()
    assert sent["state"] == "sent"
    accept = {"decision": "accepted", "version": sent["version"]}

    assert (api_as(police).post(f"/target-values/{value_id}/review", accept)).status_code == 403
    no_reason = api_as(office).post(f"/target-values/{value_id}/review", {"decision": "rejected"})
    assert no_reason.status_code == 400 and "lý do" in message_of(no_reason)
    accepted = api_as(office).post(f"/target-values/{value_id}/review", accept)
    assert accepted.status_code == 200 and accepted.json()["review"] == ReviewStatus.ACCEPTED

    target = api_as(office).get(f"/targets/{target_of(plan, '1').public_id}").json()
    assert target["state"]["value"] == "80" and target["state"]["met"] is False


def test_the_review_queue_lists_what_awaits_the_office(
    api_as, centre_staff, office, police, other_office, plan, commune
):
    api = api_as(centre_staff)
    value_id = api.put(value_url(plan, "1"), {"value": 95}).json()["id"]
    add_document(centre_staff, target_value=TargetValue.objects.get())
    api.post(f"/target-values/{value_id}/submit", {"version": 1})

    queue = api_as(office).get(f"/communes/{commune.public_id}/review-queue")
    assert queue.status_code == 200
    assert [v["id"] for v in queue.json()["values"]] == [value_id]
    assert len(queue.json()["evidence"]) == 1
    assert api_as(police).get(f"/communes/{commune.public_id}/review-queue").status_code == 403
    assert (
        api_as(other_office).get(f"/communes/{commune.public_id}/review-queue").status_code == 404
    )


def test_a_refused_action_goes_on_the_audit_trail(api_as, police, plan):
    api_as(police).put(report_url(plan, "I.1.2"), DRAFT)
    entry = AuditEntry.objects.get(action="access.denied")
    assert entry.actor == police
    assert "/api/v1/tasks/" in entry.summary
