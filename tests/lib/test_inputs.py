"""Numbers read from requests: ASCII digits or a clean refusal, never a crash."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from theodoi.lib.inputs import MalformedNumber, ascii_int, ascii_int_or_none, is_ascii_int


@pytest.mark.parametrize("raw", ["0", "7", "2026", "000123", "9" * 18])
def test_plain_ascii_digits_are_read_as_numbers(raw):
    assert ascii_int(raw, missing=-1) == int(raw)


@pytest.mark.parametrize(
    "raw", ["²", "١٢", "3²", " 7", "7 ", "+7", "-7", "7_0", "7.0", "0x1f", "9" * 19, "７"]
)
def test_anything_else_is_refused_as_a_bad_request(raw):
    with pytest.raises(MalformedNumber, match="chữ số 0–9"):
        ascii_int(raw, missing=-1)
    assert not is_ascii_int(raw)


def test_an_absent_number_takes_the_default_given():
    assert ascii_int("", missing=-1) == -1
    assert ascii_int(None, missing=0) == 0
    assert ascii_int_or_none("") is None


@given(st.text(max_size=25))
def test_any_text_is_either_its_digits_or_refused(raw):
    try:
        value = ascii_int_or_none(raw)
    except MalformedNumber:
        assert not (raw.isascii() and raw.isdigit() and len(raw) <= 18)
    else:
        assert value is None or str(value) == raw.lstrip("0") or (value == 0 and set(raw) == {"0"})
