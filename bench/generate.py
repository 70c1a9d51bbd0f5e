"""A generated province for the dashboards' benchmark (and their query-count tests).

``generate_province(communes=100)`` builds, in the current database, a province of N
communes, each with an active plan of ~25 tasks (5 general tasks of 4 sub-tasks each) and
~15 targets worded as the catalogue's indicators are worded in real plans, and a year of
monthly progress reports, target values and evidence with review states mixed: accepted,
pending, rejected; missing reports; tasks done on time, late, or not at all.

Rows are written with ``bulk_create`` (a few hundred statements for 100 communes), not
through the services: the point is a database shaped like a busy province, fast to build.
Deterministic for a given ``seed``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from theodoi.accounts.models import Membership, Role
from theodoi.evidence.models import Evidence, EvidenceKind
from theodoi.plans.indicators import catalogue_entries, indicators_load
from theodoi.plans.models import (
    AssignmentRole,
    DeadlineKind,
    Indicator,
    Plan,
    PlanStatus,
    Recurrence,
    Target,
    TargetKind,
    Task,
    TaskAssignment,
)
from theodoi.tracking.models import (
    Period,
    ProgressReport,
    ReportState,
    ReviewStatus,
    TargetValue,
    TaskStatus,
)
from theodoi.tracking.periods import periods_ensure
from theodoi.units.models import Commune, Province, Unit
from theodoi.units.services import commune_create

BATCH = 2000
GROUPS = ["Hạ tầng số", "Chính quyền số", "Kinh tế số", "Xã hội số", "Nhân lực số"]


@dataclass
class GeneratedProvince:
    province: Province
    officer: User
    communes: list[Commune]
    offices: dict[int, User]  # commune id → its standing-office user
    plans: list[Plan] = field(default_factory=list)


def _aware(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def _quarter_end(year: int, quarter: int) -> dt.date:
    month = 3 * quarter
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _review(rng: random.Random, accepted: float, pending: float) -> str:
    draw = rng.random()
    if draw < accepted:
        return ReviewStatus.ACCEPTED
    if draw < accepted + pending:
        return ReviewStatus.PENDING
    return ReviewStatus.REJECTED


def generate_province(
    *,
    communes: int = 100,
    tasks: int = 25,
    targets: int = 15,
    year: int | None = None,
    today: dt.date | None = None,
    seed: int = 2026,
    code: str = "tinh-thu-nghiem",
    name: str = "Tỉnh Thử Nghiệm",
    summaries: bool = True,
) -> GeneratedProvince:
    """Build the province; reports and values exist for every period started by ``today``."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    year = year or today.year
    indicators_load()
    catalogue = {ind.code: ind for ind in Indicator.objects.all()}
    entries = [e for e in catalogue_entries() if e["code"] in catalogue]

    province = Province.objects.create(code=code, name=name)
    officer = User.objects.create_user(username=f"{code}-so")
    Membership.objects.create(user=officer, role=Role.PROVINCE_OFFICER, province=province)

    made = [
        commune_create(
            province=province,
            name=f"Thử Nghiệm {i + 1:03d}",
            kind="phường" if i % 3 else "xã",
            code=f"{code}-{i + 1:03d}",
        )
        for i in range(communes)
    ]
    office_users = User.objects.bulk_create(
        [User(username=f"{c.code}-vp", password="!") for c in made], batch_size=BATCH
    )
    offices = {c.pk: u for c, u in zip(made, office_users, strict=True)}
    units: dict[int, list[Unit]] = {c.pk: [] for c in made}
    for unit in Unit.objects.filter(commune__in=made).order_by("pk"):
        units[unit.commune_id].append(unit)
    standing = {cid: us[0] for cid, us in units.items()}
    for unit in standing.values():
        unit.is_standing_office = True
    Unit.objects.bulk_update(list(standing.values()), ["is_standing_office"])
    Membership.objects.bulk_create(
        [
            Membership(
                user=offices[c.pk], role=Role.STANDING_OFFICE, commune=c, unit=standing[c.pk]
            )
            for c in made
        ]
    )

    plans = Plan.objects.bulk_create(
        [
            Plan(
                commune=c,
                title=f"Kế hoạch chuyển đổi số {c} năm {year}",
                number=f"{rng.randint(10, 300)}/KH-UBND",
                issued_on=dt.date(year, 1, rng.randint(5, 28)),
                year=year,
                status=PlanStatus.ACTIVE,
                activated_at=_aware(dt.date(year - 1, 12, 20)),
            )
            for c in made
        ]
    )
    periods: dict[int, list[Period]] = {p.pk: periods_ensure(plan=p) for p in plans}

    all_tasks = _make_tasks(rng, plans, units, tasks, year)
    plan_targets = _make_targets(rng, plans, units, entries, catalogue, targets)
    started = {pid: [p for p in ps if p.starts_on <= today] for pid, ps in periods.items()}
    _make_reports(rng, all_tasks, started, offices, today)
    _make_values(rng, plan_targets, started, offices, today)
    if summaries and apps.is_installed("theodoi.summaries"):
        # The rows above were written directly, not through the services: derive them.
        # (Imported here: ``bench_writes --before`` runs this on sources older than them.)
        from theodoi.summaries.services import summary_rebuild

        for plan in plans:
            with transaction.atomic():
                summary_rebuild(plan)
    return GeneratedProvince(province, officer, made, offices, list(plans))


def _make_tasks(
    rng: random.Random,
    plans: Sequence[Plan],
    units: dict[int, list[Unit]],
    count: int,
    year: int,
) -> list[tuple[Task, list[Unit], list[Unit]]]:
    """General tasks, then their sub-tasks; returns each sub-task with its lead/support units."""
    groups = max(1, count // 5)
    per_group = max(0, count - groups) // groups
    parents = []
    for plan in plans:
        for g in range(groups):
            parents.append(
                Task(
                    plan=plan,
                    commune_id=plan.commune_id,
                    code=f"{g + 1}",
                    group=GROUPS[g % len(GROUPS)],
                    name=f"Nhóm nhiệm vụ {GROUPS[g % len(GROUPS)].lower()}",
                    deadline_kind=DeadlineKind.DATE,
                    deadline_text=f"Năm {year}",
                    due_on=dt.date(year, 12, 31),
                    position=g * (per_group + 1),
                )
            )
    Task.objects.bulk_create(parents, batch_size=BATCH)
    children: list[tuple[Task, list[Unit], list[Unit]]] = []
    assignments: list[TaskAssignment] = []
    for parent in parents:
        choices = units[parent.commune_id][1:] or units[parent.commune_id]
        assignments.append(
            TaskAssignment(task=parent, unit=rng.choice(choices), role=AssignmentRole.LEAD)
        )
        for k in range(per_group):
            shape = rng.random()
            if shape < 0.6:
                quarter = rng.randint(1, 4)
                deadline = {
                    "deadline_kind": DeadlineKind.DATE,
                    "deadline_text": f"Quý {quarter}/{year}",
                    "due_on": _quarter_end(year, quarter),
                    "starts_on": dt.date(year, 3 * quarter - 2, 1) if rng.random() < 0.3 else None,
                }
            elif shape < 0.9:
                deadline = {
                    "deadline_kind": DeadlineKind.RECURRING,
                    "deadline_text": "Thường xuyên",
                    "due_on": dt.date(year, 12, 31),
                    "recurrence": Recurrence.CONTINUOUS,
                }
            else:
                deadline = {"deadline_kind": DeadlineKind.UNSPECIFIED}
            task = Task(
                plan_id=parent.plan_id,
                commune_id=parent.commune_id,
                parent=parent,
                code=f"{parent.code}.{k + 1}",
                group=parent.group,
                name=f"Triển khai nội dung {parent.code}.{k + 1} của {parent.group.lower()}",
                position=parent.position + k + 1,
                **deadline,
            )
            lead = rng.choice(choices)
            supports = [u for u in rng.sample(choices, k=min(2, len(choices))) if u != lead][:1]
            children.append((task, [lead], supports if rng.random() < 0.5 else []))
    Task.objects.bulk_create([t for t, _l, _s in children], batch_size=BATCH)
    for task, leads, supports in children:
        assignments += [TaskAssignment(task=task, unit=u, role=AssignmentRole.LEAD) for u in leads]
        assignments += [
            TaskAssignment(task=task, unit=u, role=AssignmentRole.SUPPORT) for u in supports
        ]
    TaskAssignment.objects.bulk_create(assignments, batch_size=BATCH)
    return children


def _make_targets(
    rng: random.Random,
    plans: Sequence[Plan],
    units: dict[int, list[Unit]],
    entries: list[dict[str, object]],
    catalogue: dict[str, Indicator],
    count: int,
) -> list[tuple[Target, Unit]]:
    """Targets worded as each commune words them (the catalogue's name or an alias)."""
    made: list[tuple[Target, Unit]] = []
    for plan in plans:
        for position, entry in enumerate(rng.sample(entries, k=min(count, len(entries)))):
            wordings = [entry["name"], *entry["aliases"]]  # type: ignore[list-item]
            indicator = catalogue[str(entry["code"])]
            is_rank = indicator.measure_unit == "hạng"
            goal = Decimal(10 if is_rank else rng.choice([50, 60, 70, 80, 90, 95, 100]))
            target = Target(
                plan=plan,
                commune_id=plan.commune_id,
                code=str(position + 1),
                group=indicator.group,
                name=str(rng.choice(wordings)),
                measure_unit=indicator.measure_unit,
                kind=TargetKind.RANK if is_rank else TargetKind.QUANTITATIVE,
                comparator="<=" if is_rank else ">=",
                value=goal,
                value_text=f"top {goal}" if is_rank else f"≥ {goal}%",
                indicator=indicator,
                position=position,
            )
            made.append((target, rng.choice(units[plan.commune_id])))
    Target.objects.bulk_create([t for t, _u in made], batch_size=BATCH)
    Owner = Target.owners.through
    Owner.objects.bulk_create(
        [Owner(target_id=t.pk, unit_id=u.pk) for t, u in made], batch_size=BATCH
    )
    return made


def _make_reports(
    rng: random.Random,
    tasks: Sequence[tuple[Task, list[Unit], list[Unit]]],
    periods: dict[int, list[Period]],
    offices: dict[int, User],
    today: dt.date,
) -> None:
    """Monthly reports on each sub-task until it is done, some missing, some late."""
    reports: list[ProgressReport] = []
    for task, leads, supports in tasks:
        plan_periods = periods[task.plan_id]
        if not plan_periods:
            continue
        final = rng.choice([30, 60, 80, 100, 100, 100])
        # The month it is reported done: around its deadline (late sometimes), or never.
        due_month = task.due_on.month if task.due_on else 12
        done_month = min(12, due_month + rng.choice([-2, -1, 0, 0, 1, 2])) if final == 100 else 99
        user = offices[task.commune_id]
        for index, period in enumerate(plan_periods, start=1):
            if rng.random() < 0.08:
                continue  # a missing report
            current = period.ends_on >= today
            sent = not current or rng.random() < 0.6
            done = index >= done_month
            percent = 100 if done else min(99, round(final * index / 12))
            status = (
                TaskStatus.COMPLETED
                if done
                else TaskStatus.NOT_STARTED
                if percent == 0
                else TaskStatus.IN_PROGRESS
            )
            reports.append(
                ProgressReport(
                    commune_id=task.commune_id,
                    task=task,
                    period=period,
                    unit=leads[0],
                    status=status,
                    percent=percent,
                    done=f"Đã triển khai {percent}% khối lượng.",
                    state=ReportState.SENT if sent else ReportState.DRAFT,
                    sent_at=_aware(period.ends_on + dt.timedelta(days=rng.randint(0, 8)))
                    if sent
                    else None,
                    created_by=user,
                )
            )
            for unit in supports:
                if rng.random() < 0.3:
                    reports.append(
                        ProgressReport(
                            commune_id=task.commune_id,
                            task=task,
                            period=period,
                            unit=unit,
                            is_contribution=True,
                            percent=percent,
                            state=ReportState.SENT,
                            sent_at=_aware(period.ends_on),
                            created_by=user,
                        )
                    )
            if done:
                break  # a done task needs no more reports
    ProgressReport.objects.bulk_create(reports, batch_size=BATCH)
    evidence = [
        _evidence(rng, report=r)
        for r in reports
        if r.status == TaskStatus.COMPLETED and not r.is_contribution
    ]
    Evidence.objects.bulk_create(evidence, batch_size=BATCH)


def _evidence(
    rng: random.Random,
    *,
    report: ProgressReport | None = None,
    value: TargetValue | None = None,
    review: str | None = None,
) -> Evidence:
    owner = report or value
    assert owner is not None
    review = review or _review(rng, 0.6, 0.2)
    return Evidence(
        commune_id=owner.commune_id,
        unit=owner.unit,
        report=report,
        target_value=value,
        task=report.task if report else None,
        target=value.target if value else None,
        kind=EvidenceKind.DOCUMENT,
        doc_number=f"{rng.randint(1, 999)}/UBND-VP",
        doc_date=(report or value).period.ends_on,  # type: ignore[union-attr]
        doc_summary="V/v báo cáo kết quả thực hiện",
        uploaded_by=owner.created_by,
        review=review,
        review_note="Minh chứng chưa đủ, đề nghị bổ sung"
        if review == ReviewStatus.REJECTED
        else "",
    )


def _make_values(
    rng: random.Random,
    targets: Sequence[tuple[Target, Unit]],
    periods: dict[int, list[Period]],
    offices: dict[int, User],
    today: dt.date,
) -> None:
    """Monthly cumulative values rising towards (or past) the goal, reviewed or not."""
    values: list[TargetValue] = []
    for target, unit in targets:
        assert target.value is not None
        reach = Decimal(rng.choice([60, 80, 95, 105, 120])) / 100
        full_month = rng.randint(4, 12)  # when the value stops rising
        is_rank = target.kind == TargetKind.RANK
        user = offices[target.commune_id]
        for index, period in enumerate(periods[target.plan_id], start=1):
            if rng.random() < 0.1:
                continue
            current = period.ends_on >= today
            if is_rank:
                figure = Decimal(rng.randint(1, 30))
            else:
                share = min(Decimal(1), Decimal(index) / full_month)
                figure = (target.value * reach * share).quantize(Decimal("0.01"))
            review = ReviewStatus.PENDING if current else _review(rng, 0.75, 0.1)
            values.append(
                TargetValue(
                    commune_id=target.commune_id,
                    target=target,
                    period=period,
                    unit=unit,
                    value=figure,
                    state=ReportState.DRAFT
                    if review == ReviewStatus.REJECTED
                    else ReportState.SENT,
                    review=review,
                    review_note="Số liệu chưa khớp nguồn"
                    if review == ReviewStatus.REJECTED
                    else "",
                    sent_at=_aware(period.ends_on + dt.timedelta(days=3)),
                    created_by=user,
                )
            )
    TargetValue.objects.bulk_create(values, batch_size=BATCH)
    Evidence.objects.bulk_create(
        [_evidence(rng, value=v, review=v.review) for v in values if rng.random() < 0.3],
        batch_size=BATCH,
    )
