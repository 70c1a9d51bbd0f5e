"""The alerts' background work: sending e-mails (a mail server can take seconds per message)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext as _

from theodoi.jobs.models import Job
from theodoi.jobs.registry import JobFailed, JobOutcome, Progress, job_kind

SEND_EMAILS = "send_emails"


def email_params(messages: list[EmailMessage]) -> dict[str, object]:
    """The job's params for ``messages`` (plain text e-mails): JSON, as the queue stores it."""
    return {
        "emails": [
            {"subject": m.subject, "body": m.body, "to": list(m.to), "from": m.from_email}
            for m in messages
        ]
    }


@job_kind(SEND_EMAILS)
def send_emails_job(job: Job, progress: Progress) -> JobOutcome:
    emails = job.params.get("emails", [])
    total = len(emails)
    progress(0, total, _("Đang gửi thư điện tử…"))
    sent = 0
    try:
        with get_connection() as connection:
            for n, item in enumerate(emails, start=1):
                message = EmailMessage(
                    item["subject"],
                    item["body"],
                    item.get("from") or settings.DEFAULT_FROM_EMAIL,
                    item["to"],
                    connection=connection,
                )
                sent += int(message.send() or 0)
                progress(n, total, _("Đã gửi %(n)d/%(total)d thư.") % {"n": n, "total": total})
    except OSError as exc:  # smtplib's errors are OSErrors: the server refused or is down
        raise JobFailed(
            _("Máy chủ thư không nhận thư (%(error)s): đã gửi %(sent)d/%(total)d thư.")
            % {"error": exc, "sent": sent, "total": total}
        ) from None
    return JobOutcome(result={"sent": sent})
