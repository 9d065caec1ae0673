"""Saving a snapshot: an organisation's assessment (one file's, or several files' read together) as of
a date, in one transaction (a crash leaves nothing half written), with its model, its source files
(name, SHA-256, size and, unless ``GAPMAP_KEEP_SOURCE=0``, the bytes), the corrections and target edits
applied, each file's layout and notes, and every normalized and problem row as rows of SQL tables.
Saving again makes a new snapshot; the save is audited, naming who."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, insert

from .. import __version__
from ..corrections import Corrections
from ..normalize import Assessment
from .access import Access, require
from .audit import audit
from .codec import (
    AppliedCorrections,
    column_types,
    corrections_to_dict,
    dumps,
    encode,
    plain,
)
from .combine import check_overlap
from .connect import Store
from .edits import EDIT_COLUMNS, apply_target_edits
from .schema import snapshot_problems, snapshot_rows, snapshot_sources, snapshots
from .snapshots import PROBLEM_FIELDS, ROW_COLUMNS, Source, _text, parse_as_of

__all__ = ["keep_source_default", "save_snapshot"]

_BATCH = 5_000


def keep_source_default() -> bool:
    """Whether source files' bytes are kept: yes unless ``GAPMAP_KEEP_SOURCE`` is 0, no, false or off."""
    return os.environ.get("GAPMAP_KEEP_SOURCE", "1").strip().lower() not in ("0", "no", "false", "off")


def save_snapshot(
    store: Store,
    assessments: Assessment | Sequence[Assessment],
    org: str,
    as_of: date | str,
    label: str = "",
    corrections: Corrections | AppliedCorrections | None = None,
    target_edits: pd.DataFrame | None = None,
    sources: Sequence[Source] | None = None,
    *,
    access: Access,
    workspace: str,
    keep_source: bool | None = None,
) -> int:
    """Save ``assessments`` (one per file; together one assessment) as a new snapshot of ``org`` as of
    ``as_of`` in ``workspace``, saved by ``access`` (an editor of it, or more); returns its id.

    ``corrections`` are the layout corrections the files were read with (the default target and area
    choices come from the first file's layout when a plain Corrections is given), ``target_edits``
    the targets changed by hand (rows of ``EDIT_COLUMNS``; applied to the rows saved, so passing rows
    already edited is the same), ``sources`` each file's name and bytes, in the order of
    ``assessments``. Raises OverlapError when two files share a unit, StoreError when ``access`` may not
    save in ``workspace`` ("not allowed"), for a missing organisation, a malformed date or an unusable
    database, ValueError for an edit naming no row.
    """
    space = require(access, workspace, "editor")
    files = [assessments] if isinstance(assessments, Assessment) else list(assessments)
    check_overlap(files)
    organisation = _text(org, "an organisation", True)
    label = _text(label, "a label", False)
    day = parse_as_of(as_of)
    keep = keep_source_default() if keep_source is None else keep_source
    named = list(sources) if sources is not None else [Source(a.filename) for a in files]
    if len(named) != len(files):
        raise ValueError(f"{len(files)} assessments but {len(named)} sources")
    if not isinstance(corrections, AppliedCorrections):
        corrections = AppliedCorrections.of(corrections, files[0].layout)
    edits = _edits_frame(target_edits)
    files = [apply_target_edits(a, edits[edits["unit"].isin(a.units)]) for a in files]
    rubric = files[0].rubric
    now = datetime.now(UTC).replace(tzinfo=None)
    row_count = sum(len(a.normalized) for a in files)
    problem_count = sum(len(a.problems) for a in files)
    unit_count = len({u for a in files for u in a.units})
    with store.writing() as connection:
        snapshot_id = connection.execute(insert(snapshots).values(
            organisation=organisation, as_of=day, label=label, model_id=rubric.id, model_version=rubric.version,
            model_name=rubric.name, model_fingerprint=rubric.fingerprint, rubric=rubric.model_dump_json(),
            corrections=dumps(corrections_to_dict(corrections)),
            target_edits=dumps([{k: plain(v) for k, v in r.items()} for r in edits.to_dict("records")]),
            unit_count=unit_count, row_count=row_count, problem_count=problem_count, saved_by=access.user,
            saved_at=now, gapmap_version=__version__, workspace=space,
        )).inserted_primary_key[0]
        for position, (assessment, source) in enumerate(zip(files, named, strict=True)):
            connection.execute(insert(snapshot_sources).values(
                snapshot_id=snapshot_id, position=position, filename=source.name, sha256=source.sha256,
                size=len(source.data) if source.data is not None else 0,
                content=source.data if keep else None, reading=dumps(_reading(assessment))))
        start = 0
        for position, assessment in enumerate(files):
            _insert(connection, snapshot_rows, _row_records(snapshot_id, position, start, assessment.normalized))
            start += len(assessment.normalized)
        start = 0
        for position, assessment in enumerate(files):
            _insert(connection, snapshot_problems, _problem_records(snapshot_id, position, start, assessment.problems))
            start += len(assessment.problems)
        audit(connection, "save", space, organisation, snapshot_id, access,
              {"label": label, "as_of": day.isoformat(), "rows": row_count})
    return snapshot_id


def _edits_frame(edits: pd.DataFrame | None) -> pd.DataFrame:
    if edits is None:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in EDIT_COLUMNS})
    missing = [c for c in EDIT_COLUMNS if c not in edits]
    if missing:
        raise ValueError(f"target edits need the columns {', '.join(EDIT_COLUMNS)}; missing {', '.join(missing)}")
    return edits[list(EDIT_COLUMNS)].reset_index(drop=True)


def _reading(assessment: Assessment) -> dict[str, Any]:
    """How one file was read, for restoring its Assessment: everything but the rows and the model."""
    choice = assessment.choice
    return {
        "filename": assessment.filename,
        "layout": encode(assessment.layout),
        "notes": list(assessment.notes),
        "choice": None if choice is None else {"requested": choice.requested, "reason": choice.reason,
                                               "coverage": encode(choice.coverage)},
        "area_matches": encode(assessment.area_matches),
        "columns": column_types(assessment.normalized),
        "problem_columns": column_types(assessment.problems),
    }


def _column(frame: pd.DataFrame, name: str) -> list:
    if name not in frame:
        return [None] * len(frame)
    return [plain(v) for v in frame[name].tolist()]


def _row_records(snapshot_id: int, source_file: int, start: int, frame: pd.DataFrame) -> list[dict]:
    fixed = {name: _column(frame, name) for name in ROW_COLUMNS}
    fixed["applicable"] = [True if v is None else bool(v) for v in fixed["applicable"]]
    others = [c for c in frame.columns if c not in ROW_COLUMNS]
    extra_values = [_column(frame, c) for c in others]
    records = []
    for i in range(len(frame)):
        extra = {c: values[i] for c, values in zip(others, extra_values, strict=True) if values[i] is not None}
        record = {name: values[i] for name, values in fixed.items()}
        record.update(snapshot_id=snapshot_id, position=start + i, source_file=source_file,
                      extra=dumps(extra) if extra else None)
        records.append(record)
    return records


def _problem_records(snapshot_id: int, source_file: int, start: int, frame: pd.DataFrame) -> list[dict]:
    values = {name: _column(frame, name) for name in PROBLEM_FIELDS}
    return [{"snapshot_id": snapshot_id, "position": start + i, "source_file": source_file,
             **{name: column[i] for name, column in values.items()}} for i in range(len(frame))]


def _insert(connection: Connection, table, records: list[dict]) -> None:
    for begin in range(0, len(records), _BATCH):
        connection.execute(insert(table), records[begin:begin + _BATCH])
