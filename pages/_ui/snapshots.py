"""Saving this session's analysis as a snapshot, and opening a saved snapshot in its place: what the
Overview's "Snapshots" panel does, and what the History and Compare snapshots pages read.

A save keeps the assessment as the pages show it: the file (its bytes), the layout it was read with
(as corrected), the model asked for, the default target and the targets changed by hand. Opening a
snapshot makes it the analysis explored (:func:`pages._ui.loading.open_analysis`), its assessment
exactly as saved. A database that cannot be used is said in one line and the session keeps its work:
nothing changes, and the save can be tried again.
"""

from __future__ import annotations

import hashlib
from datetime import date

import pandas as pd

import maturity
from maturity import GapmapError
from maturity.store import AppliedCorrections, Snapshot, SnapshotInfo, save_snapshot, target_edits
from maturity.store import Source as SavedFile
from pages._ui import analysis, cache, database, loading, session, signin
from pages._ui.key import AnalysisKey, Model, Source
from pages._ui.model_choice import UPLOADED_MODEL

_EDIT_KEYS = ["unit", "dimension", "practice", "source_sheet", "source_row"]


def opened() -> Source | None:
    """The saved snapshot explored now, if the analysis is one."""
    source = analysis.source()
    return source if source.snapshot is not None else None


def default_organisation() -> str:
    """The organisation a save starts with: the snapshot's own, else the one the file names, else none."""
    source = analysis.source()
    if source.snapshot is not None:
        return source.snapshot.organisation
    found = analysis.file_assessment().layout.organisation
    return found.value if found is not None else ""


def form_keys() -> tuple[str, str, str]:
    """The save form's widget keys (organisation, as-of date, label), fresh for every file explored so that
    each starts from that file's organisation."""
    suffix = analysis.source().digest[:16]
    return (f"{session.SAVE_ORGANISATION}_{suffix}", f"{session.SAVE_AS_OF}_{suffix}",
            f"{session.SAVE_LABEL}_{suffix}")


def _edits(key: AnalysisKey) -> pd.DataFrame:
    """The targets changed by hand of ``key`` as rows that name them; for a snapshot as saved, those it was
    saved with too (a target changed again replaces the saved change)."""
    read = cache.file_assessment(key.read_key)
    edits = target_edits(read, dict(key.targets))
    if not key.as_saved:
        return edits
    earlier = database.saved(key.source.snapshot).target_edits
    if earlier.empty:
        return edits
    both = pd.concat([earlier, edits], ignore_index=True)
    keyed = both[_EDIT_KEYS].astype(object).where(both[_EDIT_KEYS].notna(), "").astype(str)
    return both[~keyed.duplicated(keep="last")].reset_index(drop=True)


def _corrections(key: AnalysisKey) -> AppliedCorrections:
    if key.as_saved:
        return database.saved(key.source.snapshot).corrections
    asked = key.model
    model = asked.requested if asked.rubric is None else asked.rubric.id
    return AppliedCorrections.of(None, cache.file_assessment(key.read_key).layout, model)


def save(organisation: str, as_of: date | str, label: str) -> int:
    """Save this session's analysis as a new snapshot of ``organisation`` as of ``as_of`` with ``label``, in
    this session's workspace, as whoever is signed in; returns its id. Raises StoreError (database,
    organisation, date, a person who may not save there), or another GapmapError."""
    access, workspace = signin.access(), signin.save_workspace()  # before the database: it may not be for us
    key = analysis.key()
    files = analysis.each_file()  # several files: each saved with its own reading, as the command line's save
    return save_snapshot(database.store(), [read for _, read in files], organisation, as_of, label,
                         corrections=_corrections(key), target_edits=_edits(key),
                         sources=[SavedFile(f.name, f.data or None) for f, _ in files], access=access,
                         workspace=workspace)


def on_save(organisation_key: str, as_of_key: str, label_key: str) -> None:
    """The save form's callback: save, and keep what happened (the new id, or why not) for the panel."""
    organisation = session.widget_value(organisation_key) or ""
    as_of = session.widget_value(as_of_key) or date.today()
    label = session.widget_value(label_key) or ""
    try:
        snapshot_id = save(organisation, as_of, label)
    except GapmapError as error:
        session.set_snapshot_notice(("error", f"Not saved: {error}"))
        return
    except ValueError as error:  # a target edit that names no row: a bug, but never lose the session for it
        session.set_snapshot_notice(("error", f"Not saved: {error}"))
        return
    what = " · ".join(part for part in (organisation.strip(), label.strip(), str(as_of)) if part)
    session.set_snapshot_notice(("saved", f"Saved as snapshot {snapshot_id}: {what}"))
    session.set_widget_value(session.OPEN_ORGANISATION, " ".join(organisation.split()))  # as the store keeps it
    session.set_widget_value(session.OPEN_SNAPSHOT, snapshot_id)


def _model(saved: Snapshot) -> Model:
    """The model a snapshot is opened with: the one it was read with when that is a built-in choice, else its
    own rubric as saved (a rubric file the user had uploaded); with its default target."""
    asked = saved.corrections.model
    default_target = saved.corrections.default_target
    if asked in (maturity.AUTO, maturity.OWN) or asked in maturity.available_rubrics():
        return Model(asked, default_target=default_target)
    return Model(UPLOADED_MODEL, saved.rubric, default_target)


def open_snapshot(info: SnapshotInfo) -> str | None:
    """Make the snapshot ``info`` the analysis explored, exactly as saved; returns None, or why it cannot be
    (the analysis shown then stays as it was)."""
    try:
        saved = database.snapshot(info)
        model = _model(saved)
        files = saved.sources
        content = files[0].content if len(files) == 1 else None  # several files: shown as saved only
        name = " + ".join(f.filename for f in files) or f"snapshot {info.id}"
        source = Source.of_snapshot(database.ref(info, model.key), name, content)
    except GapmapError as error:
        return str(error)
    message = loading.open_analysis(AnalysisKey(source, model))
    if message is None:
        session.set_widget_value(session.MODEL_PICKER, model.requested)
    return message


def on_open() -> None:
    """The "Open" button's callback: open the snapshot picked, or keep why it cannot be for the panel."""
    organisation = session.widget_value(session.OPEN_ORGANISATION)
    chosen = session.widget_value(session.OPEN_SNAPSHOT)
    try:
        info = next((i for i in database.snapshots(organisation) if i.id == chosen), None) if organisation else None
    except GapmapError as error:
        session.set_snapshot_notice(("error", f"Not opened: {error}"))
        return
    if info is None:
        session.set_snapshot_notice(("error", "Not opened: pick an organisation and one of its snapshots"))
        return
    message = open_snapshot(info)
    if message is not None:
        session.set_snapshot_notice(("error", f"Not opened: {message}"))
        return
    session.set_snapshot_notice(("opened", f"Opened snapshot {info.id}: {describe(info)}"))
    session.set_widget_value(session.HISTORY_ORGANISATION, info.organisation)


def on_delete() -> None:
    """The "Delete" button's callback: delete the snapshot picked, once its box is ticked; the analysis
    shown goes back to the sample when it was that snapshot."""
    organisation = session.widget_value(session.OPEN_ORGANISATION)
    chosen = session.widget_value(session.OPEN_SNAPSHOT)
    if not session.widget_value(session.DELETE_CONFIRM):
        session.set_snapshot_notice(("error", "Not deleted: tick the box to say it is to go for good"))
        return
    try:
        info = next((i for i in database.snapshots(organisation) if i.id == chosen), None) if organisation else None
        if info is None:
            session.set_snapshot_notice(("error", "Not deleted: pick an organisation and one of its snapshots"))
            return
        database.delete(info, str(session.widget_value(session.DELETE_REASON) or ""))
    except GapmapError as error:
        session.set_snapshot_notice(("error", f"Not deleted: {error}"))
        return
    shown = opened()
    was_shown = shown is not None and shown.snapshot.id == info.id
    if was_shown:
        loading.use_sample()
    session.set_widget_value(session.DELETE_CONFIRM, False)
    session.set_widget_value(session.DELETE_REASON, "")
    back = "; the sample is shown again" if was_shown else ""
    session.set_snapshot_notice(("deleted", f"Deleted snapshot {info.id}: {describe(info)} (in the audit log){back}"))


def describe(info: SnapshotInfo) -> str:
    """``Q2 2026 · as of 2026-06-30 · 6 units · #4`` (plain text: escape it for markdown)."""
    parts = [info.label, f"as of {info.as_of.isoformat()}", f"{info.unit_count} unit{'s' * (info.unit_count != 1)}",
             f"#{info.id}"]
    return " · ".join(part for part in parts if part)


def notice() -> tuple[str, str] | None:
    """What the last save or open did, for the panel to say."""
    return session.snapshot_notice()


def organisation_key(organisation: str) -> str:
    """A short key part standing for ``organisation`` (a page's pickers of its units start afresh per one)."""
    return hashlib.sha256(organisation.encode()).hexdigest()[:12]


def pick_organisation(key: str, organisations: list[str]) -> None:
    """Give the organisation picker ``key`` a value among ``organisations`` before it is drawn: its own when
    still listed, else that of the snapshot explored, else the one the file explored names, else the first."""
    if session.widget_value(key) in organisations:
        return
    shown = opened()
    preferred = shown.snapshot.organisation if shown is not None else None
    try:
        fallback = default_organisation()
    except GapmapError:
        fallback = None
    for candidate in (preferred, fallback):
        if candidate in organisations:
            session.set_widget_value(key, candidate)
            return
    session.set_widget_value(key, organisations[0])


def pick_snapshot(key: str, ids: list[int], default: int) -> None:
    """Give the snapshot picker ``key`` a value among ``ids`` before it is drawn: its own, else ``default``."""
    if session.widget_value(key) not in ids:
        session.set_widget_value(key, default)
