"""The people pages: only the commune's administrator reaches them, for their own commune."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from theodoi.accounts.models import Account, Membership, Role
from theodoi.accounts.roles import COMMUNE_ROLES, UNIT_ROLES

from ..factories import PASSWORD, make_user, unit_of
from .helpers import client_of

pytestmark = pytest.mark.django_db


def _pages(commune, person):  # type: ignore[no-untyped-def]
    c = commune.public_id
    return [
        reverse("people_list", args=[c]),
        reverse("person_create", args=[c]),
        reverse("people_import", args=[c]),
        reverse("person_detail", args=[c, person.username]),
        reverse("unit_list", args=[c]),
        reverse("public_page_settings", args=[c]),
    ]


def _posts(commune, person):  # type: ignore[no-untyped-def]
    c = commune.public_id
    unit = unit_of(commune, "Công an phường")
    return [
        (reverse("person_set_active", args=[c, person.username]), {"active": "0"}),
        (reverse("person_reset_password", args=[c, person.username]), {}),
        (reverse("person_role_add", args=[c, person.username]), {"role": Role.LEADER}),
        (reverse("unit_update", args=[c, unit.public_id]), {"action": "disable"}),
        (reverse("public_page_settings", args=[c]), {"public_page": "1"}),
    ]


def test_the_commune_admin_opens_every_people_page(admin_a, commune, police):
    client = client_of(admin_a)
    for url in _pages(commune, police):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [r for r in COMMUNE_ROLES if r != Role.COMMUNE_ADMIN])
def test_other_roles_of_the_commune_get_a_404_on_every_people_page(role, commune, police):
    unit = unit_of(commune, "Phòng Kinh tế, Hạ tầng và Đô thị") if role in UNIT_ROLES else None
    client = client_of(make_user(f"u-{role}", role=role, commune=commune, unit=unit))
    for url in _pages(commune, police):
        assert client.get(url).status_code == 404, url
    for url, data in _posts(commune, police):
        assert client.post(url, data).status_code == 404, url
    police.refresh_from_db()
    assert police.is_active
    assert not police.memberships.filter(role=Role.LEADER).exists()


def test_another_communes_admin_gets_a_404_and_changes_nothing(admin_b, commune, police):
    client = client_of(admin_b)
    for url in _pages(commune, police):
        assert client.get(url).status_code == 404, url
    for url, data in _posts(commune, police):
        assert client.post(url, data).status_code == 404, url
    police.refresh_from_db()
    assert police.is_active
    assert unit_of(commune, "Công an phường").is_active


def test_an_admin_cannot_reach_another_communes_person_through_their_own_commune(
    admin_a, commune, other_office
):
    client = client_of(admin_a)
    url = reverse("person_detail", args=[commune.public_id, other_office.username])
    assert client.get(url).status_code == 404
    reset = reverse("person_reset_password", args=[commune.public_id, other_office.username])
    assert client.post(reset).status_code == 404


def test_a_province_officer_gets_a_404_on_the_people_pages(province_officer, commune, police):
    client = client_of(province_officer)
    for url in _pages(commune, police):
        assert client.get(url).status_code == 404, url


def test_the_system_admin_manages_any_commune(system_admin, commune, police):
    client = client_of(system_admin)
    for url in _pages(commune, police):
        assert client.get(url).status_code == 200, url


def test_anonymous_visitors_are_sent_to_sign_in(commune, police):
    response = Client().get(reverse("people_list", args=[commune.public_id]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_navbar_offers_people_management_to_the_admin_only(admin_a, police):
    assert "Quản lý người dùng" in client_of(admin_a).get(reverse("home")).content.decode()
    assert "Quản lý người dùng" not in client_of(police).get(reverse("home")).content.decode()


def test_the_people_link_leads_the_admin_to_their_commune(admin_a, commune):
    response = client_of(admin_a).get(reverse("people_start"))
    assert response.status_code == 302
    assert response["Location"] == reverse("people_list", args=[commune.public_id])


def test_the_list_shows_the_communes_people_and_not_anothers(
    admin_a, commune, police, other_office
):
    body = client_of(admin_a).get(reverse("people_list", args=[commune.public_id])).content.decode()
    assert police.username in body
    assert "Công an phường" in body
    assert other_office.username not in body


def test_creating_a_person_shows_the_temporary_password_once(admin_a, commune):
    client = client_of(admin_a)
    response = client.post(
        reverse("person_create", args=[commune.public_id]),
        {
            "full_name": "Trần Thị Bình",
            "username": "tranthibinh",
            "email": "",
            "role": Role.UNIT_HEAD,
            "unit": str(unit_of(commune, "Trạm Y tế phường").public_id),
        },
        follow=True,
    )
    body = response.content.decode()
    assert "Mật khẩu tạm thời — chỉ hiển thị một lần" in body
    person = User.objects.get(username="tranthibinh")
    password = body.split('id="one-time-password">')[1].split("<")[0]
    assert person.check_password(password)
    again = client.get(reverse("person_detail", args=[commune.public_id, "tranthibinh"]))
    assert password not in again.content.decode()


def test_a_refused_creation_keeps_what_was_typed_and_says_why(admin_a, commune):
    response = client_of(admin_a).post(
        reverse("person_create", args=[commune.public_id]),
        {"full_name": "Lê Văn C", "username": "levanc", "role": Role.UNIT_STAFF, "unit": ""},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "cần chọn đơn vị" in body
    assert 'value="levanc"' in body
    assert not User.objects.filter(username="levanc").exists()


def test_a_disabled_person_cannot_sign_in_and_loses_their_session(admin_a, commune, police):
    police_client = Client()
    police_client.post(reverse("login"), {"username": "congan", "password": PASSWORD})
    assert police_client.get(reverse("home")).status_code == 200

    client_of(admin_a).post(
        reverse("person_set_active", args=[commune.public_id, police.username]), {"active": "0"}
    )

    assert police_client.get(reverse("home")).status_code == 302  # signed out
    response = Client().post(reverse("login"), {"username": "congan", "password": PASSWORD})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_an_enabled_again_person_signs_in_again(admin_a, commune, police):
    client = client_of(admin_a)
    url = reverse("person_set_active", args=[commune.public_id, police.username])
    client.post(url, {"active": "0"})
    client.post(url, {"active": "1"})
    response = Client().post(reverse("login"), {"username": "congan", "password": PASSWORD})
    assert response.status_code == 302


def test_roles_are_given_and_taken_on_the_persons_page(admin_a, commune, police):
    client = client_of(admin_a)
    add = reverse("person_role_add", args=[commune.public_id, police.username])
    client.post(add, {"role": Role.SUPERVISOR, "unit": ""})
    membership = Membership.objects.get(user=police, role=Role.SUPERVISOR)
    remove = reverse("person_role_remove", args=[commune.public_id, police.username])
    client.post(remove, {"membership": membership.pk})
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_role_cannot_be_removed_through_another_person(admin_a, commune, police, leader):
    url = reverse("person_role_remove", args=[commune.public_id, police.username])
    response = client_of(admin_a).post(url, {"membership": leader.memberships.get().pk})
    assert response.status_code == 404
    assert leader.memberships.exists()


def test_the_password_reset_flow_forces_a_change_at_the_next_sign_in(admin_a, commune, police):
    response = client_of(admin_a).post(
        reverse("person_reset_password", args=[commune.public_id, police.username]), follow=True
    )
    password = response.content.decode().split('id="one-time-password">')[1].split("<")[0]

    user_client = Client()
    assert (
        user_client.post(reverse("login"), {"username": "congan", "password": PASSWORD}).status_code
        == 200
    )
    response = user_client.post(reverse("login"), {"username": "congan", "password": password})
    assert response.status_code == 302
    # Every page leads to the change form until the password is changed.
    response = user_client.get(reverse("home"))
    assert response["Location"] == reverse("password_change")
    page = user_client.get(reverse("password_change")).content.decode()
    assert "mật khẩu tạm thời" in page

    too_short = user_client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "ngan-qua", "new_password2": "ngan-qua"},
    )
    assert too_short.status_code == 400
    assert "Mật khẩu quá ngắn" in too_short.content.decode()

    new = "cong-an-hoa-phong-2026"
    response = user_client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert user_client.get(reverse("home")).status_code == 200
    assert not Account.objects.get(user=police).must_change_password
    assert Client().login(username="congan", password=new)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("12345678901234", "chỉ gồm chữ số"),
        ("password1234", "quá phổ biến"),
        ("congan-2026", "quá giống"),
    ],
)
def test_the_password_policy_speaks_vietnamese(police, password, message):
    client = client_of(police)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 400
    assert message in response.content.decode()


def test_editing_a_persons_name_and_email(admin_a, commune, police):
    client_of(admin_a).post(
        reverse("person_detail", args=[commune.public_id, police.username]),
        {"full_name": "Lê  Quốc   Bảo", "email": "bao@hoaphong.vn"},
    )
    police.refresh_from_db()
    assert (police.get_full_name(), police.email) == ("Lê Quốc Bảo", "bao@hoaphong.vn")
