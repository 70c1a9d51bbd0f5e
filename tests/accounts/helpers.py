"""Helpers for the accounts tests: a signed-in client, a sheet of people as an XLSX file."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from openpyxl import Workbook

HEADER = ("Họ tên", "Tên đăng nhập", "Email", "Vai trò", "Đơn vị")


def people_xlsx(rows: Sequence[Sequence[str]], header: Sequence[str] = HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Danh sách cán bộ sử dụng hệ thống"])  # a title above the header, as usual
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def client_of(user: AbstractBaseUser) -> Client:
    client = Client()
    client.force_login(user)
    return client
