"""A plan's metadata: the contract's "plan" object. (Owner: targets helper.)

Where each field comes from (docs/contracts/plan-json.md):

- ``title``: the "KẾ HOẠCH" line and the subtitle under it, as "Kế hoạch <subtitle>".
- ``number``: the "Số" line, state style "Số: 87/KH-UBND" or Party style "Số 09-KH/ĐU"; null
  where the number itself is blank ("Số: /KH-UBND").
- ``issued_on``, ``place``: the date line "Gia Viên, ngày 27 tháng 3 năm 2026"; ``issued_on``
  is null where the day or the month is blank.
- ``issuer``: the header ("ỦY BAN NHÂN DÂN / PHƯỜNG X" -> "UBND phường X", "ĐẢNG ỦY PHƯỜNG X"
  signed "T/M BAN THƯỜNG VỤ" -> "Ban Thường vụ Đảng ủy phường X"); without a header, the
  sentence that issues the plan ("UBND phường X ban hành Kế hoạch ..."), then the signature
  ("TM. ỦY BAN NHÂN DÂN") or the number's symbol ("/KH-UBND", "-KH/ĐU").
- ``commune``, ``commune_kind``: the issuer's commune, else the title's, else the commune the
  text names most often ("phường Phước Bình").
- ``province``: the province (or centrally-run city) the text names most often ("tỉnh Thái
  Nguyên", "Tỉnh ủy Đồng Nai"); null where it never says.
- ``year``: the plan year, "năm 2026" in the title (not a date's year, nor a horizon "đến năm
  2030"); null when the title gives none (the caller may take it from the tasks).
- ``signer``: the name under the signature block ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH") after the
  recipients list, its title in normal case ("Phó Chủ tịch").
- ``replaces``: the numbers after "thay thế" ("Kế hoạch này thay thế Kế hoạch số 34/KH-UBND").
- ``basis``: the documents cited in a "CĂN CỨ" section and in the opening "Căn cứ ..." /
  "Thực hiện ..." paragraphs, as "Nghị quyết số 57-NQ/TW ngày 22/12/2024", in order, each once.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .clean import fold
from .document import Document, Paragraph
from .outline import heading_label, heading_rank, is_body_end, is_caps_heading, marker


@dataclass(frozen=True)
class _Line:
    text: str
    line: int
    bold: bool = False


def extract_metadata(doc: Document) -> dict[str, Any]:
    """The contract's "plan" object for ``doc``; what the document does not say is None/[]."""
    lines = list(_lines(doc))
    title_at, title = _title(lines)
    head = lines[: title_at if title_at is not None else min(len(lines), 12)]
    preamble = _preamble(lines, title_at)
    body = _body(lines, title_at)

    number, symbol = _number(head + preamble[:2])
    place, issued_on = _date_line(head + preamble[:2])
    signature = _signature(body)
    header_issuer = _header_issuer(head)
    text_issuer = _text_issuer(preamble) or _text_issuer(body)

    commune_kind, commune = None, None
    for source in (header_issuer, _commune_in(title or ""), text_issuer):
        if source is not None and source[2]:
            commune_kind, commune = source[1], source[2]
            break
    if commune is None:
        commune_kind, commune = _most_named_commune(body) or (None, None)
    if commune_kind is None:
        commune_kind = (header_issuer or text_issuer or (None, None, None))[1]

    issuer = _issuer(header_issuer, text_issuer, signature, symbol, commune_kind, commune)
    return {
        "title": title,
        "number": number,
        "issued_on": issued_on,
        "place": place,
        "issuer": issuer,
        "commune": commune,
        "commune_kind": commune_kind,
        "province": _province(lines),
        "year": plan_year(title) or _heading_year(lines, title_at),
        "signer": {"name": signature[1], "title": signature[0]} if signature else None,
        "replaces": _replaces(body),
        "basis": _basis(lines, title_at, preamble),
    }


def _lines(doc: Document) -> Iterator[_Line]:
    """Paragraphs, and table cells one by one (a DOCX header or signature is often a table)."""
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            text = unicodedata.normalize("NFC", block.text).strip()
            if text:
                yield _Line(text, block.line, block.bold)
            continue
        for row in block.rows:
            for cell in row.cells:
                text = unicodedata.normalize("NFC", cell).strip()
                if text:
                    yield _Line(text, row.line)


# --- Title and plan year -----------------------------------------------------------------------

_TITLE = re.compile(r"^k[eế] ho[aạ]ch\b[\s:.\-–]*(.*)$", re.I | re.S)
# What starts the text after a title: the citing sentences, a numbered section.
_AFTER_TITLE = re.compile(r"^(can cu|thuc hien|thi hanh|theo|phan\b|so\b)")


def _title(lines: list[_Line]) -> tuple[int | None, str | None]:
    """(index of the "KẾ HOẠCH" line, "Kế hoạch <subtitle>")."""
    for index, line in enumerate(lines[:40]):
        m = _TITLE.match(line.text)
        if not m or not line.text[:8].isupper():
            continue  # "KẾ HOẠCH" in capitals, not a sentence starting "Kế hoạch ..."
        parts = [m.group(1).strip()] if m.group(1).strip() else []
        for nxt in lines[index + 1 : index + 5]:
            text = nxt.text.strip()
            if not re.search(r"\w", text):
                continue  # a rule line "-----" under the title
            if parts and not (text[:1].islower() or (nxt.bold and lines[index + 1].bold)):
                break
            if not parts and _is_subtitle(text):
                parts.append(text)  # "Thực hiện Nghị quyết số 57-NQ/TW ..., năm 2026"
                continue
            if _AFTER_TITLE.match(fold(text)) or marker(text) is not None or len(text) > 400:
                break
            parts.append(text)
        subtitle = " ".join(parts).strip().rstrip(".")
        return index, f"Kế hoạch {subtitle}" if subtitle else "Kế hoạch"
    return None, None


def _heading_year(lines: list[_Line], title_at: int | None) -> int | None:
    """Without a "KẾ HOẠCH" title naming the year, the year of the first heading in capitals
    that names one ("DANH MỤC NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2026" over a task list)."""
    if title_at is not None:
        return None
    for line in lines[:15]:
        if is_caps_heading(line.text):
            year = plan_year(line.text)
            if year is not None:
                return year
    return None


_SUBTITLE_START = re.compile(r"^(thuc hien|trien khai|thi hanh)\b")


def _is_subtitle(text: str) -> bool:
    """A "Thực hiện ..." line right under "KẾ HOẠCH" that names what the plan carries out, not
    the opening sentence (which runs on to "... như sau:" and issues the plan)."""
    folded = fold(text)
    return (
        bool(_SUBTITLE_START.match(folded))
        and len(text) <= 300
        and not text.rstrip().endswith((":", "."))
        and not re.search(r"\b(nhu sau|ban hanh|xay dung ke hoach)\b", folded)
    )


_PLAN_YEAR = re.compile(r"\bnam\s+(20\d\d)\b")
# "năm" that is not the plan year: a date's ("tháng 12 năm 2024") or a horizon's.
_NOT_PLAN_YEAR = re.compile(r"(thang\s+\d{1,2}|den|toi|tam nhin|dinh huong|giai doan)\s*$")


def plan_year(title: str | None) -> int | None:
    """The plan year named in a title: "... năm 2026", not "ngày 22 tháng 12 năm 2024" nor
    "định hướng đến năm 2030"."""
    if not title:
        return None
    folded = fold(title)
    years = [
        int(m.group(1))
        for m in _PLAN_YEAR.finditer(folded)
        if not _NOT_PLAN_YEAR.search(folded[: m.start()].rstrip())
    ]
    return years[-1] if years else None


# --- Number, date, place -----------------------------------------------------------------------

# "Số: 87/KH-UBND", "Số 09-KH/ĐU", "Số: /KH-UBND", "Số KH/ĐU", "Số: 15/2026/KH-UBND".
_NUMBER = re.compile(
    r"\b(?:Số|SỐ|So)\s*[:.]?\s*(?P<num>\d+[a-zA-Z]?(?:/20\d\d)?)?\s*[_.…\s]*"
    r"(?P<sep>[-/])?\s*(?P<sym>[A-ZĐ]{1,8}(?:\s*[-/]\s*[A-ZĐ0-9]{1,12})+)"
)


def _number(lines: list[_Line]) -> tuple[str | None, str | None]:
    """(the plan's number or None when blank, its symbol "KH-UBND" / "KH/ĐU")."""
    for line in lines:
        m = _NUMBER.search(line.text)
        if not m:
            continue
        symbol = re.sub(r"\s+", "", m.group("sym"))
        if not m.group("num"):
            return None, symbol
        return f"{m.group('num')}{m.group('sep') or '/'}{symbol}", symbol
    return None, None


_DATE_LINE = re.compile(
    r"(?P<place>[^,\n]{2,80}?)\s*,\s*ng[àa]y\s*(?P<d>\d{1,2})?[\s_.…]*th[áa]ng\s*(?P<m>\d{1,2})?"
    r"[\s_.…/]*n[ăa]m\s*(?P<y>\d{4})",
    re.I,
)


def _date_line(lines: list[_Line]) -> tuple[str | None, str | None]:
    """(place, ISO date or None) from "Gia Viên, ngày 27 tháng 3 năm 2026"."""
    for line in lines:
        m = _DATE_LINE.search(line.text)
        if not m:
            continue
        place = _trailing_name(m.group("place"))
        issued_on = None
        if m.group("d") and m.group("m"):
            try:
                date = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
                issued_on = date.isoformat()
            except ValueError:
                issued_on = None
        return place, issued_on
    return None, None


def _trailing_name(text: str) -> str | None:
    """The capitalised words at the end of ``text`` ("Số: 87/KH-UBND Gia Viên" -> "Gia Viên")."""
    words: list[str] = []
    for word in reversed(text.split()):
        if not word[:1].isupper() or re.search(r"[\d/:]", word):
            break
        words.insert(0, word)
    if not words:
        return None
    name = " ".join(words)
    return _title_case(name) if name.isupper() else name


# --- Issuer, commune, province -----------------------------------------------------------------

_KIND = r"(?P<kind>xã|phường|đặc\s+khu)"
_UY = r"(?:ủy|uỷ|uy)"
# Organs that issue a plan, longest first.
_ORGANS: tuple[tuple[str, str], ...] = (
    (rf"ban\s+thường\s+vụ\s+đảng\s+{_UY}", "Ban Thường vụ Đảng ủy"),
    (r"ban\s+chấp\s+hành\s+đảng\s+bộ", "Ban Chấp hành Đảng bộ"),
    (rf"{_UY}\s+ban\s+nhân\s+dân|ubnd", "UBND"),
    (rf"đảng\s+{_UY}", "Đảng ủy"),
)
_CAPS_STOP = {"CỘNG", "ĐẢNG", "SỐ", "ĐỘC", "KẾ", "HỘI", "BAN"}

# (organ, commune kind, commune name); any part may be None.
_Issuer = tuple[str | None, str | None, str | None]


def _normal_kind(kind: str) -> str:
    folded = fold(kind)
    return {"xa": "xã", "phuong": "phường", "dac khu": "đặc khu"}.get(folded, kind.lower())


def _name_after(text: str, max_words: int = 4) -> str | None:
    """The proper name starting ``text`` ("Quyết Thắng, tỉnh ..." -> "Quyết Thắng")."""
    words: list[str] = []
    for raw in text.split()[:max_words]:
        word = raw.strip("“”\"'()")
        bare = word.rstrip(",.;:)”")
        if not bare or not (bare[:1].isupper() or bare[:1].isdigit()) or bare in _CAPS_STOP:
            break
        if re.search(r"[/]", bare) or (bare[:1].isdigit() and not bare.isdigit()):
            break
        if bare.casefold() in _NAME_STOP or re.fullmatch(r"(19|20)\d\d", bare):
            break  # "XÃ TÂN CƯƠNG NĂM 2026": the year is not part of the name
        words.append(bare)
        if bare != word:
            break  # punctuation ends the name
    if not words:
        return None
    name = " ".join(words)
    return _title_case(name) if name.isupper() and len(name) > 1 else name


def _title_case(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in text.split())


# Words after a commune's name that are not part of it ("... NĂM 2026", "... TỈNH THÁI NGUYÊN").
_NAME_STOP = {"năm", "giai", "tỉnh", "huyện", "thành", "đến", "về", "thực", "triển", "danh", "kèm"}
# The other column of a header (national motto, Party line): a PDF may interleave it with the
# issuer's column on one line ("XÃ AN PHÚ Độc lập - Tự do - Hạnh phúc").
_OTHER_COLUMN = re.compile(
    r"CỘNG\s+H[ÒO]A\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM|"
    r"Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc|\bSố\s*:?\s*\S*[/-]\S*|"
    r"[^,]*,\s*ngày\b.*$",
    re.I,
)


def _issuer_column(text: str) -> str:
    return " ".join(_OTHER_COLUMN.sub(" ", text).split())


def _header_issuer(head: list[_Line]) -> _Issuer | None:
    """The issuer in the header: "ỦY BAN NHÂN DÂN / PHƯỜNG GIA VIÊN", "ĐẢNG ỦY PHƯỜNG X"."""
    parts = [_issuer_column(line.text) for line in head]
    text = " ".join(p for p in parts if p and (p.isupper() or is_caps_heading(p)))
    for pattern, organ in _ORGANS:
        m = re.search(rf"(?:{pattern})\s+{_KIND}\b\s*", text, re.I)
        if m and m.group(0).isupper():
            return organ, _normal_kind(m.group("kind")), _name_after(text[m.end() :])
    return None


_ISSUING = re.compile(r"\b(ban hanh|xay dung|trien khai)\s+(ke hoach|kh)\b")


def _text_issuer(lines: list[_Line]) -> _Issuer | None:
    """The organ in the sentence that issues the plan: "UBND phường X ban hành Kế hoạch"."""
    for line in lines:
        folded = fold(line.text)
        for issuing in _ISSUING.finditer(folded):
            before = line.text[: issuing.start()]
            for pattern, organ in _ORGANS:
                for m in re.finditer(rf"(?:{pattern})\s+{_KIND}\b", before, re.I):
                    tail = before[m.end() :]
                    name = _name_after(tail)
                    # The organ is the sentence's subject, right before the verb.
                    if not tail.strip()[len(name) if name else 0 :].strip(" ,"):
                        return organ, _normal_kind(m.group("kind")), name
    return None


def _commune_in(text: str) -> _Issuer | None:
    for m in re.finditer(rf"\b{_KIND}\s+", text, re.I):
        name = _name_after(text[m.end() :])
        if name:
            return None, _normal_kind(m.group("kind")), name
    return None


def _most_named_commune(lines: list[_Line]) -> tuple[str, str] | None:
    counts: Counter[tuple[str, str]] = Counter()
    for line in lines:
        for m in re.finditer(rf"(?<!\w){_KIND}\s+", line.text, re.I):
            name = _name_after(line.text[m.end() :])
            if name and not name.isdigit():
                counts[(_normal_kind(m.group("kind")), name)] += 1
    return counts.most_common(1)[0][0] if counts else None


def _issuer(
    header: _Issuer | None,
    text: _Issuer | None,
    signature: tuple[str, str | None, str] | None,
    symbol: str | None,
    kind: str | None,
    commune: str | None,
) -> str | None:
    organ = (header or (None,))[0] or (text or (None,))[0]
    signed_for = signature[2] if signature else ""
    if organ is None:
        organ = _organ_from_signature(signed_for) or _organ_from_symbol(symbol)
    if organ is None:
        return None
    if organ == "Đảng ủy" and "ban thuong vu" in signed_for:
        organ = "Ban Thường vụ Đảng ủy"  # "T/M BAN THƯỜNG VỤ" signs for the standing committee
    return " ".join(p for p in (organ, kind, commune) if p)


def _organ_from_signature(signed_for: str) -> str | None:
    if "ban thuong vu" in signed_for:
        return "Ban Thường vụ Đảng ủy"
    if "uy ban nhan dan" in signed_for or "ubnd" in signed_for:
        return "UBND"
    if "dang uy" in signed_for:
        return "Đảng ủy"
    return None


def _organ_from_symbol(symbol: str | None) -> str | None:
    if not symbol:
        return None
    if symbol.upper().endswith("UBND"):
        return "UBND"
    if symbol.upper().endswith(("/ĐU", "/DU")):
        return "Đảng ủy"
    return None


# The six centrally-run cities: "thành phố X" names a province only for these.
_CITIES = {"ha noi", "hai phong", "hue", "da nang", "can tho", "ho chi minh"}


def _province(lines: list[_Line]) -> str | None:
    """The province the text names most often ("tỉnh Thái Nguyên", "Tỉnh ủy Đồng Nai")."""
    counts: Counter[str] = Counter()
    for line in lines:
        for m in re.finditer(
            rf"(?<!\w)(?P<word>tỉnh|thành\s+phố|tp\.?)(?:\s+{_UY})?\s+", line.text, re.I
        ):
            name = _name_after(line.text[m.end() :], max_words=3)
            if not name or name.isdigit():
                continue
            if fold(m.group("word")) != "tinh" and fold(name) not in _CITIES:
                continue
            counts[name] += 1
    if not counts:
        return None
    # "Đồng Nai Kế" (a name run into the next capitalised word) counts for "Đồng Nai".
    best = max(counts, key=lambda n: (sum(c for k, c in counts.items() if _starts(k, n)), -len(n)))
    return best


def _starts(longer: str, name: str) -> bool:
    return longer == name or longer.startswith(name + " ")


# --- Signer ------------------------------------------------------------------------------------

_ROLE = re.compile(
    r"(?P<role>(?:pho\s+)?(?:chu\s+tich|bi\s+thu|truong\s+ban|giam\s+doc|truong\s+phong))$"
)
_ROLE_TITLES = {
    "chu tich": "Chủ tịch",
    "pho chu tich": "Phó Chủ tịch",
    "bi thu": "Bí thư",
    "pho bi thu": "Phó Bí thư",
    "truong ban": "Trưởng ban",
    "pho truong ban": "Phó Trưởng ban",
    "giam doc": "Giám đốc",
    "pho giam doc": "Phó Giám đốc",
    "truong phong": "Trưởng phòng",
    "pho truong phong": "Phó Trưởng phòng",
}
_SIGNED_FOR = re.compile(r"^(t/m|tm|kt|q|tuq|tl|thay mat|ky thay)\b")
_SIGNED_FOR_WORDS = ("t/m", "tm ", "kt ", "q ", "tuq ", "tl ", "thay mat", "ky thay")


def _signature(body: list[_Line]) -> tuple[str, str | None, str] | None:
    """(title, name, the folded "T/M ..." line) of the signature block after the recipients."""
    start = next((i for i, ln in enumerate(body) if fold(ln.text).startswith("noi nhan")), 0)
    found = _signature_from(body, start)
    if found is None and start:
        found = _signature_from(body, 0, last=True)
    return found


def _signature_from(
    lines: list[_Line], start: int, *, last: bool = False
) -> tuple[str, str | None, str] | None:
    result: tuple[str, str | None, str] | None = None
    index = start
    while index < len(lines):
        role = _role(lines[index].text)
        if role is None:
            inline = _inline_signature(lines[index].text)
            if inline is not None:
                result = inline
                if not last:
                    return result
            index += 1
            continue
        signed_for = fold(lines[index - 1].text) if index > start else ""
        signed_for = signed_for if _SIGNED_FOR.match(signed_for) else ""
        # "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH": the last role line is the signer's own title.
        while index + 1 < len(lines) and _role(lines[index + 1].text) is not None:
            signed_for += " " + fold(lines[index].text)
            index += 1
            role = _role(lines[index].text)
        assert role is not None
        signed_for = f"{signed_for} {fold(lines[index].text)}".strip()
        result = (role, _signer_name(lines[index + 1 : index + 5]), signed_for)
        if not last:
            return result
        index += 1
    return result


_ROLE_ANYWHERE = re.compile(
    r"(?P<role>(?:pho\s+)?(?:chu\s+tich|bi\s+thu|truong\s+ban|giam\s+doc|truong\s+phong))\b"
)


def _inline_signature(text: str) -> tuple[str, str | None, str] | None:
    """A signature block on one line, as a DOCX layout cell gives it:
    "KT. CHỦ TỊCH PHÓ CHỦ TỊCH (Đã ký) Phan Đình Huy"."""
    words = text.split()
    caps = 0
    while caps < len(words) and not any(ch.islower() for ch in words[caps]):
        caps += 1
    block = " ".join(words[:caps])
    folded = " ".join(fold(block).replace(".", " ").split())
    roles = list(_ROLE_ANYWHERE.finditer(folded))
    signed = folded.startswith(_SIGNED_FOR_WORDS)
    if not roles or (not signed and roles[0].start() > 0):
        return None
    role = roles[-1]
    rest = folded[role.end() :].split()
    # The name follows the last title: in capitals within the block, or in normal case after.
    name_words = words[caps - len(rest) : caps] if rest else []
    name_words += words[caps:]
    name_text = re.sub(r"\([^)]*\)", " ", " ".join(name_words))
    name = _signer_name([_Line(" ".join(name_text.split()), 0)])
    title = _ROLE_TITLES.get(role.group("role"), role.group("role"))
    return (title, name, folded) if name else None


def _role(text: str) -> str | None:
    """The title a signature line ends with ("KT. CHỦ TỊCH" -> "Chủ tịch"), in normal case."""
    text = text.strip().strip("*").strip()
    if len(text) > 80 or not (is_caps_heading(text) or text.isupper()):
        return None
    m = _ROLE.search(" ".join(fold(text).replace(".", " ").split()))
    return _ROLE_TITLES.get(m.group("role"), m.group("role")) if m else None


def _signer_name(lines: list[_Line]) -> str | None:
    for line in lines:
        text = line.text.strip().strip("*").strip()
        folded = fold(text)
        if re.match(r"^\(?\s*(da ky|ky|ky ten|ky, ghi ro|dau)\b", folded) or text.startswith("("):
            continue  # "(Đã ký)", "(ký, ghi rõ họ tên, đóng dấu)"
        words = text.split()
        if _role(text) is not None:
            return None
        if (
            2 <= len(words) <= 6
            and all(w[:1].isupper() for w in words)
            and not re.search(r"[\d:;,/]", text)
            and not is_body_end(text)
        ):
            return _title_case(text) if text.isupper() else text
        return None
    return None


# --- Replaced plans and basis documents --------------------------------------------------------

_DOC_KINDS: dict[str, str] = {
    "nghi quyet": "Nghị quyết",
    "nghi dinh": "Nghị định",
    "quyet dinh": "Quyết định",
    "chi thi": "Chỉ thị",
    "thong tu": "Thông tư",
    "luat": "Luật",
    "ke hoach": "Kế hoạch",
    "cong van": "Công văn",
    "van ban": "Văn bản",
    "de an": "Đề án",
    "chuong trinh": "Chương trình",
    "ket luan": "Kết luận",
    "thong bao": "Thông báo",
    "huong dan": "Hướng dẫn",
    "quy dinh": "Quy định",
    "quy che": "Quy chế",
    "cong dien": "Công điện",
    "thong tri": "Thông tri",
    "phap lenh": "Pháp lệnh",
}
# Matched on the folded text (``clean.fold`` keeps positions), cut from the original.
_DOC_REF = re.compile(
    r"\b(?P<kind>" + "|".join(_DOC_KINDS) + r")(?:\s+(?:hanh dong|lien tich))?"
    r"\s+(?:so\s*:?\s*)?(?P<num>\d+(?:\.\d+)?(?:/\d{4})?[-/][a-z0-9][a-z0-9\-/.]*)"
    r"(?:\s*,?\s*ngay\s+(?P<date>\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}"
    r"|\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}))?"
)


@dataclass
class _Ref:
    kind: str
    number: str
    date: str | None

    @property
    def lead(self) -> str:
        return re.split(r"[-/]", self.number, maxsplit=1)[0]

    def text(self) -> str:
        date = f" ngày {self.date}" if self.date else ""
        return f"{self.kind} số {self.number}{date}"


def _refs(text: str) -> Iterator[_Ref]:
    text = unicodedata.normalize("NFC", text)
    folded = fold(text)
    for m in _DOC_REF.finditer(folded):
        number = text[m.start("num") : m.end("num")].rstrip("-/.")
        date = None
        if m.group("date"):
            parts = re.findall(r"\d+", m.group("date"))
            date = "/".join(parts)
        yield _Ref(_DOC_KINDS[m.group("kind")], number, date)


def _add_ref(refs: list[_Ref], ref: _Ref) -> None:
    """Each document once: same kind and number, and no conflicting date."""
    for known in refs:
        same = known.kind == ref.kind and known.lead == ref.lead
        if same and (known.date is None or ref.date is None or known.date == ref.date):
            known.date = known.date or ref.date
            return
    refs.append(ref)


def _replaces(body: list[_Line]) -> list[str]:
    """Numbers of the plans this one replaces: "Kế hoạch này thay thế Kế hoạch số 34/KH-UBND"."""
    numbers: list[str] = []
    for line in body:
        folded = fold(line.text)
        for m in re.finditer(r"\bthay the\b", folded):
            sentence_end = re.search(r"\.(?:\s|$)", line.text[m.end() :])
            segment = (
                line.text[m.end() : m.end() + sentence_end.start()]
                if sentence_end
                else (line.text[m.end() :])
            )
            for ref in _refs(segment):
                if ref.number not in numbers:
                    numbers.append(ref.number)
    return numbers


_CITING = re.compile(r"^(can cu|thuc hien|thi hanh|theo)\b")


def _basis(lines: list[_Line], title_at: int | None, preamble: list[_Line]) -> list[str]:
    refs: list[_Ref] = []
    sources = [line for line in preamble if _CITING.match(fold(line.text))]
    sources += _basis_sections(lines, title_at)
    for line in sources:
        for ref in _refs(line.text):
            _add_ref(refs, ref)
    return [ref.text() for ref in refs]


def _basis_sections(lines: list[_Line], title_at: int | None) -> list[_Line]:
    """The paragraphs under headings "CĂN CỨ ..." ("I. CĂN CỨ LẬP KẾ HOẠCH")."""
    out: list[_Line] = []
    index = (title_at or 0) + 1
    while index < len(lines):
        line = lines[index]
        if is_body_end(line.text):
            break
        rank = heading_rank(Paragraph(line.text, line.line, line.bold))
        if rank is None or not fold(heading_label(line.text)).startswith("can cu"):
            index += 1
            continue
        index += 1
        while index < len(lines):
            nxt = lines[index]
            nxt_rank = heading_rank(Paragraph(nxt.text, nxt.line, nxt.bold))
            if is_body_end(nxt.text) or (nxt_rank is not None and nxt_rank <= rank):
                break
            out.append(nxt)
            index += 1
    return out


# --- Parts of the document ---------------------------------------------------------------------


def _preamble(lines: list[_Line], title_at: int | None) -> list[_Line]:
    """The lines after the title and before the first section heading."""
    start = (title_at or 0) + 1 if title_at is not None else 0
    out: list[_Line] = []
    for line in lines[start:]:
        mk = marker(line.text)
        if mk is not None and mk.headingish:
            break
        if is_caps_heading(line.text) and len(out) > 0:
            break
        out.append(line)
    return out


def _body(lines: list[_Line], title_at: int | None) -> list[_Line]:
    """From the title to the first annex ("Phụ lục"): where the signature and "thay thế" are."""
    start = title_at or 0
    for index in range(start + 1, len(lines)):
        if fold(lines[index].text).startswith("phu luc"):
            return lines[start:index]
    return lines[start:]
