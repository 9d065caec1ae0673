"""Rubric: the maturity model in use (built in, uploaded, or the file's own) as a browsable matrix of
levels × areas, with its groups, source and licence."""

from __future__ import annotations

import streamlit as st

import maturity
from pages._ui import analysis, components, navigation

navigation.require_shell()

rubric = analysis.rubric()
esc = components.escape_markdown
st.title(f"Rubric: {esc(rubric.label)}")

by = f" by {esc(rubric.authors)}" if rubric.authors else ""
source = f" Source: [{esc(rubric.source)}]({rubric.source})" if rubric.source.startswith("https://") else (
    f" Source: {esc(rubric.source)}" if rubric.source else "")
st.markdown(f"**{esc(rubric.name)}**{by}.{source}")
if rubric.license:
    st.caption(f"Licence: {esc(rubric.license)}")
st.caption(esc(rubric.description))
scale = f"Levels {rubric.lowest}–{rubric.highest}" + (
    ", scored in fractions (1.625 is past level 1, 0.625 of the way to level 2)" if rubric.fractional else "")
st.caption(f"{scale}; {len(rubric.dimensions)} areas"
           + (f" in {len(rubric.groups)} groups" if rubric.groups else "")
           + f"; {rubric.practice_count} practices.")
if not rubric.practice_count:
    st.info("This model defines no practices: the roadmap plans the levels to climb without naming actions. "
            "Pick a built-in model in the sidebar if the file was assessed against one.", icon=":material/info:")

st.dataframe({"Level": [lv.level for lv in rubric.levels], "Name": [lv.name for lv in rubric.levels],
              "What it means": [lv.summary for lv in rubric.levels]}, hide_index=True)

if not rubric.practice_count:  # the file's own model: its areas are all there is to show
    st.dataframe({**({"Group": [rubric.group_name(d.id) for d in rubric.dimensions]} if rubric.groups else {}),
                  "Area": [d.name for d in rubric.dimensions]}, hide_index=True)
    st.stop()

groups = {g.id: g.name for g in rubric.groups}
if groups:
    group = st.segmented_control("Group", list(groups), format_func=groups.get, default=next(iter(groups)),
                                 key=f"rubric_group_{rubric.fingerprint}", required=True)
    areas = [d for d in rubric.dimensions if d.group == group]
else:
    areas = list(rubric.dimensions)
dimension = st.segmented_control("View", [None, *(d.id for d in areas)],
                                 format_func=lambda d: "Whole matrix" if d is None else rubric.dimension(d).name,
                                 default=None, key=f"rubric_dimension_{rubric.fingerprint}")

if dimension is None:
    widths = [1.3, *[2] * len(areas)]
    header = st.columns(widths, gap="small")
    header[0].markdown("**Level**")
    for column, dim in zip(header[1:], areas, strict=True):
        column.markdown(f"**{esc(dim.name)}**", help=dim.description or None)
    for level in reversed(rubric.levels):
        row = st.columns(widths, gap="small")
        row[0].markdown(f"**{level.level}**  \n{esc(level.name)}", help=level.summary or None)
        for column, dim in zip(row[1:], areas, strict=True):
            with column.container(border=True, height="stretch"):
                st.markdown("  \n".join(f":small[{esc(p.label)}]" for p in rubric.practices_at(dim.id, level.level)))
else:
    dim = rubric.dimension(dimension)
    st.subheader(esc(dim.name))
    st.caption(esc(dim.description))
    for level in reversed(rubric.levels):
        practices = rubric.practices_at(dim.id, level.level)
        with st.expander(f"{level.level} · {esc(level.name)}: {len(practices)} practices", expanded=True):
            st.caption(esc(level.summary))
            for practice in practices:
                stream = f" ({esc(practice.stream)})" if practice.stream else ""
                st.markdown(f"- **{esc(practice.label)}**{stream}: {esc(practice.description)}")

st.download_button("Download a template workbook for this model", lambda: maturity.template_bytes(rubric),
                   file_name=maturity.safe_filename(f"gapmap_{rubric.id}_template", ".xlsx"),
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   icon=":material/download:", on_click="ignore")
