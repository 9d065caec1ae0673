"""The steering pack: what a steering meeting is shown, as a PowerPoint deck or one self-contained HTML file.

::

    pack = build_pack(assessment, org="Northwind", units=["Payments"], store=open_store())
    pack_bytes(pack, "pptx")   # python-pptx; chart pictures drawn by kaleido with Chromium
    pack_bytes(pack, "html")   # one file: plotly's JavaScript inlined, nothing loaded from the network

:func:`build_pack` is the content (:mod:`.pack`); :mod:`.pptx` and :mod:`.html` write it. A deck made
where no browser can draw its pictures is still written and says why on its chart slides. The command
line (``python -m maturity report``) is :mod:`.cli`. Pure engine: never streamlit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ReportError

if TYPE_CHECKING:
    from .pack import PHASE_ROWS, TOP_UNITS, Chart, Pack, Stated, Table, build_pack

__all__ = ["FORMATS", "PHASE_ROWS", "TOP_UNITS", "Chart", "Pack", "Stated", "Table", "build_pack", "pack_bytes"]

FORMATS = ("pptx", "html")
_FROM_PACK = frozenset({"PHASE_ROWS", "TOP_UNITS", "Chart", "Pack", "Stated", "Table", "build_pack"})


def __getattr__(name: str):
    # The pack needs plotly: imported on first use, so registering the command line's ``report``
    # (maturity.report.cli) costs every other command nothing.
    if name in _FROM_PACK:
        from . import pack

        return getattr(pack, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def pack_bytes(pack: Pack, kind: str) -> bytes:
    """``pack`` written as ``kind``: ``"pptx"`` (a deck) or ``"html"`` (one self-contained page)."""
    if kind == "pptx":
        from .pptx import deck_bytes

        return deck_bytes(pack)
    if kind == "html":
        from .html import html_bytes

        return html_bytes(pack)
    raise ReportError(f"a steering pack is PowerPoint (pptx) or HTML (html), not {kind!r}")
