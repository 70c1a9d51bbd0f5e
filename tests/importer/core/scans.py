"""Scanned variants of test plans: PDF pages rasterised and rebuilt as an image-only PDF.

A scanner gives pictures of pages, slightly grey and speckled; ``scanned_pdf`` does the same
to any PDF (pypdfium2 renders, Pillow adds the speckles and writes the images back as PDF), so
the OCR reader is tested on what an office's scanner would produce, with nothing but the
checkout.
"""

from __future__ import annotations

import io
import random
from collections.abc import Sequence

import pypdfium2
from PIL import Image

SCAN_DPI = 300


def scanned_pdf(
    pdf: bytes, *, pages: Sequence[int] | None = None, noise: float = 0.002, seed: int = 7
) -> bytes:
    """An image-only PDF of ``pages`` (0-based, default all) of ``pdf``, as a scanner makes."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        wanted = list(pages) if pages is not None else list(range(len(document)))
        images = [_scan(document[index], noise, random.Random(seed + index)) for index in wanted]
    finally:
        document.close()
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=SCAN_DPI)
    return out.getvalue()


def text_pdf_pages(pdf: bytes, pages: Sequence[int]) -> bytes:
    """The same ``pages`` of ``pdf`` with their text layer: what the scan is compared with."""
    source = pypdfium2.PdfDocument(pdf)
    target = pypdfium2.PdfDocument.new()
    try:
        target.import_pages(source, list(pages))
        out = io.BytesIO()
        target.save(out)
        return out.getvalue()
    finally:
        target.close()
        source.close()


def _scan(page: pypdfium2.PdfPage, noise: float, rng: random.Random) -> Image.Image:
    image = page.render(scale=SCAN_DPI / 72, grayscale=True).to_pil().convert("L")
    page.close()
    # Paper is never white nor ink black, and a scanner leaves specks.
    image = image.point(lambda value: 235 if value > 200 else value + 20)
    pixels = image.load()
    assert pixels is not None
    width, height = image.size
    for _ in range(int(width * height * noise)):
        x, y = rng.randrange(width), rng.randrange(height)
        pixels[x, y] = rng.choice((40, 120, 255))
    return image
