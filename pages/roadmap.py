"""Roadmap: the prioritized steps, filtered by unit, dimension and phase, on a phase timeline, with the
score's parts, and downloads of exactly what is shown."""

from __future__ import annotations

import datetime as dt

import streamlit as st

import maturity
from maturity.schedule import PhaseLength
from pages._ui import analysis, components, filters, navigation

_LENGTHS = ["1 quarter", "1 month", "6 weeks", "2 quarters", "1 year"]

navigation.require_shell()

st.title("Roadmap")

rubric = analysis.rubric()
unit, dimension = filters.unit(), filters.dimension()
roadmap = analysis.roadmap()
phases = sorted(int(p) for p in roadmap["phase"].unique()) if len(roadmap) else []


@st.fragment  # choosing phases or how many lanes to draw redraws the steps, not the whole app
def steps() -> None:
    phase_filter, start_box, length_box = st.columns([2, 1, 1])
    chosen_phases = phase_filter.multiselect(
        "Phases", phases, format_func=lambda p: f"Phase {p}", key="roadmap_phases", placeholder="All phases",
        persist_state="session",
        help="Phase 1 is every step to the lowest level a unit still misses; each later phase climbs one level more.")
    start = start_box.date_input("Phase 1 starts", value=None, key="roadmap_start", persist_state="session",
                                 format="YYYY-MM-DD", min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1),
                                 help="Give the roadmap a start date: each phase then has dates, in the table, the "
                                      "timeline and the downloads.")
    length = length_box.selectbox("Each phase lasts", _LENGTHS, key="roadmap_phase_length", persist_state="session",
                                  disabled=start is None)
    schedule = (start.isoformat(), length) if start is not None else None
    view = analysis.steps(unit, dimension, tuple(sorted(chosen_phases)), schedule)
    shown = view.shown

    if roadmap.empty:
        st.info("Nothing to plan: every practice is at or above its target.", icon=":material/info:")
        st.stop()
    if shown.empty:
        st.info("No roadmap step matches these filters. Change the unit, dimension or phase filter.",
                icon=":material/info:")
        st.stop()

    figures = st.columns(4)
    figures[0].metric("Steps", len(shown), border=True)
    figures[1].metric("Units", view.units, border=True)
    figures[2].metric("Phases", view.phases, border=True)
    figures[3].metric("Practices", view.practices, border=True)

    st.subheader("Phase timeline")
    top = components.units_shown(view.units)
    which = f" The {top} units with the most steps, most first." if top else ""
    dated = (f" Phase 1 starts on {start:%d %B %Y}; each phase lasts {PhaseLength.parse(length).describe()}."
             if start is not None else "")
    st.caption(f"Each block is one phase of one unit: the steps that bring it up to the next level.{which}{dated}")
    st.plotly_chart(analysis.timeline(unit, dimension, tuple(sorted(chosen_phases)), top, schedule),
                    key="roadmap_timeline", config={"displaylogo": False})

    st.subheader("Steps in order")
    # A whole organisation's roadmap is tens of thousands of steps: the table shows the first ones, the
    # downloads have every step shown above.
    listed = (f" The first {len(view.table)} are listed; the downloads have all." if len(view.table) < len(shown)
              else "")
    ranked = (" Rank is the step's place in what is shown; Org rank its place in the whole roadmap."
              if len(shown) < len(roadmap) else "")
    st.caption(f"{len(shown)} of {len(roadmap)} steps. Score = remaining gap (the levels the practice still has to "
               "climb to its target, the same on each of its steps) + priority part (1.5 × priority "
               "points) + effort part (−0.5 × effort points). Steps go by phase, then by the level they reach, then by "
               f"score.{ranked}{listed}")
    st.dataframe(
        view.table, hide_index=True, key="roadmap_table", height=420,
        # At 1400 px every figure shows without scrolling: the score's parts in one column, priority and
        # effort in another, a column the filters make constant left out; the downloads have them all apart.
        column_order=["rank", *(["org_rank"] if "org_rank" in view.table else []), "phase",
                      *(["phase_start", "phase_end"] if schedule else []), *([] if unit else ["unit"]),
                      *([] if dimension else ["dimension"]), "practice", "step",
                      *(["level_share"] if rubric.fractional else []), "priority_score", "parts", "asks", "owner",
                      "actions"],
        column_config={
            "rank": st.column_config.NumberColumn("Rank", format="%d", pinned=True, width=50),
            "org_rank": st.column_config.NumberColumn("Org rank", format="%d", width=72,
                                                      help="The step's place in the whole organisation's roadmap"),
            "phase": st.column_config.NumberColumn("Phase", format="%d", width=52),
            "phase_start": st.column_config.TextColumn("Starts", width=90),
            "phase_end": st.column_config.TextColumn("Ends", width=90),
            "unit": st.column_config.TextColumn("Unit", width=112),
            "dimension": st.column_config.TextColumn("Dimension", width=86),
            "practice": st.column_config.TextColumn("Practice", width=176),
            # The whole step, "Intermediate → Advanced", never cut.
            "step": st.column_config.TextColumn("Step", width=168),
            "level_share": st.column_config.NumberColumn(
                "Of the level", format="percent", width=80,
                help="How much of the level this step covers: a score of 1.625 has 0.375 of level 2 to go"),
            "priority_score": st.column_config.NumberColumn("Score", format="%.1f", width=56,
                                                            help="Remaining gap + priority part + effort part"),
            "parts": st.column_config.TextColumn(
                "Gap + prio. ± effort", width=128,
                help="The score's parts: the remaining gap (the levels the practice still has to climb to its "
                     "target), the priority part and the effort part"),
            "asks": st.column_config.TextColumn("Priority · effort", width=104),
            "owner": st.column_config.TextColumn("Owner", width=120),
            "actions": st.column_config.TextColumn("Rubric practices for this level", width="large"),
        },
    )

    csv, excel, _ = st.columns([1, 1, 2])
    csv.download_button("Download roadmap CSV", lambda: maturity.to_csv_bytes(shown),
                        file_name=components.download_name(".csv", "roadmap"),
                        mime="text/csv", icon=":material/download:", on_click="ignore", type="primary", width="stretch")
    excel.download_button("Download roadmap Excel", lambda: maturity.to_excel_bytes({"Roadmap": shown}),
                          file_name=components.download_name(".xlsx", "roadmap"),
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          icon=":material/table:", on_click="ignore", width="stretch")


steps()
