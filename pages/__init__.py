"""The dashboard's pages, one thin file each, run by ``st.navigation`` in app.py; ``_ui`` (session
state, the cache key and caches, the shared components, the app shell), and the two panels the
Overview draws: ``_understood`` (the "how this file was read" panel), ``_rescue`` (reading a
refused upload anyway) and ``_snapshots`` (saving the assessment shown, opening a saved one).

Streamlit treats a ``pages/`` folder beside the entry point as a legacy multipage app until
``st.navigation`` has run once in the process; ``_ui.navigation.require_shell`` makes each page hand
over to app.py when it is run on its own that way.
"""
