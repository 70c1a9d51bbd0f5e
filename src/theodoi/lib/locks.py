"""Row locks that serialise two writers on one object (no data read: the lock is the point)."""

from __future__ import annotations

from typing import Any

from django.db import models


def lock_row(model: type[models.Model], pk: Any, *, no_key: bool = False) -> None:
    """Lock ``model``'s row ``pk`` until the transaction ends (a no-op on SQLite, whose
    writers are serialised anyway). ``no_key``: FOR NO KEY UPDATE, so that rows pointing at
    it (audit entries, evidence) still insert meanwhile. Only the key is selected: the
    object itself is already in hand, and a wide select costs more than the lock."""
    rows = model._default_manager.select_for_update(of=("self",), no_key=no_key).filter(pk=pk)
    list(rows.order_by().values_list("pk", flat=True))
