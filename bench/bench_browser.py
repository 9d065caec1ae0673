"""Browser benchmark: the dashboard in chromium (Playwright), against a bare one-chart Streamlit page.

Two servers run side by side, both started by ``serve()`` from tests/e2e/conftest.py with the
project's .streamlit/config.toml: the dashboard (``app.py``) and a floor page (a sidebar selectbox and
one plotly chart from a 5-row DataFrame). Every run opens a fresh browser context (a new Streamlit
session, nothing cached by the browser), the dashboard and the floor in rotating order, and measures:

* **landing**: from ``page.goto`` to the first plotly chart drawn (its SVG in the page), for the
  dashboard (the Overview of the bundled sample) and for the floor. Goal: ≤ 1.5× the floor.
* **upload**: on the dashboard's landing page, from handing a file to the uploader to a settled
  Overview (the script run over, the sidebar naming the file, the radar and the heatmap drawn): a
  small CSV (2 units) and the 500-unit organisation (39,000 rows, .xlsx). Each run uploads a
  workbook never seen before (another random seed), so nothing comes from the parse cache.

Each server gets one warm-up visit first (the first run of a fresh server imports and compiles).
Reported: medians, and the median of the per-run ratios to the floor's landing measured in that run.

    .venv/bin/python bench/bench_browser.py [--runs 5] [--units 500]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from organisation import write_workbook  # noqa: E402

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, IDLE, serve  # noqa: E402

GOAL = 1.5
RUNNING = '[data-testid="stApp"][data-test-script-state="running"]'
DRAWN = ".js-plotly-plot .main-svg"
FLOOR_PAGE = '''
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

rows = pd.DataFrame({"dimension": list("ABCDE"), "level": [1, 3, 2, 4, 3]})
choice = st.sidebar.selectbox("Dimension", ["", *rows["dimension"]], key="dimension_filter")
shown = rows if not choice else rows[rows["dimension"] == choice]
st.plotly_chart(go.Figure(go.Bar(x=shown["dimension"], y=shown["level"])))
'''
SMALL_CSV = (
    "Team;Category;Capability;As-Is;To-Be\n"
    "Mobile;Culture & Organization;Stable teams;Beginner;4\nMobile;Build & Deploy;Scripted builds;2;Advanced\n"
    "Mobile;Test & Verification;Automatic unit tests;Base;3\nPlatform;Culture & Organization;Stable teams;3;Expert\n"
    "Platform;Build & Deploy;Scripted builds;Intermediate;5\nPlatform;Test & Verification;Automatic unit tests;3;4\n"
)


def _landing(browser, url: str) -> float:
    """Seconds from navigation to the first chart drawn, in a fresh browser context."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(120_000)
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_selector(DRAWN)
        return time.perf_counter() - start
    finally:
        context.close()


def _upload(browser, url: str, path: Path) -> float:
    """Seconds from giving ``path`` to the uploader to a settled Overview, in a fresh browser context."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(300_000)
        page.goto(url)
        page.wait_for_selector(IDLE)
        page.wait_for_selector(DRAWN)
        start = time.perf_counter()
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
        with contextlib.suppress(Exception):  # the run may be over before we look
            page.wait_for_selector(RUNNING, timeout=2_000)
        page.wait_for_selector(IDLE)
        page.locator('[data-testid="stSidebar"]').get_by_text(f"Your file: {path.name}").wait_for()
        page.wait_for_function(f"document.querySelectorAll('{DRAWN}').length >= 2")
        return time.perf_counter() - start
    finally:
        context.close()


def measure(runs: int, units: int, folder: Path) -> dict[str, list[float]]:
    """Per measurement, the list of seconds of every run (and per-run ratios to the floor's landing)."""
    from playwright.sync_api import sync_playwright

    floor_path = folder / "floor_page.py"
    floor_path.write_text(FLOOR_PAGE)
    small = folder / "two teams.csv"
    small.write_text(SMALL_CSV, encoding="utf-8")
    books = [write_workbook(folder / f"organisation {run + 1}.xlsx", units, seed=100 + run) for run in range(runs)]
    times: dict[str, list[float]] = {k: [] for k in ("floor", "landing", "small", "large")}
    ratios: dict[str, list[float]] = {k: [] for k in ("landing", "small", "large")}
    with serve() as app_url, serve(script=floor_path) as floor_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            # Warm-up: a fresh server imports and compiles on its first runs.
            _landing(browser, app_url)
            _landing(browser, floor_url)
            _upload(browser, app_url, small)
            for run in range(runs):
                order = [("floor", floor_url), ("landing", app_url)]
                for name, url in order[run % 2:] + order[:run % 2]:
                    times[name].append(_landing(browser, url))
                times["small"].append(_upload(browser, app_url, small))
                times["large"].append(_upload(browser, app_url, books[run]))
                for name in ratios:
                    ratios[name].append(times[name][-1] / times["floor"][-1])
        finally:
            browser.close()
    return {**times, **{f"{name}_ratio": values for name, values in ratios.items()}}


def report(result: dict[str, list[float]], runs: int, units: int) -> str:
    """The result as a markdown table."""
    median = statistics.median
    landing_met = "met" if median(result["landing_ratio"]) <= GOAL else "not met"
    rows = [
        ("Floor: bare one-chart page, navigation → chart drawn", median(result["floor"]), 1.0, ""),
        ("Landing: Overview of the sample, navigation → first chart drawn", median(result["landing"]),
         median(result["landing_ratio"]), f"≤ {GOAL}×: {landing_met}"),
        ("Upload a 2-unit CSV → settled Overview", median(result["small"]), median(result["small_ratio"]), "report"),
        (f"Upload the {units}-unit workbook (39,000 rows) → settled Overview", median(result["large"]),
         median(result["large_ratio"]), "report"),
    ]
    lines = [f"Median of {runs} runs, each in a fresh browser context; ratios are per run, to the floor's landing "
             "measured in the same run.", "", "| measurement | seconds | × floor | goal |", "|---|---:|---:|---|"]
    lines += [f"| {name} | {seconds:.2f} | {ratio:.2f} | {goal} |" for name, seconds, ratio, goal in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--units", type=int, default=500)
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: install Debian's chromium (make browser) to run this benchmark")
        return 1
    with tempfile.TemporaryDirectory() as folder:
        result = measure(args.runs, args.units, Path(folder))
    print(report(result, args.runs, args.units))
    return 0


if __name__ == "__main__":
    sys.exit(main())
