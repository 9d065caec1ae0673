"""The command line's contract, run as a user runs it: a subprocess."""

import csv
import io
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
