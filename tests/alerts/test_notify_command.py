"""`theodoi notify`: one digest per person, of what is new to them, never twice."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from theodoi.accounts.models import Role
from theodoi.alerts.models import DigestItem, Notification
from theodoi.alerts.rules import Kind

from ..factories import make_user, unit_of
from ..tracking_factories import make_active_plan, task_of

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages: Any) -> int:
        raise OSError("connection refused")


def _with_email(user, address):  # type: ignore[no-untyped-def]
    user.email = address
    user.save()
    return user


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    plan = make_active_plan(commune)
    plan.activated_at = timezone.make_aware(dt.datetime(2025, 12, 20))
    plan.save()
    return plan


@pytest.fixture
def people(commune, office, police, leader):  # type: ignore[no-untyped-def]
    _with_email(office, "vanphong@hoaphong.gov.vn")
    _with_email(police, "congan@hoaphong.gov.vn")
    _with_email(leader, "lanhdao@hoaphong.gov.vn")
    return {"office": office, "police": police, "leader": leader}


def _notify(today: str, *args: str) -> str:
    out = StringIO()
    call_command("notify", "--today", today, *args, stdout=out)
    return out.getvalue()


def _mail_to(address: str) -> list[Any]:
    return [m for m in mail.outbox if m.to == [address]]


def test_each_person_gets_one_digest_of_their_warnings(plan, people):
    out = _notify("2026-07-10")
    assert sorted(m.to[0] for m in mail.outbox) == [
        "congan@hoaphong.gov.vn",
        "lanhdao@hoaphong.gov.vn",
        "vanphong@hoaphong.gov.vn",
    ]
    police_mail = _mail_to("congan@hoaphong.gov.vn")[0]
    # Công an: I.1.1 overdue and one warning for its six missing monthly reports, nothing
    # of other units.
    # ... and its inbox: I.1.1's report of July still to send.
    assert police_mail.subject == (
        "[theodoi] 2 cảnh báo mới, 1 việc đang chờ bạn — phường Hòa Phong"
    )
    assert "- 1 báo cáo cần gửi\n  http://127.0.0.1:8000/communes/" in police_mail.body
    assert "Quá hạn (1)" in police_mail.body
    assert "Thiếu báo cáo (1)" in police_mail.body
    assert "6 kỳ chưa báo cáo" in police_mail.body
    assert "Tuyên truyền dịch vụ công trực tuyến" not in police_mail.body
    link = f"http://127.0.0.1:8000/tasks/{task_of(plan, 'I.1.1').public_id}/"
    assert link in police_mail.body
    office_mail = _mail_to("vanphong@hoaphong.gov.vn")[0]
    assert office_mail.subject.startswith("[theodoi] 3 cảnh báo mới, ")
    assert "Tuyên truyền dịch vụ công trực tuyến" in office_mail.body
    assert "Đã báo 3 cảnh báo mới cho 3 người" in out
    assert "3 thư điện tử" in out


def test_links_use_the_configured_public_address(plan, people, settings):
    settings.THEODOI_BASE_URL = "https://theodoi.hoaphong.gov.vn/"
    _notify("2026-07-10")
    body = _mail_to("congan@hoaphong.gov.vn")[0].body
    assert f"https://theodoi.hoaphong.gov.vn/tasks/{task_of(plan, 'I.1.1').public_id}/" in body


def test_each_person_also_gets_one_notification_in_the_app(plan, people):
    _notify("2026-07-10")
    notes = Notification.objects.filter(user=people["police"])
    assert notes.count() == 1
    assert notes.get().text.startswith("2 cảnh báo mới — phường Hòa Phong")
    assert notes.get().url.endswith("/warnings/")


def test_running_twice_sends_nothing_new(plan, people):
    _notify("2026-07-10")
    sent, notes, items = len(mail.outbox), Notification.objects.count(), DigestItem.objects.count()
    out = _notify("2026-07-10")
    assert len(mail.outbox) == sent
    assert Notification.objects.count() == notes
    assert DigestItem.objects.count() == items
    assert "không có cảnh báo mới" in out


def test_a_warning_appearing_later_is_sent_on_the_next_run_alone(plan, people):
    _notify("2026-06-20")  # I.1.1 due soon; Jan–May reports missing
    mail.outbox.clear()
    _notify("2026-07-10")  # now overdue, and June's report is missing too
    police_mail = _mail_to("congan@hoaphong.gov.vn")[0]
    # July's report is a new item of the inbox (June's was told on the first run).
    assert police_mail.subject == (
        "[theodoi] 2 cảnh báo mới, 1 việc đang chờ bạn — phường Hòa Phong"
    )
    assert "Quá hạn (1)" in police_mail.body
    assert "Tháng 6/2026" in police_mail.body
    assert "Tháng 5/2026" not in police_mail.body


def test_a_dry_run_sends_and_records_nothing(plan, people):
    out = _notify("2026-07-10", "--dry-run")
    assert mail.outbox == []
    assert not Notification.objects.exists()
    assert not DigestItem.objects.exists()
    assert "Chạy thử" in out
    assert "3 cảnh báo mới cho 3 người" in out
    _notify("2026-07-10")
    assert len(mail.outbox) == 3


def test_a_person_without_an_address_still_gets_the_notification(plan, people, commune):
    nomail = make_user(
        "canbo-congan-2",
        role=Role.UNIT_STAFF,
        commune=commune,
        unit=unit_of(commune, "Công an phường"),
    )
    out = _notify("2026-07-10")
    assert Notification.objects.filter(user=nomail).count() == 1
    assert len(mail.outbox) == 3
    assert "cho 4 người" in out
    # Two warnings and one inbox item (I.1.1's July report), each told once.
    assert DigestItem.objects.filter(user=nomail).count() == 3


def test_people_of_another_commune_never_receive_this_communes_warnings(
    plan, people, other_commune, other_office
):
    make_active_plan(other_commune)
    _with_email(other_office, "vanphong@tanhoa.gov.vn")
    other_police = _with_email(
        make_user(
            "congan-tanhoa",
            role=Role.UNIT_STAFF,
            commune=other_commune,
            unit=unit_of(other_commune, "Công an xã"),
        ),
        "congan@tanhoa.gov.vn",
    )
    _notify("2026-07-10")
    theirs = _mail_to("vanphong@tanhoa.gov.vn") + _mail_to("congan@tanhoa.gov.vn")
    assert len(theirs) == 2
    hoa_phong_tasks = [str(t.public_id) for t in plan.tasks.all()]
    for message in theirs:
        assert "xã Tân Hòa" in message.subject
        assert "Hòa Phong" not in message.subject
        assert not any(public_id in message.body for public_id in hoa_phong_tasks)
    ours = _mail_to("vanphong@hoaphong.gov.vn")[0]
    assert "Tân Hòa" not in ours.subject + ours.body
    assert not Notification.objects.filter(user=other_police, commune=plan.commune).exists()


def test_a_supervisor_is_not_sent_digests(plan, people, commune):
    make_user("mttq", role=Role.SUPERVISOR, commune=commune)
    _notify("2026-07-10")
    assert not Notification.objects.filter(user__username="mttq").exists()


def test_when_the_mail_server_is_down_nothing_is_recorded_and_the_next_run_retries(
    plan, people, settings
):
    settings.EMAIL_BACKEND = "tests.alerts.test_notify_command.RefusingBackend"
    with pytest.raises(CommandError, match="lần chạy sau sẽ gửi lại"):
        _notify("2026-07-10")
    assert not DigestItem.objects.exists()
    assert not Notification.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _notify("2026-07-10")
    assert len(mail.outbox) == 3


def test_a_malformed_day_is_refused_in_vietnamese(plan):
    with pytest.raises(CommandError, match="không phải ngày"):
        _notify("10/07/2026")


def test_the_digest_groups_warnings_by_kind_most_severe_first(plan, people):
    _notify("2026-07-10")
    body = _mail_to("congan@hoaphong.gov.vn")[0].body
    assert body.index("Quá hạn (1)") < body.index("Thiếu báo cáo (1)")
    assert "Kính gửi congan," in body
    assert Kind.OVERDUE not in body  # codes stay out of what people read
