"""Scanned PDF (pages that are only images) -> Document, by OCR.

Each page is rendered by pypdfium2 (pdfplumber's own renderer, no new dependency) and read
by the ``tesseract`` program with its Vietnamese data, one call per page, TSV output (every
word with its box). Tables are found from their ruling lines in the image: long dark
horizontal runs give the row borders, and inside each row band the columns that are dark
from top to bottom give the cell borders (a border missing in one row is a merged cell).
The lines are painted white before Tesseract reads the page (a rule read as "|" or "—"
would spoil the words beside it); each word then goes to the cell holding its centre.

The words outside tables go through the PDF reader's own line and paragraph rules
(``pdf.blocks_from_pages``), so a scan and its text-layer original are cut into paragraphs
alike. Tesseract gives no font, so nothing is bold and every line has the page's usual size.

Where Tesseract or its ``vie`` data is missing the file is refused, naming the Debian packages
to install. ``progress(done, total, message)`` is called once per page.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .. import clean
from ..document import Document
from ..errors import ImportFileError

# The PDF reader's line and paragraph rules, shared so a scan reads like its original.
from .pdf import _blocks as blocks_from_pages
from .pdf import _FoundTable as FoundTable
from .pdf import _PageContent as PageContent
from .pdf import _visual_lines as visual_lines
from .pdf import _Word as Word

Progress = Callable[[int, int, str], None]

# The program run; tests point it at a missing one. THEODOI_TESSERACT overrides it.
TESSERACT = os.environ.get("THEODOI_TESSERACT", "tesseract")
LANGUAGE = "vie"
# 300 dpi is what Tesseract is trained for; Vietnamese diacritics need it more than speed.
DPI = 300
# A page that Tesseract cannot read in this time is a hostile or broken image.
PAGE_TIMEOUT_SECONDS = 120
MAX_PAGES = 100
# Short cells read again one by one (about 0.3 s each): enough for a page of task codes.
_MAX_CELLS_ALONE = 40
# A line of table text (8 to 11 pt) at 300 dpi, in pixels.
_LINE_PIXELS = 45
# Pixels darker than this are ink.
_INK = 140

_MISSING = (
    "Tệp PDF không có lớp chữ (có thể là bản scan/ảnh chụp) mà máy chủ chưa cài bộ nhận dạng "
    "chữ Tesseract với dữ liệu tiếng Việt: quản trị viên cần cài gói tesseract-ocr và "
    "tesseract-ocr-vie (apt-get install tesseract-ocr tesseract-ocr-vie); trong lúc chờ, hãy "
    "tải lên PDF xuất trực tiếp từ Word (có chữ chọn được) hoặc bản DOCX gốc."
)
_UNREADABLE = (
    "Tệp PDF không có lớp chữ (bản scan/ảnh chụp) và không nhận dạng được chữ trên các trang "
    "quét: hãy quét lại rõ hơn (từ 300 dpi, trang thẳng) hoặc tải lên bản DOCX gốc của kế hoạch."
)
_CORRUPT = (
    "Tệp PDF bị hỏng hoặc tải lên chưa trọn vẹn nên không mở được: hãy xuất lại PDF từ tài "
    "liệu gốc (hoặc dùng bản DOCX) rồi tải lên lần nữa."
)


def ocr_available(command: str | None = None) -> bool:
    """True when the Tesseract program runs and has its Vietnamese data."""
    return _missing(command or TESSERACT) is None


def read_scanned_pdf(data: bytes, *, progress: Progress | None = None) -> Document:
    """OCR every page of an image-only PDF into a Document."""
    command = TESSERACT
    problem = _missing(command)
    if problem is not None:
        raise ImportFileError(_MISSING)
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
    except Exception as exc:
        raise ImportFileError(_CORRUPT) from exc
    try:
        total = len(pdf)
        count = min(total, MAX_PAGES)
        pages: list[PageContent] = []
        for index in range(count):
            if progress is not None:
                progress(index, count, f"đang đọc trang {index + 1}/{count}")
            page = pdf[index]
            try:
                image = page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
            finally:
                page.close()
            pages.append(_read_page(image, command))
        if progress is not None:
            progress(count, count, f"đã đọc {count}/{count} trang")
    finally:
        pdf.close()
    if not any(page.has_text for page in pages):
        raise ImportFileError(_UNREADABLE)
    _same_size(pages)
    _group_numerals(pages)
    warnings = [
        "Kế hoạch được đọc từ bản quét bằng nhận dạng chữ (OCR): hãy soát kỹ tên, số liệu và "
        "thời hạn trước khi xác nhận."
    ]
    if total > MAX_PAGES:
        warnings.append(
            f"Tệp PDF có {total} trang, chỉ {MAX_PAGES} trang đầu được nhận dạng: hãy tách phần "
            "kế hoạch ra tệp riêng."
        )
    return Document(
        blocks=tuple(blocks_from_pages(pages)), source_format="pdf", warnings=tuple(warnings)
    )


def _same_size(pages: Sequence[PageContent]) -> None:
    """One size for the whole scan: a box's height is not a font size, and the paragraph
    rules read a change of size as a new paragraph."""
    sizes = sorted(word.size for page in pages for line in page.lines for word in line.words)
    if not sizes:
        return
    usual = round(sizes[len(sizes) // 2])
    for page in pages:
        for line in page.lines:
            for word in line.words:
                word.size = usual


# What Tesseract makes of a Roman numeral in small print: "II" as "H", "Ul" or "li".
_ROMAN_READINGS = re.compile(r"[IVXilLUHh|\]\[]{1,5}\.?")
_ROMANS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def _group_numerals(pages: Sequence[PageContent]) -> None:
    """Group rows number their first cell I, II, III... A first cell that reads as strokes
    but is no numeral ("H", "Ul") is the numeral after the one before it."""
    last = 0
    for page in pages:
        for table in page.tables:
            rows = table.rows
            for cells in rows:
                first = cells[0] if cells else ""
                if not _ROMAN_READINGS.fullmatch(first):
                    continue
                strokes = first.rstrip(".")
                if strokes in _ROMANS:  # read rightly: trust it
                    last = _ROMANS.index(strokes) + 1
                    continue
                last = 1 if len(strokes) == 1 and strokes in "il|" else last + 1
                if last <= len(_ROMANS):
                    cells[0] = _ROMANS[last - 1] + first[len(strokes) :]


def _missing(command: str) -> str | None:
    """Why OCR cannot run here (None when it can)."""
    if shutil.which(command) is None:
        return "tesseract"
    try:
        listed = subprocess.run(
            [command, "--list-langs"], capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return "tesseract"
    languages = (listed.stdout + listed.stderr).decode("utf-8", "replace").split()
    return None if LANGUAGE in languages else "tesseract-ocr-vie"


# ---------------------------------------------------------------------------------------------
# Tables from ruling lines


@dataclass(frozen=True)
class _Rule:
    """A horizontal ruling line: rows top..bottom, columns x0..x1 (pixels)."""

    top: int
    bottom: int
    x0: int
    x1: int


@dataclass
class _Grid:
    """One ruled table on a page: row borders and, per row band, its cell borders."""

    x0: int
    x1: int
    rows: list[tuple[int, int]]  # (top, bottom) of each band, inside the rules
    columns: list[int]  # every cell border met in any band, left to right
    borders: list[set[int]]  # per band, the indexes into ``columns`` present in it


def _horizontal_rules(pixels: bytes, width: int, height: int) -> list[_Rule]:
    minimum = max(width // 8, 40)
    long_run = re.compile(rb"\x00{%d,}" % max(minimum // 4, 20))
    found: list[_Rule] = []
    for y in range(height):
        row = pixels[y * width : (y + 1) * width]
        spans = [(m.start(), m.end()) for m in long_run.finditer(row)]
        if not spans:
            continue
        # Join pieces split by a speck of white (a noisy or faint scan).
        joined = [spans[0]]
        for start, end in spans[1:]:
            if start - joined[-1][1] <= 12:
                joined[-1] = (joined[-1][0], end)
            else:
                joined.append((start, end))
        for start, end in joined:
            if end - start >= minimum:
                found.append(_Rule(y, y, start, end))
    # The rows of one thick or slightly skewed rule, and its pieces, make one rule.
    merged: list[_Rule] = []
    for rule in found:
        near = [
            index
            for index, other in enumerate(merged)
            if rule.top - other.bottom <= 4
            and rule.x0 <= other.x1 + 40
            and rule.x1 >= other.x0 - 40
        ]
        group = [merged[index] for index in near] + [rule]
        merged = [other for index, other in enumerate(merged) if index not in near]
        merged.append(
            _Rule(
                min(other.top for other in group),
                max(other.bottom for other in group),
                min(other.x0 for other in group),
                max(other.x1 for other in group),
            )
        )
    merged.sort(key=lambda rule: rule.top)
    return merged


def _grids(image: object, rules: Sequence[_Rule]) -> list[_Grid]:
    """Ruled tables: consecutive rules of the same width whose band is closed left and right."""
    from PIL import Image

    assert isinstance(image, Image.Image)
    grids: list[_Grid] = []
    bands: list[tuple[_Rule, _Rule, list[int]]] = []

    def flush() -> None:
        if bands:
            grids.append(_grid_from(bands))
            bands.clear()

    for upper, lower in itertools.pairwise(rules):
        # The same width, give or take a faint end (a scan loses the last millimetres).
        shared = min(upper.x1, lower.x1) - max(upper.x0, lower.x0)
        same = shared >= 0.9 * max(upper.x1 - upper.x0, lower.x1 - lower.x0)
        top, bottom = upper.bottom + 1, lower.top - 1
        if not same or bottom - top < 8:
            flush()
            continue
        x0, x1 = min(upper.x0, lower.x0), max(upper.x1, lower.x1)
        verticals = _vertical_borders(image, x0, x1, top, bottom)
        closed = (
            len(verticals) >= 2
            and verticals[0] - x0 <= 12 + (x1 - x0) // 20
            and x1 - verticals[-1] <= 12 + (x1 - x0) // 20
        )
        if not closed:
            flush()
            continue
        if bands and bands[-1][1] is not upper:
            flush()
        bands.append((upper, lower, verticals))
    flush()
    return grids


def _vertical_borders(image: object, x0: int, x1: int, top: int, bottom: int) -> list[int]:
    """Centres of the columns of the band that are ink from its top to its bottom."""
    from PIL import Image

    assert isinstance(image, Image.Image)
    band = image.crop((max(x0 - 6, 0), top, x1 + 6, bottom + 1))
    # Each column's mean darkness in one C call: a border is ink all the way down.
    profile = band.resize((band.width, 1), Image.Resampling.BOX).tobytes()
    dark = [i for i, value in enumerate(profile) if value < 110]
    centres: list[int] = []
    run: list[int] = []
    for i in dark:
        if run and i - run[-1] > 2:
            centres.append(max(x0 - 6, 0) + sum(run) // len(run))
            run = []
        run.append(i)
    if run:
        centres.append(max(x0 - 6, 0) + sum(run) // len(run))
    return centres


def _grid_from(bands: Sequence[tuple[_Rule, _Rule, list[int]]]) -> _Grid:
    columns: list[int] = []
    for _, _, verticals in bands:
        for x in verticals:
            if not any(abs(x - c) <= 10 for c in columns):
                columns.append(x)
    columns.sort()
    borders = [
        {i for i, c in enumerate(columns) if any(abs(x - c) <= 10 for x in verticals)}
        for _, _, verticals in bands
    ]
    rows = [(upper.bottom + 1, lower.top - 1) for upper, lower, _ in bands]
    return _Grid(
        x0=min(upper.x0 for upper, _, _ in bands),
        x1=max(upper.x1 for upper, _, _ in bands),
        rows=rows,
        columns=columns,
        borders=borders,
    )


def _erase_rules(image: object, rules: Sequence[_Rule], grids: Sequence[_Grid], paper: int) -> None:
    from PIL import Image, ImageDraw

    assert isinstance(image, Image.Image)
    draw = ImageDraw.Draw(image)
    for rule in rules:
        draw.rectangle((rule.x0, rule.top - 1, rule.x1, rule.bottom + 1), fill=paper)
    for grid in grids:
        for (top, bottom), present in zip(grid.rows, grid.borders, strict=True):
            for index in present:
                x = grid.columns[index]
                draw.rectangle((x - 4, top - 2, x + 4, bottom + 2), fill=paper)


# ---------------------------------------------------------------------------------------------
# One page


@dataclass(frozen=True)
class _OcrWord:
    text: str
    left: int
    top: int
    right: int
    bottom: int
    line: tuple[int, int, int]  # Tesseract's block, paragraph and line
    confidence: float = 100.0


def _read_page(image: object, command: str) -> PageContent:
    """One page: the ruled tables' cells read as one sheet of their own, the rest as a page.

    Tesseract's page layout analysis reads small table text across the cell borders; each
    cell cut out and stacked under the others on a blank sheet is read as what it is, a
    short block of text, and one call still reads them all."""
    from PIL import Image, ImageDraw, ImageFilter

    assert isinstance(image, Image.Image)
    # A scanner's specks would be read as commas and accents; a median of 3 px takes them
    # out and leaves strokes (3 px and more at 300 dpi) as they are.
    image = image.filter(ImageFilter.MedianFilter(3))
    width, height = image.size
    ink = image.point(lambda value: 0 if value < _INK else 255)
    rules = _horizontal_rules(ink.tobytes(), width, height)
    grids = _grids(ink, rules)
    histogram = image.histogram()
    paper = histogram.index(max(histogram))
    _erase_rules(image, rules, grids, paper)
    scale = 72 / DPI  # pixels -> points, the unit of the PDF reader's rules
    tables: list[FoundTable] = []
    crops: list[tuple[int, int, int, Image.Image]] = []  # table, row, column, image
    for number, grid in enumerate(grids):
        for row, (top, bottom) in enumerate(grid.rows):
            present = sorted(grid.borders[row])
            for left, right in itertools.pairwise(present):
                box = (grid.columns[left] + 5, top + 2, grid.columns[right] - 5, bottom - 1)
                if box[2] - box[0] > 8 and box[3] - box[1] > 8:
                    crops.append((number, row, left, image.crop(box)))
    cell_words = _sheet_words(crops, command)
    for number, grid in enumerate(grids):
        texts = [["" for _ in grid.columns[:-1]] for _ in grid.rows]
        for (table, row, column), words in cell_words.items():
            if table == number:
                texts[row][column] = _cell_text(words)
        tables.append(FoundTable(grid.rows[0][0] * scale, texts))
    if grids:
        # In the paper's own shade: a white block on grey paper reads as a picture, and
        # Tesseract then skips the text around it.
        draw = ImageDraw.Draw(image)
        for grid in grids:
            draw.rectangle(
                (grid.x0 - 6, grid.rows[0][0] - 6, grid.x1 + 6, grid.rows[-1][1] + 6),
                fill=paper,
            )
    # Outside the tables a word Tesseract doubts is mostly a table it did not see as one
    # (a ruled row cut by the page's edge): its specks and strokes read as "“3" or "=sất".
    outside = [
        word
        for word in _tesseract_words(image, command, layout="3", min_confidence=45)
        if len(word.text) > 2 or word.confidence >= 75
    ]
    size = _usual_size(outside) * scale
    lines = [
        line
        for line in visual_lines([_as_word(word, scale, size) for word in outside])
        # A line of one mark ("=", "`", "-") is a speck or a stroke, not text.
        if sum(char.isalnum() for char in line.text) >= 2
    ]
    return PageContent(
        tables=tables, lines=lines, has_text=bool(outside or cell_words), has_images=True
    )


def _sheet_words(
    crops: Sequence[tuple[int, int, int, object]], command: str
) -> dict[tuple[int, int, int], list[_OcrWord]]:
    """Every cell stacked under the others on one blank sheet, read in one call, each word
    sent back to its cell. Tesseract drops a short text standing alone there (a task's "1",
    a group's "II"): a cell with ink but no word is read again alone, as one line."""
    from PIL import Image

    if not crops:
        return {}
    gap = 40
    cells = [crop[3] for crop in crops if isinstance(crop[3], Image.Image)]
    sheet = Image.new(
        "L",
        (
            max(cell.width for cell in cells) + 2 * gap,
            sum(cell.height + gap for cell in cells) + gap,
        ),
        255,
    )
    spans: list[tuple[int, int, tuple[int, int, int]]] = []
    y = gap
    for (table, row, column, _), cell in zip(crops, cells, strict=True):
        sheet.paste(cell, (gap, y))
        spans.append((y, y + cell.height, (table, row, column)))
        y += cell.height + gap
    found: dict[tuple[int, int, int], list[_OcrWord]] = {}
    for word in _tesseract_words(sheet, command, layout="4"):
        centre = (word.top + word.bottom) / 2
        for top, bottom, key in spans:
            if top - gap / 2 <= centre <= bottom + gap / 2:
                found.setdefault(key, []).append(word)
                break
    alone = [
        (key, cell)
        for (_, _, key), cell in zip(spans, cells, strict=True)
        if not _plausible(found.get(key, [])) and _has_ink(cell)
    ]
    for key, cell in alone[:_MAX_CELLS_ALONE]:
        words = _short_cell_words(cell, command)
        if words:
            found[key] = words
    return found


_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3})*\.?")


def _short_cell_words(cell: object, command: str) -> list[_OcrWord]:
    """A cell read alone. Cut to its ink, the English model reads a task's number best;
    anything else (a Roman numeral, "TT", a narrow header) reads best uncut, in Vietnamese,
    as one line, or as a block when it is several lines high."""
    from PIL import Image

    assert isinstance(cell, Image.Image)
    gap = 30
    tight = cell.crop(cell.point(lambda value: 255 if value < _INK else 0).getbbox())
    lines = max(1, round(tight.height / (_LINE_PIXELS)))
    tries = (
        (tight, "eng", "7"),
        (cell, LANGUAGE, "7" if lines == 1 else "6"),
    )
    found: list[list[_OcrWord]] = []
    for image, language, layout in tries:
        padded = Image.new("L", (image.width + 2 * gap, image.height + 2 * gap), 255)
        padded.paste(image, (gap, gap))
        words = _tesseract_words(padded, command, layout=layout, language=language)
        text = " ".join(w.text for w in words)
        if language == "eng" and _NUMBER.fullmatch(text):
            return words
        if language == "eng" and (numeral := _ENG_QUARTER.fullmatch(text)):
            # "Quý III" as the English model reads it ("Quy III"): its numeral is right.
            first = words[0]
            return [
                _OcrWord(
                    f"Quý {numeral.group(1)}",
                    first.left,
                    first.top,
                    words[-1].right,
                    first.bottom,
                    first.line,
                )
            ]
        found.append(words)
    return found[1] or found[0]


_ENG_QUARTER = re.compile(r"Qu[yýÿ]\s+(I{1,3}|IV)", re.IGNORECASE)
# What a short cell of a plan's table can hold: a number, a value, a Roman numeral, a unit.
_SHORT = re.compile(r"[≥≤><]?\s?\d{1,4}(?:[.,]\d{1,3})*\s?%?\.?|[IVX]{1,4}\.?|%|[A-Za-zĐđ]{2,4}")
# A quarter's numeral is where the Vietnamese model errs most ("III" as "II").
_QUARTER = re.compile(r"Quý\s+\S+", re.IGNORECASE)


def _plausible(words: Sequence[_OcrWord]) -> bool:
    """Whether a cell's reading from the sheet can stand: a short cell that reads as none of
    what short cells hold, or a bare quarter, is read again alone."""
    text = " ".join(word.text for word in words)
    if not text:
        return False
    if _QUARTER.fullmatch(text):
        return False
    return len(text) > 4 or bool(_SHORT.fullmatch(text))


def _has_ink(cell: object) -> bool:
    from PIL import Image

    assert isinstance(cell, Image.Image)
    darkest = cell.getextrema()[0]
    return isinstance(darkest, int | float) and darkest < _INK


def _cell_text(words: Sequence[_OcrWord]) -> str:
    lines = visual_lines([_as_word(word, 1.0, 10.0) for word in words])
    text = clean.clean_text(" ".join(line.text for line in lines))
    # "≥" in small print loses its lower stroke's slant and reads as "="; "=80" means nothing.
    return re.sub(r"^=\s?(?=\d)", "≥", text)


def _as_word(word: _OcrWord, scale: float, size: float) -> Word:
    return Word(
        text=word.text,
        x0=word.left * scale,
        x1=word.right * scale,
        top=word.top * scale,
        bottom=word.bottom * scale,
        size=size,
        bold=False,
    )


def _usual_size(words: Sequence[_OcrWord]) -> float:
    """The body text's x-height-free size: the median word height, about the font size."""
    heights = sorted(word.bottom - word.top for word in words if len(word.text) > 2)
    return float(heights[len(heights) // 2]) if heights else 40.0


def _tesseract_words(
    image: object,
    command: str,
    *,
    layout: str,
    language: str = LANGUAGE,
    min_confidence: float = 10,
) -> list[_OcrWord]:
    from PIL import Image

    assert isinstance(image, Image.Image)
    png = io.BytesIO()
    image.save(png, format="PNG")
    try:
        done = subprocess.run(
            [command, "stdin", "stdout", "-l", language, "--dpi", str(DPI), "--psm", layout, "tsv"],
            input=png.getvalue(),
            capture_output=True,
            timeout=PAGE_TIMEOUT_SECONDS,
            check=False,
            # One thread: the server's cores are shared, and Tesseract's threads only fight.
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    except subprocess.TimeoutExpired as exc:
        raise ImportFileError(_UNREADABLE) from exc
    except OSError as exc:
        raise ImportFileError(_MISSING) from exc
    if done.returncode != 0:
        raise ImportFileError(_UNREADABLE)
    words: list[_OcrWord] = []
    reader = csv.DictReader(
        io.StringIO(done.stdout.decode("utf-8", "replace")),
        delimiter="\t",
        quoting=csv.QUOTE_NONE,
    )
    for record in reader:
        text = (record.get("text") or "").strip()
        if record.get("level") != "5" or not text:
            continue
        if float(record.get("conf") or -1) < min_confidence:
            continue  # specks and leftovers of erased rules
        left, top = int(record["left"]), int(record["top"])
        words.append(
            _OcrWord(
                text=text,
                left=left,
                top=top,
                right=left + int(record["width"]),
                bottom=top + int(record["height"]),
                line=(int(record["block_num"]), int(record["par_num"]), int(record["line_num"])),
                confidence=float(record["conf"]),
            )
        )
    return _quarters(words)


# After "Quý" a quarter is I to IV: Tesseract reads "II" in small print as "11" or "Il".
_QUARTER_STROKES = re.compile(r"^[1lI|]{1,3}(?=V?\b|/|$)|^[1lI|](?=V)")


def _quarters(words: list[_OcrWord]) -> list[_OcrWord]:
    for index in range(1, len(words)):
        if words[index - 1].text.lower().endswith("quý"):
            word = words[index]
            text = _QUARTER_STROKES.sub(lambda m: "I" * len(m.group()), word.text)
            words[index] = _OcrWord(
                text, word.left, word.top, word.right, word.bottom, word.line, word.confidence
            )
    return words
