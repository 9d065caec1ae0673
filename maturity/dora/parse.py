"""Reading DORA's metrics as people write them: one cell at a time, into one unit per metric.

* deployment frequency → deploys per day: "on demand", "multiple deploys per day", "daily", "3 per
  week", "3/week", "3x a week", "twice a month", "weekly", "every 2 months";
* change lead time and recovery time → hours: "30 min", "4 hours", "4h", "3 days", "2 weeks",
  "3 months", "1d 4h", a duration cell;
* change fail rate and rework rate → a share of 0–1: "4%", "0.04".

A bare number takes the unit its column's header gives ("Lead time (days)", "Deployments per week",
"Change fail rate (%)"). Anything else is a problem saying what was expected, never a guess: a range
("2-3 days"), a bound ("< 1 day"), "30m" (minutes or months?), "biweekly" (twice a week or every two
weeks?), "4" in a rate column without a % anywhere. The words are data (``vocabulary.yaml``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..rubric import match_key
from .words import (
    METRICS,
    ambiguous_words,
    frequency_filler,
    frequency_words,
    metric_phrases,
    not_given,
    number_words,
    per_words,
    time_units,
)

__all__ = ["EXPECTED", "HeaderUnit", "parse_header", "parse_value"]

EXPECTED = {
    "frequency": "a deployment frequency: a count per period ('3 per week', '3/week', '2 per month'), "
                 "'every 2 months', or 'on demand', 'daily', 'weekly'",
    "duration": "a time with its unit ('30 min', '4 hours', '4h', '3 days', '2 weeks', '3 months'), or a "
                "number with the unit in the header ('Lead time (days)')",
    "rate": "a percentage ('4%') or a share of 0–1 ('0.04')",
}
_APPROXIMATELY = ("~", "about", "approx", "approximately", "around", "circa", "roughly", "ca")
_BOUND = re.compile(r"^\s*(<|>|≤|≥|=<|>=|<=|less than|more than|under|over|up to|at most|at least|below|above|within)")
_RANGE = re.compile(r"\d\s*(?:-|–|—|to)\s*\d")
_COMMA_DECIMAL = re.compile(r"\d,\d")
_ALLOWED = re.compile(r"^[a-z0-9.%/\s'~-]*$")
_TOKEN = re.compile(r"\d*\.\d+|\d+|[a-z]+|%")
_HEADER_NOTE = re.compile(r"\(([^)]*)\)|\[([^\]]*)\]")
_HEADER_FILLER = frozenset({"median", "mean", "average", "avg", "p50", "p75", "p90", "typical", "observed", "measured",
                            "actual", "current", "value", "dora", "the", "of"})


@dataclass(frozen=True)
class HeaderUnit:
    """What a metric column's header says about its bare numbers: ``factor`` turns one into the metric's
    unit (deploys per day, hours, or a share: 0.01 for a '%' header), ``words`` is the unit as written
    ('per week', 'days', '%'), None for a header without a unit."""

    factor: float | None = None
    words: str = ""


_NO_UNIT = HeaderUnit()


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().strip()


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.replace("/", " per "))


def _count(token: str) -> float | None:
    if re.fullmatch(r"\d*\.\d+|\d+", token):
        return float(token)
    return number_words().get(token)


def _unit(tokens: list[str], at: int) -> tuple[tuple[str, float] | None, int]:
    """The time unit at ``tokens[at]`` (two words first: 'business days'), and how many tokens it takes."""
    units = time_units()
    if at + 1 < len(tokens) and f"{tokens[at]} {tokens[at + 1]}" in units:
        return units[f"{tokens[at]} {tokens[at + 1]}"], 2
    if at < len(tokens) and tokens[at] in units:
        return units[tokens[at]], 1
    return None, 0


def _duration_hours(tokens: list[str]) -> float | None:
    """Hours of '4 hours', '1d 4h', 'one day'; None when ``tokens`` are not that form."""
    total, at, pairs = 0.0, 0, 0
    while at < len(tokens):
        count = _count(tokens[at])
        if count is None:
            return None
        unit, width = _unit(tokens, at + 1)
        if unit is None:
            return None
        total += count * unit[1]
        at, pairs = at + 1 + width, pairs + 1
    return total if pairs else None


def _frequency_per_day(tokens: list[str]) -> float | None:
    """Deploys per day of '3 per week', 'every 2 months', 'twice weekly'; None when not that form."""
    text = " ".join(tokens)
    if text in frequency_words():
        return frequency_words()[text]
    if tokens[:1] == ["once"] and tokens[1:2] == ["every"]:
        tokens = tokens[1:]
    if tokens[:1] == ["every"]:
        rest, times = tokens[1:], 1.0
        if rest[:1] == ["other"]:
            rest, times = rest[1:], 2.0
        elif rest and _count(rest[0]) is not None and rest[0] not in ("a", "an"):
            times, rest = _count(rest[0]), rest[1:]
        unit, width = _unit(rest, 0)
        if unit is None or width != len(rest) or not times:
            return None
        return 24 / (times * unit[1])
    if not tokens or (count := _count(tokens[0])) is None:
        return None
    rest = tokens[1:]
    while rest and rest[0] in frequency_filler():
        rest = rest[1:]
    if len(rest) == 1 and rest[0] in frequency_words():  # "twice weekly", "3 times daily"
        return count * frequency_words()[rest[0]]
    if not rest or rest[0] not in per_words():
        return None
    rest, periods = rest[1:], 1.0
    if rest and re.fullmatch(r"\d*\.\d+|\d+", rest[0]):
        periods, rest = float(rest[0]), rest[1:]
    unit, width = _unit(rest, 0)
    if unit is None or width != len(rest) or not periods:
        return None
    return count * 24 / (periods * unit[1])


def _suggestion(tokens: list[str]) -> str:
    """' (did you mean …?)' for a word close to a unit or a frequency word, else ''."""
    known = [*time_units(), *frequency_words(), *per_words()]
    for token in tokens:
        if token.isalpha() and len(token) >= 3 and token not in known and token not in frequency_filler():
            best = process.extractOne(token, known, scorer=fuzz.ratio, score_cutoff=75)
            if best:
                return f" ('{token}' is not a word gapmap reads here: did you mean '{best[0]}'?)"
    return ""


def _bare_number(number: float, kind: str, header: HeaderUnit) -> tuple[float | None, str | None]:
    if not math.isfinite(number):
        return None, f"not a number gapmap can use: expected {EXPECTED[kind]}"
    if number < 0:
        return None, f"a negative number: expected {EXPECTED[kind]}"
    if kind == "rate":
        share = number * header.factor if header.factor is not None else number
        if header.factor is None and number > 1:
            return None, (f"{number:g} is not a share of 0–1 and the header gives no unit: write {number:g}% for a "
                          "percentage, or put (%) in the header")
        return _rate(share)
    if header.factor is None:
        example = "'3 per week'" if kind == "frequency" else "'4 hours'"
        where = "'Deployments per week'" if kind == "frequency" else "'Lead time (days)'"
        return None, (f"a number without a unit: write it with its unit ({example}) or give the unit in the header "
                      f"({where})")
    return _positive(number * header.factor, kind)


def _positive(value: float, kind: str) -> tuple[float | None, str | None]:
    if value > 0:
        return value, None
    if kind == "frequency":
        return None, ("no deployments: DORA's clusters start at once every six months, so zero cannot be placed; give "
                      "the time between the last deploys ('every 8 months') or leave the cell empty")
    return None, "a time of zero: give the measured time ('30 min'), or leave the cell empty when nothing was measured"


def _rate(share: float) -> tuple[float | None, str | None]:
    if 0 <= share <= 1:
        return share, None
    return None, f"{share:.0%} is more than every deployment: expected {EXPECTED['rate']}"


def parse_value(value: object, kind: str, header: HeaderUnit = _NO_UNIT) -> tuple[float | None, str | None]:
    """Read one metric cell of ``kind`` ('frequency', 'duration' or 'rate'; :data:`~maturity.dora.words.METRICS`
    says which each metric is) with what its column's ``header`` says about bare numbers.

    Returns ``(value, None)`` in deploys per day, hours or a share of 0–1; ``(None, problem)`` for a cell
    that cannot be read, the problem saying what was expected; ``(None, None)`` for a blank cell or one
    that says the metric was not measured ('n/a', '-').
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None, None
    if isinstance(value, bool):
        return None, f"a true/false cell: expected {EXPECTED[kind]}"
    if isinstance(value, (int, float)):
        return _bare_number(float(value), kind, header)
    if isinstance(value, dt.timedelta):
        if kind != "duration":
            return None, f"a duration cell: expected {EXPECTED[kind]}"
        return _positive(value.total_seconds() / 3600, kind)
    if isinstance(value, (dt.date, dt.time)):
        return None, f"a date or a time of day: expected {EXPECTED[kind]}"
    raw = str(value)
    if not raw.strip():
        return None, None
    if raw.strip() in not_given() or match_key(raw) in not_given():
        return None, None
    return _parse_text(_fold(raw), kind, header)


def _parse_text(text: str, kind: str, header: HeaderUnit) -> tuple[float | None, str | None]:
    expected = EXPECTED[kind]
    if _BOUND.match(text):
        return None, f"a bound, not a measurement: give the measured value instead ({expected})"
    if _RANGE.search(text):
        return None, f"a range: give one measured value, such as the median ({expected})"
    if _COMMA_DECIMAL.search(text):
        return None, f"a comma inside a number (a decimal comma or thousands?): write 1.5, not 1,5 ({expected})"
    if text.startswith("-") and re.match(r"-\s*\d", text):
        return None, f"a negative number: expected {expected}"
    if not _ALLOWED.match(text):
        return None, f"not read: expected {expected}"
    tokens = _tokens(text)
    while tokens and tokens[0] in _APPROXIMATELY:
        tokens = tokens[1:]
    if not tokens:
        return None, f"not read: expected {expected}"
    joined = " ".join(tokens)
    if joined in ambiguous_words():
        return None, ambiguous_words()[joined]
    if "m" in tokens and kind != "rate":
        return None, f"'m' may be minutes or months: write '{joined.replace(' m', ' min')}' or 'months'"
    if len(tokens) == 1 and _count(tokens[0]) is not None and tokens[0] not in number_words():
        return _bare_number(float(tokens[0]), kind, header)
    if kind == "rate":
        return _parse_rate(tokens, expected)
    hours, per_day = _duration_hours(tokens), _frequency_per_day(tokens)
    if kind == "duration":
        if hours is not None:
            return _positive(hours, kind)
        if per_day is not None:
            return None, f"a frequency, not a time: expected {expected}"
        return None, f"not read: expected {expected}{_suggestion(tokens)}"
    if per_day is not None:
        return _positive(per_day, kind)
    if hours is not None:
        return None, (f"a time, not a frequency: expected {expected} ('every {joined}' if a deploy happens once "
                      f"in {joined})")
    count = _count(tokens[0])
    if count is not None and all(t in frequency_filler() for t in tokens[1:]):
        return _bare_number(count, kind, header)
    return None, f"not read: expected {expected}{_suggestion(tokens)}"


def _parse_rate(tokens: list[str], expected: str) -> tuple[float | None, str | None]:
    if len(tokens) == 2 and tokens[1] in ("%", "percent", "pct") and (count := _count(tokens[0])) is not None:
        return _rate(count / 100)
    return None, f"not read: expected {expected}{_suggestion(tokens)}"


# ---- headers --------------------------------------------------------------------------------------

def _header_unit(kind: str, words: list[str]) -> tuple[HeaderUnit | None, str | None]:
    """The unit ``words`` of a header give a metric of ``kind``: ``(unit, None)``, ``(None, problem)`` when
    they name a unit of another kind, ``(None, None)`` when they name none."""
    if not words:
        return None, None
    text = " ".join(words)
    if words[-1] in ("%", "percent", "pct", "percentage") or text in ("in %", "in percent"):
        return (HeaderUnit(0.01, "%"), None) if kind == "rate" else (None, "a percentage")
    if text in ("share", "ratio", "fraction", "0 1", "0 to 1", "rate"):
        return (HeaderUnit(1.0, text), None) if kind == "rate" else (None, "a share")
    body = [w for w in words if w not in frequency_filler() and w not in ("in",)]
    periods = 1.0
    if body and body[0] in per_words():
        body = body[1:]
        if body and re.fullmatch(r"\d+", body[0]):
            periods, body = float(body[0]), body[1:]
        unit, width = _unit(body, 0)
        if unit is None or width != len(body):
            return None, None
        if kind != "frequency":
            return None, f"a frequency (per {' '.join(body)})"
        return HeaderUnit(24 / (periods * unit[1]), "per " + " ".join(words[words.index(body[0]):])), None
    if len(body) == 1 and body[0] in frequency_words() and frequency_words()[body[0]] <= 1:  # "(weekly)"
        if kind != "frequency":
            return None, f"a frequency ({body[0]})"
        return HeaderUnit(frequency_words()[body[0]], body[0]), None
    unit, width = _unit(body, 0)
    if unit is not None and width == len(body):
        if kind != "duration":
            return None, f"a time unit ({' '.join(body)})"
        return HeaderUnit(unit[1], " ".join(body)), None
    return None, None


def parse_header(header: object) -> tuple[str | None, HeaderUnit, str | None]:
    """The metric a column header names and the unit it gives bare numbers.

    Returns ``(metric, unit, problem)``: ``metric`` None for a header naming none; ``problem`` when the
    unit given does not fit the metric ('Lead time (%)'), the unit then ignored.

    >>> parse_header("Lead time (days)")[:2]
    ('change_lead_time', HeaderUnit(factor=24.0, words='days'))
    """
    if header is None or (isinstance(header, float) and math.isnan(header)) or not str(header).strip():
        return None, HeaderUnit(), None
    text = _fold(str(header))
    if len(text) > 80:
        return None, HeaderUnit(), None
    notes = [n for pair in _HEADER_NOTE.findall(text) for n in pair if n]
    main = _tokens(_HEADER_NOTE.sub(" ", text))
    phrases = metric_phrases()
    metric, unit_words = None, []
    # The phrase is the longest run of the header's words from its start that names a metric; what
    # follows it ("per week", "in days", "%") is its unit.
    for end in range(len(main), 0, -1):
        if main[end - 1] == "%":  # a unit, never the end of a phrase (match_key would drop it)
            continue
        words = [w for w in main[:end] if w not in _HEADER_FILLER]
        if match_key(" ".join(words)) in phrases:
            metric, unit_words = phrases[match_key(" ".join(words))], main[end:]
            break
    if metric is None:
        return None, HeaderUnit(), None
    kind = METRICS[metric]
    for words in ([_tokens(n) for n in notes] + [unit_words]):
        if not words:
            continue
        unit, wrong = _header_unit(kind, words)
        if wrong:
            return metric, HeaderUnit(), (f"the header gives {wrong}, which does not fit {metric.replace('_', ' ')}: "
                                          f"its numbers are read only with a unit of their own ({EXPECTED[kind]})")
        if unit is not None:
            return metric, unit, None
    return metric, HeaderUnit(), None
