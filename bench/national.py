"""A generated country for the national roll-up's benchmark (PostgreSQL only).

``generate_nation(communes=3321, provinces=34)`` builds one province with ``bench.generate``
(the largest share of communes), then copies its communes into the other provinces inside
the database (``INSERT … SELECT``, ids shifted by a stride per copy, new UUIDs, new codes):
a year of monthly reports for 3,321 communes in a minute or two rather than an hour of
``bulk_create``. Every copy of a commune has the same figures as its original, which is
what a benchmark needs (same work per commune), not what a test of the rules would want.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import connection

from theodoi.accounts.models import Membership, Role
from theodoi.units.models import Province

from .generate import GeneratedProvince, generate_province

# Copied in this order (each after the tables it refers to).
TABLES = (
    "units_commune",
    "units_unit",
    "plans_plan",
    "tracking_period",
    "plans_task",
    "plans_taskassignment",
    "plans_target",
    "plans_target_owners",
    "tracking_progressreport",
    "tracking_targetvalue",
    "evidence_evidence",
    # The summaries (``theodoi.summaries``) of the copied rows: the same figures.
    "summaries_plansummary",
    "summaries_tasksummary",
    "summaries_targetsummary",
    "summaries_periodsummary",
)


@dataclass
class GeneratedNation:
    template: GeneratedProvince
    provinces: list[Province]
    officers: dict[int, User]  # province id → its officer


def _shares(communes: int, provinces: int) -> list[int]:
    base, extra = divmod(communes, provinces)
    return [base + (1 if k < extra else 0) for k in range(provinces)]


def generate_nation(
    *,
    communes: int = 3321,
    provinces: int = 34,
    tasks: int = 40,
    targets: int = 25,
    year: int,
    today: dt.date,
) -> GeneratedNation:
    shares = _shares(communes, provinces)
    template = generate_province(
        communes=shares[0], tasks=tasks, targets=targets, year=year, today=today, code="tinh-01"
    )
    template.province.name = "Tỉnh Thử Nghiệm 01"
    template.province.save(update_fields=["name"])
    made = [template.province]
    officers = {template.province.pk: template.officer}
    ids = [c.pk for c in sorted(template.communes, key=lambda c: c.pk)]
    with connection.cursor() as cursor:
        foreign = _foreign_keys(cursor)
        columns = {t: _columns(cursor, t) for t in TABLES}
        stride = {}
        for table in TABLES:
            key = _key(columns[table])
            cursor.execute(f"SELECT coalesce(max({key}), 0) + 1 FROM {table}")
            stride[table] = cursor.fetchone()[0]
        for k in range(1, provinces):
            province = Province.objects.create(
                code=f"tinh-{k + 1:02d}", name=f"Tỉnh Thử Nghiệm {k + 1:02d}"
            )
            officer = User.objects.create_user(username=f"tinh-{k + 1:02d}-so")
            Membership.objects.create(user=officer, role=Role.PROVINCE_OFFICER, province=province)
            made.append(province)
            officers[province.pk] = officer
            chosen = ids[: shares[k]]
            for table in TABLES:
                _copy(cursor, table, columns[table], foreign, stride, k, province.pk, chosen)
        for table in (t for t in TABLES if _key(columns[t]) == "id"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
            )
        cursor.execute("ANALYZE")
    return GeneratedNation(template=template, provinces=made, officers=officers)


def _key(columns: list[tuple[str, str]]) -> str:
    """The table's own id column ("id"; a summary's is its subject's id)."""
    return "id" if any(name == "id" for name, _type in columns) else columns[0][0]


def _foreign_keys(cursor: object) -> dict[tuple[str, str], str]:
    """(table, column) → the table it refers to."""
    cursor.execute(  # type: ignore[attr-defined]
        """SELECT conrelid::regclass::text, a.attname, confrelid::regclass::text
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.contype = 'f'"""
    )
    return {(t, col): ref for t, col, ref in cursor.fetchall()}  # type: ignore[attr-defined]


def _columns(cursor: object, table: str) -> list[tuple[str, str]]:
    cursor.execute(  # type: ignore[attr-defined]
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = %s ORDER BY ordinal_position",
        [table],
    )
    return list(cursor.fetchall())  # type: ignore[attr-defined]


def _copy(
    cursor: object,
    table: str,
    columns: list[tuple[str, str]],
    foreign: dict[tuple[str, str], str],
    stride: dict[str, int],
    k: int,
    province_id: int,
    communes: list[int],
) -> None:
    names = [c for c, _type in columns]
    exprs = []
    for name, kind in columns:
        ref = foreign.get((table, name))
        if name == "id":
            exprs.append(f"id + {k * stride[table]}")
        elif ref in stride:
            exprs.append(f'"{name}" + {k * stride[ref]}')
        elif name == "province_id":
            exprs.append(str(province_id))
        elif table == "units_commune" and name == "code":
            exprs.append(f"code || '-{k + 1:02d}'")
        elif kind == "uuid":
            exprs.append("gen_random_uuid()")
        else:
            exprs.append(f'"{name}"')
    if table == "units_commune":
        where = "id = ANY(%s)"
    elif "commune_id" in names:
        where = "commune_id = ANY(%s)"
    elif table == "plans_taskassignment":
        where = "task_id IN (SELECT id FROM plans_task WHERE commune_id = ANY(%s))"
    else:  # plans_target_owners
        where = "target_id IN (SELECT id FROM plans_target WHERE commune_id = ANY(%s))"
    quoted = ", ".join(f'"{n}"' for n in names)
    cursor.execute(  # type: ignore[attr-defined]
        f"INSERT INTO {table} ({quoted}) SELECT {', '.join(exprs)} FROM {table} WHERE {where}",
        [communes],
    )
