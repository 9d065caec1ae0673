"""The YAML loader gapmap reads with: libyaml's safe loader when PyYAML has it, ten times faster than
the pure-Python one and the same documents (plain data only, either way).

Its own data files (the vocabulary, the models, DORA's clusters and words) are read on every run of
the command line; a model or an access file someone gives it is read with the same loader.
"""

from __future__ import annotations

from pathlib import Path

import yaml

__all__ = ["LOADER", "load_data_file"]

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_data_file(path: Path) -> object:
    """One of gapmap's own YAML files, as plain data."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)
