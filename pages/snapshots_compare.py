"""Compare snapshots: two snapshots of an organisation side by side: a radar of then and now, every unit ×
area with its level before and after, and which steps of the earlier roadmap the later snapshot shows
as reached."""

from __future__ import annotations

import streamlit as st

import maturity
from maturity import GapmapError, achieved, charts_history
from maturity.store import STATUSES
from pages._ui import components, database, navigation, session, snapshots
from pages._ui.components import escape_markdown

navigation.require_shell()

st.title("Compare snapshots")

organisations = components.saved_organisations(
    "No snapshot is saved yet: save one from the Overview's Snapshots panel, then another at the next "
    "assessment, and compare them here.")

snapshots.pick_organisation(session.HISTORY_ORGANISATION, organisations)
pick_organisation, pick_before, pick_after = st.columns([2, 3, 3], vertical_alignment="bottom")
organisation = pick_organisation.selectbox("Organisation", organisations, key=session.HISTORY_ORGANISATION,
                                            persist_state="session")
try:
    infos = database.snapshots(organisation)
except GapmapError as error:
    st.error(escape_markdown(str(error)), icon=":material/error:")
    st.stop()
if len(infos) < 2:
    st.info(f"{escape_markdown(organisation)} has one snapshot so far: save another to compare them.",
            icon=":material/info:")
    st.stop()

listed = {info.id: info for info in infos}
ids = list(listed)
snapshots.pick_snapshot(session.COMPARE_BEFORE, ids, ids[-2])
snapshots.pick_snapshot(session.COMPARE_AFTER, ids, ids[-1])
before_id = pick_before.selectbox("Earlier snapshot", ids, key=session.COMPARE_BEFORE,
                                  format_func=lambda i: snapshots.describe(listed[i]))
after_id = pick_after.selectbox("Later snapshot", ids, key=session.COMPARE_AFTER,
                                format_func=lambda i: snapshots.describe(listed[i]))
if before_id == after_id:
    st.info("Pick two different snapshots.", icon=":material/info:")
    st.stop()
before_info, after_info = listed[before_id], listed[after_id]
then, now = before_info.label or before_info.as_of.isoformat(), after_info.label or after_info.as_of.isoformat()
try:
    before, after = database.snapshot(before_info).assessment, database.snapshot(after_info).assessment
    differences = database.diff(organisation, before_info, after_info)
    steps = achieved.steps_achieved(database.roadmap(before_info), after.normalized)
except GapmapError as error:
    st.error(escape_markdown(str(error)), icon=":material/error:")
    st.stop()
if before.rubric.fingerprint != after.rubric.fingerprint:
    st.warning(f"The two snapshots were read against different models ({escape_markdown(before.rubric.label)}, "
               f"{escape_markdown(after.rubric.label)}): the radar uses the later one's areas.",
               icon=":material/warning:")

# ---- then and now -------------------------------------------------------------------------------
reached = int((steps["status"] == "reached").sum())
counts = differences["status"].value_counts()
figures = st.columns(4)
figures[0].metric("Improved", int(counts.get("improved", 0)), "unit × areas", delta_color="off", delta_arrow="off",
                  border=True)
figures[1].metric("Regressed", int(counts.get("regressed", 0)), "unit × areas", delta_color="off",
                  delta_arrow="off", border=True)
figures[2].metric("Unchanged", int(counts.get("unchanged", 0)), "unit × areas", delta_color="off",
                  delta_arrow="off", border=True)
figures[3].metric("Steps achieved", f"{reached} of {len(steps)}", "of the earlier roadmap", delta_color="off",
                  delta_arrow="off", border=True)

left, right = st.columns([1, 1], gap="large")
with left:
    st.subheader("Then and now")
    units = list(dict.fromkeys([*after.units, *before.units]))
    unit = st.selectbox("Unit", [None, *units], format_func=lambda u: "Whole organisation" if u is None else u,
                        key=f"compare_snapshots_unit_{snapshots.organisation_key(organisation)}")
    st.caption(f"Current level per area: {escape_markdown(then)} dotted, {escape_markdown(now)} filled; "
               f"{escape_markdown(now)}'s target dashed.")
    st.plotly_chart(charts_history.snapshot_radar(before.normalized, after.normalized, after.rubric, unit, then, now),
                    key="compare_snapshots_radar", config={"displaylogo": False})

with right:
    st.subheader("Steps achieved")
    st.caption(f"The steps of {escape_markdown(then)}'s roadmap, and whether {escape_markdown(now)} shows their "
               "level reached.")
    by_phase = achieved.achieved_by_phase(steps)
    st.dataframe(by_phase, hide_index=True, key="compare_snapshots_phases", column_config={
        "phase": "Phase", "steps": "Steps", "reached": "Reached",
        "share": st.column_config.ProgressColumn("Share reached", format="percent", min_value=0, max_value=1)})
    shown = st.segmented_control("Steps shown", list(achieved.STEP_STATUSES), default="reached",
                                 format_func=str.capitalize, key="compare_snapshots_steps")
    listed_steps = steps if shown is None else steps[steps["status"] == shown]
    st.dataframe(listed_steps, hide_index=True, key="compare_snapshots_steps_table", column_config={
        "phase": "Phase", "unit": "Unit", "dimension": None, "dimension_name": "Area",
        "practice": st.column_config.TextColumn("Practice", width="large"),
        "from_level": st.column_config.NumberColumn("From", format="%g"),
        "to_level": st.column_config.NumberColumn("To", format="%g"), "to_label": "Reaching",
        "current_after": st.column_config.NumberColumn(f"Current in {now}", format="%g"), "status": "Status"})

# ---- every unit × area --------------------------------------------------------------------------
st.subheader("Every unit and area")
statuses = st.multiselect("Status", list(STATUSES), default=list(STATUSES), key="compare_snapshots_status")
table = differences[differences["status"].isin(statuses)]
st.dataframe(table, hide_index=True, key="compare_snapshots_table", column_config={
    "unit": "Unit", "dimension": None, "dimension_name": "Area",
    "current_before": st.column_config.NumberColumn("Current before", format="%.2f"),
    "current_after": st.column_config.NumberColumn("Current after", format="%.2f"),
    "change": st.column_config.NumberColumn("Change", format="%+.2f"),
    "target_before": st.column_config.NumberColumn("Target before", format="%.2f"),
    "target_after": st.column_config.NumberColumn("Target after", format="%.2f"), "status": "Status"})
st.download_button("Download comparison CSV",
                   database.audited(lambda: maturity.to_csv_bytes(differences), organisation, "diff.csv"),
                   file_name=maturity.safe_filename(f"{organisation}_{then}_{now}_diff", ".csv"), mime="text/csv",
                   icon=":material/download:", on_click="ignore")
st.download_button("Download steps achieved CSV",
                   database.audited(lambda: maturity.to_csv_bytes(steps), organisation, "steps_achieved.csv"),
                   file_name=maturity.safe_filename(f"{organisation}_{then}_steps_achieved", ".csv"),
                   mime="text/csv", icon=":material/download:", on_click="ignore")
