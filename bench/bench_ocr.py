"""OCR seconds per page of a scanned plan, against the same pages' text-layer PDF.

Run: ``uv run python -m bench.bench_ocr``. Each plan the tests hold is laid out as PDF (the
tests' builder), its first two pages holding a table and its first page are scanned (300 dpi,
grey paper, specks) and read by the OCR reader. Printed: seconds per page (a text page and a
table page), and the ratio to reading the same pages' text layer, measured in this one run.
Absolute times depend on the machine; Tesseract runs on one thread per page.
"""

from __future__ import annotations

import io
import os
import statistics
import time
from collections.abc import Callable

import django
import pdfplumber

from theodoi.importer.core.readers import read_bytes


def seconds(func: Callable[[], object], repeat: int = 1) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def table_page(pdf: bytes) -> int:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return next(n for n, page in enumerate(document.pages) if page.find_tables())


def main() -> None:
    # The tests' PDF builder sits beside their Django fixtures: settings must be loaded.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "theodoi.settings")
    django.setup()
    from tests.importer.core.builders import pdf_from_text, plan_paths
    from tests.importer.core.scans import scanned_pdf, text_pdf_pages

    print(f"{'plan':<16}{'page':>10}{'OCR s/page':>12}{'text s/page':>13}{'ratio':>9}")
    per_page: list[float] = []
    for plan in plan_paths():
        pdf = pdf_from_text(plan.read_text(encoding="utf-8"))
        for label, page in (("text", 0), ("table", table_page(pdf))):
            scan = scanned_pdf(pdf, pages=[page])
            original = text_pdf_pages(pdf, [page])
            ocr = seconds(lambda scan=scan: read_bytes(scan, "scan.pdf"))
            text = seconds(lambda original=original: read_bytes(original, "p.pdf"), repeat=3)
            per_page.append(ocr)
            print(f"{plan.stem:<16}{label:>10}{ocr:>12.2f}{text:>13.3f}{ocr / text:>9.0f}")
    print(f"median OCR seconds per page: {statistics.median(per_page):.2f}")


if __name__ == "__main__":
    main()
