""""What gapmap understood": the sheets and header rows it used, each column's role, each level scale,
and the problems table, with controls to correct the layout; for several files read as one
assessment, each file's reading (corrected one file at a time) and their problems, each naming its
file. Drawn on the Overview page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import maturity
from maturity import Assessment, Layout, LevelScale, RawSheet, RawWorkbook, Rubric, SheetLayout
from pages._ui import analysis, cache, edits, session
from pages._ui.components import download_name, escape_markdown
from pages._ui.key import HASH_FUNCS, AnalysisKey, Source

_UNIT_SOURCE = {"column": "a Unit column", "sheet name": "the sheet names (one sheet per unit)",
                "sheet labels": "the row or column labels of the current and target sheets",
                "level column headers": "the headers over each unit's pair of level columns"}
_PROBLEM_LABELS = {"source_file": "File", "source_sheet": "Sheet", "source_row": "Row", "cell": "Cell",
                   "column": "Column", "value": "Value", "problem": "Problem"}


def show(assessment: Assessment, workbook: RawWorkbook, rubric: Rubric, expanded: bool) -> None:
    """The understanding panel of ``assessment`` (read from ``workbook``), inside an expander."""
    problems = assessment.rows_with_problems
    read = len(assessment.layout.sheets) + 2 * len(assessment.layout.pairs)
    title = (f"How this file was read: {read} sheet{'s' * (read != 1)}, {len(assessment.normalized)} rows read, "
             f"{problems} row{'s' * (problems != 1)} with problems")
    # Drawn only while open, and only the chosen sheet's tab: a 500-unit file's controls and problems
    # table cost more than the charts, and a filter change must not pay for a closed panel.
    file_key = analysis.source().digest[:16]
    panel = st.expander(title, expanded=expanded, icon=":material/fact_check:", key=f"understood_{file_key}",
                        on_change="rerun")
    if not panel.open:
        return
    with panel:
        st.text(assessment.summary())
        # The model is shown just below, each pair of sheets with its control: neither twice.
        said_below = {pair.note for pair in assessment.layout.pairs}
        notes = [note for note in assessment.notes if not note.startswith("model: ") and note not in said_below]
        if notes:  # engine text that names sheets (user text), so escaped
            st.caption("  \n".join(escape_markdown(note) for note in notes))
        _model(assessment, rubric)
        layout = assessment.layout
        unit_source = _UNIT_SOURCE.get(layout.unit_source, f"one unit for the whole file, named {layout.single_unit}")
        st.text(f"Units come from {unit_source}.")
        if layout.skipped:
            st.dataframe(pd.DataFrame({"Sheet not used": [s.sheet for s in layout.skipped],
                                       "Why": [s.reason for s in layout.skipped]}), hide_index=True)
        if edits.layout_corrected():
            st.button("Undo my corrections", icon=":material/undo:", on_click=edits.reset_layout)
        for pair in layout.pairs:
            st.text(f"Sheets {pair.current!r} (current levels) and {pair.target!r} (target levels) are read "
                    f"together as units × areas matrices: {pair.evidence}.")
            other = "down" if pair.areas_across else "across"
            st.button(f"Read the areas {other} instead", key=f"flip_{edits.edit_version()}_{pair.name}",
                      icon=":material/swap_horiz:", on_click=_pair_read,
                      args=(layout, workbook, pair.current, pair.target, other, rubric))
        _read_other_sheets(layout, workbook, rubric)
        if layout.sheets:
            names = [escape_markdown(s.sheet) for s in layout.sheets]
            tabs = st.tabs(names, key=_tabs_key(), on_change="rerun")
            for tab, sheet_layout in zip(tabs, layout.sheets, strict=True):
                if tab.open:
                    with tab:
                        _sheet(layout, sheet_layout, workbook, rubric)
        _problems(assessment)


def show_files(source: Source, assessment: Assessment, expanded: bool) -> None:
    """The understanding panel of several files read as one ``assessment`` (``source.files``): a tab per
    file (its summary, model, units, sheets and problems), then every problem, each naming its file."""
    files = [cache.file_assessment(AnalysisKey(file, analysis.key().model)) for file in source.files]
    problems = sum(file.rows_with_problems for file in files)
    title = (f"How these {len(files)} files were read: {len(assessment.normalized)} rows read, "
             f"{problems} row{'s' * (problems != 1)} with problems")
    panel = st.expander(title, expanded=expanded, icon=":material/fact_check:",
                        key=f"understood_{source.digest[:16]}", on_change="rerun")
    if not panel.open:
        return
    with panel:
        st.caption("Each file is read on its own, then together: each file's units are kept. Layout "
                   "corrections are made one file at a time: upload a file alone to correct how it is read.")
        tabs = st.tabs([escape_markdown(file.name) for file in source.files], key=_tabs_key(), on_change="rerun")
        for tab, read in zip(tabs, files, strict=True):
            if tab.open:
                with tab:
                    _file_read(read, assessment.problems)
        _problems(assessment)


def _file_read(read: Assessment, problems: pd.DataFrame) -> None:
    """One file's reading, shown only (its corrections are made with the file uploaded alone)."""
    st.text(read.summary())
    notes = [note for note in read.notes if not note.startswith("model: ")]
    if notes:
        st.caption("  \n".join(escape_markdown(note) for note in notes))
    _model_in_use(read, read.rubric)
    layout = read.layout
    unit_source = _UNIT_SOURCE.get(layout.unit_source, f"one unit for the whole file, named {layout.single_unit}")
    st.text(f"Units come from {unit_source}: {', '.join(read.units)}.")
    sheets = [(s.sheet, s.header_row, ", ".join(f"{c.header or c.letter}: {c.role}" for c in s.columns if c.role))
              for s in layout.sheets]
    sheets += [(f"{pair.current} + {pair.target}", None, f"current and target levels: {pair.evidence}")
               for pair in layout.pairs]
    if sheets:
        st.dataframe(pd.DataFrame(sheets, columns=["Sheet", "Header row", "Columns read"]), hide_index=True,
                     column_config={"Columns read": st.column_config.TextColumn(width="large")})
    if layout.skipped:
        st.dataframe(pd.DataFrame({"Sheet not used": [s.sheet for s in layout.skipped],
                                   "Why": [s.reason for s in layout.skipped]}), hide_index=True)
    own = problems[problems["source_file"] == read.filename] if "source_file" in problems else problems
    st.markdown(f"**Problems in this file** ({len(own)})")
    if own.empty:
        st.caption("Every row of this file was read.")
    else:
        st.dataframe(_problem_table(own), hide_index=True,
                     column_config={"Problem": st.column_config.TextColumn(width="large")})


def _problem_table(problems: pd.DataFrame) -> pd.DataFrame:
    """The problems as shown: the file they come from first, when there are several files."""
    first = ["source_file"] if "source_file" in problems else []
    return problems[first + [c for c in problems.columns if c not in first]].rename(columns=_PROBLEM_LABELS)


def _read_other_sheets(layout: Layout, workbook: RawWorkbook, rubric: Rubric) -> None:
    """Controls to read a sheet detection passed over, alone from a header row, or two of them as a
    current and a target sheet: the same corrections as ``--sheet``/``--header-row`` and ``--pair``."""
    skipped = [s.sheet for s in layout.skipped
               if not next(raw for raw in workbook.sheets if raw.name == s.sheet).cells.empty]
    if not skipped:
        return
    key = f"other_{edits.edit_version()}"
    with st.popover("Read a sheet that was not used", icon=":material/add_notes:"):
        name = st.selectbox("Sheet", skipped, key=f"{key}_sheet")
        raw = next(s for s in workbook.sheets if s.name == name)
        header = st.number_input("Its header row", min_value=1, max_value=max(1, len(raw.cells)),
                                 value=maturity.likely_header_row(raw, rubric), key=f"{key}_{name}_header",
                                 help="The row holding the column titles; give the columns their roles after.")
        st.button("Read this sheet", key=f"{key}_read", icon=":material/check:", on_click=_sheet_read,
                  args=(layout, workbook, name, int(header), rubric))
        if len(skipped) >= 2:
            st.divider()
            st.caption("Or read two sheets together: current levels on one, target levels on the other, each a "
                       "units × areas matrix.")
            current = st.selectbox("Current levels", skipped, key=f"{key}_current")
            target = st.selectbox("Target levels", [s for s in skipped if s != current], key=f"{key}_target")
            areas = st.radio("Areas run", ["as the labels suggest", "across", "down"], horizontal=True,
                             key=f"{key}_areas")
            st.button("Read them together", key=f"{key}_pair", icon=":material/join:", on_click=_pair_read,
                      args=(layout, workbook, current, target, "" if areas.startswith("as") else areas, rubric))
    error = session.correction_error()
    if error is not None and error[0] == analysis.source().digest:  # said of this file, not of an earlier one
        st.error(error[1], icon=":material/error:")


def _tabs_key() -> str:
    return f"understood_sheet_{analysis.source().digest[:16]}"


def _sheet_read(layout: Layout, workbook: RawWorkbook, sheet: str, header: int, rubric: Rubric) -> None:
    if _correct(lambda: maturity.read_sheet(workbook, layout, sheet, header, rubric)):
        session.set_widget_value(_tabs_key(), escape_markdown(sheet))  # its tab open: its roles to set next


def _pair_read(layout: Layout, workbook: RawWorkbook, current: str, target: str, areas: str, rubric: Rubric) -> None:
    _correct(lambda: maturity.read_pair(workbook, layout, current, target, areas, rubric))


def _correct(make) -> bool:
    """Apply the corrected layout ``make`` returns, or keep its one-line refusal for the panel to show."""
    try:
        layout = make()
    except maturity.CorrectionError as error:
        session.set_correction_error((analysis.source().digest, str(error)))
        return False
    session.set_correction_error(None)
    edits.set_layout(layout)
    return True


def _model(assessment: Assessment, rubric: Rubric) -> None:
    """The model in use and why, and the file's area values that were not read by their exact names."""
    _model_in_use(assessment, rubric)
    _areas(assessment, rubric)


def _model_in_use(assessment: Assessment, rubric: Rubric) -> None:
    """The model in use, why, and how many of the file's areas each candidate names."""
    choice = assessment.choice
    why = f": {choice.reason}" if choice is not None else ""
    st.markdown(f"**Model: {escape_markdown(rubric.label)}**{escape_markdown(why)}")
    if choice is not None and choice.coverage:
        st.dataframe(pd.DataFrame({"Model": [c.label for c in choice.coverage[:4]],
                                   "Areas named": [f"{c.covered} of {c.distinct}" for c in choice.coverage[:4]],
                                   "Share": [c.share for c in choice.coverage[:4]]}),
                     hide_index=True, column_config={"Share": st.column_config.ProgressColumn(format="percent")})


def _areas(assessment: Assessment, rubric: Rubric) -> None:
    """The file's area values not read by their exact names, to confirm or assign."""
    shown = [m for m in assessment.area_matches if m.how != "exact"]
    if not shown:
        return
    st.markdown(f"**Areas not read by their exact names** ({len(shown)})")
    st.caption("A close spelling is read as the area shown, with a warning on its rows, until you confirm it; "
               "a value that is no area of the model is a problem until you give it one.")
    names = [d.name for d in rubric.dimensions]
    table = pd.DataFrame({
        "In the file": [m.value for m in shown],
        "Read as": [rubric.dimension(m.dimension_id).name if m.dimension_id else None for m in shown],
        "How": [{"spelling": "close spelling: confirm or change", "user": "set by you",
                 "none": "not read: pick an area"}[m.how] for m in shown],
        "Confirmed": [m.how == "user" for m in shown],
    })
    st.data_editor(table, key=f"areas_{edits.edit_version()}", hide_index=True,
                   disabled=["In the file", "How"],
                   column_config={"Read as": st.column_config.SelectboxColumn(options=names, width="medium"),
                                  "In the file": st.column_config.TextColumn(width="medium")},
                   on_change=_areas_changed,
                   args=(assessment.layout, tuple(m.value for m in shown), rubric, f"areas_{edits.edit_version()}"))


def _areas_changed(layout: Layout, values: tuple[str, ...], rubric: Rubric, key: str) -> None:
    """The areas editor's callback: a confirmed or reassigned value is read as the area it shows."""
    by_name = {d.name: d.id for d in rubric.dimensions}
    corrected = layout
    current = {m.value: m for m in analysis.file_assessment().area_matches}
    for position, change in session.edited_rows(key).items():
        if not 0 <= position < len(values):
            continue
        value = values[position]
        match = current.get(value)
        chosen = by_name.get(change.get("Read as")) or (match.dimension_id if match else None)
        if chosen and (change.get("Confirmed", True) or "Read as" in change):
            corrected = corrected.with_area(value, chosen)
    if corrected != layout:
        edits.set_layout(corrected)


def _sheet(layout: Layout, sheet_layout: SheetLayout, workbook: RawWorkbook, rubric: Rubric) -> None:
    position = [s.sheet for s in layout.sheets].index(sheet_layout.sheet)
    raw = next(s for s in workbook.sheets if s.name == sheet_layout.sheet)
    # Each control starts from the layout and its key changes with every edit: its callback applies the
    # user's correction before the rerun the change starts, which then draws the corrected layout.
    key = f"{edits.edit_version()}_{position}"
    header, current, target = st.columns([1, 1, 1])
    header.number_input(
        "Header row", min_value=1, max_value=max(1, len(raw.cells)), value=sheet_layout.header_row,
        key=f"header_{key}", help="The row that holds the column titles; the rows below it are read as data.",
        on_change=_header_changed, args=(layout, raw, rubric, f"header_{key}"))
    for column, role in ((current, "current"), (target, "target")):
        scale = sheet_layout.scales.get(role)
        if scale is None:
            column.caption(f"No {role} level column: give one column the role '{role}' below.")
            continue
        choices = _scale_choices(scale, rubric)
        column.selectbox(
            f"{role.title()} level numbers", choices, index=choices.index((scale.low, scale.high)),
            format_func=lambda pair: (f"{pair[0]}–{pair[1]}: {pair[0]} = {rubric.level_name(rubric.lowest)}, "
                                      f"{pair[1]} = {rubric.level_name(rubric.highest)}"),
            key=f"scale_{role}_{key}",
            help=f"Detected: {scale.describe()}. Level names (Beginner, L2...) are read whatever the numbering.",
            on_change=_scale_changed, args=(layout, sheet_layout.sheet, role, f"scale_{role}_{key}"))
    if reasons := sheet_layout.problems():
        st.warning(f"This sheet is not read yet: {'; '.join(reasons)}. Set the roles below.", icon=":material/warning:")
    roles = pd.DataFrame({
        "Column": [c.letter for c in sheet_layout.columns],
        "Header": [c.header for c in sheet_layout.columns],
        "Role": [c.role for c in sheet_layout.columns],
        **({"For": [c.group or "" for c in sheet_layout.columns]} if sheet_layout.wide_groups else {}),
        "First values": list(_first_values(analysis.key().file_key, raw.name, sheet_layout.header_row,
                                           tuple(c.index for c in sheet_layout.columns), raw.cells)),
    })
    st.data_editor(
        roles, key=f"roles_{key}", hide_index=True, disabled=["Column", "Header", "For", "First values"],
        column_config={
            "Column": st.column_config.TextColumn(width="small"),
            "Role": st.column_config.SelectboxColumn(
                options=list(maturity.ROLES), width="medium",
                help="What the column holds; empty means the column is ignored. Each role sits on one column."),
            "First values": st.column_config.TextColumn(width="large"),
        },
        on_change=_roles_changed, args=(layout, sheet_layout, f"roles_{key}"),
    )


def _cell_text(value: object) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()


def _header_changed(layout: Layout, raw: RawSheet, rubric: Rubric, key: str) -> None:
    edits.set_layout(layout.with_sheet(maturity.relayout_sheet(raw, int(session.widget_value(key)), rubric)))


def _scale_changed(layout: Layout, sheet: str, role: str, key: str) -> None:
    low, high = session.widget_value(key)
    edits.set_layout(layout.with_scale(sheet, role, LevelScale(low, high)))


def _roles_changed(layout: Layout, sheet_layout: SheetLayout, key: str) -> None:
    """The roles editor's callback: each edited row gives its column a role (or none, when emptied)."""
    corrected = layout
    for position, change in session.edited_rows(key).items():
        if "Role" not in change or not 0 <= position < len(sheet_layout.columns):
            continue
        role = change["Role"] if isinstance(change["Role"], str) and change["Role"] else None
        if role != sheet_layout.columns[position].role:
            corrected = corrected.with_role(sheet_layout.sheet, sheet_layout.columns[position].index, role)
    if corrected != layout:
        edits.set_layout(corrected)


def _scale_choices(scale: LevelScale, rubric: Rubric) -> list[tuple[int, int]]:
    span = rubric.highest - rubric.lowest
    choices = [(rubric.lowest, rubric.highest), (rubric.lowest - 1, rubric.highest - 1)]
    if rubric.lowest != 0:
        choices.append((0, span))
    choices.append((scale.low, scale.high))
    return list(dict.fromkeys(choices))


@st.cache_resource(max_entries=256, ttl=3600, show_spinner=False, hash_funcs=HASH_FUNCS)
def _first_values(file: AnalysisKey, sheet: str, header_row: int, columns: tuple[int, ...],
                  _cells: pd.DataFrame) -> tuple[str, ...]:
    """The first distinct values under the header of each of ``columns``, for a file's sheet (the file's
    key, its digest and name, and the sheet's name stand for ``_cells``): looked up once, not on every
    rerun of an open panel."""
    return tuple(_examples(_cells, index, header_row) for index in columns)


def _examples(cells: pd.DataFrame, index: int, header_row: int) -> str:
    column = cells.iloc[header_row:, index]
    # The first rows nearly always hold three distinct values: look there before the whole column.
    for values in (column.head(200), column):
        shown = [_cell_text(v) for v in pd.unique(values.dropna()) if str(v).strip()][:3]
        if len(shown) == 3 or len(values) == len(column):
            return " · ".join(shown)
    return ""


def _warnings(assessment: Assessment) -> None:
    """The rows read with a warning (current above target, a name read as a close spelling)."""
    rows = assessment.normalized
    if "warning" not in rows or not rows["warning"].notna().any():
        return
    warned = rows[rows["warning"].notna()]
    st.markdown(f"**Read with a warning** ({len(warned)})")
    files = ["source_file"] if "source_file" in warned else []  # several files: which one each row is in
    st.dataframe(warned[[*files, "source_sheet", "source_row", "unit", "dimension_name", "practice", "current_level",
                         "target_level", "warning"]],
                 hide_index=True, column_config={"source_file": "File", "source_sheet": "Sheet", "source_row": "Row",
                                                 "unit": "Unit", "dimension_name": "Area", "practice": "Practice",
                                                 "current_level": "Current", "target_level": "Target",
                                                 "warning": st.column_config.TextColumn("Warning", width="large")})


def _problems(assessment: Assessment) -> None:
    _warnings(assessment)
    problems = assessment.problems
    st.markdown(f"**Problems** ({len(problems)})")
    if problems.empty:
        st.caption("Every row was read.")
        return
    st.dataframe(_problem_table(problems), hide_index=True,
                 column_config={"Problem": st.column_config.TextColumn(width="large")})
    st.download_button("Download problems CSV", lambda: maturity.to_csv_bytes(problems),
                       file_name=download_name(".csv", "problems"), mime="text/csv",
                       icon=":material/download:", on_click="ignore")
