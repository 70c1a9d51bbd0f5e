"""Every template obeys the Content-Security-Policy: no inline script, handler or style."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "theodoi"
TEMPLATES = sorted(SRC.glob("*/templates/**/*.html"))
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\son[a-z]+=", re.I), "an inline event handler"),
    (re.compile(r"\sstyle=", re.I), "a style attribute"),
    (re.compile(r"<style\b", re.I), "a <style> block"),
]


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 20


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_template_has_nothing_the_csp_would_block(path):
    text = path.read_text(encoding="utf-8")
    found = [
        f"line {text.count(chr(10), 0, m.start()) + 1}: {what}"
        for pattern, what in INLINE
        for m in pattern.finditer(text)
    ]
    assert found == []
