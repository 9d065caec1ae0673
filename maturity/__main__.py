"""Command line: ``python -m maturity normalize | roadmap | template``.

Exit status 0 when the file was read (rows with problems are written to the problems file and
counted in a one-line summary on stderr, after a ``note: …`` line for anything worth knowing about how
the file was read, such as a guessed encoding); 2 with one ``error: …`` line on stderr when the file cannot
be used at all. Outputs go to stdout when ``--out`` is omitted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import GapmapError
from .export import template_bytes, to_csv_bytes
from .normalize import assess
from .roadmap import build_roadmap
from .rubric import available_rubrics, load_rubric


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m maturity",
        description="Normalize a DevOps maturity gap analysis (Excel or CSV) and plan the roadmap.",
    )
    parser.add_argument("--version", action="version", version=f"gapmap {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    rubric_help = f"rubric id ({', '.join(available_rubrics())}) or a path to a rubric YAML file"

    normalize = commands.add_parser("normalize", help="write the normalized rows (and the problems) as CSV")
    normalize.add_argument("input", type=Path, help="gap analysis: .xlsx, .xlsm, .ods or .csv")
    normalize.add_argument("--rubric", default="cdmm", help=rubric_help)
    normalize.add_argument("--out", type=Path, help="normalized CSV (default: stdout)")
    normalize.add_argument("--errors", type=Path, help="problems CSV: sheet, row, column, value, problem")

    roadmap = commands.add_parser("roadmap", help="write the prioritized roadmap as CSV")
    roadmap.add_argument("input", type=Path, help="gap analysis: .xlsx, .xlsm, .ods or .csv")
    roadmap.add_argument("--rubric", default="cdmm", help=rubric_help)
    roadmap.add_argument("--out", type=Path, help="roadmap CSV (default: stdout)")
    roadmap.add_argument("--errors", type=Path, help="problems CSV: sheet, row, column, value, problem")

    template = commands.add_parser("template", help="write an empty gap-analysis workbook to fill in")
    template.add_argument("--rubric", default="cdmm", help=rubric_help)
    template.add_argument("--out", type=Path, required=True, help="where to write the .xlsx")
    return parser


def _emit(data: bytes, out: Path | None) -> None:
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        try:
            out.write_bytes(data)
        except OSError as exc:
            raise GapmapError(f"cannot write {out}: {exc.strerror or exc}") from None


def run(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv``; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        rubric = load_rubric(args.rubric)
        if args.command == "template":
            _emit(template_bytes(rubric), args.out)
            print(f"wrote a {rubric.id} template with {rubric.practice_count} practices to {args.out}", file=sys.stderr)
            return 0
        if not args.input.is_file():
            raise GapmapError(f"{args.input}: no such file")
        assessment = assess(args.input, args.input.name, rubric)
        for note in assessment.notes:  # how the file was read (a guessed encoding, NUL bytes removed ...)
            print(f"note: {' '.join(note.split())}", file=sys.stderr)  # one line, whatever a sheet is called
        if args.errors is not None:
            _emit(to_csv_bytes(assessment.problems), args.errors)
        if args.command == "normalize":
            _emit(to_csv_bytes(assessment.normalized), args.out)
            print(assessment.summary(), file=sys.stderr)
        else:
            roadmap = build_roadmap(assessment, rubric)
            _emit(to_csv_bytes(roadmap), args.out)
            print(f"{assessment.summary()}; {len(roadmap)} roadmap steps", file=sys.stderr)
        if assessment.rows_with_problems and args.errors is None:
            print("see the rows with problems with --errors problems.csv", file=sys.stderr)
        return 0
    except GapmapError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(run())
