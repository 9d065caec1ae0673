"""Import benchmark: gapmap's normalize against a bare pandas read of the same workbook.

Builds an N-row gap-analysis workbook (openpyxl write-only mode, a title block above the header, level
names mixed with numbers and "L3", a free-text note per row), then times, side by side in one run and
in rotating order, each in a fresh interpreter (so none inherits another's heap or warm caches):

* floor     ``pandas.read_excel(engine="calamine", sheet_name=None, header=None)``
* openpyxl  ``pandas.read_excel(engine="openpyxl", ...)``: what most tutorials do
* gapmap    ``maturity.assess(path)``: read with every safety guard, lay out, normalize
* read      ``maturity.read_workbook(path)``: gapmap's reading alone (the guards, calamine, the grid)
* unguarded python-calamine's rows of every sheet in a DataFrame, as ``read`` builds them without the
            guards: ``read`` − ``unguarded`` is what the safety measures cost

and prints the median of several runs, the ratio to the floor, the same ratio in CPU time (which a
busy machine does not inflate: every contender runs on one core), and each one's peak memory (the
child's peak RSS, and how far it rose above what the imports alone take).

Goals: gapmap ≤ 1.25× the floor at 100,000 rows, ≥ 5× faster than openpyxl, linear growth (10× the
rows in ≤ 11× the time), peak memory ≤ 2× the floor's.

    .venv/bin/python bench/bench_import.py                          # 1,000, 10,000 and 100,000 rows, 3 runs
    .venv/bin/python bench/bench_import.py --rows 1000000 --runs 3  # a million rows (about 10 minutes)
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

import maturity  # noqa: E402

CONTENDERS = {
    "floor": "pd.read_excel(PATH, engine='calamine', sheet_name=None, header=None)",
    "openpyxl": "pd.read_excel(PATH, engine='openpyxl', sheet_name=None, header=None)",
    "gapmap": "maturity.assess(PATH, limits=LIMITS)",
    "read": "maturity.read_workbook(PATH, limits=LIMITS)",
    "unguarded": (
        "book = python_calamine.CalamineWorkbook.from_path(PATH)\n"
        "for index in range(len(book.sheet_names)):\n"
        "    pd.DataFrame(book.get_sheet_by_index(index).to_python(skip_empty_area=False), dtype=object)"
    ),
}
LEVELS = ["Base", "Beginner", 3, "L4", "Expert", "Level 2", "3 - Intermediate", 2]
GOAL_RATIO_100K = 1.25
GOAL_OPENPYXL = 5.0
GOAL_GROWTH = 11.0
GOAL_PEAK = 2.0


def build_workbook(path: Path, rows: int) -> Path:
    """Write a ``rows``-row gap analysis with openpyxl's write-only mode; returns ``path``."""
    from openpyxl import Workbook

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


def _measure(name: str, path: Path, max_file_bytes: int) -> tuple[float, float, float, float]:
    """Run one contender in a fresh interpreter: (seconds, CPU seconds, peak RSS MiB, peak RSS above the
    imports MiB)."""
    code = (
        "import resource, time, json\n"
        "import pandas as pd, python_calamine, maturity\n"  # imports are not what we measure
        f"PATH = {str(path)!r}\n"
        f"LIMITS = maturity.Limits(max_file_bytes={max_file_bytes})\n"
        "maturity.assess, maturity.read_workbook\n"  # maturity's names are imported on first use: before the clock
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "start, cpu = time.perf_counter(), time.process_time()\n"
        f"{CONTENDERS[name]}\n"
        "elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps([elapsed, cpu, peak, peak - before]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    seconds, cpu, peak, above = json.loads(result.stdout.strip().splitlines()[-1])
    return seconds, cpu, peak, above


def run(rows: int, runs: int, skip_openpyxl_above: int) -> dict[str, dict[str, float]]:
    """Measure every contender on one ``rows``-row workbook; returns medians and ratios per contender."""
    with tempfile.TemporaryDirectory() as folder:
        path = build_workbook(Path(folder) / f"bench_{rows}.xlsx", rows)
        size = path.stat().st_size
        default_limit = maturity.Limits().max_file_bytes
        max_file_bytes = max(default_limit, size + 1)  # a file over the default limit is read with a larger one
        names = [n for n in CONTENDERS if not (n == "openpyxl" and rows > skip_openpyxl_above)]
        samples: dict[str, list[tuple[float, float, float, float]]] = {n: [] for n in names}
        for attempt in range(runs):
            for name in names[attempt % len(names) :] + names[: attempt % len(names)]:  # rotate the order
                samples[name].append(_measure(name, path, max_file_bytes))
    table = {}
    for name in names:
        seconds, cpu, peaks, above = (statistics.median(column) for column in zip(*samples[name], strict=True))
        table[name] = {"seconds": seconds, "cpu": cpu, "peak_mib": peaks, "above_mib": above}
    floor = table["floor"]
    for entry in table.values():
        entry["ratio"] = entry["seconds"] / floor["seconds"]
        entry["cpu_ratio"] = entry["cpu"] / floor["cpu"]
        entry["peak_ratio"] = entry["peak_mib"] / floor["peak_mib"]
    table["_file"] = {"mb": size / 1e6, "larger_limit": float(max_file_bytes > default_limit)}
    return table


def report(results: dict[int, dict[str, dict[str, float]]], runs: int) -> str:
    """Every size as a markdown table, then the goals."""
    lines = [f"Median of {runs} runs per contender, each in a fresh interpreter, in rotating order.", ""]
    for rows, table in results.items():
        file = table["_file"]
        limit = "; over the default 50 MiB, so read with a larger `Limits(max_file_bytes=...)`" if file[
            "larger_limit"] else ""
        lines += [f"**{rows:,} rows** ({file['mb']:.1f} MB .xlsx{limit})", "",
                  "| contender | seconds | × floor | CPU × floor | peak RSS MiB | × floor | above imports MiB |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for name in CONTENDERS:
            if name in table:
                entry = table[name]
                lines.append(f"| {name} | {entry['seconds']:.3f} | {entry['ratio']:.2f} | {entry['cpu_ratio']:.2f} | "
                             f"{entry['peak_mib']:.0f} | {entry['peak_ratio']:.2f} | {entry['above_mib']:.0f} |")
        guards = table["read"]["seconds"] - table["unguarded"]["seconds"]
        guards_cpu = table["read"]["cpu"] - table["unguarded"]["cpu"]
        lines += ["", f"The safety guards cost {guards:.3f} s, {guards / table['floor']['seconds']:.0%} of the floor "
                      f"({guards_cpu / table['floor']['cpu']:.0%} in CPU time).", ""]
    lines += ["**Goals** (wall-clock medians; CPU time in brackets)", "", "| goal | measured | |", "|---|---|---|"]
    if 100_000 in results:
        entry = results[100_000]["gapmap"]
        lines.append(f"| ≤ {GOAL_RATIO_100K}× the floor at 100,000 rows | {entry['ratio']:.2f}× "
                     f"({entry['cpu_ratio']:.2f}×) | {'met' if entry['ratio'] <= GOAL_RATIO_100K else 'not met'} |")
    for rows, table in results.items():
        if "openpyxl" in table:
            faster = table["openpyxl"]["seconds"] / table["gapmap"]["seconds"]
            faster_cpu = table["openpyxl"]["cpu"] / table["gapmap"]["cpu"]
            lines.append(f"| ≥ {GOAL_OPENPYXL:.0f}× faster than openpyxl, {rows:,} rows | {faster:.1f}× "
                         f"({faster_cpu:.1f}×) | {'met' if faster >= GOAL_OPENPYXL else 'not met'} |")
    for small, large in itertools.pairwise(sorted(results)):
        growth = results[large]["gapmap"]["seconds"] / results[small]["gapmap"]["seconds"]
        growth_cpu = results[large]["gapmap"]["cpu"] / results[small]["gapmap"]["cpu"]
        allowed = GOAL_GROWTH * (large / small) / 10
        lines.append(f"| linear: {large // small}× the rows in ≤ {allowed:.0f}× the time, {small:,} → {large:,} | "
                     f"{growth:.1f}× ({growth_cpu:.1f}×) | {'met' if growth <= allowed else 'not met'} |")
    for rows, table in results.items():
        peak = table["gapmap"]["peak_ratio"]
        lines.append(f"| peak memory ≤ {GOAL_PEAK:.0f}× the floor's, {rows:,} rows | {peak:.2f}× | "
                     f"{'met' if peak <= GOAL_PEAK else 'not met'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--skip-openpyxl-above",
        type=int,
        default=200_000,
        help="openpyxl takes minutes on a million rows; skip it above this size",
    )
    args = parser.parse_args(argv)
    results = {rows: run(rows, args.runs, args.skip_openpyxl_above) for rows in sorted(args.rows)}
    print(report(results, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
