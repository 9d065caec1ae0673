"""Shapes: the ways a gap analysis is laid out, each turned into one long table the cell rules read.

A *long* table (a row per unit and practice, with current and target columns) is read as it is, and
a *wide* one (a pair of level columns per unit or area) one pair at a time (``maturity.layout``,
``maturity.normalize``). Other shapes live here, one module each: an adapter finds its shape among
the sheets no long or wide table was found in, and turns it into a long table whose every level cell
keeps where it came from (sheet and cell), so a problem names the cell a user must fix.

* ``split``: current levels on one sheet and target levels on another, each a units × areas matrix.
* ``stacked``: one sheet holding the same table in blocks, one per level or phase (SAMM's Scorecard:
  'Current Maturity Score', 'Phase 1 … Phase 4 Maturity Score').
"""
