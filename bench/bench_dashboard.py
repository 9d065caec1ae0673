"""Dashboard benchmark: the server-side time of each page's rerun after a filter change, with AppTest.

Each page of the dashboard runs in ``streamlit.testing.v1.AppTest`` (in st.navigation mode, as
tests/pages/conftest.py runs it), on the bundled sample and on a 500-unit organisation (39,000 rows,
uploaded through the real file uploader). After a warm-up, every measured rerun follows a change of a
sidebar filter, alternating the unit and the dimension filter through new values. The floor is a bare
page whose rerun also follows a filter change: a sidebar selectbox and one plotly chart drawn from a
5-row DataFrame, Streamlit's own cost for a page with one chart. Page and floor reruns alternate in
one loop, so both see the same machine. Each time is the script run on its own thread (app.py and the
page, widgets and elements included, as the server would run it), without AppTest reading the elements
back, and with each script compiled once, as a server does (AppTest alone would recompile every run).
Reported: the median time, and the median of the ratios of each page rerun to the floor rerun next
to it, twice: with every chart and figure built afresh (a view not seen before: the view caches are emptied
before each rerun) and with what a view drew before (the cycle of filter values comes round again,
and each chart and figure comes from ``pages/_ui/cache.py``'s cache).

Goal: every page ≤ 2× the floor on the sample and ≤ 5× on 500 units.

    .venv/bin/python bench/bench_dashboard.py [--units 500] [--runs 9]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest, app_test, local_script_runner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from organisation import write_workbook  # noqa: E402

from pages._ui import cache  # noqa: E402
from tests.pages.conftest import _NavigationOnly  # noqa: E402

PAGES = {
    "Overview": "pages/overview.py",
    "Compare units": "pages/compare.py",
    "Practice areas": "pages/practices.py",
    "Roadmap": "pages/roadmap.py",
    "Rubric": "pages/rubric.py",
}
GOALS = {"sample": 2.0, "organisation": 5.0}
FLOOR_PAGE = '''
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

rows = pd.DataFrame({"dimension": list("ABCDE"), "level": [1, 3, 2, 4, 3]})
choice = st.sidebar.selectbox("Dimension", ["", *rows["dimension"]], key="dimension_filter")
shown = rows if not choice else rows[rows["dimension"] == choice]
st.plotly_chart(go.Figure(go.Bar(x=shown["dimension"], y=shown["level"])))
'''


def _filter_changes(units: list[str]) -> list[tuple[str, str]]:
    """A cycle of sidebar changes, each a new value: the unit and the dimension filter in turn."""
    picks = [units[1 % len(units)], units[-1], ""]
    dimensions = ["build", "test", ""]
    return [change for pair in zip(
        (("dimension_filter", d) for d in dimensions), (("unit_filter", u) for u in picks), strict=True)
        for change in pair]


_SCRIPT_RUNS: list[float] = []


def _run_like_a_server() -> None:
    """Record how long each script run takes on its own thread: the server-side time, without AppTest
    reading the elements back. And compile each script once, as a server does: AppTest makes a new
    script cache for every run, so it would parse app.py and the page again on every rerun."""
    runner = local_script_runner.LocalScriptRunner
    if getattr(runner, "_bench_timed", False):
        return
    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared
    untimed = runner._run_script_thread

    def timed(self) -> None:
        start = time.perf_counter()
        try:
            untimed(self)
        finally:
            _SCRIPT_RUNS.append(time.perf_counter() - start)

    runner._run_script_thread = timed
    runner._bench_timed = True


def _rerun(at: AppTest, key: str, value: str, fresh: bool = False) -> float:
    """Change the sidebar filter ``key`` to ``value``, rerun, and return the script run's seconds;
    ``fresh``: with the figure caches emptied first, so every chart is built."""
    at.sidebar.selectbox(key=key).set_value(value)
    if fresh:
        cache.view.clear()
        cache.timeline.clear()
        cache.steps.clear()
    runs = len(_SCRIPT_RUNS)
    at.run()
    if at.exception:
        raise RuntimeError(f"the page raised: {[e.value for e in at.exception]}")
    if len(_SCRIPT_RUNS) != runs + 1:
        raise RuntimeError("expected exactly one script run per rerun")
    return _SCRIPT_RUNS[-1]


def measure(data: bytes | None, runs: int, floor_path: Path) -> tuple[dict[str, dict[str, float]], float | None]:
    """Per page and mode (built: every figure built; cached: the view's figures drawn before): median rerun
    seconds of the page and of the floor (interleaved), and their ratio."""
    app_test.PagesManager = _NavigationOnly  # what the autouse fixture of tests/pages does
    _run_like_a_server()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()
    load = None
    if data is not None:
        at.file_uploader[0].set_value(("organisation.xlsx", data, "application/octet-stream"))
        start = time.perf_counter()
        at.run()
        load = time.perf_counter() - start
        if at.exception or at.error:
            raise RuntimeError("the organisation could not be loaded")
    floor = AppTest.from_file(str(floor_path), default_timeout=60).run()
    units = [option for option in at.sidebar.selectbox(key="unit_filter").options if option]
    changes = _filter_changes(units)
    results = {}
    for title, script in PAGES.items():
        at.switch_page(script).run()
        for mode in ("built", "cached"):
            page_times, floor_times = [], []
            # Cached: one round of the cycle draws every view first, then the measured reruns come back to them.
            warm_up = 2 if mode == "built" else len(changes)
            for attempt in range(runs + warm_up):
                key, value = changes[attempt % len(changes)]
                page_time = _rerun(at, key, value, fresh=mode == "built")
                floor_time = _rerun(floor, "dimension_filter", ("A", "")[attempt % 2])
                if attempt >= warm_up:
                    page_times.append(page_time)
                    floor_times.append(floor_time)
            ratios = [page / bare for page, bare in zip(page_times, floor_times, strict=True)]
            results[f"{title}/{mode}"] = {"seconds": statistics.median(page_times),
                                          "floor": statistics.median(floor_times), "ratio": statistics.median(ratios)}
    return results, load


def report(sample: dict, organisation: dict, units: int, runs: int, load: float | None) -> str:
    """Both scenarios as one markdown table."""
    lines = [
        f"Median of {runs} reruns per page, each after a sidebar filter change; floor = a bare one-chart page "
        f"rerun in the same loop. Goal: ≤ {GOALS['sample']:.0f}× the floor on the sample, "
        f"≤ {GOALS['organisation']:.0f}× on {units} units.",
        "",
        f"| page | charts | sample ms | × floor | {units} units ms | × floor | goal |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for title in PAGES:
        for mode in ("built", "cached"):
            small, large = sample[f"{title}/{mode}"], organisation[f"{title}/{mode}"]
            met = [small["ratio"] <= GOALS["sample"], large["ratio"] <= GOALS["organisation"]]
            verdict = {(True, True): "met", (False, True): f"{units} units met, sample not",
                       (True, False): f"sample met, {units} units not"}.get(tuple(met), "not met")
            lines.append(f"| {title if mode == 'built' else ''} | {mode} | {small['seconds'] * 1000:.0f} | "
                         f"{small['ratio']:.1f} | {large['seconds'] * 1000:.0f} | {large['ratio']:.1f} | {verdict} |")
    floors = [r["floor"] for r in (*sample.values(), *organisation.values())]
    lines.append(f"| *floor (bare one-chart page)* | | *{statistics.median(floors) * 1000:.0f}* | *1.0* | | | |")
    if load is not None:
        lines += ["", f"Loading the {units}-unit workbook (upload, read, normalize, first Overview): {load:.1f} s."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args(argv)
    # "missing ScriptRunContext" warnings from widgets set outside a script run: noise here.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage())
    with tempfile.TemporaryDirectory() as folder:
        floor_path = Path(folder) / "floor_page.py"
        floor_path.write_text(FLOOR_PAGE)
        book = write_workbook(Path(folder) / "organisation.xlsx", args.units).read_bytes()
        sample, _ = measure(None, args.runs, floor_path)
        organisation, load = measure(book, args.runs, floor_path)
    print(report(sample, organisation, args.units, args.runs, load))
    return 0


if __name__ == "__main__":
    sys.exit(main())
