"""Snapshots in chromium: an assessment saved in one browser session is opened in another (a new browser
context, so a new Streamlit session that knows nothing of the first) and shows the same figures. The
server runs on a SQLite database of this module's own."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import IDLE, _require_chromium, serve
from tests.e2e.test_dashboard import go_to, settle, team_csv, upload  # noqa: F401 - team_csv is a fixture
from tests.e2e.test_sessions import done_when

pytestmark = pytest.mark.e2e

PANEL = "Snapshots: save this assessment, or open a saved one"


@pytest.fixture(scope="module")
def snapshot_server(tmp_path_factory):
    """A dashboard whose snapshot database is in a temporary folder (``GAPMAP_HOME``)."""
    _require_chromium()
    home = tmp_path_factory.mktemp("gapmap-home")
    with pytest.MonkeyPatch.context() as patch:  # the server process inherits the environment it starts with
        patch.setenv("GAPMAP_HOME", str(home))
        patch.delenv("GAPMAP_DATABASE_URL", raising=False)
        with serve() as url:
            patch.undo()
            yield url


def fresh_session(browser, url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(url)
    page.wait_for_selector(IDLE)
    page.wait_for_selector(".js-plotly-plot")
    return context, page


def figures(page) -> tuple[list[str], list]:
    """The headline numbers and the Overview radar's levels, as drawn."""
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    radar = page.evaluate("""() => document.querySelectorAll('.js-plotly-plot')[0].data.map(
        t => ({name: t.name, r: Array.from(t.r)}))""")
    return values, radar


def open_panel(page) -> None:
    page.get_by_text(PANEL).click()
    done_when(page, page.get_by_role("button", name="Save as snapshot"))


def save_in_panel(page, organisation: str, label: str) -> None:
    """Save the assessment shown from the Snapshots panel (as of today) and wait for its notice."""
    open_panel(page)
    form = page.locator('[data-testid="stForm"]')
    form.get_by_role("textbox", name="Organisation").fill(organisation)
    form.get_by_role("textbox", name="Label").fill(label)
    form.get_by_role("button", name="Save as snapshot").click()
    done_when(page, page.get_by_text(f"Saved as snapshot 1: {organisation} · {label}"))


def open_first_snapshot(page, label: str) -> None:
    """Open the snapshot the Snapshots panel offers first and wait for its notice."""
    open_panel(page)
    expect(page.get_by_text("Open a saved snapshot")).to_be_visible()
    page.get_by_role("button", name="Open this snapshot").click()
    done_when(page, page.get_by_text(f"Opened snapshot 1: {label}"))


def test_a_snapshot_saved_in_one_session_opens_in_another_with_the_same_figures(snapshot_server, browser,
                                                                                 team_csv):  # noqa: F811
    first, page = fresh_session(browser, snapshot_server)
    sample = figures(page)
    upload(page, team_csv)
    saved = figures(page)
    assert saved != sample
    save_in_panel(page, "Acme <b>Bank</b>", "Q2 2026")
    first.close()

    second, page = fresh_session(browser, snapshot_server)
    assert figures(page) == sample  # a new session: the sample again
    open_first_snapshot(page, "Q2 2026")
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("Snapshot 1: Acme <b>Bank</b> · Q2 2026")) \
        .to_be_visible()
    assert figures(page) == saved

    go_to(page, "History")
    expect(page.get_by_text("1 snapshot of Acme <b>Bank</b>")).to_be_visible()
    expect(page.get_by_text("One snapshot so far")).to_be_visible()
    assert page.locator(".js-plotly-plot").count() == 2
    assert page.locator("b", has_text="Bank").count() == 0  # the organisation's name is text, never markup
    settle(page)
    second.close()
