"""The command line's contract, run as a user runs it: a subprocess."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[2]


def cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "maturity", *map(str, args)], capture_output=True, cwd=cwd or ROOT, timeout=120
    )


def _rows(data: bytes):
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_normalize_to_stdout_with_summary_on_stderr(sample_xlsx, tmp_path):
    result = cli("normalize", sample_xlsx, "--errors", tmp_path / "problems.csv")
    assert result.returncode == 0, result.stderr
    assert len(_rows(result.stdout)) == 105
    assert result.stderr.decode().strip().splitlines() == [
        "note: merged cells on sheets 'Retail Banking', 'Payments', 'Lending' and 3 more: each merged range's value"
        " is read from its top-left cell",
        "note: model: Continuous Delivery Maturity Model 2013: chosen from the file: it names 5 of the file's 5 areas"
        " (100%)",
        "sample_gap_analysis.xlsx: 105 rows normalized, 1 with warnings, 8 rows with problems, from 6 sheets; "
        "skipped sheets: Read me, Summary"
    ]
    problems = _rows((tmp_path / "problems.csv").read_bytes())
    assert {"source_sheet", "source_row", "column", "value", "problem"} <= set(problems[0])
    assert len(problems) == 8


def test_roadmap_to_file(sample_xlsx, tmp_path):
    out = tmp_path / "roadmap.csv"
    result = cli("roadmap", sample_xlsx, "--out", out)
    assert result.returncode == 0, result.stderr
    steps = _rows(out.read_bytes())
    assert steps[0]["rank"] == "1"
    assert {
        "rank",
        "unit",
        "dimension",
        "practice",
        "from_level",
        "to_level",
        "from_label",
        "to_label",
        "priority_score",
        "phase",
        "actions",
    } <= set(steps[0])
    assert "roadmap steps" in result.stderr.decode()


def test_how_the_file_was_read_is_noted_on_stderr(tmp_path):
    legacy = tmp_path / "legacy.csv"
    legacy.write_bytes("Unit;Dimension;Practice;Current;Target\nZürich;Build & Deploy;Scripted builds;2;3\n"
                       .encode("cp1252"))
    result = cli("normalize", legacy)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.decode().strip().splitlines()
    assert lines[0].startswith("note: ") and "cp1252" in lines[0]
    assert lines[-1].startswith("legacy.csv: 1 rows normalized")
    assert _rows(result.stdout)[0]["unit"] == "Zürich"


def test_template_round_trips_through_normalize(tmp_path, rubric):
    out = tmp_path / "template.xlsx"
    assert cli("template", "--out", out).returncode == 0
    book = load_workbook(out)
    sheet = book["Assessment"]
    for row in range(2, 12):
        sheet.cell(row, 1, "Payments")
        sheet.cell(row, 4, "Base")
        sheet.cell(row, 5, "Advanced")
    book.save(out)
    result = cli("normalize", out)
    assert result.returncode == 0
    assert len(_rows(result.stdout)) == 10
    assert "68 rows with problems" in result.stderr.decode()  # the practices left unscored are named


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "logo.xlsx", "PNG"),
        (b"", "empty.xlsx", "empty"),
        (b"Unit,Owner\nA,B\n", "nolevels.csv", "found no gap-analysis table"),
    ],
)
def test_unusable_file_exits_2_with_one_line(tmp_path, content, name, message):
    path = tmp_path / name
    path.write_bytes(content)
    result = cli("normalize", path)
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert message in lines[0]
    assert b"Traceback" not in result.stderr


def test_missing_file_and_unknown_rubric(tmp_path, sample_xlsx):
    result = cli("roadmap", tmp_path / "nope.xlsx")
    assert (result.returncode, result.stderr.decode().strip()) == (2, f"error: {tmp_path / 'nope.xlsx'}: no such file")
    result = cli("normalize", sample_xlsx, "--rubric", "zzz")
    assert result.returncode == 2 and "unknown rubric 'zzz'" in result.stderr.decode()


def test_rubrics_lists_every_built_in_model():
    result = cli("rubrics")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert lines[0].split() == ["id", "name", "version", "levels", "areas"]
    by_id = {line.split()[0]: line for line in lines[1:]}
    assert set(by_id) == {"cdmm", "samm", "samm15", "dsomm", "mlops_google", "mlops_microsoft"}
    assert "0–3 (fractional)" in by_id["samm"] and "15 in 5 groups" in by_id["samm"]
    assert "1–5" in by_id["dsomm"] and "19 in 5 groups" in by_id["dsomm"]
    assert "0–4" in by_id["mlops_microsoft"]


def _nist(tmp_path):
    path = tmp_path / "csf.csv"
    path.write_text("Function,Category,Current (1-4),Target (1-4)\nDetect,Continuous Monitoring,1,3\n"
                    "Govern,Organizational Context,2,3\nGovern,Risk Management Strategy,2,4\n", encoding="utf-8")
    return path


def test_inspect_json_says_how_the_file_is_read(tmp_path):
    result = cli("inspect", _nist(tmp_path), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {"rubric", "sheets", "skipped", "notes", "normalized_rows", "problem_rows"} <= set(report)
    assert (report["rubric"], report["normalized_rows"], report["problem_rows"]) == ("own", 3, 0)
    assert report["model"]["coverage"][0]["covered"] == 0
    assert "own model" in report["model"]["reason"]
    columns = {c["header"]: c for c in report["sheets"][0]["columns"]}
    assert columns["Function"]["role"] == "group" and columns["Category"]["role"] == "dimension"
    assert columns["Current (1-4)"]["scale"] == {"low": 1, "high": 4, "source": "header"}


def test_inspect_text_and_a_forced_model(tmp_path):
    result = cli("inspect", _nist(tmp_path), "--rubric", "cdmm")
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    assert text.startswith("csf.csv: read against Continuous Delivery Maturity Model 2013")
    assert "area 'Organizational Context' not read: 'Organizational Context' is not an area of" in text
    assert "0 rows normalized, 3 rows with problems" in text


def test_normalize_in_the_files_own_model(tmp_path):
    result = cli("normalize", _nist(tmp_path), "--rubric", "own")
    assert result.returncode == 0, result.stderr
    assert [r["dimension_name"] for r in _rows(result.stdout)] == [
        "Continuous Monitoring", "Organizational Context", "Risk Management Strategy"]
    assert "note: model: The file's own model (csf.csv): you chose" in result.stderr.decode()


def test_a_samm_template_is_samm_shaped(tmp_path):
    out = tmp_path / "samm.xlsx"
    result = cli("template", "--rubric", "samm", "--out", out)
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(out)["Assessment"]
    assert [c.value for c in sheet[1]][:5] == ["Unit", "Business Function", "Practice Area", "Current Level",
                                              "Target Level"]
    assert sheet.max_row == 16  # one row per security practice
    assert [sheet.cell(row, 3).value for row in (2, 16)] == ["Strategy and Metrics", "Operational Management"]
    for row in range(2, 17):
        sheet.cell(row, 1, "AppSec")
        sheet.cell(row, 4, 1.25)
        sheet.cell(row, 5, 2.5)
    sheet.parent.save(out)
    result = cli("roadmap", out)
    assert result.returncode == 0, result.stderr
    assert "OWASP SAMM 2.0" in result.stderr.decode() and "15 rows normalized, 0 rows with problems" in (
        result.stderr.decode())
    assert len(_rows(result.stdout)) == 15 * 2  # 1.25 → 2.5: the rest of level 2, then half of level 3


@pytest.mark.parametrize("model", ["auto", "own"])
def test_a_template_needs_a_model(tmp_path, model):
    result = cli("template", "--rubric", model, "--out", tmp_path / "t.xlsx")
    assert result.returncode == 2 and "a template needs a model" in result.stderr.decode()


# A table whose headers say nothing gapmap knows for the target ('Later'), under a title block.
_TEAM_PLAN = [["Platform maturity, spring 2026"], [], ["Team", "Area", "Now", "Later"],
              ["Payments", "Build & Deploy", 2, 4], [None, "Test & Verification", 1, 3],
              ["Lending", "Build & Deploy", 3, 3]]
_RESCUE = ("--header-row", "3", "--role", "C=current", "--role", "D=target", "--role", "B=dimension",
           "--role", "A=unit")


def _team_plan(make_xlsx):
    return make_xlsx({"Team plan": _TEAM_PLAN, "Notes": [["Filled in by the platform team"]]}, name="plan.xlsx")


def test_a_file_whose_headers_say_nothing_is_refused_sheet_by_sheet(make_xlsx):
    result = cli("normalize", _team_plan(make_xlsx))
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    # 'Now' reads as a current level column: the sheet is a first assessment, which needs targets or roles.
    assert len(lines) == 1 and lines[0].startswith("error: plan.xlsx: sheet 'Team plan' has current levels but no "
                                                   "target column: say what to aim for with --default-target next")
    assert lines[0].endswith("if a column holds the targets, give it the role with --role COLUMN=target")


def test_the_flags_say_where_the_table_is(make_xlsx, tmp_path):
    path = _team_plan(make_xlsx)
    result = cli("normalize", path, *_RESCUE, "--errors", tmp_path / "problems.csv")
    assert result.returncode == 0, result.stderr
    rows = _rows(result.stdout)
    assert [(r["unit"], r["dimension_name"], r["current_level"], r["target_level"], r["source_row"]) for r in rows] == [
        ("Payments", "Build & Deploy", "2", "4", "4"), ("Payments", "Test & Verification", "1", "3", "5"),
        ("Lending", "Build & Deploy", "3", "3", "6")]
    assert result.stderr.decode().strip().splitlines()[-1] == (
        "plan.xlsx: 3 rows normalized, 0 rows with problems, from 1 sheet; skipped sheets: Notes")
    assert _rows((tmp_path / "problems.csv").read_bytes()) == []

    result = cli("roadmap", path, *_RESCUE)
    assert result.returncode == 0, result.stderr
    assert {r["unit"] for r in _rows(result.stdout)} == {"Payments"}  # Lending is at its target


def test_pair_reads_two_sheets_whose_names_say_nothing_as_current_and_target(make_xlsx, tmp_path):
    areas = ["Build & Deploy", "Test & Verification"]
    now = [["Northwind Mutual"], [], ["", *areas], ["Payments", 2, 1], ["Lending", 3, 2]]
    aim = [["Northwind Mutual"], [], ["", *areas], ["Payments", 4, 3], ["Lending", 4, 4], ["Wealth", 3, 3]]
    path = make_xlsx({"Spring scores": now, "Ambition": aim}, name="spring.xlsx")  # Wealth: the labels differ
    refused = cli("normalize", path)
    assert refused.returncode == 2 and "found no gap-analysis table" in refused.stderr.decode()
    result = cli("normalize", path, "--pair", "Spring scores=Ambition:across")
    assert result.returncode == 0, result.stderr
    rows = _rows(result.stdout)
    assert [(r["unit"], r["dimension_name"], r["current_level"], r["target_level"], r["current_cell"],
             r["target_cell"]) for r in rows][:2] == [
        ("Payments", "Build & Deploy", "2", "4", "Spring scores!B4", "Ambition!B4"),
        ("Payments", "Test & Verification", "1", "3", "Spring scores!C4", "Ambition!C4")]
    assert len(rows) == 4  # and Wealth, on the target sheet only, a problem naming both sheets
    assert "note: sheets 'Spring scores' and 'Ambition' read together: paired as you said; areas across: as you " \
           "said" in result.stderr.decode()
    bad = cli("normalize", path, "--pair", "Spring scores")
    assert bad.returncode == 2 and "error: --pair takes CURRENT=TARGET" in bad.stderr.decode()


def test_inspect_shows_the_layout_the_flags_give(make_xlsx):
    result = cli("inspect", _team_plan(make_xlsx), "--json", "--sheet", "Team plan", "--role", "later=target",
                 "--scale", "Now=0-4", "--scale", "D=0-4")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    (sheet,) = report["sheets"]
    assert (sheet["sheet"], sheet["header_rows"], sheet["not_read"]) == ("Team plan", [3], [])
    assert [(c["column"], c["role"], c.get("scale")) for c in sheet["columns"]] == [
        ("A", "unit", None), ("B", "dimension", None), ("C", "current", {"low": 0, "high": 4, "source": "user"}),
        ("D", "target", {"low": 0, "high": 4, "source": "user"})]
    assert report["skipped"] == [{"sheet": "Notes", "reason": "not one of the sheets named to read"}]
    assert (report["normalized_rows"], report["problem_rows"]) == (3, 0)


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (("--sheet", "Roadmap"), "error: --sheet Roadmap: plan.xlsx has no sheet 'Roadmap'; its sheets are "
                                 "'Team plan', 'Notes'"),
        (("--sheet", "Team plan", "--role", "Soon=target"),
         "error: --role Soon=target: sheet 'Team plan' has no column 'Soon' (a header text or a column letter); its "
         "header row 3 has A 'Team', B 'Area', C 'Now', D 'Later'"),
        (("--sheet", "Team plan", "--scale", "H=0-4"), "error: --scale H=0-4: sheet 'Team plan' has no column 'H'"),
        (("--role", "D=goal"), "error: --role D=goal: 'goal' is not a role; the roles are unit, group, dimension,"),
        (("--header-row", "three"), "error: --header-row takes the number of the row holding the column titles"),
        (("--role", "D=target", "--scale", "D=0-3"), "error: --scale D=0-3: that scale has 4 levels but Continuous "
                                                      "Delivery Maturity Model has 5 (1–5)"),
    ],
)
def test_a_flag_naming_what_is_not_there_exits_2_listing_what_is(make_xlsx, flags, message):
    result = cli("normalize", _team_plan(make_xlsx), *flags)
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), lines
    assert result.stdout == b""


def test_roadmap_dates_its_phases_from_a_start_day(sample_xlsx):
    result = cli("roadmap", sample_xlsx, "--start", "2027-01-01", "--phase-length", "6 weeks")
    assert result.returncode == 0, result.stderr
    rows = _rows(result.stdout)
    assert list(rows[0])[:4] == ["rank", "phase", "phase_start", "phase_end"]
    assert {(r["phase"], r["phase_start"], r["phase_end"]) for r in rows} == {
        ("1", "2027-01-01", "2027-02-11"), ("2", "2027-02-12", "2027-03-25"), ("3", "2027-03-26", "2027-05-06")}
    assert "roadmap steps, phase 1 from 2027-01-01, each 6 weeks" in result.stderr.decode()
    assert "phase_start" not in _rows(cli("roadmap", sample_xlsx).stdout)[0]


@pytest.mark.parametrize(("flags", "message"), [
    (("--start", "next monday"), "error: start date 'next monday': give the day phase 1 starts as YYYY-MM-DD"),
    (("--start", "2027-01-01", "--phase-length", "fortnightly"), "error: phase length 'fortnightly': say how long"),
    (("--phase-length", "1 quarter"), "error: --phase-length needs --start YYYY-MM-DD"),
])
def test_roadmap_dates_that_cannot_be_read_are_one_error_line(sample_xlsx, flags, message):
    result = cli("roadmap", sample_xlsx, *flags)
    assert result.returncode == 2 and result.stdout == b""
    assert result.stderr.decode().strip().startswith(message)
