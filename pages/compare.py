"""Compare units: several units' radars overlaid, and the units ranked by their gap."""

from __future__ import annotations

import streamlit as st

import maturity
from maturity import charts
from pages._ui import analysis, components, filters, navigation

navigation.require_shell()

st.title("Compare units")

rubric = analysis.rubric()
assessment = analysis.assessment()
units = assessment.units
dimension = filters.dimension()
names = {d.id: d.name for d in rubric.dimensions}


@st.fragment  # choosing units, the measure or how many to rank redraws the comparison, not the whole app
def comparison() -> None:
    pick, show = st.columns([3, 1], vertical_alignment="bottom")
    chosen = pick.multiselect("Units to compare", units, default=units[:4],
                              key=f"compare_{analysis.source().digest[:16]}", placeholder="Choose units",
                              persist_state="session", max_selections=len(charts.UNIT_COLORS),
                              help=f"Up to {len(charts.UNIT_COLORS)} at a time, so each line keeps its own colour; "
                                   "the Overview's heatmap shows every unit.")
    measure = show.segmented_control("Show", ["current", "target"], default="current", required=True,
                                     format_func=str.title, key="compare_measure", persist_state="session")

    if len(units) < 2:
        st.info("This file has a single unit, so there is nothing to compare. Units come from a Unit column, or "
                "from one sheet per unit.", icon=":material/info:")
        st.stop()
    if not chosen:
        st.info("Choose at least one unit to compare.", icon=":material/info:")
        st.stop()

    left, right = st.columns([6, 5], gap="large")
    with left:
        st.subheader(f"{measure.title()} level by dimension")
        st.caption("Each line is one unit's average level per dimension.")
        st.plotly_chart(analysis.view("unit_radar", tuple(chosen), measure), key="compare_radar",
                        config={"displaylogo": False})
    with right:
        st.subheader("Units ranked by gap")
        top = components.units_shown(len(units))
        which = f"the {top} largest, " if top else ""
        st.caption(f"Average levels to climb per practice in {names[dimension]}, {which}largest first." if dimension
                   else f"Average levels to climb per practice, all dimensions, {which}largest first. Pick a "
                        "dimension in the sidebar to rank within it.")
        st.plotly_chart(analysis.view("gap_ranking", dimension, top), key="compare_ranking",
                        config={"displaylogo": False})

    st.subheader("Averages per unit and dimension")
    table = charts.dimension_averages(assessment.normalized[assessment.normalized["unit"].isin(chosen)], rubric,
                                      by_unit=True).drop(columns="dimension")
    if dimension:
        table = table[table["dimension_name"] == names[dimension]]
    st.dataframe(table, hide_index=True, column_config={
        "unit": "Unit", "dimension_name": "Dimension",
        "current": st.column_config.NumberColumn("Current", format="%.1f"),
        "target": st.column_config.NumberColumn("Target", format="%.1f"),
        "gap": st.column_config.NumberColumn("Gap", format="%.1f"), "practices": "Practices",
    })

    st.download_button("Download comparison CSV", lambda: maturity.to_csv_bytes(table),
                       file_name=components.download_name(".csv", "comparison"), mime="text/csv",
                       icon=":material/download:", on_click="ignore")


comparison()
