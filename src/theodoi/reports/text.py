"""Words and numbers as an administrative document writes them (Nghị định 30/2020/NĐ-CP)."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from theodoi.plans.models import Plan
from theodoi.units.models import Commune


def vn_date(day: dt.date) -> str:
    """ "ngày 05 tháng 02 năm 2026": a day below 10 and the months 1 and 2 get a leading zero
    (Nghị định 30/2020/NĐ-CP, Phụ lục I, mục II.5)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return _("ngày %(d)s tháng %(m)s năm %(y)d") % {
        "d": f"{day.day:02d}",
        "m": month,
        "y": day.year,
    }


def place_and_date(place: str, day: dt.date) -> str:
    """ "Hòa Phong, ngày 05 tháng 02 năm 2026"."""
    return f"{place}, {vn_date(day)}"


def commune_title(commune: Commune) -> str:
    """ "phường Hòa Phong"."""
    return f"{commune.kind} {commune.name}"


def place_of(plan: Plan) -> str:
    """The place name that heads the date line: the plan's own, else the commune's name."""
    return plan.place or plan.commune.name


_PARTY_NUMBER = re.compile(r"\d*\s*-\s*KH\s*/", re.IGNORECASE)


def is_party_plan(plan: Plan) -> bool:
    """A plan issued by a Party committee: numbered "09-KH/ĐU" (the Party writes a hyphen
    where the state writes a slash), or issued by a Party body."""
    number = plan.number or ""
    if _PARTY_NUMBER.search(number) or "/ĐU" in number.upper():
        return True
    issuer = (plan.issuer or "").lower()
    return issuer.startswith(("đảng ủy", "đảng uỷ", "ban thường vụ đảng ủy", "đảng bộ"))


def province_heading(name: str) -> str:
    """ "ĐẢNG BỘ TỈNH LÂM VIÊN": the level above a commune's Party committee."""
    lowered = name.lower()
    if lowered.startswith(("tỉnh ", "thành phố ")):
        return _("ĐẢNG BỘ %(name)s") % {"name": name.upper()}
    return _("ĐẢNG BỘ TỈNH %(name)s") % {"name": name.upper()}


def initials(unit_name: str) -> str:
    """The short name used in "Lưu: VT, VHXH.": "Phòng Văn hóa - Xã hội" → "VHXH"."""
    words = [w for w in re.split(r"[\s\-–,]+", unit_name) if w]
    if len(words) > 2 and words[0].lower() == "phòng":
        words = words[1:]
    return "".join(w[0].upper() for w in words if w[0].isalpha())
