"""Canonical unit names and the spellings plans use for them. (Owner: rules helper.)

The table follows docs/contracts/units.md, plus three Party bodies a Party (Đảng ủy) plan
names as lead units: "Đảng ủy {kind}", "Ủy ban Kiểm tra Đảng ủy" (Văn phòng Đảng ủy and Ban
Xây dựng Đảng are already in units.md).

How a spelling is matched, in order:

1. the commune's remembered aliases (``aliases``), then the built-in spellings, compared by a
   key that ignores case, diacritics, punctuation, "và"/"&", and expands abbreviations written
   in capitals (UBND, HĐND, VP, TT, CA, VHXH, KT, HT, ĐT, MTTQ, VPĐU, ...); the key is also
   compared with its spaces removed, which mends words a PDF split ("UBMTTQV N");
2. a trailing commune qualifier is dropped ("... phường", "... xã Tân Lập", "... trên địa
   bàn phường");
3. a unit followed by a remark is the unit ("Phòng VH&XH tổng hợp kết quả báo cáo") unless
   the remark names another level ("Công an tỉnh", "Văn phòng UBND thành phố");
4. a careful fuzzy fallback (rapidfuzz, ratio >= 92 on the key, same first word) catches typos;
5. a person named by office stands for the unit ("Chủ tịch UBND phường", "Trưởng Công an").

Kinds: ``{kind}`` is filled with the commune's kind; when the matcher has no kind, with the
kind the spelling names ("Công an xã"), else it is left out ("Công an"). A commune has one
economic room, named by its kind: in a xã any spelling of it gives "Phòng Kinh tế", in a
phường "Phòng Kinh tế, Hạ tầng và Đô thị" (so plain "Phòng Kinh tế" in a phường plan is that
room); without a kind, each spelling keeps its own name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rapidfuzz import fuzz

from .clean import clean_text, fold

KINDS = ("xã", "phường", "đặc khu")
_ECONOMY_XA = "Phòng Kinh tế"
_ECONOMY_PHUONG = "Phòng Kinh tế, Hạ tầng và Đô thị"

# canonical name template -> spellings met in plans (templates may hold "{kind}").
_UNITS: dict[str, tuple[str, ...]] = {
    "Ủy ban nhân dân {kind}": ("UBND", "Ủy ban nhân dân", "UBND {kind}", "Chính quyền {kind}"),
    "Văn phòng HĐND và UBND": (
        "Văn phòng HĐND&UBND",
        "VP HĐND-UBND",
        "VP.HĐND-UBND",
        "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
        "Văn phòng HĐND-UBND",
        "Văn phòng HĐND, UBND",
        "VPHĐND-UBND",
        "Văn phòng UBND",
        "Văn phòng Ủy ban nhân dân",
        "VP UBND",
    ),
    "Phòng Văn hóa - Xã hội": (
        "Phòng VHXH",
        "Phòng VH-XH",
        "Phòng VH&XH",
        "Phòng VHXXH",
        "Phòng VHXX",
        "VHXX",
        "VHXH",
        "VHXXH",
        "Phòng Văn hóa và Xã hội",
        "Phòng Văn hóa, Xã hội",
        "Phòng Văn hóa Xã hội",
    ),
    _ECONOMY_XA: ("Phòng KT", "Phòng Kinh tế {kind}"),
    _ECONOMY_PHUONG: (
        "Phòng KTHT&ĐT",
        "Phòng KTHTĐT",
        "Phòng KT-HT-ĐT",
        "Phòng KT, HT&ĐT",
        "Phòng Kinh tế, hạ tầng, đô thị",
        "Phòng Kinh tế - Hạ tầng và Đô thị",
        "Phòng Kinh tế hạ tầng đô thị",
    ),
    "Trung tâm Phục vụ hành chính công": (
        "TT PV HCC",
        "TT PVHCC",
        "TTPVHCC",
        "Trung tâm PVHCC",
        "Trung tâm phục vụ HCC",
        "Trung tâm hành chính công",
        "Trung tâm phục vụ Dịch vụ công",
        "Trung tâm HCC",
        "Bộ phận một cửa",
        "Bộ phận tiếp nhận và trả kết quả",
    ),
    "Trung tâm Dịch vụ tổng hợp": ("TT DVTH", "TTDVTH", "Trung tâm DVTH"),
    "Công an {kind}": ("Công an", "CA", "CA {kind}"),
    "Ban Chỉ huy Quân sự {kind}": (
        "Ban Chỉ huy Quân sự",
        "BCH Quân sự",
        "BCHQS",
        "Ban CHQS",
        "Quân sự {kind}",
    ),
    "Trạm Y tế {kind}": ("Trạm Y tế", "Các Trạm Y tế", "TYT"),
    "Văn phòng Đảng ủy": ("VPĐU", "VP Đảng ủy", "VP ĐU", "Văn phòng ĐU"),
    "Ban Xây dựng Đảng": ("Ban XDĐ", "Ban XD Đảng", "Ban Xây dựng Đảng ủy"),
    "Ủy ban MTTQ Việt Nam {kind}": (
        "UBMTTQ",
        "UBMTTQVN",
        "MTTQ",
        "MTTQVN",
        "UB MTTQ",
        "Ủy ban MTTQ",
        "Ủy ban Mặt trận Tổ quốc",
        "Ủy ban Mặt trận Tổ quốc Việt Nam",
        "Mặt trận Tổ quốc",
        "Mặt trận Tổ quốc Việt Nam",
    ),
    "Ban Chỉ đạo chuyển đổi số {kind}": ("Ban Chỉ đạo", "BCĐ", "BCĐ chuyển đổi số"),
    "Tổ công nghệ số cộng đồng": (
        "Tổ CNS cộng đồng",
        "Tổ CNSCĐ",
        "Tổ CNS",
        "Các Tổ công nghệ số cộng đồng",
        "Tổ công nghệ số",
    ),
    "Các trường học": (
        "Trường học",
        "Các trường",
        "Các trường học trên địa bàn",
        "Các trường học trên địa bàn {kind}",
        "Các trường học trên địa bàn {kind}",
    ),
    # Party bodies a Party plan names as lead units (not in units.md's table).
    "Đảng ủy {kind}": ("Đảng ủy", "ĐU", "Đảng bộ {kind}"),
    "Ủy ban Kiểm tra Đảng ủy": ("UBKT Đảng ủy", "UBKTĐU", "UBKT", "Ủy ban Kiểm tra", "UBKT ĐU"),
}

# Abbreviations written in capitals, by what they stand for (folded).
_ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "vp": "van phong",
    "tt": "trung tam",
    "ttpvhcc": "trung tam phuc vu hanh chinh cong",
    "pvhcc": "phuc vu hanh chinh cong",
    "pv": "phuc vu",
    "hcc": "hanh chinh cong",
    "ttdvth": "trung tam dich vu tong hop",
    "dvth": "dich vu tong hop",
    "ca": "cong an",
    "bch": "ban chi huy",
    "bchqs": "ban chi huy quan su",
    "chqs": "chi huy quan su",
    "tyt": "tram y te",
    "vpdu": "van phong dang uy",
    "du": "dang uy",
    "xd": "xay dung",
    "xdd": "xay dung dang",
    "ub": "uy ban",
    "ubmttq": "uy ban mat tran to quoc",
    "ubmttqvn": "uy ban mat tran to quoc viet nam",
    "mttq": "mat tran to quoc",
    "mttqvn": "mat tran to quoc viet nam",
    "vn": "viet nam",
    "bcd": "ban chi dao",
    "cds": "chuyen doi so",
    "cns": "cong nghe so",
    "cnscd": "cong nghe so cong dong",
    "vh": "van hoa",
    "xh": "xa hoi",
    "vhxh": "van hoa xa hoi",
    "vhxxh": "van hoa xa hoi",
    "vhxx": "van hoa xa hoi",
    "kt": "kinh te",
    "ht": "ha tang",
    "dt": "do thi",
    "kthtdt": "kinh te ha tang do thi",
    "ubkt": "uy ban kiem tra",
    "ubktdu": "uy ban kiem tra dang uy",
    "kh": "khoa hoc",
    "cn": "cong nghe",
    "khcn": "khoa hoc cong nghe",
    "tp": "thanh pho",
}

# Canonical spellings of the generic phrases met most, by key; others are kept as written.
_GENERIC_SPELLINGS = (
    "Các cơ quan, đơn vị",
    "Các cơ quan, đơn vị liên quan",
    "Các cơ quan, đơn vị có liên quan",
    "Các cơ quan, đơn vị, tổ chức, cá nhân có liên quan",
    "Các phòng, ban có liên quan",
    "Các phòng, ban, đơn vị",
    "Các phòng, ban, đơn vị liên quan",
    "Các doanh nghiệp viễn thông",
    "Các tổ dân phố",
    "Các cơ quan đảng",
)
# A phrase naming a group of bodies, or a body above the commune: kept as written.
_GENERIC_START = re.compile(
    r"^(?:cac|nhung|toan\s+the|tat\s+ca|moi|so|bo|doanh\s+nghiep|nha\s+mang|ngan\s+hang"
    r"|buu\s+dien|viettel|vnpt|mobifone|tinh\s+uy|thanh\s+uy|trung\s+uong)\b"
)
_HIGHER_LEVEL = re.compile(
    r"^(?:cua\s+)?(?:tinh|thanh\s+pho|tp|huyen|quan|thi\s+xa|trung\s+uong|cap\s+tinh|cap\s+tren"
    r"|so|bo|chinh\s+phu|cac)\b"
)
# The words of a phrase that names no one ("Các cơ quan, đơn vị", "các đơn vị liên quan"):
# a task led by it has no one to report, a "5 rõ" gap (rõ người), not a unit.
_NO_ONE_WORDS = frozenset(
    (
        *("cac", "nhung", "tat", "ca", "toan", "the", "moi", "co", "quan", "don", "vi"),
        *("phong", "ban", "nganh", "to", "chuc", "nhan", "lien", "doan", "khac", "thuoc"),
        *("truc", "dia", "phuong", "tren", "va"),
    )
)


def names_no_one(name: str | None) -> bool:
    """True for a phrase that only says "the bodies concerned", without naming any."""
    words = re.findall(r"[^\W_]+", fold(_tidy(name)))
    return (
        bool(words)
        and words[0] in ("cac", "nhung", "tat", "toan", "moi")
        and all(word in _NO_ONE_WORDS for word in words)
    )


# A remark after a short spelling must confirm which body it is: "Ban Chỉ đạo về chuyển đổi
# số ..." is the steering committee of the plan, "Ban Chỉ đạo 35" is another one.
_REMARK_HINTS = {
    "Ban Chỉ đạo chuyển đổi số": re.compile(
        r"chuyen\s+doi\s+so|khoa\s+hoc|doi\s+moi\s+sang\s+tao|\bcds\b|de\s+an\s+06"
    ),
}
# A person named by office stands for the unit ("Chủ tịch UBND phường", "Trưởng Công an").
_ROLE_PREFIX = re.compile(
    r"^(?:(?:dong\s+chi|d/c)\s+)?(?:pho\s+)?(?:chu\s+tich|truong|giam\s+doc|thu\s+truong"
    r"|lanh\s+dao|bi\s+thu|chanh|chi\s+huy\s+truong|tram\s+truong)\s+"
)
_KIND_WORD = re.compile(r"\b(xa|phuong|dac\s+khu)\b")
# Words that lead into a commune qualifier ("trên địa bàn phường", "cấp xã", "của phường").
_QUALIFIER_LEAD = ("tren dia ban", "dia ban", "thuoc", "cua", "cap", "toan")
_SEPARATOR = re.compile(r"(\s*,\s*|\s+và\s+|\s+&\s+|\s+/\s+)", re.IGNORECASE)
_FUZZY_THRESHOLD = 92
_MAX_SEGMENTS = 5


def _tokens(text: str) -> list[str]:
    """Folded words of ``text`` with capitalised abbreviations expanded and "và"/"&" dropped."""
    words = re.findall(r"[^\W_]+", text.replace("&", " "))
    out: list[str] = []
    for word in words:
        key = fold(word)
        if len(word) >= 2 and word.upper() == word and key in _ABBREVIATIONS:
            out.extend(_ABBREVIATIONS[key].split())
        elif key != "va":
            out.append(key)
    return out


def unit_key(text: str) -> str:
    """The key spellings of one unit share ("VP.HĐND-UBND" ~ "Văn phòng HĐND và UBND")."""
    return " ".join(_tokens(clean_text(text)))


def _compact(text: str) -> str:
    words = [fold(w) for w in re.findall(r"[^\W_]+", clean_text(text).replace("&", " "))]
    return "".join(w for w in words if w != "va")


def _fill(template: str, kind: str | None) -> str:
    if kind:
        return template.replace("{kind}", kind)
    return template.replace(" {kind}", "").replace("{kind}", "")


def canonical_unit_names(commune_kind: str) -> list[str]:
    """The canonical units of docs/contracts/units.md with ``{kind}`` filled ("xã"/"phường").

    A xã lists "Phòng Kinh tế", a phường "Phòng Kinh tế, Hạ tầng và Đô thị"; any other kind
    lists both.
    """
    kind = commune_kind.strip().lower() if commune_kind else None
    names = []
    for template in _UNITS:
        if kind == "xã" and template == _ECONOMY_PHUONG:
            continue
        if kind == "phường" and template == _ECONOMY_XA:
            continue
        names.append(_fill(template, kind))
    return names


def _kind_named(text: str) -> str | None:
    m = _KIND_WORD.search(fold(clean_text(text)))
    if not m:
        return None
    return {"xa": "xã", "phuong": "phường"}.get(m.group(1), "đặc khu")


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


class UnitMatcher:
    def __init__(
        self, commune_kind: str | None = None, aliases: Mapping[str, str] | None = None
    ) -> None:
        """``aliases`` maps a spelling to a canonical name (a commune's remembered aliases)."""
        self.kind = commune_kind.strip().lower() if commune_kind else None
        # key -> canonical template ("{kind}" unfilled), for built-in spellings.
        self._keys: dict[str, str] = {}
        self._compacts: dict[str, str] = {}
        kinds = ("xã", "phường", "đặc khu")
        for template, spellings in _UNITS.items():
            for spelling in (template, *spellings):
                variants = (
                    [spelling.replace("{kind}", k) for k in kinds]
                    if "{kind}" in spelling
                    else [spelling]
                )
                for variant in variants:
                    self._keys.setdefault(unit_key(variant), template)
                    self._compacts.setdefault(_compact(variant), template)
        # Remembered aliases win over built-in spellings.
        self._aliases: dict[str, str] = {}
        for spelling, canonical in (aliases or {}).items():
            self._aliases[unit_key(spelling)] = clean_text(canonical)
            self._aliases.setdefault(_compact(spelling), clean_text(canonical))
        self._generic = {unit_key(g): g for g in _GENERIC_SPELLINGS}
        # The first two words of every spelling: what another unit's name starts with.
        self._heads = {" ".join(k.split()[:2]) for k in self._keys if k}

    def _without_qualifier(self, key: str) -> list[str]:
        """``key`` cut before each commune qualifier, the last one first.

        "trung tam phuc vu hanh chinh cong phuong" -> ["trung tam phuc vu hanh chinh cong"];
        "cong an phuong quyet thang" -> ["cong an"]; "phong van hoa xa hoi phuong" ->
        ["phong van hoa xa hoi", "phong van hoa"]. What follows the kind word must read as a
        commune's name (at most four words, not the start of another unit): "MTTQVN phường,
        Văn phòng đảng ủy" is two units, not one qualified. A named commune of another kind
        ("UBND xã Tân An" in a phường) is not this commune.
        """
        words = key.split()
        bases: list[str] = []
        for index in range(len(words) - 1, 0, -1):
            width = 2 if words[index : index + 2] == ["dac", "khu"] else 1
            if width == 1 and words[index] not in ("xa", "phuong"):
                continue
            rest = words[index + width :]
            if len(rest) > 4 or (rest and self._starts_unit(rest)):
                continue
            named = "đặc khu" if width == 2 else {"xa": "xã", "phuong": "phường"}[words[index]]
            if rest and self.kind and named != self.kind:
                # "UBND xã Tân An" in a phường's plan is another commune's body.
                continue
            base = " ".join(words[:index])
            for lead in _QUALIFIER_LEAD:
                if base.endswith(" " + lead):
                    base = base[: -len(lead) - 1]
            if base:
                bases.append(base)
        return bases

    def _starts_unit(self, words: list[str]) -> bool:
        return words[0] in ("cac", "nhung") or " ".join(words[:2]) in self._heads

    # --- naming ----------------------------------------------------------------------------

    def _name(self, template: str, spelling: str) -> str:
        kind = self.kind or _kind_named(spelling)
        if template in (_ECONOMY_XA, _ECONOMY_PHUONG):
            if kind == "xã":
                return _ECONOMY_XA
            if kind == "phường":
                return _ECONOMY_PHUONG
            return template
        return _fill(template, kind)

    # --- matching --------------------------------------------------------------------------

    def _lookup(self, key: str, compact: str) -> str | None:
        """Remembered alias (already canonical) or built-in template for a key."""
        for table, probe in ((self._aliases, key), (self._aliases, compact)):
            if probe in table:
                return "=" + table[probe]
        if key in self._keys:
            return self._keys[key]
        if compact in self._compacts:
            return self._compacts[compact]
        return None

    def _exact(self, text: str) -> str | None:
        """Canonical name for a whole spelling (commune qualifier allowed), else None."""
        key = unit_key(text)
        if not key:
            return None
        found = self._lookup(key, _compact(text))
        if found is None:
            for base in self._without_qualifier(key):
                found = self._lookup(base, base.replace(" ", ""))
                if found:
                    break
        if found is None:
            return None
        return found[1:] if found.startswith("=") else self._name(found, text)

    def _with_remark(self, text: str) -> str | None:
        """A unit followed by a remark ("Phòng VH&XH tổng hợp kết quả ...") -> the unit."""
        words = clean_text(text).split()
        for size in range(len(words) - 1, 0, -1):
            head, remark = " ".join(words[:size]), " ".join(words[size:])
            if _HIGHER_LEVEL.match(fold(remark)) or _GENERIC_START.match(fold(head)):
                continue
            named = _kind_named(head.split()[-1]) or _kind_named(remark.split()[0])
            if self.kind and named and named != self.kind:
                # "UBND xã Tân An" in a phường's plan: another commune's body.
                continue
            found = self._exact(head)
            hint = next((h for name, h in _REMARK_HINTS.items() if found and name in found), None)
            if found and (hint is None or hint.search(fold(text))):
                return found
        return None

    def _fuzzy(self, text: str) -> str | None:
        key = next(iter(self._without_qualifier(unit_key(text))), unit_key(text))
        if len(key) < 8:
            return None
        best: tuple[float, str] | None = None
        for candidate, template in self._keys.items():
            if candidate.split()[0] != key.split()[0]:
                continue
            score = fuzz.ratio(key, candidate)
            if score >= _FUZZY_THRESHOLD and (best is None or score > best[0]):
                best = (score, template)
        return self._name(best[1], text) if best else None

    def match(self, name: str | None) -> str | None:
        """The canonical name for one unit's spelling, or None when unrecognised."""
        text = _tidy(name)
        if not text:
            return None
        found = self._exact(text) or self._with_remark(text) or self._fuzzy(text)
        role = _ROLE_PREFIX.match(fold(text))
        if found is None and role and role.end() < len(text):
            found = self.match(text[role.end() :])
        return found

    def generic(self, name: str | None) -> str | None:
        """The phrase as kept when it names a group or a body above the commune, else None."""
        text = _tidy(name)
        if not text or not _GENERIC_START.match(fold(text)):
            return None
        return self._generic.get(unit_key(text), _capitalise(text))

    def is_known(self, name: str | None) -> bool:
        """True for a canonical name or a generic phrase; False for an unrecognised unit."""
        return bool(self.match(name) or self.generic(name))

    # --- splitting -------------------------------------------------------------------------

    def split(self, cell: str | None) -> list[str]:
        """A cell naming one or several units -> their canonical names, in order.

        Generic phrases ("Các cơ quan, đơn vị liên quan") and unrecognised names are kept as
        written (cleaned); a remark after a unit ("... tổng hợp kết quả") is dropped."""
        if not cell:
            return []
        names: list[str] = []
        for piece in _pieces(cell):
            for name in self._split_piece(piece):
                if name and name not in names:
                    names.append(name)
        return names

    def _split_piece(self, piece: str) -> list[str]:
        segments, separators = _segments(piece)
        n = len(segments)

        def joined(i: int, j: int) -> str:
            return "".join(segments[k] + (separators[k] if k < j - 1 else "") for k in range(i, j))

        def unit_run(i: int) -> tuple[int, str] | None:
            # No unit's name spans more than a few commas ("Phòng Kinh tế, hạ tầng, đô thị").
            for j in range(min(n, i + _MAX_SEGMENTS), i, -1):
                found = self._exact(joined(i, j))
                if found:
                    return j, found
            return None

        def starts_new(k: int) -> bool:
            segment = segments[k].strip()
            if not segment:
                return False
            return bool(unit_run(k)) or fold(segment).startswith(("cac ", "nhung "))

        out: list[str] = []
        i = 0
        while i < n:
            if not segments[i].strip(" .,;:-"):
                i += 1
                continue
            run = unit_run(i)
            if run:
                i, name = run[0], run[1]
                out.append(name)
                # A remark written after the unit in lower case belongs to it.
                while i < n and _continues(segments[i], separators[i - 1]) and not starts_new(i):
                    i += 1
                continue
            j = i + 1
            while j < n and not starts_new(j) and _continues(segments[j], separators[j - 1]):
                j += 1
            text = _tidy(joined(i, j))
            i = j
            if not text:
                continue
            found = self.generic(text) or self.match(text)
            out.append(found or _capitalise(text))
        return out


def _tidy(name: str | None) -> str:
    text = clean_text(name)
    text = re.sub(r"^(?:[-+•–*]\s*)+", "", text)
    return text.strip(" .,;:-–")


def _segments(piece: str) -> tuple[list[str], list[str]]:
    """``piece`` cut at ", " / " và " / " & " / " / " outside parentheses.

    Returns the segments and, for each, the separator after it ("" after the last one).
    """
    depth_at = []
    depth = 0
    for char in piece:
        depth += {"(": 1, ")": -1}.get(char, 0)
        depth_at.append(max(depth, 0))
    segments, separators, start = [], [], 0
    for m in _SEPARATOR.finditer(piece):
        if depth_at[m.start()] > 0:
            continue
        segments.append(piece[start : m.start()])
        separators.append(m.group(0))
        start = m.end()
    segments.append(piece[start:])
    separators.append("")
    return segments, separators


def _continues(segment: str, separator: str) -> bool:
    """True when ``segment`` goes on the previous name rather than starting a new one.

    After ", " a name starts with a capital; anything else continues ("Phòng Kinh tế, hạ
    tầng, đô thị", "Sở Khoa học và Công nghệ" across "và").
    """
    segment = segment.strip()
    if not segment:
        return True
    if separator.strip().lower() in ("và", "&"):
        return True
    return not segment[0].isupper()


def _pieces(cell: str) -> list[str]:
    """Cut a cell at ";" and at line breaks that start a new name.

    A line starting in lower case continues the line before ("Các doanh nghiệp viễn" /
    "thông"), unless it is a bullet or a new "các ..." phrase.
    """
    pieces: list[str] = []
    for part in cell.replace("\r", "\n").split(";"):
        lines: list[str] = []
        for line in part.split("\n"):
            text = _tidy(line)
            if not text:
                continue
            bullet = bool(re.match(r"\s*[-+•–*]", line))
            new_phrase = fold(text).startswith(("cac ", "nhung "))
            if lines and text[0].islower() and not bullet and not new_phrase:
                lines[-1] = f"{lines[-1]} {text}"
            else:
                lines.append(text)
        pieces.extend(lines)
    return pieces
