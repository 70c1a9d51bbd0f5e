"""Parse time of each plan the tests hold, per format, and of a generated 300-task plan.

Run: ``uv run python -m bench.bench_parse``. The goal is "well under a second" for a text plan;
the figures are printed as ratios within this one run (time / 1 s budget, and time / the
fastest plan), since absolute times on these machines are noisy. Each plan is also rendered
by the tests' format generator as DOCX (Word numbering), XLSX and, where LibreOffice is
installed, PDF; their parse times are printed as ratios to the same plan's text.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from theodoi.importer.core.parse import parse_bytes

PLANS = Path(__file__).resolve().parents[1] / "tests" / "data" / "plans"
BUDGET_SECONDS = 1.0


def generated_plan(tasks: int = 300, groups: int = 6) -> bytes:
    """A plan text shaped like the real ones: header, a task annex in tab-separated rows."""
    lines = [
        "ỦY BAN NHÂN DÂN PHƯỜNG THỬ NGHIỆM",
        "Số: 99/KH-UBND",
        "Thử Nghiệm, ngày 10 tháng 01 năm 2026",
        "KẾ HOẠCH",
        "Chuyển đổi số phường Thử Nghiệm năm 2026",
        "DANH MỤC NHIỆM VỤ",
        "TT\tTên nhiệm vụ\tSản phẩm đầu ra\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện",
    ]
    quarters = ["Quý I", "Quý II", "Quý III", "Quý IV", "Thường xuyên", "Tháng 6/2026"]
    romans = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
    per_group = tasks // groups
    number = 0
    for g in range(groups):
        lines.append(f"{romans[g]}\tNhóm nhiệm vụ số {g + 1}\t\t\t\t")
        for _ in range(per_group):
            number += 1
            lines.append(
                f"{number}\tTriển khai nội dung chuyển đổi số thứ {number} trên địa bàn phường"
                f"\tBáo cáo kết quả số {number}\tPhòng Văn hóa - Xã hội"
                f"\tCông an phường; Trung tâm Phục vụ hành chính công\t{quarters[number % 6]}"
            )
    lines += ["", "CHỦ TỊCH", "", "Nguyễn Văn Thử"]
    return "\n".join(lines).encode()


def measure(func: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    cases: list[tuple[str, bytes, str]] = [
        (path.name, path.read_bytes(), path.name) for path in sorted(PLANS.glob("*.txt"))
    ]
    cases.append(("generated 300 tasks", generated_plan(), "generated.txt"))
    results = []
    for label, data, filename in cases:
        plan = parse_bytes(data, filename)
        seconds = measure(lambda data=data, filename=filename: parse_bytes(data, filename))
        results.append((label, len(plan["tasks"]), len(plan["targets"]), seconds))
    fastest = min(r[3] for r in results)
    print(f"{'plan':<24}{'tasks':>6}{'targets':>8}{'÷ 1 s budget':>14}{'÷ fastest':>11}")
    for label, tasks, targets, seconds in results:
        print(f"{label:<24}{tasks:>6}{targets:>8}{seconds / BUDGET_SECONDS:>14.3f}"
              f"{seconds / fastest:>11.1f}")  # fmt: skip
    close_call()
    formats()


def close_call(tasks_per_group: int = 20) -> None:
    """The cost of a close call (two readings of the task table built and scored): a plan whose
    numbered rows without fields are a close call, as a ratio to its twin whose rows are sure."""
    header = "TT\tTên nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện"

    def plan(lead: str) -> bytes:
        rows = []
        for group in (1, 2):
            rows.append(f"{group}\tNhóm việc chuyển đổi số thứ {group}\t{lead}\t\t")
            rows += [
                f"{group}.{i}\tViệc số {i} của nhóm {group}\tCông an phường\t\tQuý II"
                for i in range(1, tasks_per_group + 1)
            ]
        rows.append("3\tSố hóa hồ sơ hộ tịch\tCông an phường\t\tQuý II")
        opening = "KẾ HOẠCH\nChuyển đổi số phường Thử Nghiệm năm 2026\nDANH MỤC NHIỆM VỤ\n"
        return (opening + header + "\n" + "\n".join(rows)).encode()

    sure, close = plan("Công an phường"), plan("")
    sure_seconds = measure(lambda: parse_bytes(sure, "sure.txt"), repeat=9)
    close_seconds = measure(lambda: parse_bytes(close, "close.txt"), repeat=9)
    print(f"\nclose call (two readings) ÷ sure twin: {close_seconds / sure_seconds:.2f}")


def formats() -> None:
    """Each plan's parse time per format, as a ratio to its text's."""
    from tests.importer.formats.render import soffice, structure, to_docx, to_pdf, to_xlsx

    plans = sorted(PLANS.glob("*.txt"))
    rendered: dict[str, dict[str, bytes]] = {}
    for path in plans:
        doc = structure(path.read_text(encoding="utf-8"))
        rendered[path.stem] = {
            "txt": path.read_bytes(),
            "docx": to_docx(doc),
            "xlsx": to_xlsx(doc),
        }
    if soffice() is not None:
        docx_files = [(path.stem, to_docx(structure(path.read_text()), whole_rows=True))
                      for path in plans]  # fmt: skip
        for name, pdf in to_pdf(docx_files).items():
            rendered[name]["pdf"] = pdf
    kinds = ["txt", "docx", "pdf", "xlsx"]
    print()
    print(
        f"{'plan':<24}{'txt ÷ 1 s':>10}" + "".join(f"{kind + ' ÷ txt':>12}" for kind in kinds[1:])
    )
    for name, files in rendered.items():
        times = {
            kind: measure(lambda data=data, kind=kind: parse_bytes(data, f"plan.{kind}"), repeat=3)
            for kind, data in files.items()
        }
        ratios = "".join(
            f"{times[kind] / times['txt']:>12.1f}" if kind in times else f"{'-':>12}"
            for kind in kinds[1:]
        )
        print(f"{name:<24}{times['txt'] / BUDGET_SECONDS:>10.3f}{ratios}")


if __name__ == "__main__":
    main()
