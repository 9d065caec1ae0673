"""gapmap's engine: read a maturity gap analysis, normalize it against a rubric, plan the roadmap.

Pure Python and pandas (plotly for figures); it never imports streamlit. Each public name is
imported on first use: ``import maturity`` loads neither pandas nor the engine. The data flows one way::

    bytes ─read_workbook─▶ RawWorkbook ─detect_layout─▶ Layout ─normalize─▶ Assessment ─build_roadmap─▶ roadmap
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .choose import AUTO, OWN, ModelChoice, choose_model, own_rubric
    from .corrections import Corrections, apply_corrections, read_pair, read_sheet
    from .errors import (
        CorrectionError,
        CorruptFileError,
        EncryptedWorkbookError,
        GapmapError,
        LimitExceededError,
        NoDataError,
        NoTargetsError,
        RubricError,
        UnreadableFileError,
        UnsupportedFormatError,
    )
    from .export import formula_safe, safe_filename, template_bytes, to_csv_bytes, to_excel_bytes
    from .layout import (
        ROLES,
        Column,
        Layout,
        SheetLayout,
        column_role,
        detect_layout,
        likely_header_row,
        refit_layout,
        relayout_sheet,
    )
    from .levels import LevelScale, parse_level
    from .matching import AreaMatch
    from .normalize import (
        NORMALIZED_COLUMNS,
        PROBLEM_COLUMNS,
        Assessment,
        assess,
        assess_workbook,
        normalize,
        retarget,
    )
    from .reader import Limits, RawSheet, RawWorkbook, read_workbook
    from .roadmap import ROADMAP_COLUMNS, build_roadmap
    from .rubric import Dimension, Group, Level, Practice, Rubric, available_rubrics, load_rubric, rubric_from_yaml

__version__ = "0.1.0"

__all__ = [
    "AUTO",
    "NORMALIZED_COLUMNS",
    "OWN",
    "PROBLEM_COLUMNS",
    "ROADMAP_COLUMNS",
    "ROLES",
    "AreaMatch",
    "Assessment",
    "Column",
    "CorrectionError",
    "Corrections",
    "CorruptFileError",
    "Dimension",
    "EncryptedWorkbookError",
    "GapmapError",
    "Group",
    "Layout",
    "Level",
    "LevelScale",
    "LimitExceededError",
    "Limits",
    "ModelChoice",
    "NoDataError",
    "NoTargetsError",
    "Practice",
    "RawSheet",
    "RawWorkbook",
    "Rubric",
    "RubricError",
    "SheetLayout",
    "UnreadableFileError",
    "UnsupportedFormatError",
    "apply_corrections",
    "assess",
    "assess_workbook",
    "available_rubrics",
    "build_roadmap",
    "choose_model",
    "column_role",
    "detect_layout",
    "formula_safe",
    "likely_header_row",
    "load_rubric",
    "normalize",
    "own_rubric",
    "parse_level",
    "read_pair",
    "read_sheet",
    "read_workbook",
    "refit_layout",
    "relayout_sheet",
    "retarget",
    "rubric_from_yaml",
    "safe_filename",
    "template_bytes",
    "to_csv_bytes",
    "to_excel_bytes",
]


# Where each name lives: imported on first use, so that ``import maturity`` is cheap and the command
# line can read a workbook (calamine, on a second thread) while pandas and the engine load.
_HOMES = {
    **dict.fromkeys(("AUTO", "OWN", "ModelChoice", "choose_model", "own_rubric"), "choose"),
    **dict.fromkeys(("Corrections", "apply_corrections", "read_pair", "read_sheet"), "corrections"),
    **dict.fromkeys(("CorrectionError", "CorruptFileError", "EncryptedWorkbookError", "GapmapError",
                     "LimitExceededError", "NoDataError", "NoTargetsError", "RubricError", "UnreadableFileError",
                     "UnsupportedFormatError"), "errors"),
    **dict.fromkeys(("formula_safe", "safe_filename", "template_bytes", "to_csv_bytes", "to_excel_bytes"), "export"),
    **dict.fromkeys(("ROLES", "Column", "Layout", "SheetLayout", "column_role", "detect_layout", "likely_header_row",
                     "refit_layout", "relayout_sheet"), "layout"),
    **dict.fromkeys(("LevelScale", "parse_level"), "levels"),
    **dict.fromkeys(("AreaMatch",), "matching"),
    **dict.fromkeys(("NORMALIZED_COLUMNS", "PROBLEM_COLUMNS", "Assessment", "assess", "assess_workbook", "normalize",
                     "retarget"), "normalize"),
    **dict.fromkeys(("Limits", "RawSheet", "RawWorkbook", "read_workbook"), "reader"),
    **dict.fromkeys(("ROADMAP_COLUMNS", "build_roadmap"), "roadmap"),
    **dict.fromkeys(("Dimension", "Group", "Level", "Practice", "Rubric", "available_rubrics", "load_rubric",
                     "rubric_from_yaml"), "rubric"),
}


def __getattr__(name: str):
    if name in _HOMES:
        value = getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


class _Package(types.ModuleType):
    """The package, whose ``normalize`` is the function: importing the submodule of the same name
    (``from .normalize import Assessment``, anywhere) does not make it the package's attribute."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _HOMES and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
