"""Command line: ``python -m maturity normalize | roadmap | inspect | rubrics | template``.

Exit status 0 when the file was read (rows with problems are written to the problems file and
counted in a one-line summary on stderr, after a ``note: …`` line for anything worth knowing about how
the file was read, such as the model chosen or a guessed encoding); 2 with one ``error: …`` line on
stderr when the file cannot be used at all. Outputs go to stdout when ``--out`` is omitted.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .choose import AUTO, OWN
from .errors import GapmapError
from .export import template_bytes, to_csv_bytes
from .normalize import Assessment, assess
from .roadmap import build_roadmap
from .rubric import available_rubrics, load_rubric

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

    def reader(name: str, help_text: str) -> argparse.ArgumentParser:
        command = commands.add_parser(name, help=help_text)
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

    inspect = reader("inspect", "say how the file is read: the model and why, each sheet's header and columns")
    inspect.add_argument("--json", action="store_true", help="one JSON document instead of text")

    commands.add_parser("rubrics", help="list the built-in maturity models")

    template = commands.add_parser("template", help="write an empty gap-analysis workbook to fill in")
    template.add_argument("--rubric", default=_TEMPLATE_DEFAULT,
                          help=f"a built-in id ({', '.join(available_rubrics())}) or a path to a rubric YAML file "
                               f"(default: {_TEMPLATE_DEFAULT})")
    template.add_argument("--out", type=Path, required=True, help="where to write the .xlsx")
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


def _assess(args: argparse.Namespace) -> Assessment:
    """The file read as detected, or with the layout the correction flags give."""
    from .corrections import Corrections, apply_corrections, check_scales
    from .normalize import assess_workbook
    from .reader import read_workbook

    corrections = Corrections.parse(args.sheet, args.header_row, args.role, args.scale)
    if corrections.is_empty:
        return assess(args.input, args.input.name, args.rubric, default_target=args.default_target)
    workbook = read_workbook(args.input, args.input.name)
    # Laid out with the base model as detection is for auto and own; the model chosen then refits the scales.
    base = load_rubric("cdmm" if args.rubric in (AUTO, OWN) else args.rubric)
    assessment = assess_workbook(workbook, args.rubric, apply_corrections(workbook, base, corrections),
                                 args.default_target)
    check_scales(corrections, assessment.rubric)
    return assessment


def _emit(data: bytes, out: Path | None) -> None:
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        try:
            out.write_bytes(data)
        except OSError as exc:
            raise GapmapError(f"cannot write {out}: {exc.strerror or exc}") from None


def _say(line: str) -> None:
    print(" ".join(str(line).split()), file=sys.stderr)  # one line, whatever a sheet or a value is called


def _read(args: argparse.Namespace) -> Assessment:
    if not args.input.is_file():
        raise GapmapError(f"{args.input}: no such file")
    assessment = _assess(args)
    for note in assessment.notes:  # how the file was read (the model chosen, a guessed encoding ...)
        _say(f"note: {note}")
    if getattr(args, "errors", None) is not None:
        _emit(to_csv_bytes(assessment.problems), args.errors)
    return assessment


def _problems_hint(assessment: Assessment, args: argparse.Namespace) -> None:
    if assessment.rows_with_problems and args.errors is None:
        _say("see the rows with problems with --errors problems.csv")


def _normalize(args: argparse.Namespace) -> None:
    assessment = _read(args)
    _emit(to_csv_bytes(assessment.normalized), args.out)
    _say(assessment.summary())
    _problems_hint(assessment, args)


def _roadmap(args: argparse.Namespace) -> None:
    assessment = _read(args)
    roadmap = build_roadmap(assessment)
    _emit(to_csv_bytes(roadmap), args.out)
    _say(f"{assessment.summary()}; {len(roadmap)} roadmap steps")
    _problems_hint(assessment, args)


def _inspect(args: argparse.Namespace) -> None:
    from .reading import describe, describe_text

    if not args.input.is_file():
        raise GapmapError(f"{args.input}: no such file")
    assessment = _assess(args)
    report = describe(assessment)
    if args.json:
        _emit((json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode(), None)
    else:
        _emit(describe_text(report).encode(), None)


def _rubrics(_: argparse.Namespace) -> None:
    rows = [("id", "name", "version", "levels", "areas")]
    for rubric in map(load_rubric, available_rubrics()):
        levels = f"{rubric.lowest}–{rubric.highest}{' (fractional)' if rubric.fractional else ''}"
        groups = f" in {len(rubric.groups)} groups" if rubric.groups else ""
        rows.append((rubric.id, rubric.name, rubric.version or "-", levels, f"{len(rubric.dimensions)}{groups}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    text = "".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() + "\n"
                   for row in rows)
    _emit(text.encode(), None)


def _template(args: argparse.Namespace) -> None:
    if args.rubric in (AUTO, OWN):
        raise GapmapError(f"a template needs a model to lay out: use --rubric with a built-in id "
                          f"({', '.join(available_rubrics())}) or a rubric YAML file")
    rubric = load_rubric(args.rubric)
    _emit(template_bytes(rubric), args.out)
    _say(f"wrote a {rubric.id} template with {rubric.practice_count} practices to {args.out}")


_COMMANDS = {"normalize": _normalize, "roadmap": _roadmap, "inspect": _inspect, "rubrics": _rubrics,
             "template": _template}


def run(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv``; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        _COMMANDS[args.command](args)
        return 0
    except GapmapError as error:
        _say(f"error: {error}")
        return 2


if __name__ == "__main__":
    sys.exit(run())
