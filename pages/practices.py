"""Practice areas: one dimension at a time, current vs target per practice, the rubric's next steps, and
targets you can change."""

from __future__ import annotations

import math

import streamlit as st

import maturity
from pages._ui import analysis, components, edits, filters, navigation
from pages._ui.components import escape_markdown

_NAMED = 12  # assessed practices named in a level's list before "and N more"


def _assessed(needing, whole_organisation: bool) -> str:
    """The assessed practices (rows of ``needing``) a level's list names: each once, with how many units
    when the whole organisation is shown; the file's text escaped."""
    names = needing["practice"].fillna(needing["dimension_name"]).astype(str)
    counts = names.value_counts(sort=False)
    shown = [f"{escape_markdown(name)}" + (f" ({count} unit{'s' * (count != 1)})" if whole_organisation else "")
             for name, count in counts.head(_NAMED).items()]
    more = f", and {len(counts) - _NAMED} more" if len(counts) > _NAMED else ""
    return ", ".join(shown) + more


navigation.require_shell()

st.title("Practice areas")

rubric = analysis.rubric()
names = {d.id: d.name for d in rubric.dimensions}
# The page's picker follows the shared dimension filter both ways: it starts from the filter (its key
# changes with it) and a click here sets the filter.
shared = filters.dimension() or rubric.dimension_ids[0]
picker = f"practice_dimension_{shared}"
dimension = st.segmented_control(
    "Dimension", list(rubric.dimension_ids), default=shared, format_func=names.get, required=True, key=picker,
    on_change=filters.dimension_from_widget, args=(picker,))
unit = filters.unit()
assessment = analysis.assessment()
rows = analysis.view("practice_rows", dimension, unit)

if rows.empty:
    where = f" for {unit}" if unit else ""
    st.info(escape_markdown(f"No practice of {names[dimension]} was assessed{where}."), icon=":material/info:")
    st.stop()

scope = unit or "Whole organisation (averaged over units)"
left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader("Current vs target per practice")
    st.caption(escape_markdown(scope))
    st.plotly_chart(analysis.view("practice_bars", dimension, unit), key="practice_bars",
                    config={"displaylogo": False})
with right:
    st.subheader("Next steps from the rubric")
    st.caption("The rubric's practices for each level between where the practices are and their targets.")
    low, high = math.floor(rows["current_level"].min()), math.ceil(rows["target_level"].max())
    if not (rows["target_level"] > rows["current_level"]).any():
        st.caption("Every practice here is at or above its target.")
    first = True
    for level in range(low + 1, high + 1):
        # a practice needs a level it has not reached and its target goes into (2.375 goes into level 3)
        need = (rows["current_level"] < level) & (rows["target_level"] > level - 1)
        needing = int(need.sum())
        if not needing:
            continue
        title = (f"Reach {level} · {rubric.level_name(level)}: "
                 f"{needing} practice{'s need' if needing != 1 else ' needs'} it")
        with st.expander(title, expanded=first):
            st.markdown(f"**Yours that need it:** {_assessed(rows[need], unit is None)}")
            model = rubric.practices_at(dimension, level)
            st.markdown(f"**{escape_markdown(rubric.name)} at {escape_markdown(rubric.level_name(level))}:**"
                        + ("" if model else " the model names no practices for this level."))
            for practice in model:
                st.markdown(f"**{escape_markdown(practice.label)}**  \n"
                            f":small[{escape_markdown(practice.description)}]")
        first = False

st.subheader("Targets")
st.caption("Change a target level and every chart and the roadmap follow. Your file is not changed.")
level_names = [lv.name for lv in rubric.levels]
unit_position = assessment.units.index(unit) if unit in assessment.units else "all"
key = f"targets_{edits.edit_version()}_{dimension}_{unit_position}"
st.data_editor(
    rows[["unit", "practice", "current", "target", "gap"]], key=key, hide_index=True,
    disabled=["unit", "practice", "current", "gap"],
    column_config={
        "unit": "Unit", "practice": st.column_config.TextColumn("Practice", width="large"), "current": "Current",
        "target": st.column_config.SelectboxColumn("Target", options=level_names, required=True,
                                                   help="Pick the level this practice should reach"),
        "gap": st.column_config.NumberColumn("Gap", format="%d"),
    },
    # Applied before the rerun the edit starts; the key changes with it, so the editor then starts
    # again from the new targets.
    on_change=edits.targets_from_editor, args=(key, rows.index.tolist()),
)
if edits.changed_targets():
    st.button("Reset targets to the file's", icon=":material/restart_alt:", on_click=edits.reset_targets)

st.download_button("Download practices CSV", lambda: maturity.to_csv_bytes(rows.drop(columns=["current", "target"])),
                   file_name=components.download_name(".csv", f"{dimension}_practices"), mime="text/csv",
                   icon=":material/download:", on_click="ignore")
