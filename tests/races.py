"""Racing N requests at once against real PostgreSQL (SQLite serialises writers, so a race
there proves nothing): each thread has its own connection; all start at one barrier."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

THREADS = 4

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="races need real row locks: run with DATABASE_URL=postgres://... (CI does)",
)


def race(calls: list[Callable[[], Any]]) -> Counter[int]:
    """Run every call at once, each in its own thread; count the HTTP statuses answered."""
    barrier = threading.Barrier(len(calls))
    statuses: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            response = call()
            with lock:
                statuses.append(response.status_code)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    return Counter(statuses)
