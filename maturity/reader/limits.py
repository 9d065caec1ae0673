"""The safety limits a file is read under, and the refusals more than one format shares.

``Limits`` holds the numbers; the functions here word what crossing one of them means (a sheet's
box of cells, its text once expanded, its number of sheets), whichever reader finds it, and
``_short`` trims a library's error to the line a refusal quotes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import LimitExceededError

_MIB = 1024**2
_HUGE = 1 << 62  # stands for "a number too large to matter"


@dataclass(frozen=True)
class Limits:
    """Safety limits for reading one file; the defaults suit a real assessment with room to spare."""

    max_file_bytes: int = 50 * 1024**2  # 50 MiB on disk
    max_inflated_bytes: int = 512 * 1024**2  # total uncompressed zip members actually inflated
    max_compression_ratio: int = 200  # per member, applied when the member inflates past 1 MiB
    max_sheets: int = 200
    max_rows: int = 1_100_000  # per sheet
    max_columns: int = 2_000  # per sheet
    max_cells: int = 10_000_000  # rows*columns of a sheet's bounding box: 1 M rows × 10 columns


def _short(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:120]


def _raise_too_many_sheets(name: str, count: int, limits: Limits) -> None:
    raise LimitExceededError(
        f"{name} has {count:,} sheets, over gapmap's limit of {limits.max_sheets:,}: copy the assessment sheets"
        " into a new workbook and upload that"
    )


def _check_box(name: str, sheet: str, rows: int, columns: int, limits: Limits) -> None:
    if rows > limits.max_rows or columns > limits.max_columns or rows * columns > limits.max_cells:
        shown_rows = f"{rows:,} row{'s' * (rows != 1)}" if rows < _HUGE // 2 else "billions of rows"
        shown_columns = f"{columns:,} column{'s' * (columns != 1)}" if columns < _HUGE // 2 else "billions of columns"
        # The scans stop at the first cell past a limit, so the box they report is a lower bound.
        raise LimitExceededError(
            f"{name}: sheet '{sheet}' spans at least {shown_rows} × {shown_columns} from A1 to its last filled"
            f" cell, over gapmap's limits ({limits.max_rows:,} rows, {limits.max_columns:,} columns,"
            f" {limits.max_cells:,} cells): delete stray cells far from the table (Ctrl+End shows the last one)"
            " and upload it again"
        )


def _raise_text_amplification(name: str, sheet: str, limits: Limits) -> None:
    raise LimitExceededError(
        f"{name}: sheet '{sheet}' repeats long texts so often that it would expand past"
        f" {limits.max_inflated_bytes / _MIB:,.0f} MiB of text: shorten the repeated texts and upload it again"
    )
