"""Store benchmark: an organisation of 500 units × 78 practices saved as 12 quarterly snapshots (468,000
rows), on SQLite and on PostgreSQL.

Times saving each snapshot (one transaction: the snapshot, its source, 39,000 rows; goal < 2 s), the
history query over all of them (snapshot × unit × area mean levels, computed in SQL; median of
several runs), a diff of the first and last snapshot, and reading one snapshot back whole. PostgreSQL
is ``--pg-url`` (or ``GAPMAP_BENCH_PG_URL``), else a temporary server started from the machine's
initdb and pg_ctl, else skipped.

    .venv/bin/python bench/bench_store.py [--units 500] [--snapshots 12] [--runs 5] [--backend sqlite postgresql]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from organisation import organisation

from maturity.store import Access, diff, history, list_snapshots, load_snapshot, open_store, save_snapshot

GOAL_SAVE_SECONDS = 2.0
ME = Access.of("bench@bank.example", {"bench": "editor"})  # a signed-in editor: the queries filter by workspace
QUARTERS = ("03-31", "06-30", "09-30", "12-31")


def _quarter(index: int) -> tuple[date, str]:
    year, quarter = 2024 + index // 4, index % 4
    return date.fromisoformat(f"{year}-{QUARTERS[quarter]}"), f"Q{quarter + 1} {year}"


def run(url: str, units: int, snapshots: int, runs: int) -> dict:
    """Save ``snapshots`` snapshots of ``units`` units at ``url``, then query; seconds and sizes."""
    store = open_store(url)
    saves = []
    rows = 0
    for index in range(snapshots):
        assessment = organisation(units, seed=index)  # each quarter's levels differ
        as_of, label = _quarter(index)
        start = time.perf_counter()
        save_snapshot(store, assessment, "Bench Bank", as_of, label, access=ME, workspace="bench")
        saves.append(time.perf_counter() - start)
        rows += len(assessment.normalized)
    queries = []
    for _ in range(runs):
        start = time.perf_counter()
        frame = history(store, "Bench Bank", access=ME)
        queries.append(time.perf_counter() - start)
    start = time.perf_counter()
    compared = diff(store, "Bench Bank", _quarter(0)[1], _quarter(snapshots - 1)[1], access=ME)
    diff_seconds = time.perf_counter() - start
    start = time.perf_counter()
    load_snapshot(store, int(list_snapshots(store, "Bench Bank", access=ME)["id"].iloc[0]), access=ME)
    load_seconds = time.perf_counter() - start
    store.engine.dispose()
    return {"rows": rows, "history_rows": len(frame), "diff_rows": len(compared), "saves": saves,
            "history": statistics.median(queries), "diff": diff_seconds, "load": load_seconds}


def report(backend: str, units: int, snapshots: int, runs: int, result: dict) -> str:
    saves = result["saves"]
    met = "met" if max(saves) < GOAL_SAVE_SECONDS else "NOT met"
    return "\n".join([
        f"**{backend}**: {units} units × 78 practices × {snapshots} snapshots = {result['rows']:,} rows; history "
        f"{result['history_rows']:,} rows, median of {runs} runs",
        "",
        "| step | s |",
        "|---|---:|",
        f"| save one snapshot (39,000 rows), median of {len(saves)} | {statistics.median(saves):.2f} |",
        f"| save, slowest (goal < {GOAL_SAVE_SECONDS:.0f}: {met}) | {max(saves):.2f} |",
        f"| history over every snapshot (SQL GROUP BY) | {result['history']:.2f} |",
        f"| diff of the first and last snapshot ({result['diff_rows']:,} unit × area rows) | {result['diff']:.2f} |",
        f"| read one snapshot back whole | {result['load']:.2f} |",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--snapshots", type=int, default=12)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--backend", nargs="+", choices=("sqlite", "postgresql"), default=["sqlite", "postgresql"])
    parser.add_argument("--pg-url", default=os.environ.get("GAPMAP_BENCH_PG_URL"),
                        help="a PostgreSQL server to create the benchmark's database on")
    args = parser.parse_args(argv)
    for backend in args.backend:
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                result = run(f"sqlite:///{folder}/gapmap.db", args.units, args.snapshots, args.runs)
            print(report("SQLite", args.units, args.snapshots, args.runs, result), "\n", flush=True)
            continue
        from tests.pg import TemporaryPostgres, drop_database, fresh_database, pg_bin

        server = None
        server_url = args.pg_url
        if not server_url:
            if pg_bin() is None:
                print("PostgreSQL: skipped (no --pg-url and no initdb on this machine)\n")
                continue
            server = TemporaryPostgres(pg_bin())
            server_url = server.start()
        try:
            url = fresh_database(server_url, "gapmap_bench")
            try:
                result = run(url, args.units, args.snapshots, args.runs)
            finally:
                drop_database(server_url, url)
            print(report("PostgreSQL", args.units, args.snapshots, args.runs, result), "\n", flush=True)
        finally:
            if server is not None:
                server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
