"""English is available: a switch on every page, and a catalogue with nothing left out.

Vietnamese stays the default. The reports app's document text (DOCX/XLSX content in the
state's format) must stay Vietnamese by law, so those messages alone may be left empty.
"""

from __future__ import annotations

import ast
import gettext
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"

# A python-format placeholder: %(name)s, %d, %%...
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")


@dataclass
class Message:
    msgid: str = ""
    plural: str | None = None
    context: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


def read_po(path: Path) -> list[Message]:
    """The catalogue's messages (header and obsolete entries left out)."""
    messages: list[Message] = []
    current = Message()
    target: tuple[str, int] = ("msgid", 0)

    def finish() -> None:
        nonlocal current
        if current.msgid or current.msgstr:
            messages.append(current)
        current = Message()

    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            finish()
            continue
        if line.startswith("#~"):  # obsolete: no longer in the source
            continue
        if line.startswith("#:"):
            current.files += [ref.rsplit(":", 1)[0] for ref in line[2:].split()]
        elif line.startswith("#,"):
            current.flags += [flag.strip() for flag in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        else:
            # A keyword line (msgid "...") or a continuation line ("...").
            keyword, _, rest = ("", "", line) if line.startswith('"') else line.partition(" ")
            text = ast.literal_eval(rest)
            if keyword == "msgctxt":
                current.context, target = text, ("msgctxt", 0)
            elif keyword == "msgid":
                current.msgid, target = text, ("msgid", 0)
            elif keyword == "msgid_plural":
                current.plural, target = text, ("msgid_plural", 0)
            elif keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if "[" in keyword else 0
                current.msgstr[index], target = text, ("msgstr", index)
            elif target[0] == "msgctxt":
                current.context = (current.context or "") + text
            elif target[0] == "msgid":
                current.msgid += text
            elif target[0] == "msgid_plural":
                current.plural = (current.plural or "") + text
            else:
                current.msgstr[target[1]] += text
    return [m for m in messages if m.msgid]


@pytest.fixture(autouse=True)
def _vietnamese_again_afterwards() -> Iterator[None]:
    """A request in English leaves English active in this thread (LocaleMiddleware never
    resets it); later tests that call gettext outside a request expect Vietnamese."""
    yield
    translation.deactivate()


def only_in_reports(message: Message) -> bool:
    return bool(message.files) and all(f.startswith("reports/") for f in message.files)


def choose(client, language: str, next_url: str = "/"):  # type: ignore[no-untyped-def]
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_the_login_page_reads_vietnamese_by_default(client, db):  # type: ignore[no-untyped-def]
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page
    assert "Sign in" not in page


def test_every_page_offers_a_switch_to_english_and_back(client, db):  # type: ignore[no-untyped-def]
    page = client.get(reverse("login")).content.decode()
    assert f'action="{reverse("set_language")}"' in page
    assert 'name="language" value="vi"' in page
    assert 'name="language" value="en"' in page
    assert "Tiếng Việt" in page and "English" in page


def test_choosing_english_turns_the_login_page_into_english(client, db):  # type: ignore[no-untyped-def]
    response = choose(client, "en", reverse("login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in page
    assert "Sign in" in page
    assert "Password" in page
    assert "Đăng nhập" not in page


def test_choosing_vietnamese_again_brings_vietnamese_back(client, db):  # type: ignore[no-untyped-def]
    choose(client, "en")
    choose(client, "vi")
    page = client.get(reverse("login")).content.decode()
    assert "Đăng nhập" in page
    assert "Sign in" not in page


def test_a_signed_in_officer_reads_the_home_page_in_english(client, police):  # type: ignore[no-untyped-def]
    client.force_login(police)
    before = client.get(reverse("home")).content.decode()
    assert "Nhiệm vụ của đơn vị" in before

    choose(client, "en", reverse("home"))
    page = client.get(reverse("home")).content.decode()
    assert "Digital transformation plan" in page
    assert "Unit tasks" in page
    assert "Sign out" in page
    assert "Nhiệm vụ của đơn vị" not in page
    assert "Đăng xuất" not in page
    # Proper names are data, never translated.
    assert "Hòa Phong" in page


def test_the_catalogue_leaves_nothing_untranslated_outside_the_report_documents() -> None:
    messages = read_po(CATALOGUE / "django.po")
    assert len(messages) > 100
    untranslated = [
        m.msgid
        for m in messages
        if not only_in_reports(m) and (not m.msgstr or not all(m.msgstr.values()))
    ]
    assert untranslated == []
    fuzzy = [m.msgid for m in messages if "fuzzy" in m.flags]
    assert fuzzy == []


def test_every_translation_keeps_the_placeholders_of_its_message() -> None:
    for m in read_po(CATALOGUE / "django.po"):
        if "python-format" not in m.flags or not any(m.msgstr.values()):
            continue
        wanted = set(PLACEHOLDER.findall(m.msgid + (m.plural or "")))
        found = set(PLACEHOLDER.findall("".join(m.msgstr.values())))
        assert found == wanted, m.msgid


@pytest.mark.parametrize(
    "name", ["Nghị quyết 57", "Nghị định 09/2019/NĐ-CP", "theodoinq.dcs.vn", "MTTQ", "Quý II/2026"]
)
def test_proper_names_and_document_names_stay_vietnamese_in_english(name: str) -> None:
    carrying = [m for m in read_po(CATALOGUE / "django.po") if name in m.msgid]
    translated = [m for m in carrying if any(m.msgstr.values())]
    assert translated, f"no translated message names {name}"
    for m in translated:
        assert all(name in text for text in m.msgstr.values()), m.msgid


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    """The .mo is committed so a fresh machine needs no gettext: it must not lag the .po."""
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for m in read_po(CATALOGUE / "django.po"):
        if not any(m.msgstr.values()):
            continue
        key = f"{m.context}\x04{m.msgid}" if m.context is not None else m.msgid
        if m.plural is None:
            assert compiled._catalog.get(key) == m.msgstr[0], m.msgid  # type: ignore[attr-defined]
        else:
            for index, text in m.msgstr.items():
                assert compiled._catalog.get((key, index)) == text, m.msgid  # type: ignore[attr-defined]


def test_an_english_browser_still_gets_vietnamese_until_english_is_chosen(client):
    page = client.get(reverse("login"), headers={"accept-language": "en-US,en;q=0.9"})
    assert "Đăng nhập" in page.content.decode()
