"""The words of a delivery metrics table (``vocabulary.yaml`` beside this module): header phrases per
metric, the unit and period headers, time units, frequency words. Loaded once and validated here."""

from __future__ import annotations

from fractions import Fraction
from functools import cache
from pathlib import Path

from ..rubric import match_key
from ..yamldata import load_data_file

__all__ = ["METRICS", "ambiguous_words", "frequency_filler", "frequency_words", "metric_phrases", "not_given",
           "number", "number_words", "per_words", "period_phrases", "time_units", "unit_phrases"]

_PATH = Path(__file__).with_name("vocabulary.yaml")

# DORA's five metrics (rubric reference §4.1), each with what its cells hold.
METRICS = {
    "deployment_frequency": "frequency",
    "change_lead_time": "duration",
    "change_fail_rate": "rate",
    "recovery_time": "duration",
    "deployment_rework_rate": "rate",
}


def number(value: object) -> float:
    """A number as the YAML files write it: 2, 0.5 or a fraction '1/7'. Raises ValueError for anything else."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, (int, float)):
        return float(value)
    return float(Fraction(str(value).strip()))


@cache
def _document() -> dict:
    document = load_data_file(_PATH)
    needed = {"metric_phrases", "unit_phrases", "period_phrases", "time_units", "frequency_words"}
    if not isinstance(document, dict) or not needed <= document.keys():
        raise ValueError(f"{_PATH.name} must hold {', '.join(sorted(needed))}")
    if unknown := set(document["metric_phrases"]) - set(METRICS):
        raise ValueError(f"{_PATH.name} names unknown metrics {sorted(unknown)}; metrics are {', '.join(METRICS)}")
    return document


@cache
def metric_phrases() -> dict[str, str]:
    """Folded header phrase → the metric it names. Raises ValueError when a phrase names two metrics."""
    found: dict[str, str] = {}
    for metric, phrases in _document()["metric_phrases"].items():
        for phrase in phrases:
            if found.setdefault(match_key(phrase), metric) != metric:
                raise ValueError(f"{_PATH.name}: {phrase!r} names both {found[match_key(phrase)]} and {metric}")
    return found


@cache
def unit_phrases() -> frozenset[str]:
    """Folded headers of a unit column besides the assessment's ('Service', 'Application')."""
    return frozenset(match_key(p) for p in _document()["unit_phrases"])


@cache
def period_phrases() -> frozenset[str]:
    """Folded headers of a period column ('As of', 'Quarter')."""
    return frozenset(match_key(p) for p in _document()["period_phrases"])


@cache
def not_given() -> frozenset[str]:
    """Cells (folded, or as written for punctuation such as '-') that say a metric was not measured."""
    words = [str(w) for w in _document().get("not_given", [])]
    return frozenset({match_key(w) for w in words if match_key(w)} | {w.strip() for w in words})


@cache
def time_units() -> dict[str, tuple[str, float]]:
    """Spelling of a time unit ('hrs', 'weeks') → (the unit's name, its length in hours)."""
    units: dict[str, tuple[str, float]] = {}
    for name, entry in _document()["time_units"].items():
        for word in entry["words"]:
            units[str(word).lower()] = (str(name), number(entry["hours"]))
    return units


@cache
def number_words() -> dict[str, float]:
    """'one' → 1, 'twice' → 2: words that stand for a count."""
    return {str(w).lower(): float(n) for w, n in _document().get("number_words", {}).items()}


@cache
def frequency_words() -> dict[str, float]:
    """Folded whole-cell frequency ('on demand', 'weekly') → deploys per day."""
    return {match_key(w): number(n) for w, n in _document()["frequency_words"].items()}


@cache
def ambiguous_words() -> dict[str, str]:
    """Folded words that mean two frequencies ('biweekly') → the problem that asks which."""
    return {match_key(w): str(why) for w, why in _document().get("ambiguous_words", {}).items()}


@cache
def frequency_filler() -> frozenset[str]:
    """Words between a count and its period that say nothing more ('times', 'deploys', 'x')."""
    return frozenset(str(w).lower() for w in _document().get("frequency_filler", []))


@cache
def per_words() -> frozenset[str]:
    """Words that join a count to its period ('per', 'a', 'each', '/')."""
    return frozenset(str(w).lower() for w in _document().get("per_words", []))
