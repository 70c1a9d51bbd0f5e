"""Accounts, roles and units: the rules the services keep, and what they write to the trail."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from theodoi.accounts.models import Account, Membership, Role
from theodoi.accounts.services import (
    AccountError,
    PersonData,
    membership_add,
    membership_remove,
    password_reset,
    person_create,
    person_set_active,
    public_page_set,
    role_from_text,
    unit_create,
    unit_rename,
    unit_set_active,
)
from theodoi.audit.models import AuditEntry
from theodoi.units.models import Unit, UnitAlias

from ..factories import make_commune, make_province, make_user, unit_of

pytestmark = pytest.mark.django_db


def _person(commune, username="nguyenvana", role=Role.UNIT_STAFF, unit_name="Công an phường"):  # type: ignore[no-untyped-def]
    return PersonData(
        full_name="Nguyễn Văn A",
        username=username,
        email="a@example.vn",
        role=role,
        unit=unit_of(commune, unit_name) if unit_name else None,
    )


def test_a_new_person_gets_a_temporary_password_to_change_at_first_sign_in(admin_a, commune):
    user, password = person_create(actor=admin_a, commune=commune, data=_person(commune))
    assert user.check_password(password)
    assert len(password) >= 10
    assert user.get_full_name() == "Nguyễn Văn A"
    assert Account.objects.get(user=user).must_change_password
    assert Account.objects.get(user=user).commune == commune
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.unit.name) == (Role.UNIT_STAFF, "Công an phường")
    assert set(AuditEntry.objects.filter(commune=commune).values_list("action", flat=True)) >= {
        "account.create",
        "membership.add",
    }


def test_a_user_cannot_hold_roles_in_two_communes(admin_a, admin_b, commune, other_commune):
    user, _ = person_create(actor=admin_a, commune=commune, data=_person(commune))
    with pytest.raises(AccountError, match="mỗi người chỉ có vai trò ở một xã/phường"):
        membership_add(actor=admin_b, user=user, role=Role.LEADER, commune=other_commune)
    assert not Membership.objects.filter(user=user, commune=other_commune).exists()


def test_a_user_with_no_role_left_still_belongs_to_their_commune(
    admin_a, admin_b, commune, other_commune
):
    user, _ = person_create(actor=admin_a, commune=commune, data=_person(commune))
    membership_remove(actor=admin_a, membership=Membership.objects.get(user=user))
    with pytest.raises(AccountError, match="một xã/phường"):
        membership_add(actor=admin_b, user=user, role=Role.LEADER, commune=other_commune)


def test_a_user_may_hold_several_roles_in_their_own_commune(admin_a, commune, police):
    membership_add(actor=admin_a, user=police, role=Role.SUPERVISOR, commune=commune)
    assert set(police.memberships.values_list("role", flat=True)) == {
        Role.UNIT_STAFF,
        Role.SUPERVISOR,
    }
    with pytest.raises(AccountError, match="đã có vai trò này"):
        membership_add(actor=admin_a, user=police, role=Role.SUPERVISOR, commune=commune)


def test_a_province_officer_may_hold_roles_in_the_communes_of_their_province_only(
    system_admin, province_officer, commune, other_commune
):
    membership_add(actor=system_admin, user=province_officer, role=Role.SUPERVISOR, commune=commune)
    membership_add(
        actor=system_admin, user=province_officer, role=Role.SUPERVISOR, commune=other_commune
    )
    elsewhere = make_commune("Bến Nghé", "phường", make_province("Sông Xanh"))
    with pytest.raises(AccountError, match="tỉnh mình"):
        membership_add(
            actor=system_admin, user=province_officer, role=Role.SUPERVISOR, commune=elsewhere
        )


def test_unit_roles_need_a_unit_of_the_same_commune(admin_a, commune, other_commune, police):
    with pytest.raises(AccountError, match="cần chọn đơn vị"):
        membership_add(actor=admin_a, user=police, role=Role.UNIT_HEAD, commune=commune)
    foreign = unit_of(other_commune, "Công an xã")
    with pytest.raises(AccountError, match="không thuộc"):
        membership_add(
            actor=admin_a, user=police, role=Role.UNIT_HEAD, commune=commune, unit=foreign
        )


def test_a_commune_cannot_appoint_a_province_officer(admin_a, commune, police):
    with pytest.raises(AccountError, match="Hãy chọn một vai trò"):
        membership_add(actor=admin_a, user=police, role=Role.PROVINCE_OFFICER, commune=commune)


def test_usernames_are_unique_whatever_their_case(admin_a, commune, police):
    with pytest.raises(AccountError, match="đã có người dùng"):
        person_create(actor=admin_a, commune=commune, data=_person(commune, username="CongAn"))


def test_usernames_with_diacritics_or_spaces_are_refused_with_a_reason(admin_a, commune):
    with pytest.raises(AccountError, match="chữ không dấu"):
        person_create(actor=admin_a, commune=commune, data=_person(commune, username="nguyễn a"))


def test_an_admin_cannot_lock_themselves_out(admin_a, commune):
    with pytest.raises(AccountError, match="tự khóa"):
        person_set_active(actor=admin_a, commune=commune, person=admin_a, active=False)
    with pytest.raises(AccountError, match="tự bỏ vai trò quản trị"):
        membership_remove(actor=admin_a, membership=admin_a.memberships.get())


def test_disabling_keeps_the_person_and_is_audited(admin_a, commune, police):
    person_set_active(actor=admin_a, commune=commune, person=police, active=False)
    police.refresh_from_db()
    assert not police.is_active
    assert User.objects.filter(pk=police.pk).exists()
    entry = AuditEntry.objects.get(action="account.disable")
    assert (entry.actor, entry.commune, entry.after["is_active"]) == (admin_a, commune, False)


def test_a_password_reset_gives_a_new_temporary_password(admin_a, commune, police):
    password = password_reset(actor=admin_a, commune=commune, person=police)
    police.refresh_from_db()
    assert police.check_password(password)
    assert Account.objects.get(user=police).must_change_password
    assert AuditEntry.objects.filter(action="account.password_reset", actor=admin_a).exists()


def test_a_renamed_unit_keeps_its_old_name_as_a_spelling(admin_a, commune):
    unit = unit_of(commune, "Công an phường")
    unit_rename(actor=admin_a, unit=unit, name="Công an phường Hòa Phong")
    assert Unit.objects.get(pk=unit.pk).name == "Công an phường Hòa Phong"
    assert UnitAlias.objects.get(commune=commune, spelling="Công an phường").unit == unit


def test_unit_names_are_unique_in_a_commune(admin_a, commune):
    with pytest.raises(AccountError, match="đã có đơn vị"):
        unit_create(actor=admin_a, commune=commune, name="công an phường")


def test_a_stopped_unit_is_offered_no_more(admin_a, commune, police):
    unit = unit_create(actor=admin_a, commune=commune, name="Tổ tuyên truyền số")
    unit_set_active(actor=admin_a, unit=unit, active=False)
    assert unit not in Unit.objects.of_commune(commune).active()
    with pytest.raises(AccountError, match="ngừng hoạt động"):
        membership_add(actor=admin_a, user=police, role=Role.UNIT_HEAD, commune=commune, unit=unit)


def test_switching_the_public_page_is_audited(admin_a, commune):
    public_page_set(actor=admin_a, commune=commune, enabled=True)
    assert AuditEntry.objects.get(action="commune.public_page").after == {"public_page": True}


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Cán bộ đơn vị", Role.UNIT_STAFF),
        ("can bo don vi", Role.UNIT_STAFF),
        ("Lãnh đạo đơn vị", Role.UNIT_HEAD),
        ("Trưởng đơn vị", Role.UNIT_HEAD),
        ("LÃNH ĐẠO", Role.LEADER),
        ("Ban Chỉ đạo", Role.LEADER),
        ("Cơ quan thường trực", Role.STANDING_OFFICE),
        ("Quản trị xã/phường", Role.COMMUNE_ADMIN),
        ("MTTQ", Role.SUPERVISOR),
        ("Giám sát (MTTQ)", Role.SUPERVISOR),
        ("unit_staff", Role.UNIT_STAFF),
        ("Cán bộ Sở (cấp tỉnh)", None),
        ("Chủ tịch nước", None),
    ],
)
def test_roles_are_read_as_communes_write_them(text, role):
    assert role_from_text(text) == role


def test_the_one_commune_rule_holds_for_people_created_elsewhere(admin_b, other_commune, commune):
    # A user made outside the services (the admin site) with a role in Hòa Phong.
    user = make_user("tudo", role=Role.LEADER, commune=commune)
    with pytest.raises(AccountError, match="Hòa Phong"):
        membership_add(actor=admin_b, user=user, role=Role.LEADER, commune=other_commune)


def test_the_admin_site_keeps_the_one_commune_rule_too(commune, other_commune, police):
    from theodoi.accounts.admin import MembershipAdminForm

    form = MembershipAdminForm(
        data={"user": police.pk, "role": Role.LEADER, "commune": other_commune.pk}
    )
    assert not form.is_valid()
    assert "mỗi người chỉ có vai trò ở một xã/phường" in str(form.errors)
    same = MembershipAdminForm(data={"user": police.pk, "role": Role.LEADER, "commune": commune.pk})
    assert same.is_valid(), same.errors
