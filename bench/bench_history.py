"""History page benchmark: the History page's rerun for an organisation of 500 units × 78 practices saved as
12 snapshots (468,000 rows), against the one-chart floor of bench_dashboard.py.

The snapshots are saved in a temporary SQLite database (``GAPMAP_HOME``) first, as bench_store.py saves
them. Then the dashboard runs in ``streamlit.testing.v1.AppTest`` on the History page, and every measured
rerun follows a change of a sidebar filter, interleaved with a rerun of the floor page (a sidebar
selectbox and one plotly chart of 5 rows), timed as bench_dashboard.py times them (the script run on
its own thread, each script compiled once). Two modes: **queried**, the store's reads emptied before each
rerun (the history and trend queries over 468,000 rows run again: a page seen for the first time since
a snapshot was saved), and **cached**, the reruns a reader makes while looking (filters, the unit
picked), the snapshots' history read once for the set of snapshots the organisation has.

Goal: the cached rerun ≤ 5× the floor.

    .venv/bin/python bench/bench_history.py [--units 500] [--snapshots 12] [--runs 9]
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest, app_test

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_dashboard import FLOOR_PAGE, _rerun, _run_like_a_server  # noqa: E402
from bench_store import _quarter  # noqa: E402
from organisation import organisation  # noqa: E402

from maturity.store import DEFAULT_WORKSPACE, Access, open_store, save_snapshot  # noqa: E402
from pages._ui import database  # noqa: E402
from tests.pages.conftest import _NavigationOnly  # noqa: E402

GOAL = 5.0
ORGANISATION = "Bench Bank"


def fill(units: int, snapshots: int) -> list[float]:
    """Save ``snapshots`` snapshots of ``units`` units in the database ``GAPMAP_HOME`` points at; seconds each."""
    store = open_store()
    saves = []
    for index in range(snapshots):
        assessment = organisation(units, seed=index)
        as_of, label = _quarter(index)
        start = time.perf_counter()
        save_snapshot(store, assessment, ORGANISATION, as_of, label, access=Access.operator_named("bench"),
                      workspace=DEFAULT_WORKSPACE)  # as the command line saves; the page reads as the local user
        saves.append(time.perf_counter() - start)
    store.engine.dispose()
    return saves


def _clear_store_reads() -> None:
    for cached in (database._history, database._trend, database._diff, database._history_views,
                   database._unit_area_chart):
        cached.clear()


def measure(runs: int, floor_path: Path) -> dict[str, dict[str, float]]:
    """Per mode: median rerun seconds of the History page and of the floor (interleaved), and their ratio."""
    app_test.PagesManager = _NavigationOnly
    _run_like_a_server()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600).run()
    at.switch_page("pages/history.py").run()
    if at.exception or not at.get("plotly_chart"):
        raise RuntimeError(f"the History page failed: {[e.value for e in at.exception]}")
    floor = AppTest.from_file(str(floor_path), default_timeout=60).run()
    units = [option for option in at.sidebar.selectbox(key="unit_filter").options if option]
    changes = [("dimension_filter", "build"), ("unit_filter", units[1]), ("dimension_filter", ""),
               ("unit_filter", "")]
    results = {}
    for mode in ("queried", "cached"):
        page_times, floor_times = [], []
        for attempt in range(runs + 2):
            key, value = changes[attempt % len(changes)]
            if mode == "queried":
                _clear_store_reads()
            page_time = _rerun(at, key, value)
            floor_time = _rerun(floor, "dimension_filter", ("A", "")[attempt % 2])
            if attempt >= 2:
                page_times.append(page_time)
                floor_times.append(floor_time)
        ratios = [page / bare for page, bare in zip(page_times, floor_times, strict=True)]
        results[mode] = {"seconds": statistics.median(page_times), "floor": statistics.median(floor_times),
                         "ratio": statistics.median(ratios)}
    if len(at.get("plotly_chart")) != 2:
        raise RuntimeError("the History page drew no trend and area charts")
    return results


def report(results: dict, saves: list[float], units: int, snapshots: int, runs: int) -> str:
    lines = [
        f"History page, {units} units × 78 practices × {snapshots} snapshots ({units * 78 * snapshots:,} rows, "
        f"SQLite); median of {runs} reruns, each after a sidebar filter change; floor = a bare one-chart page "
        f"rerun in the same loop. Goal: cached ≤ {GOAL:.0f}× the floor.",
        "",
        "| History page | ms | × floor | goal |",
        "|---|---:|---:|---|",
    ]
    for mode, text in (("queried", "store queried again (first view since a save)"),
                       ("cached", "rerun while reading (cached)")):
        result = results[mode]
        verdict = ("met" if result["ratio"] <= GOAL else "not met") if mode == "cached" else "(no goal)"
        lines.append(f"| {text} | {result['seconds'] * 1000:.0f} | {result['ratio']:.1f} | {verdict} |")
    floor = statistics.median(r["floor"] for r in results.values())
    lines += [f"| *floor (bare one-chart page)* | *{floor * 1000:.0f}* | *1.0* | |", "",
              f"Saving the {snapshots} snapshots first: median {statistics.median(saves):.2f} s, slowest "
              f"{max(saves):.2f} s each."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--snapshots", type=int, default=12)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args(argv)
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage())
    with tempfile.TemporaryDirectory() as folder:
        os.environ["GAPMAP_HOME"] = folder
        os.environ.pop("GAPMAP_DATABASE_URL", None)
        floor_path = Path(folder) / "floor_page.py"
        floor_path.write_text(FLOOR_PAGE)
        saves = fill(args.units, args.snapshots)
        results = measure(args.runs, floor_path)
    print(report(results, saves, args.units, args.snapshots, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
