"""The demo's scorecard: the sample workbook imported and published for the demo province,
and a self-assessment for each of its communes, its first group appraised.

Everything goes through the same services the province and the communes use.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from theodoi.accounts.models import Membership, Role
from theodoi.units.models import Commune, Province, Unit

from .models import AssessmentEntry, EntryStatus, Scorecard, ScorecardStatus
from .queries import entry_line
from .services import (
    EntryInput,
    assessment_ensure,
    entry_appraise,
    entry_evidence_add_document,
    entry_explain,
    entry_save,
    scorecard_import,
    scorecard_publish,
)

SAMPLE = Path(__file__).resolve().parent / "data" / "sample-scorecard.xlsx"

# Per commune (in name order, cycling): the figures its office enters for the criteria
# entered by hand — meetings held, classes run, the committee's yes/no, systems approved
# out of systems, models recognised, incidents, late reports.
PROFILES = [
    {"1.1": True, "1.2": 4, "3.2": 12, "3.3": True, "4.1": (3, 3), "5.1": 1, "5.2": 0, "5.3": 0},
    {"1.1": True, "1.2": 3, "3.2": 9, "3.3": True, "4.1": (2, 3), "5.1": 0, "5.2": 1, "5.3": 1},
    {"1.1": False, "1.2": 2, "3.2": 5, "3.3": False, "4.1": (1, 2), "5.1": 0, "5.2": 0, "5.3": 2},
    {"1.1": True, "1.2": 1, "3.2": 2, "3.3": True, "4.1": (0, 2), "5.1": 2, "5.2": 0, "5.3": 0},
]
# Who answers for each criterion: the first unit whose name starts with one of these.
RESPONSIBLE = {
    "1.1": ("Văn phòng HĐND và UBND",),
    "1.2": ("Văn phòng HĐND và UBND",),
    "3.2": ("Phòng Văn hóa - Xã hội",),
    "3.3": ("Phòng Văn hóa - Xã hội",),
    "4.1": ("Công an",),
    "5.1": ("Phòng Văn hóa - Xã hội",),
    "5.2": ("Công an",),
    "5.3": ("Văn phòng HĐND và UBND",),
}
DOCUMENTS = {
    "1.1": "45/KH-UBND - 15/01/{year}: Kế hoạch chuyển đổi số năm {year}",
    "1.2": "12/TB-BCĐ - 20/03/{year}: Thông báo kết luận cuộc họp Ban Chỉ đạo chuyển đổi số",
    "3.2": "88/BC-VHXH - 30/06/{year}: Báo cáo kết quả mở lớp Bình dân học vụ số",
    "3.3": "21/QĐ-UBND - 10/02/{year}: Quyết định kiện toàn Tổ công nghệ số cộng đồng",
    "4.1": "156/QĐ-CAT - 05/05/{year}: Quyết định phê duyệt hồ sơ cấp độ an toàn thông tin",
    "5.1": "301/QĐ-UBND - 12/06/{year}: Quyết định công nhận mô hình chuyển đổi số tiêu biểu",
}


def _office(commune: Commune) -> User | None:
    membership = (
        Membership.objects.filter(commune=commune, role=Role.STANDING_OFFICE)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _officer(province: Province) -> User | None:
    membership = (
        Membership.objects.filter(province=province, role=Role.PROVINCE_OFFICER)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _unit(commune: Commune, code: str) -> Unit | None:
    for prefix in RESPONSIBLE.get(code, ()):
        unit = Unit.objects.filter(commune=commune, name__startswith=prefix, is_active=True).first()
        if unit is not None:
            return unit
    return None


def _figure(code: str, wanted: object) -> EntryInput:
    if isinstance(wanted, bool):
        return EntryInput(yes=wanted)
    if isinstance(wanted, tuple):
        part, whole = wanted
        return EntryInput(numerator=Decimal(part), denominator=Decimal(whole))
    return EntryInput(value=Decimal(str(wanted)))


def _fill(entry: AssessmentEntry, wanted: object, office: User, year: int) -> None:
    code = entry.criterion.code
    figure = _figure(code, wanted)
    reference = DOCUMENTS.get(code)
    has_result = wanted not in (False, 0, (0, 2))
    if reference and has_result:
        entry_evidence_add_document(entry=entry, user=office, reference=reference.format(year=year))
    done = (has_result and bool(reference)) or not entry.criterion.evidence_required
    entry_save(
        entry=entry,
        user=office,
        data=EntryInput(
            value=figure.value,
            numerator=figure.numerator,
            denominator=figure.denominator,
            yes=figure.yes,
            status=EntryStatus.DONE if done else EntryStatus.IN_PROGRESS,
            note="",
            responsible_unit=_unit(entry.commune, code),
            due_on=dt.date(year, 12, 15),
        ),
        version=entry.version,
    )


def _appraise_group_one(entries: list[AssessmentEntry], officer: User, office: User) -> None:
    """The province has appraised group I: a meeting without minutes does not count (five
    points off, with a remark), and the commune has explained."""
    for entry in entries:
        if entry.criterion.group.code != "I":
            continue
        entry.refresh_from_db()
        own = entry_line(entry, today=timezone.localdate()).self_score or Decimal(0)
        if entry.criterion.code == "1.2" and own >= 5:
            entry = entry_appraise(
                entry=entry,
                user=officer,
                points=own - 5,
                remark="Một cuộc họp chỉ có thông báo, chưa có biên bản: không tính.",
                version=entry.version,
            )
            entry_explain(
                entry=entry,
                user=office,
                text="Biên bản cuộc họp quý IV đang trình ký, xã sẽ bổ sung trước 20/12.",
                version=entry.version,
            )
        else:
            entry_appraise(entry=entry, user=officer, points=own, remark="", version=entry.version)


@transaction.atomic
def scorecards_demo_load(province: Province) -> Scorecard:
    """The sample scorecard in force for ``province``, with each commune's self-assessment
    (idempotent: a province that already has the sample keeps what it has)."""
    data = SAMPLE.read_bytes()
    existing = (
        Scorecard.objects.of_province(province)
        .filter(source_name=SAMPLE.name)
        .exclude(status=ScorecardStatus.DRAFT)
        .first()
    )
    if existing is not None:
        return existing
    scorecard = scorecard_import(province=province, user=None, filename=SAMPLE.name, data=data)
    scorecard = scorecard_publish(scorecard=scorecard, user=None)
    officer = _officer(province)
    communes = list(Commune.objects.in_province(province).order_by("name"))
    for index, commune in enumerate(communes):
        assessment = assessment_ensure(scorecard=scorecard, commune=commune)
        office = _office(commune)
        if office is None:
            continue
        profile = PROFILES[index % len(PROFILES)]
        entries = list(
            assessment.entries.select_related("criterion__group", "commune").order_by(
                "criterion__group__position", "criterion__position"
            )
        )
        for entry in entries:
            if entry.criterion.code in profile:
                _fill(entry, profile[entry.criterion.code], office, scorecard.year)
        if officer is not None:
            _appraise_group_one(entries, officer, office)
    return scorecard
