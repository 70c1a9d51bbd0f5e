"""The province office's report on all its communes: completion, warnings, targets met, and
the ranking — the figures of the province dashboard (``dashboards.province``), on paper."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx.shared import Mm

from theodoi.dashboards.province import CommuneRow, province_overview, sort_rows
from theodoi.lib.numbers import vn_percent
from theodoi.units.models import Province

from . import layout
from .layout import CENTER, Heading, Signature, body, grid, grid_row
from .xlsx import add_table, info_sheet, new_workbook, to_bytes


@dataclass
class ProvinceReport:
    province: Province
    year: int
    as_of: dt.date
    issued_on: dt.date
    rows: list[CommuneRow]  # ranked by completion, communes without a plan last
    totals: CommuneRow

    @property
    def with_plan(self) -> list[CommuneRow]:
        return [r for r in self.rows if r.plan is not None]


def build_province_report(
    province: Province, *, year: int, today: dt.date, issued_on: dt.date | None = None
) -> ProvinceReport:
    overview = province_overview(province, year=year, today=today, years=[year])
    return ProvinceReport(
        province=province,
        year=year,
        as_of=today,
        issued_on=issued_on or today,
        rows=sort_rows(overview.rows, "completion"),
        totals=overview.totals,
    )


def _province_title(province: Province) -> str:
    name = province.name
    return (
        name if name.lower().startswith(("tỉnh ", "thành phố ")) else _("tỉnh %(n)s") % {"n": name}
    )


def _cells(row: CommuneRow) -> list[str]:
    if row.plan is None:
        return [
            "",
            str(row.commune),
            _("Chưa có kế hoạch"),
            "",
            "",
            "",
            "",
            "",
            "",
        ]
    return [
        str(row.rank or ""),
        str(row.commune),
        str(row.tasks_total),
        str(row.tasks_done),
        vn_percent(row.tasks_done, row.tasks_total),
        str(row.tasks_late),
        str(row.warnings_total),
        f"{row.targets_met}/{row.targets_total}",
        row.plan.number or "",
    ]


COLUMNS = [
    gettext_lazy("Hạng"),
    gettext_lazy("Xã/phường"),
    gettext_lazy("Số nhiệm vụ"),
    gettext_lazy("Hoàn thành"),
    gettext_lazy("Tỷ lệ hoàn thành"),
    gettext_lazy("Trễ hạn"),
    gettext_lazy("Cảnh báo"),
    gettext_lazy("Chỉ tiêu đạt"),
    gettext_lazy("Kế hoạch số"),
]


def province_docx(report: ProvinceReport) -> bytes:
    province = _province_title(report.province)
    summary = _("Kết quả thực hiện kế hoạch chuyển đổi số năm %(y)d của các xã, phường") % {
        "y": report.year
    }
    doc = layout.new_document(summary)
    layout.heading_block(
        doc,
        Heading(
            party=False,
            body_lines=[_("SỞ KHOA HỌC VÀ CÔNG NGHỆ")],
            parent_line=_("UBND %(p)s") % {"p": province.upper()},
            number=_("Số: .../BC-SKHCN"),
            place=report.province.name,
            issued_on=report.issued_on,
        ),
    )
    layout.title_block(doc, _("BÁO CÁO"), summary, party=False)
    totals = report.totals
    planned = report.with_plan
    body(
        doc,
        _(
            "Tính đến ngày %(d)s, %(n)d/%(all)d xã, phường của %(p)s có kế hoạch chuyển đổi số "
            "năm %(y)d đang thực hiện, với tổng số %(tasks)d nhiệm vụ; đã hoàn thành %(done)d "
            "nhiệm vụ (đạt %(rate)s), trễ hạn chưa hoàn thành %(late)d nhiệm vụ; "
            "%(met)d/%(targets)d chỉ tiêu đạt; %(warnings)d cảnh báo đang mở."
        )
        % {
            "d": f"{report.as_of:%d/%m/%Y}",
            "n": len(planned),
            "all": len(report.rows),
            "p": province,
            "y": report.year,
            "tasks": totals.tasks_total,
            "done": totals.tasks_done,
            "rate": vn_percent(totals.tasks_done, totals.tasks_total),
            "late": totals.tasks_late,
            "met": totals.targets_met,
            "targets": totals.targets_total,
            "warnings": totals.warnings_total,
        },
    )
    if planned:
        best = ", ".join(str(r.commune) for r in planned if r.rank == 1)
        body(doc, _("Dẫn đầu về tỷ lệ hoàn thành nhiệm vụ: %(c)s.") % {"c": best})
        lagging = [r for r in planned if r.tasks_late]
        lagging.sort(key=lambda r: (-r.tasks_late, r.commune.name))
        if lagging:
            body(
                doc,
                _("Nhiều nhiệm vụ trễ hạn nhất: %(c)s.")
                % {
                    "c": "; ".join(
                        _("%(c)s (%(n)d nhiệm vụ)") % {"c": r.commune, "n": r.tasks_late}
                        for r in lagging[:5]
                    )
                },
            )
    missing = [r for r in report.rows if r.plan is None]
    if missing:
        body(
            doc,
            _("Chưa có kế hoạch đang thực hiện: %(c)s.")
            % {"c": "; ".join(str(r.commune) for r in missing)},
        )
    body(doc, _("Kết quả và xếp hạng từng xã, phường tại Phụ lục kèm theo./."))
    layout.signature_block(
        doc,
        Signature(_("KT. GIÁM ĐỐC"), _("PHÓ GIÁM ĐỐC"), ""),
        [
            _("- UBND %(p)s (để báo cáo);") % {"p": province},
            _("- Ban Chỉ đạo chuyển đổi số %(p)s;") % {"p": province},
            _("- UBND các xã, phường;"),
            _("- Lưu: VT."),
        ],
        party=False,
    )
    layout.landscape_section(doc)
    layout.para(doc, _("Phụ lục"), bold=True, align=CENTER)
    layout.para(
        doc,
        _("KẾT QUẢ VÀ XẾP HẠNG CÁC XÃ, PHƯỜNG NĂM %(y)d") % {"y": report.year},
        bold=True,
        align=CENTER,
        after=6,
    )
    table = grid(
        doc,
        [str(c) for c in COLUMNS],
        [Mm(14), Mm(60), Mm(22), Mm(22), Mm(26), Mm(20), Mm(20), Mm(26), Mm(42)],
        size=layout.ANNEX_SIZE,
    )
    aligns = [CENTER, layout.LEFT] + [CENTER] * 7
    for row in report.rows:
        grid_row(table, _cells(row), size=layout.ANNEX_SIZE, aligns=aligns)
    return layout.to_bytes(doc)


def province_xlsx(report: ProvinceReport) -> bytes:
    workbook = new_workbook()
    info_sheet(
        workbook,
        [
            (_("Tỉnh/thành phố"), report.province.name),
            (_("Năm kế hoạch"), report.year),
            (_("Số liệu đến ngày"), report.as_of),
        ],
    )
    add_table(
        workbook,
        _("Xếp hạng"),
        [
            _("Hạng"),
            _("Xã/phường"),
            _("Kế hoạch số"),
            _("Số nhiệm vụ"),
            _("Hoàn thành"),
            _("Tỷ lệ hoàn thành (%)"),
            _("Trễ hạn"),
            _("Cảnh báo"),
            _("Số chỉ tiêu"),
            _("Chỉ tiêu đạt"),
        ],
        [
            [
                row.rank,
                str(row.commune),
                row.plan.number if row.plan else _("Chưa có kế hoạch"),
                row.tasks_total if row.plan else None,
                row.tasks_done if row.plan else None,
                row.completion,
                row.tasks_late if row.plan else None,
                row.warnings_total if row.plan else None,
                row.targets_total if row.plan else None,
                row.targets_met if row.plan else None,
            ]
            for row in report.rows
        ],
        widths=[8, 30, 16, 12, 12, 14, 10, 10, 12, 12],
    )
    return to_bytes(workbook)
