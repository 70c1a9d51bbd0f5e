"""The audit trail is append-only, in the ORM everywhere and in the database on PostgreSQL;
refused probes cannot grow it by more than one entry per user and minute."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from theodoi.accounts.services import access_denied_record
from theodoi.audit.models import AuditEntry, RefusalTally
from theodoi.audit.services import audit_record

pytestmark = pytest.mark.django_db

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the append-only trigger exists on PostgreSQL only (CI runs it there)",
)


@contextmanager
def _at(hour: int, minute: int, second: int):  # type: ignore[no-untyped-def]
    moment = dt.datetime(2026, 3, 2, hour, minute, second, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _entry(office, commune):  # type: ignore[no-untyped-def]
    return audit_record(
        actor=office, action="test.write", summary="Bản gốc", obj=commune, commune=commune
    )


def test_the_orm_refuses_to_change_or_delete_an_entry(office, commune):
    entry = _entry(office, commune)
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="Sửa lại")
    with pytest.raises(TypeError):
        entry.delete()


@needs_postgresql
def test_the_database_refuses_an_update_that_goes_around_the_orm(office, commune):
    entry = _entry(office, commune)
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        AuditEntry._base_manager.filter(pk=entry.pk).update(summary="Sửa lại")
    with (
        pytest.raises(DatabaseError, match="cannot be changed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditentry SET summary = 'x' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.summary == "Bản gốc"


@needs_postgresql
def test_the_database_refuses_a_raw_delete(office, commune):
    entry = _entry(office, commune)
    with (
        pytest.raises(DatabaseError, match="cannot be changed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_a_hundred_probes_in_a_minute_are_one_entry_and_a_count(client, other_office, commune):
    client.force_login(other_office)
    with _at(2, 15, 5):
        for _ in range(100):
            response = client.get(reverse("plan_list", args=[commune.public_id]))
            assert response.status_code == 404
    assert AuditEntry.objects.filter(action="access.denied").count() == 1
    tally = RefusalTally.objects.get()
    assert (tally.actor, tally.count) == (other_office, 100)


def test_each_new_minute_and_each_user_gets_its_own_entry(office, other_office):
    with _at(2, 15, 5):
        access_denied_record(user=other_office, commune=None, what="một")
        access_denied_record(user=office, commune=None, what="hai")
    with _at(2, 16, 1):
        access_denied_record(user=other_office, commune=None, what="ba")
        access_denied_record(user=other_office, commune=None, what="bốn")
    summaries = sorted(e.summary for e in AuditEntry.objects.filter(action="access.denied"))
    assert summaries == ["Từ chối truy cập: ba", "Từ chối truy cập: hai", "Từ chối truy cập: một"]
    assert sorted(RefusalTally.objects.values_list("count", flat=True)) == [1, 1, 2]
    assert RefusalTally.objects.get(count=2).last_what == "bốn"
