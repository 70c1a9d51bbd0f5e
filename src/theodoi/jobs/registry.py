"""Kinds of job: ``@job_kind("name")`` registers ``fn(job, progress) -> JobOutcome``.

Each app declares its kinds in its ``job_kinds.py`` (imported by JobsConfig.ready), so the web
process and every worker know the same kinds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Job


@dataclass(frozen=True)
class JobOutcome:
    """What a finished job leaves: JSON for the page, and/or one file to download.

    The file is ``content`` (bytes), or, for a large one, ``file``: an open binary file the
    job wrote (e.g. a ``tempfile.TemporaryFile``), stored from its start and then closed.
    """

    result: dict[str, object] | None = None
    content: bytes | None = None
    file_name: str | None = None
    file: IO[bytes] | None = None


class Progress:
    """``progress(done, total, message)``: how far the job is, in its own short write.

    The write is an UPDATE of the job's row alone, outside any transaction of the job's own
    work, so the page polling the row sees it at once.
    """

    def __init__(self, job: Job) -> None:
        self.job = job

    def __call__(self, done: int, total: int, message: str = "") -> None:
        from .models import Job

        self.job.done, self.job.total = max(0, done), max(0, total)
        if message:
            self.job.message = str(message)[:300]
        Job.objects.filter(pk=self.job.pk).update(
            done=self.job.done, total=self.job.total, message=self.job.message
        )


JobFunction = Callable[["Job", Progress], JobOutcome]

_KINDS: dict[str, JobFunction] = {}


class UnknownJobKind(LookupError):
    pass


class JobFailed(Exception):
    """Raised by a job function: the work cannot be done, ``message`` (Vietnamese) says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = str(message)


def job_kind(name: str) -> Callable[[JobFunction], JobFunction]:
    def register(fn: JobFunction) -> JobFunction:
        if name in _KINDS and _KINDS[name] is not fn:
            raise ValueError(f"job kind {name!r} is registered twice")
        _KINDS[name] = fn
        return fn

    return register


def kind_function(name: str) -> JobFunction:
    try:
        return _KINDS[name]
    except KeyError:
        raise UnknownJobKind(name) from None


def registered_kinds() -> list[str]:
    return sorted(_KINDS)
