"""Roadmap benchmark: an organisation of 500 units × 78 practices (39,000 rows) with random gaps.

Times, as the median of several runs, building the roadmap from the normalized assessment and writing
it as formula-safe CSV. Goal: well under a second for both together.

    .venv/bin/python bench/bench_roadmap.py [--units 500] [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import maturity  # noqa: E402


def organisation(units: int, seed: int = 7) -> maturity.Assessment:
    """An assessment of ``units`` units, each scoring every rubric practice, with random current/target."""
    rubric = maturity.load_rubric("cdmm")
    practices = [(d.name, p.label) for d in rubric.dimensions for p in d.practices]
    generator = np.random.default_rng(seed)
    rows = units * len(practices)
    current = generator.integers(1, 6, rows)
    target = np.minimum(5, current + generator.integers(0, 4, rows))
    cells = pd.DataFrame(
        {
            0: np.repeat([f"Unit {u:03d}" for u in range(units)], len(practices)),
            1: [d for d, _ in practices] * units,
            2: [p for _, p in practices] * units,
            3: current.astype(object),
            4: target.astype(object),
            5: generator.choice(["High", "Medium", "Low"], rows),
            6: generator.choice(["S", "M", "L"], rows),
        },
        dtype=object,
    )
    header = pd.DataFrame([["Unit", "Dimension", "Practice", "Current", "Target", "Priority", "Effort"]], dtype=object)
    sheet = maturity.RawSheet("Assessment", pd.concat([header, cells], ignore_index=True))
    workbook = maturity.RawWorkbook("organisation.xlsx", "xlsx", (sheet,))
    return maturity.normalize(workbook, maturity.detect_layout(workbook, rubric), rubric)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    assessment = organisation(args.units)
    rubric = maturity.load_rubric("cdmm")
    build, write = [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        roadmap = maturity.build_roadmap(assessment, rubric)
        middle = time.perf_counter()
        data = maturity.to_csv_bytes(roadmap)
        build.append(middle - start)
        write.append(time.perf_counter() - middle)
    print(f"{args.units} units, {len(assessment.normalized):,} rows → {len(roadmap):,} roadmap steps, "
          f"{len(data) / 1e6:.1f} MB CSV; median of {args.runs} runs")
    print(f"build roadmap  {statistics.median(build) * 1000:8.1f} ms")
    print(f"write CSV      {statistics.median(write) * 1000:8.1f} ms")
    print(f"together       {statistics.median(b + w for b, w in zip(build, write, strict=True)) * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
