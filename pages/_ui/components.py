"""Small things every page draws or shows: the "Units shown" picker, user text made inert for
markdown, download file names, and the organisations with snapshots (or why there are none)."""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

import maturity
from pages._ui import analysis, database, session

MANY_UNITS = 25  # above this many units, charts that list units show the largest gaps first


def units_shown(count: int) -> int | None:
    """How many of ``count`` units a chart that lists units shows: every one (None) up to
    :data:`MANY_UNITS`; above that, the reader's choice from a picker drawn here, largest gaps first
    (kept for the session, so every page shows as many)."""
    if count <= MANY_UNITS:
        return None
    shown = st.selectbox("Units shown", (MANY_UNITS, 50, 100, 0), key=session.UNITS_SHOWN, persist_state="session",
                         format_func=lambda n: f"All {count}" if n == 0 else f"{n} with the largest gaps",
                         help="A chart of hundreds of units is hard to read: it shows the units with the "
                              "most to climb first. Pick a unit in the sidebar to see just that one.")
    return shown or None


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^\"'&])")


def escape_markdown(text: object) -> str:
    """``text`` with every character markdown (or a streamlit directive like ``:red[...]``, or LaTeX
    ``$...$``) would act on backslash-escaped, so ``st.markdown`` shows it exactly as typed."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def download_name(suffix: str, what: str) -> str:
    """A download file name built from the loaded file's name, made safe by ``maturity.safe_filename``."""
    stem = Path(analysis.source().name).stem
    return maturity.safe_filename(f"{stem}_{what}", suffix)


def saved_organisations(none_yet: str) -> list[str]:
    """The organisations with a snapshot this session may see, for a page built on snapshots; the page
    stops with the store's one-line error, or with ``none_yet`` when nothing is saved yet."""
    try:
        found = database.organisations()
    except maturity.GapmapError as error:
        st.error(escape_markdown(str(error)), icon=":material/error:")
        st.stop()
    if not found:
        st.info(none_yet, icon=":material/info:")
        st.stop()
    return found
