"""``python -m maturity dora INPUT [--year 2024] [--out tiers.csv] [--errors problems.csv]``: a delivery
metrics table placed in DORA's performance clusters of a report year, one row per unit.

The CSV has exactly :data:`CSV_COLUMNS` (a metric not given is empty, and its tier too); with a
period column, each unit's latest reading is written. Problems go to ``--errors`` as the assessment
commands write them, and a one-line summary to stderr; a file that cannot be used is one ``error:``
line and exit status 2 (``maturity.__main__`` catches the ``GapmapError`` raised here).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli_output import emit as _emit
from ..cli_output import say as _say

__all__ = ["CSV_COLUMNS", "add_parser", "run"]

CSV_COLUMNS = ("unit", "deployment_frequency_per_day", "change_lead_time_hours", "change_fail_rate",
               "recovery_time_hours", "deployment_rework_rate", "deployment_frequency_tier", "change_lead_time_tier",
               "change_fail_rate_tier", "recovery_time_tier", "tier", "year")


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``dora`` subcommand to ``commands`` (the command line's subparsers)."""
    command = commands.add_parser("dora", help="place a delivery metrics table (DORA's metrics per unit) in a report "
                                               "year's performance clusters; write the tiers as CSV")
    command.add_argument("input", type=Path, help="delivery metrics: .xlsx, .xlsm, .ods or .csv, one row per unit")
    command.add_argument("--year", metavar="YEAR",
                         help="the DORA report whose clusters to use (default: the latest gapmap has)")
    command.add_argument("--out", type=Path, help="tiers CSV (default: stdout)")
    command.add_argument("--errors", type=Path, help="problems CSV: sheet, row, cell, column, value, problem")
    return command


def run(args: argparse.Namespace) -> int:
    """Run ``dora`` with parsed ``args``; returns the exit status. Raises ``GapmapError`` for unusable input."""
    from ..errors import GapmapError
    from ..export import to_csv_bytes
    from .clusters import available_years, place
    from .read import latest, read_metrics

    years = available_years()
    if args.year is None:
        year = years[0]
    elif str(args.year).strip().isdigit() and int(args.year) in years:
        year = int(args.year)
    else:
        raise GapmapError(f"--year {args.year}: gapmap has DORA's cluster tables for {', '.join(map(str, years))}")
    if not args.input.is_file():
        raise GapmapError(f"{args.input}: no such file")
    metrics = read_metrics(args.input, args.input.name)
    for note in metrics.notes:
        _say(f"note: {note}")
    if args.errors is not None:
        _emit(to_csv_bytes(metrics.problems), args.errors)
    readings = latest(metrics.table)
    if metrics.has_periods:
        _say("note: the table gives periods: each unit's latest reading is written")
    placed = place(readings, year)
    _emit(to_csv_bytes(placed[list(CSV_COLUMNS)]), args.out)
    _say(f"{metrics.summary()}; placed in DORA's {year} clusters")
    if len(metrics.problems) and args.errors is None:
        _say("see the rows with problems with --errors problems.csv")
    return 0
