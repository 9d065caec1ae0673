"""The user's word on the loaded file: layout corrections (header row, roles, scales, areas, made in
"How this file was read") and targets changed by hand (the Practice areas page). Every change bumps
the edit version, so the editors keyed with it start again from the new state."""

from __future__ import annotations

from dataclasses import replace

from maturity import GapmapError, Layout
from pages._ui import analysis, cache, session
from pages._ui.key import AnalysisKey

edit_version = session.edit_version


# ---- layout corrections -----------------------------------------------------------------------

def layout_corrections() -> Layout | None:
    """The layout as the user corrected it, or None while the file is read as detected."""
    return session.layout()


def layout_corrected() -> bool:
    return session.layout() is not None


def set_layout(layout: Layout) -> None:
    """Re-normalize the loaded file with a corrected ``layout`` (targets changed by hand are dropped,
    since the rows they pointed at may have moved)."""
    session.set_layout(layout)
    session.set_target_edits(None)
    session.bump_edit_version()


def reset_layout() -> None:
    """Undo the layout corrections; a file that was read only thanks to them waits again to be rescued."""
    src = analysis.source()
    if src.kind == "rescued":
        session.set_pending(replace(src, kind="NoDataError"))
        session.set_source(None)
        try:
            cache.file_assessment(AnalysisKey(src, session.model()))
        except GapmapError as error:
            session.set_upload_error((src.name, str(error)))
    session.set_layout(None)
    session.set_target_edits(None)
    session.bump_edit_version()


# ---- targets changed by hand -------------------------------------------------------------------

def target_edits() -> dict[int, int]:
    """The targets changed by hand: ``{normalized row index: level}`` (empty when none was)."""
    return session.target_edits()


def changed_targets() -> int:
    """How many targets were changed by hand."""
    return len(session.target_edits())


def set_targets(levels: dict[int, int]) -> None:
    """Change target levels by hand: ``{normalized row index: level}``; a level equal to the file's drops
    the override."""
    file_targets = analysis.file_assessment().normalized["target_level"]
    targets = session.target_edits()
    for index, level in levels.items():
        if int(file_targets.loc[index]) == int(level):
            targets.pop(int(index), None)
        else:
            targets[int(index)] = int(level)
    session.set_target_edits(targets)
    session.bump_edit_version()


def targets_from_editor(key: str, rows: list[int]) -> None:
    """``st.data_editor`` callback: apply the targets picked in the editor ``key``, whose row positions
    stand for the normalized rows ``rows``."""
    number = {level.name: level.level for level in analysis.rubric().levels}
    levels = {rows[position]: number[change["target"]] for position, change in session.edited_rows(key).items()
              if change.get("target") in number and 0 <= position < len(rows)}
    if levels:
        set_targets(levels)


def reset_targets() -> None:
    session.set_target_edits(None)
    session.bump_edit_version()
