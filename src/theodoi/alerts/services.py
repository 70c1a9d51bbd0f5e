"""Telling people: in-app notifications, acknowledged warnings, reminders and e-mail digests.

Warnings themselves are derived (``rules.plan_warnings``); what is stored here is only what
people did with them (``WarningAck``) and what they were already told (``DigestItem``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from theodoi.accounts.access import AnyUser
from theodoi.accounts.models import Membership, Role
from theodoi.accounts.roles import OVERSIGHT, STEERING, UNIT_ROLES
from theodoi.audit.services import audit_record
from theodoi.plans.models import Plan, Task
from theodoi.tracking.models import Period
from theodoi.tracking.status import leaves_of, task_states
from theodoi.units.models import Commune, Province, Unit

from .inbox import Queue, inbox_for, province_queues
from .models import DigestItem, Notification, WarningAck, WarningSeen
from .rules import KIND_LABELS, Kind, Warning, lead_ids_of, missing_reports, plan_warnings

log = logging.getLogger(__name__)

# Who sees every warning of their commune on screen (supervisors watch, so they see it all).
SEE_ALL_ROLES = OVERSIGHT
# Who is sent every warning of their commune by the digest.
DIGEST_ALL_ROLES = STEERING
# A digest lists at most this many warnings of one kind; the rest are one link away.
DIGEST_LINES_PER_KIND = 30


class AlertError(Exception):
    """A refused action; ``message`` is one Vietnamese sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def notify_unit(
    *, unit: Unit, text: str, url: str = "", key: str | None = None
) -> list[Notification]:
    """Tell every member of ``unit`` (staff and head); with ``key``, once per item
    (``notify_once``)."""
    if key is not None:
        return notify_once(
            user_ids=unit_member_ids(unit), commune_id=unit.commune_id, key=key, text=text, url=url
        )
    users = User.objects.filter(memberships__unit=unit, is_active=True).distinct()
    return Notification.objects.bulk_create(
        Notification(commune_id=unit.commune_id, user=user, text=text[:500], url=url)
        for user in users
    )


def notify_roles(
    *, commune: Commune, roles: set[str], text: str, url: str = ""
) -> list[Notification]:
    """Tell everyone holding one of ``roles`` in ``commune`` (e.g. the standing office)."""
    user_ids = set(
        Membership.objects.filter(commune=commune, role__in=roles).values_list("user_id", flat=True)
    )
    return Notification.objects.bulk_create(
        Notification(commune=commune, user_id=user_id, text=text[:500], url=url)
        for user_id in sorted(user_ids)
    )


def notify_once(
    *, user_ids: Iterable[int], commune_id: int, key: str, text: str, url: str = ""
) -> list[Notification]:
    """Tell each of ``user_ids`` that item ``key`` waits for them, once: a person already told
    of ``key`` is not told again (the database's unique key holds it, even for two callers at
    the same instant). Returns the notifications made now."""
    ids = sorted(set(user_ids))
    if not ids:
        return []
    told = set(
        Notification.objects.filter(user_id__in=ids, key=key).values_list("user_id", flat=True)
    )
    return Notification.objects.bulk_create(
        [
            Notification(commune_id=commune_id, user_id=uid, text=text[:500], url=url, key=key)
            for uid in ids
            if uid not in told
        ],
        ignore_conflicts=True,
    )


def unit_member_ids(unit: Unit, *, roles: Iterable[str] | None = None) -> list[int]:
    """The active members of ``unit`` (holding one of ``roles``, when given)."""
    rows = Membership.objects.filter(unit=unit, user__is_active=True)
    if roles is not None:
        rows = rows.filter(role__in=list(roles))
    return list(rows.values_list("user_id", flat=True).distinct())


def role_holder_ids(commune: Commune, roles: Iterable[str]) -> list[int]:
    """The active people holding one of ``roles`` in ``commune``."""
    return list(
        Membership.objects.filter(commune=commune, role__in=list(roles), user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )


def warnings_seen(*, user: User, commune: Commune, keys: Sequence[str]) -> None:
    """Record that the warnings list showed ``keys`` to ``user`` (no longer new to them)."""
    if keys:
        WarningSeen.objects.bulk_create(
            [WarningSeen(user=user, commune=commune, key=key) for key in set(keys)],
            ignore_conflicts=True,
        )


# --- whose warnings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WarningScope:
    """What part of a commune's warnings a person sees: all of them, or their units'."""

    everything: bool = False
    unit_ids: frozenset[int] = frozenset()
    # The standing office decides on evidence: a digest does not tell it of its own
    # rejections (the unit that must act is told).
    reviewer: bool = False

    def admits(self, warning: Warning) -> bool:
        return self.everything or bool(self.unit_ids.intersection(warning.unit_ids))

    def tells(self, warning: Warning) -> bool:
        """Whether a digest tells this person of ``warning``."""
        if self.reviewer and warning.kind == Kind.EVIDENCE_REJECTED:
            return bool(self.unit_ids.intersection(warning.unit_ids))
        return self.admits(warning)


def warning_scope(user: AnyUser, commune: Commune) -> WarningScope:
    if not isinstance(user, User) or not user.is_authenticated:
        return WarningScope()
    if user.is_superuser:
        return WarningScope(everything=True)
    memberships = list(
        Membership.objects.filter(
            Q(commune=commune) | Q(role=Role.PROVINCE_OFFICER, province_id=commune.province_id),
            user=user,
        )
    )
    # A province officer reads a commune of the province as a whole, like its office does.
    if any(m.role in SEE_ALL_ROLES or m.role == Role.PROVINCE_OFFICER for m in memberships):
        return WarningScope(everything=True)
    return WarningScope(
        unit_ids=frozenset(m.unit_id for m in memberships if m.role in UNIT_ROLES and m.unit_id)
    )


def is_commune_member(user: AnyUser, commune: Commune) -> bool:
    """Works in ``commune`` (any role there): may acknowledge the warnings they see."""
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, commune=commune).exists()


def commune_warnings(commune: Commune, *, today: dt.date) -> list[Warning]:
    """The warnings of every active plan of ``commune``, most severe first."""
    warnings: list[Warning] = []
    for plan in Plan.objects.active().of_commune(commune).select_related("commune"):
        warnings += plan_warnings(plan, today=today)
    # Stable: within one severity and kind, each plan keeps its own order.
    warnings.sort(key=lambda w: (-w.severity, w.kind))
    return warnings


def warnings_for_user(
    user: AnyUser, commune: Commune, today: dt.date, *, scope: WarningScope | None = None
) -> list[tuple[Warning, WarningAck | None]]:
    """The commune's warnings ``user`` should see, each with its acknowledgement if any.

    Unit staff and heads see the warnings of their units; the standing office, leaders,
    supervisors (and the province) see all of the commune's active plans. ``scope``, when
    the caller already has it, saves looking it up again.
    """
    scope = scope or warning_scope(user, commune)
    if not scope.everything and not scope.unit_ids:
        return []
    warnings = [w for w in commune_warnings(commune, today=today) if scope.admits(w)]
    acks = acks_of(commune, [w.key for w in warnings])
    return [(w, acks.get(w.key)) for w in warnings]


def acks_of(commune: Commune, keys: Sequence[str]) -> dict[str, WarningAck]:
    if not keys:
        return {}
    rows = WarningAck.objects.filter(commune=commune, key__in=keys).select_related("user")
    return {ack.key: ack for ack in rows}


# --- acknowledging ---------------------------------------------------------------------------


def warning_acknowledge(
    *,
    commune: Commune,
    key: str,
    user: User,
    note: str = "",
    today: dt.date | None = None,
) -> WarningAck:
    """Record that ``user`` has seen warning ``key``; a second time changes nothing.

    Only a person working in the commune may, and only a warning they can see today: a
    unit acknowledges its own warnings, the office any of the commune's.
    """
    if not is_commune_member(user, commune):
        raise AlertError(_("Chỉ cán bộ của xã/phường mới ghi nhận được cảnh báo."))
    existing = WarningAck.objects.filter(commune=commune, key=key).select_related("user").first()
    if existing is not None:
        return existing
    warning = next(
        (
            w
            for w, _ack in warnings_for_user(user, commune, today or timezone.localdate())
            if w.key == key
        ),
        None,
    )
    if warning is None:
        raise AlertError(
            _("Cảnh báo này không còn (số liệu đã thay đổi) hoặc không thuộc đơn vị của bạn.")
        )
    try:
        with transaction.atomic():
            ack = WarningAck.objects.create(commune=commune, key=key, user=user, note=note[:300])
            audit_record(
                actor=user,
                action="warning.acknowledge",
                summary=_("Ghi nhận cảnh báo (%(kind)s): %(reason)s")
                % {"kind": warning.kind_label, "reason": warning.reason},
                obj=ack,
                commune=commune,
                task=warning.task,
                target=warning.target,
                after={"key": key, "note": ack.note},
            )
    except IntegrityError:
        # Someone else acknowledged it in the same instant: theirs stands.
        return WarningAck.objects.select_related("user").get(commune=commune, key=key)
    return ack


# --- links ----------------------------------------------------------------------------------


def warning_path(warning: Warning) -> str:
    """The page of the warning's task or target (a path), or "" while it does not exist."""
    try:
        if warning.task is not None:
            return reverse("task_detail", args=[warning.task.public_id])
        if warning.target is not None:
            return reverse("target_detail", args=[warning.target.public_id])
    except NoReverseMatch:
        pass
    return ""


def absolute_url(path: str) -> str:
    """``path`` on the server's public address (``THEODOI_BASE_URL``), for e-mails."""
    return settings.THEODOI_BASE_URL.rstrip("/") + path if path else ""


def _path_or_empty(name: str, *args: object) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# --- reminding units -------------------------------------------------------------------------


def _unreported_tasks(plan: Plan, period: Period, units: Sequence[Unit]) -> dict[int, list[Task]]:
    """Per unit: the leaf tasks it leads that owe a report for ``period`` — the very rule of
    the missing-report warning (``rules.missing_reports``), asked about this one period."""
    unit_ids = {u.pk for u in units}
    tasks = list(plan.tasks.order_by("position"))
    today = timezone.localdate()
    leaves = leaves_of(tasks)
    owed = missing_reports(
        [plan],
        leaves,
        task_states(tasks, today=today),
        lead_ids_of([plan]),
        today,
        periods={plan.pk: [period]},
    )
    missing: dict[int, list[Task]] = defaultdict(list)
    for task in leaves:  # in the plan's order
        for unit_id in unit_ids:
            if (task.pk, unit_id) in owed:
                missing[unit_id].append(task)
    return missing


def remind_units(*, plan: Plan, period: Period, units: Iterable[Unit], actor: User) -> int:
    """Remind ``units`` of the tasks they have not yet reported for ``period``.

    Each member of a unit with something missing gets an in-app notification, and an e-mail
    when they have an address. Returns how many people were reminded; units with nothing
    missing are left alone.
    """
    from theodoi.tracking.access import is_leader, is_office

    commune = plan.commune
    units = list(units)
    if not (is_office(actor, commune) or is_leader(actor, commune)):
        raise AlertError(_("Chỉ cơ quan thường trực hoặc lãnh đạo mới nhắc được các đơn vị."))
    if period.plan_id != plan.pk or any(u.commune_id != plan.commune_id for u in units):
        raise AlertError(_("Kỳ báo cáo hoặc đơn vị không thuộc kế hoạch này."))
    missing = _unreported_tasks(plan, period, units)
    members: dict[int, list[User]] = defaultdict(list)
    rows = Membership.objects.filter(
        unit_id__in=list(missing), role__in=UNIT_ROLES, user__is_active=True
    ).select_related("user")
    for m in rows:
        if m.unit_id is not None and m.user not in members[m.unit_id]:
            members[m.unit_id].append(m.user)
    my_tasks = _path_or_empty("my_tasks", commune.public_id)
    notifications: list[Notification] = []
    emails: list[EmailMessage] = []
    for unit in units:
        tasks = missing.get(unit.pk)
        if not tasks or not members[unit.pk]:
            continue
        codes = ", ".join(t.code for t in tasks[:10]) + ("…" if len(tasks) > 10 else "")
        text = _(
            "Nhắc báo cáo %(period)s (hạn %(due)s): %(unit)s còn %(n)d nhiệm vụ chưa gửi "
            "báo cáo: %(codes)s."
        ) % {
            "period": period.label,
            "due": f"{period.due_on:%d/%m/%Y}",
            "unit": unit.name,
            "n": len(tasks),
            "codes": codes,
        }
        lines = [
            _("Kính gửi %(unit)s,") % {"unit": unit.name},
            "",
            _(
                "Đơn vị còn %(n)d nhiệm vụ chưa gửi báo cáo %(period)s (hạn gửi %(due)s) "
                "theo %(plan)s:"
            )
            % {
                "n": len(tasks),
                "period": period.label,
                "due": f"{period.due_on:%d/%m/%Y}",
                "plan": plan.number or plan.title,
            },
            "",
        ]
        for task in tasks:
            lines.append(f'- {task.code} "{task.name}"')
            link = absolute_url(_path_or_empty("task_detail", task.public_id))
            if link:
                lines.append(f"  {link}")
        if my_tasks:
            lines += ["", _("Báo cáo tại: %(url)s") % {"url": absolute_url(my_tasks)}]
        lines += ["", _("Người nhắc: %(who)s") % {"who": actor.get_full_name() or actor.username}]
        subject = _("[theodoi] Nhắc gửi báo cáo %(period)s — %(unit)s") % {
            "period": period.label,
            "unit": unit.name,
        }
        for user in members[unit.pk]:
            notifications.append(
                Notification(commune=commune, user=user, text=text[:500], url=my_tasks)
            )
            if user.email:
                emails.append(
                    EmailMessage(
                        subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [user.email]
                    )
                )
    with transaction.atomic():
        Notification.objects.bulk_create(notifications)
        audit_record(
            actor=actor,
            action="period.remind",
            summary=_("Nhắc %(n)d người chưa gửi báo cáo %(period)s")
            % {"n": len(notifications), "period": period.label},
            obj=period,
            commune=commune,
            after={"units": sorted(u.name for u in units if missing.get(u.pk))},
        )
    if emails:
        # Sent by the worker: a slow mail server never holds up the page. The in-app reminder
        # stands either way; a failed sending is the job's error (admin "Công việc nền").
        from theodoi.jobs.services import job_start

        from .job_kinds import SEND_EMAILS, email_params

        job_start(kind=SEND_EMAILS, owner=actor, commune=commune, params=email_params(emails))
    return len(notifications)


# --- the digest (`theodoi notify`) ------------------------------------------------------------


@dataclass
class Digest:
    """What one person is told about one commune in one run: the warnings new to them, and
    their inbox there (the very queues of their home page), sent when some item in it has
    not been told to them yet."""

    user: User
    commune: Commune | None  # None: a province officer's digest of their province
    warnings: list[Warning]
    queues: list[Queue] = field(default_factory=list)
    new_items: list[str] = field(default_factory=list)  # inbox items not told before

    province: Province | None = None

    @property
    def waiting(self) -> int:
        return sum(q.count for q in self.queues)

    @property
    def place(self) -> str:
        return str(self.commune or self.province or "")


def told_key(item: str) -> str:
    """An inbox item as recorded in ``DigestItem`` (beside the warnings' own keys)."""
    key = "inbox:" + item
    if len(key) > 200:
        key = "inbox:" + hashlib.sha256(item.encode()).hexdigest()
    return key


@dataclass
class DigestResult:
    people: int = 0  # people told something new
    warnings: int = 0  # distinct new warnings told to somebody
    items: int = 0  # (person, warning) pairs
    waiting: int = 0  # (person, inbox item) pairs told for the first time
    emails: int = 0
    failed: list[str] = field(default_factory=list)  # who could not be e-mailed (retried)
    digests: list[Digest] = field(default_factory=list)


def _recipients(communes: Sequence[Commune]) -> dict[tuple[int, int], tuple[User, WarningScope]]:
    """For each (commune, user): the warnings the digest tells them of."""
    everything: set[tuple[int, int]] = set()
    reviewers: set[tuple[int, int]] = set()
    units: dict[tuple[int, int], set[int]] = defaultdict(set)
    users: dict[int, User] = {}
    rows = Membership.objects.filter(
        commune__in=communes, user__is_active=True, role__in=DIGEST_ALL_ROLES | UNIT_ROLES
    ).select_related("user")
    for m in rows:
        assert m.commune_id is not None
        where = (m.commune_id, m.user_id)
        users[m.user_id] = m.user
        if m.role == Role.STANDING_OFFICE:
            reviewers.add(where)
        if m.role in DIGEST_ALL_ROLES:
            everything.add(where)
        elif m.unit_id:
            units[where].add(m.unit_id)
    return {
        where: (
            users[where[1]],
            WarningScope(
                everything=where in everything,
                unit_ids=frozenset(units.get(where, ())),
                reviewer=where in reviewers,
            ),
        )
        for where in everything | set(units)
    }


def digest_collect(*, today: dt.date) -> list[Digest]:
    """Per person and commune, the warnings of active plans not yet told to them."""
    plans = list(Plan.objects.active().select_related("commune"))
    by_commune: dict[int, list[Warning]] = defaultdict(list)
    communes: dict[int, Commune] = {}
    for plan in plans:
        communes[plan.commune_id] = plan.commune
        by_commune[plan.commune_id] += plan_warnings(plan, today=today)
    recipients = _recipients(list(communes.values()))
    told: dict[int, set[str]] = defaultdict(set)
    user_ids = {user_id for _commune, user_id in recipients}
    for user_id, key in DigestItem.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "key"
    ):
        told[user_id].add(key)
    digests: list[Digest] = []
    for (commune_id, user_id), (user, scope) in sorted(recipients.items()):
        new = [w for w in by_commune[commune_id] if scope.tells(w) and w.key not in told[user_id]]
        queues = inbox_for(user, today=today, only=communes[commune_id])
        untold = [i for q in queues for i in q.items if told_key(i) not in told[user_id]]
        if new or untold:
            new.sort(key=lambda w: (-w.severity, w.kind))
            digests.append(
                Digest(
                    user=user,
                    commune=communes[commune_id],
                    warnings=new,
                    queues=queues,
                    new_items=untold,
                )
            )
    return digests + _province_digests(today=today)


def _province_digests(*, today: dt.date) -> list[Digest]:
    """Each province officer's inbox (communes not reported, criteria to appraise), sent
    when some item in it is new to them."""
    officers = Membership.objects.filter(
        role=Role.PROVINCE_OFFICER, user__is_active=True, province__isnull=False
    ).select_related("user", "province")
    told: dict[int, set[str]] = defaultdict(set)
    for user_id, key in DigestItem.objects.filter(
        user_id__in=[m.user_id for m in officers], key__startswith="inbox:"
    ).values_list("user_id", "key"):
        told[user_id].add(key)
    by_province: dict[int, list[Queue]] = {}
    digests = []
    for m in sorted(officers, key=lambda m: (m.user_id, m.province_id or 0)):
        assert m.province is not None
        if m.province.pk not in by_province:
            queues = province_queues(m.province, today=today)
            by_province[m.province.pk] = [q for q in queues if q.count]
        queues = by_province[m.province.pk]
        untold = [i for q in queues for i in q.items if told_key(i) not in told[m.user_id]]
        if untold:
            digests.append(
                Digest(
                    user=m.user,
                    commune=None,
                    province=m.province,
                    warnings=[],
                    queues=queues,
                    new_items=untold,
                )
            )
    return digests


def _digest_summary(digest: Digest) -> str:
    """ "2 cảnh báo mới, 3 việc đang chờ bạn" (either part left out when there is none)."""
    parts = []
    if digest.warnings:
        parts.append(_("%(n)d cảnh báo mới") % {"n": len(digest.warnings)})
    if digest.queues:
        parts.append(_("%(n)d việc đang chờ bạn") % {"n": digest.waiting})
    return ", ".join(parts)


def digest_subject(digest: Digest) -> str:
    return _("[theodoi] %(summary)s — %(commune)s") % {
        "summary": _digest_summary(digest),
        "commune": digest.place,
    }


def digest_body(digest: Digest, *, today: dt.date) -> str:
    """The e-mail's text: grouped by kind, each reason with the link to its task or target."""
    user = digest.user
    lines = [_("Kính gửi %(name)s,") % {"name": user.get_full_name() or user.username}]
    if digest.queues:
        # The same lines as the inbox on the home page, each with its list.
        lines += [
            "",
            _("Việc đang chờ bạn tại %(commune)s (ngày %(day)s):")
            % {"commune": digest.place, "day": f"{today:%d/%m/%Y}"},
        ]
        for queue in digest.queues:
            lines += [f"- {queue.label}", f"  {absolute_url(queue.url)}"]
    if digest.warnings:
        lines += [
            "",
            _("Có %(n)d cảnh báo mới về kế hoạch chuyển đổi số của %(commune)s (ngày %(day)s):")
            % {"n": len(digest.warnings), "commune": digest.commune, "day": f"{today:%d/%m/%Y}"},
        ]
    grouped: dict[str, list[Warning]] = defaultdict(list)
    for warning in digest.warnings:
        grouped[warning.kind].append(warning)
    for kind, warnings in grouped.items():
        lines += ["", f"{_(KIND_LABELS[kind])} ({len(warnings)})"]
        for warning in warnings[:DIGEST_LINES_PER_KIND]:
            lines.append(f"- {warning.reason}")
            link = absolute_url(warning_path(warning))
            if link:
                lines.append(f"  {link}")
        if len(warnings) > DIGEST_LINES_PER_KIND:
            lines.append(
                _("- … và %(n)d cảnh báo khác cùng loại.")
                % {"n": len(warnings) - DIGEST_LINES_PER_KIND}
            )
    all_link = ""
    if digest.commune is not None and digest.warnings:
        all_link = absolute_url(_path_or_empty("warning_list", digest.commune.public_id))
    if all_link:
        lines += ["", _("Xem và ghi nhận tất cả cảnh báo: %(url)s") % {"url": all_link}]
    lines += [
        "",
        _(
            "Thư gửi tự động từ hệ thống theo dõi chuyển đổi số; mỗi cảnh báo, mỗi việc mới "
            "chỉ được báo một lần."
        ),
    ]
    return "\n".join(lines)


def digest_notification_text(digest: Digest) -> str:
    counts: dict[str, int] = defaultdict(int)
    for warning in digest.warnings:
        counts[warning.kind] += 1
    detail = ", ".join(f"{n} {_(KIND_LABELS[kind]).lower()}" for kind, n in counts.items())
    waiting = ", ".join(q.label for q in digest.queues)
    if not digest.warnings:
        return _("Việc đang chờ bạn — %(commune)s: %(waiting)s.") % {
            "commune": digest.place,
            "waiting": waiting,
        }
    text = _("%(n)d cảnh báo mới — %(commune)s: %(detail)s.") % {
        "n": len(digest.warnings),
        "commune": digest.commune,
        "detail": detail,
    }
    if waiting:
        text += " " + _("Việc đang chờ bạn: %(waiting)s.") % {"waiting": waiting}
    return text


def digest_send(*, today: dt.date, dry_run: bool = False) -> DigestResult:
    """Tell each person, once, of the warnings that are new to them: one e-mail and one
    in-app notification per person and commune.

    The e-mail goes first; only once the mail server has taken it are the warnings recorded
    as told (``DigestItem``), in one transaction with the notification. A refused e-mail
    records nothing, so the next run tries again; and no database lock is held while the
    mail server is talked to. A second run on the same data sends nothing.
    """
    digests = digest_collect(today=today)
    result = DigestResult(digests=digests)
    keys: set[str] = set()
    for digest in digests:
        result.people += 1
        result.items += len(digest.warnings)
        result.waiting += len(digest.new_items)
        keys.update(w.key for w in digest.warnings)
        if digest.user.email:
            result.emails += 1
    result.warnings = len(keys)
    if dry_run:
        return result
    result.emails = 0
    connection = get_connection()
    try:
        for digest in digests:
            if digest.user.email:
                try:
                    EmailMessage(
                        digest_subject(digest),
                        digest_body(digest, today=today),
                        settings.DEFAULT_FROM_EMAIL,
                        [digest.user.email],
                        connection=connection,
                    ).send()
                except Exception:
                    # Nothing recorded: this person is retried next run; the others go on.
                    log.exception("Digest for %s could not be sent", digest.user)
                    result.failed.append(digest.user.username)
                    continue
                result.emails += 1
            with transaction.atomic():
                _digest_record(digest)
    finally:
        connection.close()
    return result


def _digest_record(digest: Digest) -> None:
    keys = [w.key for w in digest.warnings] + [told_key(i) for i in digest.new_items]
    DigestItem.objects.bulk_create(
        [DigestItem(user=digest.user, key=key) for key in keys],
        ignore_conflicts=True,  # a run started at the same time already told them
    )
    Notification.objects.create(
        commune=digest.commune,
        user=digest.user,
        text=digest_notification_text(digest)[:500],
        url=_path_or_empty("warning_list", digest.commune.public_id)
        if digest.commune is not None and digest.warnings
        else _path_or_empty("home"),
    )
