"""The Overview's "Snapshots" panel: save the assessment shown as a snapshot (organisation, as-of date,
label), or open a saved one in its place; an admin of its workspace may delete one, with a reason. Drawn
only while open, so a page rerun never waits on the database unless the panel is in use."""

from __future__ import annotations

from datetime import date

import streamlit as st

from maturity import Assessment, GapmapError
from maturity.store import SnapshotInfo
from pages._ui import database, session, snapshots
from pages._ui.components import escape_markdown


def show() -> None:
    """The panel, inside an expander under the uploader."""
    opened = snapshots.opened()
    title = "Snapshots: save this assessment, or open a saved one"
    panel = st.expander(title, icon=":material/history:", key=session.SNAPSHOT_PANEL, on_change="rerun")
    if not panel.open:
        if opened is not None:
            st.caption(f"Showing snapshot {opened.snapshot.id}: {escape_markdown(opened.snapshot.title)}")
        return
    with panel:
        _save_form()
        said = _notice()
        st.divider()
        _open_controls(said)


def _notice() -> bool:
    """Say what the last save or open did; True when it was an error (about the database, often)."""
    notice = snapshots.notice()
    if notice is None:
        return False
    kind, message = notice
    if kind == "error":
        st.error(escape_markdown(message), icon=":material/error:")
        return True
    st.success(escape_markdown(message), icon=":material/check_circle:")
    return False


def _save_form() -> None:
    organisation_key, as_of_key, label_key = snapshots.form_keys()
    try:
        session.default_widget_value(organisation_key, snapshots.default_organisation())
    except GapmapError:
        session.default_widget_value(organisation_key, "")
    with st.form("save_snapshot", border=False, enter_to_submit=False):
        st.markdown("**Save as snapshot**")
        st.text_input("Organisation", key=organisation_key, max_chars=200,
                      help="Whose assessment this is: its snapshots make its history.")
        day, name = st.columns([1, 1])
        day.date_input("As of", value=date.today(), key=as_of_key, format="YYYY-MM-DD",
                       help="The date the assessment describes.")
        name.text_input("Label", key=label_key, max_chars=200, placeholder="e.g. Q2 2026")
        st.form_submit_button("Save as snapshot", icon=":material/save:", on_click=snapshots.on_save,
                              args=(organisation_key, as_of_key, label_key))
    st.caption("Saved with the layout corrections and the targets changed by hand; a snapshot never changes, "
               "saving again makes a new one.")


def _open_controls(error_said: bool) -> None:
    st.markdown("**Open a saved snapshot**")
    try:
        organisations = database.organisations()
    except GapmapError as error:
        if error_said:  # the save just said why the database cannot be used: once is enough
            st.caption("Saved snapshots cannot be listed either.")
        else:
            st.error(escape_markdown(str(error)), icon=":material/error:")
        return
    if not organisations:
        st.caption("No snapshot is saved yet.")
        return
    snapshots.pick_organisation(session.OPEN_ORGANISATION, organisations)
    organisation = st.selectbox("Organisation", organisations, key=session.OPEN_ORGANISATION, persist_state="session")
    try:
        infos = database.snapshots(organisation)
    except GapmapError as error:
        st.error(escape_markdown(str(error)), icon=":material/error:")
        return
    listed = {info.id: info for info in reversed(infos)}  # the latest first
    snapshots.pick_snapshot(session.OPEN_SNAPSHOT, list(listed), next(iter(listed)))
    st.selectbox("Snapshot", list(listed), key=session.OPEN_SNAPSHOT,
                 format_func=lambda i: snapshots.describe(listed[i]) if i in listed else str(i))
    st.button("Open this snapshot", icon=":material/folder_open:", on_click=snapshots.on_open)
    chosen = listed.get(session.widget_value(session.OPEN_SNAPSHOT))
    if chosen is not None and database.may_delete(chosen):
        _delete_controls(chosen)


def _delete_controls(info: SnapshotInfo) -> None:
    """An admin's way to delete the snapshot picked: a reason, a box to tick, then the button."""
    with st.popover("Delete this snapshot", icon=":material/delete:"):
        st.caption(f"Deleting snapshot {info.id} ({escape_markdown(snapshots.describe(info))}) cannot be undone. "
                   "The audit log keeps who deleted it, when, what it was and why.")
        st.text_input("Why", key=session.DELETE_REASON, max_chars=200, placeholder="e.g. saved the wrong file")
        st.checkbox(f"Delete snapshot {info.id} for good", key=session.DELETE_CONFIRM)
        st.button("Delete", icon=":material/delete_forever:", type="primary", on_click=snapshots.on_delete,
                  disabled=not session.widget_value(session.DELETE_CONFIRM))


def saved_reading(assessment: Assessment) -> None:
    """How a snapshot that kept no copy of its file was read (it cannot be read again to correct it)."""
    with st.expander(f"How this snapshot was read: {len(assessment.normalized)} rows read, "
                     f"{assessment.rows_with_problems} rows with problems", icon=":material/fact_check:"):
        st.text(assessment.summary())
        if assessment.notes:
            st.caption("  \n".join(escape_markdown(note) for note in assessment.notes))
        st.caption("This snapshot kept no copy of its file, so its layout cannot be corrected here.")
        if len(assessment.problems):
            st.dataframe(assessment.problems, hide_index=True)
