"""Reminder e-mails are sent by a background job; a mail server down fails the job, not the
reminder."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail

from theodoi.alerts.models import Notification
from theodoi.alerts.services import remind_units
from theodoi.jobs.models import Job, JobState

from ..factories import unit_of
from ..tracking_factories import make_active_plan, period_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    return make_active_plan(commune)


def test_the_reminder_e_mails_go_out_through_a_job_of_the_person_who_reminded(
    plan, commune, office, police
):
    police.email = "congan@hoaphong.gov.vn"
    police.save()
    remind_units(
        plan=plan, period=period_of(plan, 3), units=[unit_of(commune, "Công an phường")],
        actor=office,
    )  # fmt: skip
    job = Job.objects.get(kind="send_emails")
    assert (job.owner, job.commune, job.state) == (office, commune, JobState.DONE)
    assert job.result == {"sent": 1}
    assert [m.to for m in mail.outbox] == [["congan@hoaphong.gov.vn"]]


def test_a_mail_server_that_refuses_fails_the_job_and_keeps_the_reminder(
    plan, commune, office, police, monkeypatch
):
    police.email = "congan@hoaphong.gov.vn"
    police.save()

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    told = remind_units(
        plan=plan, period=period_of(plan, 3), units=[unit_of(commune, "Công an phường")],
        actor=office,
    )  # fmt: skip
    assert told == 1
    assert Notification.objects.filter(user=police).count() == 1
    job = Job.objects.get(kind="send_emails")
    assert job.state == JobState.FAILED
    assert job.error.startswith("Máy chủ thư không nhận thư")
    assert "0/1" in job.error
