"""The snapshot store's commands: ``python -m maturity save | snapshots | history | diff | check``.

Each takes ``--org``, ``--db URL`` (default: ``GAPMAP_DATABASE_URL``, else ``~/.gapmap/gapmap.db``) and
``--workspace NAME`` (default ``default``), and runs with the database's credentials as an operator named
after the system user. The store (SQLAlchemy) is imported when one of them runs, not when the command line
starts; ``check`` exits 1 when a unit × area fell.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .cli_output import emit as _emit
from .cli_output import say as _say
from .cli_output import table

if TYPE_CHECKING:
    from .normalize import Assessment

__all__ = ["COMMANDS", "add_commands"]

ReadSeveral = Callable[[argparse.Namespace], "list[Assessment]"]  # the command line's reading of its inputs


def add_commands(commands: argparse._SubParsersAction, reader: Callable[..., argparse.ArgumentParser]) -> None:
    """Add ``save``, ``snapshots``, ``history``, ``diff`` and ``check`` to ``commands`` (the command line's
    subparsers); ``reader`` makes a command that reads files with the reading flags."""
    save = reader("save", "save the files as one snapshot of an organisation's assessment; prints its id", True)
    _add_store(save)
    save.add_argument("--as-of", required=True, metavar="YYYY-MM-DD", help="the date the assessment describes")
    save.add_argument("--label", default="", help="a name for the snapshot, e.g. 'Q2 2026'")

    _add_store(commands.add_parser("snapshots", help="list an organisation's snapshots"))

    history = commands.add_parser("history", help="write mean current and target levels per snapshot, unit and "
                                                  "area as CSV")
    _add_store(history)
    history.add_argument("--out", type=Path, help="history CSV (default: stdout)")

    diff = commands.add_parser("diff", help="write what changed per unit and area between two snapshots as CSV")
    _add_store(diff)
    diff.add_argument("old", metavar="OLD", help="the earlier snapshot: a label, an as-of date or an id")
    diff.add_argument("new", metavar="NEW", help="the later snapshot: a label, an as-of date or an id")
    diff.add_argument("--out", type=Path, help="diff CSV (default: stdout)")

    check = reader("check", "exit 1 when any unit × area of the files fell below a snapshot (one line each)", True)
    _add_store(check)
    check.add_argument("--against", required=True, metavar="OLD",
                       help="the snapshot to compare with: a label, an as-of date or an id")


def _add_store(command: argparse.ArgumentParser) -> None:
    command.add_argument("--org", required=True, help="the organisation the snapshots belong to")
    command.add_argument("--db", metavar="URL", help="the database: a SQLAlchemy URL (default: GAPMAP_DATABASE_URL, "
                                                     "else sqlite under GAPMAP_HOME, ~/.gapmap)")
    command.add_argument("--workspace", default="default", metavar="NAME",
                         help="the workspace the snapshots belong to (default: default)")


def _operator():
    """The command line's access: an operator, named after the system user (see command_line_access)."""
    from .store.access import command_line_access

    return command_line_access()


def _save(args: argparse.Namespace, read_several: ReadSeveral) -> None:
    from .corrections import Corrections
    from .store import AppliedCorrections, Source, open_store, parse_as_of, save_snapshot

    as_of = parse_as_of(args.as_of)  # a bad date is said before any file is read
    assessments = read_several(args)
    given = Corrections.parse(args.sheet, args.header_row, args.role, args.scale, args.pair)
    corrections = AppliedCorrections.of(given, assessments[0].layout, str(args.rubric))
    sources = [Source(path.name, path.read_bytes()) for path in args.input]
    store = open_store(args.db)
    snapshot_id = save_snapshot(store, assessments, args.org, as_of, args.label, corrections, None, sources,
                                access=_operator(), workspace=args.workspace)
    _emit(f"{snapshot_id}\n".encode(), None)
    for assessment in assessments:
        _say(assessment.summary())
    _say(f"saved snapshot {snapshot_id} of {args.org!r} as of {as_of.isoformat()} in {store.shown}")


def _known_org(store, args: argparse.Namespace):
    """The organisation's snapshots in the workspace; StoreError when it has none."""
    from .errors import StoreError
    from .store import list_snapshots

    org = args.org
    listed = list_snapshots(store, org, access=_operator(), workspace=args.workspace)
    if not len(listed):
        raise StoreError(f"no snapshots of organisation {' '.join(org.split())!r} in {store.shown}")
    return listed


def _snapshots(args: argparse.Namespace, _: ReadSeveral) -> None:
    from .store import open_store

    listed = _known_org(open_store(args.db), args)
    rows = [("id", "as_of", "label", "model", "units", "rows")]
    rows += [tuple(str(v) for v in row) for row in
             listed[["id", "as_of", "label", "model", "units", "rows"]].itertuples(index=False, name=None)]
    _emit(table(rows).encode(), None)


def _history(args: argparse.Namespace, _: ReadSeveral) -> None:
    from .export import to_csv_bytes
    from .store import history, open_store, record_export

    store = open_store(args.db)
    listed = _known_org(store, args)
    frame = history(store, args.org, access=_operator(), workspace=args.workspace)
    _emit(to_csv_bytes(frame), args.out)
    record_export(store, args.org, "history CSV", access=_operator(), workspace=args.workspace)
    _say(f"{len(frame)} rows: {len(listed)} snapshot{'s' * (len(listed) != 1)} of {frame['unit'].nunique()} units")


def _models_note(store, args: argparse.Namespace, ids: list[int]) -> None:
    from .store import snapshot_infos

    infos = snapshot_infos(store, args.org, access=_operator(), workspace=args.workspace)
    models = {i.id: f"{i.model_name} {i.model_version}".strip() for i in infos if i.id in ids}
    if len(set(models.values())) > 1:
        _say(f"note: the snapshots were read against different models ({', '.join(sorted(set(models.values())))}):"
             " their areas differ")


def _diff(args: argparse.Namespace, _: ReadSeveral) -> None:
    from .export import to_csv_bytes
    from .store import compare, open_store, record_export, resolve_snapshot, snapshot_levels

    store = open_store(args.db)
    me, workspace = _operator(), args.workspace
    old = resolve_snapshot(store, args.org, args.old, access=me, workspace=workspace)
    new = resolve_snapshot(store, args.org, args.new, access=me, workspace=workspace)
    _models_note(store, args, [old, new])
    frame = compare(snapshot_levels(store, old, access=me), snapshot_levels(store, new, access=me))
    _emit(to_csv_bytes(frame), args.out)
    for snapshot_id in dict.fromkeys((old, new)):
        record_export(store, args.org, f"diff CSV of snapshots {old} and {new}", access=me, snapshot_id=snapshot_id)
    counts = frame["status"].value_counts()
    _say(", ".join(f"{int(counts[s])} {s}" for s in ("improved", "regressed", "unchanged", "added", "removed")
                   if s in counts) or "no units in either snapshot")


def _check(args: argparse.Namespace, read_several: ReadSeveral) -> int:
    from .store import area_levels, combine, compare, open_store, regressions, resolve_snapshot, snapshot_levels

    store = open_store(args.db)
    me = _operator()
    against = resolve_snapshot(store, args.org, args.against, access=me,  # an unknown one is said before reading
                               workspace=args.workspace)
    assessment = combine(read_several(args))
    fell = regressions(compare(snapshot_levels(store, against, access=me), area_levels(assessment.normalized)))
    for row in fell.itertuples(index=False):
        line = (f"regressed: {row.unit} / {row.dimension_name or row.dimension}: current "
                f"{row.current_before:g} → {row.current_after:g} ({row.change:+g}) since snapshot {against}")
        print(" ".join(line.split()))
    _say(f"{len(fell)} unit × area{'s' * (len(fell) != 1)} fell since snapshot {against}" if len(fell)
         else f"nothing fell since snapshot {against}")
    return 1 if len(fell) else 0


COMMANDS: dict[str, Callable[[argparse.Namespace, ReadSeveral], int | None]] = {
    "save": _save, "snapshots": _snapshots, "history": _history, "diff": _diff, "check": _check}
