"""Run the benchmarks one after another, each in its own interpreter, and print their tables.

    make bench                                   # or: .venv/bin/python bench/run_all.py
    .venv/bin/python bench/run_all.py --only roadmap dashboard

Modest defaults keep the whole run near ten minutes on a 2-core machine; each benchmark runs alone
with more options (``--help``), e.g. ``bench/bench_import.py --rows 1000000`` for a million rows.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = {
    "import": ("Import: gapmap against pandas, 1k–100k rows", ["bench_import.py", "--runs", "3"]),
    "cli": ("Command line end to end: normalize, 10k and 100k rows", ["bench_cli.py", "--runs", "5"]),
    "roadmap": ("Roadmap: 500 units × 78 practices", ["bench_roadmap.py", "--runs", "7"]),
    "dashboard": ("Dashboard reruns (AppTest), sample and 500 units", ["bench_dashboard.py", "--runs", "9"]),
    "browser": ("Browser (chromium): landing and upload", ["bench_browser.py", "--runs", "5"]),
    "store": ("Store: 500 units × 78 practices × 12 snapshots, SQLite and PostgreSQL",
              ["bench_store.py", "--runs", "5"]),
    "history": ("History page rerun: 500 units × 78 practices × 12 snapshots", ["bench_history.py", "--runs", "9"]),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS), default=list(BENCHMARKS))
    args = parser.parse_args(argv)
    failed = []
    for name in args.only:
        title, command = BENCHMARKS[name]
        print(f"\n## {title}\n", flush=True)
        start = time.perf_counter()
        result = subprocess.run([sys.executable, str(HERE / command[0]), *command[1:]], cwd=HERE.parent)
        print(f"\n({name}: {time.perf_counter() - start:.0f} s)", flush=True)
        if result.returncode:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
