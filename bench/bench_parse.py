"""Parse time of each shared plan and of a generated 300-task plan.

Run: ``uv run python -m bench.bench_parse``. The goal is "well under a second" per plan; the
figures are printed as ratios within this one run (time / 1 s budget, and time / the
fastest plan), since absolute times on these machines are noisy.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from theodoi.importer.core.parse import parse_bytes

SHARED_PLANS = Path(__file__).resolve().parents[2] / "shared" / "plans"
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
        (path.name, path.read_bytes(), path.name) for path in sorted(SHARED_PLANS.glob("*.txt"))
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


if __name__ == "__main__":
    main()
