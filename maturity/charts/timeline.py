"""The roadmap's phases as a timeline: a lane per unit, a block per phase, coloured by the level reached."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..rubric import Rubric
from .averages import _largest
from .base import _base_layout, _figure, _lane, label

# One colour per level reached on the roadmap timeline, light (first steps) to dark: viridis' steps,
# ordered and colour-blind safe, far enough apart to tell four or five levels apart at a glance.
_LEVEL_STEPS = ("#fde725", "#7ad151", "#22a884", "#2a788e", "#414487", "#440154")
_DARK_STEPS = 3  # from this step on the colour is dark: white text


def roadmap_timeline(roadmap: pd.DataFrame, rubric: Rubric, top: int | None = None) -> go.Figure:
    """Phases as a timeline: one lane per unit, one block per phase labelled with its step count and
    coloured by the level the unit reaches in it (within a unit, phase k reaches exactly one level).

    Lanes come in the order of the roadmap; with ``top`` and more units than that, only the ``top``
    units with the most steps, most first.
    """
    units = None
    if top is not None:
        codes, found = pd.factorize(roadmap["unit"])
        if len(found) > top:
            units = _largest(found, np.bincount(codes, minlength=len(found)).astype(float), top)
            roadmap = roadmap[roadmap["unit"].isin(units)]
    if roadmap.empty:
        return _figure([], _base_layout(None, 200))
    blocks = _phase_blocks(roadmap)
    if units is None:
        units = list(pd.unique(roadmap["unit"]))
    phases = int(blocks["phase"].max())
    traces = []
    for level in sorted(blocks["to_level"].unique()):
        part = blocks[blocks["to_level"] == level]
        step = min(len(_LEVEL_STEPS) - 1, max(0, int(level) - rubric.lowest))
        color = _LEVEL_STEPS[step]
        name = f"to {label(rubric.level_name(int(level)))}"
        traces.append(dict(
            type="bar", y=[label(u) for u in part["unit"]], x=[0.94] * len(part),
            base=(part["phase"] - 0.97).tolist(),
            orientation="h", name=name, marker=dict(color=color, line=dict(width=0)),
            text=[f"{s} step{'s' * (s != 1)}" for s in part["steps"]], textposition="inside",
            insidetextanchor="middle", textfont=dict(size=12, color="#ffffff" if step >= _DARK_STEPS else "#262730"),
            customdata=[[int(p), int(s), int(d)] for p, s, d in zip(part["phase"], part["steps"],
                                                                    part["dimensions"], strict=True)],
            # The level's name is read by plotly (%{fullData.name}), never pasted into the template, where
            # a name holding "%{…}" would be a placeholder.
            hovertemplate=("<b>%{y}</b><br>Phase %{customdata[0]}: %{fullData.name}<br>"
                           "%{customdata[1]} steps in %{customdata[2]} dimensions<extra></extra>"),
        ))
    return _figure(traces, _base_layout(
        None, max(220, 90 + _lane(len(units), 40) * len(units)),
        barmode="overlay", bargap=0.3,
        legend=dict(orientation="h", yanchor="top", y=-0.02, xanchor="left", x=0, title=dict(text="Level reached  ")),
        xaxis=dict(range=[0, phases], tickvals=[p - 0.5 for p in range(1, phases + 1)],
                   ticktext=_phase_ticks(roadmap, phases), showgrid=False, zeroline=False, side="top"),
        yaxis=dict(categoryorder="array", categoryarray=[label(u) for u in units], autorange="reversed",
                   ticksuffix="  ")))


def _phase_ticks(roadmap: pd.DataFrame, phases: int) -> list[str]:
    """'Phase 1', or with the roadmap's dates (:func:`maturity.schedule.with_dates`) 'Phase 1<br>Jan–Mar 2027'."""
    if "phase_start" not in roadmap:
        return [f"Phase {p}" for p in range(1, phases + 1)]
    dates = roadmap.drop_duplicates("phase").set_index("phase")
    ticks = []
    for phase in range(1, phases + 1):
        if phase not in dates.index:
            ticks.append(f"Phase {phase}")
            continue
        start, end = (pd.Timestamp(dates.at[phase, column]) for column in ("phase_start", "phase_end"))
        span = (f"{start:%b} – {end:%b %Y}" if start.year == end.year else f"{start:%b %Y} – {end:%b %Y}")
        ticks.append(f"Phase {phase}<br>{span}")
    return ticks


def _phase_blocks(roadmap: pd.DataFrame) -> pd.DataFrame:
    """One row per unit and phase, in the order they first appear: its ``steps``, the ``to_level`` it
    reaches and how many ``dimensions`` it touches (a groupby, done with array counts)."""
    unit_codes, units = pd.factorize(roadmap["unit"])
    phases = roadmap["phase"].to_numpy(dtype=np.int64)
    span = int(phases.max()) + 1
    codes, blocks = pd.factorize(unit_codes * span + phases)
    dimension_codes, dimensions = pd.factorize(roadmap["dimension"])
    touched = np.zeros((len(blocks), len(dimensions) + 1), dtype=bool)  # the last column: no dimension
    touched[codes, dimension_codes] = True
    reached = np.full(len(blocks), np.iinfo(np.int64).min)
    # the level a step works on: a fractional step (2 → 2.375) is part of level 3
    np.maximum.at(reached, codes, np.ceil(roadmap["to_level"].to_numpy(dtype=float)).astype(np.int64))
    return pd.DataFrame({
        "unit": units.take(blocks // span), "phase": blocks % span,
        "steps": np.bincount(codes, minlength=len(blocks)), "to_level": reached,
        "dimensions": touched[:, :-1].sum(axis=1),
    })
