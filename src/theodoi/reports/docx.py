"""The periodic report (báo cáo định kỳ) as a Word draft the office edits before signing."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx.document import Document as DocxDocument
from docx.shared import Mm

from theodoi.lib.numbers import vn_percent
from theodoi.plans.models import Plan
from theodoi.tracking.queries import due_phrase
from theodoi.tracking.status import Bucket

from . import layout
from .data import GroupResult, PeriodicReport, Remark, TaskRow
from .layout import CENTER, Heading, Signature, body, body_runs, grid, grid_row
from .text import commune_title, initials, place_of, province_heading

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


# --- who issues, who signs, who receives ------------------------------------------------------


def heading_of(plan: Plan, *, party: bool, issued_on: object, kind_code: str = "BC") -> Heading:
    commune = plan.commune
    if party:
        return Heading(
            party=True,
            body_lines=[_("ĐẢNG ỦY %(c)s") % {"c": commune_title(commune).upper()}],
            parent_line=province_heading(commune.province.name),
            number=_("Số ...-%(k)s/ĐU") % {"k": kind_code},
            place=place_of(plan),
            issued_on=issued_on,  # type: ignore[arg-type]
        )
    return Heading(
        party=False,
        body_lines=[_("ỦY BAN NHÂN DÂN"), commune_title(commune).upper()],
        parent_line="",
        number=_("Số: .../%(k)s-UBND") % {"k": kind_code},
        place=place_of(plan),
        issued_on=issued_on,  # type: ignore[arg-type]
    )


def signature_of(plan: Plan, *, party: bool) -> Signature:
    """The signer of the plan signs its reports by default; the office changes it in Word."""
    title = (plan.signer_title or "").strip()
    deputy = title.lower().startswith("phó")
    if party:
        committee = (
            _("T/M BAN THƯỜNG VỤ") if "thường vụ" in plan.issuer.lower() else _("T/M ĐẢNG ỦY")
        )
        if deputy:
            return Signature(_("K/T BÍ THƯ"), (title or _("Phó Bí thư")).upper(), plan.signer_name)
        return Signature(committee, (title or _("Bí thư")).upper(), plan.signer_name)
    if deputy:
        return Signature(_("KT. CHỦ TỊCH"), title.upper(), plan.signer_name)
    return Signature(_("TM. ỦY BAN NHÂN DÂN"), (title or _("Chủ tịch")).upper(), plan.signer_name)


def recipients_of(plan: Plan, *, party: bool, standing_office: str) -> list[str]:
    commune = commune_title(plan.commune)
    if party:
        return [
            _("- Ban Thường vụ Tỉnh ủy (để báo cáo),"),
            _("- Sở Khoa học và Công nghệ,"),
            _("- Các đồng chí Ủy viên Ban Chấp hành Đảng bộ %(c)s,") % {"c": commune},
            _("- Các chi bộ trực thuộc,"),
            _("- Lưu Văn phòng Đảng ủy."),
        ]
    keep = _("- Lưu: VT") + (f", {initials(standing_office)}" if standing_office else "") + "."
    return [
        _("- Sở Khoa học và Công nghệ;"),
        _("- Thường trực Đảng ủy, HĐND %(c)s;") % {"c": commune},
        _("- Chủ tịch, các Phó Chủ tịch UBND %(c)s;") % {"c": commune},
        _("- Ban Chỉ đạo chuyển đổi số %(c)s;") % {"c": commune},
        _("- Các cơ quan, đơn vị liên quan;"),
        keep,
    ]


def issuer_name(plan: Plan, *, party: bool) -> str:
    commune = commune_title(plan.commune)
    if party:
        return _("Ban Chấp hành Đảng bộ %(c)s") % {"c": commune}
    return _("Ủy ban nhân dân %(c)s") % {"c": commune}


def plan_reference(plan: Plan) -> str:
    """ "Kế hoạch số 45/KH-UBND ngày 15/01/2026"."""
    text = _("Kế hoạch số %(n)s") % {"n": plan.number} if plan.number else _("Kế hoạch")
    if plan.issued_on:
        text += _(" ngày %(d)s") % {"d": f"{plan.issued_on:%d/%m/%Y}"}
    return text


# --- the report ---------------------------------------------------------------------------------


def plan_number_reference(plan: Plan) -> str:
    """ "Kế hoạch số 45/KH-UBND" (no date: short enough for a title)."""
    return _("Kế hoạch số %(n)s") % {"n": plan.number} if plan.number else _("Kế hoạch")


def plan_subject(plan: Plan) -> str:
    """What the plan is about, to follow "về": its title without the leading "Kế hoạch"."""
    title = plan.title.strip()
    if title.lower().startswith("kế hoạch"):
        title = title[len("kế hoạch") :].strip()
    return title[:1].lower() + title[1:]


def summary_of(report: PeriodicReport) -> str:
    return _("Kết quả thực hiện %(ref)s %(period)s") % {
        "ref": plan_number_reference(report.plan),
        "period": report.rng.phrase,
    }


def _names(rows: list[TaskRow], *, with_due: bool = False) -> str:
    parts = []
    for row in rows:
        text = f"{row.task.code}. {row.task.name}"
        details = [row.lead_text] if row.lead_text else []
        if with_due:
            details.append(due_phrase(row.task))
        if details:
            text += f" ({'; '.join(details)})"
        parts.append(text)
    return "; ".join(parts) + "."


def _counts(group: GroupResult) -> str:
    """ "; hoàn thành 1, trễ hạn 2": the buckets that are not empty."""
    parts = [
        (_("hoàn thành"), len(group.done)),
        (_("đang thực hiện"), len(group.in_progress)),
        (_("trễ hạn"), len(group.late)),
        (_("chưa triển khai"), len(group.not_started)),
        (_("chờ thẩm định, tạm dừng"), len(group.awaiting)),
    ]
    shown = [f"{label} {count}" for label, count in parts if count]
    return "; " + ", ".join(shown) if shown else ""


def _group(doc: DocxDocument, letter: str, group: GroupResult) -> None:
    total = len(group.rows)
    body_runs(
        doc,
        [
            (f"{letter}) {group.name}: ", True),
            (
                _("%(n)d nhiệm vụ") % {"n": total} + _counts(group) + ".",
                False,
            ),
        ],
    )
    for label, rows, with_due in (
        (_("Đã hoàn thành"), group.done, False),
        (_("Đang thực hiện"), group.in_progress, False),
        (_("Trễ hạn, chưa hoàn thành"), group.late, True),
        (_("Chưa triển khai"), group.not_started, True),
        (_("Chờ thẩm định minh chứng, minh chứng không đạt, tạm dừng"), group.awaiting, True),
    ):
        if rows:
            body_runs(doc, [(f"- {label}: ", False), (_names(rows, with_due=with_due), False)])


def write_remarks(doc: DocxDocument, remarks: list[Remark], empty: str) -> None:
    if not remarks:
        body(doc, empty)
        return
    for remark in remarks:
        body_runs(
            doc,
            [
                (f"- {remark.unit}", True),
                (
                    _(" (nhiệm vụ %(code)s): %(text)s")
                    % {"code": remark.task_code, "text": remark.text},
                    False,
                ),
            ],
        )


def _targets_table(doc: DocxDocument, report: PeriodicReport) -> None:
    unit = commune_title(report.plan.commune)
    table = grid(
        doc,
        [
            _("TT"),
            _("Chỉ tiêu"),
            _("Kết quả thực hiện"),
            _("Chỉ tiêu của %(c)s") % {"c": unit},
            _("Chỉ tiêu cấp trên"),
            _("Đánh giá"),
        ],
        [Mm(10), Mm(63), Mm(24), Mm(24), Mm(24), Mm(20)],
    )
    for row in report.targets:
        grid_row(
            table,
            [row.target.code, row.target.name, row.result, row.goal, row.upper, row.evaluation],
            aligns=[CENTER, layout.LEFT, CENTER, CENTER, CENTER, CENTER],
        )


def write_body(doc: DocxDocument, report: PeriodicReport) -> None:
    plan = report.plan
    leaves = report.leaves
    total = len(leaves)
    body(
        doc,
        _(
            "Thực hiện %(ref)s của %(issuer)s về %(title)s, %(issuer)s báo cáo kết quả thực "
            "hiện %(period)s như sau:"
        )
        % {
            "ref": plan_reference(plan),
            "issuer": issuer_name(plan, party=report.party),
            "title": plan_subject(plan),
            "period": report.rng.phrase,
        },
    )
    body(doc, report.rng.statement, italic=True)
    if report.as_of < report.rng.end:
        body(
            doc,
            _("Kỳ báo cáo chưa kết thúc: số liệu tính đến ngày %(d)s.")
            % {"d": f"{report.as_of:%d/%m/%Y}"},
            italic=True,
        )

    body(doc, _("I. KẾT QUẢ THỰC HIỆN"), bold=True)
    body(doc, _("1. Kết quả chung"), bold=True)
    body(
        doc,
        _(
            "Kế hoạch có %(n)d nhiệm vụ. Đến ngày %(d)s: đã hoàn thành %(done)d nhiệm vụ "
            "(đạt %(rate)s); đang thực hiện đúng tiến độ %(going)d nhiệm vụ; trễ hạn, chưa "
            "hoàn thành %(late)d nhiệm vụ; chưa triển khai %(idle)d nhiệm vụ; báo cáo hoàn "
            "thành chờ thẩm định hoặc minh chứng không đạt, tạm dừng %(wait)d nhiệm vụ."
        )
        % {
            "n": total,
            "d": f"{report.as_of:%d/%m/%Y}",
            "done": report.count("done"),
            "rate": vn_percent(report.count("done"), total),
            "going": report.count("in_progress"),
            "late": report.count("late"),
            "idle": report.count("not_started"),
            "wait": report.count(Bucket.PENDING, Bucket.REJECTED, Bucket.PAUSED),
        },
    )
    body(
        doc,
        _(
            "Về chỉ tiêu: %(n)d chỉ tiêu, trong đó %(met)d chỉ tiêu đạt, %(not_met)d chỉ tiêu "
            "chưa đạt, %(none)d chỉ tiêu chưa có số liệu được thẩm định."
        )
        % {
            "n": len(report.targets),
            "met": report.targets_met,
            "not_met": len(report.targets) - report.targets_met - report.targets_without_data,
            "none": report.targets_without_data,
        },
    )
    body(doc, _("2. Kết quả thực hiện nhiệm vụ theo nhóm"), bold=True)
    for index, group in enumerate(report.groups):
        _group(doc, "abcdefghiklmnopqrstuvxy"[index % 23], group)
    if report.results:
        body(doc, _("3. Kết quả nổi bật của các đơn vị"), bold=True)
        write_remarks(doc, report.results, "")
    body(
        doc,
        _("%(n)d. Kết quả thực hiện các chỉ tiêu") % {"n": 4 if report.results else 3},
        bold=True,
    )
    if report.targets:
        _targets_table(doc, report)
        layout.para(doc, after=6)
    else:
        body(doc, _("Kế hoạch không có chỉ tiêu định lượng."))

    body(doc, _("II. CẢNH BÁO, TỒN TẠI"), bold=True)
    if report.warnings_shown:
        for kind, reason in report.warnings_shown:
            body_runs(doc, [(f"- {kind}: ", True), (reason, False)])
    else:
        body(doc, _("Không có cảnh báo."))

    body(doc, _("III. KHÓ KHĂN, VƯỚNG MẮC"), bold=True)
    write_remarks(
        doc, report.difficulties, _("Các đơn vị không báo cáo khó khăn, vướng mắc trong kỳ.")
    )
    body(doc, _("IV. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI"), bold=True)
    upcoming = report.next_tasks
    if upcoming:
        for row in upcoming:
            body(doc, f"- {_names([row], with_due=True)}")
    else:
        body(doc, _("Tiếp tục duy trì các nhiệm vụ đã hoàn thành."))
    body(doc, _("V. ĐỀ XUẤT, KIẾN NGHỊ"), bold=True)
    write_remarks(doc, report.proposals, _("Không có đề xuất, kiến nghị."))
    body(
        doc,
        _("Trên đây là báo cáo kết quả thực hiện %(ref)s %(period)s của %(issuer)s./.")
        % {
            "ref": plan_reference(plan),
            "period": report.rng.phrase,
            "issuer": issuer_name(plan, party=report.party),
        },
    )


def annex_heading(doc: DocxDocument, number: str, title: str, report_ref: str) -> None:
    layout.para(doc, _("Phụ lục %(n)s") % {"n": number}, bold=True, align=CENTER)
    layout.para(doc, title, bold=True, align=CENTER)
    layout.para(doc, report_ref, italic=True, align=CENTER, after=6)


def report_reference(report: PeriodicReport, kind_code: str = "BC") -> str:
    """ "(Kèm theo Báo cáo số .../BC-UBND ngày 05/02/2026 của UBND phường Hòa Phong)"."""
    unit = commune_title(report.plan.commune)
    if report.party:
        return _("(Kèm theo Báo cáo số ...-%(k)s/ĐU ngày %(d)s của Đảng ủy %(c)s)") % {
            "k": kind_code,
            "d": f"{report.issued_on:%d/%m/%Y}",
            "c": unit,
        }
    return _("(Kèm theo Báo cáo số .../%(k)s-UBND ngày %(d)s của UBND %(c)s)") % {
        "k": kind_code,
        "d": f"{report.issued_on:%d/%m/%Y}",
        "c": unit,
    }


TASK_COLUMNS = [
    gettext_lazy("TT"),
    gettext_lazy("Nhiệm vụ"),
    gettext_lazy("Đơn vị chủ trì"),
    gettext_lazy("Thời hạn"),
    gettext_lazy("Tỷ lệ hoàn thành (%)"),
    gettext_lazy("Đánh giá"),
    gettext_lazy("Ghi chú"),
]
TARGET_COLUMNS = [
    gettext_lazy("TT"),
    gettext_lazy("Chỉ tiêu"),
    gettext_lazy("Đơn vị tính"),
    gettext_lazy("Chỉ tiêu của xã/phường"),
    gettext_lazy("Chỉ tiêu cấp trên"),
    gettext_lazy("Kết quả thực hiện"),
    gettext_lazy("Đánh giá"),
    gettext_lazy("Đơn vị theo dõi"),
]


def task_annex(doc: DocxDocument, report: PeriodicReport, number: str) -> None:
    annex_heading(
        doc,
        number,
        _("KẾT QUẢ THỰC HIỆN NHIỆM VỤ %(p)s") % {"p": report.rng.phrase.upper()},
        report_reference(report),
    )
    table = grid(
        doc,
        [str(c) for c in TASK_COLUMNS],
        [Mm(16), Mm(82), Mm(40), Mm(24), Mm(20), Mm(28), Mm(42)],
        size=layout.ANNEX_SIZE,
    )
    aligns = [CENTER, layout.LEFT, layout.LEFT, CENTER, CENTER, CENTER, layout.LEFT]
    current_group = None
    for row in report.rows:
        if row.group != current_group and not row.task.parent_id:
            current_group = row.group
            if row.group:
                grid_row(table, [row.group], size=layout.ANNEX_SIZE, merge=True)
        grid_row(
            table,
            [
                row.task.code,
                row.task.name,
                row.lead_text,
                row.due_text,
                str(row.state.percent),
                row.evaluation,
                row.note,
            ],
            size=layout.ANNEX_SIZE,
            bold=row.is_parent,
            aligns=aligns,
        )


def target_annex(doc: DocxDocument, report: PeriodicReport, number: str) -> None:
    annex_heading(
        doc,
        number,
        _("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU %(p)s") % {"p": report.rng.phrase.upper()},
        report_reference(report),
    )
    table = grid(
        doc,
        [str(c) for c in TARGET_COLUMNS],
        [Mm(12), Mm(80), Mm(18), Mm(28), Mm(28), Mm(28), Mm(24), Mm(34)],
        size=layout.ANNEX_SIZE,
    )
    aligns = [CENTER, layout.LEFT, CENTER, CENTER, CENTER, CENTER, CENTER, layout.LEFT]
    current_group = None
    for row in report.targets:
        if row.target.group and row.target.group != current_group:
            current_group = row.target.group
            grid_row(table, [row.target.group], size=layout.ANNEX_SIZE, merge=True)
        grid_row(
            table,
            [
                row.target.code,
                row.target.name,
                row.target.measure_unit,
                row.goal,
                row.upper,
                row.result,
                row.evaluation,
                "; ".join(row.owners),
            ],
            size=layout.ANNEX_SIZE,
            aligns=aligns,
        )


def report_docx(report: PeriodicReport) -> bytes:
    """The periodic report as DOCX bytes."""
    plan = report.plan
    summary = summary_of(report)
    doc = layout.new_document(summary)
    layout.heading_block(doc, heading_of(plan, party=report.party, issued_on=report.issued_on))
    layout.title_block(doc, _("BÁO CÁO"), summary, party=report.party)
    write_body(doc, report)
    layout.signature_block(
        doc,
        signature_of(plan, party=report.party),
        recipients_of(plan, party=report.party, standing_office=report.standing_office),
        party=report.party,
    )
    layout.landscape_section(doc)
    task_annex(doc, report, "I")
    if report.targets:
        layout.page_break(doc)
        target_annex(doc, report, "II")
    return layout.to_bytes(doc)
