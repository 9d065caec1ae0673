"""The app shell: every page runs inside app.py's navigation, never on its own.

Streamlit runs the first script run of a fresh server in its legacy "pages/ folder" mode until
st.navigation has been called once: a first request for a deep link such as /roadmap would run
pages/roadmap.py alone, without app.py's navigation, sidebar and filters. app.py marks each of its
runs; a page that finds no mark hands over to app.py, which lands on the Overview.

The shell also says how a page prints (a browser's Print, for the meeting's handout): without the
sidebar, the uploader and Streamlit's own header, each chart and table kept whole on a page.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

_shell = threading.local()
# Our own CSS, no user text. Streamlit's test ids: the sidebar, the header and toolbar, the uploader.
_PRINT = ("<style>@media print{"
          "[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl'],[data-testid='stHeader'],"
          "[data-testid='stToolbar'],[data-testid='stDecoration'],[data-testid='stFileUploader'],"
          "[data-testid='stStatusWidget']{display:none!important}"
          "[data-testid='stMainBlockContainer']{padding-top:0!important;max-width:100%!important}"
          "[data-testid='stPlotlyChart'],[data-testid='stDataFrame'],[data-testid='stTable'],"
          "[data-testid='stMetric']{break-inside:avoid;page-break-inside:avoid}"
          "}</style>")


@contextmanager
def shell() -> Iterator[None]:
    """Wrap app.py's run of the chosen page, so that :func:`require_shell` knows app.py is running."""
    _shell.active = True
    try:
        yield
    finally:
        _shell.active = False


def require_shell() -> None:
    """Called first by every page: when app.py is not running it (legacy pages mode), go to app.py."""
    if not getattr(_shell, "active", False):
        st.switch_page("app.py")
    st.html(_PRINT)
