"""Values a snapshot keeps, to JSON and back: the layout corrections and target edits applied, the
layout and model choice of each file, and the normalized and problem frames as rows of plain values.

Frozen dataclasses (the Layout and what it holds) are written field by field and read back guided by
their type hints, never by a type name read from the database: a stored text can only ever make the
values gapmap's own classes declare. Frames keep their columns' order and dtypes, so a snapshot read
back compares equal to what was saved.
"""

from __future__ import annotations

import dataclasses
import json
import math
import types
import typing
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..corrections import Corrections
from ..layout import Layout

__all__ = ["AppliedCorrections", "corrections_from_dict", "corrections_to_dict", "decode", "encode"]


@dataclasses.dataclass(frozen=True)
class AppliedCorrections:
    """What the user said about how the files are read: the :class:`~maturity.corrections.Corrections`
    (sheets, header row, roles, scales), the default target of a file without targets, the area
    values assigned to a dimension (``Layout.area_choices``) and the model asked for (``auto``, ``own``,
    an id or a rubric file's name)."""

    corrections: Corrections = Corrections()  # noqa: RUF009 - frozen: one shared default is safe
    default_target: str | None = None
    areas: tuple[tuple[str, str], ...] = ()
    model: str | None = None

    @classmethod
    def of(cls, corrections: Corrections | None, layout: Layout | None = None, model: str | None = None):
        """The corrections given, with the default target and area choices ``layout`` was read with."""
        return cls(corrections or Corrections(), layout.default_target if layout else None,
                   tuple(sorted(layout.area_choices.items())) if layout else (), model)


def corrections_to_dict(applied: AppliedCorrections) -> dict[str, Any]:
    """``applied`` as a JSON-ready dict: every field of its Corrections (``sheets``, ``header_row``,
    ``roles``, ``scales``, ``pairs``…) beside ``default_target``, ``areas`` and ``model``."""
    return {**encode(applied.corrections), "default_target": applied.default_target,
            "areas": [list(a) for a in applied.areas], "model": applied.model}


def corrections_from_dict(data: Mapping[str, Any]) -> AppliedCorrections:
    """The inverse of :func:`corrections_to_dict`: missing keys take their defaults, and keys this
    gapmap's Corrections does not have (written by a newer one) are left out."""
    known = {f.name for f in dataclasses.fields(Corrections)}
    fix = decode(Corrections, {k: v for k, v in data.items() if k in known})
    return AppliedCorrections(fix, data.get("default_target"),
                              tuple((str(k), str(v)) for k, v in data.get("areas") or ()), data.get("model"))


# ---- frozen dataclasses, guided by their type hints ---------------------------------------------

def encode(value: Any) -> Any:
    """A dataclass (and what it holds: tuples, mappings, numbers, text, None) as JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return [[encode(k), encode(v)] for k, v in value.items()]  # keys need not be text
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"cannot keep a {type(value).__name__} in a snapshot")


def decode(kind: Any, data: Any) -> Any:
    """The value of type ``kind`` that :func:`encode` wrote as ``data``. Raises ValueError or TypeError
    when ``data`` does not fit ``kind`` (e.g. a layout saved by another version of gapmap)."""
    origin = typing.get_origin(kind)
    if kind is Any:
        return data
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(kind)
        if data is None and type(None) in options:
            return None
        errors = []
        for option in (o for o in options if o is not type(None)):
            try:
                return decode(option, data)
            except (TypeError, ValueError, KeyError) as error:
                errors.append(error)
        raise ValueError(f"{data!r} fits none of {kind}: {errors}")
    if dataclasses.is_dataclass(kind):
        if not isinstance(data, dict):
            raise TypeError(f"{kind.__name__} needs an object, not {data!r}")
        hints = typing.get_type_hints(kind)
        names = {f.name for f in dataclasses.fields(kind) if f.init}
        unknown = set(data) - names
        if unknown:
            raise ValueError(f"{kind.__name__} has no field {sorted(unknown)}")
        return kind(**{name: decode(hints[name], value) for name, value in data.items()})
    if origin is tuple:
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(args[0], v) for v in data)
        if len(args) != len(data):
            raise ValueError(f"{kind} needs {len(args)} values, not {data!r}")
        return tuple(decode(a, v) for a, v in zip(args, data, strict=True))
    if origin in (dict, Mapping, typing.get_origin(Mapping[str, str])):
        key, item = typing.get_args(kind)
        return {decode(key, k): decode(item, v) for k, v in data}
    if origin is list:
        (item,) = typing.get_args(kind)
        return [decode(item, v) for v in data]
    if kind is float:
        if isinstance(data, int | float) and not isinstance(data, bool):
            return float(data)
        raise TypeError(f"{data!r} is not a number")
    if kind in (bool, int, str):
        if type(data) is not kind:
            raise TypeError(f"{data!r} is not a {kind.__name__}")
        return data
    if kind is type(None):
        if data is not None:
            raise TypeError(f"{data!r} is not None")
        return None
    raise TypeError(f"cannot read a {kind} from a snapshot")


# ---- frames as rows -----------------------------------------------------------------------------

def column_types(frame: pd.DataFrame) -> list[list[str]]:
    """``[[column, dtype], …]`` in column order, for :func:`restore_frame`."""
    return [[str(name), str(dtype)] for name, dtype in frame.dtypes.items()]


def plain(value: Any) -> Any:
    """A cell as a plain Python value for the database or JSON: None for every kind of missing."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.generic):
        return value.item()
    return value


def restore_frame(records: dict[str, list], types: list[list[str]]) -> pd.DataFrame:
    """A frame of ``records`` (column → values) with the columns and dtypes ``types`` lists."""
    columns = {}
    length = len(next(iter(records.values()))) if records else 0
    for name, dtype in types:
        values = records.get(name, [None] * length)
        if dtype in ("Int64", "Float64", "boolean"):
            series = pd.Series(pd.array([v for v in values], dtype=dtype))
        elif dtype == "bool":
            series = pd.Series(np.array(values, dtype=bool))
        elif dtype.startswith(("int", "float")):
            series = pd.Series(np.array(values, dtype=dtype))
        elif dtype == "object":
            series = pd.Series(values, dtype=object)
        else:  # str, string, category…: as pandas names it
            series = pd.Series(values, dtype=object).astype(dtype)
        columns[name] = series
    return pd.DataFrame(columns, columns=[name for name, _ in types])


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
