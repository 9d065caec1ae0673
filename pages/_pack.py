"""'Download steering pack': the assessment shown, for the unit the sidebar filters to, as the deck or the
one-file HTML report the command line's ``report`` writes. Built only when a button is pressed (a deck
draws its pictures in a browser: seconds, not a rerun's milliseconds)."""

from __future__ import annotations

import streamlit as st

from maturity import Assessment, RawWorkbook
from maturity.report import build_pack, pack_bytes
from pages._ui import analysis, components


def show(unit: str | None) -> None:
    """The two download buttons, for ``unit`` (None: the whole organisation)."""
    scope = f"for {unit}" if unit else "for the whole organisation"
    # What the pack is made of is taken now, in this session's run: a download's builder runs later,
    # when the button is pressed, outside it.
    assessment = analysis.assessment()
    workbook = analysis.raw_workbook() if analysis.source().readable else None  # where "Assessed: 2026-09" is
    pptx, html = st.columns(2)
    pptx.download_button("Steering pack (PowerPoint)", lambda: _pack(assessment, workbook, unit, "pptx"),
                         file_name=components.download_name(".pptx", "steering_pack"),
                         mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                         icon=":material/slideshow:", on_click="ignore", width="stretch",
                         help=f"The steering pack {scope}: title, headline figures, radar, heatmap, units ranked, "
                              "the roadmap's first phase with owners, the next level's practices, the problem "
                              "rows. Its pictures take a few seconds to draw.")
    html.download_button("Steering pack (HTML)", lambda: _pack(assessment, workbook, unit, "html"),
                         file_name=components.download_name(".html", "steering_pack"), mime="text/html",
                         icon=":material/article:", on_click="ignore", width="stretch",
                         help=f"The same pack {scope} as one page that opens in any browser, loads nothing from "
                              "the network and prints on A4 or Letter.")


def _pack(assessment: Assessment, workbook: RawWorkbook | None, unit: str | None, kind: str) -> bytes:
    return pack_bytes(build_pack(assessment, units=[unit] if unit else None, workbook=workbook), kind)
