"""The dashboard's pages, one thin file each, run by ``st.navigation`` in app.py, and the two modules they
share: ``_state`` (session state, caching, the app shell) and ``_understood`` (the "how this file was
read" panel).

Streamlit treats a ``pages/`` folder beside the entry point as a legacy multipage app until
``st.navigation`` has run once in the process; ``_state.require_shell`` makes each page hand over to
app.py when it is run on its own that way.
"""
