"""Import benchmark: gapmap's normalize against a bare pandas read of the same workbook.

Builds an N-row gap-analysis workbook (openpyxl write-only mode, a title block above the header, level
names mixed with numbers and "L3"), then times, side by side in one run and in rotating order:

* floor     ``pandas.read_excel(engine="calamine", sheet_name=None, header=None)``
* openpyxl  ``pandas.read_excel(engine="openpyxl", ...)``: what most tutorials do
* gapmap    ``maturity.assess(path)``: read with every safety guard, lay out, normalize

and prints the median of several runs, the ratio to the floor, and each one's peak memory (measured
in a fresh child process, so one does not inherit another's heap).

    .venv/bin/python bench/bench_import.py                 # 100,000 rows, 5 runs
    .venv/bin/python bench/bench_import.py --rows 1000 10000 100000 --runs 3
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CONTENDERS = {
    "floor": "import pandas as pd; pd.read_excel(PATH, engine='calamine', sheet_name=None, header=None)",
    "openpyxl": "import pandas as pd; pd.read_excel(PATH, engine='openpyxl', sheet_name=None, header=None)",
    "gapmap": "import maturity; maturity.assess(PATH)",
}
LEVELS = ["Base", "Beginner", 3, "L4", "Expert", "Level 2", "3 - Intermediate", 2]


def build_workbook(path: Path, rows: int) -> Path:
    """Write a ``rows``-row gap analysis with openpyxl's write-only mode; returns ``path``."""
    from openpyxl import Workbook

    import maturity

    rubric = maturity.load_rubric("cdmm")
    practices = [(d.name, p.label) for d in rubric.dimensions for p in d.practices]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Assessment")
    sheet.append(["Benchmark Bank: CD maturity assessment"])
    sheet.append([])
    sheet.append(
        ["Business Unit", "Practice Area", "Practice", "Current Level", "Target Level", "Priority", "Effort", "Notes"]
    )
    for i in range(rows):
        dimension, practice = practices[i % len(practices)]
        current = LEVELS[i % len(LEVELS)]
        target = LEVELS[(i * 7 + 3) % len(LEVELS)]
        sheet.append(
            [
                f"Unit {i // len(practices):04d}",
                dimension,
                practice,
                current,
                target,
                ("High", "Medium", "Low")[i % 3],
                ("S", "M", "L")[i % 3],
                f"note {i}",
            ]
        )
    workbook.save(path)
    return path


def _measure(name: str, path: Path) -> tuple[float, float]:
    """Run one contender in a fresh interpreter: (seconds, peak RSS in MiB)."""
    code = (
        "import resource, time, json\n"
        f"PATH = {str(path)!r}\n"
        "import pandas, maturity\n"  # imports are not what we measure
        "start = time.perf_counter()\n"
        f"{CONTENDERS[name]}\n"
        "elapsed = time.perf_counter() - start\n"
        "print(json.dumps([elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    seconds, peak = json.loads(result.stdout.strip().splitlines()[-1])
    return seconds, peak


def run(rows: int, runs: int, skip_openpyxl_above: int) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as folder:
        path = build_workbook(Path(folder) / f"bench_{rows}.xlsx", rows)
        size = path.stat().st_size
        names = [n for n in CONTENDERS if not (n == "openpyxl" and rows > skip_openpyxl_above)]
        times: dict[str, list[float]] = {n: [] for n in names}
        peaks: dict[str, list[float]] = {n: [] for n in names}
        for attempt in range(runs):
            for name in names[attempt % len(names) :] + names[: attempt % len(names)]:  # rotate the order
                seconds, peak = _measure(name, path)
                times[name].append(seconds)
                peaks[name].append(peak)
    floor = statistics.median(times["floor"])
    floor_peak = statistics.median(peaks["floor"])
    print(f"\n{rows:,} rows, {size / 1e6:.1f} MB, median of {runs} runs")
    print(f"{'contender':<10} {'seconds':>8} {'× floor':>8} {'peak MiB':>9} {'× floor':>8}")
    table = {}
    for name in names:
        median = statistics.median(times[name])
        peak = statistics.median(peaks[name])
        table[name] = {"seconds": median, "ratio": median / floor, "peak_mib": peak, "peak_ratio": peak / floor_peak}
        print(f"{name:<10} {median:>8.3f} {median / floor:>8.2f} {peak:>9.0f} {peak / floor_peak:>8.2f}")
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--skip-openpyxl-above",
        type=int,
        default=200_000,
        help="openpyxl takes minutes on a million rows; skip it above this size",
    )
    args = parser.parse_args(argv)
    results = {rows: run(rows, args.runs, args.skip_openpyxl_above) for rows in args.rows}
    if len(results) > 1:
        sizes = sorted(results)
        for small, large in itertools.pairwise(sizes):
            growth = results[large]["gapmap"]["seconds"] / results[small]["gapmap"]["seconds"]
            print(f"gapmap {small:,} → {large:,} rows: {large / small:.0f}× rows took {growth:.1f}× time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
