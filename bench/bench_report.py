"""Steering pack benchmark: the pack of a 500-unit organisation (500 units × 78 practices, 39,000 rows).

Times, as the median of several runs, building the pack's content (``maturity.report.build_pack``:
the roadmap, the figures, 20 heatmap pages, the tables) and writing it: as one HTML file, and as a
PowerPoint deck with its 22 chart pictures drawn by kaleido in Debian's chromium (browser start
included, as the command line pays it). Goal: each whole pack (build and write) under 20 seconds.

    .venv/bin/python bench/bench_report.py [--units 500] [--runs 3]
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

from maturity.report import build_pack, pack_bytes
from maturity.report.images import render
from maturity.report.pptx import deck_bytes

GOAL_SECONDS = 20.0


def run(units: int, runs: int) -> dict[str, float]:
    """Measure; returns medians in seconds (``build``, ``html``, ``pictures``, ``deck``) and the totals."""
    assessment = organisation(units)
    times: dict[str, list[float]] = {"build": [], "html": [], "pictures": [], "deck": []}
    for _ in range(runs):
        start = time.perf_counter()
        pack = build_pack(assessment)
        built = time.perf_counter()
        page = pack_bytes(pack, "html")
        written = time.perf_counter()
        pictures = render([chart.figure for chart in pack.charts])
        drawn = time.perf_counter()
        deck = deck_bytes(pack, pictures)
        done = time.perf_counter()
        if pictures.reason:
            raise SystemExit(pictures.reason)
        for name, seconds in (("build", built - start), ("html", written - built), ("pictures", drawn - written),
                              ("deck", done - drawn)):
            times[name].append(seconds)
    medians = {name: statistics.median(values) for name, values in times.items()}
    medians["html_pack"] = medians["build"] + medians["html"]
    medians["pptx_pack"] = medians["build"] + medians["pictures"] + medians["deck"]
    medians.update(charts=len(pack.charts), html_mb=len(page) / 1e6, pptx_mb=len(deck) / 1e6)
    return medians


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    result = run(args.units, args.runs)
    print(f"{args.units} units, {int(result['charts'])} charts, median of {args.runs} runs\n")
    print("| step | seconds |\n|---|---:|")
    for name, what in (("build", "build_pack (content, figures)"), ("html", "write HTML"),
                       ("pictures", "draw the pictures (kaleido, chromium)"), ("deck", "write the deck (python-pptx)")):
        print(f"| {what} | {result[name]:.2f} |")
    print(f"| **HTML pack** ({result['html_mb']:.1f} MB) | **{result['html_pack']:.2f}** |")
    print(f"| **PowerPoint pack** ({result['pptx_mb']:.1f} MB) | **{result['pptx_pack']:.2f}** |")
    met = result["pptx_pack"] < GOAL_SECONDS and result["html_pack"] < GOAL_SECONDS
    print(f"\ngoal: each pack < {GOAL_SECONDS:.0f} s: {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
