"""History: an organisation's snapshots over time: its trend, each area's current and target per snapshot (for
the organisation or one unit), and what moved since the previous snapshot (up, down, stuck)."""

from __future__ import annotations

import streamlit as st

import maturity
from maturity import GapmapError
from pages._ui import components, database, navigation, session, snapshots
from pages._ui.components import escape_markdown

navigation.require_shell()

st.title("History")

organisations = components.saved_organisations(
    "No snapshot is saved yet. Save the assessment you are exploring from the Overview's Snapshots panel "
    "(organisation, as-of date, label); each snapshot saved for an organisation adds a point here.")

snapshots.pick_organisation(session.HISTORY_ORGANISATION, organisations)
organisation = st.selectbox("Organisation", organisations, key=session.HISTORY_ORGANISATION,
                            persist_state="session")
try:
    infos = database.snapshots(organisation)
    views = database.history_views(organisation, infos)
except GapmapError as error:
    st.error(escape_markdown(str(error)), icon=":material/error:")
    st.stop()

models = sorted({f"{i.model_name} {i.model_version}".strip() for i in infos})
st.caption(f"{len(infos)} snapshot{'s' * (len(infos) != 1)} of {escape_markdown(organisation)}, "
           f"{escape_markdown(infos[0].as_of.isoformat())} to {escape_markdown(infos[-1].as_of.isoformat())}; "
           f"model {escape_markdown(', '.join(models))}.")
if len(models) > 1:
    st.warning("These snapshots were read against different models: their levels are on different scales, so "
               "compare them with care.", icon=":material/warning:")

# ---- the organisation's trend -------------------------------------------------------------------
trend = views.trend
latest = trend.iloc[-1]
previous = trend.iloc[-2] if len(trend) > 1 else None


def change(column: str) -> str | None:
    return None if previous is None else f"{latest[column] - previous[column]:+.2f} since the one before"


figures = st.columns(4)
figures[0].metric("Snapshots", len(infos), f"latest as of {infos[-1].as_of.isoformat()}", delta_color="off",
                  delta_arrow="off", border=True)
figures[1].metric("Average current (latest)", f"{latest['current_level']:.1f}", change("current_level"),
                  border=True)
figures[2].metric("Average target (latest)", f"{latest['target_level']:.1f}", change("target_level"),
                  delta_color="off", border=True)
figures[3].metric("Average gap (latest)", f"{latest['gap']:.1f} levels", change("gap"), delta_color="inverse",
                  border=True)

left, right = st.columns([1, 1], gap="large")
with left:
    st.subheader("The organisation's trend")
    st.caption("Average current and target level over every practice that applies, per snapshot; a cross marks a "
               "fall in the current level.")
    st.plotly_chart(views.trend_chart, key="history_trend", config={"displaylogo": False})

with right:
    st.subheader("Each area over time")
    units = views.units
    unit = st.selectbox("Unit", [None, *units], format_func=lambda u: "Whole organisation" if u is None else u,
                        key=f"history_unit_{snapshots.organisation_key(organisation)}")
    if unit is None:
        st.caption("Whole organisation: average over every practice that applies, per area.")
    else:
        st.caption(f"{escape_markdown(unit)}: average over its practices, per area.")
    areas = views.area_chart if unit is None else database.unit_area_chart(organisation, infos, unit)
    st.plotly_chart(areas, key="history_areas", config={"displaylogo": False})

# ---- what moved since the previous snapshot -----------------------------------------------------
st.subheader("Since the previous snapshot")
if len(infos) < 2:
    st.info("One snapshot so far: what moved shows once a second one is saved.", icon=":material/info:")
    st.stop()
before, after = infos[-2], infos[-1]
st.caption(f"From {escape_markdown(snapshots.describe(before))} to {escape_markdown(snapshots.describe(after))}, "
           "per unit and area (the average current level of its practices).")
moved, stuck = views.movements, views.stuck
regressed = moved[moved["status"] == "regressed"]
improved = moved[moved["status"] == "improved"]
counts = st.columns(3)
counts[0].metric("Moved up", len(improved), "unit × areas whose current level rose", delta_color="off",
                 delta_arrow="off", border=True)
counts[1].metric("Moved down", len(regressed), "regressions" if len(regressed) else "no regression",
                 delta_color="inverse" if len(regressed) else "off", delta_arrow="down" if len(regressed) else "off",
                 border=True)
counts[2].metric("Stuck", len(stuck), "same level for 2+ snapshots, short of target", delta_color="off",
                 delta_arrow="off", border=True)

MOVED_COLUMNS = {
    "unit": "Unit", "dimension": None, "dimension_name": "Area",
    "current_before": st.column_config.NumberColumn("Before", format="%.2f"),
    "current_after": st.column_config.NumberColumn("Now", format="%.2f"),
    "change": st.column_config.NumberColumn("Change", format="%+.2f"),
    "target_after": st.column_config.NumberColumn("Target", format="%.2f"), "status": "Status",
}
if len(regressed):
    st.error(f"**{len(regressed)} regression{'s' * (len(regressed) != 1)}**: unit × areas whose current level "
             "fell since the previous snapshot.", icon=":material/trending_down:")
    st.dataframe(regressed, hide_index=True, column_config=MOVED_COLUMNS, key="history_regressions")
# Drawn only while open: for 500 units the rises are a table of a thousand rows, drawn on every rerun.
rises = st.expander(f"Moved up ({len(improved)})", icon=":material/trending_up:", key="history_improved_panel",
                    on_change="rerun")
if rises.open:
    with rises:
        if len(improved):
            st.dataframe(improved, hide_index=True, column_config=MOVED_COLUMNS, key="history_improved")
        else:
            st.caption("No unit × area rose since the previous snapshot.")
st.markdown(f"**Stuck** ({len(stuck)})")
if len(stuck):
    st.dataframe(stuck, hide_index=True, key="history_stuck", column_config={
        "unit": "Unit", "dimension": None, "dimension_name": "Area",
        "current_level": st.column_config.NumberColumn("Current", format="%.2f"),
        "target_level": st.column_config.NumberColumn("Target", format="%.2f"),
        "gap": st.column_config.NumberColumn("Gap", format="%.2f"),
        "snapshots": st.column_config.NumberColumn("Snapshots at this level"), "since": "Since"})
else:
    st.caption("No unit × area short of its target has stayed at one level for two snapshots or more.")

st.download_button("Download history CSV",
                   database.audited(lambda: maturity.to_csv_bytes(views.history), organisation, "history.csv"),
                   file_name=maturity.safe_filename(f"{organisation}_history", ".csv"), mime="text/csv",
                   icon=":material/download:", on_click="ignore")
