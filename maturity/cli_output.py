"""What every command of ``python -m maturity`` writes: an output to a file or to stdout, and a line on
stderr for people (a note, a summary, an error), one line whatever a sheet, unit or file is called."""

from __future__ import annotations

import sys
from pathlib import Path

from .errors import GapmapError

__all__ = ["emit", "say", "table"]


def emit(data: bytes, out: Path | None) -> None:
    """``data`` to the file ``out``, or to stdout without one. Raises GapmapError when it cannot be written."""
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise GapmapError(f"cannot write {out}: {exc.strerror or exc}") from None


def say(line: str) -> None:
    """``line`` on stderr as one line: the line breaks and runs of spaces of a value folded."""
    print(" ".join(str(line).split()), file=sys.stderr)


def table(rows: list[tuple[str, ...]]) -> str:
    """``rows`` (the first its header) as aligned columns of text, two spaces apart, one line each."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() + "\n"
                   for row in rows)
