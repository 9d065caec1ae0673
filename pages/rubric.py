"""Rubric: the built-in maturity model as a browsable matrix (levels × dimensions), with its source."""

from __future__ import annotations

import streamlit as st

import maturity
from pages import _state as state

state.require_shell()

st.title("Rubric")

rubric = state.rubric()
esc = state.escape_markdown
st.markdown(f"**{esc(rubric.name)}** by {esc(rubric.authors)}. Source: [{esc(rubric.source)}]({rubric.source})")
st.caption(f"{esc(rubric.description)} Summaries and descriptions are gapmap's own paraphrase, not the authors' text.")
dimension = st.segmented_control("View", [None, *rubric.dimension_ids],
                                 format_func=lambda d: "Whole matrix" if d is None else rubric.dimension(d).name,
                                 default=None, key="rubric_dimension")

if dimension is None:
    widths = [1.3, *[2] * len(rubric.dimensions)]
    header = st.columns(widths, gap="small")
    header[0].markdown("**Level**")
    for column, dim in zip(header[1:], rubric.dimensions, strict=True):
        column.markdown(f"**{esc(dim.name)}**", help=dim.description)
    for level in reversed(rubric.levels):
        row = st.columns(widths, gap="small")
        row[0].markdown(f"**{level.level}**  \n{esc(level.name)}", help=level.summary)
        for column, dim in zip(row[1:], rubric.dimensions, strict=True):
            with column.container(border=True, height="stretch"):
                st.markdown("  \n".join(f":small[{esc(p.label)}]" for p in rubric.practices_at(dim.id, level.level)))
else:
    dim = rubric.dimension(dimension)
    st.subheader(dim.name)
    st.caption(esc(dim.description))
    for level in reversed(rubric.levels):
        practices = rubric.practices_at(dim.id, level.level)
        with st.expander(f"{level.level} · {esc(level.name)}: {len(practices)} practices", expanded=True):
            st.caption(esc(level.summary))
            for practice in practices:
                st.markdown(f"- **{esc(practice.label)}**: {esc(practice.description)}")

st.download_button("Download a template workbook for this rubric", lambda: maturity.template_bytes(rubric),
                   file_name=maturity.safe_filename(f"gapmap_{rubric.id}_template", ".xlsx"),
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   icon=":material/download:", on_click="ignore")
