"""Long tables: a row per unit and practice (or area) with a current and a target column, read where
they are; the sheet's own rows and cells are the provenance of every level. What is here is when such a
sheet cannot be read at all, said as a problem row rather than dropped."""

from __future__ import annotations

from ..layout import SheetLayout

__all__ = ["sheet_refusal"]


def sheet_refusal(sheet_layout: SheetLayout, default_target: str | None) -> str | None:
    """Why the table of ``sheet_layout`` cannot be read (None when it can): the roles it lacks, and how
    to give them; a sheet without targets reads when the user chose a default target."""
    reasons = [r for r in sheet_layout.problems() if not (r == "no target level column" and default_target)]
    if not reasons:
        return None
    fix = (", or read it with a default target (--default-target next)" if reasons == ["no target level column"]
           else "")
    return f"sheet not read: {'; '.join(reasons)}; set the column roles{fix}"
