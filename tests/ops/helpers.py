"""Running ``theodoi`` as the operator does: a separate process with its own environment."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

# What an operator would compare after a restore: rows per model, the evidence hashes
# (recorded and recomputed from the stored bytes) and what `theodoi check` says; in one process
# because each start of Django costs seconds on a busy machine.
CENSUS = """
import hashlib, io, json
import django
django.setup()
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import call_command
from theodoi.evidence.models import Evidence
check = io.StringIO()
call_command("check", stdout=check)
rows = {m._meta.label: m._base_manager.count() for m in apps.get_models()}
hashes = sorted(
    (e.sha256, hashlib.sha256(default_storage.open(e.file.name, "rb").read()).hexdigest())
    for e in Evidence.objects.exclude(file="")
)
print(json.dumps({"rows": rows, "hashes": hashes, "check": check.getvalue()}))
"""


def theodoi(*args: str, env: dict[str, str], timeout: int = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "theodoi", *args],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=timeout,
    )  # fmt: skip


def census_of(env: dict[str, str]) -> dict[str, Any]:
    """CENSUS in another installation; a failing `theodoi check` fails it."""
    result = subprocess.run(
        [sys.executable, "-c", CENSUS],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    """A clean environment for one installation: its data directory and what ``extra`` sets."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("THEODOI_", "DATABASE_URL", "DJANGO_"))
    }
    env.update(THEODOI_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="theodoi.settings")
    env.update(extra)
    return env


def census_here() -> dict[str, Any]:
    """CENSUS, in this process."""
    from django.apps import apps
    from django.core.files.storage import default_storage

    from theodoi.evidence.models import Evidence

    rows = {model._meta.label: model._base_manager.count() for model in apps.get_models()}
    hashes = sorted(
        [e.sha256, hashlib.sha256(default_storage.open(e.file.name, "rb").read()).hexdigest()]
        for e in Evidence.objects.exclude(file="")
    )
    return {"rows": rows, "hashes": hashes}
