"""The year-end evaluation: Part I of next year's plan ("Đánh giá kết quả thực hiện năm
2026") drafted from the year's data, so that the next plan starts from what happened."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from docx.shared import Mm

from theodoi.plans.models import Plan, ReportRegime
from theodoi.tracking.status import Judgement

from . import layout
from .data import MET, PeriodicReport, TargetRow, TaskRow, build_report
from .docx import heading_of, plan_reference, plan_subject, write_remarks
from .layout import CENTER, body, body_runs, grid, grid_row
from .ranges import ReportKind, report_range


def year_end_report(plan: Plan, *, today: dt.date) -> PeriodicReport:
    """The plan's whole calendar year, 01/01 to 31/12 (or to ``today`` before year end)."""
    rng = report_range(
        year=plan.year,
        kind=ReportKind.YEAR,
        regime=ReportRegime.CALENDAR,
        due_day=plan.report_due_day,
    )
    return build_report(plan, rng, today=today)


def _verdict(row: TargetRow) -> str:
    """The year-end wording of the target's judgement (``tracking.status.judgement``): before
    the year's end a target may still be reached ("Chưa đạt"); after it, it was not."""
    return {
        Judgement.MET: _(MET),
        Judgement.NO_DATA: _("Không có số liệu"),
        Judgement.NOT_MET: _("Không đạt"),
    }.get(row.judgement, _("Chưa đạt"))


def year_end_docx(report: PeriodicReport) -> bytes:
    plan = report.plan
    year = plan.year
    title = _("Đánh giá kết quả thực hiện năm %(y)d") % {"y": year}
    doc = layout.new_document(title)
    layout.heading_block(doc, heading_of(plan, party=report.party, issued_on=report.issued_on))
    # A document type and its summary, as every state document opens (Nghị định 30).
    layout.title_block(doc, _("BÁO CÁO"), title, party=report.party)
    body(
        doc,
        _("Kết quả thực hiện %(ref)s về %(subject)s, tính đến ngày %(d)s:")
        % {
            "ref": plan_reference(plan),
            "subject": plan_subject(plan),
            "d": f"{report.as_of:%d/%m/%Y}",
        },
    )

    body(doc, _("1. Kết quả thực hiện các chỉ tiêu"), bold=True)
    met = report.targets_met
    body(
        doc,
        _(
            "Năm %(y)d có %(n)d chỉ tiêu; đạt %(met)d chỉ tiêu, không đạt hoặc chưa có số liệu "
            "%(rest)d chỉ tiêu."
        )
        % {"y": year, "n": len(report.targets), "met": met, "rest": len(report.targets) - met},
    )
    if report.targets:
        table = grid(
            doc,
            [_("TT"), _("Chỉ tiêu"), _("Chỉ tiêu năm"), _("Kết quả cuối năm"), _("Đánh giá")],
            [Mm(10), Mm(83), Mm(25), Mm(25), Mm(22)],
        )
        for row in report.targets:
            grid_row(
                table,
                [
                    row.target.code,
                    row.target.name,
                    row.goal,
                    row.result,
                    _verdict(row),
                ],
                aligns=[CENTER, layout.LEFT, CENTER, CENTER, CENTER],
            )
        layout.para(doc, after=6)

    body(doc, _("2. Kết quả thực hiện các nhiệm vụ"), bold=True)
    leaves = report.leaves
    done = [r for r in leaves if r.state.done]
    body(
        doc,
        _(
            "Tổng số %(n)d nhiệm vụ; hoàn thành %(done)d nhiệm vụ, chưa hoàn thành %(rest)d "
            "nhiệm vụ."
        )
        % {"n": len(leaves), "done": len(done), "rest": len(leaves) - len(done)},
    )
    for index, group in enumerate(report.groups):
        letter = "abcdefghiklmnopqrstuvxy"[index % 23]
        finished = group.done
        unfinished = [r for r in group.rows if not r.state.done]
        body_runs(
            doc,
            [
                (f"{letter}) {group.name}: ", True),
                (
                    _("hoàn thành %(a)d/%(n)d nhiệm vụ.")
                    % {"a": len(finished), "n": len(group.rows)},
                    False,
                ),
            ],
        )
        if finished:
            body(doc, _("- Đã hoàn thành: %(list)s.") % {"list": _listing(finished)})
        if unfinished:
            body(doc, _("- Chưa hoàn thành: %(list)s.") % {"list": _listing(unfinished, note=True)})

    body(doc, _("3. Khó khăn, vướng mắc trong năm"), bold=True)
    write_remarks(doc, report.difficulties, _("Các đơn vị không báo cáo khó khăn, vướng mắc."))
    body(doc, _("4. Đề xuất, kiến nghị của các đơn vị"), bold=True)
    write_remarks(doc, report.proposals, _("Không có đề xuất, kiến nghị."))
    return layout.to_bytes(doc)


def _listing(rows: list[TaskRow], *, note: bool = False) -> str:
    parts = []
    for row in rows:
        text = f"{row.task.code}. {row.task.name}"
        extra = [row.lead_text] if row.lead_text else []
        if note:
            extra.append(_("đạt %(p)d%%") % {"p": row.state.percent})
        if extra:
            text += f" ({'; '.join(extra)})"
        parts.append(text)
    return "; ".join(parts)
