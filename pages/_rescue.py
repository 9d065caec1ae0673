""""Read this file anyway": when no table was found in an upload, say where it is, sheet by sheet.

Drawn on the Overview under the refusal, about the refused file (not the one still shown). The
controls make the same :class:`maturity.Corrections` as the command line's ``--sheet``,
``--header-row`` and ``--role``, so both read a file the same way.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import maturity
from maturity.corrections import ROLE_CHOICES
from maturity.layout import likely_header_row
from pages._ui import loading, session
from pages._ui.key import Source

_NO_ROLE = ""


def show(waiting: Source) -> None:
    """The rescue panel for the upload ``waiting``."""
    workbook = loading.pending_workbook()
    sheets = [s for s in workbook.sheets if not s.cells.empty]
    if not sheets:
        return
    base = maturity.load_rubric("cdmm")
    key = f"rescue_{waiting.digest[:16]}"
    with st.expander(f"Read {waiting.name} anyway: say where its table is", expanded=True,
                     icon=":material/build:"):
        st.caption("Pick the sheet and the row that holds the column titles, then give each column its role "
                   "(at least a current level and an area or practice column). Nothing is guessed here: the "
                   "file is read exactly as you say, and \"Undo my corrections\" brings this back.")
        names = [s.name for s in sheets]
        name = st.selectbox("Sheet", names, key=f"{key}_sheet")
        raw = next(s for s in sheets if s.name == name)
        header = int(st.number_input("Header row", min_value=1, max_value=len(raw.cells),
                                     value=likely_header_row(raw, base), key=f"{key}_{name}_header"))
        row = raw.cells.iloc[header - 1]
        body = raw.cells.iloc[header:header + 200]
        headers = ["" if pd.isna(v) else str(v).strip() for v in row.tolist()]
        columns = pd.DataFrame({
            "Column": [maturity.Column(i, h, None).letter for i, h in enumerate(headers)],
            "Header": headers,
            "Role": [maturity.column_role(h) or _NO_ROLE for h in headers],
            "First values": [" · ".join(str(v) for v in pd.unique(body[i].dropna())[:3]) for i in range(len(headers))],
        })
        editor = f"{key}_{name}_{header}_roles"
        st.data_editor(columns, key=editor, hide_index=True, disabled=["Column", "Header", "First values"],
                       column_config={"Role": st.column_config.SelectboxColumn(
                           options=[_NO_ROLE, *ROLE_CHOICES], width="medium")})
        st.button("Read this sheet", icon=":material/check:", type="primary", on_click=_read,
                  args=(name, header, columns, editor))


def _read(sheet: str, header: int, columns: pd.DataFrame, editor: str) -> None:
    """The button's callback: the roles as edited, as corrections, applied to the waiting upload."""
    roles = dict(zip(columns["Column"], columns["Role"], strict=True))
    for position, change in session.edited_rows(editor).items():
        if "Role" in change and 0 <= position < len(columns):
            roles[columns["Column"].iloc[position]] = change["Role"] or _NO_ROLE
    # Every column as the user left it: a role, or none ("" is no role, as --role B=none makes it).
    loading.rescue(maturity.Corrections(sheets=(sheet,), header_row=header, roles=tuple(roles.items())))
