"""Matching a file's area names to a model's: exact and synonym silently, a spelling with a warning,
anything else never."""

import pandas as pd
import pytest

from maturity import RawSheet, RawWorkbook, detect_layout, load_rubric, normalize
from maturity.matching import match_area, same_name
from maturity.rubric import match_key


@pytest.mark.parametrize(
    ("model", "written", "how", "area"),
    [
        ("cdmm", "Build & Deploy", "exact", "build"),
        ("cdmm", "culture and organisation", "exact", "culture"),
        ("cdmm", "Build and Deployment", "exact", "build"),  # a listed synonym
        ("cdmm", "Build and Deploying", "spelling", "build"),
        ("cdmm", "Informaton & Reporting", "spelling", "reporting"),
        ("cdmm", "Architecture & Design", "exact", "design"),
        ("cdmm", "Testing and Verifications", "spelling", "test"),
        # near misses that contain a synonym as a word: never filed under it
        ("cdmm", "Organizational Context", "none", None),
        ("cdmm", "Continuous Monitoring", "none", None),
        ("cdmm", "Security Monitoring", "none", None),
        ("cdmm", "Build Security", "none", None),
        ("cdmm", "Build & Operate", "none", None),
        ("cdmm", "Test Data Management", "none", None),
        ("cdmm", "Organization Design", "none", None),
        ("samm", "Strategy and Metrics", "exact", "g_sm"),
        ("samm", "Stratgy & Metrics", "spelling", "g_sm"),
        ("samm", "Security Architecture", "exact", "d_sa"),
        ("samm", "Requirements Testing", "exact", "v_rt"),
        ("samm", "Security Metrics", "none", None),
        ("samm", "Incident Response", "none", None),
        ("dsomm", "Static depth for application", "spelling", "static_depth_applications"),
    ],
)
def test_area_matching(model, written, how, area):
    rubric = load_rubric(model)
    found = match_area(written, rubric)
    assert (found.how, found.dimension_id) == (how, area), found
    if how == "spelling":
        assert found.warning(rubric) == f"{written!r} read as {rubric.dimension(area).name}"
    if how == "none":
        assert found.problem.startswith(f"{written!r} is not an area of {rubric.label}")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("build deployment", "build deploy", True),
        ("design architecture", "architecture design", True),
        ("test", "testing", True),
        ("test", "text", False),
        ("organizational context", "organization", False),
        ("organizational context", "culture organization", False),
        ("security testing", "security training", False),
    ],
)
def test_a_spelling_is_the_same_words(a, b, same):
    assert same_name(a, b) is same


def test_a_users_choice_wins_and_is_silent():
    rubric = load_rubric("cdmm")
    found = match_area("Continuous Monitoring", rubric, {match_key("Continuous Monitoring"): "reporting"})
    assert (found.how, found.dimension_id, found.warning(rubric)) == ("user", "reporting", None)


def _normalize(rows, rubric, layout=None):
    workbook = RawWorkbook("f.xlsx", "xlsx", (RawSheet("S", pd.DataFrame(rows, dtype=object)),))
    layout = layout or detect_layout(workbook, rubric)
    return normalize(workbook, layout, rubric), layout


def test_a_spelling_is_noted_warned_on_its_rows_and_confirmable():
    rubric = load_rubric("cdmm")
    rows = [["Dimension", "Current", "Target"], ["Build and Deploying", 1, 3], ["Build and Deploying", 4, 2],
            ["Test & Verification", 1, 2]]
    assessment, layout = _normalize(rows, rubric)
    assert assessment.normalized["dimension"].tolist() == ["build", "build", "test"]
    assert assessment.normalized["warning"].tolist() == [
        "'Build and Deploying' read as Build & Deploy",
        "current is above target; 'Build and Deploying' read as Build & Deploy",
        None,
    ]
    assert any(note.startswith("'Build and Deploying' read as Build & Deploy (a close spelling") for note in
               assessment.notes)
    assert [m.value for m in assessment.spelling_matches] == ["Build and Deploying"]
    confirmed, _ = _normalize(rows, rubric, layout.with_area("Build and Deploying", "build"))
    assert confirmed.normalized["warning"].tolist() == [None, "current is above target", None]
    assert not confirmed.spelling_matches
    reassigned, _ = _normalize(rows, rubric, layout.with_area("Build and Deploying", "culture"))
    assert reassigned.normalized["dimension"].tolist() == ["culture", "culture", "test"]


def test_a_value_given_an_area_by_the_user_is_read():
    rubric = load_rubric("cdmm")
    rows = [["Dimension", "Current", "Target"], ["Continuous Monitoring", 1, 3], ["Build & Deploy", 1, 2]]
    assessment, layout = _normalize(rows, rubric)
    assert assessment.problems["problem"].iloc[0].startswith("'Continuous Monitoring' is not an area of")
    rescued, _ = _normalize(rows, rubric, layout.with_area("Continuous Monitoring", "reporting"))
    assert rescued.problems.empty
    assert rescued.normalized["dimension"].tolist() == ["reporting", "build"]
