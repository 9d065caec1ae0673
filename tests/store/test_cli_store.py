"""The store's command-line contract, run as a user runs it (a subprocess), on SQLite and PostgreSQL:
save, snapshots, history, diff and check."""

from __future__ import annotations

import csv
import io

import pytest

HISTORY_HEADER = ["snapshot", "label", "as_of", "unit", "dimension", "dimension_name", "current_level",
                  "target_level", "gap"]
DIFF_HEADER = ["unit", "dimension", "dimension_name", "current_before", "current_after", "change", "target_before",
               "target_after", "status"]
Q1 = {"Payments": {"Build & Deploy": (2, 4), "Test & Verification": (3, 4)}, "Cards": {"Build & Deploy": (1, 3)},
      "Legacy": {"Build & Deploy": (2, 2)}}
Q2 = {"Payments": {"Build & Deploy": (3, 4), "Test & Verification": (2, 4)}, "Cards": {"Build & Deploy": (1, 3)},
      "New Team": {"Build & Deploy": (1, 2)}}


def _csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _one_error(result, *words: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.decode().splitlines() if not line.startswith("note: ")]
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    for word in words:
        assert word in lines[0], lines[0]


@pytest.fixture
def two_quarters(db_url, book, cli):
    """Acme's Q1 and Q2 saved through the command line; returns the URL, the files and the ids."""
    q1, q2 = book(Q1, "q1.xlsx"), book(Q2, "q2.xlsx")
    ids = []
    for path, day, label in ((q1, "2026-03-31", "Q1 2026"), (q2, "2026-06-30", "Q2 2026")):
        result = cli("save", path, "--org", "Acme", "--as-of", day, "--label", label, "--db", db_url)
        assert result.returncode == 0, result.stderr
        assert result.stdout.decode().strip().isdigit()  # the id, alone on stdout
        ids.append(int(result.stdout))
    return db_url, q1, q2, ids


def test_snapshots_lists_the_organisations_snapshots(two_quarters, cli):
    url, _, _, (q1, q2) = two_quarters
    result = cli("snapshots", "--org", "Acme", "--db", url)
    assert result.returncode == 0, result.stderr
    lines = [line.split() for line in result.stdout.decode().splitlines()]
    assert lines == [["id", "as_of", "label", "model", "units", "rows"],
                     [str(q1), "2026-03-31", "Q1", "2026", "cdmm", "2013", "3", "4"],
                     [str(q2), "2026-06-30", "Q2", "2026", "cdmm", "2013", "3", "4"]]


def test_history_is_one_row_per_snapshot_unit_and_area(two_quarters, cli, tmp_path):
    url, _, _, (q1, q2) = two_quarters
    out = tmp_path / "history.csv"
    result = cli("history", "--org", "Acme", "--db", url, "--out", out)
    assert result.returncode == 0, result.stderr
    header, *rows = _csv(out.read_bytes())
    assert header == HISTORY_HEADER
    assert rows == [
        [str(q1), "Q1 2026", "2026-03-31", "Payments", "build", "Build & Deploy", "2.0", "4.0", "2.0"],
        [str(q1), "Q1 2026", "2026-03-31", "Payments", "test", "Test & Verification", "3.0", "4.0", "1.0"],
        [str(q1), "Q1 2026", "2026-03-31", "Cards", "build", "Build & Deploy", "1.0", "3.0", "2.0"],
        [str(q1), "Q1 2026", "2026-03-31", "Legacy", "build", "Build & Deploy", "2.0", "2.0", "0.0"],
        [str(q2), "Q2 2026", "2026-06-30", "Payments", "build", "Build & Deploy", "3.0", "4.0", "1.0"],
        [str(q2), "Q2 2026", "2026-06-30", "Payments", "test", "Test & Verification", "2.0", "4.0", "2.0"],
        [str(q2), "Q2 2026", "2026-06-30", "Cards", "build", "Build & Deploy", "1.0", "3.0", "2.0"],
        [str(q2), "Q2 2026", "2026-06-30", "New Team", "build", "Build & Deploy", "1.0", "2.0", "1.0"],
    ]
    assert cli("history", "--org", "Acme", "--db", url).stdout == out.read_bytes()  # stdout without --out


def test_history_levels_are_the_mean_of_a_units_rows_in_an_area(db_url, make_xlsx, cli):
    rows = [["Unit", "Dimension", "Practice", "Current", "Target", "Applicable"],
            ["Payments", "Build & Deploy", "Scripted builds", 1, 4, "yes"],
            ["Payments", "Build & Deploy", "Automated deploys", 2, 3, "yes"],
            ["Payments", "Build & Deploy", "Release trains", 5, 3, "yes"],  # above target: its gap counts 0
            ["Payments", "Build & Deploy", "Mainframe deploys", 1, 5, "no"]]  # not applicable: counts nowhere
    path = make_xlsx({"Assessment": rows})
    assert cli("save", path, "--org", "Acme", "--as-of", "2026-03-31", "--db", db_url).returncode == 0
    (_, row) = _csv(cli("history", "--org", "Acme", "--db", db_url).stdout)
    assert row[6:] == ["2.666667", "3.333333", "1.333333"]


def test_diff_says_what_moved_between_two_snapshots(two_quarters, cli, tmp_path):
    url, _, _, (q1, q2) = two_quarters
    for old, new in (("Q1 2026", "Q2 2026"), ("2026-03-31", "2026-06-30"), (str(q1), str(q2))):
        out = tmp_path / "diff.csv"
        result = cli("diff", "--org", "Acme", old, new, "--db", url, "--out", out)
        assert result.returncode == 0, result.stderr
        header, *rows = _csv(out.read_bytes())
        assert header == DIFF_HEADER
        assert rows == [
            ["Payments", "build", "Build & Deploy", "2.0", "3.0", "1.0", "4.0", "4.0", "improved"],
            ["Payments", "test", "Test & Verification", "3.0", "2.0", "-1.0", "4.0", "4.0", "regressed"],
            ["Cards", "build", "Build & Deploy", "1.0", "1.0", "0.0", "3.0", "3.0", "unchanged"],
            ["New Team", "build", "Build & Deploy", "", "1.0", "", "", "2.0", "added"],
            ["Legacy", "build", "Build & Deploy", "2.0", "", "", "2.0", "", "removed"],
        ]
        assert result.stderr.decode().strip() == "1 improved, 1 regressed, 1 unchanged, 1 added, 1 removed"


def test_check_exits_1_with_a_line_per_regression(two_quarters, cli):
    url, q1, q2, (first, _) = two_quarters
    fell = cli("check", q2, "--org", "Acme", "--against", "Q1 2026", "--db", url)
    assert fell.returncode == 1, fell.stderr
    assert fell.stdout.decode().splitlines() == [
        f"regressed: Payments / Test & Verification: current 3 → 2 (-1) since snapshot {first}"]
    same = cli("check", q1, "--org", "Acme", "--against", "2026-03-31", "--db", url)
    assert same.returncode == 0, same.stderr
    assert same.stdout == b"" and f"nothing fell since snapshot {first}" in same.stderr.decode()


def test_save_takes_several_files_each_with_its_own_units(db_url, book, cli):
    north = book({"North": {"Build & Deploy": (2, 4)}}, "north.xlsx")
    south = book({"South": {"Build & Deploy": (3, 4)}}, "south.xlsx")
    result = cli("save", north, south, "--org", "Acme", "--as-of", "2026-03-31", "--db", db_url)
    assert result.returncode == 0, result.stderr
    assert [r[3] for r in _csv(cli("history", "--org", "Acme", "--db", db_url).stdout)[1:]] == ["North", "South"]
    clash = book({"North": {"Test & Verification": (2, 4)}}, "north-again.xlsx")
    _one_error(cli("save", north, clash, "--org", "Acme", "--as-of", "2026-06-30", "--db", db_url),
               "'North' is in both north.xlsx and north-again.xlsx")


def test_save_keeps_the_reading_flags(db_url, make_xlsx, cli):
    path = make_xlsx({"Data": [["Team", "Area", "Now"], ["Payments", "Build & Deploy", 2]]})
    result = cli("save", path, "--org", "Acme", "--as-of", "2026-03-31", "--db", db_url, "--role", "A=unit",
                 "--role", "B=dimension", "--role", "C=current", "--default-target", "next", "--rubric", "cdmm")
    assert result.returncode == 0, result.stderr
    (_, row) = _csv(cli("history", "--org", "Acme", "--db", db_url).stdout)
    assert row[3:] == ["Payments", "build", "Build & Deploy", "2.0", "3.0", "1.0"]


def test_hostile_organisation_and_label_stay_inert(db_url, book, cli):
    org, label = '=HYPERLINK("http://evil.example","x")', "<script>alert(1)</script>"
    path = book({"+SUM(A1:A9)": {"Build & Deploy": (2, 4)}})
    result = cli("save", path, "--org", org, "--as-of", "2026-03-31", "--label", "=cmd|' /C calc'!A0", "--db", db_url)
    assert result.returncode == 0, result.stderr
    assert cli("save", path, "--org", org, "--as-of", "2026-06-30", "--label", label, "--db", db_url).returncode == 0
    history = cli("history", "--org", org, "--db", db_url)
    assert history.returncode == 0, history.stderr
    _, first, second = _csv(history.stdout)
    assert first[1] == "'=cmd|' /C calc'!A0" and first[3] == "'+SUM(A1:A9)"  # a spreadsheet shows text, runs nothing
    assert second[1] == label
    diff = _csv(cli("diff", "--org", org, "=cmd|' /C calc'!A0", label, "--db", db_url).stdout)
    assert diff[1][0] == "'+SUM(A1:A9)"
    assert label in cli("snapshots", "--org", org, "--db", db_url).stdout.decode()


@pytest.mark.parametrize("command", [
    ("snapshots",), ("history",), ("diff", "Q1", "Q2"), ("check", "{q1}", "--against", "Q1"),
])
def test_an_unknown_organisation_is_one_line(two_quarters, cli, command):
    url, q1, _, _ = two_quarters
    args = [str(a).format(q1=q1) for a in command]
    _one_error(cli(*args, "--org", "Globex", "--db", url), "no snapshots of organisation 'Globex'")


@pytest.mark.parametrize(("old", "new"), [("Q3 2026", "Q2 2026"), ("Q1 2026", "2027-01-01"), ("999999", "Q2 2026")])
def test_an_unknown_snapshot_is_one_line(two_quarters, cli, old, new):
    url, _, _, _ = two_quarters
    _one_error(cli("diff", "--org", "Acme", old, new, "--db", url), "organisation 'Acme' has no snapshot")


@pytest.mark.parametrize("day", ["2026-13-01", "31.03.2026", "yesterday", "2026-3-31"])
def test_a_bad_date_is_one_line(tmp_path, sample_xlsx, cli, day):
    url = f"sqlite:///{tmp_path / 'gapmap.db'}"
    _one_error(cli("save", sample_xlsx, "--org", "Acme", "--as-of", day, "--db", url), "is not a date", "YYYY-MM-DD")
    assert not (tmp_path / "gapmap.db").exists()  # refused before the database was touched


def test_one_organisations_snapshot_is_not_anothers(two_quarters, book, cli):
    url, _, _, (q1, _) = two_quarters
    other = book({"Secret": {"Build & Deploy": (1, 5)}}, "globex.xlsx")
    result = cli("save", other, "--org", "Globex", "--as-of", "2026-03-31", "--label", "Q1 2026", "--db", url)
    globex = int(result.stdout)
    assert "Secret" not in cli("history", "--org", "Acme", "--db", url).stdout.decode()
    _one_error(cli("diff", "--org", "Acme", str(q1), str(globex), "--db", url), f"has no snapshot '{globex}'")
    assert [line.split()[0] for line in cli("snapshots", "--org", "Globex", "--db", url).stdout.decode()
            .splitlines()[1:]] == [str(globex)]
