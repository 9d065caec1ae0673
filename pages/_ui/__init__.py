"""What the pages share, one module per idea:

- ``key``: :class:`AnalysisKey`, the one value every cache is keyed on (the file, the model asked for
  and its default target, the layout corrections, the targets changed by hand), with ``Source`` and
  ``Model``;
- ``session``: every ``st.session_state`` key and its typed accessors (nothing else touches it);
- ``cache``: the cached functions of an ``AnalysisKey``, shared by every session;
- ``database``: the snapshot store, opened once per process, and its cached reads (a snapshot, a history);
- ``snapshots``: saving this session's analysis as a snapshot, and opening a saved one in its place;
- ``steps``: the Roadmap page's view of the steps;
- ``analysis``: this session's analysis (its key, assessment, roadmap, views), what pages show;
- ``loading``: which file is explored (sample, upload, rescue, or an analysis handed over whole);
- ``model_choice``: the maturity model and default-target pickers;
- ``edits``: layout corrections and targets changed by hand;
- ``filters``: the sidebar's unit and dimension filters;
- ``components``: the "Units shown" picker, markdown escaping, download names;
- ``navigation``: the app shell every page runs in.
"""
