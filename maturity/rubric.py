"""Maturity rubrics: the models gapmap scores against, loaded from YAML files and validated.

A rubric is data (``maturity/rubrics/<id>.yaml``); this module only gives it a shape. Adding a
model means adding a file, never code.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from functools import cached_property, lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .catalogue import RUBRIC_DIR, available_rubrics
from .errors import RubricError
from .yamldata import LOADER

__all__ = [
    "Dimension",
    "Group",
    "Level",
    "Practice",
    "Rubric",
    "available_rubrics",
    "load_rubric",
    "match_key",
    "rubric_from_yaml",
]

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
    """One practice of one cell of the matrix (a dimension at a level); ``stream`` names the stream of
    activities it belongs to in models that have them (SAMM's A and B streams)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*\.\d+\.[a-z0-9_]+$")
    level: int
    label: str = Field(min_length=1)
    description: str = ""
    stream: str = ""
    synonyms: tuple[str, ...] = ()


class Group(_Strict):
    """A parent of practice areas: SAMM's business functions, DSOMM's dimensions, a file's 'Function' column."""

    id: str = Field(pattern=_SLUG)
    name: str = Field(min_length=1)
    synonyms: tuple[str, ...] = ()
    description: str = ""


class Dimension(_Strict):
    """A practice area (column of the matrix) with its practices at every level. A level may have no
    practice (SAMM's level 0 is "nothing in place"; a file's own model defines none at all)."""

    id: str = Field(pattern=_SLUG)
    name: str = Field(min_length=1)
    group: str = ""
    synonyms: tuple[str, ...] = ()
    description: str = ""
    practices: tuple[Practice, ...] = ()


class Terms(_Strict):
    """What the model calls its parts, for the column headers of its template: SAMM's groups are
    'Business Function'; DSOMM's areas are 'Sub-dimension' under a 'Dimension'. Each must be a header
    gapmap reads back with the same role."""

    group: str = "Group"
    area: str = "Dimension"


class Rubric(_Strict):
    """A whole maturity model. Build it with :func:`load_rubric`, which validates it.

    ``fractional`` models (SAMM) score a practice area anywhere between two levels (1.625); the others
    take whole levels only. ``version`` and every level and practice id are stable: saved assessments
    refer to them.
    """

    id: str = Field(pattern=_SLUG)
    name: str
    version: str = ""
    authors: str = ""
    source: str = ""
    license: str = ""
    description: str = ""
    fractional: bool = False
    terms: Terms = Terms()
    levels: tuple[Level, ...] = Field(min_length=2)
    groups: tuple[Group, ...] = ()
    dimensions: tuple[Dimension, ...] = Field(min_length=1)
    # Which of DORA's delivery metrics show each area's practices in a pipeline, for "claimed vs observed":
    # written as a mapping, ``metrics: {build: [deployment_frequency, change_lead_time]}``; optional.
    metrics: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @field_validator("metrics", mode="before")
    @classmethod
    def _metrics_mapping(cls, value: object) -> object:
        if isinstance(value, dict):
            return tuple((area, tuple(names) if isinstance(names, (list, tuple)) else names)
                         for area, names in value.items())
        return value

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
        _no_duplicates("group id", [g.id for g in self.groups])
        groups = {g.id for g in self.groups}
        for dim in self.dimensions:
            for practice in dim.practices:
                prefix = f"{dim.id}.{practice.level}."
                if not practice.id.startswith(prefix):
                    raise ValueError(f"practice {practice.id!r} must start with {prefix!r}")
                if practice.level not in numbers:
                    raise ValueError(
                        f"practice {practice.id!r} is at level {practice.level}, not a level of this rubric"
                    )
            if dim.group and dim.group not in groups:
                raise ValueError(f"dimension {dim.id!r} is in group {dim.group!r}, which is not in groups")
        if groups and (ungrouped := [d.id for d in self.dimensions if not d.group]):
            raise ValueError(f"dimension {ungrouped[0]!r} has no group, though the rubric has groups")
        if self.metrics:
            from .dora.words import METRICS  # here, not above: the dora package reads words through this module

            for area, names in self.metrics:
                if area not in self.dimension_ids:
                    raise ValueError(f"metrics: {area!r} is not a dimension id of this rubric")
                if unknown := [n for n in names if n not in METRICS]:
                    raise ValueError(f"metrics: {unknown[0]!r} (for {area}) is not a delivery metric; metrics are "
                                     f"{', '.join(METRICS)}")
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

    def score_name(self, score: float) -> str:
        """A score in words: a whole level by its name, a fractional score by the level reached and how
        far into the next it is ('Level 1, 0.625 into Level 2')."""
        score = min(max(float(score), self.lowest), self.highest)
        reached = math.floor(score + 1e-9)
        part = round(score - reached, 3)
        if part <= 0 or reached >= self.highest:
            return self.level_name(reached)
        return f"{self.level_name(reached)}, {part:g} into {self.level_name(reached + 1)}"

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

    def group(self, group_id: str) -> Group:
        """The group with id ``group_id``; raises KeyError if there is none."""
        for group in self.groups:
            if group.id == group_id:
                return group
        raise KeyError(group_id)

    def group_name(self, dimension_id: str) -> str:
        """The name of the group of a dimension ('' when the rubric has no groups)."""
        group = self.dimension(dimension_id).group
        return self.group(group).name if group else ""

    @cached_property
    def fingerprint(self) -> str:
        """A digest of the whole model: two rubrics with the same fingerprint read a file the same way
        (the dashboard's caches key on it, so a model is never looked up by id again)."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:16]

    @property
    def label(self) -> str:
        """The model's name with its version, for people: 'OWASP SAMM 2.0'."""
        return f"{self.name} {self.version}".strip() if self.version and self.version not in self.name else self.name

    @property
    def area_metrics(self) -> dict[str, tuple[str, ...]]:
        """Dimension id → the delivery metrics that show it (the rubric's optional ``metrics`` mapping)."""
        return dict(self.metrics)

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
    return rubric_from_yaml(text, path.name, uploaded=False)


_MAX_RUBRIC_BYTES = 2 * 1024 * 1024
_RESERVED_IDS = ("auto", "own")


def rubric_from_yaml(text: str | bytes, name: str = "rubric.yaml", uploaded: bool = True) -> Rubric:
    """Validate a rubric given as YAML text (a file someone ``uploaded``, called ``name``; a file on this
    machine, a built-in model or a path given on the command line, is not scanned for aliases first).

    Raises RubricError naming ``name`` and the place of the first mistake.
    """
    if len(text) > _MAX_RUBRIC_BYTES:
        raise RubricError(f"rubric file {name} is larger than {_MAX_RUBRIC_BYTES // 1024 // 1024} MB; "
                          "a maturity model fits in far less")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise RubricError(f"rubric file {name} is not UTF-8 text: save it as UTF-8 YAML") from None
    path = Path(name)
    try:
        # Aliases are refused before anything is built: nested ones (a "billion laughs") cost nothing to
        # load but exponential time to validate, and a maturity model never needs one.
        if uploaded and any(isinstance(token, yaml.AliasToken) for token in yaml.scan(text, Loader=LOADER)):
            raise RubricError(f"rubric file {path.name} uses YAML aliases (*name); write each value out in full")
        document = yaml.load(text, Loader=LOADER)  # safe: plain data only
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise RubricError(f"rubric file {path.name} is not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(document, dict):
        raise RubricError(f"rubric file {path.name} must hold a mapping with id, name, levels and dimensions")
    if document.get("id") in _RESERVED_IDS:
        raise RubricError(f"rubric file {path.name}: id {document['id']!r} is reserved (auto chooses a model, own is "
                          "the file's own model); give the model an id of its own")
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
