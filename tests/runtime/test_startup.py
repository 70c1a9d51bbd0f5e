"""Start-up as an operator meets it: DEBUG off unless asked, one sentence for each mistake."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def theodoi(*args: str, env: dict[str, str] | None = None, timeout: int = 60):  # type: ignore[no-untyped-def]
    """Run the console script as a separate process, with a clean environment plus ``env``."""
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("THEODOI_", "DATABASE_URL", "DJANGO_"))
    }
    return subprocess.run(
        [sys.executable, "-m", "theodoi", *args], capture_output=True, text=True,
        env={**base, **(env or {})}, cwd=ROOT, timeout=timeout,
    )  # fmt: skip


def _debug(env: dict[str, str], tmp_path: Path) -> str:
    code = "from django.conf import settings; print(settings.DEBUG)"
    result = theodoi("shell", "-c", code, env={"THEODOI_DATA_DIR": str(tmp_path), **env})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_debug_is_off_unless_asked_for_even_outside_production(tmp_path):
    assert _debug({}, tmp_path) == "False"
    assert _debug({"THEODOI_DEBUG": "true"}, tmp_path) == "True"


def test_an_unreachable_database_gives_one_sentence_and_no_traceback(tmp_path):
    result = theodoi(
        "migrate",
        env={
            "THEODOI_DATA_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://theodoi@127.0.0.1:1/theodoi?connect_timeout=3",
        },
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Lỗi: Không kết nối được cơ sở dữ liệu (postgresql)")
    assert "DATABASE_URL" in lines[0]


def test_a_malformed_setting_gives_one_vietnamese_sentence(tmp_path):
    result = theodoi("check", env={"THEODOI_DATA_DIR": str(tmp_path), "THEODOI_WEB_WORKERS": "ba"})
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Lỗi cấu hình: Biến môi trường THEODOI_WEB_WORKERS phải là một số nguyên, đang là 'ba'."
    )


def test_production_without_a_real_secret_refuses_to_start(tmp_path):
    result = theodoi("check", env={"THEODOI_DATA_DIR": str(tmp_path), "THEODOI_PRODUCTION": "true"})
    assert result.returncode == 1
    assert "THEODOI_SECRET_KEY" in result.stderr and "Traceback" not in result.stderr


def test_serve_refuses_a_database_that_is_not_migrated(tmp_path):
    result = theodoi("serve", "--port", "18190", env={"THEODOI_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "chưa được cập nhật" in result.stderr
    assert "theodoi migrate" in result.stderr


def test_a_data_directory_that_cannot_be_made_gives_one_sentence(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    # The data directory is a file: neither the database nor the files can live there.
    result = theodoi("serve", env={"THEODOI_DATA_DIR": str(blocker)})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Lỗi cấu hình: Không tạo được thư mục dữ liệu")
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("path", sorted((ROOT / "src").glob("theodoi/*/static/**/*.*")))
def test_no_shipped_static_file_points_at_a_source_map_that_is_not_shipped(path):
    if path.suffix not in {".css", ".js"}:
        return
    assert "sourceMappingURL" not in path.read_text(encoding="utf-8", errors="replace")
