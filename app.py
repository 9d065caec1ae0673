"""gapmap's dashboard: ``streamlit run app.py``.

The entry point draws what every page shares (navigation, the data source, the unit and dimension
filters) and runs the chosen page. It is a thin shell: the work happens in ``maturity``, and the
session state lives behind ``pages/_state.py``.
"""

from __future__ import annotations

import streamlit as st

from pages import _state as state

st.set_page_config(page_title="gapmap", page_icon="📡", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/radar:", default=True),
    st.Page("pages/compare.py", title="Compare units", icon=":material/compare_arrows:", url_path="compare"),
    st.Page("pages/practices.py", title="Practice areas", icon=":material/checklist:", url_path="practices"),
    st.Page("pages/roadmap.py", title="Roadmap", icon=":material/route:", url_path="roadmap"),
    st.Page("pages/rubric.py", title="Rubric", icon=":material/grid_view:", url_path="rubric"),
]
page = st.navigation(PAGES)
# Less empty space above the title, so the first chart shows without scrolling. Our own CSS, no user text.
st.html("<style>[data-testid='stMainBlockContainer']{padding-top:3.6rem}</style>")

rubric = state.rubric()
source = state.source()
assessment = state.assessment()
units = assessment.units
state.keep_filters_valid(units, rubric.dimension_ids)
dimension_names = {d.id: d.name for d in rubric.dimensions}

with st.sidebar:
    st.markdown("**Data**")
    if source.is_sample:
        st.caption(f"Sample data: {state.SAMPLE_LABEL}")
    else:
        st.text(f"Your file: {source.name}")
        st.button("Back to the sample", icon=":material/undo:", on_click=state.use_sample, width="stretch")
    if state.changed_targets():
        count = state.changed_targets()
        st.caption(f"{count} target{'s' * (count != 1)} changed by hand")
        st.button("Reset targets", icon=":material/restart_alt:", on_click=state.reset_targets, width="stretch")
    st.markdown("**Maturity model**")
    st.selectbox("Maturity model", state.model_choices(), key=state.MODEL_PICKER,
                 format_func=state.model_label, on_change=state.on_model_picked, label_visibility="collapsed",
                 help="Automatic picks the built-in model whose area names cover most of the file's areas, and "
                      "the file's own model when none does. Switching re-reads the file; your layout "
                      "corrections stay.")
    st.caption(f"In use: {state.escape_markdown(rubric.label)}")
    if assessment.layout.default_target:  # a file without targets, read with the ones the user chose
        choices = [c for c in state.DEFAULT_TARGETS if c == "next" or rubric.lowest <= int(c) <= rubric.highest]
        current = assessment.layout.default_target
        st.selectbox("Targets (the file has none)", choices, index=choices.index(current) if current in choices else 0,
                     format_func=state.default_target_label, key="default_target",
                     on_change=state.on_default_target, args=("default_target",))
    if error := state.model_error():
        st.error(state.escape_markdown(error), icon=":material/error:")
    with st.popover("Use a rubric file (YAML)", icon=":material/upload_file:", width="stretch"):
        st.file_uploader("A maturity model as YAML", type=["yaml", "yml"], key=state.MODEL_UPLOADER,
                         on_change=state.on_model_uploaded,
                         help="The same format as gapmap's built-in models (maturity/rubrics/*.yaml); it is "
                              "validated, never run.")
    st.markdown("**Filters**")
    st.selectbox("Unit", [state.ALL, *units], key=state.UNIT_FILTER,
                 format_func=lambda u: u or "All units (organisation)")
    st.selectbox("Dimension", [state.ALL, *rubric.dimension_ids], key=state.DIMENSION_FILTER,
                 format_func=lambda d: dimension_names.get(d, "All dimensions"))

with state.shell():
    page.run()
