"""The dashboard's pages, one thin file each, run by ``st.navigation`` in app.py, and the two modules they
share: ``_state`` (session state and caching) and ``_understood`` (the "what was understood" panel).

Not called ``pages/``: Streamlit treats a ``pages/`` folder beside the entry point as a legacy multipage
app until ``st.navigation`` has run once in the process, so the first visit to a deep link such as
``/roadmap`` after a restart ran ``pages/roadmap.py`` alone (no sidebar, no filters, and ``_state`` listed
as a page), and ``AppTest`` ran every rerun that way.
"""
