"""The ``theodoi`` console script.

``theodoi parse FILE`` needs no database and never loads Django; ``theodoi demo`` prepares a
demo database and serves it (with DEBUG, which it asks for itself); ``theodoi serve`` is the
production server, ``theodoi worker`` the background worker; every other command is a Django
management command (``theodoi migrate``, ``theodoi import FILE --commune CODE`` ...).

A configuration mistake or an unreachable database ends with one Vietnamese sentence on
stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys


def _parse(argv: list[str]) -> int:
    from theodoi.importer.core.errors import ImportFileError
    from theodoi.importer.core.parse import dumps, parse_file

    parser = argparse.ArgumentParser(
        prog="theodoi parse", description="Đọc một kế hoạch và in ra Plan JSON (không ghi gì)."
    )
    parser.add_argument("file", help="tệp kế hoạch: .docx, .pdf, .xlsx, .csv, .txt, .md")
    args = parser.parse_args(argv)
    try:
        plan = parse_file(args.file)
    except ImportFileError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return 2
    except FileNotFoundError:
        print(f"Lỗi: không tìm thấy tệp {args.file}. Hãy kiểm tra lại đường dẫn.", file=sys.stderr)
        return 2
    sys.stdout.write(dumps(plan) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "parse":
        return _parse(args[1:])
    if args and args[0] == "demo":
        # The demo is the one place DEBUG is wanted (runserver serves the static files).
        os.environ.setdefault("THEODOI_DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "theodoi.settings")
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    from theodoi.lib.env import EnvError

    try:
        execute_from_command_line(["theodoi", *args])
    except EnvError as exc:
        print(f"Lỗi cấu hình: {exc}", file=sys.stderr)
        return 1
    except OperationalError as exc:
        from theodoi.lib.health import database_problem

        detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        problem = database_problem() or f"Lỗi cơ sở dữ liệu: {detail}."
        print(f"Lỗi: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
