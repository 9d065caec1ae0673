"""Command-line benchmark: ``python -m maturity normalize`` end to end against a bare calamine read.

Builds the import benchmark's N-row workbook (``bench_import.build_workbook``), then times whole
processes, each a fresh interpreter started and waited for (imports, reading, writing and exit all
count), side by side in one run and in rotating order:

* floor     ``python -c "pandas.read_excel(PATH, engine='calamine', sheet_name=None, header=None)"``
* gapmap    ``python -m maturity normalize PATH --out normalized.csv --errors problems.csv``
* startup   ``python -m maturity --version``: what starting a command costs before it reads a file (the
            engine and pandas load once reading has begun, beside calamine)

and prints the median of several runs, the ratio to the floor, the same ratio in CPU time (the
child's user + system time, which a busy machine does not inflate), and each one's peak RSS.

Every contender runs with its bytecode cached, as an installed copy or a second run from a checkout
does: the children write and read it under a temporary ``PYTHONPYCACHEPREFIX`` (nothing is written
to the tree), whatever ``PYTHONDONTWRITEBYTECODE`` says, and one unmeasured run of each fills it.
Without a cache each gapmap process would compile its own modules again, about 25 ms.

Goal: gapmap ≤ 1.25× the floor at 100,000 rows.

    .venv/bin/python bench/bench_cli.py                            # 10,000 and 100,000 rows, 5 runs
    .venv/bin/python bench/bench_cli.py --rows 100000 --runs 9
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_import import build_workbook  # the same workbook the import benchmark reads

ROOT = Path(__file__).resolve().parent.parent
FLOOR = "import pandas as pd; pd.read_excel({path!r}, engine='calamine', sheet_name=None, header=None)"
CONTENDERS = {
    "floor": ["-c", FLOOR],
    "gapmap": ["-m", "maturity", "normalize", "{path}", "--out", "{out}", "--errors", "{errors}"],
    "startup": ["-m", "maturity", "--version"],
}
GOAL_RATIO_100K = 1.25


def _child_environment(folder: Path) -> dict[str, str]:
    """The contenders' environment: bytecode written and read under ``folder``'s cache."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return {**environment, "PYTHONPYCACHEPREFIX": str(folder / "pycache")}


def _measure(name: str, path: Path, folder: Path) -> tuple[float, float, float]:
    """Run one contender as a fresh process: (wall seconds, CPU seconds, peak RSS MiB)."""
    names = {"path": str(path), "out": str(folder / "normalized.csv"), "errors": str(folder / "problems.csv")}
    argv = [sys.executable, *(argument.format(**names) for argument in CONTENDERS[name])]
    with open(folder / "stderr.txt", "w+b") as stderr:
        start = time.perf_counter()
        child = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr,
                                 env=_child_environment(folder))
        # wait4, not wait: the child's own CPU time and peak RSS, whatever else this process has run.
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait for it again
        if child.returncode:
            stderr.seek(0)
            raise RuntimeError(f"{name} failed: {stderr.read().decode(errors='replace')}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def run(rows: int, runs: int) -> dict[str, dict[str, float]]:
    """Measure every contender on one ``rows``-row workbook; returns medians and ratios per contender."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = build_workbook(folder / f"bench_{rows}.xlsx", rows)
        size = path.stat().st_size
        names = list(CONTENDERS)
        samples: dict[str, list[tuple[float, float, float]]] = {n: [] for n in names}
        for contender in names:  # one unmeasured run each: the page cache, and the bytecode cache filled
            _measure(contender, path, folder)
        for attempt in range(runs):
            for contender in names[attempt % len(names):] + names[: attempt % len(names)]:  # rotate the order
                samples[contender].append(_measure(contender, path, folder))
        written = (folder / "normalized.csv").stat().st_size
    table = {}
    for contender in names:
        seconds, cpu, peak = (statistics.median(column) for column in zip(*samples[contender], strict=True))
        table[contender] = {"seconds": seconds, "cpu": cpu, "peak_mib": peak}
    floor = table["floor"]
    for entry in table.values():
        entry["ratio"] = entry["seconds"] / floor["seconds"]
        entry["cpu_ratio"] = entry["cpu"] / floor["cpu"]
    table["_file"] = {"mb": size / 1e6, "csv_mb": written / 1e6}
    return table


def report(results: dict[int, dict[str, dict[str, float]]], runs: int) -> str:
    """One markdown table for every size, then the goal."""
    lines = [f"Median of {runs} runs per contender, each a fresh process, in rotating order.", "",
             "| rows | file | contender | seconds | × floor | CPU × floor | peak RSS MiB |",
             "|---:|---:|---|---:|---:|---:|---:|"]
    for rows, table in results.items():
        file = table["_file"]
        first = f"| {rows:,} | {file['mb']:.1f} MB .xlsx, {file['csv_mb']:.1f} MB CSV out "
        for contender in CONTENDERS:
            entry = table[contender]
            label = f"**{contender}**" if contender == "gapmap" else contender
            lines.append(f"{first}| {label} | {entry['seconds']:.3f} | {entry['ratio']:.2f} | "
                         f"{entry['cpu_ratio']:.2f} | {entry['peak_mib']:.0f} |")
            first = "| | "
    if 100_000 in results:
        entry = results[100_000]["gapmap"]
        verdict = "met" if entry["ratio"] <= GOAL_RATIO_100K else "not met"
        lines += ["", "| goal | measured | |", "|---|---|---|",
                  f"| command line ≤ {GOAL_RATIO_100K}× the floor at 100,000 rows | {entry['ratio']:.2f}× "
                  f"({entry['cpu_ratio']:.2f}× in CPU time) | {verdict} |"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    results = {rows: run(rows, args.runs) for rows in sorted(args.rows)}
    print(report(results, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
