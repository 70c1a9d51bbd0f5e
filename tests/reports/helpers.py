"""A few months of Hòa Phong's plan, with sending dates chosen around the reports' cut-offs.

Plan (tracking_factories.make_active_plan): I.1 (general) → I.1.1 (Công an phường, due
30/06/2026) and I.1.2 (Phòng Văn hóa - Xã hội, recurring); target 1 (≥ 90 %, Trung tâm Phục
vụ hành chính công) and target 2 (qualitative). Monthly tracking periods, ND09 regime.

- March: I.1.1 at 60 % (sent 03/04, a difficulty and a proposal); I.1.2 at 30 % (sent
  02/04, a difficulty); target 1 = 85 (sent 04/04, accepted).
- April: I.1.1 completed with a file, accepted (sent 05/05).
- May: target 1 = 92 (sent 03/06, accepted).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from theodoi.evidence.models import Evidence
from theodoi.plans.models import Plan
from theodoi.summaries.services import summary_rebuild
from theodoi.tracking.models import ReportState, ReviewStatus, TargetValue, TaskStatus
from theodoi.tracking.services import ValueInput, target_value_save
from theodoi.units.models import Commune

from ..evidence.factories import add_file, pdf_bytes, staff_of
from ..factories import unit_of
from ..tracking.helpers import mark_sent
from ..tracking_factories import make_active_plan, make_report, period_of, target_of, task_of

POLICE = "Công an phường"
CULTURE = "Phòng Văn hóa - Xã hội"
SERVICE = "Trung tâm Phục vụ hành chính công"


def aware(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def d(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


def accept(evidence: Evidence) -> Evidence:
    evidence.review = ReviewStatus.ACCEPTED
    evidence.reviewed_at = timezone.now()
    evidence.save()
    return evidence


def sent_value(
    plan: Plan, code: str, month: int, value: str, user: User, *, sent: dt.date
) -> TargetValue:
    target = target_of(plan, code)
    tv = target_value_save(
        target=target,
        period=period_of(plan, month),
        unit=target.owners.get(),
        user=user,
        data=ValueInput(value=Decimal(value)),
    )
    tv.state = ReportState.SENT
    tv.sent_at = aware(sent)
    tv.review = ReviewStatus.ACCEPTED
    tv.save()
    return tv


@dataclass
class Season:
    plan: Plan
    police: User
    culture: User
    service: User
    accepted_file: Evidence
    pending_file: Evidence


def make_season(commune: Commune) -> Season:
    plan = make_active_plan(commune)
    police = staff_of(commune, POLICE, "ca-bao-cao")
    culture = staff_of(commune, CULTURE, "vhxh-bao-cao")
    service = staff_of(commune, SERVICE, "ttpvhcc-bao-cao")
    police_unit = unit_of(commune, POLICE)
    culture_unit = unit_of(commune, CULTURE)
    i11, i12 = task_of(plan, "I.1.1"), task_of(plan, "I.1.2")

    march = make_report(
        i11,
        police_unit,
        police,
        month=3,
        percent=60,
        difficulties="Thiếu máy quét tài liệu",
        proposals="Đề nghị cấp bổ sung 01 máy quét",
        done="Đã số hóa 1.200 hồ sơ hộ tịch",
    )
    mark_sent(march, when=aware(d(4, 3)))
    pending = add_file(
        police, report=march, data=pdf_bytes("Danh sách hồ sơ tháng 3"), name="ds.pdf"
    )
    culture_march = make_report(
        i12, culture_unit, culture, month=3, percent=30, difficulties="Thiếu kinh phí in tờ rơi"
    )
    mark_sent(culture_march, when=aware(d(4, 2)))

    april = make_report(
        i11,
        police_unit,
        police,
        month=4,
        status=TaskStatus.COMPLETED,
        percent=100,
        done="Hoàn thành số hóa kho hộ tịch",
    )
    accepted = accept(
        add_file(
            police,
            report=april,
            data=pdf_bytes("Biên bản nghiệm thu"),
            name="Biên bản nghiệm thu.pdf",
        )
    )
    mark_sent(april, when=aware(d(5, 5)))

    sent_value(plan, "1", 3, "85", service, sent=d(4, 4))
    sent_value(plan, "1", 5, "92", service, sent=d(6, 3))
    # ``accept`` and ``mark_sent`` write past the services that keep the summaries.
    summary_rebuild(plan)
    return Season(plan, police, culture, service, accepted, pending)
