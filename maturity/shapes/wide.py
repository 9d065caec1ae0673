"""Wide tables: a pair of level columns per unit ('Payments - Current', 'Payments - Target') or per
area, beside the other columns. Detection marks each level column with the group it belongs to
(:attr:`~maturity.layout.Column.group`); each group is then read as a long table of its own, its name
standing in for the unit or dimension column the sheet does not have."""

from __future__ import annotations

from dataclasses import replace

from ..layout import LEVEL_ROLES, SheetLayout

__all__ = ["group_layout"]


def group_layout(sheet_layout: SheetLayout, kind: str, name: str) -> SheetLayout:
    """A wide sheet seen as the long sheet of one group (``kind`` "unit" or "dimension", ``name`` its
    name): only that group's level columns keep their level role."""
    columns = tuple(
        (replace(c, group=None, group_kind=None) if (c.group_kind, c.group) == (kind, name)
         else replace(c, role=None, group=None, group_kind=None))
        if c.role in LEVEL_ROLES
        else c
        for c in sheet_layout.columns
    )
    return replace(sheet_layout, columns=columns)
