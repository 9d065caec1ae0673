"""Roadmap benchmark: an organisation of 500 units × 78 practices (39,000 rows) with random gaps.

Times, as the median of several runs, building the roadmap from the normalized assessment and writing
it as formula-safe CSV (``maturity.to_csv_bytes``), next to pandas' own ``DataFrame.to_csv`` of the same
formula-safe frame (what ``to_csv_bytes`` did before, and the bytes it must still match), measured in
the same loop. Goal: well under a second for building and writing together.

    .venv/bin/python bench/bench_roadmap.py [--units 500] [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from organisation import organisation

import maturity

GOAL_SECONDS = 1.0


def _pandas_csv(roadmap) -> bytes:
    return maturity.formula_safe(roadmap).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def run(units: int, runs: int) -> dict[str, float]:
    """Measure; returns medians in seconds (``build``, ``csv``, ``together``, ``pandas_csv``) and sizes."""
    assessment = organisation(units)
    build, write, together, pandas_write = [], [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        roadmap = maturity.build_roadmap(assessment)
        middle = time.perf_counter()
        data = maturity.to_csv_bytes(roadmap)
        end = time.perf_counter()
        reference = _pandas_csv(roadmap)
        pandas_write.append(time.perf_counter() - end)
        if data != reference:
            raise AssertionError("to_csv_bytes no longer writes what pandas writes")
        build.append(middle - start)
        write.append(end - middle)
        together.append(end - start)
    return {
        "rows": len(assessment.normalized),
        "steps": len(roadmap),
        "csv_mb": len(data) / 1e6,
        "build": statistics.median(build),
        "csv": statistics.median(write),
        "together": statistics.median(together),
        "pandas_csv": statistics.median(pandas_write),
    }


def report(units: int, runs: int, result: dict[str, float]) -> str:
    """The result as a markdown table."""
    met = "met" if result["together"] < GOAL_SECONDS else "NOT met"
    return "\n".join([
        f"{units} units, {result['rows']:,} rows → {result['steps']:,} roadmap steps, "
        f"{result['csv_mb']:.1f} MB CSV; median of {runs} runs",
        "",
        "| step | ms |",
        "|---|---:|",
        f"| build the roadmap | {result['build'] * 1000:.0f} |",
        f"| write the CSV (`to_csv_bytes`) | {result['csv'] * 1000:.0f} |",
        f"| **together** (goal < {GOAL_SECONDS * 1000:.0f}: {met}) | **{result['together'] * 1000:.0f}** |",
        f"| for comparison: pandas `to_csv` of the same frame | {result['pandas_csv'] * 1000:.0f} "
        f"({result['pandas_csv'] / result['csv']:.1f}× `to_csv_bytes`) |",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    print(report(args.units, args.runs, run(args.units, args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
