"""``python -m maturity dora``'s contract, run as a user runs it: a subprocess."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "data" / "sample_delivery_metrics.csv"
COLUMNS = ["unit", "deployment_frequency_per_day", "change_lead_time_hours", "change_fail_rate", "recovery_time_hours",
           "deployment_rework_rate", "deployment_frequency_tier", "change_lead_time_tier", "change_fail_rate_tier",
           "recovery_time_tier", "tier", "year"]


def cli(*args):
    return subprocess.run([sys.executable, "-m", "maturity", "dora", *map(str, args)], capture_output=True, cwd=ROOT,
                          timeout=120)


def rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_tiers_to_stdout_with_exactly_the_columns_and_a_summary_on_stderr():
    result = cli(SAMPLE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8-sig").splitlines()[0] == ",".join(COLUMNS)
    tiers = {row["unit"]: row for row in rows(result.stdout)}
    assert len(tiers) == 7  # one row per unit: its latest quarter
    assert tiers["Core Platform"]["tier"] == "elite" and tiers["Lending"]["tier"] == "low"
    assert tiers["Core Platform"]["deployment_frequency_per_day"] == "2.0"
    assert {row["year"] for row in tiers.values()} == {"2024"}
    assert result.stderr.decode().splitlines() == [
        "note: the table gives periods: each unit's latest reading is written",
        "sample_delivery_metrics.csv: 13 rows of delivery metrics for 7 units, 0 rows with problems; placed in "
        "DORA's 2024 clusters"]


def test_year_2023_and_a_metric_not_given_is_empty_with_its_tier(make_csv, tmp_path):
    path = make_csv([["Team", "Deployment frequency", "Change fail rate"], ["Mobile", "2 per month", "64%"]],
                    name="metrics.csv")
    out = tmp_path / "tiers.csv"
    result = cli(path, "--year", "2023", "--out", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout == b""
    (row,) = rows(out.read_bytes())
    assert row["change_lead_time_hours"] == row["change_lead_time_tier"] == ""
    assert row["recovery_time_hours"] == row["recovery_time_tier"] == row["deployment_rework_rate"] == ""
    assert (row["deployment_frequency_tier"], row["change_fail_rate_tier"], row["tier"], row["year"]) == (
        "medium/low", "low", "low", "2023")


def test_problems_go_to_the_errors_file_and_are_counted(make_csv, tmp_path):
    path = make_csv([["Team", "Lead time"], ["Mobile", "3 dys"], ["Web", "2 days"]], name="metrics.csv")
    errors = tmp_path / "problems.csv"
    result = cli(path, "--errors", errors)
    assert result.returncode == 0, result.stderr
    (problem,) = rows(errors.read_bytes())
    assert (problem["source_sheet"], problem["source_row"], problem["cell"], problem["value"]) == (
        "metrics", "2", "B2", "3 dys")
    assert "did you mean 'days'" in problem["problem"]
    assert result.stderr.decode().splitlines() == [
        "metrics.csv: 2 rows of delivery metrics for 2 units, 1 row with problems; placed in DORA's 2024 clusters"]
    without = cli(path)
    assert without.stderr.decode().splitlines()[-1] == "see the rows with problems with --errors problems.csv"


def test_a_unit_name_that_looks_like_a_formula_is_written_safely(make_csv, tmp_path):
    path = make_csv([["Team", "Lead time"], ['=HYPERLINK("http://x")', "4h"]], name="metrics.csv")
    result = cli(path)
    assert result.returncode == 0, result.stderr
    assert rows(result.stdout)[0]["unit"] == "'=HYPERLINK(\"http://x\")"


@pytest.mark.parametrize(("args", "said"), [
    (["{missing}"], "no such file"),
    (["{sample}", "--year", "2019"], "--year 2019: gapmap has DORA's cluster tables for 2024, 2023"),
    (["{sample}", "--year", "latest"], "--year latest"),
    (["{assessment}"], "found no delivery metrics table"),
    (["{png}"], "a PNG image, not a spreadsheet"),
])
def test_unusable_input_is_one_error_line_and_exit_2(tmp_path, sample_csv, args, said):
    png = tmp_path / "chart.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    names = {"missing": tmp_path / "nope.csv", "sample": SAMPLE, "assessment": sample_csv, "png": png}
    result = cli(*[a.format(**names) for a in args])
    assert result.returncode == 2
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and said in lines[0], lines
    assert result.stdout == b""
