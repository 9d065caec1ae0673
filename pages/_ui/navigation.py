"""The app shell: every page runs inside app.py's navigation, never on its own.

Streamlit runs the first script run of a fresh server in its legacy "pages/ folder" mode until
st.navigation has been called once: a first request for a deep link such as /roadmap would run
pages/roadmap.py alone, without app.py's navigation, sidebar and filters. app.py marks each of its
runs; a page that finds no mark hands over to app.py, which lands on the Overview.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

_shell = threading.local()


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
