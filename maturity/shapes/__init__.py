"""Shapes: the ways a gap analysis is laid out, each an adapter turning raw sheets plus what detection
(or the user) said of them into one long table the cell rules read, one module each:

* ``long``: a row per unit and practice, with current and target columns, read where it is.
* ``wide``: a pair of level columns per unit or area ('Payments - Current', 'Payments - Target').
* ``split``: current levels on one sheet and target levels on another, each a units × areas matrix.
* ``stacked``: one sheet holding the same table in blocks, one per level or phase (SAMM's Scorecard:
  'Current Maturity Score', 'Phase 1 … Phase 4 Maturity Score').

``tables`` yields every shape's tables for ``normalize``; each keeps where its level cells came from
(sheet and cell), so a problem names the cell a user must fix.
"""
