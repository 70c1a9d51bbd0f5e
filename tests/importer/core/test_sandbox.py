"""Reading a plan in a child process bounded in memory and time."""

from __future__ import annotations

import pytest

from theodoi.importer.core.errors import ImportFileError
from theodoi.importer.core.parse import parse_bytes
from theodoi.importer.core.sandbox import parse_limited

from ...conftest import PLANS_DIR

PLAN = (PLANS_DIR / "quyetthang-2026.txt").read_bytes()


def test_a_plan_read_in_the_bounded_child_is_the_plan_read_directly() -> None:
    assert parse_limited(PLAN, "ke-hoach.txt") == parse_bytes(PLAN, "ke-hoach.txt")


def test_a_document_that_outlasts_the_time_limit_is_stopped_with_a_sentence() -> None:
    with pytest.raises(ImportFileError) as caught:
        parse_limited(PLAN, "ke-hoach.txt", seconds=0.01)
    assert "quá nhiều thời gian" in caught.value.message


def test_a_document_that_needs_more_memory_than_the_limit_is_refused() -> None:
    huge = ("Nhiệm vụ\t" * 40 + "\n").encode() * 60_000  # ~25 MB of table text
    with pytest.raises(ImportFileError) as caught:
        parse_limited(huge, "ke-hoach.txt", memory_bytes=120 * 1024 * 1024, seconds=120)
    assert "hãy" in caught.value.message


def test_a_file_the_reader_refuses_keeps_the_readers_sentence() -> None:
    with pytest.raises(ImportFileError) as caught:
        parse_limited(b"", "ke-hoach.pdf")
    assert caught.value.message.startswith("Tệp rỗng")
