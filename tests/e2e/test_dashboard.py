"""The dashboard in a real browser: the sample radar on landing, an upload laid out unlike the sample,
navigation by the sidebar, the roadmap download, and text from a hostile workbook."""

from __future__ import annotations

import contextlib
import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
RUNNING = '[data-testid="stApp"][data-test-script-state="running"]'
HEADINGS = {"Overview": "DevOps maturity overview"}

HOSTILE_UNIT = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://x")'


def traces(page, index: int = 0) -> list[dict]:
    """Name, type and axes of each trace of the ``index``-th plotly chart, as plotly drew it."""
    return page.evaluate(
        """(index) => document.querySelectorAll('.js-plotly-plot')[index]._fullData.map(
               t => ({name: t.name, type: t.type, theta: t.theta ? Array.from(t.theta) : null}))""",
        index)


def settle(page) -> None:
    """Wait until the app has reacted to the last action: its rerun started (unless already over) and ended."""
    with contextlib.suppress(PlaywrightError):
        page.wait_for_selector(RUNNING, timeout=1_000)
    page.wait_for_selector(IDLE)


def upload(page, path: Path) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    settle(page)
    expect(page.locator('[data-testid="stSidebar"]').get_by_text(f"Your file: {path.name}")).to_be_visible()
    page.wait_for_selector(".js-plotly-plot")


def go_to(page, title: str) -> None:
    """Navigate like a user, through the sidebar (a reload would start a new session without the upload)."""
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=HEADINGS.get(title, title), level=1)).to_be_visible()
    settle(page)


def table_rows(page, index: int = 0) -> tuple[int, list[list[str]]]:
    """Row count and the rendered rows of the ``index``-th dataframe, read from the grid's accessible table."""
    grid = page.locator('[data-testid="stDataFrame"]').nth(index).locator("table")
    count = int(grid.get_attribute("aria-rowcount")) - 1
    rows = page.evaluate(
        """(table) => Array.from(table.querySelectorAll('tbody tr')).map(
               r => Array.from(r.querySelectorAll('td')).map(c => c.textContent))""",
        grid.element_handle())
    return count, rows


def download(page, label: str) -> list[dict[str, str]]:
    with page.expect_download() as caught:
        page.get_by_role("button", name=label).click()
    data = Path(caught.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "CSV for Excel starts with a BOM"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.fixture
def team_csv(tmp_path: Path) -> Path:
    """Laid out unlike the sample: ';'-separated, Team/Category/Capability/As-Is/To-Be, names mixed with numbers."""
    rows = [["Team", "Category", "Capability", "As-Is", "To-Be"],
            ["Mobile", "Culture & Organization", "Stable teams", "Beginner", "4"],
            ["Mobile", "Build & Deploy", "Scripted builds", "2", "Advanced"],
            ["Mobile", "Test & Verification", "Automatic unit tests", "Base", "3"],
            ["Mobile", "Design & Architecture", "Configuration as code", "2", "3"],
            ["Mobile", "Information & Reporting", "Measure the process", "1", "Intermediate"],
            ["Platform", "Culture & Organization", "Stable teams", "3", "Expert"],
            ["Platform", "Build & Deploy", "Scripted builds", "Intermediate", "5"],
            ["Platform", "Test & Verification", "Automatic unit tests", "L3", "4"],
            ["Platform", "Design & Architecture", "Configuration as code", "Advanced", "4"],
            ["Platform", "Information & Reporting", "Measure the process", "2", "Level 4"]]
    path = tmp_path / "team assessment.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    return path


@pytest.fixture
def hostile_xlsx(tmp_path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Assessment"
    sheet.append(["Unit", "Dimension", "Practice", "Current", "Target", "Owner", "Notes"])
    sheet.append([HOSTILE_UNIT, "Build & Deploy", "**bold**", 1, 3, FORMULA, FORMULA])
    sheet.append([HOSTILE_UNIT, "Test & Verification", "[click](javascript:alert(2))", 2, 4, "@SUM(1)", "ok"])
    sheet.append(["Ops", "Culture & Organization", "<b>Pair on ops</b>", 1, 2, "-1+1", "<script>alert(3)</script>"])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # the text, not a formula
    path = tmp_path / "<b>hostile book.xlsx"
    workbook.save(path)
    return path


def test_landing_page_shows_the_sample_radar(page):
    assert page.get_by_text("Sample data: Northwind Mutual Bank (fictional)").first.is_visible()
    radar = traces(page)
    assert [t["name"] for t in radar] == ["Current", "Target"]
    assert {t["type"] for t in radar} == {"scatterpolar"}
    assert len(set(radar[0]["theta"])) == 5


def test_upload_navigate_and_download_the_roadmap(page, team_csv):
    upload(page, team_csv)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_text("Your file: team assessment.csv").is_visible()
    assert page.get_by_text("How this file was read").is_visible()
    assert [t["name"] for t in traces(page)] == ["Current", "Target"]
    assert page.locator('[data-testid="stMetricValue"]').first.inner_text() == "2"

    go_to(page, "Compare units")
    assert [t["name"] for t in traces(page)] == ["Mobile", "Platform"]

    go_to(page, "Roadmap")
    assert sidebar.get_by_text("Your file: team assessment.csv").is_visible()  # same session
    count, shown = table_rows(page)
    assert count > 0
    downloaded = download(page, "Download roadmap CSV")
    assert len(downloaded) == count
    for row, record in zip(shown[:3], downloaded[:3], strict=True):
        assert row[0] == record["rank"] and row[2] == record["unit"] and row[4] == record["practice"]

    go_to(page, "Overview")
    assert [t["name"] for t in traces(page)] == ["Current", "Target"]


def test_roadmap_download_exports_exactly_what_is_filtered(page):
    unit = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="Unit")
    unit.click()
    page.get_by_role("option", name="Payments").click()
    settle(page)
    go_to(page, "Roadmap")
    count, shown = table_rows(page)
    downloaded = download(page, "Download roadmap CSV")
    assert len(downloaded) == count and {r["unit"] for r in downloaded} == {"Payments"}
    assert [r["rank"] for r in downloaded[:3]] == [row[0] for row in shown[:3]]


def test_hostile_text_stays_text(page, hostile_xlsx):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    upload(page, hostile_xlsx)
    assert page.locator('[data-testid="stSidebar"]').get_by_text("Your file: <b>hostile book.xlsx").is_visible()
    # The unit name is drawn as its characters on the heatmap axis, not as an element.
    assert page.locator(".js-plotly-plot text", has_text=HOSTILE_UNIT).count() >= 1
    for title in ("Compare units", "Practice areas", "Roadmap", "Rubric", "Overview"):
        go_to(page, title)
        assert page.locator('img[src="x"]').count() == 0
        assert page.locator("main b, main strong", has_text="Pair on ops").count() == 0
    go_to(page, "Practice areas")
    # Plotly draws <b> as bold unless escaped: the practice shows its tags as typed.
    page.get_by_role("radio", name="Culture & Organization").click()
    settle(page)
    expect(page.locator(".js-plotly-plot text", has_text="<b>Pair on ops</b>").first).to_be_visible()
    assert page.locator(".js-plotly-plot tspan[style*=bold]", has_text="Pair on ops").count() == 0
    page.get_by_role("radio", name="Build & Deploy").click()
    settle(page)
    expect(page.locator(".js-plotly-plot text", has_text="**bold**").first).to_be_visible()
    go_to(page, "Roadmap")  # filtered to Build & Deploy by the click above: the shared dimension filter
    owners = {r["owner"] for r in download(page, "Download roadmap CSV")}
    assert owners == {"'" + FORMULA}
    go_to(page, "Overview")
    rows = download(page, "Download normalized CSV")
    assert {r["notes"] for r in rows} >= {"'" + FORMULA, "<script>alert(3)</script>"}
    assert {r["owner"] for r in rows} == {"'" + FORMULA, "'@SUM(1)", "'-1+1"}
    assert {r["unit"] for r in rows} == {HOSTILE_UNIT, "Ops"}
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator("script", has_text="alert(3)").count() == 0
    assert dialogs == []


def test_a_file_that_cannot_be_used_shows_one_message_and_no_traceback(page, tmp_path):
    broken = tmp_path / "budget.xlsx"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))  # a PNG renamed .xlsx
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(broken))
    settle(page)
    alert = page.locator('[data-testid="stAlertContentError"]')
    expect(alert).to_contain_text("budget.xlsx cannot be used")
    expect(alert).to_contain_text("PNG")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.locator("main").inner_text()
    assert page.get_by_text("Sample data: Northwind Mutual Bank (fictional)").first.is_visible()


def test_deep_link_as_a_fresh_servers_first_request_gets_the_whole_app(browser):
    """A bookmark to /roadmap opened right after a restart: Streamlit's legacy pages/ mode would run the
    page file alone (no navigation, no filters); the page hands over to app.py instead."""
    from tests.e2e.conftest import IDLE, serve

    with serve() as url:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.goto(f"{url}/roadmap")
        page.wait_for_selector(IDLE)
        page.wait_for_selector(".js-plotly-plot")
        links = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
        assert [text.split()[-1] for text in links] == ["Overview", "units", "areas", "Roadmap", "Rubric", "History",
                                                        "snapshots", "performance"]
        assert page.get_by_text("Filters").count() == 1
        context.close()
