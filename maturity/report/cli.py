"""``python -m maturity report INPUT... --out pack.pptx|report.html``: the steering pack from the command line.

The format comes from ``--out``'s suffix (.pptx, or .html / .htm); any other is a one-line error, said
before a file is read. The organisation, the as-of date and where each came from are said on stderr
as notes, as is a deck without pictures and why. What moved since the previous snapshot is in the pack
when a store is given (``--db``, or ``GAPMAP_DATABASE_URL``) or the default one exists and holds the
organisation's snapshots.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..cli_output import say as _say
from ..errors import ReportError

if TYPE_CHECKING:
    from ..normalize import Assessment

__all__ = ["add_command", "format_of", "run"]

_SUFFIXES = {".pptx": "pptx", ".html": "html", ".htm": "html"}


def add_command(reader: Callable[..., argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """The ``report`` subcommand, made with the command line's ``reader`` (the inputs and reading flags)."""
    report = reader("report", "write the steering pack: a PowerPoint deck (--out pack.pptx) or one self-contained "
                              "HTML file (--out report.html)", True)
    report.add_argument("--out", type=Path, required=True, metavar="PATH",
                        help="where to write the pack: .pptx (PowerPoint) or .html (one file, nothing loaded from "
                             "the network, printable on A4 and Letter)")
    report.add_argument("--org", help="the organisation the pack names (default: the one the workbook names, e.g. "
                                      "'Organization: Acme', else the file's name)")
    report.add_argument("--as-of", metavar="YYYY-MM[-DD]",
                        help="the date the assessment describes (default: the date the workbook states, e.g. "
                             "'Assessed: 2026-09', else today)")
    report.add_argument("--unit", action="append", metavar="UNIT",
                        help="show this unit (repeatable): the pack's scope (default: every unit)")
    report.add_argument("--db", metavar="URL",
                        help="the snapshot store, for what moved since the organisation's previous snapshot "
                             "(default: GAPMAP_DATABASE_URL, else ~/.gapmap/gapmap.db when it exists)")
    return report


def format_of(path: Path) -> str:
    """``"pptx"`` or ``"html"``, from ``path``'s suffix; ReportError for any other."""
    kind = _SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ReportError(f"{' '.join(str(path).split())[:120]}: a steering pack is written as PowerPoint or HTML: "
                          "give --out pack.pptx or --out report.html")
    return kind


def _store(url: str | None):
    """The store to look for earlier snapshots in: the one named, else the default one if it exists."""
    from sqlalchemy.engine import make_url

    from ..store import database_url, open_store

    if url or os.environ.get("GAPMAP_DATABASE_URL", "").strip():
        return open_store(url)
    default = make_url(database_url()).database  # opening it would create it: only when it is there
    return open_store() if default and Path(default).is_file() else None


def run(args: argparse.Namespace, read_several: Callable[[argparse.Namespace], list[Assessment]]) -> None:
    """Write the pack of ``args.input`` (read by ``read_several``, which says each file's notes) to ``args.out``."""
    from ..reader import read_workbook
    from . import build_pack
    from .images import render
    from .pptx import deck_bytes

    kind = format_of(args.out)  # a wrong suffix is said before any file is read
    assessments = read_several(args)
    if len(assessments) == 1:
        assessment = assessments[0]
    else:
        from ..store import combine

        assessment = combine(assessments)
    # The stated date is in the title blocks, which the assessment does not keep: read them again.
    workbooks = [] if args.as_of else [read_workbook(path, path.name) for path in args.input]
    from ..store.access import command_line_access

    pack = build_pack(assessment, org=args.org, as_of=args.as_of, units=args.unit, store=_store(args.db),
                      access=command_line_access(), workbook=workbooks)
    _say(f"note: organisation: {pack.organisation.value!r} ({pack.organisation.source})")
    _say(f"note: as of {pack.as_of.value} ({pack.as_of.source})")
    if kind == "pptx":
        pictures = render([chart.figure for chart in pack.charts])
        if pictures.reason:
            _say(f"note: {pictures.reason}")
        data = deck_bytes(pack, pictures)
    else:
        from .html import html_bytes

        data = html_bytes(pack)
    try:
        args.out.write_bytes(data)
    except OSError as error:
        raise ReportError(f"cannot write {args.out}: {error.strerror or error}") from None
    for each in assessments:
        _say(each.summary())
    moved = "; what moved since the previous snapshot" if pack.moved is not None else ""
    _say(f"wrote the steering pack ({'PowerPoint' if kind == 'pptx' else 'HTML'}: {pack.scope}, "
         f"{len(pack.charts)} charts{moved}) to {args.out}")
