"""Raw sheets + layout + rubric → an :class:`Assessment`: one normalized table and one problems table.

Every non-blank row below a header lands in exactly one of the two: ``normalized`` (possibly with a
``warning``) or ``problems`` (one line per thing wrong with it, naming sheet, row, column and why).
All work is column-wise: distinct values are resolved once and mapped back, no loop over rows.
"""

from __future__ import annotations

import os
from dataclasses import replace

import numpy as np
import pandas as pd

from .assessment import Assessment
from .choose import AUTO, ModelChoice, choose_model
from .distinct import Factorized, map_distinct
from .errors import NoTargetsError
from .export import FORMULA_START
from .layout import LEVEL_ROLES, Column, Layout, SheetLayout
from .levels import is_blank, level_dtype, not_applicable, parse_levels
from .matching import AreaMatch, resolve_areas
from .reader import Limits, RawWorkbook, read_workbook
from .rubric import Rubric, match_key
from .shapes.stacked import READ_ELSEWHERE
from .shapes.tables import shape_tables
from .targets import default_levels, default_target_for, retarget, with_gaps
from .vocabulary import summary_words

__all__ = [
    "NORMALIZED_COLUMNS",
    "OPTIONAL_COLUMNS",
    "PROBLEM_COLUMNS",
    "Assessment",
    "assess",
    "assess_workbook",
    "normalize",
    "retarget",
]

NORMALIZED_COLUMNS = (
    "unit",
    "dimension",
    "dimension_name",
    "practice",
    "current_level",
    "target_level",
    "gap",
    "source_sheet",
    "source_row",
)
OPTIONAL_COLUMNS = ("practice_id", "applicable", "priority", "effort", "owner", "notes", "evidence", "warning",
                    "current_cell", "target_cell")  # the last two: levels read from separate sheets
PROBLEM_COLUMNS = ("source_sheet", "source_row", "cell", "column", "value", "problem")
_TEXT_ROLES = ("priority", "effort", "owner", "notes", "evidence")
_NO = {"no", "n", "false", "0", "n a", "na", "not applicable", "x no", "out of scope", "excluded", "exclude"}


def assess(
    source: bytes | str | os.PathLike,
    filename: str | None = None,
    rubric: Rubric | str | os.PathLike = AUTO,
    limits: Limits | None = None,
    layout: Layout | None = None,
    default_target: str | None = None,
) -> Assessment:
    """Read, lay out and normalize a file in one call: bytes (an upload) or a path.

    ``rubric`` is ``auto`` (chosen from the file), ``own`` (the file's own model), a built-in id, a
    path to a rubric YAML file or a Rubric; ``layout`` a corrected layout to read the file with;
    ``default_target`` (``next`` or a level) the target of every row of a file without target levels.
    Raises the user-facing errors of :func:`maturity.reader.read_workbook`, NoDataError and RubricError.
    """
    workbook = read_workbook(source, filename, limits or Limits())
    return assess_workbook(workbook, rubric, layout, default_target)


def assess_workbook(workbook: RawWorkbook, rubric: Rubric | str | os.PathLike = AUTO,
                    layout: Layout | None = None, default_target: str | None = None) -> Assessment:
    """:func:`assess` of a workbook already read: choose the model, lay out, normalize.

    ``default_target`` (``next`` or a level) gives the rows of a file without target levels theirs;
    without it such a file is refused with NoDataError naming the option.
    """
    choice, chosen_layout = choose_model(workbook, rubric if isinstance(rubric, Rubric) else str(rubric), layout)
    if default_target is not None:
        chosen_layout = replace(chosen_layout, default_target=default_target_for(default_target, choice.rubric))
    if chosen_layout.current_only and not chosen_layout.default_target and len(chosen_layout.current_only) == len(
            chosen_layout.sheets) and not chosen_layout.pairs:
        names = chosen_layout.current_only
        which = ("the file has" if workbook.kind == "csv" else
                 f"sheet{'s' * (len(names) != 1)} {', '.join(map(repr, names))} {'has' if len(names) == 1 else 'have'}")
        raise NoTargetsError(
            f"{workbook.filename}: {which} current levels but no target column: say what to aim for with "
            f"--default-target next (one level above each current level) or --default-target LEVEL "
            f"(e.g. {choice.rubric.highest}), or choose it under 'Targets' in the dashboard; if a column holds the "
            f"targets, give it the role with --role COLUMN=target")
    return normalize(workbook, chosen_layout, choice.rubric, choice)


def normalize(workbook: RawWorkbook, layout: Layout, rubric: Rubric, choice: ModelChoice | None = None) -> Assessment:
    """Normalize every data sheet of ``workbook`` as ``layout`` describes, against ``rubric``
    (``choice`` says how that model was chosen, for the notes)."""
    normalized_parts, problem_parts, notes, extra = [], [], [], []
    matches: dict[str, AreaMatch] = {}
    for table in shape_tables(workbook, layout, rubric):
        notes += table.notes
        if table.refusal is not None:
            problem_parts.append(_problem_frame(table.layout.sheet, [table.layout.header_row], "", [""],
                                                [table.refusal]))
            continue
        good, bad = table.restore(*_normalize_sheet(table.cells, table.layout, layout, rubric, matches, table.group))
        normalized_parts.append(good)
        problem_parts.append(bad)
        extra += [c for c in table.extra_columns if c not in extra]
    if (found := layout.organisation) is not None:
        used = (" (the unit of every row)" if layout.unit_source == "single unit" and (layout.sheets or layout.stacked)
                else "")
        notes.append(f"organisation: {found.value!r}, from {found.describe()}{used}")
    notes += [f"sheet {s.sheet!r} not read: {s.reason}" for s in layout.skipped if s.reason.startswith(READ_ELSEWHERE)]
    normalized = _concat(normalized_parts, (*NORMALIZED_COLUMNS, "practice_id", "applicable", "warning"),
                         level_dtype(rubric))
    normalized = normalized[[c for c in (*NORMALIZED_COLUMNS, *OPTIONAL_COLUMNS, *extra) if c in normalized]]
    problems = _concat(problem_parts, PROBLEM_COLUMNS).drop_duplicates()  # a wide sheet's summary row: once
    problems = problems.sort_values(
        ["source_sheet", "source_row"],
        kind="stable",
        key=lambda s: s.map(_sheet_order(layout)) if s.name == "source_sheet" else s,
    )
    return Assessment(
        normalized.reset_index(drop=True),
        problems.reset_index(drop=True),
        layout,
        rubric,
        workbook.filename,
        (*workbook.notes, *notes, *_model_notes(choice, matches.values(), rubric)),
        choice,
        tuple(matches.values()),
    )


def _model_notes(choice: ModelChoice | None, matches, rubric: Rubric) -> list[str]:
    """A note on the model chosen from the file, and one per area read as a close spelling."""
    notes = [f"model: {rubric.label}: {choice.reason}"] if choice is not None and choice.requested != "given" else []
    notes += [f"{m.warning(rubric)} (a close spelling: confirm or change it in How this file was read)"
              for m in matches if m.how == "spelling"]
    return notes


def _sheet_order(layout: Layout) -> dict[str, int]:
    names = [s.sheet for s in layout.sheets] + [n for p in layout.pairs for n in (p.current, p.target)]
    names += [s.sheet for s in layout.stacked]
    return {name: i for i, name in enumerate(names)}


def _concat(parts: list[pd.DataFrame], columns: tuple[str, ...], levels: str = "Int64") -> pd.DataFrame:
    """The ``parts`` as one frame; none: an empty one with ``columns``, its levels of dtype ``levels``."""
    parts = [p for p in parts if len(p)]
    if not parts:
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        for column, dtype in (("source_row", "Int64"), ("current_level", levels), ("target_level", levels),
                              ("gap", levels)):
            if column in empty:
                empty[column] = empty[column].astype(dtype)
        return empty
    return pd.concat(parts, ignore_index=True)


def _cell_text(value: object) -> str | None:
    """A cell as stripped text, None for a blank; numbers such as 3.0 print as 3."""
    # Free text (notes, evidence) is mostly distinct, so this runs once per row there: plain str first.
    if type(value) is not str:
        if is_blank(value):
            return None
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
    text = str(value).strip()
    if not text:
        return None
    # gapmap's own exports guard formula-like text with a leading "'": reading one back restores it.
    if text[0] == "'" and text[1:2] in FORMULA_START:
        return text[1:]
    return text


def _columns(body: pd.DataFrame, indexes: list[int]) -> tuple[dict[int, Factorized], dict[int, Factorized]]:
    """``(raw, shown)`` per column of ``body`` at ``indexes``: its cells found distinct once, and each
    distinct cell as :func:`_cell_text` shows it (None for a blank: a missing cell, or only spaces)."""
    raw = {index: Factorized.of(body[index]) for index in indexes}
    return raw, {index: column.derive(_cell_text) for index, column in raw.items()}


def _problem_frame(sheet: str, rows, cell, values, problems) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_sheet": sheet,
            "source_row": pd.array(rows, dtype="Int64"),
            "cell": cell,
            "column": "",
            "value": values,
            "problem": problems,
        }
    )


def _normalize_sheet(
    cells: pd.DataFrame,
    sheet_layout: SheetLayout,
    layout: Layout,
    rubric: Rubric,
    matches: dict[str, AreaMatch],
    group: tuple[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cell rules, applied to one table of any shape: ``cells`` read as ``sheet_layout`` says
    (``group``: a wide sheet's (kind, name), "unit" or "dimension", whose name stands in for that
    column). How each distinct area value was read is added to ``matches``."""
    group_kind, group_name = group or (None, None)
    roles = sheet_layout.roles
    body = sheet_layout.body(cells)
    excel_row = pd.Series(body.index.to_numpy() + 1, index=body.index)
    # Each column with a role is hashed once here; every rule below reads its distinct values.
    role_columns = sorted({c.index for c in sheet_layout.columns if c.role})
    raw, shown = _columns(body, role_columns)
    is_blank_cell = {index: column.is_none() for index, column in shown.items()}
    # A row is data when a column with a role holds something: chart captions beside the table are not.
    blank = np.logical_and.reduce([is_blank_cell[i] for i in role_columns]) if role_columns else np.zeros(0, bool)
    if group_kind is not None and len(body):
        # In a wide sheet a group whose two level cells are empty was not assessed on that row.
        blank |= is_blank_cell[roles["current"].index] & is_blank_cell[roles["target"].index]
    keep = ~blank
    body, excel_row = body[keep], excel_row[keep]
    raw = {index: column.rows(keep) for index, column in raw.items()}
    shown = {index: column.rows(keep) for index, column in shown.items()}
    text = {role: shown[col.index].series() for role, col in roles.items() if role not in LEVEL_ROLES}
    if group_kind is not None:
        text[group_kind] = pd.Series(group_name, index=body.index, dtype=object)

    # A row that is the header again, or a summary line (Average, Total), is reported, not read.
    issues: list[pd.DataFrame] = []
    skip = pd.Series(False, index=body.index)
    for role in ("unit", "dimension", "practice"):
        if role not in roles:
            continue
        folded = map_distinct(shown[roles[role].index], lambda v: match_key(v) if v else "")
        is_summary = folded.isin(summary_words()) & ~skip
        is_header = folded.eq(match_key(roles[role].header)) & ~skip & ~is_summary
        for mask, what in ((is_summary, "summary row ({}) skipped"), (is_header, "repeated header row ({}) skipped")):
            if mask.any():
                issues.append(
                    _issues(
                        sheet_layout, roles[role], excel_row[mask], text[role][mask], text[role][mask].map(what.format)
                    )
                )
                skip |= mask
    # Merged or grouped cells: carry unit and dimension down, never levels.
    for role in ("unit", "dimension"):
        if role in text:
            text[role] = text[role].where(~skip).ffill().where(~skip)

    practice = text.get("practice", pd.Series(None, index=body.index, dtype=object))
    practice_cells = shown[roles["practice"].index] if "practice" in roles else practice
    dimension_id, dimension_problem, practice_id, match_warning = resolve_areas(
        text.get("dimension"), practice_cells, rubric, layout.area_choices, matches)
    current_raw = body[roles["current"].index]
    current_cells = raw[roles["current"].index]
    current, current_problem = parse_levels(current_cells, sheet_layout.scales["current"], rubric)
    current_na = current_cells.mask(not_applicable)
    if "target" in roles:
        target_raw = body[roles["target"].index]
        target_cells = raw[roles["target"].index]
        target, target_problem = parse_levels(target_cells, sheet_layout.scales["target"], rubric)
        target_na = target_cells.mask(not_applicable)
    else:  # a first assessment, with the default target the user chose for every row
        target_raw = current_raw.where(current_na, None)
        target, target_problem = default_levels(current, layout.default_target, rubric), current_problem.map(
            lambda _: None)
        target_na = current_na

    applicable = pd.Series(True, index=body.index)
    if "applicable" in text:
        applicable &= ~shown[roles["applicable"].index].mask(lambda v: bool(v) and match_key(v) in _NO)
    applicable &= ~(current_na & target_na)
    # A level left empty or unreadable matters only where the row applies.
    current_problem = current_problem.where(applicable, None)
    target_problem = target_problem.where(applicable, None)
    current_problem = current_problem.where(
        current_problem.notna() | current.notna() | ~applicable, "current level is empty"
    )
    target_problem = target_problem.where(
        target_problem.notna() | target.notna() | ~applicable, "target level is empty"
    )
    if "unit" in text:
        unit = text["unit"]
        unit_problem = pd.Series(np.where(unit.isna(), "unit is empty", None), index=body.index, dtype=object)
    else:
        name = sheet_layout.sheet if layout.unit_source == "sheet name" else layout.single_unit
        unit = pd.Series(name, index=body.index, dtype=object)
        unit_problem = pd.Series(None, index=body.index, dtype=object)

    checks = [
        ("unit", unit_problem, text.get("unit")),
        ("dimension", dimension_problem, text.get("dimension", practice)),
        ("current", current_problem, current_raw),
        ("target", target_problem, target_raw),
    ]
    for role, problem, raw in checks:
        mask = problem.notna() & ~skip
        if mask.any():
            column = roles.get(role) or roles.get("practice") or roles["current"]
            issues.append(_issues(sheet_layout, column, excel_row[mask], raw[mask], problem[mask]))
    bad_rows = skip.copy()
    for _, problem, _ in checks:
        bad_rows |= problem.notna()
    good = ~bad_rows
    result = pd.DataFrame(
        {
            "unit": unit[good],
            "dimension": dimension_id[good],
            "dimension_name": map_distinct(dimension_id[good], {d.id: d.name for d in rubric.dimensions}.get),
            "practice": practice[good],
            "current_level": current[good],
            "target_level": target[good],
            "source_sheet": text["source_sheet"][good] if "source_sheet" in text else sheet_layout.sheet,
            "source_row": (
                pd.to_numeric(text["source_row"][good], errors="coerce").fillna(excel_row[good])
                if "source_row" in text
                else excel_row[good]
            ).astype("Int64"),
            "practice_id": practice_id[good],
            "applicable": applicable[good],
            "warning": match_warning[good],
        }
    )
    for role in _TEXT_ROLES:
        if role in text:
            result[role] = text[role][good]
    with_gaps(result, rubric)
    problems = pd.concat(issues, ignore_index=True) if issues else _concat([], PROBLEM_COLUMNS)
    return result, problems.sort_values("source_row", kind="stable")


def _issues(
    sheet_layout: SheetLayout, column: Column, rows: pd.Series, values: pd.Series, problems: pd.Series
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_sheet": sheet_layout.sheet,
            "source_row": rows.astype("Int64").to_numpy(),
            "cell": [f"{column.letter}{r}" for r in rows],
            "column": column.label,
            "value": values.map(lambda v: "" if is_blank(v) else str(v)).to_numpy(),
            "problem": problems.to_numpy(),
        }
    )
