"""Overview: load a file, see what was understood, then the headline figures, the radar and the gap heatmap."""

from __future__ import annotations

import streamlit as st

import maturity
from maturity import charts
from pages import _pack, _rescue, _snapshots, _understood
from pages._ui import analysis, components, filters, loading, model_choice, navigation, session
from pages._ui.components import escape_markdown

navigation.require_shell()

# ---- the data: sample by default, or the user's upload ------------------------------------------
source = analysis.source()
heading, upload = st.columns([5, 3], vertical_alignment="bottom", gap="large")
with heading:
    st.title("DevOps maturity overview")
    if source.is_sample:
        st.badge(f"Sample data: {loading.SAMPLE_LABEL}", icon=":material/science:", color="violet")
    elif source.snapshot is not None:
        st.badge(f"Snapshot {source.snapshot.id}: {escape_markdown(source.snapshot.title)}",
                 icon=":material/history:", color="orange")
    elif source.files:
        st.badge(f"Your {len(source.files)} files: {escape_markdown(source.name)}", icon=":material/description:",
                 color="green")
    else:
        st.badge(f"Your file: {escape_markdown(source.name)}", icon=":material/description:", color="green")
    st.badge(f"Model: {escape_markdown(analysis.rubric().label)}", icon=":material/grid_view:", color="blue")
    _pack.show(filters.unit())
with upload:
    uploader = loading.uploader_key()
    st.file_uploader("Explore your own gap analysis (Excel or CSV)", type=loading.UPLOAD_TYPES, key=uploader,
                     on_change=loading.on_upload, args=(uploader,), accept_multiple_files=True,
                     help="One row per practice with a current and a target level; units in a column, or one "
                          "sheet per unit. Choose several files at once (one workbook per team, say) to read "
                          "them as one assessment, each file's units kept. The files stay on this server and "
                          "are read, never run.")
    # The browser refuses a larger file before it reaches the server, so the limit is said here, plainly.
    st.caption(f"Up to {st.get_option('server.maxUploadSize')} MB. A larger workbook: delete its images, charts "
               "and unused sheets, or save the assessment sheet as CSV.")
    _snapshots.show()
if error := loading.upload_error():
    name, message = error
    st.error(f"**{escape_markdown(name)} cannot be used.** {escape_markdown(message)}",
             icon=":material/error:")
    if loading.pending() is None:  # nothing waits for the user: what is shown below stays as it was
        still = "the sample" if source.is_sample else source.name
        st.caption(f"Still showing {escape_markdown(still)} below: nothing of {escape_markdown(name)} was loaded.")
if (refused := loading.pending()) is not None and refused.kind != "NoTargetsError":
    still = "the sample" if source.is_sample else source.name
    st.caption(f"Still showing {escape_markdown(still)} below until this file can be read.")
    _rescue.show(refused)
if waiting := loading.pending_without_targets():
    st.selectbox(f"Targets for {waiting}, which has current levels only", [None, *model_choice.DEFAULT_TARGETS],
                 format_func=lambda c: "Choose what to aim for…" if c is None else model_choice.default_target_label(c),
                 key=session.PENDING_TARGET_PICKER, on_change=model_choice.on_default_target,
                 args=(session.PENDING_TARGET_PICKER,),
                 help="A first assessment often has no targets yet: aim one level above each current level, or "
                      "at one level for every row. You can change it later in the sidebar.")

# ---- filters and the engine -----------------------------------------------------------------------
rubric = analysis.rubric()
unit = filters.unit()
assessment = analysis.assessment()
if source.files:
    _understood.show_files(source, assessment, expanded=True)
elif source.readable:
    _understood.show(assessment, analysis.raw_workbook(), rubric,
                     expanded=not source.is_sample and source.snapshot is None)
else:  # a snapshot that kept no copy of its file: shown as saved, never read again
    _snapshots.saved_reading(assessment)
numbers = analysis.view("headline", unit)

if not numbers["practices"]:
    st.info("No practice could be read from this file yet: see what was understood above, correct a column's "
            "role or the header row, or look at the problems table.", icon=":material/info:")
    st.stop()

# ---- headline figures ---------------------------------------------------------------------------
figures = st.columns(4)
figures[0].metric("Units", numbers["units"], f"{numbers['practices']} practices assessed", delta_color="off",
                  delta_arrow="off", border=True)
figures[1].metric("Average current", f"{numbers['current']:.1f}", charts.level_words(numbers["current"], rubric),
                  delta_color="off", delta_arrow="off", border=True)
figures[2].metric("Average target", f"{numbers['target']:.1f}", charts.level_words(numbers["target"], rubric),
                  delta_color="off", delta_arrow="off", border=True)
figures[3].metric("Average gap", f"{numbers['gap']:.1f} levels", f"{numbers['steps']} level steps to plan",
                  delta_color="off", delta_arrow="off", border=True)

# ---- charts -------------------------------------------------------------------------------------
left, right = st.columns([1, 1], gap="large")
with left:
    st.subheader("Current vs target by dimension")
    st.caption(escape_markdown(unit) if unit else "Whole organisation: average over every unit")
    st.plotly_chart(analysis.view("radar", unit), key="overview_radar",
                    config={"displaylogo": False})


@st.fragment  # choosing how many units to show redraws the heatmap alone
def gap_heatmap() -> None:
    st.subheader("Gap by unit and dimension")
    top = components.units_shown(len(assessment.units))
    which = f" The {top} units with the largest average gap, largest first." if top else ""
    chosen = f" {escape_markdown(unit)}'s row is outlined." if unit else ""
    st.caption(f"Average levels still to climb per practice; darker is further from target.{which}{chosen}")
    st.plotly_chart(analysis.view("gap_heatmap", top, unit), key="overview_heatmap",
                    config={"displaylogo": False})


with right:
    gap_heatmap()

st.subheader("Largest gaps")
st.dataframe(
    analysis.view("largest_gaps", unit, filters.dimension()),
    hide_index=True,
    column_config={
        "unit": st.column_config.TextColumn("Unit", width=140), "dimension_name": "Dimension",
        "practice": st.column_config.TextColumn("Practice", width=260),
        "current": st.column_config.NumberColumn("Current", width=70), "target": st.column_config.NumberColumn(
            "Target", width=70),
        # Wide enough for its figure to show whole beside the bar.
        "gap": st.column_config.ProgressColumn("Gap (levels)", min_value=0, max_value=rubric.highest - rubric.lowest,
                                               format="%d", width=150),
    },
)

st.download_button("Download normalized CSV", lambda: maturity.to_csv_bytes(assessment.normalized),
                   file_name=components.download_name(".csv", "normalized"), mime="text/csv",
                   icon=":material/download:", on_click="ignore")
