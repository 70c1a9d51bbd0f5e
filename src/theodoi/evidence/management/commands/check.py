"""``theodoi check``: Django's system checks, then the evidence store against its records.

Lists
- orphan files: in storage under ``evidence/`` or ``scorecards/`` with no record (a crash
  mid-upload leaves one);
- records whose file is missing;
- files whose SHA-256 no longer matches the one recorded at upload (altered on disk).

``--clean`` deletes orphan files older than ``--min-age-minutes`` (60 by default, so an upload
in progress, whose file is written a moment before its record, is never touched). Missing or
altered files are never "fixed": they are evidence problems a person must look at, and the
command exits with a non-zero status while any remain.

Then the summaries (``theodoi.summaries``) of the plans in force are compared with the live
derivation; a plan whose stored figures differ is named, and the command exits non-zero
(``theodoi rebuild_summaries`` derives them again). ``--summaries-sample N`` checks N plans
chosen at random instead of all.

This command replaces Django's ``check`` of the same name; the system checks still run first,
with all their options (``--deploy``, ``--tag`` ...). ``-v 0`` (the nightly timer) prints
nothing when all is well.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Iterator
from typing import Any

from django.core.files.storage import Storage, default_storage
from django.core.management.base import CommandError, CommandParser, OutputWrapper
from django.core.management.commands.check import Command as SystemCheckCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from theodoi.evidence.models import Evidence, EvidenceKind, StoredEvidence
from theodoi.evidence.services import CHUNK_BYTES, megabytes
from theodoi.scorecards.models import CriterionEvidence
from theodoi.scorecards.services import STORE_ROOT as SCORECARD_ROOT
from theodoi.summaries.checks import summaries_check

# Every model that records evidence files, and the storage folders they are kept in: the
# tasks' and targets' evidence, and the scorecards' (same checks, same sniffing and hashing).
STORED_FILES: tuple[type[StoredEvidence], ...] = (Evidence, CriterionEvidence)
ROOTS = ("evidence", SCORECARD_ROOT)


def walk(storage: Storage, directory: str) -> Iterator[str]:
    """Every file name under ``directory``, through the storage API (works beyond local disk)."""
    try:
        dirs, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}/{name}"
    for name in sorted(dirs):
        yield from walk(storage, f"{directory}/{name}")


def file_sha256(storage: Storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


class Command(SystemCheckCommand):
    help = (
        "Kiểm tra hệ thống (Django) và kho minh chứng: tệp mồ côi không có bản ghi, bản ghi mất "
        "tệp, tệp bị thay đổi (SHA-256 không khớp). --clean xóa tệp mồ côi đủ cũ."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--clean",
            action="store_true",
            help="Xóa các tệp mồ côi cũ hơn --min-age-minutes.",
        )
        parser.add_argument(
            "--min-age-minutes",
            type=int,
            default=60,
            help="Chỉ xóa tệp mồ côi cũ hơn chừng này phút (mặc định 60).",
        )
        parser.add_argument(
            "--summaries-sample",
            type=int,
            default=None,
            help="Chỉ đối chiếu số liệu tổng hợp của chừng này kế hoạch chọn ngẫu nhiên.",
        )

    def handle(self, *app_labels: Any, **options: Any) -> None:
        if options["verbosity"] == 0:
            # For the nightly timer: silent when all is well; problems still go to stderr.
            self.stdout = OutputWrapper(io.StringIO())
        super().handle(*app_labels, **options)
        if options["list_tags"]:
            return
        problems = self.check_evidence(
            clean=options["clean"], min_age=dt.timedelta(minutes=max(0, options["min_age_minutes"]))
        )
        differing = summaries_check(self.stdout, self.stderr, sample=options["summaries_sample"])
        if problems:
            raise CommandError(
                _(
                    "Kho minh chứng có %(n)d vấn đề cần xử lý (bản ghi mất tệp hoặc tệp bị "
                    "thay đổi). Hãy khôi phục tệp từ bản sao lưu."
                )
                % {"n": problems},
                returncode=1,
            )
        if differing:
            raise CommandError(
                _(
                    "Số liệu tổng hợp của %(n)d kế hoạch khác với số liệu tính trực tiếp. Hãy "
                    "chạy theodoi rebuild_summaries để tính lại."
                )
                % {"n": differing},
                returncode=1,
            )

    def check_evidence(self, *, clean: bool, min_age: dt.timedelta) -> int:
        """Report on the evidence store; returns how many records point at a bad file."""
        storage = default_storage
        rows = [
            row
            for model in STORED_FILES
            for row in model._default_manager.filter(kind=EvidenceKind.FILE)
            .exclude(file="")
            .values_list("file", "sha256", "public_id")
        ]
        records = {name: sha256 for name, sha256, _ in rows}
        public_ids = {name: public_id for name, _, public_id in rows}
        now = timezone.now()

        orphans = [name for root in ROOTS for name in walk(storage, root) if name not in records]
        missing: list[str] = []
        altered: list[str] = []
        for name, sha256 in sorted(records.items()):
            if not storage.exists(name):
                missing.append(name)
            elif file_sha256(storage, name) != sha256:
                altered.append(name)

        write = self.stdout.write
        write(_("Kho minh chứng: %(n)d tệp có bản ghi.") % {"n": len(records)})
        if orphans:
            write(_("Tệp mồ côi (trong kho nhưng không có bản ghi): %(n)d") % {"n": len(orphans)})
        removed = 0
        for name in orphans:
            age = now - storage.get_modified_time(name)
            facts = {
                "name": name,
                "size": megabytes(storage.size(name)),
                "minutes": int(age.total_seconds() // 60),
            }
            if clean and age >= min_age:
                storage.delete(name)
                removed += 1
                write(_("  đã xóa  %(name)s (%(size)s, %(minutes)d phút trước)") % facts)
            elif clean:
                write(
                    _(
                        "  giữ lại %(name)s (%(size)s, %(minutes)d phút trước: có thể đang tải "
                        "lên, chưa đủ cũ để xóa)"
                    )
                    % facts
                )
            else:
                write(_("  %(name)s (%(size)s, %(minutes)d phút trước)") % facts)
        if orphans and not clean:
            write(_("  Chạy lại với --clean để xóa các tệp mồ côi đủ cũ."))
        for name in missing:
            self.stderr.write(
                _("Bản ghi mất tệp: minh chứng %(id)s trỏ tới %(name)s, tệp không còn trong kho.")
                % {"id": public_ids[name], "name": name}
            )
        for name in altered:
            self.stderr.write(
                _(
                    "Tệp bị thay đổi: %(name)s (minh chứng %(id)s) không còn khớp SHA-256 đã "
                    "ghi khi nộp."
                )
                % {"id": public_ids[name], "name": name}
            )
        if not (orphans or missing or altered):
            write(self.style.SUCCESS(_("Kho minh chứng khớp với bản ghi: không có vấn đề.")))
        elif removed:
            write(_("Đã xóa %(n)d tệp mồ côi.") % {"n": removed})
        return len(missing) + len(altered)
