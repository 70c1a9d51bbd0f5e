"""The timers' commands (`theodoi notify -v 0`, `theodoi check -v 0`) are silent on success."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_daily_digest_says_nothing_when_there_is_nothing_to_tell():
    assert _run("notify", "-v", "0") == ("", "")
    assert "không có cảnh báo mới" in _run("notify")[0]  # a person running it by hand is told


def test_the_nightly_check_says_nothing_when_all_is_well():
    assert _run("check", "-v", "0") == ("", "")
    assert "không có vấn đề" in _run("check")[0]
