import pandas as pd
import pytest

from maturity.levels import LevelScale, detect_scale, parse_level, parse_levels

ONE_TO_FIVE = LevelScale(1, 5)
ZERO_TO_FOUR = LevelScale(0, 4, "zero in column")


@pytest.mark.parametrize(
    ("cell", "level"),
    [
        ("Intermediate", 3),
        ("  intermediate ", 3),
        ("INTERMEDIATE", 3),
        (3, 3),
        (3.0, 3),
        ("3", 3),
        ("3.0", 3),
        ("L3", 3),
        ("l3", 3),
        ("Level 3", 3),
        ("Lvl 2", 2),
        ("3 - Intermediate", 3),
        ("3 – Intermediate", 3),
        ("Intermediate (3)", 3),
        ("Level 5 (Expert)", 5),
        ("Base", 1),
        ("Novice", 1),
        ("Optimizing", 5),
        ("Intermidiate", 3),  # a typo close enough to one name
        ("3/5", 3),
        ("4 out of 5", 4),
    ],
)
def test_levels_as_people_write_them(rubric, cell, level):
    assert parse_level(cell, ONE_TO_FIVE, rubric) == (level, None)


@pytest.mark.parametrize(
    ("cell", "level"), [(0, 1), ("0", 1), ("L0", 1), (4, 5), ("Level 2", 3), ("Expert", 5), ("2 - Intermediate", 3)]
)
def test_zero_based_scale_shifts_numbers_not_names(rubric, cell, level):
    assert parse_level(cell, ZERO_TO_FOUR, rubric) == (level, None)


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("TBD", "'TBD' is not a level; write 1–5 or one of Base, Beginner, Intermediate, Advanced, Expert"),
        (6, "6 is above the highest level (5 = Expert)"),
        ("6", "6 is above the highest level (5 = Expert)"),
        (0, "0 is below the lowest level (1 = Base)"),
        (2.5, "2.5 is not a whole level"),
        ("60%", "is a percentage"),
        ("#DIV/0!", "#DIV/0! is an Excel error, not a level: fix the formula"),
        ("#N/A", "#N/A is an Excel error"),  # a failed lookup, not "not applicable"
        ("3/4", "'3/4' is not a level"),  # out of 4 is not this scale
        ("5 - Base", "contradictory: 5 is Expert on the 1–5 scale but the name says Base"),
        ("Intermedium Plus", "did you mean 'Intermediate'?"),
        ("N/A", "to leave the practice out, mark both levels N/A"),
        (True, "True is not a level"),
        (pd.Timestamp("2024-03-04"), "is a date, not a level"),
    ],
)
def test_unreadable_levels_say_why(rubric, cell, problem):
    level, message = parse_level(cell, ONE_TO_FIVE, rubric)
    assert level is None
    assert problem in message


@pytest.mark.parametrize("cell", [None, float("nan"), "", "   "])
def test_blank_is_neither_level_nor_problem(rubric, cell):
    assert parse_level(cell, ONE_TO_FIVE, rubric) == (None, None)


@pytest.mark.parametrize(
    ("header", "values", "expected"),
    [
        ("Current Level", [1, 2, 5], (1, 5, "rubric")),
        ("Current (0-4)", [1, 2], (0, 4, "header")),
        ("Target 0–4", [1, 2], (0, 4, "header")),
        ("Target /4", [1, 2], (0, 4, "header")),
        ("Target (1-5)", [0, 2], (1, 5, "header")),  # the header's word beats a stray 0
        ("Current", [0, 1, 2], (0, 4, "zero in column")),
        ("Current", ["L0", "L3"], (0, 4, "zero in column")),
        ("Current (1-10)", [1, 2], (1, 10, "header")),  # a stated scale is kept, and its numbers reported
        ("Current (0-3)", [1, 2], (0, 3, "header")),
        ("Target 2025-2026", [1, 2], (1, 5, "rubric")),  # a year range is not a scale
        ("Target /3", [1, 2], (1, 3, "header")),
    ],
)
def test_scale_detection(rubric, header, values, expected):
    scale = detect_scale(header, pd.Series(values, dtype=object), rubric)
    assert (scale.low, scale.high, scale.source) == expected


def test_column_parse_resolves_each_distinct_value_once(rubric, monkeypatch):
    calls = []
    import maturity.levels as levels

    real = levels.parse_level
    monkeypatch.setattr(levels, "parse_level", lambda *a: calls.append(a[0]) or real(*a))
    column = pd.Series(["L2", "Expert", None, "bad"] * 5000, dtype=object)
    parsed, problems = parse_levels(column, ONE_TO_FIVE, rubric)
    assert len(calls) == 4
    assert parsed.dtype == "Int64"
    assert parsed.iloc[:4].tolist() == [2, 5, pd.NA, pd.NA]
    assert problems.iloc[:4].tolist()[:3] == [None, None, None]
    assert "'bad' is not a level" in problems.iloc[3]


@pytest.fixture(scope="module")
def samm():
    from maturity import load_rubric

    return load_rubric("samm")


@pytest.mark.parametrize(
    ("cell", "level"),
    [(1.625, 1.625), ("1.625", 1.625), ("2,5", 2.5), (0, 0), ("Level 3", 3), ("2+", 2.5), ("0+", 0.5)],
)
def test_a_fractional_model_keeps_scores_as_they_are(samm, cell, level):
    assert parse_level(cell, LevelScale(0, 3), samm) == (level, None)


def test_a_fractional_column_is_float(samm):
    parsed, problems = parse_levels(pd.Series([1.625, "2+", None, 3.5], dtype=object), LevelScale(0, 3), samm)
    assert parsed.dtype == "Float64"
    assert parsed.iloc[:3].tolist() == [1.625, 2.5, pd.NA]
    assert "3.5 is above the highest level" in problems.iloc[3]


@pytest.mark.parametrize("cell", [1, "1", "L2", "2 - Beginner"])
def test_numbers_on_a_stated_scale_of_another_size_are_reported_not_reread(rubric, cell):
    level, problem = parse_level(cell, LevelScale(0, 3, "header"), rubric)
    assert level is None
    assert "the header states a 0–3 scale (4 levels) but Continuous Delivery Maturity Model has 5 (1–5)" in problem
    assert "choose how to read the numbers" in problem


def test_names_are_read_whatever_the_stated_scale(rubric):
    assert parse_level("Intermediate", LevelScale(0, 3, "header"), rubric) == (3, None)
