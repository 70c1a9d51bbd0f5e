"""Reading a plan in a child process with a memory and a time limit.

A hostile or broken document (a PDF whose pages never end, an image that decompresses to
gigabytes) must not hold a server process: the child process reads and parses it under
``resource.setrlimit`` (address space, CPU seconds) and the parent waits at most a wall-clock
time, then kills it. Progress (``progress(done, total, message)``, e.g. the OCR's pages) comes
back through a pipe; so does the Plan JSON, or the refusal's Vietnamese sentence.

Plain Python, no Django: the child is started with "spawn", so it shares nothing (no database
connection, no lock) with the server process.
"""

from __future__ import annotations

import multiprocessing
import resource
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from .errors import ImportFileError

Progress = Callable[[int, int, str], None]

MEMORY_BYTES = 1536 * 1024 * 1024
SECONDS = 15 * 60

_TOO_SLOW = (
    "Tệp này cần quá nhiều thời gian để đọc nên đã dừng: hãy tải lên bản DOCX gốc, hoặc tách "
    "phần kế hoạch (bỏ phụ lục ảnh) rồi tải lên lại."
)
_TOO_BIG = (
    "Tệp này cần quá nhiều bộ nhớ để đọc nên đã dừng: hãy tải lên bản DOCX gốc, hoặc lưu lại "
    "tệp không kèm ảnh rồi tải lên lại."
)
_CRASHED = (
    "Không đọc được tệp này (quá trình đọc dừng bất thường): hãy mở tệp, lưu lại dưới dạng "
    "DOCX hoặc PDF rồi tải lên lần nữa."
)


def parse_limited(
    data: bytes,
    filename: str,
    *,
    progress: Progress | None = None,
    memory_bytes: int = MEMORY_BYTES,
    seconds: float = SECONDS,
) -> dict[str, Any]:
    """``parse.parse_document(readers.read_bytes(data, filename))`` in a limited child.

    Raises ``ImportFileError`` with the reader's own sentence, or one saying the limit hit."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, args=(sender, data, filename, memory_bytes, int(seconds) + 1), daemon=True
    )
    child.start()
    sender.close()
    try:
        return _wait(receiver, child, progress, seconds)
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
        receiver.close()


def _wait(
    receiver: Connection,
    child: multiprocessing.process.BaseProcess,
    progress: Progress | None,
    seconds: float,
) -> dict[str, Any]:
    import time

    deadline = time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise ImportFileError(_TOO_SLOW)
        if not receiver.poll(min(left, 1.0)):
            if not child.is_alive() and not receiver.poll(0):
                raise ImportFileError(_ending(child.exitcode))
            continue
        try:
            kind, *payload = receiver.recv()
        except EOFError as exc:
            child.join(5)
            raise ImportFileError(_ending(child.exitcode)) from exc
        if kind == "progress":
            if progress is not None:
                progress(*payload)
        elif kind == "done":
            result: dict[str, Any] = payload[0]
            return result
        else:
            raise ImportFileError(payload[0])


def _ending(exitcode: int | None) -> str:
    # Killed by the CPU limit (SIGXCPU) or the kernel: too slow; a MemoryError is sent as such.
    return _TOO_SLOW if exitcode is not None and exitcode < 0 else _CRASHED


def _child(
    sender: Connection, data: bytes, filename: str, memory_bytes: int, cpu_seconds: int
) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    try:
        from . import readers
        from .parse import parse_document

        def report(done: int, total: int, message: str) -> None:
            sender.send(("progress", done, total, message))

        plan = parse_document(readers.read_bytes(data, filename, progress=report))
        sender.send(("done", plan))
    except ImportFileError as exc:
        sender.send(("refused", exc.message))
    except MemoryError:
        sender.send(("refused", _TOO_BIG))
    finally:
        sender.close()
