"""gapmap's engine: read a maturity gap analysis, normalize it against a rubric, plan the roadmap.

Pure Python and pandas (plotly for figures); it never imports streamlit. The data flows one way::

    bytes ─read_workbook─▶ RawWorkbook ─detect_layout─▶ Layout ─normalize─▶ Assessment ─build_roadmap─▶ roadmap
"""

from __future__ import annotations

from .errors import (
    CorruptFileError,
    EncryptedWorkbookError,
    GapmapError,
    LimitExceededError,
    NoDataError,
    RubricError,
    UnreadableFileError,
    UnsupportedFormatError,
)
from .export import formula_safe, safe_filename, template_bytes, to_csv_bytes, to_excel_bytes
from .layout import ROLES, Column, Layout, SheetLayout, column_role, detect_layout, relayout_sheet
from .levels import LevelScale, parse_level
from .normalize import NORMALIZED_COLUMNS, PROBLEM_COLUMNS, Assessment, assess, normalize, retarget
from .reader import Limits, RawSheet, RawWorkbook, read_workbook
from .roadmap import ROADMAP_COLUMNS, build_roadmap
from .rubric import Dimension, Level, Practice, Rubric, available_rubrics, load_rubric

__version__ = "0.1.0"

__all__ = [
    "NORMALIZED_COLUMNS",
    "PROBLEM_COLUMNS",
    "ROADMAP_COLUMNS",
    "ROLES",
    "Assessment",
    "Column",
    "CorruptFileError",
    "Dimension",
    "EncryptedWorkbookError",
    "GapmapError",
    "Layout",
    "Level",
    "LevelScale",
    "LimitExceededError",
    "Limits",
    "NoDataError",
    "Practice",
    "RawSheet",
    "RawWorkbook",
    "Rubric",
    "RubricError",
    "SheetLayout",
    "UnreadableFileError",
    "UnsupportedFormatError",
    "assess",
    "available_rubrics",
    "build_roadmap",
    "column_role",
    "detect_layout",
    "formula_safe",
    "load_rubric",
    "normalize",
    "parse_level",
    "read_workbook",
    "relayout_sheet",
    "retarget",
    "safe_filename",
    "template_bytes",
    "to_csv_bytes",
    "to_excel_bytes",
]
