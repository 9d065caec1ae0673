"""Every ``st.session_state`` key the dashboard reads or writes, and the typed accessors that do it:
nothing else in app.py or pages/ touches ``st.session_state``.

A session holds the parts of its :class:`~pages._ui.key.AnalysisKey` (the file, the model asked for,
the layout corrections, the targets changed by hand), what is waiting or went wrong, and the values
of the widgets whose callbacks read them. A widget that only draws itself (a page's own picker whose
value the page takes from the call) keeps its key beside it in the page.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from maturity import Layout
from pages._ui.key import Model, Source

# Widget keys: the widgets are drawn in app.py and the pages; their callbacks read them here.
UPLOADER = "uploader"
UNIT_FILTER = "unit_filter"
DIMENSION_FILTER = "dimension_filter"
UNITS_SHOWN = "units_shown"
MODEL_PICKER = "model_picker"
MODEL_UPLOADER = "model_uploader"
DEFAULT_TARGET_PICKER = "default_target"  # the sidebar's, for the loaded file
PENDING_TARGET_PICKER = "pending_targets"  # the Overview's, for an upload waiting for one
SNAPSHOT_PANEL = "snapshot_panel"  # the Overview's "Snapshots" expander (open: True)
SAVE_ORGANISATION = "save_organisation"  # the save form's fields, each key ending with the file's digest
SAVE_AS_OF = "save_as_of"
SAVE_LABEL = "save_label"
OPEN_ORGANISATION = "open_organisation"
OPEN_SNAPSHOT = "open_snapshot"
DELETE_REASON = "delete_reason"  # the Snapshots panel's delete controls (an admin's)
DELETE_CONFIRM = "delete_confirm"
HISTORY_ORGANISATION = "history_organisation"  # the History and Compare snapshots pages' organisation
COMPARE_BEFORE = "compare_before"  # the Compare snapshots page's two snapshots (ids)
COMPARE_AFTER = "compare_after"
DELIVERY_UPLOADER = "delivery_uploader"  # the Delivery performance page's metrics file
WORKSPACE_PICKER = "workspace"  # the sidebar's, for a signed-in member of several workspaces

# The session's own state, never a widget's.
_SOURCE = "_source"
_MODEL = "_model"
_LAYOUT = "_layout"
_TARGETS = "_targets"
_VERSION = "_edit_version"
_ERROR = "_upload_error"
_PENDING = "_pending_upload"
_MODEL_ERROR = "_model_error"
_SNAPSHOT_NOTICE = "_snapshot_notice"
_CORRECTION_ERROR = "_correction_error"
_DELIVERY = "_delivery_metrics"
_DELIVERY_ERROR = "_delivery_error"


def _put(key: str, value: object | None) -> None:
    """Keep ``value`` under ``key``; None forgets the key."""
    if value is None:
        st.session_state.pop(key, None)
    else:
        st.session_state[key] = value


# ---- the analysis: file, model, layout corrections, target edits ------------------------------

def source() -> Source | None:
    """The file the user loaded, or None for the bundled sample."""
    return st.session_state.get(_SOURCE)


def set_source(source: Source | None) -> None:
    _put(_SOURCE, source)


def model() -> Model:
    """The model asked for: automatic by default."""
    return st.session_state.get(_MODEL) or Model()


def set_model(model: Model) -> None:
    st.session_state[_MODEL] = model


def correction_error() -> tuple[str, str] | None:
    """``(file digest, message)``: why the last correction made in "How this file was read" could not be
    applied, and to which file, if it could not."""
    return st.session_state.get(_CORRECTION_ERROR)


def set_correction_error(error: tuple[str, str] | None) -> None:
    _put(_CORRECTION_ERROR, error)


def layout() -> Layout | None:
    """The layout as the user corrected it, or None while it is the detected one."""
    return st.session_state.get(_LAYOUT)


def set_layout(layout: Layout | None) -> None:
    _put(_LAYOUT, layout)


def target_edits() -> dict[int, int]:
    """The targets changed by hand, ``{normalized row index: level}`` (a copy: change it with
    :func:`set_target_edits`)."""
    return dict(st.session_state.get(_TARGETS, {}))


def set_target_edits(levels: dict[int, int] | None) -> None:
    """Keep ``levels`` as the targets changed by hand; None or empty drops them all."""
    _put(_TARGETS, dict(levels) if levels else None)


def edit_version() -> int:
    """Bumped on every layout or target change, so editors keyed with it start fresh from the new state."""
    return st.session_state.get(_VERSION, 0)


def bump_edit_version() -> None:
    st.session_state[_VERSION] = edit_version() + 1


# ---- what waits or went wrong -----------------------------------------------------------------

def upload_error() -> tuple[str, str] | None:
    """``(file name, message)`` of the last upload that could not be used, if any."""
    return st.session_state.get(_ERROR)


def set_upload_error(error: tuple[str, str] | None) -> None:
    _put(_ERROR, error)


def pending() -> Source | None:
    """The upload in which no table was found (or no target level), waiting for the user, if any."""
    return st.session_state.get(_PENDING)


def set_pending(waiting: Source | None) -> None:
    _put(_PENDING, waiting)


def model_error() -> str | None:
    """Why the last model picked or rubric file uploaded could not be used, if it could not."""
    return st.session_state.get(_MODEL_ERROR)


def set_model_error(message: str | None) -> None:
    _put(_MODEL_ERROR, message)


def snapshot_notice() -> tuple[str, str] | None:
    """``(kind, message)`` of the last snapshot saved or opened (kind ``saved`` or ``opened``) or of why it
    could not be (kind ``error``), if any."""
    return st.session_state.get(_SNAPSHOT_NOTICE)


def set_snapshot_notice(notice: tuple[str, str] | None) -> None:
    _put(_SNAPSHOT_NOTICE, notice)


# ---- widget values ------------------------------------------------------------------------------

def widget_value(key: str, default: object = None) -> Any:
    """The value of the widget ``key`` (``default`` before it is drawn), as a callback sees it."""
    return st.session_state.get(key, default)


def set_widget_value(key: str, value: object) -> None:
    """Set the widget ``key``'s value (from a callback, or before the widget is drawn in this run)."""
    st.session_state[key] = value


def default_widget_value(key: str, value: object) -> None:
    """Give the widget ``key`` its first value, unless it has one."""
    st.session_state.setdefault(key, value)


def edited_rows(key: str) -> dict[int, dict[str, Any]]:
    """The rows edited in the data editor ``key``: ``{row position: {column: new value}}``."""
    state = st.session_state.get(key) or {}
    return {int(position): change for position, change in state.get("edited_rows", {}).items()}


# ---- the delivery metrics beside the assessment ---------------------------------------------------

def delivery_source() -> Source | None:
    """The delivery metrics file the user loaded on the Delivery performance page, if any."""
    return st.session_state.get(_DELIVERY)


def set_delivery_source(source: Source | None) -> None:
    _put(_DELIVERY, source)


def delivery_error() -> tuple[str, str] | None:
    """``(file name, message)`` of the last metrics file that could not be used, if any."""
    return st.session_state.get(_DELIVERY_ERROR)


def set_delivery_error(error: tuple[str, str] | None) -> None:
    _put(_DELIVERY_ERROR, error)
