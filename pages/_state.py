"""The dashboard's state, in one place: which file is loaded, how it is laid out, the targets changed by
hand, and the shared filters. Pages read it through these functions and never touch
``st.session_state`` themselves.

Parsing is cached per file: the cache key is the SHA-256 of the file's bytes (computed once, when the
file arrives), the layout and the model asked for (a :class:`Model`, whose key names an uploaded
rubric by its fingerprint), so a rerun, a page switch or a filter change never re-reads the file,
and a corrected layout re-runs only choosing the model and ``maturity.normalize``. Nothing cached
reads a global rubric: every view takes the assessment's own. The bytes themselves ride along as an
underscore argument, which the cache leaves out of the key. The cache is ``st.cache_resource``, not
``st.cache_data``: cache_data hands every caller a fresh unpickled copy, which for a 500-unit file
costs 10–30 ms per object on every rerun (bench/README.md), while nothing here changes what it gets
(the pages filter and ``assign``, never write in place), so every session may share one copy.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import maturity
from maturity import Assessment, GapmapError, Layout, RawWorkbook, Rubric, charts

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PATH = ROOT / "data" / "sample_gap_analysis.xlsx"
SAMPLE_LABEL = "Northwind Mutual Bank (fictional)"
UPLOAD_TYPES = ["xlsx", "xlsm", "ods", "csv", "tsv", "txt", "xls"]  # .xls too, so the engine can say how to convert it

# Session-state keys. The two filters are widget keys (the sidebar widgets in app.py own them).
ALL = ""  # the filters' "everything" option: never a unit (an empty unit is a problem row) nor a dimension id
UNIT_FILTER = "unit_filter"
DIMENSION_FILTER = "dimension_filter"
UPLOADER = "uploader"
UNITS_SHOWN = "units_shown"
MANY_UNITS = 25  # above this many units, charts that list units show the largest gaps first
_SOURCE = "_source"
_LAYOUT = "_layout"
_TARGETS = "_targets"
_ERROR = "_upload_error"
_VERSION = "_edit_version"
_MODEL = "_model"
_MODEL_ERROR = "_model_error"
_PENDING = "_pending_upload"
MODEL_PICKER = "model_picker"
MODEL_UPLOADER = "model_uploader"
UPLOADED_MODEL = "file"  # the picker's value for the rubric file the user uploaded


@dataclass(frozen=True)
class Source:
    """The file being explored: its name, its bytes and their digest (the cache key)."""

    name: str
    data: bytes
    digest: str
    is_sample: bool = False
    kind: str = ""  # "rescued": read with the user's corrections only (no table was found on its own)


@dataclass(frozen=True)
class Model:
    """How the file is to be read: the maturity model asked for (``auto``, ``own`` or a built-in id, or
    a rubric file the user uploaded: ``rubric`` set) and, for a file without target levels, the default
    target (``next`` or a level). ``key`` stands for both in every cache key."""

    requested: str = maturity.AUTO
    rubric: Rubric | None = None
    default_target: str | None = None

    @property
    def key(self) -> str:
        model = f"file:{self.rubric.fingerprint}" if self.rubric is not None else self.requested
        return f"{model}|target:{self.default_target}" if self.default_target else model

    @property
    def spec(self) -> str | Rubric:
        return self.rubric if self.rubric is not None else self.requested


# Shared by every session: 16 entries thrashed at 20 concurrent uploads (bench/load_test.py), and each
# target edit adds entries. An hour-old entry is dropped so a quiet server gives its memory back.
_CACHED_FILES = 64
_CACHE_TTL = 3600


@st.cache_resource(max_entries=_CACHED_FILES, ttl=_CACHE_TTL, show_spinner=False)
def _read(digest: str, filename: str, _data: bytes) -> RawWorkbook:
    return maturity.read_workbook(_data, filename)


@st.cache_resource(max_entries=_CACHED_FILES, ttl=_CACHE_TTL, show_spinner=False)
def _load(digest: str, filename: str, layout: Layout | None, model: str, _data: bytes,
          _model: Model) -> Assessment:
    """The assessment of a file against the model asked for (``model`` is its key), normalized with
    ``layout`` (None: the detected one)."""
    return maturity.assess_workbook(_read(digest, filename, _data), _model.spec, layout, _model.default_target)


@st.cache_resource(max_entries=_CACHED_FILES, ttl=_CACHE_TTL, show_spinner=False)
def _retargeted(digest: str, filename: str, layout: Layout | None, model: str, targets: tuple[tuple[int, int], ...],
                _data: bytes, _model: Model) -> Assessment:
    assessment = _load(digest, filename, layout, model, _data, _model)
    if not targets:
        return assessment
    index, levels = zip(*targets, strict=True)
    return maturity.retarget(assessment, pd.Series(levels, index=list(index)))


@st.cache_resource(max_entries=_CACHED_FILES, ttl=_CACHE_TTL, show_spinner=False)
def _roadmap(digest: str, filename: str, layout: Layout | None, model: str, targets: tuple[tuple[int, int], ...],
             _data: bytes, _model: Model) -> pd.DataFrame:
    return maturity.build_roadmap(_retargeted(digest, filename, layout, model, targets, _data, _model))


# Views of the normalized rows (charts, headline figures, tables), by the name pages ask for them with.
_VIEWS = {"radar": charts.radar, "unit_radar": charts.unit_radar, "gap_heatmap": charts.gap_heatmap,
          "gap_ranking": charts.gap_ranking, "practice_bars": charts.practice_bars, "headline": charts.headline,
          "largest_gaps": charts.largest_gaps, "practice_rows": charts.practice_rows}
_CACHED_VIEWS = 256  # a few views of each cached file: a figure or a unit's rows are tens of KB
_CACHED_STEPS = 64  # a dimension's steps of a 500-unit roadmap are ~3 MB, a 500-lane timeline ~1 MB


@st.cache_resource(max_entries=_CACHED_VIEWS, ttl=_CACHE_TTL, show_spinner=False)
def _view(digest: str, filename: str, layout: Layout | None, model: str, targets: tuple[tuple[int, int], ...],
          name: str, arguments: tuple, _data: bytes, _model: Model) -> object:
    assessment = _retargeted(digest, filename, layout, model, targets, _data, _model)
    return _VIEWS[name](assessment.normalized, assessment.rubric, *arguments)


@dataclass(frozen=True)
class Steps:
    """The roadmap's steps for a unit, a dimension and phases, with what the Roadmap page shows of them."""

    shown: pd.DataFrame  # every step that matches
    units: int
    phases: int
    practices: int
    table: pd.DataFrame  # the first TABLE_STEPS, with short dimension names and each step's "from → to"


TABLE_STEPS = 2_000  # rows of the steps table; more is a slow page and still no one reads them on screen


@st.cache_resource(max_entries=_CACHED_STEPS, ttl=_CACHE_TTL, show_spinner=False)
def _steps(digest: str, filename: str, layout: Layout | None, model: str, targets: tuple[tuple[int, int], ...],
           view: tuple[str | None, str | None, tuple[int, ...]], _data: bytes, _model: Model) -> Steps:
    rubric = _load(digest, filename, layout, model, _data, _model).rubric
    shown = steps_shown(_roadmap(digest, filename, layout, model, targets, _data, _model), *view)
    first = shown.head(TABLE_STEPS)
    return Steps(shown, units=shown["unit"].nunique(), phases=shown["phase"].nunique(),
                 practices=len(shown[["unit", "dimension", "practice"]].drop_duplicates()),
                 table=first.assign(dimension=first["dimension"].map(charts.short_names(rubric)),
                                    step=first["from_label"] + " → " + first["to_label"]))


@st.cache_resource(max_entries=_CACHED_STEPS, ttl=_CACHE_TTL, show_spinner=False)
def _timeline(digest: str, filename: str, layout: Layout | None, model: str, targets: tuple[tuple[int, int], ...],
              view: tuple[str | None, str | None, tuple[int, ...]], top: int | None, _data: bytes,
              _model: Model) -> go.Figure:
    rubric = _load(digest, filename, layout, model, _data, _model).rubric
    return charts.roadmap_timeline(_steps(digest, filename, layout, model, targets, view, _data, _model).shown,
                                   rubric, top)


@st.cache_resource
def _sample() -> Source:
    data = SAMPLE_PATH.read_bytes()
    return Source(SAMPLE_PATH.name, data, hashlib.sha256(data).hexdigest(), is_sample=True)


def rubric() -> Rubric:
    """The model the loaded file is read against (chosen from the file, picked, or uploaded)."""
    return assessment().rubric


def model() -> Model:
    """The model asked for: automatic by default."""
    return st.session_state.get(_MODEL) or Model()


def source() -> Source:
    """The file being explored: the user's upload, or the bundled sample."""
    return st.session_state.get(_SOURCE) or _sample()


def _layout() -> Layout | None:
    return st.session_state.get(_LAYOUT)


def _targets() -> tuple[tuple[int, int], ...]:
    return tuple(sorted(st.session_state.get(_TARGETS, {}).items()))


def file_assessment() -> Assessment:
    """The loaded file as read (with any layout correction), before targets changed by hand."""
    src, asked = source(), model()
    return _load(src.digest, src.name, _layout(), asked.key, src.data, asked)


def assessment() -> Assessment:
    """The assessment every page shows: the file as read, with the targets changed by hand."""
    src, asked = source(), model()
    return _retargeted(src.digest, src.name, _layout(), asked.key, _targets(), src.data, asked)


def roadmap() -> pd.DataFrame:
    """The prioritized roadmap of :func:`assessment` (cached)."""
    src, asked = source(), model()
    return _roadmap(src.digest, src.name, _layout(), asked.key, _targets(), src.data, asked)


def view(name: str, *arguments: object) -> Any:
    """``charts.<name>(normalized, rubric, *arguments)`` of :func:`assessment`, built once per file, layout,
    targets and arguments, and shared by sessions: nothing changes a view once built (Streamlit copies a
    figure to draw it; pages filter and ``assign``, never write in place)."""
    src, asked = source(), model()
    return _view(src.digest, src.name, _layout(), asked.key, _targets(), name, arguments, src.data, asked)


def steps_shown(roadmap: pd.DataFrame, unit: str | None, dimension: str | None,
                phases: tuple[int, ...]) -> pd.DataFrame:
    """The steps of ``roadmap`` for a unit, a dimension and phases (None and () mean all)."""
    if unit is not None:
        roadmap = roadmap[roadmap["unit"] == unit]
    if dimension is not None:
        roadmap = roadmap[roadmap["dimension"] == dimension]
    if phases:
        roadmap = roadmap[roadmap["phase"].isin(phases)]
    return roadmap


def steps(unit: str | None, dimension: str | None, phases: tuple[int, ...]) -> Steps:
    """The steps of :func:`roadmap` for a unit, a dimension and phases (None and () mean all), built once."""
    src, asked = source(), model()
    return _steps(src.digest, src.name, _layout(), asked.key, _targets(), (unit, dimension, phases), src.data, asked)


def timeline(unit: str | None, dimension: str | None, phases: tuple[int, ...], top: int | None) -> go.Figure:
    """``charts.roadmap_timeline`` of :func:`steps`, built once per view."""
    src, asked = source(), model()
    return _timeline(src.digest, src.name, _layout(), asked.key, _targets(), (unit, dimension, phases), top, src.data,
                     asked)


def raw_workbook() -> RawWorkbook:
    """The loaded file's raw sheets (for re-finding a header row)."""
    src = source()
    return _read(src.digest, src.name, src.data)


def edit_version() -> int:
    """Bumped on every layout or target change, so editors keyed with it start fresh from the new state."""
    return st.session_state.get(_VERSION, 0)


def _bump() -> None:
    st.session_state[_VERSION] = edit_version() + 1


# ---- loading ----------------------------------------------------------------------------------

def load_upload(name: str, data: bytes) -> str | None:
    """Make ``data`` (a file called ``name``) the file being explored; returns None, or the user-facing
    message when it cannot be used (the previous file then stays loaded)."""
    digest = hashlib.sha256(data).hexdigest()
    try:
        _load(digest, name, None, model().key, data, model())
    except GapmapError as error:
        st.session_state[_ERROR] = (name, str(error))
        # A file in which no table was found waits for the user to say where it is (or, without target
        # levels, what to aim for): the page asks, about this file, not the one still shown.
        st.session_state[_PENDING] = (Source(name, data, digest, kind=type(error).__name__)
                                      if isinstance(error, maturity.NoDataError) else None)
        return str(error)
    st.session_state[_SOURCE] = Source(name, data, digest)
    st.session_state.pop(_ERROR, None)
    st.session_state.pop(_PENDING, None)
    _reset_edits()
    return None


DEFAULT_TARGETS = ("next", "1", "2", "3", "4", "5")  # levels as a model numbers them; the model says which exist


def default_target_label(choice: str) -> str:
    return "One level above current" if choice == "next" else f"Level {choice} for every row"


def pending_without_targets() -> str | None:
    """The name of an upload waiting for a default target (it has current levels only), if any."""
    pending = st.session_state.get(_PENDING)
    return pending.name if pending is not None and pending.kind == "NoTargetsError" else None


def pending() -> Source | None:
    """The upload in which no table was found, waiting for the user to say where it is, if any."""
    return st.session_state.get(_PENDING)


def pending_workbook() -> RawWorkbook:
    """The raw sheets of :func:`pending` (read once, cached like every file)."""
    waiting = pending()
    return _read(waiting.digest, waiting.name, waiting.data)


def rescue(corrections: maturity.Corrections) -> None:
    """Read the waiting upload with the user's ``corrections`` (sheet, header row, roles): the same
    corrections the command line's --sheet, --header-row and --role make. On success it becomes the
    file explored, with that layout (undone with "Undo my corrections"); else the reason is kept."""
    waiting = pending()
    if waiting is None:
        return
    try:
        asked = model()  # laid out with the model asked for, or the base model when it is chosen from the file
        base = asked.rubric or maturity.load_rubric("cdmm" if asked.requested in (maturity.AUTO, maturity.OWN)
                                                    else asked.requested)
        layout = maturity.apply_corrections(pending_workbook(), base, corrections)
        _load(waiting.digest, waiting.name, layout, model().key, waiting.data, model())
    except GapmapError as error:
        st.session_state[_ERROR] = (waiting.name, str(error))
        return
    st.session_state[_SOURCE] = replace(waiting, kind="rescued")
    st.session_state.pop(_ERROR, None)
    st.session_state.pop(_PENDING, None)
    st.session_state.pop(_TARGETS, None)
    st.session_state[_LAYOUT] = layout
    _bump()


def on_default_target(key: str) -> None:
    """The default-target picker's callback: read the waiting upload (or the loaded file) with it."""
    chosen = st.session_state.get(key)
    if not chosen:
        return
    asked = replace(model(), default_target=chosen)
    pending = st.session_state.get(_PENDING)
    if pending is not None:
        st.session_state[_MODEL] = asked
        if load_upload(pending.name, pending.data) is not None:
            st.session_state[_MODEL] = replace(asked, default_target=None)
        return
    _use_model(asked)


def on_upload() -> None:
    """``st.file_uploader`` callback: load the new file; an emptied uploader keeps what is loaded."""
    uploaded = st.session_state.get(UPLOADER)
    if uploaded is not None:
        load_upload(uploaded.name, uploaded.getvalue())


def use_sample() -> None:
    """Go back to the bundled sample."""
    st.session_state.pop(_SOURCE, None)
    st.session_state.pop(_ERROR, None)
    st.session_state.pop(_PENDING, None)
    _reset_edits()


def upload_error() -> tuple[str, str] | None:
    """``(file name, message)`` of the last upload that could not be used, if any."""
    return st.session_state.get(_ERROR)


def _reset_edits() -> None:
    st.session_state.pop(_LAYOUT, None)
    st.session_state.pop(_TARGETS, None)
    _bump()


# ---- the maturity model -----------------------------------------------------------------------

def model_label(choice: str) -> str:
    """How the picker shows ``choice``."""
    if choice == maturity.AUTO:
        return "Automatic: chosen from the file"
    if choice == maturity.OWN:
        return "The file's own model"
    if choice == UPLOADED_MODEL:
        return "Your rubric file"  # its name is in the caption below the picker
    return maturity.load_rubric(choice).label


def model_choices() -> list[str]:
    """The picker's options: automatic, every built-in model, the file's own, and an uploaded rubric;
    the picker starts on the model asked for."""
    uploaded = [UPLOADED_MODEL] if model().rubric is not None else []
    st.session_state.setdefault(MODEL_PICKER, model().requested)
    return [maturity.AUTO, *maturity.available_rubrics(), maturity.OWN, *uploaded]


def _use_model(asked: Model) -> bool:
    """Read the loaded file against ``asked``; False (and the reason kept for the page) when it cannot
    be read that way, the model in use then staying as it was. Layout corrections stay (refitted to the
    new model's levels); targets changed by hand go, since their rows may have moved."""
    src = source()
    try:
        _load(src.digest, src.name, _layout(), asked.key, src.data, asked)
    except GapmapError as error:
        st.session_state[_MODEL_ERROR] = str(error)
        return False
    st.session_state.pop(_MODEL_ERROR, None)
    st.session_state[_MODEL] = asked
    st.session_state.pop(_TARGETS, None)
    _bump()
    return True


def on_model_picked() -> None:
    """The model picker's callback: read the file against the model picked, or say why it cannot be."""
    picked = st.session_state[MODEL_PICKER]
    if picked == UPLOADED_MODEL and model().rubric is None:
        return
    asked = model() if picked == UPLOADED_MODEL else Model(picked, default_target=model().default_target)
    if not _use_model(asked):
        st.session_state[MODEL_PICKER] = model().requested


def on_model_uploaded() -> None:
    """The rubric uploader's callback: validate the YAML; a valid model is used at once, an invalid one
    leaves the model as it was and says why."""
    uploaded = st.session_state.get(MODEL_UPLOADER)
    if uploaded is None:
        return
    try:
        rubric = maturity.rubric_from_yaml(uploaded.getvalue(), uploaded.name)
    except GapmapError as error:
        st.session_state[_MODEL_ERROR] = str(error)
        return
    if _use_model(Model(UPLOADED_MODEL, rubric, model().default_target)):
        st.session_state[MODEL_PICKER] = UPLOADED_MODEL


def model_error() -> str | None:
    """Why the last rubric file uploaded could not be used, if it could not."""
    return st.session_state.get(_MODEL_ERROR)


# ---- layout corrections -----------------------------------------------------------------------

def set_layout(layout: Layout) -> None:
    """Re-normalize the loaded file with a corrected ``layout`` (targets changed by hand are dropped,
    since the rows they pointed at may have moved)."""
    st.session_state[_LAYOUT] = layout
    st.session_state.pop(_TARGETS, None)
    _bump()


def layout_corrected() -> bool:
    return _layout() is not None


def reset_layout() -> None:
    """Undo the layout corrections; a file that was read only thanks to them waits again to be rescued."""
    src = source()
    if src.kind == "rescued":
        st.session_state[_PENDING] = replace(src, kind="NoDataError")
        st.session_state.pop(_SOURCE, None)
        try:
            _load(src.digest, src.name, None, model().key, src.data, model())
        except GapmapError as error:
            st.session_state[_ERROR] = (src.name, str(error))
    st.session_state.pop(_LAYOUT, None)
    st.session_state.pop(_TARGETS, None)
    _bump()


# ---- targets changed by hand -------------------------------------------------------------------

def set_targets(levels: dict[int, int]) -> None:
    """Change target levels by hand: ``{normalized row index: level}``; a level equal to the file's drops
    the override."""
    file_targets = file_assessment().normalized["target_level"]
    targets = dict(st.session_state.get(_TARGETS, {}))
    for index, level in levels.items():
        if int(file_targets.loc[index]) == int(level):
            targets.pop(int(index), None)
        else:
            targets[int(index)] = int(level)
    st.session_state[_TARGETS] = targets
    _bump()


def targets_from_editor(key: str, rows: list[int]) -> None:
    """``st.data_editor`` callback: apply the targets picked in the editor ``key``, whose row positions
    stand for the normalized rows ``rows``."""
    number = {level.name: level.level for level in rubric().levels}
    edited = st.session_state[key].get("edited_rows", {})
    levels = {rows[int(position)]: number[change["target"]] for position, change in edited.items()
              if change.get("target") in number and 0 <= int(position) < len(rows)}
    if levels:
        set_targets(levels)


def changed_targets() -> int:
    """How many targets were changed by hand."""
    return len(st.session_state.get(_TARGETS, {}))


def reset_targets() -> None:
    st.session_state.pop(_TARGETS, None)
    _bump()


# ---- shared filters ---------------------------------------------------------------------------

def unit() -> str | None:
    """The unit chosen in the sidebar, or None for the whole organisation."""
    return st.session_state.get(UNIT_FILTER) or None


def dimension() -> str | None:
    """The dimension id chosen in the sidebar, or None for all dimensions."""
    return st.session_state.get(DIMENSION_FILTER) or None


def set_dimension(dimension_id: str | None) -> None:
    """Choose the shared dimension filter (from a callback, before the sidebar widget is drawn)."""
    st.session_state[DIMENSION_FILTER] = dimension_id or ALL


def dimension_from_widget(key: str) -> None:
    """``on_change`` callback for a page's own dimension picker (widget ``key``): make it the shared filter."""
    set_dimension(st.session_state[key])


def units_shown(count: int) -> int | None:
    """How many of ``count`` units a chart that lists units shows: every one (None) up to
    :data:`MANY_UNITS`; above that, the reader's choice from a picker drawn here, largest gaps first
    (kept for the session, so every page shows as many)."""
    if count <= MANY_UNITS:
        return None
    shown = st.selectbox("Units shown", (MANY_UNITS, 50, 100, 0), key=UNITS_SHOWN, persist_state="session",
                         format_func=lambda n: f"All {count}" if n == 0 else f"{n} with the largest gaps",
                         help="A chart of hundreds of units is hard to read: it shows the units with the "
                              "most to climb first. Pick a unit in the sidebar to see just that one.")
    return shown or None


def keep_filters_valid(units: list[str], dimension_ids: tuple[str, ...]) -> None:
    """Drop a filter value the loaded file does not have (e.g. a unit of the previous file)."""
    if st.session_state.get(UNIT_FILTER, ALL) not in (ALL, *units):
        st.session_state[UNIT_FILTER] = ALL
    if st.session_state.get(DIMENSION_FILTER, ALL) not in (ALL, *dimension_ids):
        st.session_state[DIMENSION_FILTER] = ALL


# ---- text -------------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^\"'&])")


def escape_markdown(text: object) -> str:
    """``text`` with every character markdown (or a streamlit directive like ``:red[...]``, or LaTeX
    ``$...$``) would act on backslash-escaped, so ``st.markdown`` shows it exactly as typed."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def download_name(suffix: str, what: str) -> str:
    """A download file name built from the loaded file's name, made safe by ``maturity.safe_filename``."""
    stem = Path(source().name).stem
    return maturity.safe_filename(f"{stem}_{what}", suffix)


# ---- the app shell ---------------------------------------------------------------------------------
# Streamlit runs the first script run of a fresh server in its legacy "pages/ folder" mode until
# st.navigation has been called once: a first request for a deep link such as /roadmap would run
# pages/roadmap.py alone, without app.py's navigation, sidebar and filters. app.py marks each of its
# runs; a page that finds no mark hands over to app.py, which lands on the Overview.
_shell = threading.local()


@contextmanager
def shell() -> Iterator[None]:
    """Wrap app.py's run of the chosen page, so that :func:`require_shell` knows app.py is running."""
    _shell.active = True
    try:
        yield
    finally:
        _shell.active = False


def require_shell() -> None:
    """Called first by every page: when app.py is not running it (legacy pages mode), go to app.py."""
    if not getattr(_shell, "active", False):
        st.switch_page("app.py")
