"""A deadline inside a sentence of a report reads as people write it."""

from __future__ import annotations

import datetime as dt

import pytest

from theodoi.plans.models import DeadlineKind, Task
from theodoi.tracking.queries import due_phrase


@pytest.mark.parametrize(
    ("kind", "text", "due_on", "expected"),
    [
        (DeadlineKind.DATE, "Tháng 6/2026", dt.date(2026, 6, 30), "hạn 30/06/2026"),
        (DeadlineKind.DATE, "Quý II/2026", None, "hạn Quý II/2026"),
        (DeadlineKind.RECURRING, "Thường xuyên", None, "thực hiện thường xuyên"),
        (DeadlineKind.RECURRING, "Hằng quý", None, "thực hiện hằng quý"),
        (DeadlineKind.UNSPECIFIED, "", None, "chưa xác định thời hạn"),
    ],
)
def test_recurring_work_is_not_given_a_capitalised_deadline_mid_sentence(
    kind: str, text: str, due_on: dt.date | None, expected: str
) -> None:
    task = Task(deadline_kind=kind, deadline_text=text, due_on=due_on)
    assert due_phrase(task) == expected
