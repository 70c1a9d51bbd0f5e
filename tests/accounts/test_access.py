"""The access helpers, role by role: who manages a commune's people, who sees which commune."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from theodoi.accounts.access import (
    can_manage_people,
    can_manage_plans,
    get_commune_for_user,
    get_commune_to_manage_people,
    get_person_to_manage,
    people_communes,
    people_of,
    roles_of,
    visible_communes,
)
from theodoi.accounts.models import Role
from theodoi.accounts.roles import COMMUNE_ROLES, UNIT_ROLES
from theodoi.audit.models import AuditEntry

from ..factories import make_commune, make_province, make_user, unit_of

pytestmark = pytest.mark.django_db


def _member(role, commune):  # type: ignore[no-untyped-def]
    unit = unit_of(commune, "Công an phường") if role in UNIT_ROLES else None
    return make_user(f"u-{role}", role=role, commune=commune, unit=unit)


@pytest.mark.parametrize("role", COMMUNE_ROLES)
def test_only_the_commune_admin_manages_the_communes_people(role, commune, other_commune):
    user = _member(role, commune)
    assert can_manage_people(user, commune) is (role == Role.COMMUNE_ADMIN)
    assert not can_manage_people(user, other_commune)
    assert people_communes(user) == ([commune] if role == Role.COMMUNE_ADMIN else [])


@pytest.mark.parametrize("role", COMMUNE_ROLES)
def test_every_commune_role_sees_its_own_commune_only(role, commune, other_commune):
    user = _member(role, commune)
    assert visible_communes(user) == [commune]
    assert roles_of(user, commune) == {role}
    assert roles_of(user, other_commune) == set()


@pytest.mark.parametrize("role", COMMUNE_ROLES)
def test_only_the_office_and_the_admin_manage_plans(role, commune):
    user = _member(role, commune)
    assert can_manage_plans(user, commune) is (role in (Role.COMMUNE_ADMIN, Role.STANDING_OFFICE))


def test_a_province_officer_reads_the_provinces_communes_and_manages_no_people(
    province_officer, commune, other_commune
):
    elsewhere = make_commune("Bến Nghé", "phường", make_province("Sông Xanh"))
    assert set(visible_communes(province_officer)) == {commune, other_commune}
    assert elsewhere not in visible_communes(province_officer)
    assert roles_of(province_officer, commune) == {Role.PROVINCE_OFFICER}
    assert not can_manage_people(province_officer, commune)
    assert not can_manage_plans(province_officer, commune)


def test_the_system_admin_sees_and_manages_every_commune(system_admin, commune, other_commune):
    assert visible_communes(system_admin) is None
    assert can_manage_people(system_admin, commune)
    assert can_manage_people(system_admin, other_commune)
    assert set(people_communes(system_admin)) == {commune, other_commune}


def test_an_anonymous_visitor_sees_and_manages_nothing(commune):
    anonymous = AnonymousUser()
    assert visible_communes(anonymous) == []
    assert not can_manage_people(anonymous, commune)
    assert people_communes(anonymous) == []
    assert roles_of(anonymous, commune) == set()


def test_another_communes_commune_is_a_404_and_goes_on_the_audit_trail(other_office, commune):
    with pytest.raises(Http404):
        get_commune_for_user(other_office, commune.public_id)
    entry = AuditEntry.objects.get(action="access.denied")
    assert entry.actor == other_office
    assert entry.commune == commune


def test_an_admin_cannot_open_another_communes_people(admin_b, commune):
    with pytest.raises(Http404):
        get_commune_to_manage_people(admin_b, commune.public_id)
    assert AuditEntry.objects.filter(action="access.denied", actor=admin_b).exists()


def test_an_admin_reaches_only_the_people_of_their_own_commune(
    admin_a, commune, police, other_office
):
    assert get_person_to_manage(admin_a, commune, police.username) == police
    with pytest.raises(Http404):
        get_person_to_manage(admin_a, commune, other_office.username)


def test_system_admins_and_province_officers_are_not_a_communes_people(
    admin_a, commune, province_officer, system_admin, police
):
    # Even with a role in the commune, they are managed by the system administrator only.
    from theodoi.accounts.models import Membership

    Membership.objects.create(user=system_admin, role=Role.LEADER, commune=commune)
    assert set(people_of(commune)) == {admin_a, police}
    with pytest.raises(Http404):
        get_person_to_manage(admin_a, commune, system_admin.username)
    assert system_admin in people_of(commune, include_elevated=True)
