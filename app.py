"""gapmap's dashboard: ``streamlit run app.py``.

The entry point lets in whoever may use it (sign-in, when set up: pages/_ui/signin.py), then draws what
every page shares (navigation, the data source, the unit and dimension filters) and runs the chosen page.
It is a thin shell: the work happens in ``maturity``, and the session state lives behind
``pages/_ui/session.py``.
"""

from __future__ import annotations

import streamlit as st

from pages._ui import analysis, edits, filters, loading, model_choice, navigation, session, signin
from pages._ui.components import escape_markdown

st.set_page_config(page_title="gapmap", page_icon="📡", layout="wide")
signin.gate()  # with sign-in set up: nothing below for someone not signed in, or in no workspace

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/radar:", default=True),
    st.Page("pages/compare.py", title="Compare units", icon=":material/compare_arrows:", url_path="compare"),
    st.Page("pages/practices.py", title="Practice areas", icon=":material/checklist:", url_path="practices"),
    st.Page("pages/roadmap.py", title="Roadmap", icon=":material/route:", url_path="roadmap"),
    st.Page("pages/rubric.py", title="Rubric", icon=":material/grid_view:", url_path="rubric"),
    st.Page("pages/history.py", title="History", icon=":material/timeline:", url_path="history"),
    st.Page("pages/snapshots_compare.py", title="Compare snapshots", icon=":material/difference:",
            url_path="snapshots"),
    st.Page("pages/delivery.py", title="Delivery performance", icon=":material/speed:", url_path="delivery"),
]
page = st.navigation(PAGES)
# Less empty space above the title, so the first chart shows without scrolling. Our own CSS, no user text.
st.html("<style>[data-testid='stMainBlockContainer']{padding-top:3.6rem}</style>")

rubric = analysis.rubric()
source = analysis.source()
assessment = analysis.assessment()
units = assessment.units
filters.keep_filters_valid(units, rubric.dimension_ids)
dimension_names = {d.id: d.name for d in rubric.dimensions}

with st.sidebar:
    signin.sidebar()
    st.markdown("**Data**")
    if source.is_sample:
        st.caption(f"Sample data: {loading.SAMPLE_LABEL}")
    elif source.snapshot is not None:
        st.text(f"Snapshot {source.snapshot.id}: {source.snapshot.title}")
        st.caption(f"Read from {escape_markdown(source.name)}")
        st.button("Back to the sample", icon=":material/undo:", on_click=loading.use_sample, width="stretch")
    else:
        st.text(f"Your file: {source.name}")
        st.button("Back to the sample", icon=":material/undo:", on_click=loading.use_sample, width="stretch")
    if edits.changed_targets():
        count = edits.changed_targets()
        st.caption(f"{count} target{'s' * (count != 1)} changed by hand")
        st.button("Reset targets", icon=":material/restart_alt:", on_click=edits.reset_targets, width="stretch")
    st.markdown("**Maturity model**")
    st.selectbox("Maturity model", model_choice.model_choices(), key=session.MODEL_PICKER,
                 format_func=model_choice.model_label, on_change=model_choice.on_model_picked,
                 label_visibility="collapsed",
                 help="Automatic picks the built-in model whose area names cover most of the file's areas, and "
                      "the file's own model when none does. Switching re-reads the file; your layout "
                      "corrections stay.")
    st.caption(f"In use: {escape_markdown(rubric.label)}")
    if assessment.layout.default_target:  # a file without targets, read with the ones the user chose
        choices = [c for c in model_choice.DEFAULT_TARGETS if c == "next" or rubric.lowest <= int(c) <= rubric.highest]
        current = assessment.layout.default_target
        st.selectbox("Targets (the file has none)", choices, index=choices.index(current) if current in choices else 0,
                     format_func=model_choice.default_target_label, key=session.DEFAULT_TARGET_PICKER,
                     on_change=model_choice.on_default_target, args=(session.DEFAULT_TARGET_PICKER,))
    if error := model_choice.model_error():
        st.error(escape_markdown(error), icon=":material/error:")
    with st.popover("Use a rubric file (YAML)", icon=":material/upload_file:", width="stretch"):
        st.file_uploader("A maturity model as YAML", type=["yaml", "yml"], key=session.MODEL_UPLOADER,
                         on_change=model_choice.on_model_uploaded,
                         help="The same format as gapmap's built-in models (maturity/rubrics/*.yaml); it is "
                              "validated, never run.")
    st.markdown("**Filters**")
    st.selectbox("Unit", [filters.ALL, *units], key=session.UNIT_FILTER,
                 format_func=lambda u: u or "All units (organisation)")
    st.selectbox("Dimension", [filters.ALL, *rubric.dimension_ids], key=session.DIMENSION_FILTER,
                 format_func=lambda d: dimension_names.get(d, "All dimensions"))

with navigation.shell():
    page.run()
