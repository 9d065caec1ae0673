"""The snapshot store as the dashboard reads it: the database opened once per process (``GAPMAP_DATABASE_URL``,
else ``~/.gapmap/gapmap.db``, see :func:`maturity.store.database_url`), and what never changes once
saved (a snapshot read back, an organisation's history over a given set of snapshots, the difference
of two) cached for every session, keyed on the database, the snapshot ids and when each was saved.

Every read is made as whoever uses this session (:func:`pages._ui.signin.access`: the signed-in person, or
the local user) in its workspace, and every cached read is keyed on that access too, so one person's
read is never served to another: the store decides what each may see. Listings (the organisations, an
organisation's snapshots) are read afresh on every call, so what another session or another dashboard
process saves shows at once. Everything here raises
:class:`maturity.errors.StoreError` (a GapmapError, one line) when the database cannot be used; the
pages show it and carry on. Only pages/_ui/ calls this module.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import maturity
from maturity import charts_history, movement
from maturity import store as snapshot_store
from maturity.store import Access, Snapshot, SnapshotInfo, Store
from maturity.store.trend import organisation_trend
from pages._ui import signin
from pages._ui.key import SnapshotRef

_CACHED_STORES = 4  # one in production; tests open one database per test
_CACHED_SNAPSHOTS = 8  # a 500-unit snapshot read back is 39,000 rows (~20 MB with its roadmap)
_CACHED_HISTORIES = 32
_CACHED_VIEWS = 64  # the History page's tables and figures: a few MB for 500 units × 12 snapshots
_CACHE_TTL = 3600

Version = tuple[tuple[int, str], ...]  # (id, saved at) of each snapshot a cached read is about


@st.cache_resource(max_entries=_CACHED_STORES, show_spinner=False)
def _open(url: str) -> Store:
    # Not cached when it raises: a database that was unreachable is tried again on the next call.
    return snapshot_store.open_store(url)


def store() -> Store:
    """The store this process uses, opened (and migrated) on the first call. Raises StoreError."""
    return _open(snapshot_store.database_url())


def _who() -> tuple[Access, str | None]:
    """Whoever uses this session, and the workspace it reads from. Raises StoreError when snapshots cannot
    be used here (a shared database without sign-in, nobody signed in)."""
    return signin.access(), signin.workspace()


def audited(data: Callable[[], bytes], organisation: str, what: str,
            snapshot_id: int | None = None) -> Callable[[], bytes]:
    """A download's builder for saved data (a history, a comparison) that records the export in the audit
    log when the button is pressed: who, the workspace and the store are taken now, in this session's
    run, since the builder runs later, outside it."""
    access, workspace = _who()
    opened = store()

    def build() -> bytes:
        content = data()
        snapshot_store.record_export(opened, organisation, what, access=access, snapshot_id=snapshot_id,
                                     workspace=workspace or snapshot_store.DEFAULT_WORKSPACE)
        return content

    return build


def organisations() -> list[str]:
    """The organisations with a snapshot this session may see, alphabetically."""
    access, workspace = _who()
    return snapshot_store.organisations(store(), access=access, workspace=workspace)


def snapshots(organisation: str) -> list[SnapshotInfo]:
    """The snapshots of ``organisation`` this session may see, oldest as-of date first."""
    access, workspace = _who()
    return snapshot_store.snapshot_infos(store(), organisation, access=access, workspace=workspace)


def may_delete(info: SnapshotInfo) -> bool:
    """This session's person may delete the snapshot ``info``: an admin of its workspace (or the local user)."""
    return signin.access().can(info.workspace, "admin")


def delete(info: SnapshotInfo, reason: str) -> None:
    """Delete the snapshot ``info`` as this session's person, ``reason`` kept with it in the audit log.
    Raises StoreError when it is gone already or the person is no admin of its workspace."""
    access, _ = _who()
    snapshot_store.delete_snapshot(store(), info.organisation, info.id, access=access, confirm=True, reason=reason)


def version(infos: Sequence[SnapshotInfo]) -> Version:
    """What a cached read about ``infos`` is keyed on: their ids and the time each was saved."""
    return tuple((info.id, info.saved_at.isoformat()) for info in infos)


def ref(info: SnapshotInfo, model_key: str) -> SnapshotRef:
    """The reference a Source keeps to the snapshot ``info`` of this store, opened with ``model_key``."""
    return SnapshotRef(store().url, info.id, info.saved_at.isoformat(), info.organisation, info.label,
                       info.as_of.isoformat(), model_key)


@st.cache_resource(max_entries=_CACHED_SNAPSHOTS, ttl=_CACHE_TTL, show_spinner=False)
def _snapshot(url: str, snapshot_id: int, saved_at: str, access: Access) -> Snapshot:
    return snapshot_store.load_snapshot(_open(url), snapshot_id, access=access)


def snapshot(info: SnapshotInfo) -> Snapshot:
    """The snapshot ``info`` read back whole (its assessment exactly as saved), once for every session."""
    return _snapshot(store().url, info.id, info.saved_at.isoformat(), signin.access())


def saved(ref: SnapshotRef) -> Snapshot:
    """The snapshot a Source refers to (in the database it was opened from)."""
    return _snapshot(ref.database, ref.id, ref.saved_at, signin.access())


@st.cache_resource(max_entries=_CACHED_SNAPSHOTS, ttl=_CACHE_TTL, show_spinner=False)
def _roadmap(url: str, snapshot_id: int, saved_at: str, access: Access) -> pd.DataFrame:
    return maturity.build_roadmap(_snapshot(url, snapshot_id, saved_at, access).assessment)


def roadmap(info: SnapshotInfo) -> pd.DataFrame:
    """The roadmap of the snapshot ``info``, as its assessment was saved."""
    return _roadmap(store().url, info.id, info.saved_at.isoformat(), signin.access())


@st.cache_resource(max_entries=_CACHED_HISTORIES, ttl=_CACHE_TTL, show_spinner=False)
def _history(url: str, organisation: str, snapshots: Version, who: tuple[Access, str | None]) -> pd.DataFrame:
    """:func:`maturity.store.history` of ``organisation`` as ``who`` may see it (an access and its workspace),
    computed by the database, once per set of snapshots."""
    return snapshot_store.history(_open(url), organisation, access=who[0], workspace=who[1])


@st.cache_resource(max_entries=_CACHED_HISTORIES, ttl=_CACHE_TTL, show_spinner=False)
def _trend(url: str, organisation: str, snapshots: Version, by_dimension: bool,
           who: tuple[Access, str | None]) -> pd.DataFrame:
    """The organisation's headline figures per snapshot (per area too) as ``who`` may see them, in SQL, once
    per set of snapshots."""
    return organisation_trend(_open(url), organisation, by_dimension, access=who[0], workspace=who[1])


@dataclass(frozen=True, eq=False)
class HistoryViews:
    """What the History page shows of an organisation's history over a set of snapshots, built once: the
    history itself (:func:`maturity.store.history`), the trend (per snapshot) and its figure, the per-area
    figure of the whole organisation, what moved since the previous snapshot, what is stuck, the units."""

    history: pd.DataFrame
    trend: pd.DataFrame
    trend_chart: go.Figure
    area_chart: go.Figure
    movements: pd.DataFrame
    stuck: pd.DataFrame
    units: list[str]


@st.cache_resource(max_entries=_CACHED_VIEWS, ttl=_CACHE_TTL, show_spinner=False)
def _history_views(url: str, organisation: str, snapshots: Version,
                   who: tuple[Access, str | None]) -> HistoryViews:
    rows = _history(url, organisation, snapshots, who)
    trend = _trend(url, organisation, snapshots, False, who)
    return HistoryViews(rows, trend, charts_history.trend(trend),
                        charts_history.area_history(_trend(url, organisation, snapshots, True, who)),
                        movement.movements(rows), movement.stuck(rows), list(dict.fromkeys(rows["unit"])))


def history_views(organisation: str, infos: Sequence[SnapshotInfo]) -> HistoryViews:
    """The History page's views of ``organisation`` over its snapshots ``infos``, shared by every session: a
    snapshot never changes, so neither does a view of a given set of them. One cache lookup per rerun."""
    return _history_views(store().url, organisation, version(infos), _who())


@st.cache_resource(max_entries=_CACHED_VIEWS, ttl=_CACHE_TTL, show_spinner=False)
def _unit_area_chart(url: str, organisation: str, snapshots: Version, unit: str,
                     who: tuple[Access, str | None]) -> go.Figure:
    rows = _history(url, organisation, snapshots, who)
    return charts_history.area_history(rows[rows["unit"] == unit])


def unit_area_chart(organisation: str, infos: Sequence[SnapshotInfo], unit: str) -> go.Figure:
    """The per-area figure of one ``unit``'s history (its rows of :func:`history`)."""
    return _unit_area_chart(store().url, organisation, version(infos), unit, _who())


@st.cache_resource(max_entries=_CACHED_HISTORIES, ttl=_CACHE_TTL, show_spinner=False)
def _diff(url: str, organisation: str, snapshots: Version, who: tuple[Access, str | None]) -> pd.DataFrame:
    (old, _), (new, _) = snapshots
    return snapshot_store.diff(_open(url), organisation, old, new, access=who[0], workspace=who[1])


def diff(organisation: str, before: SnapshotInfo, after: SnapshotInfo) -> pd.DataFrame:
    """:func:`maturity.store.diff` of two snapshots of ``organisation`` (every unit × area: before, after,
    change, status), in SQL."""
    return _diff(store().url, organisation, version([before, after]), _who())
