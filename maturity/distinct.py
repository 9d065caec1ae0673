"""Work per distinct value: how the engine turns a cell-by-cell rule into a column operation.

A gap analysis repeats itself: 100,000 rows hold a few dozen level spellings and a few hundred units
and practices. Each rule (read a level, fold a header, guard a formula) runs once per distinct value,
and the answers are spread back over the rows with one array take, so the cost follows the number of
distinct values, not of rows. ``pandas.factorize`` finds the distinct values in one hashing pass;
``Series.map(dict)`` would build and probe a second index, which costs more than most rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Factorized", "distinct_cells", "distinct_values", "map_distinct", "map_distinct_pairs"]


@dataclass(frozen=True, eq=False)
class Factorized:
    """A column whose distinct values were found once: ``distinct[codes[i]]`` stands for its row ``i``.

    Every function here takes one wherever it takes a Series, so a column read by several rules (a
    level column is parsed, then checked for "n/a") is hashed once, not once per rule. ``distinct``
    may repeat a value when it was derived from another column's (3 and 3.0 both shown as "3").
    """

    codes: np.ndarray
    distinct: np.ndarray  # object array
    index: pd.Index

    @classmethod
    def of(cls, values: pd.Series) -> Factorized:
        codes, distinct = distinct_values(values)
        array = np.empty(len(distinct), dtype=object)
        array[:] = distinct
        return cls(codes, array, values.index)

    def derive(self, function: Callable[[object], object]) -> Factorized:
        """The column of ``function``'s answers, called once per distinct value."""
        answers = np.empty(len(self.distinct), dtype=object)
        answers[:] = [function(value) for value in self.distinct]
        return Factorized(self.codes, answers, self.index)

    def rows(self, keep: np.ndarray) -> Factorized:
        """The rows where the boolean array ``keep`` is true."""
        return Factorized(self.codes[keep], self.distinct, self.index[keep])

    def mask(self, test: Callable[[object], bool]) -> np.ndarray:
        """A boolean per row: ``test`` of its value, called once per distinct value."""
        return np.fromiter((bool(test(v)) for v in self.distinct), dtype=bool, count=len(self.distinct))[self.codes]

    def is_none(self) -> np.ndarray:
        """A boolean per row: its value is None (a blank, once a rule has read the cells)."""
        return np.array([value is None for value in self.distinct], dtype=bool)[self.codes]

    def series(self) -> pd.Series:
        """The column as an object Series."""
        return pd.Series(self.distinct[self.codes], index=self.index, dtype=object)


def distinct_values(values: pd.Series | Factorized) -> tuple[np.ndarray, list[object]]:
    """``(codes, distinct)``: ``distinct[codes[i]]`` stands for ``values.iloc[i]``.

    Distinct means what ``pandas.unique`` means (``1`` and ``1.0`` are one value), and each missing
    marker (``None``, ``NaN``, ``pd.NA``, ``NaT``) is a distinct value of its own.
    """
    if isinstance(values, Factorized):
        return values.codes, list(values.distinct)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    distinct = list(uniques)
    missing = np.flatnonzero(codes == -1)
    if len(missing):
        cells = values.to_numpy(dtype=object)
        markers = pd.unique(cells[missing])
        if len(markers) == 1:
            codes[missing] = len(distinct)
            distinct.append(markers[0])
        else:  # several kinds of missing in one column (None and NaN): rare, so cell by cell
            own_code: dict[object, int] = {}
            for position in missing:
                marker = cells[position]
                kind = "NaN" if isinstance(marker, float) else type(marker)
                if kind not in own_code:
                    own_code[kind] = len(distinct)
                    distinct.append(marker)
                codes[position] = own_code[kind]
    return codes, distinct


def distinct_cells(values: pd.Series) -> list[object]:
    """The distinct cells of a column of raw cells, in the order they first appear, without codes.

    What ``pandas.unique`` finds, except that two NaN floats that are different objects stay two (a
    raw sheet's blanks are None, and callers skip blanks), in about half its time: Python's dict uses
    the hash each text keeps, where pandas' table for texts hashes each one's characters again.
    """
    return list(dict.fromkeys(values.to_numpy(dtype=object).tolist()))


def map_distinct(values: pd.Series | Factorized, function: Callable[[object], object]) -> pd.Series:
    """``values.map(function)`` as an object Series on ``values``' index, calling ``function`` once per
    distinct value; a ``None`` answer stays ``None``."""
    codes, distinct = distinct_values(values)
    answers = np.empty(len(distinct), dtype=object)
    for position, value in enumerate(distinct):
        answers[position] = function(value)
    return pd.Series(answers[codes], index=values.index, dtype=object)


def map_distinct_pairs(
    values: pd.Series | Factorized, function: Callable[[object], tuple[object, ...]], width: int = 2
) -> tuple[pd.Series, ...]:
    """Like :func:`map_distinct` for a ``function`` answering a tuple of ``width`` values: that many
    object Series."""
    codes, distinct = distinct_values(values)
    answers = [np.empty(len(distinct), dtype=object) for _ in range(width)]
    for position, value in enumerate(distinct):
        for column, answer in zip(answers, function(value), strict=True):
            column[position] = answer
    return tuple(pd.Series(column[codes], index=values.index, dtype=object) for column in answers)
