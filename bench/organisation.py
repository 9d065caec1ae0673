"""The organisation the benchmarks measure: ``units`` units, each scoring every rubric practice.

Current levels are uniform on 1–5 and targets 0–3 levels above (capped at 5), with random priority
and effort, from a fixed seed: 500 units make 39,000 rows and about 39,000 roadmap steps.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import maturity

HEADER = ["Unit", "Dimension", "Practice", "Current", "Target", "Priority", "Effort"]


def organisation_rows(units: int, seed: int = 7) -> pd.DataFrame:
    """One row per unit and rubric practice, with the columns of :data:`HEADER`."""
    rubric = maturity.load_rubric("cdmm")
    practices = [(d.name, p.label) for d in rubric.dimensions for p in d.practices]
    generator = np.random.default_rng(seed)
    rows = units * len(practices)
    current = generator.integers(1, 6, rows)
    target = np.minimum(5, current + generator.integers(0, 4, rows))
    return pd.DataFrame(
        {
            "Unit": np.repeat([f"Unit {u:03d}" for u in range(units)], len(practices)),
            "Dimension": [d for d, _ in practices] * units,
            "Practice": [p for _, p in practices] * units,
            "Current": current,
            "Target": target,
            "Priority": generator.choice(["High", "Medium", "Low"], rows),
            "Effort": generator.choice(["S", "M", "L"], rows),
        }
    )


def organisation(units: int, seed: int = 7) -> maturity.Assessment:
    """The normalized assessment of :func:`organisation_rows` (laid out and normalized, not read from a file)."""
    rows = organisation_rows(units, seed).astype(object)
    cells = pd.concat([pd.DataFrame([HEADER], dtype=object), pd.DataFrame(rows.to_numpy(), dtype=object)])
    sheet = maturity.RawSheet("Assessment", cells.reset_index(drop=True))
    workbook = maturity.RawWorkbook("organisation.xlsx", "xlsx", (sheet,))
    rubric = maturity.load_rubric("cdmm")
    return maturity.normalize(workbook, maturity.detect_layout(workbook, rubric), rubric)


def write_workbook(path: Path, units: int, seed: int = 7) -> Path:
    """:func:`organisation_rows` as an .xlsx at ``path`` (openpyxl's write-only mode); returns ``path``."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Assessment")
    sheet.append(HEADER)
    for record in organisation_rows(units, seed).itertuples(index=False, name=None):
        sheet.append([value.item() if hasattr(value, "item") else value for value in record])
    workbook.save(path)
    return path
