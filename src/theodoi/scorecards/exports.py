"""A commune's filled scorecard as a workbook in the province's own columns, and a Word
summary of its results (self-score, appraisal, gaps, what to improve)."""

from __future__ import annotations

import io
from decimal import Decimal

import docx
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from theodoi.lib.spreadsheet import workbook_bytes

from .models import Criterion, ScoringKind
from .queries import AssessmentCard, EntryLine, GroupResult, points_text
from .workbook import COLUMNS, MANUAL_WORD, kind_word

FONT = "Times New Roman"
BOLD = Font(bold=True)
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP = Alignment(wrap_text=True, vertical="top")


def _number(points: Decimal | None) -> float | None:
    # Excel stores numbers as floats; two decimals survive the trip.
    return float(points) if points is not None else None


def _criterion_cell(criterion: Criterion, key: str) -> object:
    if key == "code":
        return criterion.code
    if key == "name":
        return criterion.name
    if key == "max_points":
        return _number(Decimal(criterion.max_points))
    if key == "kind":
        return kind_word(criterion.kind)
    if key == "bands":
        return criterion.bands_text
    if key == "points_each":
        return _number(criterion.points_each)
    if key == "evidence_required":
        return _("Có") if criterion.evidence_required else _("Không")
    if key == "source":
        return criterion.source or MANUAL_WORD
    if key == "verifier":
        return criterion.verifier
    if key == "measure_unit":
        return criterion.measure_unit
    if key == "guidance":
        return criterion.guidance
    return None  # the group columns: said once, on the group's heading row


def _evidence_text(line: EntryLine) -> str:
    return "\n".join(str(item) for item in line.evidence)


RESULT_COLUMNS = [
    ("figure", 24),
    ("self", 10),
    ("evidence", 30),
    ("unit", 22),
    ("due", 12),
    ("status", 16),
    ("appraised", 10),
    ("remark", 30),
    ("gap", 10),
    ("explanation", 30),
]


def _result_headings() -> dict[str, str]:
    return {
        "figure": _("Giá trị tự đánh giá"),
        "self": _("Điểm tự chấm"),
        "evidence": _("Minh chứng"),
        "unit": _("Đơn vị chịu trách nhiệm"),
        "due": _("Hạn hoàn thành"),
        "status": _("Tình trạng"),
        "appraised": _("Điểm thẩm định"),
        "remark": _("Ý kiến thẩm định"),
        "gap": _("Chênh lệch (thẩm định − tự chấm)"),
        "explanation": _("Giải trình của xã/phường"),
    }


def _result_cells(line: EntryLine) -> dict[str, object]:
    entry = line.entry
    return {
        "figure": line.figure_text,
        "self": _number(line.self_score),
        "evidence": _evidence_text(line),
        "unit": entry.responsible_unit.name if entry.responsible_unit else "",
        "due": entry.due_on,
        "status": entry.get_status_display(),
        "appraised": _number(line.appraised),
        "remark": entry.appraisal_remark,
        "gap": _number(line.gap),
        "explanation": entry.explanation,
    }


def _province_columns(card: AssessmentCard) -> list[tuple[str, str]]:
    columns = [(str(k), str(h)) for k, h in card.assessment.scorecard.columns if k in COLUMNS]
    if not columns:
        columns = [(key, label) for key, (label, _others) in COLUMNS.items()]
    return columns


def assessment_xlsx(card: AssessmentCard) -> bytes:
    """The filled scorecard: the province's columns as it wrote them, then the results.

    In Vietnamese whatever the reader's language: it goes back to the province as filed."""
    with translation.override(settings.LANGUAGE_CODE):
        return _assessment_xlsx(card)


def _assessment_xlsx(card: AssessmentCard) -> bytes:
    assessment = card.assessment
    scorecard = assessment.scorecard
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = str(_("Tự đánh giá"))[:31]
    sheet.append([scorecard.name])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_("Xã/phường:"), str(assessment.commune)])
    sheet.append([_("Năm:"), scorecard.year])
    sheet.append(
        [
            _("Tổng điểm:"),
            _("tự chấm %(self)s; sau thẩm định %(final)s / %(max)s (đã thẩm định %(n)d/%(all)d)")
            % {
                "self": points_text(card.self_total),
                "final": points_text(card.final_total),
                "max": points_text(card.max_total),
                "n": card.appraised_count,
                "all": len(card.lines),
            },
        ]
    )
    sheet.append([])
    columns = _province_columns(card)
    keys = [key for key, _heading in columns]
    results = _result_headings()
    sheet.append([heading for _key, heading in columns] + [results[k] for k, _w in RESULT_COLUMNS])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for group in card.groups:
        sheet.append(_group_row(group, keys))
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
            cell.fill = GROUP_FILL
            cell.border = BOX
        for line in group.lines:
            cells = [_criterion_cell(line.criterion, key) for key in keys]
            result = _result_cells(line)
            sheet.append(cells + [result[k] for k, _w in RESULT_COLUMNS])
            for cell in sheet[sheet.max_row]:
                cell.border = BOX
                cell.alignment = WRAP
            due_column = len(keys) + [k for k, _w in RESULT_COLUMNS].index("due") + 1
            sheet.cell(row=sheet.max_row, column=due_column).number_format = "DD/MM/YYYY"
    total: list[object] = [""] * (len(keys) + len(RESULT_COLUMNS))
    total[keys.index("name") if "name" in keys else 0] = _("Tổng cộng")
    if "max_points" in keys:
        total[keys.index("max_points")] = _number(card.max_total)
    _put(total, keys, self=card.self_total, appraised=card.final_total, gap=card.gap)
    sheet.append(total)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
        cell.border = BOX
    widths = {"name": 50, "guidance": 40, "bands": 24, "source": 20, "verifier": 22}
    for index, key in enumerate(keys, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(key, 11)
    for offset, (_key, width) in enumerate(RESULT_COLUMNS, start=len(keys) + 1):
        sheet.column_dimensions[get_column_letter(offset)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    return workbook_bytes(book)


def _group_row(group: GroupResult, keys: list[str]) -> list[object]:
    row: list[object] = [""] * (len(keys) + len(RESULT_COLUMNS))
    code_key = "group_code" if "group_code" in keys else "code"
    name_key = "name" if "name" in keys else "group_name"
    if code_key in keys:
        row[keys.index(code_key)] = group.group.code
    if name_key in keys:
        row[keys.index(name_key)] = group.group.name
    if "max_points" in keys and group.max_points:
        row[keys.index("max_points")] = _number(group.max_points)
    _put(row, keys, self=group.self_total, appraised=group.final_total, gap=group.gap)
    return row


def _put(row: list[object], keys: list[str], **points: Decimal) -> None:
    """Subtotals into the result columns of a group or total row."""
    at = {key: len(keys) + index for index, (key, _width) in enumerate(RESULT_COLUMNS)}
    for key, value in points.items():
        row[at[key]] = _number(value)


# --- the Word summary ------------------------------------------------------------------------


def _set_up(word: docx.document.Document) -> None:
    normal = word.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def _centered(word: docx.document.Document, text: str, *, bold: bool = True) -> None:
    paragraph = word.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold


def _heading(word: docx.document.Document, text: str) -> None:
    paragraph = word.add_paragraph()
    paragraph.add_run(text).bold = True


def _table(word: docx.document.Document, header: list[str], rows: list[list[str]]) -> None:
    table = word.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text


def assessment_docx(card: AssessmentCard) -> bytes:
    """The summary, in Vietnamese whatever the reader's language (an official document)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _assessment_docx(card)


def _assessment_docx(card: AssessmentCard) -> bytes:
    assessment = card.assessment
    scorecard = assessment.scorecard
    word = docx.Document()
    _set_up(word)
    _centered(word, _("BÁO CÁO TÓM TẮT"))
    _centered(word, _("Kết quả tự đánh giá và thẩm định chỉ số chuyển đổi số"))
    _centered(
        word,
        _("%(commune)s — năm %(year)d") % {"commune": assessment.commune, "year": scorecard.year},
        bold=False,
    )
    word.add_paragraph(
        _("Theo %(name)s (phiên bản %(version)d).")
        % {"name": scorecard.name, "version": scorecard.version}
    )
    summary = _(
        "Tổng điểm tự chấm: %(self)s/%(max)s điểm; điểm sau thẩm định: %(final)s điểm "
        "(đã thẩm định %(n)d/%(all)d tiêu chí; tiêu chí chưa thẩm định tính theo điểm tự chấm)."
    ) % {
        "self": points_text(card.self_total),
        "max": points_text(card.max_total),
        "final": points_text(card.final_total),
        "n": card.appraised_count,
        "all": len(card.lines),
    }
    if card.bonus_max:
        summary += " " + _("Điểm thưởng tối đa: %(bonus)s điểm.") % {
            "bonus": points_text(card.bonus_max)
        }
    word.add_paragraph(summary)
    if card.rank:
        word.add_paragraph(
            _("Xếp hạng trong tỉnh: thứ %(rank)d/%(count)d xã, phường.")
            % {"rank": card.rank, "count": card.ranked_among}
        )

    _heading(word, _("1. Kết quả theo nhóm tiêu chí"))
    _table(
        word,
        [_("Nhóm"), _("Điểm tối đa"), _("Tự chấm"), _("Sau thẩm định"), _("Chênh lệch")],
        [
            [
                f"{g.group.code}. {g.group.name}",
                points_text(g.max_points) if g.max_points else "",
                points_text(g.self_total),
                points_text(g.final_total),
                points_text(g.gap),
            ]
            for g in card.groups
        ]
        + [
            [
                _("Tổng cộng"),
                points_text(card.max_total),
                points_text(card.self_total),
                points_text(card.final_total),
                points_text(card.gap),
            ]
        ],
    )

    _heading(word, _("2. Tiêu chí có chênh lệch giữa tự chấm và thẩm định"))
    differing = [line for line in card.lines if line.gap]
    if differing:
        _table(
            word,
            [_("Tiêu chí"), _("Tự chấm"), _("Thẩm định"), _("Ý kiến thẩm định"), _("Giải trình")],
            [
                [
                    f"{line.criterion.code}. {line.criterion.name}",
                    points_text(line.self_score),
                    points_text(line.appraised),
                    line.entry.appraisal_remark,
                    line.entry.explanation,
                ]
                for line in differing
            ],
        )
    else:
        word.add_paragraph(_("Không có tiêu chí nào chênh lệch."))

    _heading(word, _("3. Tiêu chí cần ưu tiên để tăng điểm"))
    needs = card.needs()
    if not needs:
        word.add_paragraph(_("Các tiêu chí đều đã đạt điểm tối đa."))
    for number, line in enumerate(needs, start=1):
        criterion = line.criterion
        lost = (
            _("bị trừ %(points)s điểm")
            if criterion.kind == ScoringKind.DEDUCTION
            else _("còn thiếu %(points)s điểm")
        ) % {"points": points_text(line.room)}
        text = f"{number}. {criterion.code}. {criterion.name}: {lost}"
        if line.system is not None:
            text += f" — {line.system.text}"
        word.add_paragraph(text)
        if line.system is not None:
            for link in line.system.links:
                word.add_paragraph(f"– {link.label}")

    _heading(word, _("4. Tiến độ thực hiện các tiêu chí"))
    word.add_paragraph(
        "; ".join(f"{label}: {count}" for _value, label, count in card.status_counts) + "."
    )
    missing = [line for line in card.lines if line.evidence_missing]
    if missing:
        word.add_paragraph(
            _("Tiêu chí yêu cầu minh chứng nhưng chưa có: %(codes)s.")
            % {"codes": ", ".join(line.criterion.code for line in missing)}
        )
    word.add_paragraph(
        _("Báo cáo được lập từ hệ thống ngày %(date)s.")
        % {"date": f"{timezone.localdate():%d/%m/%Y}"}
    )
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def export_name(card: AssessmentCard, extension: str) -> str:
    commune = card.assessment.commune
    return f"tu-danh-gia-{commune.code}-{card.assessment.scorecard.year}.{extension}"
