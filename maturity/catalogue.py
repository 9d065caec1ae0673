"""The models gapmap ships, named without loading one: their folder, their ids, and the two words
accepted wherever a built-in id is that name no file.

Light to import (no pydantic, no YAML): the command line reads its arguments with it before the
engine loads.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["AUTO", "OWN", "RUBRIC_DIR", "available_rubrics"]

RUBRIC_DIR = Path(__file__).with_name("rubrics")
AUTO = "auto"  # the model chosen from the file (maturity.choose)
OWN = "own"  # the file's own areas and levels


def available_rubrics() -> list[str]:
    """Ids of the built-in rubrics (the YAML files in ``maturity/rubrics``)."""
    return sorted(p.stem for p in RUBRIC_DIR.glob("*.yaml"))
