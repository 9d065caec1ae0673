"""What a workbook's title blocks say about the assessment: the organisation assessed.

SAMM's toolboxes, consultants' templates and many home-made sheets put "Organization:" in a title
cell with the name beside it. It names the one unit of a file without a unit column (instead of the
sheet's name), and the steering pack's title; a note says where it was found, so a wrong guess is seen.
"""

from __future__ import annotations

from dataclasses import dataclass

from .columns import column_letter
from .levels import is_blank
from .reader import RawWorkbook
from .rubric import match_key
from .vocabulary import organisation_labels

__all__ = ["Found", "find_organisation"]

_ROWS, _COLUMNS = 15, 8  # a title block: the top left of a sheet


@dataclass(frozen=True)
class Found:
    """A value read from a title block and where: ``sheet`` and ``cell`` ('B4')."""

    value: str
    sheet: str
    cell: str

    def describe(self) -> str:
        return f"cell {self.cell} of sheet {self.sheet!r}"


def find_organisation(workbook: RawWorkbook, prefer: tuple[str, ...] = ()) -> Found | None:
    """The organisation a title block names ("Organization: Acme Brick Co"), looking first in the
    sheets ``prefer`` (the data sheets), then in the others; None when no sheet names one."""
    order = sorted(workbook.sheets, key=lambda s: s.name not in prefer)
    labels = organisation_labels()
    for sheet in order:
        block = sheet.cells.iloc[:_ROWS, :_COLUMNS]
        for row in range(len(block)):
            values = block.iloc[row].tolist()
            for column, value in enumerate(values):
                if not isinstance(value, str) or match_key(value) not in labels or not value.strip().endswith(":"):
                    continue
                for right in range(column + 1, len(values)):
                    beside = values[right]
                    if not is_blank(beside):
                        text = str(beside).strip()
                        if isinstance(beside, str) and 0 < len(text) <= 120:
                            return Found(text, sheet.name, f"{column_letter(right)}{row + 1}")
                        break
    return None
