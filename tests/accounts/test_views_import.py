"""Importing people from an XLSX sheet: a preview with each row's errors, then all or nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from theodoi.accounts.models import Account, Membership, Role

from ..factories import make_user
from .helpers import client_of, people_xlsx

pytestmark = pytest.mark.django_db

GOOD = [
    ("Nguyễn Văn An", "nguyenvanan", "an@hoaphong.vn", "Cán bộ đơn vị", "Công an phường"),
    ("Trần Thị Bình", "tranthibinh", "", "Lãnh đạo đơn vị", "Trạm Y tế phường"),
    ("Lê Văn Cường", "levancuong", "", "lãnh đạo", ""),
    ("Phạm Thị Dung", "phamthidung", "", "MTTQ", ""),
]


def _upload(client, commune, content: bytes, name: str = "nguoi-dung.xlsx"):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("people_import", args=[commune.public_id]),
        {"file": SimpleUploadedFile(name, content)},
    )


def test_the_preview_names_every_rows_problem_and_saves_nothing(admin_a, commune, police):
    rows = [
        GOOD[0],
        ("Trần Thị Bình", "tranthibinh", "khong-phai-email", "Thủ quỹ", "Công an phường"),
        ("Lê Văn Cường", "levancuong", "", "Cán bộ đơn vị", "Phòng Tài chính"),
        ("", "nguyenvanan", "", "Lãnh đạo", ""),
        ("Hoàng Văn Em", "congan", "", "Lãnh đạo", ""),
        ("Vũ Thị Phương", "vu thi phuong", "", "Cán bộ đơn vị", ""),
    ]
    response = _upload(client_of(admin_a), commune, people_xlsx(rows))
    assert response.status_code == 200
    body = response.content.decode()
    assert "5 dòng có lỗi" in body
    assert "Email “khong-phai-email” không hợp lệ." in body
    assert "Không hiểu vai trò “Thủ quỹ”" in body
    assert "Không có đơn vị “Phòng Tài chính” trong phường Hòa Phong." in body
    assert "Thiếu họ tên." in body
    assert "Tên đăng nhập “nguyenvanan” lặp lại dòng 3." in body
    assert "Tên đăng nhập “congan” đã có người dùng." in body
    assert "chỉ được dùng chữ không dấu" in body
    assert "cần chọn đơn vị" in body
    assert "Tạo 6 tài khoản" not in body  # no way to commit a sheet with errors
    assert not User.objects.filter(username="nguyenvanan").exists()


def test_a_clean_sheet_is_committed_whole_with_roles_units_and_passwords(admin_a, commune):
    client = client_of(admin_a)
    preview = _upload(client, commune, people_xlsx(GOOD))
    assert "0 dòng có lỗi" in preview.content.decode()
    assert not User.objects.filter(username="nguyenvanan").exists()

    done = client.post(reverse("people_import_confirm", args=[commune.public_id]))
    assert done.status_code == 200
    body = done.content.decode()
    assert "Đã tạo 4 tài khoản" in body
    roles = dict(
        Membership.objects.filter(
            commune=commune, user__username__in=[r[1] for r in GOOD]
        ).values_list("user__username", "role")
    )
    assert roles == {
        "nguyenvanan": Role.UNIT_STAFF,
        "tranthibinh": Role.UNIT_HEAD,
        "levancuong": Role.LEADER,
        "phamthidung": Role.SUPERVISOR,
    }
    an = User.objects.get(username="nguyenvanan")
    assert an.memberships.get().unit.name == "Công an phường"
    assert an.email == "an@hoaphong.vn"
    assert Account.objects.get(user=an).must_change_password
    # Each temporary password is on the page, once, and works.
    password = body.split('nguyenvanan</td><td class="font-monospace">')[1].split("<")[0]
    assert an.check_password(password)
    # The preview is used up: posting again creates nobody twice.
    again = client.post(reverse("people_import_confirm", args=[commune.public_id]), follow=True)
    assert "tải tệp lên lại" in again.content.decode()


def test_nobody_is_created_when_one_row_fails_at_commit(admin_a, commune):
    client = client_of(admin_a)
    _upload(client, commune, people_xlsx(GOOD))
    make_user("phamthidung")  # someone took the last row's name since the preview

    response = client.post(reverse("people_import_confirm", args=[commune.public_id]))
    assert response.status_code == 400
    body = response.content.decode()
    assert "chưa tạo tài khoản nào" in body
    assert "Tên đăng nhập “phamthidung” đã có người dùng." in body
    assert not User.objects.filter(username__in=["nguyenvanan", "tranthibinh"]).exists()


def test_columns_may_come_in_any_order_with_the_communes_own_headings(admin_a, commune):
    header = ("Đơn vị", "Vai trò", "Họ và tên", "Tài khoản", "Thư điện tử")
    rows = [("Công an phường", "cán bộ", "Nguyễn Văn An", "nguyenvanan", "")]
    body = _upload(client_of(admin_a), commune, people_xlsx(rows, header)).content.decode()
    assert "0 dòng có lỗi" in body
    assert "Cán bộ đơn vị" in body


def test_a_file_that_is_not_a_sheet_is_refused_in_vietnamese(admin_a, commune):
    response = _upload(client_of(admin_a), commune, b"%PDF-1.7 not a sheet", "ds.xlsx")
    assert response.status_code == 400
    assert "không phải tệp Excel" in response.content.decode()


def test_a_sheet_without_the_header_row_is_refused_with_the_columns_it_needs(admin_a, commune):
    rows = [("Nguyễn Văn An", "nguyenvanan")]
    content = people_xlsx(rows, header=("Tên", "Mã"))
    response = _upload(client_of(admin_a), commune, content)
    assert response.status_code == 400
    assert "Không tìm thấy dòng tiêu đề" in response.content.decode()


def test_another_communes_admin_cannot_commit_a_preview_here(admin_a, admin_b, commune):
    _upload(client_of(admin_a), commune, people_xlsx(GOOD))
    response = client_of(admin_b).post(reverse("people_import_confirm", args=[commune.public_id]))
    assert response.status_code == 404
    assert not User.objects.filter(username="nguyenvanan").exists()
