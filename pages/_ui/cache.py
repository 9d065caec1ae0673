"""The cached functions: each a function of an :class:`~pages._ui.key.AnalysisKey` (and the view
asked for), shared by every session.

Parsing is cached per file, keyed on its digest, so a rerun, a page switch or a filter change never
re-reads the file, and a corrected layout re-runs only choosing the model and ``maturity.normalize``.
Each function calls the one below it with the part of the key it depends on (``file_key``,
``read_key``), so a target edit never re-reads or re-normalizes the file. Nothing cached reads a
global rubric: every view takes the assessment's own.

The cache is ``st.cache_resource``, not ``st.cache_data``: cache_data hands every caller a fresh
unpickled copy, which for a 500-unit file costs 10–30 ms per object on every rerun (bench/README.md),
while nothing here changes what it gets (the pages filter and ``assign``, never write in place), so
every session may share one copy.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import maturity
from maturity import Assessment, RawWorkbook, charts
from maturity.errors import StoreError
from maturity.store import combine
from pages._ui import database
from pages._ui.key import HASH_FUNCS, AnalysisKey, Source
from pages._ui.steps import Schedule, Steps, StepsView, steps_of

SAMPLE_PATH = Path(__file__).resolve().parents[2] / "data" / "sample_gap_analysis.xlsx"

# Shared by every session: 16 entries thrashed at 20 concurrent uploads (bench/load_test.py), and each
# target edit adds entries. An hour-old entry is dropped so a quiet server gives its memory back.
_CACHED_FILES = 64
_CACHED_VIEWS = 256  # a few views of each cached file: a figure or a unit's rows are tens of KB
_CACHED_STEPS = 64  # a dimension's steps of a 500-unit roadmap are ~3 MB, a 500-lane timeline ~1 MB
_CACHE_TTL = 3600


def _cached(entries: int):
    return st.cache_resource(max_entries=entries, ttl=_CACHE_TTL, show_spinner=False, hash_funcs=HASH_FUNCS)


@_cached(_CACHED_FILES)
def raw_workbook(key: AnalysisKey) -> RawWorkbook:
    """The raw sheets of ``key``'s file (call it with ``key.file_key``). Raises what ``maturity`` raises, and
    StoreError for a saved snapshot that kept no copy of its file."""
    ref = key.source.snapshot
    if ref is not None and not key.source.readable:
        raise StoreError(f"snapshot {ref.id} kept no copy of its file ({key.source.name}), so it can only be "
                         "shown as it was saved: load the file again to read it another way")
    return maturity.read_workbook(key.source.data, key.source.name)


@_cached(_CACHED_FILES)
def file_assessment(key: AnalysisKey) -> Assessment:
    """The file read against the model asked for, with its layout (None: the detected one), before
    targets changed by hand (call it with ``key.read_key``); a saved snapshot exactly as saved
    (``key.as_saved``) comes from the store instead, and several files are each read on their own
    (cached each) with the model asked for, then combined. Raises what ``maturity`` raises, OverlapError
    for a unit in two of the files or files read against different models."""
    if key.as_saved:
        return database.saved(key.source.snapshot).assessment
    if key.source.files:  # layout corrections are for one file at a time: none here
        return combine([file_assessment(AnalysisKey(file, key.model)) for file in key.source.files])
    return maturity.assess_workbook(raw_workbook(key.file_key), key.model.spec, key.layout,
                                    key.model.default_target)


@_cached(_CACHED_FILES)
def assessment(key: AnalysisKey) -> Assessment:
    """:func:`file_assessment` with the key's targets changed by hand."""
    read = file_assessment(key.read_key)
    if not key.targets:
        return read
    index, levels = zip(*key.targets, strict=True)
    return maturity.retarget(read, pd.Series(levels, index=list(index)))


@_cached(_CACHED_FILES)
def roadmap(key: AnalysisKey) -> pd.DataFrame:
    """The prioritized roadmap of :func:`assessment`."""
    return maturity.build_roadmap(assessment(key))


# Views of the normalized rows (charts, headline figures, tables), by the name pages ask for them with.
VIEWS = {"radar": charts.radar, "unit_radar": charts.unit_radar, "gap_heatmap": charts.gap_heatmap,
         "gap_ranking": charts.gap_ranking, "practice_bars": charts.practice_bars, "headline": charts.headline,
         "largest_gaps": charts.largest_gaps, "practice_rows": charts.practice_rows}


@_cached(_CACHED_VIEWS)
def view(key: AnalysisKey, name: str, arguments: tuple) -> object:
    """``charts.<name>(normalized, rubric, *arguments)`` of :func:`assessment` (``name`` in :data:`VIEWS`)."""
    analysed = assessment(key)
    return VIEWS[name](analysed.normalized, analysed.rubric, *arguments)


@_cached(_CACHED_STEPS)
def steps(key: AnalysisKey, shown: StepsView, schedule: Schedule = None) -> Steps:
    """The steps of :func:`roadmap` for ``shown`` (unit, dimension, phases), dated by ``schedule``."""
    return steps_of(roadmap(key), file_assessment(key.read_key).rubric, shown, schedule)


@_cached(_CACHED_STEPS)
def timeline(key: AnalysisKey, shown: StepsView, top: int | None, schedule: Schedule = None) -> go.Figure:
    """``charts.roadmap_timeline`` of :func:`steps`, at most ``top`` units (None: all)."""
    return charts.roadmap_timeline(steps(key, shown, schedule).shown, file_assessment(key.read_key).rubric, top)


@st.cache_resource
def sample() -> Source:
    """The bundled sample file."""
    return Source.of(SAMPLE_PATH.name, SAMPLE_PATH.read_bytes(), is_sample=True)
