"""Maturity rubrics: the models gapmap scores against, loaded from YAML files and validated.

A rubric is data (``maturity/rubrics/<id>.yaml``); this module only gives it a shape. Adding a
model means adding a file, never code.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cached_property, lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import RubricError

__all__ = [
    "Dimension",
    "Level",
    "Practice",
    "Rubric",
    "available_rubrics",
    "load_rubric",
    "match_key",
]

RUBRIC_DIR = Path(__file__).with_name("rubrics")
# libyaml's safe loader when PyYAML has it (10× faster than the pure-Python one), the same documents.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SLUG = r"^[a-z][a-z0-9_]*$"


def match_key(text: object) -> str:
    """Fold ``text`` for matching: case, accents, spacing, punctuation and '&'/'and' do not count.

    >>> match_key("  Culture and Organisation ") == match_key("culture & organisation")
    True
    """
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    folded = folded.replace("&", " and ")
    words = re.findall(r"[a-z0-9]+", folded)
    return " ".join(w for w in words if w != "and")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Level(_Strict):
    """One rung of the model: its number, its name, and other names people write for it."""

    level: int = Field(ge=0, le=10)
    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    summary: str = ""


class Practice(_Strict):
    """One practice of one cell of the matrix (a dimension at a level)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*\.\d+\.[a-z0-9_]+$")
    level: int
    label: str = Field(min_length=1)
    description: str = ""
    synonyms: tuple[str, ...] = ()


class Dimension(_Strict):
    """A practice area (column of the matrix) with its practices at every level."""

    id: str = Field(pattern=_SLUG)
    name: str = Field(min_length=1)
    synonyms: tuple[str, ...] = ()
    description: str = ""
    practices: tuple[Practice, ...] = Field(min_length=1)


class Rubric(_Strict):
    """A whole maturity model. Build it with :func:`load_rubric`, which validates it."""

    id: str = Field(pattern=_SLUG)
    name: str
    authors: str = ""
    source: str = ""
    description: str = ""
    levels: tuple[Level, ...] = Field(min_length=2)
    dimensions: tuple[Dimension, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Rubric:
        numbers = [lv.level for lv in self.levels]
        expected = list(range(numbers[0], numbers[0] + len(numbers)))
        if numbers != expected:
            missing = sorted(set(range(min(numbers), max(numbers) + 1)) - set(numbers))
            detail = f"level {missing[0]} is missing" if missing else "levels repeat or are out of order"
            raise ValueError(f"levels must run without gaps in order ({numbers}): {detail}")
        _no_duplicates("dimension id", [d.id for d in self.dimensions])
        _no_duplicates("level name", [match_key(lv.name) for lv in self.levels])
        _no_duplicates("practice id", [p.id for d in self.dimensions for p in d.practices])
        for dim in self.dimensions:
            for practice in dim.practices:
                prefix = f"{dim.id}.{practice.level}."
                if not practice.id.startswith(prefix):
                    raise ValueError(f"practice {practice.id!r} must start with {prefix!r}")
                if practice.level not in numbers:
                    raise ValueError(
                        f"practice {practice.id!r} is at level {practice.level}, not a level of this rubric"
                    )
            if not any(p.level == numbers[0] for p in dim.practices):
                raise ValueError(f"dimension {dim.id!r} has no practice at the lowest level {numbers[0]}")
        return self

    # ---- derived views -------------------------------------------------------------------
    @property
    def lowest(self) -> int:
        return self.levels[0].level

    @property
    def highest(self) -> int:
        return self.levels[-1].level

    def level_name(self, level: int) -> str:
        """The name of ``level`` (e.g. 3 → 'Intermediate'); raises KeyError for a level not in the model."""
        return self._level_names[level]

    @cached_property
    def _level_names(self) -> dict[int, str]:
        return {lv.level: lv.name for lv in self.levels}

    @cached_property
    def level_lookup(self) -> dict[str, int]:
        """Folded level name or alias → level number."""
        return {match_key(n): lv.level for lv in self.levels for n in (lv.name, *lv.aliases)}

    @cached_property
    def dimension_lookup(self) -> dict[str, str]:
        """Folded dimension id, name or synonym → dimension id."""
        lookup: dict[str, str] = {}
        for dim in self.dimensions:
            for name in (dim.id, dim.name, *dim.synonyms):
                lookup[match_key(name)] = dim.id
        return lookup

    @cached_property
    def practice_lookup(self) -> dict[str, Practice]:
        """Folded practice label, id or synonym → practice."""
        lookup: dict[str, Practice] = {}
        for dim in self.dimensions:
            for practice in dim.practices:
                for name in (practice.id, practice.label, *practice.synonyms):
                    lookup.setdefault(match_key(name), practice)
        return lookup

    def dimension(self, dimension_id: str) -> Dimension:
        """The dimension with id ``dimension_id``; raises KeyError if there is none."""
        for dim in self.dimensions:
            if dim.id == dimension_id:
                return dim
        raise KeyError(dimension_id)

    def practices_at(self, dimension_id: str, level: int) -> tuple[Practice, ...]:
        """The practices that define ``level`` within a dimension (empty for an unknown pair)."""
        try:
            dim = self.dimension(dimension_id)
        except KeyError:
            return ()
        return tuple(p for p in dim.practices if p.level == level)

    @property
    def dimension_ids(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.dimensions)

    @property
    def practice_count(self) -> int:
        return sum(len(d.practices) for d in self.dimensions)


def _no_duplicates(what: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what} {value!r}")
        seen.add(value)


def available_rubrics() -> list[str]:
    """Ids of the built-in rubrics (the YAML files in ``maturity/rubrics``)."""
    return sorted(p.stem for p in RUBRIC_DIR.glob("*.yaml"))


def load_rubric(name_or_path: str | Path = "cdmm") -> Rubric:
    """Load and validate a rubric: a built-in id such as ``"cdmm"`` or a path to a YAML file.

    Raises RubricError naming the file and the place when it is unknown or invalid.
    """
    path = Path(name_or_path)
    if path.suffix.lower() not in {".yaml", ".yml"}:
        path = RUBRIC_DIR / f"{name_or_path}.yaml"
        if not path.is_file():
            known = ", ".join(available_rubrics()) or "none"
            raise RubricError(f"unknown rubric {str(name_or_path)!r}; built-in rubrics: {known}")
    return _load_path(path.resolve())


@lru_cache(maxsize=16)
def _load_path(path: Path) -> Rubric:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RubricError(f"cannot read rubric file {path}: {exc.strerror or exc}") from None
    try:
        document = yaml.load(text, Loader=_YAML_LOADER)  # safe: plain data only
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise RubricError(f"rubric file {path.name} is not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(document, dict):
        raise RubricError(f"rubric file {path.name} must hold a mapping with id, name, levels and dimensions")
    try:
        return Rubric.model_validate(document)
    except ValidationError as exc:
        first = exc.errors()[0]
        place = _describe_location(document, first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = "unknown key"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise RubricError(f"rubric file {path.name}: {place}: {message}{more}") from None


def _describe_location(document: object, loc: tuple) -> str:
    """Turn a pydantic location like ('dimensions', 2, 'practices', 0, 'idd') into readable words."""
    parts: list[str] = []
    node = document
    for key in loc:
        if isinstance(key, int) and isinstance(node, list) and key < len(node):
            node = node[key]
            label = node.get("id") or node.get("name") or node.get("level") if isinstance(node, dict) else None
            parts[-1:] = [f"{parts[-1] if parts else ''}[{label if label is not None else key}]"]
        else:
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return ".".join(parts) or "top level"
