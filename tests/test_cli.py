"""``theodoi parse`` prints Plan JSON and never needs a database."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import PLANS_DIR


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    # A separate process without DJANGO_SETTINGS_MODULE proves parse needs no Django setup.
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": ""}
    return subprocess.run(
        [sys.executable, "-m", "theodoi", *args], capture_output=True, text=True, env=env,
        timeout=120,
    )  # fmt: skip


def test_parse_prints_the_plan_json_of_a_real_plan():
    result = _run("parse", str(PLANS_DIR / "quyetthang-2026.txt"))
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["schema"] == "theodoi.plan/1"
    assert plan["plan"]["signer"]["name"] == "Mai Hải Trung"
    assert len(plan["tasks"]) == 11


def test_parse_refuses_an_unreadable_file_with_one_vietnamese_sentence(tmp_path):
    picture = tmp_path / "ke-hoach.docx"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    result = _run("parse", str(picture))
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.startswith("Lỗi: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_parse_says_when_the_file_does_not_exist(tmp_path):
    result = _run("parse", str(tmp_path / "khong-co.docx"))
    assert result.returncode != 0
    assert "Không mở được tệp khong-co.docx" in result.stderr
