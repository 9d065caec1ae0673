"""A delivery metrics table → one row per unit (and period) with DORA's metrics in one unit each, and a
problems table.

The file goes through the same reader, limits and notes as an assessment (``maturity.read_workbook``).
A sheet holds a metrics table when one of its first rows names a unit column ('Team', 'Service',
'Application') and at least one metric ('Deployment frequency', 'Lead time (days)', 'MTTR'); an
optional period column ('As of', 'Quarter') makes it several readings per unit, over time. Every
non-blank row below the header either becomes a row of the table or a problem naming its sheet, row,
cell, column, value and why; a cell that cannot be read leaves its metric empty on that row, named by
a problem and by the row's ``unread`` column, so nothing is guessed and nothing is dropped.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..columns import column_letter
from ..distinct import map_distinct_pairs
from ..errors import NoDataError
from ..layout import column_role
from ..layout.model import HEADER_SEARCH_ROWS
from ..levels import cell_text, is_blank
from ..reader import Limits, RawSheet, read_workbook
from ..rubric import match_key
from ..vocabulary import summary_words
from .parse import HeaderUnit, parse_header, parse_value
from .words import METRICS, period_phrases, unit_phrases

__all__ = ["METRIC_COLUMNS", "PROBLEM_COLUMNS", "TABLE_COLUMNS", "MetricsTable", "latest", "parse_period",
           "read_metrics", "read_metrics_workbook"]

# The column of each metric in the table, in its one unit.
METRIC_COLUMNS = {
    "deployment_frequency": "deployment_frequency_per_day",
    "change_lead_time": "change_lead_time_hours",
    "change_fail_rate": "change_fail_rate",
    "recovery_time": "recovery_time_hours",
    "deployment_rework_rate": "deployment_rework_rate",
}
TABLE_COLUMNS = ("unit", "period", "period_start", *METRIC_COLUMNS.values(), "unread", "source_sheet", "source_row")
PROBLEM_COLUMNS = ("source_sheet", "source_row", "cell", "column", "value", "problem")  # as an assessment's
_MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"], 1)}


@dataclass(frozen=True)
class MetricsTable:
    """A metrics file read: ``table`` (:data:`TABLE_COLUMNS`, one row per unit and period), ``problems``
    (:data:`PROBLEM_COLUMNS`), the header each metric was read from, and notes on how it was read."""

    table: pd.DataFrame
    problems: pd.DataFrame
    filename: str
    headers: dict[str, str] = field(default_factory=dict)  # metric → 'Sheet!B1 Lead time (days)'
    notes: tuple[str, ...] = ()

    @property
    def has_periods(self) -> bool:
        """Whether the table gives a period per row (so a unit may have several readings over time)."""
        return bool(self.table["period"].notna().any())

    @property
    def metrics(self) -> tuple[str, ...]:
        """The metrics the file has a column for, in DORA's order."""
        return tuple(m for m in METRICS if m in self.headers)

    def summary(self) -> str:
        """One line for people: units and rows read, rows with problems."""
        units = self.table["unit"].nunique()
        rows = len(self.problems[["source_sheet", "source_row"]].drop_duplicates())
        return (f"{self.filename}: {len(self.table)} rows of delivery metrics for {units} unit{'s' * (units != 1)}, "
                f"{rows} row{'s' * (rows != 1)} with problems")


@dataclass(frozen=True)
class _Header:
    row: int  # 0-based position in the sheet
    unit: int
    period: int | None
    metrics: dict[str, tuple[int, HeaderUnit]]
    problems: tuple[tuple[int, str], ...]  # (column, problem) of a header whose unit does not fit its metric
    notes: tuple[str, ...]


def read_metrics(source: bytes | str | os.PathLike, filename: str | None = None,
                 limits: Limits | None = None) -> MetricsTable:
    """Read a delivery metrics file (.xlsx, .ods, .csv; the bytes of an upload or a path).

    Returns a :class:`MetricsTable`. Raises what ``maturity.read_workbook`` raises for a file that cannot
    be used, and ``NoDataError`` when no sheet holds a metrics table (the message says what each lacks).
    """
    return read_metrics_workbook(read_workbook(source, filename, limits or Limits()))


def read_metrics_workbook(workbook) -> MetricsTable:
    """:func:`read_metrics` of raw sheets already read (a ``RawWorkbook``)."""
    tables, problems, headers, notes, missing = [], [], {}, list(workbook.notes), []
    for sheet in workbook.sheets:
        header = _find_header(sheet)
        if header is None:
            missing.append(_what_it_lacks(sheet))
            continue
        notes.extend(header.notes)
        table, sheet_problems = _read_sheet(sheet, header)
        tables.append(table)
        problems.append(sheet_problems)
        for metric, (column, _) in header.metrics.items():
            headers.setdefault(metric, f"{sheet.name}!{column_letter(column)}{header.row + 1} "
                                       f"{cell_text(sheet.cells.iat[header.row, column])}")
    if not tables:
        raise NoDataError(f"{workbook.filename}: found no delivery metrics table. A table needs a unit column "
                          "(Team, Service, Application…) and at least one of deployment frequency, lead time, change "
                          f"fail rate, recovery time (MTTR) or rework rate in its header row; {'; '.join(missing)}")
    table = pd.concat(tables, ignore_index=True)
    found = pd.concat(problems, ignore_index=True)
    table, duplicates = _duplicates(table)
    found = pd.concat([found, duplicates], ignore_index=True) if len(duplicates) else found
    found = found.sort_values(["source_sheet", "source_row"], kind="stable").reset_index(drop=True)
    return MetricsTable(table[list(TABLE_COLUMNS)].reset_index(drop=True), found[list(PROBLEM_COLUMNS)],
                        workbook.filename, headers, tuple(notes))


def _is_unit_header(value: object) -> bool:
    text = cell_text(value)
    return bool(text) and (column_role(text) == "unit" or match_key(text) in unit_phrases())


def _find_header(sheet: RawSheet) -> _Header | None:
    head = sheet.cells.iloc[:HEADER_SEARCH_ROWS]
    for position in range(len(head)):
        row = head.iloc[position].tolist()
        unit = next((i for i, v in enumerate(row) if _is_unit_header(v)), None)
        metrics: dict[str, tuple[int, HeaderUnit]] = {}
        problems, notes = [], []
        for index, value in enumerate(row):
            metric, unit_given, problem = parse_header(value)
            if metric is None:
                continue
            if metric in metrics:
                notes.append(f"sheet {sheet.name!r}: column {column_letter(index)} ({cell_text(value)}) also names "
                             f"{metric.replace('_', ' ')}: only column {column_letter(metrics[metric][0])} is read")
                continue
            metrics[metric] = (index, unit_given)
            if problem:
                problems.append((index, problem))
        if unit is None or not metrics:
            continue
        period = next((i for i, v in enumerate(row) if i != unit and cell_text(v)
                       and match_key(cell_text(v)) in period_phrases()), None)
        return _Header(position, unit, period, metrics, tuple(problems), tuple(notes))
    return None


def _what_it_lacks(sheet: RawSheet) -> str:
    head = sheet.cells.iloc[:HEADER_SEARCH_ROWS]
    if head.empty:
        return f"sheet {sheet.name!r} is empty"
    best = max(range(len(head)), key=lambda p: sum(isinstance(v, str) and bool(v.strip()) for v in head.iloc[p]))
    row = head.iloc[best].tolist()
    titles = [cell_text(v) for v in row if cell_text(v)][:6]
    has_unit = any(_is_unit_header(v) for v in row)
    has_metric = any(parse_header(v)[0] for v in row)
    lacks = "unit column" if has_metric else ("metric column" if has_unit else "unit column or metric column")
    return f"sheet {sheet.name!r} row {best + 1} ({', '.join(titles) or 'no titles'}) has no {lacks}"


def _read_sheet(sheet: RawSheet, header: _Header) -> tuple[pd.DataFrame, pd.DataFrame]:
    cells = sheet.cells
    body = cells.iloc[header.row + 1:]
    used = [header.unit, *(c for c, _ in header.metrics.values())] + ([header.period] if header.period is not None
                                                                       else [])
    used = [c for c in used if c < cells.shape[1]]
    blank = body[used].map(is_blank).all(axis=1) if len(body) else pd.Series(dtype=bool)
    body = body[~blank.to_numpy()] if len(body) else body
    excel_row = pd.Series(body.index.to_numpy() + 1, index=body.index)
    issues: list[pd.DataFrame] = []

    def problem(column: int, mask: pd.Series, values: pd.Series, why: pd.Series | str) -> None:
        if not mask.any():
            return
        rows = excel_row[mask]
        shown = values[mask].map(lambda v: "" if is_blank(v) else (cell_text(v) or ""))
        issues.append(pd.DataFrame({
            "source_sheet": sheet.name, "source_row": rows.astype("Int64").to_numpy(),
            "cell": [f"{column_letter(column)}{r}" for r in rows],
            "column": cell_text(cells.iat[header.row, column]) or "",
            "value": shown.to_numpy(), "problem": why[mask].to_numpy() if isinstance(why, pd.Series) else why}))

    for column, why in header.problems:  # the header's own unit does not fit: said once, on the header cell
        issues.append(pd.DataFrame({"source_sheet": [sheet.name], "source_row": pd.array([header.row + 1], "Int64"),
                                    "cell": [f"{column_letter(column)}{header.row + 1}"],
                                    "column": [cell_text(cells.iat[header.row, column]) or ""],
                                    "value": [cell_text(cells.iat[header.row, column]) or ""], "problem": [why]}))

    units_raw = body[header.unit] if header.unit < cells.shape[1] else pd.Series(None, index=body.index, dtype=object)
    unit = units_raw.map(cell_text)
    bad_row = pd.Series(False, index=body.index)
    empty_unit = unit.isna()
    problem(header.unit, empty_unit, units_raw, "unit is empty: the metrics on this row belong to no unit")
    summary = unit.map(lambda u: u is not None and match_key(u) in summary_words())
    problem(header.unit, summary, units_raw, "a summary row (an average or a total), not a unit: not read")
    bad_row |= empty_unit | summary

    frame = pd.DataFrame({"unit": unit, "source_sheet": sheet.name, "source_row": excel_row.astype("Int64")})
    if header.period is not None:
        period_raw = body[header.period]
        label, start, why = map_distinct_pairs(period_raw, parse_period, 3)
        failed = why.notna() & ~bad_row
        problem(header.period, failed, period_raw, why)
        bad_row |= failed
        frame["period"], frame["period_start"] = label, pd.to_datetime(start)
    else:
        frame["period"], frame["period_start"] = None, pd.NaT
    unread = pd.Series([[] for _ in range(len(body))], index=body.index, dtype=object)
    for metric, name in METRIC_COLUMNS.items():
        if metric not in header.metrics:
            frame[name] = np.nan
            continue
        column, unit_given = header.metrics[metric]
        raw = body[column]
        value, why = map_distinct_pairs(raw, lambda v, k=METRICS[metric], u=unit_given: parse_value(v, k, u))
        failed = why.notna() & ~bad_row
        problem(column, failed, raw, why)
        for position in np.flatnonzero(failed.to_numpy()):
            unread.iat[position] = [*unread.iat[position], metric]
        frame[name] = pd.to_numeric(value, errors="coerce").astype(float).round(6)  # 0.3 days: 7.2 hours, not 7.1999…
    frame["unread"] = unread.map(", ".join).replace("", None)
    found = pd.concat(issues, ignore_index=True) if issues else pd.DataFrame(columns=list(PROBLEM_COLUMNS))
    return frame[~bad_row.to_numpy()], found


def _duplicates(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows naming a unit (and period) an earlier row already gave: kept out, each a problem naming that row."""
    key = pd.DataFrame({"unit": table["unit"].map(match_key), "period": table["period_start"]})
    repeated = key.duplicated(keep="first")
    if not repeated.any():
        return table, pd.DataFrame(columns=list(PROBLEM_COLUMNS))
    first = key[~repeated].reset_index().set_index(["unit", "period"])["index"]
    rows = []
    for position in np.flatnonzero(repeated.to_numpy()):
        earlier = table.iloc[first.loc[(key.iat[position, 0], key.iat[position, 1])]]
        again = table.iloc[position]
        when = f" for period {again['period']}" if again["period"] is not None else ""
        fix = "" if again["period"] is not None else " (a period column keeps several readings of one unit)"
        rows.append({"source_sheet": again["source_sheet"], "source_row": again["source_row"], "cell": "",
                     "column": "", "value": again["unit"],
                     "problem": f"unit {again['unit']!r}{when} is already given on {earlier['source_sheet']} row "
                                f"{earlier['source_row']}: this row is not read{fix}"})
    return table[~repeated.to_numpy()], pd.DataFrame(rows, columns=list(PROBLEM_COLUMNS))


def parse_period(value: object) -> tuple[str | None, dt.date | None, str | None]:
    """Read a period cell: a date, '2026-03-31', '2026-03', 'Mar 2026', '2026-Q1', 'Q1 2026' or '2026'.

    Returns ``(label, start, None)``, the label as the period is shown and ``start`` the day it begins
    (the date itself for a date); ``(None, None, problem)`` for anything else, a blank included.
    """
    expected = "expected a date or a period: 2026-03-31, 2026-03, Mar 2026, 2026-Q1, Q1 2026 or 2026"
    if is_blank(value):
        return None, None, f"the period is empty: {expected}"
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), value.date(), None
    if isinstance(value, dt.date):
        return value.isoformat(), value, None
    if isinstance(value, float) and value.is_integer() and 1990 <= value <= 2100:
        return str(int(value)), dt.date(int(value), 1, 1), None
    text = " ".join(str(value).split())
    folded = text.lower()
    try:
        if found := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[ t]00:00:00)?", folded):
            day = dt.date(int(found[1]), int(found[2]), int(found[3]))
            return day.isoformat(), day, None
        if found := re.fullmatch(r"(\d{4})[-/](\d{1,2})", folded):
            return f"{found[1]}-{int(found[2]):02d}", dt.date(int(found[1]), int(found[2]), 1), None
        if found := re.fullmatch(r"(\d{4})\s*-?\s*q([1-4])|q([1-4])\s*-?\s*(\d{4})", folded):
            year, quarter = (found[1], found[2]) if found[1] else (found[4], found[3])
            return f"{year}-Q{quarter}", dt.date(int(year), 3 * int(quarter) - 2, 1), None
        if (found := re.fullmatch(r"([a-z]{3})[a-z]*\.?\s+(\d{4})", folded)) and found[1] in _MONTHS:
            return f"{found[2]}-{_MONTHS[found[1]]:02d}", dt.date(int(found[2]), _MONTHS[found[1]], 1), None
        if re.fullmatch(r"\d{4}", folded) and 1990 <= int(folded) <= 2100:
            return folded, dt.date(int(folded), 1, 1), None
    except ValueError:
        pass
    return None, None, expected


def latest(table: pd.DataFrame) -> pd.DataFrame:
    """Each unit's latest reading of ``table`` (its only one, without periods), units in first-seen order."""
    if table["period_start"].isna().all():
        return table.reset_index(drop=True)
    order = {u: i for i, u in enumerate(pd.unique(table["unit"]))}
    ranked = table.assign(_order=table["unit"].map(order)).sort_values(["_order", "period_start"], kind="stable")
    return ranked.groupby("_order", sort=True).tail(1).drop(columns="_order").reset_index(drop=True)
