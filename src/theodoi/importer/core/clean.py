"""Text cleaning: markup and page-break debris out, NFC in. (Owner: rules helper.)

Plans reach us converted from PDF/DOCX by several tools, so one paragraph may carry HTML tags
(``<b>``, ``<p>``, ``<ul><li>``), Markdown (``**bold**``, ``*italic*``, ``## heading``), LaTeX
math (``$\\geq 90\\%$``), footnote marks (``¹``), non-breaking spaces and decomposed Unicode.
``clean_text`` turns all of it into the plain words a reader sees.
"""

from __future__ import annotations

import html
import re
import unicodedata

# LaTeX commands met in converted plans, by what a reader sees instead.
_LATEX_SYMBOLS = {
    "geqslant": "≥",
    "leqslant": "≤",
    "geq": "≥",
    "leq": "≤",
    "ge": "≥",
    "le": "≤",
    "gt": ">",
    "lt": "<",
    "neq": "≠",
    "ne": "≠",
    "times": "×",
    "cdot": "·",
    "pm": "±",
    "approx": "≈",
    "sim": "~",
    "rightarrow": "→",
    "to": "→",
    "div": "÷",
    "circ": "°",
    "degree": "°",
}
_LATEX_COMMAND = re.compile(r"\\([A-Za-z]+)\s*")
_LATEX_WRAPPER = re.compile(
    r"\\(?:text|mathrm|mathbf|textbf|mathit|textit|operatorname)\s*\{([^{}]*)\}"
)
_LATEX_ESCAPE = re.compile(r"\\([%&$#_{}])")
_LATEX_SPACING = re.compile(r"\\[,;:! ]")
_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.DOTALL)

_BREAK_TAG = re.compile(r"<\s*(?:br|/p|/li|/div|/tr|/td|/th|p|li|div)\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9]*\b[^<>]*>")
_BOLD_TAG = re.compile(r"<\s*(b|strong)\b[^>]*>(.*?)<\s*/\s*\1\s*>", re.IGNORECASE | re.DOTALL)

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE)
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.DOTALL)
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])", re.DOTALL)
_STRAY_STARS = re.compile(r"\*{2,}|(?<!\S)\*(?!\S)")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")

# Footnote marks: superscript digits glued to a word ("phê duyệt¹"). A superscript after a
# length unit (m², km³) is an exponent and stays.
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FOOTNOTE_MARK = re.compile(rf"(?<!\dm)(?<!\d km)(?<!\dkm)(?<!\d m)(?<!\dcm)[{_SUPERSCRIPTS}]+")
_FOOTNOTE_LINE = re.compile(rf"^\s*[{_SUPERSCRIPTS}]+\s*\S")

# Invisible characters PDF/DOCX converters leave behind.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:!?)\]}%])")
_SPACE_AFTER_OPEN = re.compile(r"([(\[{])\s+")


def _replace_math(match: re.Match[str]) -> str:
    body = match.group(1) if match.group(1) is not None else match.group(2)
    return " " + _latex_to_text(body) + " "


def _latex_to_text(body: str) -> str:
    body = _LATEX_WRAPPER.sub(r"\1", body)
    body = _LATEX_ESCAPE.sub(r"\1", body)
    body = _LATEX_SPACING.sub(" ", body)

    def command(m: re.Match[str]) -> str:
        symbol = _LATEX_SYMBOLS.get(m.group(1))
        return f"{symbol} " if symbol else ""

    body = _LATEX_COMMAND.sub(command, body)
    body = re.sub(r"[\^_]\{([^{}]*)\}", r"\1", body)
    return body.replace("{", "").replace("}", "")


def _strip_markup(text: str) -> str:
    text = html.unescape(text)
    text = _MATH.sub(_replace_math, text)
    # A LaTeX escape or symbol outside $...$ ("80\%", "\geq 80") still reads as the symbol.
    text = _LATEX_ESCAPE.sub(r"\1", text)
    text = re.sub(
        r"\\(geqslant|leqslant|geq|leq)\b",
        lambda m: _LATEX_SYMBOLS[m.group(1)] + " ",
        text,
    )
    text = _BREAK_TAG.sub(" ", text)
    text = _ANY_TAG.sub("", text)
    text = _HEADING.sub("", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS.sub(r"\1", text)
    text = _STRAY_STARS.sub(" ", text)
    return _MD_ESCAPE.sub(r"\1", text)


def clean_text(raw: str | None) -> str:
    """HTML tags, ``**``/``__``, LaTeX math (``$\\geq 82\\%$`` -> ``≥ 82%``) removed; NFC;
    spaces collapsed.

    Newlines are collapsed too: a table cell or paragraph broken over lines is one text.
    ``None`` gives ``""``.
    """
    if not raw:
        return ""
    text = unicodedata.normalize("NFC", raw).translate(_INVISIBLE)
    text = _strip_markup(text)
    text = _FOOTNOTE_MARK.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _SPACE_AFTER_OPEN.sub(r"\1", text)
    # Markup removal can leave a space before NFC-composable marks; compose once more.
    return unicodedata.normalize("NFC", text).strip()


def is_bold_markup(raw: str | None) -> bool:
    """True when the whole of ``raw`` is wrapped in bold markup (``<b>..</b>``, ``**..**``).

    A Markdown heading (``## IV- TỔ CHỨC THỰC HIỆN``) counts as bold: converters write bold
    headings of the PDF that way. Several bold runs covering all the words count as bold.
    """
    if not raw or not raw.strip():
        return False
    text = unicodedata.normalize("NFC", raw)
    if _HEADING.match(text):
        return bool(clean_text(text))
    found = False

    def drop(match: re.Match[str]) -> str:
        nonlocal found
        found = True
        return " "

    rest = _BOLD_TAG.sub(drop, text)
    rest = _STRONG.sub(drop, rest)
    if not found:
        return False
    rest = _ANY_TAG.sub("", rest)
    # Only whitespace and punctuation may sit outside the bold runs.
    return not re.search(r"\w", rest)


def is_footnote_line(raw: str | None) -> bool:
    """True for a footnote's own line ("¹ Theo Quyết định số ..."), which is not body text."""
    return bool(raw) and bool(_FOOTNOTE_LINE.match(unicodedata.normalize("NFC", raw or "")))


def fold(text: str) -> str:
    """Lower-case ``text`` without Vietnamese diacritics ("Quý I" -> "quy i", "Đảng" -> "dang").

    Each character maps to exactly one character, so a match found in the folded text has
    the same position in the original: rules match spellings with or without diacritics and
    still cut the original words.
    """
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char in "đĐ":
            out.append("d")
            continue
        base = unicodedata.normalize("NFD", char)[0]
        out.append(base.lower() if len(base.lower()) == 1 else char)
    return "".join(out)
