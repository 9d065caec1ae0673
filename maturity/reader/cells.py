"""Raw sheets, and reading them with python-calamine once the guards have passed.

calamine's errors (and its Rust panics) become ``GapmapError``s; the Excel error cells it drops
(``#REF!``, ``#N/A``…), found by the worksheet scan, are put back as their text.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import python_calamine

from ..errors import CorruptFileError, EncryptedWorkbookError
from .limits import Limits, _raise_too_many_sheets, _short

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class RawSheet:
    """One sheet as a grid of raw cell values.

    ``cells`` has ``header=None`` semantics: dtype object, columns ``0..n-1``, index ``0..m-1``, and
    ``cells.index[i] + 1`` is the row number Excel shows (or the CSV line number). Leading blank rows
    and columns are kept, so those numbers are true.
    """

    name: str
    cells: pd.DataFrame
    hidden: bool = False  # hidden or very hidden in the workbook


@dataclass(frozen=True)
class RawWorkbook:
    """Every sheet of one file, plus notes a user should know about how it was read."""

    filename: str
    kind: str  # "xlsx" | "ods" | "csv"
    sheets: tuple[RawSheet, ...]
    notes: tuple[str, ...] = ()  # e.g. "decoded as cp1252", "sheet 'X' is hidden"


def _calamine(call: Callable[[], object], name: str) -> object:
    try:
        return call()
    except python_calamine.PasswordError as exc:
        raise EncryptedWorkbookError(
            f"{name} is password-protected: remove the password, save, and upload it again"
        ) from exc
    except (python_calamine.CalamineError, ValueError, OverflowError, UnicodeError) as exc:
        raise CorruptFileError(
            f"{name} could not be read ({_short(exc)}): open it in Excel or LibreOffice, save it again and upload"
            " the new file"
        ) from exc
    except BaseException as exc:
        if type(exc).__name__ == "PanicException":  # a Rust panic inside calamine, raised as BaseException
            raise CorruptFileError(
                f"{name} could not be read (the spreadsheet reader gave up on it): open it in Excel or"
                " LibreOffice, save it again and upload the new file"
            ) from exc
        raise


def _read_with_calamine(
    data: bytes, name: str, kind: str, limits: Limits, errors: dict[str, dict[tuple[int, int], str]]
) -> RawWorkbook:
    workbook = _calamine(lambda: python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)), name)
    metadata = _calamine(lambda: workbook.sheets_metadata, name)
    if len(metadata) > limits.max_sheets:
        _raise_too_many_sheets(name, len(metadata), limits)
    sheets: list[RawSheet] = []
    notes: list[str] = []
    merged_sheets: list[str] = []
    for index, meta in enumerate(metadata):
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            notes.append(f"sheet '{meta.name}' is not a worksheet (a chart or macro sheet) and was skipped")
            continue
        sheet = _calamine(lambda index=index: workbook.get_sheet_by_index(index), name)
        with _collector_paused():
            rows = _calamine(lambda sheet=sheet: sheet.to_python(skip_empty_area=False), name)
            cells = _grid(rows, errors.get(meta.name, {}))
            del rows
        hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
        if hidden:
            notes.append(f"sheet '{meta.name}' is hidden in the workbook")
        merged = _calamine(lambda sheet=sheet: sheet.merged_cell_ranges, name) if kind == "xlsx" else None
        if merged:
            merged_sheets.append(f"'{meta.name}'")
        sheets.append(RawSheet(name=meta.name, cells=cells, hidden=hidden))
    if merged_sheets:  # one note for them all: merged cells are common and read as Excel shows them
        shown = ", ".join(merged_sheets[:3]) + (f" and {len(merged_sheets) - 3} more" if len(merged_sheets) > 3 else "")
        notes.append(f"merged cells on {'sheet' if len(merged_sheets) == 1 else 'sheets'} {shown}: each merged"
                     " range's value is read from its top-left cell")
    return RawWorkbook(filename=name, kind=kind, sheets=tuple(sheets), notes=tuple(notes))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a sheet's cells are built.

    A 100,000-row sheet is a list per row and a million cells, all alive until the grid is made and
    none in a reference cycle; each collection the allocations set off traverses every one of them
    again, for nothing (0.06 s of reading such a sheet). Reference counting still frees everything.
    Restored only if it was on: another thread reading at the same time, or a program that turned
    the collector off itself, finds it as it left it once every reader is done.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _grid(rows: list[list[object]], errors: dict[tuple[int, int], str]) -> pd.DataFrame:
    """The cells as an object DataFrame, empty texts as None, the error cells calamine dropped put back."""
    # pandas is imported here, not with the reader: the command line reads a file while it imports the
    # engine, and the guards and calamine need none of it.
    import numpy as np
    import pandas as pd

    width = len(rows[0]) if rows else 0
    if rows and all(len(row) == width for row in rows):  # calamine's grid and padded CSV rows are rectangles
        # One object array filled in C and masked at once: a quarter of DataFrame(rows).replace("", None)'s time.
        values = np.empty((len(rows), width), dtype=object)
        values[:] = rows
        values[values == ""] = None
        cells = pd.DataFrame(values, dtype=object, copy=False)  # dtype=object: no column is inferred as text
    else:
        cells = pd.DataFrame(rows, dtype=object)
        if cells.size:
            cells = cells.replace("", None)
    for (row, column), value in errors.items():
        if row < cells.shape[0] and column < cells.shape[1]:
            cells.iat[row, column] = value
    return cells
