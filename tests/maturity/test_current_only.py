"""A first assessment: current levels and no target column, read with the default target the user names."""

import pandas as pd
import pytest

from maturity import NoDataError, RawSheet, RawWorkbook, assess_workbook, build_roadmap
from tests.maturity.test_cli import cli

ROWS = [["Team", "Practice Area", "Current Maturity", "Priority", "Owner", "Notes"],
        ["Ops", "Build & Deploy", 2, "High", "Ana", "first pass"],
        ["Ops", "Test & Verification", "Beginner", None, "Ana", None],
        ["Dev", "Culture & Organization", 4, "Low", "Bo", None],
        ["Dev", "Design & Architecture", "Expert", None, "Bo", "top already"],
        ["Dev", "Information & Reporting", "N/A", None, "Bo", "not assessed"]]


def _book(rows=ROWS, name="First look"):
    return RawWorkbook("first.xlsx", "xlsx", (RawSheet(name, pd.DataFrame(rows, dtype=object)),))


def test_a_current_only_file_is_refused_naming_the_option():
    with pytest.raises(NoDataError, match=r"sheet 'First look' has current levels but no target column: say what to "
                                          r"aim for with --default-target next"):
        assess_workbook(_book())


@pytest.mark.parametrize(
    ("default", "targets"),
    [("next", [3, 3, 5, 5, None]), ("4", [4, 4, 4, 4, None]), ("Advanced", [4, 4, 4, 4, None]),
     ("NEXT", [3, 3, 5, 5, None])],
)
def test_every_row_gets_the_default_target(default, targets):
    assessment = assess_workbook(_book(), default_target=default)
    rows = assessment.normalized
    assert assessment.problems.empty
    assert rows["target_level"].astype(object).where(rows["target_level"].notna(), None).tolist() == targets
    assert rows["priority"].tolist()[:3] == ["High", None, "Low"] and rows["owner"].tolist()[0] == "Ana"
    assert rows["notes"].tolist()[0] == "first pass"
    assert rows["applicable"].tolist() == [True, True, True, True, False]  # N/A: left out, not a problem
    assert assessment.layout.default_target == ("next" if default.lower() == "next" else "4")


def test_next_is_the_next_whole_level_of_a_fractional_score():
    rows = [["Business Function", "Practice Area", "Current Score"], ["Governance", "Strategy & Metrics", 1.625],
            ["Design", "Threat Assessment", 3], ["Implementation", "Secure Build", 0]]
    assessment = assess_workbook(_book(rows), default_target="next")
    assert assessment.rubric.id == "samm"
    assert assessment.normalized["target_level"].tolist() == [2.0, 3.0, 1.0]
    steps = build_roadmap(assessment)
    assert steps[["dimension", "level_share"]].values.tolist() == [["i_sb", 1.0], ["g_sm", 0.375]]


@pytest.mark.parametrize("default", ["9", "Guru", "0"])
def test_a_default_target_the_model_lacks_is_refused(default):
    with pytest.raises(NoDataError, match="is not a level of Continuous Delivery Maturity Model"):
        assess_workbook(_book(), default_target=default)


def test_the_command_line_takes_the_default_target(tmp_path):
    path = tmp_path / "first.csv"
    path.write_text("Team,Practice Area,Current\nOps,Build & Deploy,2\nOps,Test & Verification,3\n")
    refused = cli("roadmap", path)
    assert refused.returncode == 2 and "--default-target next" in refused.stderr.decode()
    read = cli("roadmap", path, "--default-target", "next")
    assert read.returncode == 0, read.stderr
    assert "2 rows normalized, 0 rows with problems" in read.stderr.decode()
