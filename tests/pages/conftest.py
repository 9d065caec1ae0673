"""AppTest fixtures: the dashboard run in-process, and small files to upload into it."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest, app_test

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # app.py imports `pages._ui`; `streamlit run` puts the app's folder on the path
    sys.path.insert(0, str(ROOT))


class _NavigationOnly(PagesManager):
    """AppTest re-detects the legacy ``pages/`` mode before every run, and in that mode a rerun goes
    straight to the last page's file, skipping app.py (which a real server does only for a deep link
    requested first after a restart). The dashboard always navigates with ``st.navigation``, so the
    tests run it that way."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


@pytest.fixture(autouse=True)
def _navigation_only(monkeypatch) -> None:
    monkeypatch.setattr(app_test, "PagesManager", _NavigationOnly)


@pytest.fixture(autouse=True)
def _database(tmp_path, monkeypatch) -> Path:
    """A snapshot database of the test's own (``GAPMAP_HOME`` in its temporary folder), never ~/.gapmap."""
    home = tmp_path / "gapmap-home"
    monkeypatch.setenv("GAPMAP_HOME", str(home))
    monkeypatch.delenv("GAPMAP_DATABASE_URL", raising=False)
    return home


@pytest.fixture
def app() -> AppTest:
    """The dashboard after its first run (the sample loaded)."""
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()


def csv_bytes(rows: list[list], delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


@pytest.fixture(name="csv_bytes")
def csv_bytes_fixture():
    """``csv_bytes(rows, delimiter=",")``: the bytes of a small CSV."""
    return csv_bytes


@pytest.fixture
def team_csv() -> bytes:
    """A CSV laid out unlike the sample: ';'-separated, other header words, level names mixed with numbers."""
    rows = [["Team", "Category", "Capability", "As-Is", "To-Be"]]
    plan = {
        "Mobile": [("Culture & Organization", "Stable teams", "Beginner", "4"),
                   ("Build & Deploy", "Scripted builds", "2", "Advanced"),
                   ("Test & Verification", "Automatic unit tests", "Base", "3"),
                   ("Design & Architecture", "Configuration as code", "2", "3"),
                   ("Information & Reporting", "Measure the process", "1", "Intermediate")],
        "Platform": [("Culture & Organization", "Stable teams", "3", "Expert"),
                     ("Build & Deploy", "Scripted builds", "Intermediate", "5"),
                     ("Test & Verification", "Automatic unit tests", "3", "4"),
                     ("Design & Architecture", "Configuration as code", "Advanced", "4"),
                     ("Information & Reporting", "Measure the process", "2", "4")],
    }
    for team, items in plan.items():
        rows += [[team, *item] for item in items]
    return csv_bytes(rows, delimiter=";")


@pytest.fixture
def hostile_csv() -> bytes:
    """User text that markdown, HTML or a spreadsheet would act on."""
    return csv_bytes([
        ["Unit", "Dimension", "Practice", "Current", "Target", "Notes"],
        ["<img src=x onerror=alert(1)>", "Build & Deploy", "**bold**", "1", "3", '=HYPERLINK("http://x")'],
        ["<img src=x onerror=alert(1)>", "Test & Verification", "[link](javascript:alert(1))", "2", "4", "@SUM(1)"],
        ["Ops :red[team] $x$", "Culture & Organization", "<b>bold</b>", "1", "2", "-1+1"],
    ])
