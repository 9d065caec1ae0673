"""Sessions stay apart: browser contexts open at the same time on one server, each its own Streamlit
session. Different files (even under the same name) never show up in another session, and the same
file, shared through the cache, carries no one's layout corrections or target edits to anyone else."""

from __future__ import annotations

import csv
import re
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.e2e.conftest import IDLE
from tests.e2e.grid import pick_option
from tests.e2e.test_dashboard import HEADINGS, download, traces

pytestmark = pytest.mark.e2e

PREFIXES = ("Alpha Unit", "Bravo Unit", "Charlie Unit")
PRACTICES = [("Culture & Organization", "Prioritized work"), ("Build & Deploy", "Scripted builds"),
             ("Test & Verification", "Automatic unit tests"), ("Design & Architecture", "Configuration as code"),
             ("Information & Reporting", "Measure the process")]


def assessment_rows(units: list[str], shift: int = 0) -> list[list]:
    """One row per unit and practice, levels varying with ``shift`` so that no two files share bytes."""
    rows = []
    for u, unit in enumerate(units):
        for p, (dimension, practice) in enumerate(PRACTICES):
            current = 1 + (u + p + shift) % 3
            rows.append([unit, dimension, practice, current, min(5, current + 1 + p % 2)])
    return rows


def write_csv(path: Path, units: list[str], shift: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["Unit", "Dimension", "Practice", "Current", "Target"],
                                      *assessment_rows(units, shift)])
    return path


def everything_shown(page) -> str:
    """All the text in the document (hidden parts too, such as the grids' accessible tables) and the data
    of every plotly chart."""
    return page.evaluate("""() => document.body.textContent + JSON.stringify(
        Array.from(document.querySelectorAll('.js-plotly-plot')).map(chart => chart.data))""")


def files_read(server: str) -> int:
    """How many times the server has read a file (runs of the cached ``cache.raw_workbook``), from its metrics."""
    request = urllib.request.Request(f"{server}/_stcore/metrics", headers={"Accept": "text/plain"})
    with urllib.request.urlopen(request, timeout=10) as response:
        metrics = response.read().decode()
    runs = re.search(r'^cache_compute_duration_seconds_count\{cache="pages\._ui\.cache\.raw_workbook",'
                     r'[^}]*trigger="miss"\} (\d+)$', metrics, re.MULTILINE)
    return int(runs.group(1)) if runs else 0


APP_STATE = """() => { const app = document.querySelector('[data-testid="stApp"]');
    return app && {script: app.getAttribute('data-test-script-state'),
                   connection: app.getAttribute('data-test-connection-state'), url: location.href}; }"""


def done_when(page, locator) -> None:
    """Wait for the end of the rerun that draws ``locator`` (drawn only by the rerun the last action started)."""
    expect(locator).to_be_visible()
    try:
        page.wait_for_selector(IDLE)
    except PlaywrightTimeoutError as error:  # say which session, on which page, in which state
        raise AssertionError(f"the app never went idle: {page.evaluate(APP_STATE)}") from error


def visit(pages: list, title: str) -> None:
    """Click ``title`` in every session's sidebar one after another, then wait for each: the reruns overlap."""
    for page in pages:
        page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title).click()
    for page in pages:
        done_when(page, page.get_by_role("heading", name=HEADINGS.get(title, title), level=1))


def upload_all(pages: list, files: list[Path]) -> None:
    """Start every upload before waiting for any of them."""
    for page, path in zip(pages, files, strict=True):
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    for page, path in zip(pages, files, strict=True):
        done_when(page, page.locator('[data-testid="stSidebar"]').get_by_text(f"Your file: {path.name}"))


def metric(page, label: str) -> str:
    """The value shown by the metric labelled ``label``."""
    return page.locator('[data-testid="stMetric"]').filter(has_text=label).locator(
        '[data-testid="stMetricValue"]').inner_text()


def average_current(page) -> float:
    return float(metric(page, "Average current"))


def target_cell(page):
    """The target of the first row of the Practice areas editor, in the grid's accessible table."""
    return page.locator('[data-testid="stDataFrame"]').last.locator("#glide-cell-3-0")


def change_first_target(page, level: str) -> None:
    """Pick ``level`` as the target of the Practice areas editor's first row, with the keyboard."""
    pick_option(page, page.locator('[data-testid="stDataFrame"]').last, 3, 0, level)  # Unit, Practice, Current, Target


@pytest.fixture
def sessions(server, browser):
    """A factory of fresh sessions on the landing page, each in its own browser context; all closed at the end."""
    contexts = []

    def open_session():
        context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(server)
        return page

    yield open_session
    for context in contexts:
        context.close()


@pytest.fixture
def three_files(tmp_path: Path, make_xlsx) -> list[Path]:
    """Alpha and Bravo: CSVs with the same name and different units; Charlie: a workbook, one sheet per unit."""
    alpha = write_csv(tmp_path / "alpha" / "gap analysis.csv", ["Alpha Unit North", "Alpha Unit South"], 0)
    bravo = write_csv(tmp_path / "bravo" / "gap analysis.csv", ["Bravo Unit East", "Bravo Unit West"], 1)
    header = ["Dimension", "Practice", "Current", "Target"]
    charlie = make_xlsx({unit: [header, *(row[1:] for row in assessment_rows([unit], 2))]
                         for unit in ("Charlie Unit One", "Charlie Unit Two")}, name="charlie.xlsx")
    return [alpha, bravo, charlie]


def test_sessions_uploading_different_files_at_once_see_only_their_own(server, sessions, three_files):
    pages = [sessions() for _ in PREFIXES]
    for page in pages:
        page.wait_for_selector(".js-plotly-plot")
    before = files_read(server)
    upload_all(pages, three_files)
    assert files_read(server) == before + 3  # keyed on content: two files of the same name are two entries

    def only_own_units(page, own: str) -> None:
        # Grids draw their accessible tables a moment after the rerun: wait for this session's units first.
        page.wait_for_function("own => document.body.textContent.includes(own)", arg=own)
        shown = everything_shown(page)
        assert not [other for other in PREFIXES if other != own and other in shown]

    for title in ("Overview", "Compare units", "Practice areas", "Roadmap"):
        if title != "Overview":
            visit(pages, title)
        for page, own in zip(pages, PREFIXES, strict=True):
            only_own_units(page, own)
            if title == "Overview":  # the heatmap's rows are the units of this session's file, and only them
                heatmap = page.evaluate("() => document.querySelectorAll('.js-plotly-plot')[1].data[0].y")
                assert {str(unit).split()[:2] == own.split() for unit in heatmap} == {True}
            if title == "Compare units":
                assert {t["name"].rsplit(" ", 1)[0] for t in traces(page)} == {own}
            if title == "Roadmap":
                assert {row["unit"].rsplit(" ", 1)[0] for row in download(page, "Download roadmap CSV")} == {own}


def test_the_same_file_is_shared_but_corrections_and_targets_stay_in_their_session(server, sessions, tmp_path):
    shared = write_csv(tmp_path / "shared.csv", ["Delta Unit A", "Delta Unit B"], 0)
    editor, viewer = sessions(), sessions()
    for page in (editor, viewer):
        page.wait_for_selector(".js-plotly-plot")
    before = files_read(server)
    upload_all([editor, viewer], [shared, shared])
    assert files_read(server) == before + 1  # read once, by whichever session came first: a shared cache hit
    baseline = average_current(viewer)
    visit([editor, viewer], "Roadmap")
    steps = metric(viewer, "Steps")
    assert metric(editor, "Steps") == steps

    # A target changed by hand in one session ...
    visit([editor, viewer], "Practice areas")
    for page in (editor, viewer):
        expect(target_cell(page)).to_have_text("Beginner")  # Delta Unit A's Prioritized work: from 1 to 2
    change_first_target(editor, "Expert")
    done_when(editor, editor.locator('[data-testid="stSidebar"]').get_by_text("1 target changed by hand"))
    expect(target_cell(editor)).to_have_text("Expert")
    # ... is not in the other, which draws the same page again on the same cached file. (Away and back:
    # twice, a page switch right after clicking the link of the page already shown never went idle.)
    visit([viewer], "Compare units")
    visit([viewer], "Practice areas")
    expect(target_cell(viewer)).to_have_text("Beginner")
    assert viewer.get_by_text("changed by hand").count() == 0
    visit([editor, viewer], "Roadmap")
    assert metric(viewer, "Steps") == steps
    assert int(metric(editor, "Steps")) == int(steps) + 3  # Beginner → Expert: three more levels to climb

    # A corrected layout (the current levels counted from 0) in one session ...
    visit([editor, viewer], "Overview")
    scale = editor.locator('[data-testid="stSelectbox"]').filter(has_text="Current level numbers")
    scale.click()
    editor.get_by_role("option", name=re.compile("^0–4")).click()
    done_when(editor, editor.get_by_role("button", name="Undo my corrections"))
    assert average_current(editor) == pytest.approx(baseline + 1)
    # ... is not in the other either.
    visit([viewer], "Compare units")
    visit([viewer], "Overview")
    assert average_current(viewer) == pytest.approx(baseline)
    assert viewer.get_by_role("button", name="Undo my corrections").count() == 0
