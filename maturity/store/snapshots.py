"""Snapshots: one organisation's assessment as of a date, immutable once saved; their values, and
listing, finding, reading back and deleting them (saving is :mod:`.save`).

A snapshot is saved in one transaction (a crash leaves nothing half written), with its model (the
whole rubric, so it never needs looking up again), its source files (name, SHA-256, size and, unless
``GAPMAP_KEEP_SOURCE=0``, the bytes), the corrections and target edits applied, each file's layout and
notes, and every normalized and problem row as rows of SQL tables. Saving again makes a new snapshot;
deleting one needs ``confirm=True``. Every query names one organisation (another organisation's
snapshots never appear) and takes an :class:`~maturity.store.access.Access`: a snapshot belongs to a
workspace, and only its members see it (editors save, admins delete). Saving, opening and deleting
leave a line in the audit log, naming who.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pandas as pd
from sqlalchemy import delete, func, select

from ..choose import Coverage, ModelChoice
from ..errors import StoreError
from ..layout import Layout
from ..matching import AreaMatch
from ..normalize import Assessment
from ..rubric import Rubric
from .access import Access, readable, require
from .audit import audit
from .codec import (
    AppliedCorrections,
    corrections_from_dict,
    decode,
    restore_frame,
)
from .combine import combine
from .connect import Store
from .edits import EDIT_COLUMNS
from .schema import snapshot_problems, snapshot_rows, snapshot_sources, snapshots

__all__ = [
    "SNAPSHOT_COLUMNS",
    "Snapshot",
    "SnapshotInfo",
    "Source",
    "SourceFile",
    "delete_snapshot",
    "list_snapshots",
    "load_snapshot",
    "organisations",
    "parse_as_of",
    "resolve_snapshot",
    "snapshot_infos",
]

SNAPSHOT_COLUMNS = ("id", "as_of", "label", "model", "units", "rows", "problems", "saved_at", "saved_by",
                    "workspace")
ROW_COLUMNS = ("unit", "dimension", "dimension_name", "practice", "practice_id", "current_level", "target_level",
               "gap", "applicable", "source_sheet", "source_row")
PROBLEM_FIELDS = ("source_sheet", "source_row", "cell", "column", "value", "problem")
_TEXT_LIMIT = 200
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Source:
    """A file a snapshot was read from: its name and bytes (None when only the name is known)."""

    name: str
    data: bytes | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest() if self.data is not None else ""


@dataclass(frozen=True)
class SnapshotInfo:
    """What a listing shows of a snapshot."""

    id: int
    organisation: str
    as_of: date
    label: str
    model_id: str
    model_version: str
    model_name: str
    model_fingerprint: str
    unit_count: int
    row_count: int
    problem_count: int
    saved_by: str | None
    saved_at: datetime
    gapmap_version: str
    workspace: str


@dataclass(frozen=True)
class SourceFile:
    """A source file as saved: ``content`` is None when keeping the bytes was turned off."""

    filename: str
    sha256: str
    size: int
    content: bytes | None


@dataclass(frozen=True, eq=False)
class Snapshot:
    """A snapshot read back: its ``info``, the model, the corrections and target edits applied, the
    source files, and one Assessment per file exactly as saved (:attr:`assessment` is them as one)."""

    info: SnapshotInfo
    rubric: Rubric
    corrections: AppliedCorrections
    target_edits: pd.DataFrame
    sources: tuple[SourceFile, ...]
    assessments: tuple[Assessment, ...] = field(default=())

    @property
    def assessment(self) -> Assessment:
        """Every file's rows as one Assessment (a ``source_file`` column when there are several)."""
        return combine(self.assessments)


def parse_as_of(value: date | str) -> date:
    """``value`` as a date: a date, or text ``YYYY-MM-DD``. Raises StoreError for anything else."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if _DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise StoreError(f"{text!r} is not a date: give the as-of date as YYYY-MM-DD, e.g. 2026-03-31")


def _text(value: str | None, what: str, required: bool) -> str:
    text = " ".join(_CONTROL.sub(" ", str(value or "")).split())  # one line, whatever was pasted in
    if required and not text:
        raise StoreError(f"a snapshot needs {what}")
    if len(text) > _TEXT_LIMIT:
        raise StoreError(f"{what} is {len(text)} characters long: at most {_TEXT_LIMIT}")
    return text


# ---- listing and finding ------------------------------------------------------------------------

def organisations(store: Store, *, access: Access, workspace: str | None = None) -> list[str]:
    """The organisations with at least one snapshot ``access`` may see (in ``workspace`` when one is
    named, else in any of its workspaces), in alphabetical order. Raises StoreError when ``access`` is
    no member of the ``workspace`` named."""
    mine = readable(access, snapshots.c.workspace, workspace)
    with store.reading() as connection:
        return list(connection.execute(select(snapshots.c.organisation).distinct().where(mine)
                                       .order_by(snapshots.c.organisation)).scalars())


def _info(row) -> SnapshotInfo:
    return SnapshotInfo(row.id, row.organisation, row.as_of, row.label, row.model_id, row.model_version,
                        row.model_name, row.model_fingerprint, row.unit_count, row.row_count, row.problem_count,
                        row.saved_by, row.saved_at.replace(tzinfo=UTC), row.gapmap_version, row.workspace)


_INFO = (snapshots.c.id, snapshots.c.organisation, snapshots.c.as_of, snapshots.c.label, snapshots.c.model_id,
         snapshots.c.model_version, snapshots.c.model_name, snapshots.c.model_fingerprint, snapshots.c.unit_count,
         snapshots.c.row_count, snapshots.c.problem_count, snapshots.c.saved_by, snapshots.c.saved_at,
         snapshots.c.gapmap_version, snapshots.c.workspace)


def snapshot_infos(store: Store, org: str, *, access: Access, workspace: str | None = None) -> list[SnapshotInfo]:
    """Every snapshot of ``org`` that ``access`` may see (in ``workspace`` when one is named), oldest as-of
    date first (then in the order saved). Raises StoreError when ``access`` is no member of ``workspace``."""
    organisation = _text(org, "an organisation", True)
    mine = readable(access, snapshots.c.workspace, workspace)
    with store.reading() as connection:
        rows = connection.execute(select(*_INFO).where(snapshots.c.organisation == organisation, mine)
                                  .order_by(snapshots.c.as_of, snapshots.c.id))
        return [_info(row) for row in rows]


def list_snapshots(store: Store, org: str, *, access: Access, workspace: str | None = None) -> pd.DataFrame:
    """The snapshots of ``org`` that ``access`` may see (:func:`snapshot_infos`) as a table of
    ``SNAPSHOT_COLUMNS`` (empty when there are none), oldest first; ``model`` is the model's name and version."""
    infos = snapshot_infos(store, org, access=access, workspace=workspace)
    return pd.DataFrame(
        [(i.id, i.as_of.isoformat(), i.label, f"{i.model_id} {i.model_version}".strip(), i.unit_count, i.row_count,
          i.problem_count, i.saved_at.isoformat(timespec="seconds"), i.saved_by, i.workspace) for i in infos],
        columns=list(SNAPSHOT_COLUMNS))


def resolve_snapshot(store: Store, org: str, reference: str | int, *, access: Access,
                     workspace: str | None = None) -> int:
    """The id of the snapshot of ``org`` that ``reference`` names: its id, its label, or its as-of date
    (``YYYY-MM-DD``); a label or date shared by several names the one saved last. Only the snapshots
    ``access`` may see (in ``workspace`` when one is named) are looked at. Raises StoreError when ``org``
    has no such snapshot (another organisation's, or another workspace's, are never found)."""
    organisation = _text(org, "an organisation", True)
    text = str(reference).strip()
    mine = (snapshots.c.organisation == organisation) & readable(access, snapshots.c.workspace, workspace)
    latest = select(snapshots.c.id).where(mine).order_by(snapshots.c.id.desc()).limit(1)
    with store.reading() as connection:
        if text.isdigit() and int(text) < 2**31:
            found = connection.execute(select(snapshots.c.id).where(mine, snapshots.c.id == int(text))).scalar()
            if found is not None:
                return found
        found = connection.execute(latest.where(snapshots.c.label == text)).scalar()
        if found is None and _DATE.fullmatch(text):
            found = connection.execute(latest.where(snapshots.c.as_of == parse_as_of(text))).scalar()
        if found is None:
            has_any = connection.execute(select(func.count()).select_from(snapshots).where(mine)).scalar()
    if found is not None:
        return found
    if not has_any:
        raise StoreError(f"no snapshots of organisation {organisation!r} in {store.shown}")
    raise StoreError(f"organisation {organisation!r} has no snapshot {text!r}: give an id, a label or an as-of date "
                     f"(YYYY-MM-DD) from `snapshots --org`")


# ---- reading back -------------------------------------------------------------------------------

def load_snapshot(store: Store, snapshot_id: int, org: str | None = None, *, access: Access,
                  workspace: str | None = None) -> Snapshot:
    """The snapshot ``snapshot_id`` read back, opened by ``access`` (a line in the audit log): every
    file's Assessment exactly as saved (rows, problems, column types, layout, notes, model). With
    ``org`` (or ``workspace``), a snapshot of another organisation (or workspace) is not found.
    Raises StoreError when there is no such snapshot or ``access`` may not see it, in the same words
    for both, so an id of another workspace says nothing about it."""
    query = select(snapshots).where(snapshots.c.id == int(snapshot_id),
                                    readable(access, snapshots.c.workspace, workspace))
    if org is not None:
        query = query.where(snapshots.c.organisation == _text(org, "an organisation", True))
    with store.reading() as connection:
        head = connection.execute(query).one_or_none()
        if head is None:
            raise StoreError(f"there is no snapshot {snapshot_id}" + (f" of organisation {org!r}" if org else "")
                             + " that you are allowed to open")
        sources = connection.execute(select(snapshot_sources).where(snapshot_sources.c.snapshot_id == head.id)
                                     .order_by(snapshot_sources.c.position)).all()
        rows = connection.execute(select(snapshot_rows).where(snapshot_rows.c.snapshot_id == head.id)
                                  .order_by(snapshot_rows.c.position)).all()
        problems = connection.execute(select(snapshot_problems).where(snapshot_problems.c.snapshot_id == head.id)
                                      .order_by(snapshot_problems.c.position)).all()
    with store.writing() as connection:
        audit(connection, "open", head.workspace, head.organisation, head.id, access,
              {"label": head.label, "as_of": head.as_of.isoformat()})
    rubric = Rubric.model_validate_json(head.rubric)
    assessments = tuple(
        _assessment(json.loads(source.reading), rubric, [r for r in rows if r.source_file == source.position],
                    [p for p in problems if p.source_file == source.position])
        for source in sources)
    edits = pd.DataFrame(json.loads(head.target_edits), columns=list(EDIT_COLUMNS))
    return Snapshot(_info(head), rubric, corrections_from_dict(json.loads(head.corrections)), edits,
                    tuple(SourceFile(s.filename, s.sha256, s.size, s.content) for s in sources), assessments)


def _assessment(reading: dict, rubric: Rubric, rows: list, problems: list) -> Assessment:
    records: dict[str, list] = {name: [getattr(r, name) for r in rows] for name in ROW_COLUMNS}
    extras = [json.loads(r.extra) if r.extra else {} for r in rows]
    for name, _ in reading["columns"]:
        if name not in ROW_COLUMNS:
            records[name] = [extra.get(name) for extra in extras]
    normalized = restore_frame(records, reading["columns"])
    problem_frame = restore_frame({name: [getattr(p, name) for p in problems] for name in PROBLEM_FIELDS},
                                  reading["problem_columns"])
    notes = tuple(reading["notes"])
    try:
        layout = decode(Layout, reading["layout"])
        matches = decode(tuple[AreaMatch, ...], reading["area_matches"])
        saved = reading["choice"]
        choice = None if saved is None else ModelChoice(rubric, saved["requested"], saved["reason"],
                                                        decode(tuple[Coverage, ...], saved["coverage"]))
    except (TypeError, ValueError, KeyError):  # saved by a gapmap whose layout had other fields
        layout, matches, choice = Layout(sheets=()), (), None
        notes = (*notes, "how this file was laid out was saved by another version of gapmap and is not shown")
    return Assessment(normalized, problem_frame, layout, rubric, reading["filename"], notes, choice, matches)


# ---- deleting -----------------------------------------------------------------------------------

def delete_snapshot(store: Store, org: str, snapshot_id: int, *, access: Access, confirm: bool = False,
                    reason: str = "") -> None:
    """Delete the snapshot ``snapshot_id`` of ``org``, and log it in the audit log (who, when, what it was,
    why). Only an admin of the snapshot's workspace may; nothing is deleted unless ``confirm`` is True.
    Raises StoreError without confirmation, when ``org`` has no such snapshot ``access`` may see, or
    when ``access`` may see it but is no admin ("not allowed")."""
    organisation = _text(org, "an organisation", True)
    if confirm is not True:
        raise StoreError(f"deleting snapshot {snapshot_id} of {organisation!r} cannot be undone: confirm it")
    with store.writing() as connection:
        head = connection.execute(select(snapshots.c.id, snapshots.c.label, snapshots.c.as_of, snapshots.c.row_count,
                                         snapshots.c.workspace)
                                  .where(snapshots.c.id == int(snapshot_id), snapshots.c.organisation == organisation,
                                         readable(access, snapshots.c.workspace))).one_or_none()
        if head is None:
            raise StoreError(f"organisation {organisation!r} has no snapshot {snapshot_id}")
        require(access, head.workspace, "admin")
        for table in (snapshot_rows, snapshot_problems, snapshot_sources):
            connection.execute(delete(table).where(table.c.snapshot_id == head.id))
        connection.execute(delete(snapshots).where(snapshots.c.id == head.id))
        audit(connection, "delete", head.workspace, organisation, head.id, access,
               {"label": head.label, "as_of": head.as_of.isoformat(), "rows": head.row_count,
                "reason": _text(reason, "a reason", False)})
