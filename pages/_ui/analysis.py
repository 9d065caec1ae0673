"""What every page shows: this session's analysis, its :class:`~pages._ui.key.AnalysisKey` read from
the session and looked up in the caches. Pages call these; a page about another analysis (a saved
snapshot) calls :mod:`pages._ui.cache` with that analysis's key instead."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from maturity import Assessment, RawWorkbook, Rubric
from pages._ui import cache, session
from pages._ui.key import AnalysisKey, Source, target_edits
from pages._ui.steps import Schedule, Steps


def source() -> Source:
    """The file being explored: the user's upload, or the bundled sample."""
    return session.source() or cache.sample()


def key() -> AnalysisKey:
    """This session's analysis: the file, the model asked for, the layout corrections, the target edits."""
    return AnalysisKey(source(), session.model(), session.layout(), target_edits(session.target_edits()))


def file_assessment() -> Assessment:
    """The loaded file as read (with any layout correction), before targets changed by hand."""
    return cache.file_assessment(key().read_key)


def each_file() -> list[tuple[Source, Assessment]]:
    """Each loaded file with its assessment as read, before targets changed by hand: the one file, or
    each of several read as one assessment, in order (what a snapshot saves, file by file)."""
    asked = key()
    if not asked.source.files:
        return [(asked.source, file_assessment())]
    return [(file, cache.file_assessment(AnalysisKey(file, asked.model))) for file in asked.source.files]


def assessment() -> Assessment:
    """The assessment every page shows: the file as read, with the targets changed by hand."""
    return cache.assessment(key())


def rubric() -> Rubric:
    """The model the loaded file is read against (chosen from the file, picked, or uploaded)."""
    return assessment().rubric


def roadmap() -> pd.DataFrame:
    """The prioritized roadmap of :func:`assessment` (cached)."""
    return cache.roadmap(key())


def view(name: str, *arguments: object) -> Any:
    """``charts.<name>(normalized, rubric, *arguments)`` of :func:`assessment`, built once per file, layout,
    targets and arguments, and shared by sessions: nothing changes a view once built (Streamlit copies a
    figure to draw it; pages filter and ``assign``, never write in place)."""
    return cache.view(key(), name, arguments)


def steps(unit: str | None, dimension: str | None, phases: tuple[int, ...], schedule: Schedule = None) -> Steps:
    """The steps of :func:`roadmap` for a unit, a dimension and phases (None and () mean all), their
    phases dated by ``schedule`` (start, length), built once."""
    return cache.steps(key(), (unit, dimension, phases), schedule)


def timeline(unit: str | None, dimension: str | None, phases: tuple[int, ...], top: int | None,
             schedule: Schedule = None) -> go.Figure:
    """``charts.roadmap_timeline`` of :func:`steps`, built once per view."""
    return cache.timeline(key(), (unit, dimension, phases), top, schedule)


def raw_workbook() -> RawWorkbook:
    """The loaded file's raw sheets (for re-finding a header row)."""
    return cache.raw_workbook(key().file_key)
