"""Command line: ``python -m maturity normalize | roadmap | inspect | rubrics | template`` and, for
assessment cycles kept in the snapshot store, ``save | snapshots | history | diff | check``.

Exit status 0 when the file was read (rows with problems are written to the problems file and
counted in a one-line summary on stderr, after a ``note: …`` line for anything worth knowing about how
the file was read, such as the model chosen or a guessed encoding); 2 with one ``error: …`` line on
stderr when the file cannot be used at all (or the database, a date, an organisation or a snapshot
named cannot be); ``check`` exits 1 when a unit × area fell. Outputs go to stdout when ``--out`` is
omitted. The store commands (``cli_store.py``) take ``--db URL`` (default: ``GAPMAP_DATABASE_URL``, else
``~/.gapmap/gapmap.db``) and ``--workspace NAME`` (default ``default``): the command line runs with the
database's credentials, as an operator, and names the workspace it works in; ``report`` and ``dora`` are
in ``report/cli.py`` and ``dora/cli.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .catalogue import AUTO, OWN, available_rubrics
from .cli_output import emit as _emit
from .cli_output import say as _say
from .cli_output import table as _table
from .errors import GapmapError

if TYPE_CHECKING:
    from .normalize import Assessment

# pandas and the engine are imported as a command needs them: a command reading a spreadsheet imports
# them while calamine reads it (see _load_engine), so that the one is not waiting for the other.

_TEMPLATE_DEFAULT = "cdmm"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m maturity",
        description="Normalize a DevOps maturity gap analysis (Excel or CSV) and plan the roadmap.",
    )
    parser.add_argument("--version", action="version", version=f"gapmap {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    rubric_help = (f"the maturity model: {AUTO} (the default: chosen from the file's areas), {OWN} (the file's own "
                   f"areas and levels), a built-in id ({', '.join(available_rubrics())}) or a path to a rubric YAML "
                   "file")

    def reader(name: str, help_text: str, several: bool = False) -> argparse.ArgumentParser:
        command = commands.add_parser(name, help=help_text)
        if several:
            command.add_argument("input", type=Path, nargs="+",
                                 help="gap analyses (.xlsx, .xlsm, .ods or .csv): several files form one assessment, "
                                      "each with its own units")
        else:
            command.add_argument("input", type=Path, help="gap analysis: .xlsx, .xlsm, .ods or .csv")
        command.add_argument("--rubric", default=AUTO, help=rubric_help)
        command.add_argument("--default-target", metavar="next|LEVEL",
                             help="for a file with current levels only: the target of every row, next (one level "
                                  "above current, capped at the top) or a level (a number or a level name)")
        _add_corrections(command)
        return command

    normalize = reader("normalize", "write the normalized rows (and the problems) as CSV")
    normalize.add_argument("--out", type=Path, help="normalized CSV (default: stdout)")
    normalize.add_argument("--errors", type=Path, help="problems CSV: sheet, row, column, value, problem")

    roadmap = reader("roadmap", "write the prioritized roadmap as CSV")
    roadmap.add_argument("--out", type=Path, help="roadmap CSV (default: stdout)")
    roadmap.add_argument("--errors", type=Path, help="problems CSV: sheet, row, column, value, problem")
    roadmap.add_argument("--start", metavar="YYYY-MM-DD",
                         help="the day phase 1 starts: each step then has its phase's phase_start and phase_end")
    roadmap.add_argument("--phase-length", metavar="LENGTH",
                         help="how long each phase lasts, e.g. '1 quarter' (the default), '3 months', '6 weeks'")

    inspect = reader("inspect", "say how the file is read: the model and why, each sheet's header and columns")
    inspect.add_argument("--json", action="store_true", help="one JSON document instead of text")

    commands.add_parser("rubrics", help="list the built-in maturity models")

    template = commands.add_parser("template", help="write an empty gap-analysis workbook to fill in")
    template.add_argument("--rubric", default=_TEMPLATE_DEFAULT,
                          help=f"a built-in id ({', '.join(available_rubrics())}) or a path to a rubric YAML file "
                               f"(default: {_TEMPLATE_DEFAULT})")
    template.add_argument("--out", type=Path, required=True, help="where to write the .xlsx")

    from .cli_store import add_commands as add_store_commands

    add_store_commands(commands, reader)

    from .report.cli import add_command as add_report_command

    add_report_command(reader)

    from .dora.cli import add_parser as add_dora_parser

    add_dora_parser(commands)
    return parser


def _add_corrections(command: argparse.ArgumentParser) -> None:
    """The flags that say where the table is when detection reads it wrong or finds nothing."""
    fix = command.add_argument_group("where the table is (when it is not found or read wrong)")
    fix.add_argument("--sheet", action="append", metavar="NAME",
                     help="read this sheet, and only the sheets named (repeatable)")
    fix.add_argument("--header-row", metavar="N", help="the row holding the column titles (1 is the first row)")
    fix.add_argument("--role", action="append", metavar="COLUMN=ROLE",
                     help="give a column (a letter such as B, or its header text) a role: unit, group, dimension, "
                          "practice, current, target, priority, effort, owner, notes, evidence, applicable, or "
                          "none (repeatable)")
    fix.add_argument("--scale", action="append", metavar="COLUMN=LOW-HIGH",
                     help="read a current or target column's numbers on this scale, e.g. D=0-4 (repeatable)")
    fix.add_argument("--pair", action="append", metavar="CURRENT=TARGET[:across|down]",
                     help="read two sheets together: current levels on the first, target levels on the second, "
                          "each a units × areas matrix; :across or :down says where the areas are (repeatable)")


def _load_engine(rubric: str):
    """What reading a file goes on to, done on this thread while calamine reads the file on another
    (``read_workbook``'s ``meanwhile``): the engine's imports (0.3 s) and the built-in models the file
    will be read against (``rubric``: all six for auto and own, 25 ms), which would otherwise wait for it."""
    import importlib

    def load() -> None:
        for module in ("normalize", "choose", "export"):
            importlib.import_module(f".{module}", __package__)
        from .rubric import load_rubric
        from .vocabulary import role_phrases

        built_in = available_rubrics()
        for model in built_in if rubric in (AUTO, OWN) else [rubric] if rubric in built_in else []:
            load_rubric(model)  # kept by load_rubric's cache for the choice (a file of the user's is read later)
        role_phrases()  # the vocabulary file, read once per process

    return load


def _assess(args: argparse.Namespace, path: Path | None = None) -> Assessment:
    """The file (``path``, else the one input) read as detected, or with the layout the correction flags give."""
    from .reader import read_workbook

    path = args.input if path is None else path
    flags = (args.sheet, args.header_row, args.role, args.scale, args.pair)
    corrections = None
    if any(flag is not None for flag in flags):  # a flag that cannot be read is said before the file is read
        from .corrections import Corrections

        corrections = Corrections.parse(*flags)
    workbook = read_workbook(path, path.name, meanwhile=_load_engine(str(args.rubric)))
    from .normalize import assess_workbook

    if corrections is None or corrections.is_empty:
        return assess_workbook(workbook, args.rubric, default_target=args.default_target)
    from .corrections import apply_corrections, check_scales
    from .rubric import load_rubric

    # Laid out with the base model as detection is for auto and own; the model chosen then refits the scales.
    base = load_rubric("cdmm" if args.rubric in (AUTO, OWN) else args.rubric)
    assessment = assess_workbook(workbook, args.rubric, apply_corrections(workbook, base, corrections),
                                 args.default_target)
    check_scales(corrections, assessment.rubric)
    return assessment


def _read(args: argparse.Namespace) -> Assessment:
    if not args.input.is_file():
        raise GapmapError(f"{args.input}: no such file")
    assessment = _assess(args)
    for note in assessment.notes:  # how the file was read (the model chosen, a guessed encoding ...)
        _say(f"note: {note}")
    if getattr(args, "errors", None) is not None:
        from .export import to_csv_bytes

        _emit(to_csv_bytes(assessment.problems), args.errors)
    return assessment


def _problems_hint(assessment: Assessment, args: argparse.Namespace) -> None:
    if assessment.rows_with_problems and args.errors is None:
        _say("see the rows with problems with --errors problems.csv")


def _normalize(args: argparse.Namespace) -> None:
    assessment = _read(args)
    from .export import to_csv_bytes

    _emit(to_csv_bytes(assessment.normalized), args.out)
    _say(assessment.summary())
    _problems_hint(assessment, args)


def _roadmap(args: argparse.Namespace) -> None:
    if args.phase_length is not None and args.start is None:
        raise GapmapError("--phase-length needs --start YYYY-MM-DD, the day phase 1 starts")
    dated = None
    if args.start:  # a bad date or length is said before the file is read
        from .schedule import PhaseLength, parse_start

        dated = (parse_start(args.start), PhaseLength.parse(args.phase_length))
    assessment = _read(args)
    from .export import to_csv_bytes
    from .roadmap import build_roadmap
    from .schedule import with_dates

    roadmap = build_roadmap(assessment)
    if dated is not None:
        roadmap = with_dates(roadmap, *dated)
    _emit(to_csv_bytes(roadmap), args.out)
    when = f", phase 1 from {dated[0]}, each {dated[1].describe()}" if dated else ""
    _say(f"{assessment.summary()}; {len(roadmap)} roadmap steps{when}")
    _problems_hint(assessment, args)


def _inspect(args: argparse.Namespace) -> None:
    if not args.input.is_file():
        raise GapmapError(f"{args.input}: no such file")
    assessment = _assess(args)
    from .reading import describe, describe_text

    report = describe(assessment)
    if args.json:
        _emit((json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode(), None)
    else:
        _emit(describe_text(report).encode(), None)


def _rubrics(_: argparse.Namespace) -> None:
    from .rubric import load_rubric

    rows = [("id", "name", "version", "levels", "areas")]
    for rubric in map(load_rubric, available_rubrics()):
        levels = f"{rubric.lowest}–{rubric.highest}{' (fractional)' if rubric.fractional else ''}"
        groups = f" in {len(rubric.groups)} groups" if rubric.groups else ""
        rows.append((rubric.id, rubric.name, rubric.version or "-", levels, f"{len(rubric.dimensions)}{groups}"))
    _emit(_table(rows).encode(), None)


def _template(args: argparse.Namespace) -> None:
    from .export import template_bytes
    from .rubric import load_rubric

    if args.rubric in (AUTO, OWN):
        raise GapmapError(f"a template needs a model to lay out: use --rubric with a built-in id "
                          f"({', '.join(available_rubrics())}) or a rubric YAML file")
    rubric = load_rubric(args.rubric)
    _emit(template_bytes(rubric), args.out)
    _say(f"wrote a {rubric.id} template with {rubric.practice_count} practices to {args.out}")


def _read_several(args: argparse.Namespace) -> list[Assessment]:
    """Each input read with the same flags, its notes said (named after the file when there are several)."""
    assessments = []
    for path in args.input:
        if not path.is_file():
            raise GapmapError(f"{path}: no such file")
        assessment = _assess(args, path)
        for note in assessment.notes:
            _say(f"note: {path.name}: {note}" if len(args.input) > 1 else f"note: {note}")
        assessments.append(assessment)
    return assessments


def _dora(args: argparse.Namespace) -> int:
    from .dora.cli import run as run_dora

    return run_dora(args)


def _report(args: argparse.Namespace) -> None:
    from .report.cli import run as run_report

    run_report(args, _read_several)


def _store_command(args: argparse.Namespace) -> int | None:
    from .cli_store import COMMANDS

    return COMMANDS[args.command](args, _read_several)


_COMMANDS = {"normalize": _normalize, "roadmap": _roadmap, "inspect": _inspect, "rubrics": _rubrics,
             "template": _template, "report": _report, "dora": _dora,
             **dict.fromkeys(("save", "snapshots", "history", "diff", "check"), _store_command)}


def run(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv``; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args) or 0
    except GapmapError as error:
        _say(f"error: {error}")
        return 2


if __name__ == "__main__":
    sys.exit(run())
