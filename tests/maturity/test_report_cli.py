"""``python -m maturity report``'s contract, run as a user runs it: a subprocess on the bundled sample."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample_gap_analysis.xlsx"


@pytest.fixture
def cli(tmp_path):
    """Run the command line with its own GAPMAP_HOME (so no default store is found) and ``env`` added."""

    def run(*args, **env):
        environment = {**os.environ, "GAPMAP_HOME": str(tmp_path / "home"), **env}
        environment.pop("GAPMAP_DATABASE_URL", None)
        return subprocess.run([sys.executable, "-m", "maturity", *map(str, args)], capture_output=True, cwd=ROOT,
                              timeout=180, env=environment)

    return run


def _lines(result) -> list[str]:
    return result.stderr.decode().strip().splitlines()


def _deck(path: Path):
    deck = Presentation(io.BytesIO(path.read_bytes()))
    titles = [slide.shapes.title.text for slide in deck.slides]
    texts = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
    pictures = sum(shape.shape_type == MSO_SHAPE_TYPE.PICTURE for slide in deck.slides for shape in slide.shapes)
    return titles, texts, pictures


def test_a_deck_of_the_sample_without_a_browser_is_written_and_says_why(cli, tmp_path):
    out = tmp_path / "pack.pptx"
    result = cli("report", SAMPLE, "--out", out, BROWSER_PATH="/nonexistent/chromium")
    assert result.returncode == 0, result.stderr
    lines = _lines(result)
    assert "note: organisation: 'sample_gap_analysis' (the file's name: the workbook names no organisation)" in lines
    assert "note: as of 2026-09 (read from cell A3 of sheet 'Retail Banking')" in lines
    [why] = [line for line in lines if "not pictured" in line]
    assert why.startswith("note: The charts are not pictured: no Chromium or Chrome browser was found")
    assert not any("Traceback" in line for line in lines)
    assert lines[-1] == f"wrote the steering pack (PowerPoint: All 6 units, 3 charts) to {out}"
    titles, texts, pictures = _deck(out)
    assert titles[0] == "sample_gap_analysis: maturity steering pack" and len(titles) == 10
    assert pictures == 0 and sum("The charts are not pictured" in text for text in texts) == 4  # 3 charts, title


def test_the_flags_beat_what_the_workbook_says(cli, tmp_path):
    out = tmp_path / "pack.pptx"
    result = cli("report", SAMPLE, "--out", out, "--org", "Northwind Mutual", "--as-of", "2026-10-15",
                 "--unit", "Payments", "--unit", "Lending", BROWSER_PATH="/nonexistent/chromium")
    assert result.returncode == 0, result.stderr
    assert "note: organisation: 'Northwind Mutual' (as given)" in _lines(result)
    assert "note: as of 2026-10-15 (as given)" in _lines(result)
    titles, texts, _ = _deck(out)
    assert titles[0] == "Northwind Mutual: maturity steering pack"
    title_slide = "\n".join(texts[:3])  # the title, the footer, the stated lines
    assert "Scope: 2 of 6 units: Payments, Lending" in title_slide and "As of: 2026-10-15 (as given)" in title_slide


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists() and os.environ.get("CI", "").lower() != "true",
                    reason="/usr/bin/chromium is missing: make browser")
def test_a_deck_of_the_sample_has_its_pictures(cli, tmp_path):
    out = tmp_path / "pack.pptx"
    result = cli("report", SAMPLE, "--out", out)
    assert result.returncode == 0, result.stderr
    assert not any("not pictured" in line for line in _lines(result))
    assert _deck(out)[2] == 3


def test_an_html_report_of_the_sample(cli, tmp_path):
    out = tmp_path / "report.html"
    result = cli("report", SAMPLE, "--out", out, "--unit", "Core Platform")
    assert result.returncode == 0, result.stderr
    assert _lines(result)[-1] == f"wrote the steering pack (HTML: 1 of 6 units: Core Platform, 2 charts) to {out}"
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<td>Core Platform</td>" in page
    assert "<td>Retail Banking</td>" not in page  # the scope is Core Platform's (the problems are the file's)


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--out", "pack.pdf"], "error: pack.pdf: a steering pack is written as PowerPoint or HTML: give --out "
                                "pack.pptx or --out report.html"),
        (["--out", "pack.pptx", "--unit", "Treasury"], "error: unit 'Treasury' is not in the assessment; its units: "
                                                       "'Retail Banking', 'Payments', 'Lending', 'Wealth Management', "
                                                       "'Risk & Compliance', 'Core Platform'"),
        (["--out", "pack.html", "--as-of", "Q3"], "error: as-of date 'Q3' is not a date: write it as YYYY-MM-DD or "
                                                  "YYYY-MM (e.g. 2026-09)"),
    ],
)
def test_what_cannot_be_made_is_one_error_line_and_exit_2(cli, tmp_path, args, error):
    result = cli("report", SAMPLE, *args)
    assert result.returncode == 2
    assert _lines(result)[-1] == error and [line for line in _lines(result) if line.startswith("error")] == [error]
    assert not (ROOT / args[1]).exists()


def test_a_wrong_format_is_said_before_any_file_is_read(cli, tmp_path):
    result = cli("report", tmp_path / "missing.xlsx", "--out", tmp_path / "pack.docx")
    assert result.returncode == 2
    assert _lines(result) == [f"error: {tmp_path / 'pack.docx'}: a steering pack is written as PowerPoint or HTML: "
                              "give --out pack.pptx or --out report.html"]


def test_what_moved_since_the_previous_snapshot_is_in_the_pack_when_the_store_has_one(cli, tmp_path):
    db = f"sqlite:///{tmp_path / 'gapmap.db'}"
    saved = cli("save", SAMPLE, "--org", "Northwind", "--as-of", "2026-06-30", "--label", "Q2 2026", "--db", db)
    assert saved.returncode == 0, saved.stderr
    out = tmp_path / "report.html"
    result = cli("report", SAMPLE, "--out", out, "--org", "Northwind", "--db", db)
    assert result.returncode == 0, result.stderr
    assert _lines(result)[-1].endswith("3 charts; what moved since the previous snapshot) to " + str(out))
    page = out.read_text(encoding="utf-8")
    assert "What moved since Q2 2026 (2026-06-30)" in page and "30 unchanged" in page
    plain = cli("report", SAMPLE, "--out", out, "--org", "Northwind")  # no store given, none by default
    assert plain.returncode == 0 and "What moved" not in out.read_text(encoding="utf-8")
